// SPDX-License-Identifier: MIT
#include "childprocess.h"
#include "receiverthread.h"

#include <QLoki/Loki>

#include <QtCore/QElapsedTimer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtTest/QtTest>

#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using QLoki::DropReason;
using QLoki::State;

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("tst"));
    c.setEnvironment(QStringLiteral("test"));
    c.setEndpoints({{QStringLiteral("loki"), url}});
    c.setMinBackoff(20ms);
    c.setMaxBackoff(200ms);
    c.setFlushInterval(100ms);
    c.setRequestTimeout(2s);
    return c;
}

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool invariantHolds(const LokiStats &s)
{
    return s.accepted() == s.delivered() + s.dropped() + s.pending();
}

} // namespace

class tst_LokiLogger : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void invalidConfigIsRefusedInWords()
    {
        LokiLogger logger;
        LokiConfig config; // no appName
        QVERIFY(!logger.init(config));
        QVERIFY(!logger.isInitialized());
        QVERIFY(logger.errorString().contains(QLatin1String("app")));
        logger.info(QStringLiteral("ignored"));
        QCOMPARE(logger.stats().accepted(), quint64(0));
    }

    void deliversLabelsMetadataAndTimestamps()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY2(logger.isInitialized(), qPrintable(logger.errorString()));
        const qint64 before = nowNs();
        logger.info(QStringLiteral("user login ok"),
                    {{QStringLiteral("label_user_id"), QStringLiteral("12345")},
                     {QStringLiteral("label_action"), QStringLiteral("login")}});
        logger.error(QStringLiteral("db connection failed"),
                     {{QStringLiteral("label_component"), QStringLiteral("database")},
                      {QStringLiteral("label_error_code"), QStringLiteral("DB001")}});
        logger.info(QStringLiteral("system info"),
                    {{QStringLiteral("labels"), QVariantMap{{QStringLiteral("service"), QStringLiteral("user-service")},
                                                            {QStringLiteral("version"), QStringLiteral("1.0.0")}}}});
        logger.info(QStringLiteral("payment"),
                    {{QStringLiteral("label_user_id"), QStringLiteral("12345")},
                     {QStringLiteral("operation_type"), QStringLiteral("payment")},
                     {QStringLiteral("amount"), 100.50},
                     {QStringLiteral("currency"), QStringLiteral("USD")}});
        QVERIFY(logger.flush(5s));
        const qint64 after = nowNs();

        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 4);
        QMap<QString, LokiReceiver::Entry> byLine;
        for (const auto &e : entries) {
            byLine.insert(e.line, e);
            QVERIFY(e.timestampNs >= before && e.timestampNs <= after);
            QCOMPARE(e.labels.value(QStringLiteral("app")), QStringLiteral("tst"));
            QCOMPARE(e.labels.value(QStringLiteral("environment")), QStringLiteral("test"));
        }
        const auto login = byLine.value(QStringLiteral("user login ok"));
        QCOMPARE(login.labels.value(QStringLiteral("level")), QStringLiteral("info"));
        QCOMPARE(login.labels.value(QStringLiteral("user_id")), QStringLiteral("12345"));
        QCOMPARE(login.labels.value(QStringLiteral("action")), QStringLiteral("login"));
        const auto db = byLine.value(QStringLiteral("db connection failed"));
        QCOMPARE(db.labels.value(QStringLiteral("level")), QStringLiteral("error"));
        QCOMPARE(db.labels.value(QStringLiteral("error_code")), QStringLiteral("DB001"));
        const auto sys = byLine.value(QStringLiteral("system info"));
        QCOMPARE(sys.labels.value(QStringLiteral("service")), QStringLiteral("user-service"));
        QCOMPARE(sys.labels.value(QStringLiteral("version")), QStringLiteral("1.0.0"));
        const auto pay = byLine.value(QStringLiteral("payment"));
        QCOMPARE(pay.labels.value(QStringLiteral("user_id")), QStringLiteral("12345"));
        QVERIFY(!pay.labels.contains(QStringLiteral("amount")));
        QCOMPARE(pay.structuredMetadata.value(QStringLiteral("amount")), QStringLiteral("100.5"));
        QCOMPARE(pay.structuredMetadata.value(QStringLiteral("currency")), QStringLiteral("USD"));
        QCOMPARE(pay.structuredMetadata.value(QStringLiteral("operation_type")), QStringLiteral("payment"));

        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(4));
        QCOMPARE(s.delivered(), quint64(4));
        QVERIFY(invariantHolds(s));
    }

    void identicalLinesSurviveDeduplication()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        for (int i = 0; i < 100; ++i)
            logger.info(QStringLiteral("same line"));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(100));
    }

    void batchesByEntryCount()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBatchMaxEntries(10);
        config.setFlushInterval(60s); // only the size threshold may push
        LokiLogger logger(config);
        QSignalSpy delivered(&logger, &LokiLogger::batchDelivered);
        for (int i = 0; i < 25; ++i)
            logger.info(QStringLiteral("e%1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), qint64(20), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 5000);
        QCOMPARE(delivered.at(0).at(0).toInt(), 10);
        QCOMPARE(delivered.at(1).at(0).toInt(), 10);
        QCOMPARE(logger.stats().pending(), quint64(5)); // waits for the interval or a flush
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(25));
    }

    void batchesByBytes()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBatchMaxBytes(4096);
        config.setFlushInterval(60s);
        LokiLogger logger(config);
        QSignalSpy delivered(&logger, &LokiLogger::batchDelivered);
        const QString line(1000, QLatin1Char('b'));
        for (int i = 0; i < 10; ++i)
            logger.info(line + QString::number(i));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(10));
        QTRY_VERIFY(delivered.size() >= 3); // signals arrive after flush() returned
        for (const auto &args : std::as_const(delivered))
            QVERIFY(args.at(0).toInt() <= 4);
    }

    void flushIntervalPushesWithoutFlush()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setFlushInterval(200ms);
        LokiLogger logger(config);
        QElapsedTimer clock;
        clock.start();
        logger.info(QStringLiteral("by the timer"));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.count(), qint64(1), 5000);
        QVERIFY(clock.elapsed() < 3000);
    }

    void retriesServerErrorsThenDelivers_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("500") << 500;
        QTest::newRow("503") << 503;
        QTest::newRow("502") << 502;
    }
    void retriesServerErrorsThenDelivers()
    {
        QFETCH(int, status);
        ReceiverThread receiver;
        receiver.with([status](LokiReceiver &r) { r.failNextPushes(2, status); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        QSignalSpy states(&logger, &LokiLogger::stateChanged);
        for (int i = 0; i < 5; ++i)
            logger.warning(QStringLiteral("retry me %1").arg(i));
        QVERIFY(logger.flush(10s));
        QCOMPARE(receiver.count(), qint64(5));
        QTRY_COMPARE(failed.size(), 2);
        QCOMPARE(failed.at(0).at(1).toInt(), status);
        QVERIFY(failed.at(0).at(3).toBool()); // will retry
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(5));
        QCOMPARE(s.retries(), quint64(2));
        QVERIFY(s.lastError().isEmpty());
        QTRY_VERIFY(states.size() >= 2);
        QCOMPARE(states.first().at(0).value<State>(), State::Retrying);
        QCOMPARE(states.last().at(0).value<State>(), State::Online);
    }

    // While one push is on the wire the next is prepared; when the first fails, both
    // batches go back and every entry arrives exactly once.
    void preparedBatchGoesBackWhenPushFails()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.failNextPushes(1, 503);
            return true;
        });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBatchMaxEntries(10);
        LokiLogger logger(config);
        for (int i = 0; i < 45; ++i)
            logger.info(QStringLiteral("p%1").arg(i));
        QVERIFY(logger.flush(10s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 45);
        QSet<QString> lines;
        for (const auto &e : entries)
            lines.insert(e.line);
        QCOMPARE(lines.size(), 45);
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(45));
        QVERIFY(s.retries() >= 1);
        QVERIFY(invariantHolds(s));
    }

    void retriesDroppedConnection()
    {
        ReceiverThread receiver;
        // QNetworkAccessManager resends once by itself when a kept-alive connection is
        // closed under a request, so drop enough connections for the logger to see it.
        receiver.with([](LokiReceiver &r) { r.dropNextConnections(3); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        logger.info(QStringLiteral("survives a dropped connection"));
        QVERIFY(logger.flush(10s));
        QCOMPARE(receiver.count(), qint64(1));
        QTRY_VERIFY(failed.size() >= 1);
        QCOMPARE(failed.at(0).at(1).toInt(), 0); // no HTTP status: a network error
        QVERIFY(failed.at(0).at(3).toBool());
    }

    void honoursRetryAfter()
    {
        ReceiverThread receiver;
        QList<qint64> answeredAt;
        receiver.with([](LokiReceiver &r) { r.failNextPushes(1, 429, 1); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxBackoff(5s);
        LokiLogger logger(config);
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        QSignalSpy delivered(&logger, &LokiLogger::batchDelivered);
        QElapsedTimer clock;
        clock.start();
        logger.info(QStringLiteral("rate limited"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 5000);
        const qint64 failedAt = clock.elapsed();
        QCOMPARE(failed.at(0).at(1).toInt(), 429);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 5000);
        // Time itself is under test: the retry must wait for the server's Retry-After.
        QVERIFY2(clock.elapsed() - failedAt >= 900,
                 qPrintable(QStringLiteral("retried after %1 ms").arg(clock.elapsed() - failedAt)));
        QCOMPARE(receiver.count(), qint64(1));
    }

    void badRequestIsDroppedWithItsReason()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            LokiReceiver::Limits limits;
            limits.setMaxLineSize(100);
            r.setLimits(limits);
            return true;
        });
        LokiLogger logger(configFor(receiver.pushUrl()));
        QSignalSpy dropped(&logger, &LokiLogger::entriesDropped);
        logger.info(QString(300, QLatin1Char('x')));
        QVERIFY(logger.flush(5s));
        QTRY_COMPARE(dropped.size(), 1);
        QCOMPARE(dropped.at(0).at(0).toInt(), 1);
        QCOMPARE(dropped.at(0).at(1).value<DropReason>(), DropReason::Rejected);
        QVERIFY2(dropped.at(0).at(2).toString().contains(QLatin1String("400")),
                 qPrintable(dropped.at(0).at(2).toString()));
        QVERIFY2(dropped.at(0).at(2).toString().contains(QLatin1String("max entry size"), Qt::CaseInsensitive),
                 qPrintable(dropped.at(0).at(2).toString()));
        const LokiStats s = logger.stats();
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(1));
        QCOMPARE(s.retries(), quint64(0));
        QVERIFY(invariantHolds(s));
    }

    void receiverDownAtStartThenUp()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxRetries(1);
        LokiLogger logger(config);
        QSignalSpy states(&logger, &LokiLogger::stateChanged);
        for (int i = 0; i < 50; ++i)
            logger.info(QStringLiteral("while down %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Offline, 15000);
        QCOMPARE(logger.stats().pending(), quint64(50));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(10s));
        QCOMPARE(receiver.count(), qint64(50));
        QCOMPARE(logger.state(), State::Online);
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(50));
        QCOMPARE(s.dropped(), quint64(0));
    }

    void longOutageKeepsExactlyBufferSize()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBufferSize(100);
        // No push may start during the burst (an entry on the wire is never the one
        // dropped): no timer tick, no version probe, and a backoff that outlasts the test
        // after the first push fails.
        config.setMinBackoff(60s);
        config.setMaxBackoff(60s);
        config.setFlushInterval(60s);
        config.setMetadataMode(QLoki::MetadataMode::Structured);
        LokiLogger logger(config);
        QSignalSpy stats(&logger, &LokiLogger::statsChanged);
        // Half the buffer is a batch: the first 50 are pushed, refused, and wait for a retry.
        for (int i = 0; i < 50; ++i)
            logger.info(QStringLiteral("outage %1").arg(i));
        QTRY_COMPARE(logger.state(), QLoki::State::Retrying);
        for (int i = 50; i < 1000; ++i)
            logger.info(QStringLiteral("outage %1").arg(i));
        LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(1000));
        QCOMPARE(s.pending(), quint64(100));
        QCOMPARE(s.dropped(DropReason::BufferFull), quint64(900));
        QVERIFY(invariantHolds(s));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(10s));
        QCOMPARE(receiver.count(), qint64(100));
        // The oldest were dropped: exactly the newest 100 arrived.
        QStringList kept;
        for (const auto &e : receiver.entries())
            kept.append(e.line);
        kept.sort();
        QStringList newest;
        for (int i = 900; i < 1000; ++i)
            newest.append(QStringLiteral("outage %1").arg(i));
        newest.sort();
        QCOMPARE(kept, newest);
        s = logger.stats();
        QCOMPARE(s.delivered(), quint64(100));
        QCOMPARE(s.dropped(), quint64(900));
        QCOMPARE(s.pending(), quint64(0));
        QTRY_VERIFY(!stats.isEmpty());
        for (const auto &args : std::as_const(stats))
            QVERIFY(invariantHolds(args.at(0).value<LokiStats>()));
    }

    void offlineBufferDisabledDropsAfterRetries()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setEnableOfflineBuffer(false);
        config.setMaxRetries(2);
        LokiLogger logger(config);
        QSignalSpy dropped(&logger, &LokiLogger::entriesDropped);
        for (int i = 0; i < 3; ++i)
            logger.info(QStringLiteral("lost %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, 5000);
        QCOMPARE(dropped.at(0).at(1).value<DropReason>(), DropReason::RetriesExhausted);
        const LokiStats s = logger.stats();
        QCOMPARE(s.dropped(DropReason::RetriesExhausted), quint64(3));
        QCOMPARE(s.retries(), quint64(2));
        QVERIFY(invariantHolds(s));
    }

    void eightThreadsExactCounts()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBufferSize(100000);
        LokiLogger logger(config);
        const int threads = 8, perThread = 10000;
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&logger, t] {
                const QVariantMap fields{{QStringLiteral("label_thread"), t}};
                for (int i = 0; i < perThread; ++i)
                    logger.info(QStringLiteral("thread %1 entry %2").arg(t).arg(i), fields);
            });
        }
        for (auto &w : workers)
            w.join();
        QVERIFY(logger.flush(60s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(threads * perThread));
        QCOMPARE(s.delivered(), quint64(threads * perThread));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(threads * perThread));
    }

    // While the application keeps logging, statsChanged() comes at most every 100 ms and
    // keeps coming (the sender ticks by itself then, and the calls post nothing); once the
    // calls stop, the last one carries every entry and the ticks stop too.
    void statsFollowContinuousLogging()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        // Nothing is pushed while the test logs: the calls are the only change to report.
        config.setBufferSize(100000);
        config.setBatchMaxEntries(100000);
        config.setFlushInterval(60s);
        QElapsedTimer clock;
        QList<qint64> at; // when each statsChanged() came, from the first call (outlives logger)
        LokiLogger logger(config);
        QSignalSpy stats(&logger, &LokiLogger::statsChanged);
        connect(&logger, &LokiLogger::statsChanged, this, [&] { at.append(clock.elapsed()); });
        const int ticks = 100, perTick = 10;
        int logged = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] {
            for (int i = 0; i < perTick; ++i)
                logger.info(QStringLiteral("steady %1").arg(logged++));
            if (logged == ticks * perTick)
                ticker.stop();
        });
        clock.start();
        ticker.start(10);
        QTRY_VERIFY_WITH_TIMEOUT(logged == ticks * perTick, 10000);
        const qint64 loggingMs = clock.elapsed();
        const auto lastAccepted = [&stats] {
            return stats.isEmpty() ? 0 : stats.last().at(0).value<LokiStats>().accepted();
        };
        QTRY_COMPARE_WITH_TIMEOUT(lastAccepted(), quint64(ticks * perTick), 2000);
        // At most one a tick of 100 ms (a coarse timer may fire 5% early), as the test's
        // thread receives them: each later than the one before by some milliseconds at most.
        QVERIFY2(at.size() <= clock.elapsed() / 95 + 1,
                 qPrintable(QStringLiteral("%1 in %2 ms").arg(at.size()).arg(clock.elapsed())));
        for (int i = 1; i < at.size(); ++i)
            QVERIFY2(at[i] - at[i - 1] >= 50,
                     qPrintable(QStringLiteral("%1 ms").arg(at[i] - at[i - 1])));
        int during = 0;
        for (qint64 t : std::as_const(at))
            during += t <= loggingMs ? 1 : 0;
        // About one a tick of 100 ms while the calls came; a stall of the ticks shows here.
        QVERIFY2(during >= int(loggingMs / 100) / 2,
                 qPrintable(QStringLiteral("%1 in %2 ms").arg(during).arg(loggingMs)));
        // Nothing changes any more: no statsChanged() comes.
        const qsizetype settled = stats.size();
        QVERIFY(!stats.wait(400));
        QCOMPARE(stats.size(), settled);
        QVERIFY(invariantHolds(logger.stats()));
    }

    void synchronousModeReturnsAfterDelivery()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setUseSendBeacon(false);
        config.setFlushInterval(60s);
        LokiLogger logger(config);
        for (int i = 1; i <= 3; ++i) {
            logger.info(QStringLiteral("sync %1").arg(i));
            // No flush, no wait: the call itself returned after delivery.
            QCOMPARE(receiver.count(), qint64(i));
        }
        QCOMPARE(logger.stats().delivered(), quint64(3));
    }

    void synchronousModeReturnsWhenRetriesFail()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setUseSendBeacon(false);
        config.setMaxRetries(1);
        config.setFlushInterval(60s);
        LokiLogger logger(config);
        QElapsedTimer clock;
        clock.start();
        logger.info(QStringLiteral("kept for later"));
        QVERIFY(clock.elapsed() < 5000);
        const LokiStats s = logger.stats();
        QCOMPARE(s.pending(), quint64(1)); // in the offline buffer, not lost
        QCOMPARE(s.retries(), quint64(1));
    }

    void flushGivesUpAtItsDeadline()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info(QStringLiteral("nowhere to go"));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(!logger.flush(300ms));
        QVERIFY(clock.elapsed() < 3000);
    }

    void shutdownCountsWhatIsLeft()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setShutdownTimeout(200ms);
        LokiLogger logger(config);
        for (int i = 0; i < 7; ++i)
            logger.info(QStringLiteral("left behind %1").arg(i));
        logger.shutdown();
        const LokiStats s = logger.stats();
        QCOMPARE(s.state(), State::Stopped);
        QCOMPARE(s.dropped(DropReason::Shutdown), quint64(7));
        QVERIFY(invariantHolds(s));
        logger.info(QStringLiteral("after shutdown"));
        QCOMPARE(logger.stats().accepted(), quint64(7));
    }

    void minimumLevelFilters()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMinimumLevel(QLoki::Level::Warning);
        LokiLogger logger(config);
        logger.debug(QStringLiteral("no"));
        logger.info(QStringLiteral("no"));
        logger.warning(QStringLiteral("yes"));
        logger.critical(QStringLiteral("yes"));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(2));
        QCOMPARE(logger.stats().accepted(), quint64(2));
    }

    void globalApi()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setAppName(QStringLiteral("global"));
        QVERIFY(Loki::init(config));
        Loki::debug(QStringLiteral("g debug"));
        Loki::info(QStringLiteral("g info"), {{QStringLiteral("label_k"), QStringLiteral("v")}});
        Loki::warning(QStringLiteral("g warning"));
        Loki::error(QStringLiteral("g error"));
        Loki::critical(QStringLiteral("g critical"));
        QVERIFY(Loki::flush(5s));
        QCOMPARE(receiver.count(), qint64(5));
        QCOMPARE(Loki::instance()->stats().delivered(), quint64(5));

        LokiLogger custom; // a custom instance beside the global one
        LokiConfig other = configFor(receiver.pushUrl());
        other.setAppName(QStringLiteral("custom-app"));
        other.setEnvironment(QStringLiteral("development"));
        QVERIFY(custom.init(other));
        custom.info(QStringLiteral("custom sdk test"), {{QStringLiteral("label_test_type"), QStringLiteral("custom_sdk")}});
        QVERIFY(custom.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 6);
        QCOMPARE(entries.last().labels.value(QStringLiteral("app")), QStringLiteral("custom-app"));
        QCOMPARE(entries.last().labels.value(QStringLiteral("test_type")), QStringLiteral("custom_sdk"));
        Loki::shutdown();
        QCOMPARE(Loki::instance()->state(), State::Stopped);
    }

    void initWithoutApplicationIsRefusedInWords()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        QProcess child;
        child.start(QStringLiteral(QLOKI_CHILD_LOGGER), {QStringLiteral("--no-app")});
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitCode(), 0);
        const QByteArray out = child.readAllStandardOutput();
        QVERIFY2(out.startsWith("NoApplicationError\n"), out.constData());
        QVERIFY2(out.contains("QCoreApplication"), out.constData());
    }

    void childProcessDeliversEverythingAtExit()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        ReceiverThread receiver;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QStringLiteral(QLOKI_CHILD_LOGGER),
                    {receiver.pushUrl().toString(), QStringLiteral("10000")});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        QCOMPARE(receiver.count(), qint64(10000));
    }

    // Exit while Loki is down, with the defaults: one deadline (shutdownTimeout, 5 s) for
    // the whole exit, whichever path ends the program; with a spool, what waits is settled
    // on disk at once and the next run delivers it.
    void exitWhileLokiIsDown_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("limitMs");
        // shutdownTimeout + 0.5 s, and the child's start and Qt's own exit beside it.
        QTest::newRow("return from main") << QStringLiteral("return") << 5500 + 1500;
        QTest::newRow("quit the event loop") << QStringLiteral("quit") << 5500 + 1500;
        QTest::newRow("with a spool") << QStringLiteral("spool") << 1000 + 1500;
    }
    void exitWhileLokiIsDown()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        QFETCH(QString, mode);
        QFETCH(int, limitMs);
        // A port nobody listens on: every try is refused at once.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const QString down = QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort());
        closed.close();
        QTemporaryDir spool;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QElapsedTimer clock;
        clock.start();
        child.start(QStringLiteral(QLOKI_EXIT_CHILD),
                    {mode, down, QStringLiteral("1000"), spool.path()});
        QVERIFY(child.waitForFinished(30000));
        const qint64 elapsed = clock.elapsed();
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        qInfo("exit (%s) took %lld ms", qPrintable(mode), elapsed);
        QVERIFY2(elapsed <= limitMs, QByteArray::number(elapsed));
        if (mode != QLatin1String("spool"))
            return;
        // Everything was on disk: the next run, with Loki up, delivers all of it.
        ReceiverThread receiver;
        QProcess next;
        next.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        next.start(QStringLiteral(QLOKI_EXIT_CHILD),
                   {mode, receiver.pushUrl().toString(), QStringLiteral("0"), spool.path()});
        QVERIFY(next.waitForFinished(30000));
        QCOMPARE(next.exitCode(), 0);
        QCOMPARE(receiver.count(), qint64(1000));
    }
};

QTEST_GUILESS_MAIN(tst_LokiLogger)
#include "tst_lokilogger.moc"
