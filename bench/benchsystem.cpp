// SPDX-License-Identifier: MIT
#include "benchsystem.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include <dirent.h>
#include <sys/resource.h>
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

std::int64_t monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

Ticker::Ticker()
{
#if defined(__x86_64__) || defined(__i386__)
    // Calibrate over 100 ms; the TSC rate is fixed on CPUs with constant_tsc.
    const std::int64_t ns0 = monotonicNs();
    const std::uint64_t t0 = now();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::int64_t ns1 = monotonicNs();
    const std::uint64_t t1 = now();
    m_nsPerTick = double(ns1 - ns0) / double(t1 - t0);
    const std::string flags = cpuinfoValue("flags");
    const bool constant = (' ' + flags + ' ').find(" constant_tsc ") != std::string::npos;
    char text[96];
    std::snprintf(text, sizeof text, "rdtsc at %.3f GHz (constant_tsc: %s)", 1.0 / m_nsPerTick,
                  constant ? "yes" : "no");
    m_name = text;
#else
    m_name = "clock_gettime(CLOCK_MONOTONIC)";
#endif
    // The cost of the clock itself: two back-to-back reads, as around every timed call.
    std::vector<std::uint64_t> d(200000);
    for (auto &v : d) {
        const std::uint64_t a = now();
        const std::uint64_t b = now();
        v = b - a;
    }
    // Steps of one tick are a virtual TSC keeping itself monotonic within one update
    // period; the smallest larger step is how fine the clock really is.
    std::uint64_t step = ~std::uint64_t(0);
    for (const std::uint64_t v : d) {
        if (v > 1)
            step = std::min(step, v);
    }
    m_resolutionTicks = step == ~std::uint64_t(0) ? 1 : step;
    std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
    m_overheadTicks = d[d.size() / 2];
}

Percentiles percentiles(std::vector<std::uint32_t> ticks, const Ticker &ticker)
{
    Percentiles p;
    p.samples = ticks.size();
    if (ticks.empty())
        return p;
    double sum = 0;
    for (const std::uint32_t t : ticks)
        sum += double(t);
    std::sort(ticks.begin(), ticks.end());
    const auto at = [&](double q) {
        const std::size_t i = std::min(ticks.size() - 1, std::size_t(q * double(ticks.size())));
        const double t = double(ticks[i]) - double(ticker.overheadTicks());
        return ticker.ns(std::max(0.0, t));
    };
    p.median = at(0.5);
    p.p99 = at(0.99);
    p.mean = std::max(0.0, ticker.ns(sum / double(ticks.size()) - double(ticker.overheadTicks())));
    return p;
}

double processCpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::int64_t residentBytes()
{
    std::ifstream in("/proc/self/statm");
    std::int64_t size = 0;
    std::int64_t resident = 0;
    in >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

std::vector<ThreadSwitches> threadSwitches()
{
    std::vector<ThreadSwitches> result;
    if (DIR *dir = opendir("/proc/self/task")) {
        while (const dirent *e = readdir(dir)) {
            if (e->d_name[0] == '.')
                continue;
            ThreadSwitches t;
            t.tid = std::atoi(e->d_name);
            std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/status");
            std::string line;
            while (std::getline(in, line)) {
                if (line.compare(0, 5, "Name:") == 0) {
                    const auto start = line.find_first_not_of(" \t", 5);
                    t.name = start == std::string::npos ? std::string() : line.substr(start);
                } else if (line.compare(0, 24, "voluntary_ctxt_switches:") == 0
                           || line.compare(0, 27, "nonvoluntary_ctxt_switches:") == 0) {
                    t.switches += std::stoll(line.substr(line.find(':') + 1));
                }
            }
            result.push_back(t);
        }
        closedir(dir);
    }
    return result;
}

std::int64_t contextSwitches(int *threads)
{
    const std::vector<ThreadSwitches> all = threadSwitches();
    std::int64_t total = 0;
    for (const ThreadSwitches &t : all)
        total += t.switches;
    if (threads)
        *threads = int(all.size());
    return total;
}


std::string cpuModel()
{
    const std::string model = cpuinfoValue("model name");
    return model.empty() ? std::string("unknown CPU") : model;
}

int onlineCpus()
{
    return int(sysconf(_SC_NPROCESSORS_ONLN));
}

std::string utcNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

} // namespace bench
