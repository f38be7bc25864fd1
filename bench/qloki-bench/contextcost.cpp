// SPDX-License-Identifier: MIT
// Scenario "context": what a call that only goes to the context ring costs the caller
// (LokiConfig::contextEntries(), below the minimum level), beside the same call queued for
// delivery, in the caller scenario's rounds.
#include "calltiming.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace std::chrono_literals;

namespace bench {

void runContextCost(BenchContext &ctx)
{
    ctx.results.beginSection("context");
    const Options &o = ctx.options;
    const LokiConfig queuedConfig = benchConfig(ctx.receiver.baseUrl());
    // What is measured: a ring of 200 (the console's), the call below the minimum level.
    LokiConfig ringConfig = queuedConfig;
    ringConfig.setMinimumLevel(QLoki::Level::Info);
    ringConfig.setContextEntries(200);

    for (const int threads : {1, 4}) {
        std::vector<double> queuedMedian, ringMedian, ringP99, ratio;
        bool counted = true;
        int batch = 1;
        // At least five runs: on two cores one run's median moves by up to a third (the
        // allocator's state, where the threads land), more than the difference measured.
        const int runs = o.quick ? o.repeat : qMax(o.repeat, 5);
        for (int run = 0; run < runs; ++run) {
            LokiLogger queued;
            LokiLogger ring;
            if (!initLogger(queued, queuedConfig) || !initLogger(ring, ringConfig))
                return;
            const auto queuedCall = [&queued](int, int i) {
                usercalls::readmeDebugCall(queued, i);
            };
            const auto ringCall = [&ring](int, int i) { usercalls::readmeDebugCall(ring, i); };
            if (run == 0) {
                // The batch (calls per sample) follows from a pilot of the queued call.
                CallPlan pilot;
                pilot.timedCalls = 2000;
                pilot.warmupCalls = 500;
                const quint64 half = quint64(qMax(1, queued.config().bufferSize() / 2));
                pilot.roundCalls = int(half);
                batch = batchFor(ctx.clock,
                                 timeCallsInRounds(ctx.clock, pilot, queuedCall, [&] {
                                     return waitUntil(
                                             [&] { return queued.stats().pending() < half; }, 60s);
                                 }).medianNs);
            }
            CallPlan plan;
            plan.threads = threads;
            plan.timedCalls = o.callsPerThread;
            plan.warmupCalls = o.warmupCalls;
            plan.batch = batch;
            const quint64 half = quint64(qMax(1, queued.config().bufferSize() / 2));
            plan.roundCalls = int(half);
            const auto timeQueued = [&] {
                CallTiming t = timeCallsInRounds(ctx.clock, plan, queuedCall, [&] {
                    return waitUntil([&] { return queued.stats().pending() < half; }, 60s);
                });
                // What the last round left is sent before anything else is timed: the
                // sender and the server would take the CPU from the next calls.
                t.ok = queued.flush(60s) && t.ok;
                return t;
            };
            // The ring never fills the buffer: its rounds need no wait.
            const auto timeRing = [&] {
                return timeCallsInRounds(ctx.clock, plan, ringCall, [] { return true; });
            };
            // In turns, which goes first, so that a drifting machine favours neither.
            CallTiming q, r;
            if (run % 2 == 0) {
                q = timeQueued();
                r = timeRing();
            } else {
                r = timeRing();
                q = timeQueued();
            }
            // Nothing of the ring was accepted until an error ships its last 200.
            const bool ringUnaccepted = ring.stats().accepted() == 0;
            ring.error(QStringLiteral("the ring ships"));
            const bool flushed = queued.flush(60s) && ring.flush(60s);
            const LokiStats qs = queued.stats();
            const LokiStats rs = ring.stats();
            const quint64 calls = quint64(threads) * quint64(o.warmupCalls + o.callsPerThread);
            // Every queued call delivered; every ring call overwritten or shipped.
            counted = counted && q.ok && r.ok && flushed && qs.dropped() == 0
                    && qs.delivered() == qs.accepted() && ringUnaccepted
                    && rs.contextShipped() == 200 && rs.delivered() == 201
                    && rs.contextOverwritten() + rs.contextShipped() == calls;
            queuedMedian.push_back(q.medianNs);
            ringMedian.push_back(r.medianNs);
            ringP99.push_back(r.p99Ns);
            ratio.push_back(q.medianNs > 0 ? r.medianNs / q.medianNs : NAN);
            ring.shutdown();
            queued.shutdown();
            QCoreApplication::processEvents();
        }
        ctx.ok = ctx.ok && counted;
        const std::string t = std::to_string(threads) + "t";
        const std::string on = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
        ctx.results.add("context_queued_median_ns_" + t, "debug call queued, median, " + on, "ns",
                        queuedMedian);
        ctx.results.add("context_ring_median_ns_" + t, "debug call kept in the ring, median, " + on,
                        "ns", ringMedian);
        ctx.results.add("context_ring_p99_ns_" + t, "debug call kept in the ring, p99, " + on, "ns",
                        ringP99, {}, "%.0f");
        ctx.results.add("context_ratio_" + t, "ratio ring/queued, " + on, "", ratio,
                        Target::atMost(1.0), "%.2f");
        std::printf("context, %d thread(s), %d timed calls each in samples of %d: "
                    "logger.debug(\"user login ok\", {four fields}) queued (default "
                    "configuration) median %.0f ns; kept in a ring of 200 (minimum level info) "
                    "median %.0f ns, p99 %.0f ns; ratio %.2f; counted exactly: %s\n",
                    threads, o.callsPerThread, batch, median(queuedMedian), median(ringMedian),
                    median(ringP99), median(ratio), counted ? "yes" : "NO");
        std::fflush(stdout);
    }
}

} // namespace bench
