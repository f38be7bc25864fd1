// SPDX-License-Identifier: MIT
#include "callclock.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

namespace bench {

namespace {

bool cpuHasFlag(const std::string &flag)
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, 5, "flags") == 0)
            return (line + ' ').find(' ' + flag + ' ') != std::string::npos;
    }
    return false;
}

} // namespace

CallClock::CallClock()
{
#ifdef QLOKI_BENCH_TSC
    m_tsc = cpuHasFlag("rdtscp");
    if (m_tsc) {
        const auto s0 = std::chrono::steady_clock::now();
        const std::uint64_t t0 = start();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const std::uint64_t t1 = stop();
        const auto s1 = std::chrono::steady_clock::now();
        m_nsPerTick = double(std::chrono::duration_cast<std::chrono::nanoseconds>(s1 - s0).count())
                / double(t1 - t0);
    }
#endif
    // Back-to-back reads, as around every timed sample.
    std::vector<std::uint64_t> d(200000);
    for (auto &v : d) {
        const std::uint64_t a = start();
        const std::uint64_t b = stop();
        v = b - a;
    }
    // The step: the smallest gap of more than one tick between two read costs that occur
    // often (at least 1 in 2,000); a clock that moves every tick has gaps of one tick only.
    std::map<std::uint64_t, std::size_t> counts;
    for (const std::uint64_t v : d)
        ++counts[v];
    std::vector<std::uint64_t> frequent;
    for (const auto &[value, count] : counts) {
        if (count * 2000 >= d.size())
            frequent.push_back(value);
    }
    std::uint64_t step = ~std::uint64_t(0);
    for (std::size_t i = 1; i < frequent.size(); ++i) {
        const std::uint64_t gap = frequent[i] - frequent[i - 1];
        if (gap > 1)
            step = std::min(step, gap);
    }
    m_resolutionTicks = step == ~std::uint64_t(0) ? 1 : step;
    std::nth_element(d.begin(), d.begin() + std::ptrdiff_t(d.size() / 2), d.end());
    m_overheadTicks = d[d.size() / 2];

    char text[160];
    if (m_tsc) {
        std::snprintf(text, sizeof text,
                      "rdtsc/rdtscp with lfence, %.4f GHz (calibrated against steady_clock "
                      "over 200 ms)",
                      1.0 / m_nsPerTick);
    } else {
        std::snprintf(text, sizeof text, "std::chrono::steady_clock");
    }
    m_name = text;
}

} // namespace bench
