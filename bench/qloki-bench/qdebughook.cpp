// SPDX-License-Identifier: MIT
// Scenario "qdebug": what qDebug() costs with LokiLogger::installMessageHandler() against a
// handler that discards, in the caller scenario's rounds.
#include "calltiming.h"
#include "scenario.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>
#include <QtCore/QLoggingCategory>

#include <cstdio>

using namespace std::chrono_literals;

namespace bench {

namespace {

void discardMessage(QtMsgType, const QMessageLogContext &, const QString &) { }

} // namespace

void runQDebugHook(BenchContext &ctx)
{
    ctx.results.beginSection("qdebug");
    const Options &o = ctx.options;
    const Corpus &corpus = ctx.corpus;
    // Debug output may be switched off by the system's logging rules; it is what is timed.
    QLoggingCategory::setFilterRules(QStringLiteral("default.debug=true"));
    const QtMessageHandler before = qInstallMessageHandler(discardMessage);
    const auto call = [&corpus](int, int i) {
        qDebug("%s", corpus.utf8Lines[std::size_t(i % corpus.size())].c_str());
    };
    // The batch (calls per sample) follows from a pilot of the faster of the two.
    CallPlan pilot;
    pilot.timedCalls = 2000;
    pilot.warmupCalls = 500;
    CallPlan plan;
    plan.timedCalls = o.callsPerThread;
    plan.warmupCalls = o.warmupCalls;
    plan.batch = batchFor(ctx.clock,
                          timeCallsInRounds(ctx.clock, pilot, call, [] { return true; }).medianNs);

    std::vector<double> discardMedian, hookMedian, hookP99, ratio;
    bool delivered = true;
    for (int run = 0; run < o.repeat; ++run) {
        const CallTiming discard = timeCallsInRounds(ctx.clock, plan, call, [] { return true; });
        LokiLogger logger;
        if (!initLogger(logger, benchConfig(ctx.receiver.baseUrl()))
            || !logger.installMessageHandler(QLoki::Level::Debug)) {
            break;
        }
        const quint64 half = quint64(qMax(1, logger.config().bufferSize() / 2));
        plan.roundCalls = int(half);
        const CallTiming hook = timeCallsInRounds(ctx.clock, plan, call, [&] {
            return waitUntil([&] { return logger.stats().pending() < half; }, 60s);
        });
        logger.uninstallMessageHandler();
        const bool flushed = logger.flush(60s);
        const LokiStats s = logger.stats();
        delivered = delivered && hook.ok && flushed && s.dropped() == 0
                && s.delivered() == s.accepted();
        discardMedian.push_back(discard.medianNs);
        hookMedian.push_back(hook.medianNs);
        hookP99.push_back(hook.p99Ns);
        ratio.push_back(discard.medianNs > 0 ? hook.medianNs / discard.medianNs : NAN);
        logger.shutdown();
        QCoreApplication::processEvents();
    }
    qInstallMessageHandler(before);
    ctx.ok = ctx.ok && delivered;

    ctx.results.add("qdebug_discard_median_ns", "qDebug(), a handler that discards, median", "ns",
                    discardMedian);
    ctx.results.add("qdebug_hook_median_ns", "qDebug() through QLoki's hook, median", "ns",
                    hookMedian);
    ctx.results.add("qdebug_hook_p99_ns", "qDebug() through QLoki's hook, p99", "ns", hookP99, {},
                    "%.0f");
    ctx.results.add("qdebug_hook_ratio", "ratio hook/discarding handler", "", ratio, {}, "%.2f");
    std::printf("2. qDebug(\"%%s\", line), 1 thread, %d timed calls in samples of %d: "
                "discarding handler median %.0f ns; with installMessageHandler() (chaining to "
                "the discarding one, default configuration) median %.0f ns, p99 %.0f ns; all "
                "delivered: %s\n",
                o.callsPerThread, plan.batch, median(discardMedian), median(hookMedian),
                median(hookP99), delivered ? "yes" : "NO");
    std::fflush(stdout);
}

} // namespace bench
