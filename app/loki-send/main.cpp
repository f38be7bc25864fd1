// SPDX-License-Identifier: MIT
// loki-send: ships lines to Grafana Loki the way logger(1) ships them to syslog.
#include "interruptwatcher.h"
#include "producers.h"
#include "sendoptions.h"
#include "statsjson.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;

namespace {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void diagnose(const QString &line)
{
    writeTo(stderr, u"loki-send: "_s + line + u'\n');
}

QString dropSummary(const LokiStats &stats)
{
    QStringList parts;
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = static_cast<QLoki::DropReason>(r);
        if (stats.dropped(reason) > 0)
            parts << u"%1 %2"_s.arg(stats.dropped(reason)).arg(QLoki::dropReasonName(reason));
    }
    return parts.join(u", "_s);
}

// Reports delivery problems on stderr as they happen (the signals arrive through the
// event loop of the main thread).
void connectDiagnostics(LokiLogger *logger)
{
    auto troubled = std::make_shared<bool>(false);
    QObject::connect(logger, &LokiLogger::stateChanged, logger, [logger, troubled](QLoki::State s) {
        switch (s) {
        case QLoki::State::Retrying:
        case QLoki::State::Offline:
            *troubled = true;
            diagnose(u"%1: %2"_s.arg(QLoki::stateName(s), logger->stats().lastError()));
            break;
        case QLoki::State::Online:
            if (*troubled)
                diagnose(u"Online again"_s);
            *troubled = false;
            break;
        case QLoki::State::Stopped:
            break;
        }
    });
    QObject::connect(logger, &LokiLogger::entriesDropped, logger,
                     [](int count, QLoki::DropReason reason, const QString &detail) {
                         diagnose(u"dropped %1 entries (%2): %3"_s.arg(count).arg(
                             QLoki::dropReasonName(reason), detail));
                     });
}

// Runs the event loop of the main thread until \a done() holds; another thread that
// changes what it reads calls wake().
template<typename Done>
void runUntil(Done done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
}

void wake()
{
    QMetaObject::invokeMethod(
            QCoreApplication::instance(), [] {}, Qt::QueuedConnection);
}

QString signalName(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT:
        return u"SIGINT"_s;
    case SIGTERM:
        return u"SIGTERM"_s;
    }
    return u"signal %1"_s.arg(signalNumber);
}

} // namespace

int main(int argc, char *argv[])
{
#if defined(__GLIBC__)
    // One malloc arena for every thread. A line is allocated by the thread that reads it
    // and, once resolved, held in its compact form allocated by the sender thread; with an
    // arena per thread each pool grew to the whole byte bound of its own form and kept the
    // pages when they were freed, so that 1,000 lines of 1 MB during an outage grew the
    // peak RSS by about twice bufferMaxBytes. In one arena the two forms reuse the same
    // free memory. (Small allocations still go through each thread's cache.)
    mallopt(M_ARENA_MAX, 1);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"loki-send"_s);
    QCoreApplication::setApplicationVersion(QLatin1String(LOKI_SEND_VERSION));

    SendOptions options;
    QString output;
    QString error;
    switch (parseSendOptions(QCoreApplication::arguments(), &options, &output, &error)) {
    case ParseOutcome::ExitSuccess:
        writeTo(stdout, output);
        return 0;
    case ParseOutcome::UsageError:
        for (const QString &line : error.split(u'\n'))
            diagnose(line);
        writeTo(stderr, u"Try 'loki-send --help' for more information.\n"_s);
        return 2;
    case ParseOutcome::Run:
        break;
    }

    // --timeout bounds the wait for delivery; shutdown() then only grants pushes still in
    // flight a short grace.
    options.config.setShutdownTimeout(
        std::min<std::chrono::milliseconds>(options.timeout, std::chrono::seconds(1)));

    // Watched before anything is logged: from here on Ctrl-C delivers what was read.
    InterruptWatcher interrupts;
    if (!interrupts.isWatching() && !options.quiet)
        diagnose(u"SIGINT and SIGTERM end loki-send at once: %1"_s.arg(interrupts.errorString()));

    LokiLogger logger;
    if (!logger.init(options.config)) {
        for (const QString &line : logger.errorString().split(u'\n'))
            diagnose(line);
        return 2;
    }
    if (!options.quiet)
        connectDiagnostics(&logger);

    QElapsedTimer clock;
    clock.start();
    Producers producers(&logger, options);
    std::atomic<bool> inputDone {false};
    QObject::connect(&interrupts, &InterruptWatcher::interrupted, &interrupts,
                     [&](int signalNumber) {
                         if (!options.quiet && !inputDone) {
                             diagnose(u"%1: delivering what was read (at most %2 s; "
                                      "again to quit at once)"_s.arg(signalName(signalNumber))
                                              .arg(double(options.timeout.count()) / 1000.0));
                         }
                         producers.requestStop();
                     });
    producers.start([&inputDone] {
        inputDone = true;
        wake();
    });
    // Until the input ends, or a signal ends it early.
    runUntil([&] { return inputDone || interrupts.received() != 0; });
    // One deadline for what is left, from the end of input or the interruption.
    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    const auto left = [&deadline] {
        return std::max(std::chrono::milliseconds(0),
                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                deadline - std::chrono::steady_clock::now()));
    };

    // Wait for delivery on a helper thread, never on a logging thread, and keep the event
    // loop running meanwhile so that problems are reported as they happen. After an
    // interruption the producers may still be sending what a pipe held, or wait for room
    // (overflow "block"): they share the deadline.
    qint64 elapsedNs = 0;
    std::atomic<bool> delivered {false};
    std::thread waiter([&] {
        producers.waitFor(left());
        logger.flush(left());
        elapsedNs = clock.nsecsElapsed();
        delivered = true;
        wake();
    });
    runUntil([&] { return delivered.load(); });
    waiter.join();
    // Stopping the logger also releases a producer still waiting for room.
    logger.shutdown();
    producers.join();
    QCoreApplication::sendPostedEvents();

    const LokiStats stats = logger.stats();
    const bool allDelivered = stats.delivered() == stats.accepted();
    const QString readError = producers.readError();
    if (options.statsJson) {
        SendReport report;
        report.elapsedSeconds = double(elapsedNs) / 1e9;
        report.callerNsPerCall = producers.meanCallNs();
        report.linesCut = producers.linesCut();
        report.bytesCut = producers.bytesCut();
        if (interrupts.received() != 0)
            report.interruptedBy = signalName(interrupts.received());
        report.readError = readError;
        const QByteArray json = statsToJson(stats, report);
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fflush(stdout);
    }
    if (!options.quiet) {
        if (!readError.isEmpty())
            diagnose(u"cannot read standard input: %1"_s.arg(readError));
        if (producers.linesCut() > 0) {
            const bool one = producers.linesCut() == 1;
            diagnose(u"%1 %2 longer than %3 bytes %4 cut (%5 bytes not sent)"_s
                             .arg(producers.linesCut())
                             .arg(one ? u"line"_s : u"lines"_s)
                             .arg(options.config.maxLineBytes())
                             .arg(one ? u"was"_s : u"were"_s)
                             .arg(producers.bytesCut()));
        }
        if (!allDelivered) {
            diagnose(u"%1 of %2 entries delivered; dropped: %3"_s.arg(stats.delivered())
                             .arg(stats.accepted())
                             .arg(dropSummary(stats)));
        }
    }
    std::fflush(stderr);
    interrupts.endBySignal();
    return allDelivered && readError.isEmpty() ? 0 : 1;
}
