// SPDX-License-Identifier: MIT
// Scenario "idle": the process's CPU while an application's event loop logs 1,000 entries/s
// and handles the logger's signals, then the wake-ups of its threads once nothing is logged,
// over three flush intervals: the flush timer runs only while something waits, so a sender
// with nothing pending is never woken.
#include "benchsystem.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QTimer>

#include <cmath>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace bench {

namespace {

constexpr int TickMs = 10;
constexpr int EntriesPerTick = 10; // 1,000 entries/s

/*!
    Runs the event loop for \a seconds with a QTimer that fires every 10 ms and, when
    \a logging, logs the entries due at 1,000 a second (10 a tick) with the README's call; returns
   the process's CPU time over the wall time, in percent of one core, and counts the entries in \a
   logged.
*/
double pacedLoop(double seconds, bool logging, int *logged)
{
    QEventLoop loop;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(TickMs);
    // Each tick logs the entries due since the start, so that a late tick does not lower
    // the rate.
    const int first = *logged;
    std::chrono::steady_clock::time_point t0;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const int due = first + int(elapsed * 1000.0 * EntriesPerTick / TickMs);
        while (logging && *logged < due)
            usercalls::readmeCall((*logged)++);
    });
    QTimer end;
    end.setTimerType(Qt::PreciseTimer);
    end.setSingleShot(true);
    QObject::connect(&end, &QTimer::timeout, &loop, &QEventLoop::quit);
    const double cpu0 = processCpuSeconds();
    t0 = std::chrono::steady_clock::now();
    tick.start();
    end.start(int(seconds * 1000));
    loop.exec();
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = processCpuSeconds();
    return 100.0 * (cpu1 - cpu0) / std::chrono::duration<double>(t1 - t0).count();
}

//! The sender thread's context switches so far, or -1 when no thread has its name.
std::int64_t senderSwitches()
{
    std::int64_t total = -1;
    for (const ThreadSample &t : threadSamples()) {
        if (t.name == SenderThreadName)
            total = qMax<std::int64_t>(0, total) + t.total();
    }
    return total;
}

struct IdleWindow
{
    double seconds = 0;
    std::int64_t wakeups = 0; //!< every thread of the process but the measuring one
    std::int64_t senderWakeups = -1; //!< the sender thread's; -1 when no thread had its name
    double cpuPercent = 0;
    std::string byThread;
    int threads = 0;
};

/*!
    The event loop runs while a thread of the bench's own reads the context switches of
    every other thread of the process (the main thread's event loop included) 200 ms after
    the loop started and \a seconds later, and only then ends the loop.
*/
IdleWindow idleWindow(double seconds)
{
    IdleWindow w;
    QEventLoop loop;
    std::thread measure([&] {
        const int self = currentThreadId();
        // The window opens once every thread is back to waiting (the main thread entering
        // its loop, the sender after emitting the signal that opened it).
        std::this_thread::sleep_for(200ms);
        const std::vector<ThreadSample> before = threadSamples();
        const double cpu0 = processCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        const auto t1 = std::chrono::steady_clock::now();
        const double cpu1 = processCpuSeconds();
        const std::vector<ThreadSample> after = threadSamples();
        w.seconds = std::chrono::duration<double>(t1 - t0).count();
        w.cpuPercent = 100.0 * (cpu1 - cpu0) / w.seconds;
        // Per thread name: voluntary (the thread slept and was woken) and non-voluntary
        // (it was preempted) switches.
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> byName;
        for (const ThreadSample &a : after) {
            if (a.tid == self)
                continue;
            ++w.threads;
            const ThreadSample was = sampleOf(before, a.tid);
            byName[a.name].first += a.voluntary - was.voluntary;
            byName[a.name].second += a.nonvoluntary - was.nonvoluntary;
            w.wakeups += a.total() - was.total();
            if (a.name == SenderThreadName)
                w.senderWakeups = qMax<std::int64_t>(0, w.senderWakeups) + a.total() - was.total();
        }
        for (const auto &[name, count] : byName) {
            w.byThread += (w.byThread.empty() ? "" : ", ") + name + " "
                    + std::to_string(count.first) + "+" + std::to_string(count.second);
        }
        QMetaObject::invokeMethod(
                &loop, [&loop] { loop.quit(); }, Qt::QueuedConnection);
    });
    loop.exec();
    measure.join();
    return w;
}

struct IdleRun
{
    double gross = 0;
    double flushedAfter = 0; //!< seconds from the last call until nothing was pending
    std::int64_t senderWakeupsLogging = -1; //!< the sender's while 1,000 entries/s came
    IdleWindow idle;
    bool delivered = false;
};

/*!
    One run: 1,000 entries/s for ctx.options.pacedSeconds (the gross CPU), then 7 more
    entries, a partial batch that waits for the flush timer, then nothing; once statsChanged
    tells the application nothing is pending, three flush intervals of idle. \a logged counts
    the entries over the runs.
*/
IdleRun idleRun(BenchContext &ctx, LokiLogger *logger, int *logged)
{
    IdleRun run;
    const std::chrono::milliseconds flushInterval = logger->config().flushInterval();
    const int first = *logged;
    const quint64 delivered0 = logger->stats().delivered();
    const quint64 dropped0 = logger->stats().dropped();
    const std::int64_t switches0 = senderSwitches();
    run.gross = pacedLoop(ctx.options.pacedSeconds, true, logged);
    const std::int64_t switches1 = senderSwitches();
    if (switches0 >= 0 && switches1 >= 0)
        run.senderWakeupsLogging = switches1 - switches0;
    for (int j = 0; j < 7; ++j)
        usercalls::readmeCall((*logged)++);

    const auto stopped = std::chrono::steady_clock::now();
    if (logger->stats().pending() > 0) {
        QEventLoop loop;
        QObject::connect(logger, &LokiLogger::statsChanged, &loop, [&](const LokiStats &s) {
            if (s.pending() == 0)
                loop.quit();
        });
        // A timer that ends with the scope: a QTimer::singleShot() would outlive the loop
        // and fire inside the idle window.
        QTimer guard;
        guard.setSingleShot(true);
        QObject::connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(3 * flushInterval);
        loop.exec();
    }
    run.flushedAfter =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
    const LokiStats s = logger->stats();
    run.delivered = s.pending() == 0 && s.delivered() - delivered0 == quint64(*logged - first)
            && s.dropped() == dropped0;
    run.idle = idleWindow(3 * std::chrono::duration<double>(flushInterval).count());
    return run;
}

} // namespace

void runIdleCpu(BenchContext &ctx)
{
    ctx.results.beginSection("idle");
    if (!initGlobal(benchConfig(ctx.receiver.baseUrl())))
        return;
    LokiLogger *logger = Loki::instance();
    const double flushSeconds =
            std::chrono::duration<double>(logger->config().flushInterval()).count();
    // The application's side: slots for the signals a status display connects to.
    QObject application;
    int statsSignals = 0;
    int batchSignals = 0;
    QObject::connect(logger, &LokiLogger::statsChanged, &application,
                     [&](const LokiStats &) { ++statsSignals; });
    QObject::connect(logger, &LokiLogger::batchDelivered, &application,
                     [&](int, qint64, int, qint64) { ++batchSignals; });

    int logged = 0;
    const double pacing = pacedLoop(ctx.options.pacedSeconds, false, &logged);
    std::printf("6. CPU at 1,000 entries/s and idle: the README's call from a QTimer every %d ms "
                "(%d entries a tick) in the event loop, which also handles statsChanged and "
                "batchDelivered; default configuration (flush interval %.0f s); the timer alone "
                "for %.0f s: %.2f%% of a core\n",
                TickMs, EntriesPerTick, flushSeconds, ctx.options.pacedSeconds, pacing);
    std::fflush(stdout);
    std::vector<double> gross, net, flushedAfter, wakeups, senderWakeups, senderLogging, idleCpu;
    bool delivered = true;
    for (int i = 0; i < ctx.options.repeat; ++i) {
        const IdleRun run = idleRun(ctx, logger, &logged);
        delivered = delivered && run.delivered;
        gross.push_back(run.gross);
        net.push_back(run.gross - pacing);
        flushedAfter.push_back(run.flushedAfter);
        senderLogging.push_back(run.senderWakeupsLogging < 0 ? NAN
                                                             : double(run.senderWakeupsLogging));
        wakeups.push_back(double(run.idle.wakeups));
        senderWakeups.push_back(run.idle.senderWakeups < 0 ? NAN : double(run.idle.senderWakeups));
        idleCpu.push_back(run.idle.cpuPercent);
        std::printf("   run %d: %.0f s at 1,000 entries/s: %.2f%% of a core, %lld context "
                    "switches of the sender; 7 more entries, "
                    "then nothing: nothing pending %.1f s after the last call%s; idle %.1f s "
                    "from then: %lld context switches over %d threads (voluntary+preempted by "
                    "name: %s), the sender's: %lld; CPU %.3f%%\n",
                    i + 1, ctx.options.pacedSeconds, run.gross,
                    static_cast<long long>(run.senderWakeupsLogging), run.flushedAfter,
                    run.delivered ? "" : " (NOT ALL DELIVERED)", run.idle.seconds,
                    static_cast<long long>(run.idle.wakeups), run.idle.threads,
                    run.idle.byThread.c_str(), static_cast<long long>(run.idle.senderWakeups),
                    run.idle.cpuPercent);
        std::fflush(stdout);
    }
    Loki::shutdown();
    if (senderWakeups.empty() || !std::isfinite(senderWakeups.front()))
        std::printf("   no thread named %s: the sender's wake-ups are not known\n",
                    SenderThreadName);
    std::printf("   statsChanged handled %d times, batchDelivered %d times; %d entries logged, "
                "all delivered: %s\n",
                statsSignals, batchSignals, logged, delivered ? "yes" : "NO");
    std::fflush(stdout);
    ctx.ok = ctx.ok && delivered;

    Results &r = ctx.results;
    r.add("cpu_percent_at_1000_eps",
          "CPU at 1,000 entries/s, gross (the event loop handling the signals)", "% of a core",
          gross, Target::below(1.0), "%.2f");
    r.add("cpu_percent_pacing_only", "  the application's 10 ms QTimer alone", "% of a core",
          {pacing}, {}, "%.2f");
    r.add("cpu_percent_at_1000_eps_net", "  net: gross less the timer alone", "% of a core", net,
          {}, "%.2f");
    r.add("idle_flush_after_s", "last partial batch delivered after (the flush timer)", "s",
          flushedAfter, {}, "%.1f");
    r.add("sender_wakeups_at_1000_eps", "sender thread wake-ups at 1,000 entries/s", "",
          senderLogging, {}, "%.0f");
    r.add("idle_sender_wakeups", "idle wake-ups in 3 flush intervals, the sender thread", "",
          senderWakeups, Target::atMost(0), "%.0f");
    r.add("idle_wakeups", "idle wake-ups in 3 flush intervals, all threads", "", wakeups,
          Target::atMost(0), "%.0f");
    r.add("idle_cpu_percent", "idle CPU", "% of a core", idleCpu, {}, "%.3f");
}

} // namespace bench
