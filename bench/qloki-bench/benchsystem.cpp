// SPDX-License-Identifier: MIT
#include "benchsystem.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <utility>

#include <dirent.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bench {

namespace {

std::string cpuinfoValue(const std::string &key)
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                return line.substr(std::min(line.size(), colon + 2));
        }
    }
    return {};
}

std::int64_t fieldValue(const std::string &line)
{
    return std::stoll(line.substr(line.find(':') + 1));
}

} // namespace

double processCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
            + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double threadCpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

std::int64_t residentBytes()
{
    std::ifstream in("/proc/self/statm");
    std::int64_t size = 0;
    std::int64_t resident = 0;
    in >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

void trimHeap()
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

std::vector<ThreadSample> threadSamples()
{
    std::vector<ThreadSample> result;
    if (DIR *dir = opendir("/proc/self/task")) {
        while (const dirent *e = readdir(dir)) {
            if (e->d_name[0] == '.')
                continue;
            ThreadSample t;
            t.tid = std::atoi(e->d_name);
            std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/status");
            std::string line;
            while (std::getline(in, line)) {
                if (line.compare(0, 5, "Name:") == 0) {
                    const auto start = line.find_first_not_of(" \t", 5);
                    t.name = start == std::string::npos ? std::string() : line.substr(start);
                } else if (line.compare(0, 24, "voluntary_ctxt_switches:") == 0) {
                    t.voluntary = fieldValue(line);
                } else if (line.compare(0, 27, "nonvoluntary_ctxt_switches:") == 0) {
                    t.nonvoluntary = fieldValue(line);
                }
            }
            std::ifstream sched(std::string("/proc/self/task/") + e->d_name + "/schedstat");
            std::int64_t onCpuNs = 0;
            if (sched >> onCpuNs)
                t.cpuSeconds = double(onCpuNs) / 1e9;
            result.push_back(t);
        }
        closedir(dir);
    }
    return result;
}

ThreadSample sampleOf(const std::vector<ThreadSample> &samples, int tid)
{
    for (const ThreadSample &s : samples) {
        if (s.tid == tid)
            return s;
    }
    return ThreadSample();
}

ThreadsDelta threadsDelta(const std::vector<ThreadSample> &before,
                          const std::vector<ThreadSample> &after,
                          const std::function<bool(const ThreadSample &)> &which)
{
    ThreadsDelta d;
    for (const ThreadSample &a : after) {
        if (!which(a))
            continue;
        const ThreadSample was = sampleOf(before, a.tid);
        d.cpuSeconds += a.cpuSeconds - was.cpuSeconds;
        d.voluntary += a.voluntary - was.voluntary;
    }
    return d;
}

int currentThreadId() { return int(syscall(SYS_gettid)); }

std::vector<double> loadAverage()
{
    std::ifstream in("/proc/loadavg");
    std::vector<double> load(3, 0.0);
    in >> load[0] >> load[1] >> load[2];
    return load;
}

std::string cpuModel()
{
    const std::string model = cpuinfoValue("model name");
    return model.empty() ? std::string("unknown CPU") : model;
}

int onlineCpus() { return int(sysconf(_SC_NPROCESSORS_ONLN)); }

std::string utcNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

PeakResidentSampler::PeakResidentSampler(std::function<std::int64_t()> probe,
                                         std::chrono::microseconds interval)
    : m_probe(std::move(probe))
    , m_interval(interval)
{ }

PeakResidentSampler::~PeakResidentSampler() { stop(); }

void PeakResidentSampler::sample()
{
    const std::int64_t rss = residentBytes();
    const std::int64_t probed = m_probe ? m_probe() : 0;
    if (rss > m_peak || m_samples == 0) {
        m_peak = rss;
        m_probeAtPeak = probed;
    }
    m_probeMax = m_samples == 0 ? probed : std::max(m_probeMax, probed);
    ++m_samples;
}

void PeakResidentSampler::start()
{
    stop();
    m_samples = 0;
    sample();
    m_running = true;
    m_thread = std::thread([this] {
        while (m_running.load(std::memory_order_relaxed)) {
            std::this_thread::sleep_for(m_interval);
            sample();
        }
    });
}

void PeakResidentSampler::stop()
{
    if (m_thread.joinable()) {
        m_running = false;
        m_thread.join();
        sample(); // the state at the end counts too
    }
}

} // namespace bench
