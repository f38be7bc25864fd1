// SPDX-License-Identifier: MIT
// Scenario "idle": the process's CPU while an application's event loop logs 1,000 entries/s
// and handles the logger's signals, then the wake-ups of its threads once nothing is logged.
#include "benchsystem.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QTimer>

#include <cstdio>
#include <map>
#include <thread>

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

struct IdleWindow
{
    double seconds = 0;
    std::int64_t wakeups = 0;
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
        const std::vector<ThreadSwitches> before = threadSwitches();
        const double cpu0 = processCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        const auto t1 = std::chrono::steady_clock::now();
        const double cpu1 = processCpuSeconds();
        const std::vector<ThreadSwitches> after = threadSwitches();
        w.seconds = std::chrono::duration<double>(t1 - t0).count();
        w.cpuPercent = 100.0 * (cpu1 - cpu0) / w.seconds;
        // Per thread name: voluntary (the thread slept and was woken) and non-voluntary
        // (it was preempted) switches.
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> byName;
        for (const ThreadSwitches &a : after) {
            if (a.tid == self)
                continue;
            ++w.threads;
            ThreadSwitches was;
            for (const ThreadSwitches &b : before) {
                if (b.tid == a.tid)
                    was = b;
            }
            byName[a.name].first += a.voluntary - was.voluntary;
            byName[a.name].second += a.nonvoluntary - was.nonvoluntary;
            w.wakeups += a.total() - was.total();
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

} // namespace

void runIdleCpu(BenchContext &ctx)
{
    ctx.results.beginSection("idle");
    const LokiConfig config = benchConfig(ctx.receiver.baseUrl());
    if (!initGlobal(config))
        return;
    LokiLogger *logger = Loki::instance();
    // The application's side: slots for the signals a status display connects to.
    QObject application;
    int statsSignals = 0;
    int batchSignals = 0;
    QObject::connect(logger, &LokiLogger::statsChanged, &application,
                     [&](const LokiStats &) { ++statsSignals; });
    QObject::connect(logger, &LokiLogger::batchDelivered, &application,
                     [&](int, qint64, int, qint64) { ++batchSignals; });

    const double seconds = ctx.options.pacedSeconds;
    int logged = 0;
    const double pacing = pacedLoop(seconds, false, &logged);
    const quint64 delivered0 = logger->stats().delivered();
    const quint64 dropped0 = logger->stats().dropped();
    const double gross = pacedLoop(seconds, true, &logged);
    // A partial batch at the end, so that the last entries wait for the flush timer, which
    // must stop once they left.
    for (int j = 0; j < 7; ++j)
        usercalls::readmeCall(logged++);

    // Nothing more is logged; the last entries leave at the next flush (at most 5 s). The
    // idle window starts once the application was told: a statsChanged with nothing pending.
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
        guard.start(3 * config.flushInterval());
        loop.exec();
    }
    const double deliveredAfter =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
    const quint64 delivered = logger->stats().delivered() - delivered0;
    const bool allDelivered = delivered == quint64(logged) && logger->stats().dropped() == dropped0;
    ctx.ok = ctx.ok && allDelivered;

    const int intervals = ctx.options.idleShort ? 1 : 3;
    const double idleSeconds =
            intervals * std::chrono::duration<double>(config.flushInterval()).count();
    const IdleWindow idle = idleWindow(idleSeconds);
    Loki::shutdown();

    Results &r = ctx.results;
    r.add("cpu_percent_at_1000_eps", "CPU at 1,000 entries/s, gross (process CPU / wall)",
          "% of a core", {gross}, Target::below(1.0), "%.2f");
    r.add("cpu_percent_pacing_only", "  the application's 10 ms QTimer alone", "% of a core",
          {pacing}, {}, "%.2f");
    r.add("cpu_percent_at_1000_eps_net", "  net: gross less the timer alone", "% of a core",
          {gross - pacing}, {}, "%.2f");
    r.add("idle_wakeups",
          "idle wake-ups of the process's threads in " + std::to_string(intervals)
                  + " flush intervals",
          "", {double(idle.wakeups)}, intervals >= 3 ? Target::atMost(0) : Target {}, "%.0f");
    r.add("idle_window_s", "idle window", "s", {idle.seconds}, {}, "%.1f");
    r.add("idle_cpu_percent", "idle CPU", "% of a core", {idle.cpuPercent}, {}, "%.3f");
    std::printf("6. CPU at 1,000 entries/s: the README's call from a QTimer every %d ms (%d "
                "entries a tick) in the event loop, which also handles statsChanged (%d) and "
                "batchDelivered (%d); default configuration; %.0f s: %.2f%% of a core (the "
                "timer alone: %.2f%%); 7 more entries, then nothing: delivered %llu of %d%s; "
                "statsChanged reported nothing pending %.1f s after the last call\n",
                TickMs, EntriesPerTick, statsSignals, batchSignals, seconds, gross, pacing,
                static_cast<unsigned long long>(delivered), logged,
                allDelivered ? "" : " (MISMATCH)", deliveredAfter);
    std::printf("6. Idle %.1f s (%d flush intervals) from that signal, event loop running: "
                "%lld context switches over %d threads (voluntary+preempted by name: %s), CPU "
                "%.3f%%\n",
                idle.seconds, intervals, static_cast<long long>(idle.wakeups), idle.threads,
                idle.byThread.c_str(), idle.cpuPercent);
    std::fflush(stdout);
}

} // namespace bench
