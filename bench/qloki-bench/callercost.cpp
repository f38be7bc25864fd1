// SPDX-License-Identifier: MIT
// Scenario "caller": what a logging call costs the thread that makes it, beside spdlog's
// asynchronous logger formatting the same values in the same loop, on 1, 2 and 4 threads.
#include "calltiming.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/Loki>
#include <QLoki/LokiLogger>

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>

using namespace std::chrono_literals;

namespace bench {

namespace {

struct Timed
{
    CallTiming timing;
    bool delivered = true; // QLoki only: every call delivered, none dropped
};

/*!
    \a logger (the default logger or one of the row's own), started by the scenario with the
    default configuration: a buffer of 1,000 entries, so each round is 500 calls (half of
    it), made once fewer than 500 entries are pending.
*/
template<typename Call>
Timed timeQLoki(const BenchContext &ctx, LokiLogger &logger, CallPlan plan, Call call)
{
    const quint64 half = quint64(qMax(1, logger.config().bufferSize() / 2));
    plan.roundCalls = int(half);
    const LokiStats before = logger.stats();
    Timed r;
    r.timing = timeCallsInRounds(ctx.clock, plan, call, [&] {
        return waitUntil([&] { return logger.stats().pending() < half; }, 60s);
    });
    const bool flushed = logger.flush(60s);
    const LokiStats after = logger.stats();
    const quint64 accepted = after.accepted() - before.accepted();
    r.delivered = r.timing.ok && flushed && accepted > 0
            && after.delivered() - before.delivered() == accepted
            && after.dropped() == before.dropped();
    return r;
}

/*!
    spdlog's asynchronous logger as its documentation sets it up (init_thread_pool's
    defaults: a queue of 8,192 messages, one worker thread, overflow policy block), with a
    sink that discards; rounds of the same size as QLoki's, made once its queue is less
    than half full.
*/
template<typename Call>
Timed timeSpdlog(const BenchContext &ctx, const LokiLogger &qloki, CallPlan plan, Call call)
{
    const std::size_t queue = spdlog::details::default_async_q_size;
    auto pool = std::make_shared<spdlog::details::thread_pool>(queue, 1);
    auto logger = std::make_shared<spdlog::async_logger>(
            "bench", std::make_shared<spdlog::sinks::null_sink_mt>(), pool,
            spdlog::async_overflow_policy::block);
    plan.roundCalls = qMax(1, qloki.config().bufferSize() / 2);
    Timed r;
    r.timing = timeCallsInRounds(
            ctx.clock, plan, [&](int t, int i) { call(*logger, t, i); },
            [&] { return waitUntil([&] { return pool->queue_size() < queue / 2; }, 60s); });
    logger->flush();
    return r;
}

std::string runsText(const std::vector<double> &runs, const char *format)
{
    std::string text;
    for (const double v : runs)
        text += (text.empty() ? "" : ", ") + formatted(format, v);
    return text;
}

/*!
    One row: QLoki's and spdlog's call timed with the same plan on 1, 2 and 4 threads,
    ctx.options.repeat times each, QLoki and spdlog back to back in every run. The batch
    (calls per sample) follows from a pilot of both on 1 thread. A headline row is held to
    the targets: ratio <= 1.0 on every thread count, p99 < 5 us on 4 threads.
*/
template<typename QLokiCall, typename SpdlogCall>
void measureRow(BenchContext &ctx, LokiLogger &logger, const std::string &key, const char *what,
                bool headline, QLokiCall qlokiCall, SpdlogCall spdlogCall)
{
    const Options &o = ctx.options;
    CallPlan pilot;
    pilot.timedCalls = 2000;
    pilot.warmupCalls = 500;
    const double pilotNs = qMin(timeQLoki(ctx, logger, pilot, qlokiCall).timing.medianNs,
                                timeSpdlog(ctx, logger, pilot, spdlogCall).timing.medianNs);
    const int batch = batchFor(ctx.clock, pilotNs);
    std::printf("   %s: %s\n", key.c_str(), what);
    std::printf("      %s\n",
                batch == 1 ? "each call timed on its own"
                           : ("samples of " + std::to_string(batch)
                              + " calls (the clock's step is over 5% of one call): median and p99 "
                                "are those of the sample means")
                                     .c_str());

    for (const int threads : {1, 2, 4}) {
        CallPlan plan;
        plan.threads = threads;
        plan.timedCalls = o.callsPerThread;
        plan.warmupCalls = o.warmupCalls;
        plan.batch = batch;
        std::vector<double> qMedian, qP99, qMean, sMedian, sP99, sMean, ratio;
        bool delivered = true;
        double waited = 0;
        for (int run = 0; run < o.repeat; ++run) {
            const Timed q = timeQLoki(ctx, logger, plan, qlokiCall);
            const Timed s = timeSpdlog(ctx, logger, plan, spdlogCall);
            delivered = delivered && q.delivered;
            waited += q.timing.waitSeconds;
            qMedian.push_back(q.timing.medianNs);
            qP99.push_back(q.timing.p99Ns);
            qMean.push_back(q.timing.meanNs);
            sMedian.push_back(s.timing.medianNs);
            sP99.push_back(s.timing.p99Ns);
            sMean.push_back(s.timing.meanNs);
            ratio.push_back(s.timing.medianNs > 0 ? q.timing.medianNs / s.timing.medianNs : NAN);
        }
        ctx.ok = ctx.ok && delivered;
        const std::string t = std::to_string(threads) + "t";
        const std::string on = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
        const std::string k = "caller_" + key + "_";
        ctx.results.add(k + "qloki_median_ns_" + t, "QLoki " + key + " median, " + on, "ns",
                        qMedian);
        ctx.results.add(k + "qloki_p99_ns_" + t, "QLoki " + key + " p99, " + on, "ns", qP99,
                        headline && threads == 4 ? Target::below(5000) : Target {}, "%.0f");
        ctx.results.add(k + "spdlog_median_ns_" + t, "spdlog " + key + " median, " + on, "ns",
                        sMedian);
        ctx.results.add(k + "spdlog_p99_ns_" + t, "spdlog " + key + " p99, " + on, "ns", sP99, {},
                        "%.0f");
        ctx.results.add(k + "ratio_" + t, "ratio QLoki/spdlog " + key + ", " + on, "", ratio,
                        headline ? Target::atMost(1.0) : Target {}, "%.2f");
        std::printf("      %dt: QLoki median %s ns (runs %s), p99 %s, mean %s; spdlog median %s ns "
                    "(runs %s), p99 %s, mean %s; ratio %.2f (runs %s); all delivered: %s; "
                    "waited for room %.1f s\n",
                    threads, formatted("%.0f", median(qMedian)).c_str(),
                    runsText(qMedian, "%.0f").c_str(), formatted("%.0f", median(qP99)).c_str(),
                    formatted("%.0f", median(qMean)).c_str(),
                    formatted("%.0f", median(sMedian)).c_str(), runsText(sMedian, "%.0f").c_str(),
                    formatted("%.0f", median(sP99)).c_str(),
                    formatted("%.0f", median(sMean)).c_str(), median(ratio),
                    runsText(ratio, "%.2f").c_str(), delivered ? "yes" : "NO", waited);
        std::fflush(stdout);
    }
}

} // namespace

void runCallerCost(BenchContext &ctx)
{
    ctx.results.beginSection("caller");
    const LokiConfig config = benchConfig(ctx.receiver.baseUrl());
    if (!initGlobal(config))
        return;
    LokiLogger &global = *Loki::instance();
    std::printf("1. Caller cost: %d timed calls per thread after %d untimed ones, in rounds of "
                "half the buffer (500 calls with the default buffer of 1,000), each round "
                "started once the logger has that much room, so neither logger meets its "
                "overflow policy and each one's consumer runs while the callers call. QLoki: "
                "the default configuration, sender delivering to loki-receiver; spdlog %d.%d.%d "
                "async_logger, null sink, default queue (8,192) and policy (block); the calls "
                "as written in bench/qloki-bench/usercalls.cpp. Median of %d runs.\n",
                ctx.options.callsPerThread, ctx.options.warmupCalls, SPDLOG_VER_MAJOR,
                SPDLOG_VER_MINOR, SPDLOG_VER_PATCH, ctx.options.repeat);
    std::fflush(stdout);

    const auto spdlogFormatted = [](spdlog::logger &logger, int, int i) {
        usercalls::spdlogCall(logger, i);
    };
    measureRow(
            ctx, global, "readme",
            "the README's call with fresh arguments, Loki::info(\"user login ok\", "
            "{{\"label_component\", \"auth\"}, {\"label_action\", \"login\"}, {\"user_id\", i}, "
            "{\"amount\", 100.5}}); spdlog: logger.info(\"user login ok component={} action={} "
            "user_id={} amount={}\", \"auth\", \"login\", i, 100.5)",
            true, [](int, int i) { usercalls::readmeCall(i); }, spdlogFormatted);
    {
        // The member form on a logger of the application's own, the default logger idle.
        LokiLogger member;
        if (initLogger(member, config)) {
            measureRow(
                    ctx, member, "member",
                    "the same call in the member form, logger.info(\"user login ok\", {the "
                    "same four fields}) on a LokiLogger of the default configuration; spdlog as "
                    "above",
                    true, [&member](int, int i) { usercalls::readmeMemberCall(member, i); },
                    spdlogFormatted);
            member.shutdown();
        } else {
            ctx.ok = false;
        }
    }
    measureRow(
            ctx, global, "map",
            "the same four fields put in a QVariantMap by the call, then Loki::info(\"user "
            "login ok\", fields); spdlog as above",
            false, [](int, int i) { usercalls::mapPerCall(i); }, spdlogFormatted);
    const Corpus &corpus = ctx.corpus;
    measureRow(
            ctx, global, "reused",
            "a prebuilt ~95-byte line and field map (2 labels, 2 metadata) reused, "
            "Loki::info(line, fields); spdlog: logger.info(line), the same prebuilt line",
            false,
            [&corpus](int t, int i) {
                const int k = i * 7 + t * 131;
                Loki::info(corpus.line(k), corpus.fieldMap(k));
            },
            [&corpus](spdlog::logger &logger, int t, int i) {
                logger.info(corpus.utf8Lines[std::size_t((i * 7 + t * 131) % corpus.size())]);
            });
    Loki::shutdown();
}

} // namespace bench
