// SPDX-License-Identifier: MIT
// The fault matrix: each scenario breaks something on purpose and asserts exact counts,
// on the client (LokiStats) and on the server (what the receiver stored).
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using QLoki::DropReason;
using QLoki::State;

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.appName = QStringLiteral("faults");
    c.endpoints = {{QStringLiteral("loki"), url}};
    c.minBackoff = 20ms;
    c.maxBackoff = 200ms;
    c.flushInterval = 100ms;
    c.metadataMode = QLoki::MetadataMode::Structured;
    return c;
}

bool invariantHolds(const LokiStats &s)
{
    return s.accepted == s.delivered + s.dropped() + s.pending;
}

} // namespace

class tst_FaultMatrix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The unresolvable host must fail within seconds even where the resolver is slow.
        qputenv("RES_OPTIONS", "timeout:1 attempts:1");
    }

    void responsesSlowerThanTheTimeout()
    {
        ReceiverThread receiver;
        // Loki stores the push at once but answers after the client gave up.
        receiver.with([](LokiReceiver &r) { r.setResponseDelay(1500ms); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.requestTimeout = 300ms;
        LokiLogger logger(config);
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        for (int i = 0; i < 20; ++i)
            logger.info(QStringLiteral("slow %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 1, 5000);
        QCOMPARE(failed.first().at(1).toInt(), 0); // a timeout, not an HTTP answer
        receiver.with([](LokiReceiver &r) { r.setResponseDelay(0ms); return true; });
        QVERIFY(logger.flush(15s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered, quint64(20));
        QCOMPARE(s.dropped(), quint64(0));
        // The re-sent entries kept their timestamps: Loki's deduplication made them one.
        QCOMPARE(receiver.count(), qint64(20));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.stats().duplicatesIgnored(); }) >= 20);
    }

    void downForFiveSecondsMidStream()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        for (int i = 0; i < 100; ++i)
            logger.info(QStringLiteral("before %1").arg(i));
        QVERIFY(logger.flush(5s));
        receiver.with([](LokiReceiver &r) { r.goDown(5s); return true; });
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 200; ++i)
            logger.info(QStringLiteral("during %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(logger.state() != State::Online, 5000);
        QVERIFY(logger.flush(30s));
        QVERIFY(clock.elapsed() >= 4500); // nothing could arrive while it was down
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered, quint64(300));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(300));
        QCOMPARE(logger.state(), State::Online);
    }

    void oneBatchRefusedTheRestDelivered()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.batchMaxEntries = 10;
        config.flushInterval = 60s;
        LokiLogger logger(config);
        for (int i = 0; i < 20; ++i)
            logger.info(QStringLiteral("first %1").arg(i));
        QVERIFY(logger.flush(5s));
        receiver.with([](LokiReceiver &r) { r.failNextPushes(1, 400); return true; });
        for (int i = 0; i < 10; ++i)
            logger.info(QStringLiteral("refused %1").arg(i));
        QVERIFY(logger.flush(5s));
        for (int i = 0; i < 20; ++i)
            logger.info(QStringLiteral("after %1").arg(i));
        QVERIFY(logger.flush(5s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted, quint64(50));
        QCOMPARE(s.delivered, quint64(40));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(10));
        QCOMPARE(s.retries, quint64(0)); // a 400 is never retried
        QCOMPARE(receiver.count(), qint64(40));
        QVERIFY(invariantHolds(s));
    }

    void eightThreadsWhileOnePushInFiveFails()
    {
        ReceiverThread receiver;
        // After every fourth answered push, the next one fails with 503.
        receiver.with([](LokiReceiver &r) {
            auto answered = std::make_shared<int>(0);
            QObject::connect(&r, &LokiReceiver::pushHandled, &r, [&r, answered](int status) {
                if (status == 204 && ++*answered % 4 == 0)
                    r.failNextPushes(1, 503);
            });
            return true;
        });
        LokiConfig config = configFor(receiver.pushUrl());
        config.bufferSize = 20000;
        config.overflowPolicy = QLoki::OverflowPolicy::Block; // exact counts: nothing dropped
        LokiLogger logger(config);
        const int threads = 8, perThread = 50000;
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&logger, t] {
                const QVariantMap fields{{QStringLiteral("label_thread"), t}};
                for (int i = 0; i < perThread; ++i)
                    logger.info(QStringLiteral("t%1 e%2").arg(t).arg(i), fields);
            });
        }
        for (auto &w : workers)
            w.join();
        QVERIFY(logger.flush(120s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted, quint64(threads * perThread));
        QCOMPARE(s.delivered, quint64(threads * perThread));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(s.retries > 0);
        QCOMPARE(receiver.count(), qint64(threads * perThread));
    }

    void unresolvableHost()
    {
        // A host name that cannot exist (RFC 6761 reserves .invalid): every push fails
        // before a connection, the entries wait in the offline buffer, and at shutdown
        // they go to the spool, from which a logger with the right address delivers them.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LokiConfig config = configFor(QUrl(QStringLiteral("http://qloki-no-such-host.invalid:3100")));
        config.maxRetries = 1;
        config.spoolDirectory = dir.path();
        config.shutdownTimeout = 300ms;
        {
            LokiLogger logger(config);
            QSignalSpy failed(&logger, &LokiLogger::batchFailed);
            for (int i = 0; i < 30; ++i)
                logger.info(QStringLiteral("unresolved %1").arg(i));
            QVERIFY(failed.wait(30000));
            QCOMPARE(failed.first().at(1).toInt(), 0); // no HTTP answer
            QVERIFY2(failed.first().at(2).toString().contains(QLatin1String("not found"),
                                                             Qt::CaseInsensitive),
                     qPrintable(failed.first().at(2).toString()));
            QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Offline, 30000);
            LokiStats s = logger.stats();
            QCOMPARE(s.delivered, quint64(0));
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.pending, quint64(30));
            logger.shutdown();
            s = logger.stats();
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.spooled, quint64(30));
            QVERIFY(invariantHolds(s));
        }
        ReceiverThread receiver;
        config.endpoints = {{QStringLiteral("loki"), receiver.pushUrl()}};
        LokiLogger fixed(config);
        QVERIFY(fixed.flush(20s));
        const LokiStats s = fixed.stats();
        QCOMPARE(s.replayed, quint64(30));
        QCOMPARE(s.delivered, quint64(30));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(30));
    }

    void shutdownWhileARetryIsPending()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.minBackoff = 10s; // the retry would come long after the shutdown deadline
        config.maxBackoff = 20s;
        config.shutdownTimeout = 300ms;
        LokiLogger logger(config);
        for (int i = 0; i < 5; ++i)
            logger.info(QStringLiteral("pending %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Retrying, 5000);
        QVERIFY(logger.stats().nextRetry.isValid());
        QElapsedTimer clock;
        clock.start();
        logger.shutdown();
        QVERIFY(clock.elapsed() < 3000); // bounded by the deadline, not by the backoff
        const LokiStats s = logger.stats();
        QCOMPARE(s.state, State::Stopped);
        QCOMPARE(s.dropped(DropReason::Shutdown), quint64(5));
        QVERIFY(invariantHolds(s));
    }
};

QTEST_GUILESS_MAIN(tst_FaultMatrix)
#include "tst_faultmatrix.moc"
