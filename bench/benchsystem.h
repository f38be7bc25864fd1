// SPDX-License-Identifier: MIT
// What qloki-bench reads from the machine and the process: a cheap per-call clock, CPU
// time, resident memory, context switches, and a description of the machine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

/*!
    A per-call clock: the TSC on x86 (calibrated against CLOCK_MONOTONIC; name() says
    whether /proc/cpuinfo reports it constant), else clock_gettime(CLOCK_MONOTONIC).
    now() returns ticks; ns() converts tick differences. overheadTicks is the median cost of two back-to-back
    reads, subtracted from every timed call.
*/
class Ticker
{
public:
    Ticker();
    static inline std::uint64_t now();
    double ns(double ticks) const { return ticks * m_nsPerTick; }
    double overheadNs() const { return ns(double(m_overheadTicks)); }
    //! The smallest step (over one tick) the clock was seen to take: per-call figures are
    //! multiples of it (some virtual machines update the TSC only every ~10 ns).
    double resolutionNs() const { return ns(double(m_resolutionTicks)); }
    std::uint64_t overheadTicks() const { return m_overheadTicks; }
    const std::string &name() const { return m_name; }

private:
    double m_nsPerTick = 1.0;
    std::uint64_t m_overheadTicks = 0;
    std::uint64_t m_resolutionTicks = 1;
    std::string m_name;
};

//! Median and 99th percentile, in ns, of per-call tick counts (overhead subtracted).
struct Percentiles
{
    double median = 0;
    double p99 = 0;
    double mean = 0;
    std::size_t samples = 0;
};
Percentiles percentiles(std::vector<std::uint32_t> ticks, const Ticker &ticker);

//! User + system CPU seconds of the whole process (getrusage RUSAGE_SELF).
double processCpuSeconds();
//! Resident set size in bytes (/proc/self/statm).
std::int64_t residentBytes();
//! Voluntary + non-voluntary context switches summed over every thread of the process
//! (/proc/self/task/*/status); \a threads receives how many threads were counted.
std::int64_t contextSwitches(int *threads = nullptr);
//! The same per thread: name (comm) and context switches, by thread id.
struct ThreadSwitches
{
    int tid = 0;
    std::string name;
    std::int64_t switches = 0;
};
std::vector<ThreadSwitches> threadSwitches();
//! "AMD EPYC, 2 CPUs" style description: the CPU model from /proc/cpuinfo and nproc.
std::string cpuModel();
int onlineCpus();
//! The current UTC time as "2024-11-24 14:00:00 UTC".
std::string utcNow();

} // namespace bench

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
inline std::uint64_t bench::Ticker::now()
{
    return __rdtsc();
}
#else
#include <time.h>
inline std::uint64_t bench::Ticker::now()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::uint64_t(ts.tv_sec) * 1000000000u + std::uint64_t(ts.tv_nsec);
}
#endif
