// SPDX-License-Identifier: MIT
// The clock of the per-call timings.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define QLOKI_BENCH_TSC 1
#endif

namespace bench {

/*!
    Reads a time stamp around a timed call. On x86 with RDTSCP: start() is
    `lfence; rdtsc; lfence` (nothing earlier is still running, nothing later has begun) and
    stop() is `rdtscp; lfence` (every earlier instruction has finished), calibrated against
    std::chrono::steady_clock over 200 ms. Elsewhere both read steady_clock in ns.

    overheadTicks() is the median of a start() followed at once by a stop(), subtracted from
    every sample; resolutionNs() the smallest step the clock was seen to take (on virtual
    machines the TSC may move in steps of ~10 ns, and steady_clock reads it).
*/
class CallClock
{
public:
    CallClock();

    inline std::uint64_t start() const;
    inline std::uint64_t stop() const;

    double ns(double ticks) const { return ticks * m_nsPerTick; }
    std::uint64_t overheadTicks() const { return m_overheadTicks; }
    double overheadNs() const { return ns(double(m_overheadTicks)); }
    double resolutionNs() const { return ns(double(m_resolutionTicks)); }
    const std::string &name() const { return m_name; }

private:
    bool m_tsc = false;
    double m_nsPerTick = 1.0;
    std::uint64_t m_overheadTicks = 0;
    std::uint64_t m_resolutionTicks = 1;
    std::string m_name;
};

namespace detail {
inline std::uint64_t steadyNs()
{
    return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count());
}
} // namespace detail

inline std::uint64_t CallClock::start() const
{
#ifdef QLOKI_BENCH_TSC
    if (m_tsc) {
        _mm_lfence();
        const std::uint64_t t = __rdtsc();
        _mm_lfence();
        return t;
    }
#endif
    return detail::steadyNs();
}

inline std::uint64_t CallClock::stop() const
{
#ifdef QLOKI_BENCH_TSC
    if (m_tsc) {
        unsigned int aux = 0;
        const std::uint64_t t = __rdtscp(&aux);
        _mm_lfence();
        return t;
    }
#endif
    return detail::steadyNs();
}

} // namespace bench
