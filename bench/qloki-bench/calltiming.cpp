// SPDX-License-Identifier: MIT
#include "calltiming.h"

#include <cmath>

namespace bench {

CallTiming summarize(std::vector<std::uint32_t> ticks, int batch, const CallClock &clock)
{
    CallTiming timing;
    timing.batch = batch;
    timing.samples = ticks.size();
    if (ticks.empty())
        return timing;
    const double overhead = double(clock.overheadTicks());
    const auto perCall = [&](double t) { return clock.ns(std::max(0.0, t - overhead)) / batch; };
    double sum = 0;
    for (const std::uint32_t t : ticks)
        sum += double(t);
    std::sort(ticks.begin(), ticks.end());
    // Nearest rank: the smallest sample with at least q of all samples at or below it.
    const auto rank = [&](double q) {
        const auto n = double(ticks.size());
        const auto i = std::size_t(std::max(0.0, std::ceil(q * n) - 1));
        return double(ticks[std::min(i, ticks.size() - 1)]);
    };
    timing.medianNs = perCall(rank(0.5));
    timing.p99Ns = perCall(rank(0.99));
    timing.meanNs = perCall(sum / double(ticks.size()));
    return timing;
}

int batchFor(const CallClock &clock, double callNs)
{
    if (callNs <= 0)
        return 64;
    const double wanted = 20.0 * clock.resolutionNs();
    return std::clamp(int(std::ceil(wanted / callNs)), 1, 64);
}

} // namespace bench
