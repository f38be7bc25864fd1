// SPDX-License-Identifier: MIT
// loki-send: ships lines to Grafana Loki the way logger(1) ships them to syslog.
#include "producers.h"
#include "sendoptions.h"
#include "statsjson.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <thread>

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

// Runs the event loop of the main thread until \a work, started on another thread,
// calls the function it is given.
template<typename Work>
void runWhile(Work work)
{
    QEventLoop loop;
    work([&loop] { QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection); });
    loop.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    std::ios::sync_with_stdio(false);
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
    runWhile([&](auto done) { producers.start(done); });
    producers.join();

    // Wait for delivery on a helper thread, never on a logging thread, and keep the event
    // loop running meanwhile so that problems are reported as they happen.
    qint64 elapsedNs = 0;
    std::thread waiter;
    runWhile([&](auto done) {
        waiter = std::thread([&, done] {
            logger.flush(options.timeout);
            elapsedNs = clock.nsecsElapsed();
            done();
        });
    });
    waiter.join();
    logger.shutdown();
    QCoreApplication::sendPostedEvents();

    const LokiStats stats = logger.stats();
    const bool allDelivered = stats.delivered() == stats.accepted();
    if (options.statsJson) {
        SendTiming timing;
        timing.elapsedSeconds = double(elapsedNs) / 1e9;
        timing.callerNsPerCall = producers.meanCallNs();
        const QByteArray json = statsToJson(stats, timing);
        std::fwrite(json.constData(), 1, size_t(json.size()), stdout);
        std::fflush(stdout);
    }
    if (!allDelivered && !options.quiet) {
        diagnose(u"%1 of %2 entries delivered; dropped: %3"_s.arg(stats.delivered())
                     .arg(stats.accepted())
                     .arg(dropSummary(stats)));
    }
    return allDelivered ? 0 : 1;
}
