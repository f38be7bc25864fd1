// SPDX-License-Identifier: MIT
// What qloki-bench reads from the machine and the process: CPU time, resident memory and
// its peak, context switches per thread, the load average, and a description of the
// machine.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace bench {

//! User + system CPU seconds of the whole process (getrusage RUSAGE_SELF).
double processCpuSeconds();
//! CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID).
double threadCpuSeconds();
//! Resident set size in bytes (/proc/self/statm).
std::int64_t residentBytes();
//! Hands freed heap memory back to the system (glibc's malloc_trim), so that the next
//! scenario's growth is not served from what an earlier one left behind.
void trimHeap();

//! One thread of this process: its voluntary and non-voluntary context switches so far, and
//! the CPU time it took.
struct ThreadSample
{
    int tid = 0;
    std::string name;
    std::int64_t voluntary = 0;
    std::int64_t nonvoluntary = 0;
    double cpuSeconds = 0; //!< time on a CPU (/proc/self/task/*/schedstat, in ns there)
    std::int64_t total() const { return voluntary + nonvoluntary; }
};
//! Every thread of the process (/proc/self/task/*/status and schedstat).
std::vector<ThreadSample> threadSamples();
//! The sample of thread \a tid in \a samples; a thread not there (it started since) counts
//! from nothing.
ThreadSample sampleOf(const std::vector<ThreadSample> &samples, int tid);
//! What threads took between two samples: CPU seconds and voluntary context switches (the
//! thread slept and was woken).
struct ThreadsDelta
{
    double cpuSeconds = 0;
    std::int64_t voluntary = 0;
};
//! What the threads that \a which selects took between \a before and \a after. A thread
//! that started in between counts from nothing; one that ended in between is not counted.
ThreadsDelta threadsDelta(const std::vector<ThreadSample> &before,
                          const std::vector<ThreadSample> &after,
                          const std::function<bool(const ThreadSample &)> &which);
//! The calling thread's id (gettid()).
int currentThreadId();

//! The 1, 5 and 15 minute load averages (/proc/loadavg).
std::vector<double> loadAverage();
//! The CPU model from /proc/cpuinfo.
std::string cpuModel();
int onlineCpus();
//! The current UTC time as "2024-11-24 14:00:00 UTC".
std::string utcNow();

/*!
    Reads the resident set size every \a interval on a thread of its own, from start()
    until stop(), and keeps the largest value: the peak a single read before and after
    would miss while the sender compacts a backlog in the background. With a \a probe
    (such as the logger's bytes held), reads it beside every sample and keeps its value at
    the sample of the peak and its own largest value.
*/
class PeakResidentSampler
{
public:
    explicit PeakResidentSampler(std::function<std::int64_t()> probe = {},
                                 std::chrono::microseconds interval = std::chrono::milliseconds(1));
    ~PeakResidentSampler();
    void start();
    void stop();
    //! Read only after stop().
    std::int64_t peak() const { return m_peak; }
    std::int64_t probeAtPeak() const { return m_probeAtPeak; }
    std::int64_t probeMax() const { return m_probeMax; }
    int samples() const { return m_samples; }

private:
    void sample();

    std::function<std::int64_t()> m_probe;
    std::chrono::microseconds m_interval;
    std::atomic<bool> m_running {false};
    std::int64_t m_peak = 0;
    std::int64_t m_probeAtPeak = 0;
    std::int64_t m_probeMax = 0;
    int m_samples = 0;
    std::thread m_thread;
};

} // namespace bench
