// SPDX-License-Identifier: MIT
// Timing many logging calls on several threads at once, in rounds that never fill the
// logger's buffer.
#pragma once

#include "callclock.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace bench {

struct CallPlan
{
    int threads = 1;
    int timedCalls = 200000; //!< per thread
    int warmupCalls = 10000; //!< per thread, untimed, before the timed ones
    int roundCalls = 500; //!< calls of one round, all threads together
    int batch = 1; //!< calls per timed sample
};

/*!
    Per-call figures of one timing. With a batch of one call per sample they are the
    percentiles of the calls; with larger batches, of the batch means (a stall of one call
    is then spread over the batch, so p99 shows less than the single call's outlier).
*/
struct CallTiming
{
    double medianNs = 0;
    double p99Ns = 0;
    double meanNs = 0;
    std::size_t samples = 0;
    int batch = 1;
    int rounds = 0;
    double waitSeconds = 0; //!< spent between rounds, waiting for room
    bool ok = true; //!< room came every time
};

//! Median, p99 and mean per call of samples of \a batch calls (\a ticks each, the clock's
//! overhead subtracted).
CallTiming summarize(std::vector<std::uint32_t> ticks, int batch, const CallClock &clock);

//! The smallest batch whose samples are at least 20 clock steps long for calls of
//! \a callNs each: the step is then under 5% of a sample. At most 64.
int batchFor(const CallClock &clock, double callNs);

//! Polls \a done every 50 µs until it returns true (true) or \a timeout passes (false).
template<typename Predicate>
bool waitUntil(Predicate done, std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    return true;
}

/*!
    Runs \a call(thread, i) on \a plan.threads threads, each making warmupCalls untimed and
    then timedCalls timed calls (i counts both), in rounds: in each round the threads
    together make plan.roundCalls calls, started at once; before each round
    \a betweenRounds() runs on the calling thread, untimed, and waits until the logger has
    room for a round (it returns false when none came). So a logger's overflow policy is
    never met, and its consumer runs while the callers call, as in an application.
*/
template<typename Call, typename BetweenRounds>
CallTiming timeCallsInRounds(const CallClock &clock, const CallPlan &plan, Call &&call,
                             BetweenRounds &&betweenRounds)
{
    const int threads = std::max(1, plan.threads);
    const int batch = std::max(1, plan.batch);
    // Calls per thread and round, a whole number of samples.
    const int perRound = std::max(batch, plan.roundCalls / threads / batch * batch);
    const int warmup = (plan.warmupCalls + batch - 1) / batch * batch;
    const int timedSamples = (plan.timedCalls + batch - 1) / batch;
    const int total = warmup + timedSamples * batch;
    const int rounds = (total + perRound - 1) / perRound;

    std::vector<std::vector<std::uint32_t>> samples(static_cast<std::size_t>(threads));
    std::mutex mutex;
    std::condition_variable released;
    std::condition_variable finished;
    int releasedRounds = 0;
    int finishedRounds = 0; // summed over the threads
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            std::vector<std::uint32_t> &s = samples[std::size_t(t)];
            s.assign(std::size_t(timedSamples), 0); // touched before the clock runs
            std::size_t next = 0;
            int done = 0;
            for (int r = 0; r < rounds; ++r) {
                {
                    std::unique_lock lock(mutex);
                    released.wait(lock, [&] { return releasedRounds > r; });
                }
                const int end = std::min(total, done + perRound);
                for (; done < end; done += batch) {
                    if (done < warmup) {
                        for (int b = 0; b < batch; ++b)
                            call(t, done + b);
                        continue;
                    }
                    const std::uint64_t a = clock.start();
                    for (int b = 0; b < batch; ++b)
                        call(t, done + b);
                    const std::uint64_t e = clock.stop();
                    s[next++] = std::uint32_t(std::min<std::uint64_t>(e - a, 0xffffffffu));
                }
                {
                    std::lock_guard lock(mutex);
                    ++finishedRounds;
                }
                finished.notify_one();
            }
        });
    }
    double waitSeconds = 0;
    bool ok = true;
    for (int r = 0; r < rounds; ++r) {
        const auto w0 = std::chrono::steady_clock::now();
        ok = betweenRounds() && ok;
        waitSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        std::unique_lock lock(mutex);
        releasedRounds = r + 1;
        released.notify_all();
        finished.wait(lock, [&] { return finishedRounds == threads * (r + 1); });
    }
    for (std::thread &t : pool)
        t.join();

    std::vector<std::uint32_t> all;
    all.reserve(std::size_t(threads) * std::size_t(timedSamples));
    for (const auto &s : samples)
        all.insert(all.end(), s.begin(), s.end());
    CallTiming timing = summarize(std::move(all), batch, clock);
    timing.rounds = rounds;
    timing.waitSeconds = waitSeconds;
    timing.ok = ok;
    return timing;
}

} // namespace bench
