// SPDX-License-Identifier: MIT
// The fault matrix: each scenario breaks something on purpose and asserts exact counts,
// on the client (LokiStats) and on the server (what the receiver stored).
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QtTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using QLoki::DropReason;
using QLoki::State;

namespace {

// The matrix runs twice (tests/logger/CMakeLists.txt): over Loki's push API, and with
// QLOKI_FAULTMATRIX_FORMAT=otlp over OTLP/HTTP to the receiver's /otlp/v1/logs.
bool overOtlp()
{
    static const bool otlp = qgetenv("QLOKI_FAULTMATRIX_FORMAT") == "otlp";
    return otlp;
}

// The defaults users run: only the name and the URL are set (a scenario pins a setting only
// where that setting is what it is about). So batches wait up to 5 s, retries back off from
// 0.5 s, and the server's version is asked before the first push (Loki's push API).
LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("faults"));
    c.setUrl(url);
    if (overOtlp())
        c.setFormat(QLoki::WireFormat::Otlp);
    return c;
}

// The receiver's address as the user writes it for the format: its push URL for Loki's API,
// its base URL for OTLP (Loki 3's /otlp/v1/logs is appended).
QUrl urlOf(ReceiverThread &receiver)
{
    return overOtlp() ? receiver.baseUrl() : receiver.pushUrl();
}

bool invariantHolds(const LokiStats &s)
{
    return s.accepted() == s.delivered() + s.dropped() + s.pending();
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
        LokiConfig config = configFor(urlOf(receiver));
        config.setRequestTimeout(300ms);
        LokiLogger logger(config);
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        for (int i = 0; i < 20; ++i)
            logger.info(QStringLiteral("slow %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 1, 10000); // the flush interval, then 300 ms
        QCOMPARE(failed.first().at(1).toInt(), 0); // a timeout, not an HTTP answer
        receiver.with([](LokiReceiver &r) { r.setResponseDelay(0ms); return true; });
        QVERIFY(logger.flush(15s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(20));
        QCOMPARE(s.dropped(), quint64(0));
        // The re-sent entries kept their timestamps: Loki's deduplication made them one.
        QCOMPARE(receiver.count(), qint64(20));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.stats().duplicatesIgnored(); }) >= 20);
    }

    // Loki goes down mid-stream and stays down until the logger's push has failed: with the
    // default flush interval that is about 5 s. (A fixed 5 s outage raced the 5 s flush
    // timer: when the receiver was back first, no push ever failed.)
    void downForFiveSecondsMidStream()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(urlOf(receiver)));
        for (int i = 0; i < 100; ++i)
            logger.info(QStringLiteral("before %1").arg(i));
        QVERIFY(logger.flush(5s));
        receiver.with([](LokiReceiver &r) {
            r.goDown();
            return true;
        });
        for (int i = 0; i < 200; ++i)
            logger.info(QStringLiteral("during %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(logger.state() != State::Online, 10000);
        QCOMPARE(receiver.count(), qint64(100)); // nothing could arrive while it was down
        QCOMPARE(logger.stats().delivered(), quint64(100));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(300));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(300));
        QCOMPARE(logger.state(), State::Online);
    }

    void oneBatchRefusedTheRestDelivered()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(urlOf(receiver));
        config.setBatchMaxEntries(10);
        config.setFlushInterval(60s);
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
        QCOMPARE(s.accepted(), quint64(50));
        QCOMPARE(s.delivered(), quint64(40));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(10));
        QCOMPARE(s.retries(), quint64(0)); // a 400 is never retried
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
                // Stored: Loki's push API answers 204, OTLP/HTTP 200.
                if ((status == 204 || status == 200) && ++*answered % 4 == 0)
                    r.failNextPushes(1, 503);
            });
            return true;
        });
        LokiConfig config = configFor(urlOf(receiver));
        config.setBufferSize(20000);
        config.setOverflowPolicy(QLoki::OverflowPolicy::Block); // exact counts: nothing dropped
        LokiLogger logger(config);
        const int threads = 8, perThread = 5000;
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
        QCOMPARE(s.accepted(), quint64(threads * perThread));
        QCOMPARE(s.delivered(), quint64(threads * perThread));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(s.retries() > 0);
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
        config.setMaxRetries(1);
        config.setSpoolDirectory(dir.path());
        config.setShutdownTimeout(300ms);
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
            QCOMPARE(s.delivered(), quint64(0));
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.pending(), quint64(30));
            logger.shutdown();
            s = logger.stats();
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.spooled(), quint64(30));
            QVERIFY(invariantHolds(s));
        }
        ReceiverThread receiver;
        config.setUrl(urlOf(receiver));
        LokiLogger fixed(config);
        QVERIFY(fixed.flush(20s));
        const LokiStats s = fixed.stats();
        QCOMPARE(s.replayed(), quint64(30));
        QCOMPARE(s.delivered(), quint64(30));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(30));
    }

    void shutdownWhileARetryIsPending()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(urlOf(receiver));
        config.setMinBackoff(10s); // the retry would come long after the shutdown deadline
        config.setMaxBackoff(20s);
        config.setShutdownTimeout(300ms);
        LokiLogger logger(config);
        for (int i = 0; i < 5; ++i)
            logger.info(QStringLiteral("pending %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Retrying, 10000);
        QVERIFY(logger.stats().nextRetry().isValid());
        QElapsedTimer clock;
        clock.start();
        logger.shutdown();
        QVERIFY(clock.elapsed() < 3000); // bounded by the deadline, not by the backoff
        const LokiStats s = logger.stats();
        QCOMPARE(s.state(), State::Stopped);
        QCOMPARE(s.dropped(DropReason::Shutdown), quint64(5));
        QVERIFY(invariantHolds(s));
    }

    // Loki fails every push for 20 s while the application logs 50 entries a second. The
    // retries back off, then one probe per backoff step: a handful of pushes, not one per
    // logging call. Then Loki answers again and every entry arrives, once.
    void continuousLoggingThroughAnOutage()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.failNextPushes(1000000, 503); return true; });
        LokiLogger logger(configFor(urlOf(receiver)));
        QSignalSpy states(&logger, &LokiLogger::stateChanged);
        int logged = 0;
        QTimer ticker;
        QObject::connect(&ticker, &QTimer::timeout, &logger, [&] {
            logger.info(QStringLiteral("steady %1").arg(logged++));
        });
        ticker.start(20);
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() >= 20000, 25000);
        ticker.stop();
        const auto pushes = [&receiver] {
            return receiver.with([](LokiReceiver &r) { return r.stats().pushesByStatus().value(503); });
        };
        const quint64 tries = pushes();
        qInfo("%d entries logged in 20 s of outage, %llu pushes tried", logged, tries);
        // The first push when the flush interval (5 s) passes, 3 retries within 3.5 s, then
        // one probe per 5 to 16 s.
        QVERIFY2(tries >= 3 && tries <= 10, QByteArray::number(tries));
        QCOMPARE(logger.state(), State::Offline);
        QVERIFY(logger.stats().nextRetry().isValid());
        QVERIFY(invariantHolds(logger.stats()));

        receiver.with([](LokiReceiver &r) { r.clearFaults(); return true; });
        QVERIFY(logger.flush(15s)); // a flush tries at once
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(logged));
        QCOMPARE(s.delivered() + s.dropped(DropReason::BufferFull), quint64(logged));
        QCOMPARE(receiver.count(), qint64(s.delivered()));
        QCOMPARE(logger.state(), State::Online);
        QVERIFY(invariantHolds(s));
        QTRY_VERIFY(states.size() >= 3); // Retrying, Offline, Online
    }

    // A backlog larger than the entries the queue keeps loose (the rest wait packed in
    // blocks) while Loki answers 503: once it answers again, every entry arrives once, in
    // order, with its line and metadata as logged (in each wire format this test runs with).
    void largeBacklogArrivesAsLogged()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.failNextPushes(1000000, 503); return true; });
        LokiConfig config = configFor(urlOf(receiver));
        const int n = 4000;
        config.setBufferSize(n); // the setting under test: room for the whole backlog
        LokiLogger logger(config);
        logger.info(QStringLiteral("first"));
        QVERIFY(logger.flush(100ms) == false); // the push fails: retrying from now on
        QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Retrying, 10000);
        for (int i = 0; i < n - 1; ++i) {
            logger.info(QStringLiteral("order %1 placed \u00e9").arg(i),
                        {{"label_service", "checkout"}, {"order_id", i}, {"amount", i * 0.5}});
        }
        QCOMPARE(logger.stats().pending(), quint64(n));
        receiver.with([](LokiReceiver &r) { r.clearFaults(); return true; });
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(n));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(invariantHolds(s));

        QList<LokiReceiver::Entry> entries = receiver.entries();
        entries.removeIf([](const LokiReceiver::Entry &e) {
            return !e.line.startsWith(QLatin1String("order "));
        });
        QCOMPARE(entries.size(), n - 1);
        std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
            return a.timestampNs < b.timestampNs;
        });
        for (int i = 0; i < n - 1; ++i) {
            const LokiReceiver::Entry &e = entries.at(i);
            QCOMPARE(e.line, QStringLiteral("order %1 placed \u00e9").arg(i));
            QCOMPARE(e.structuredMetadata.value(QStringLiteral("order_id")), QString::number(i));
            QCOMPARE(e.structuredMetadata.value(QStringLiteral("amount")),
                     QString::number(i * 0.5));
            if (i > 0)
                QVERIFY(e.timestampNs > entries.at(i - 1).timestampNs);
        }
    }

    // Loki judges each entry on its own: of 100 entries with metadata, one line over the
    // server's limit is refused and the other 99 are stored (Loki 2.9 with max_line_size
    // 16KB answers exactly so). Nothing is sent twice, the refused entry is counted as
    // rejected with Loki's reason, and metadata stays structured afterwards.
    void oneEntryRefusedTheRestStoredOnce()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            LokiReceiver::Limits limits = r.limits();
            limits.setMaxLineSize(16 * 1024);
            r.setLimits(limits);
            return true;
        });
        LokiLogger logger(configFor(urlOf(receiver)));
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        for (int i = 0; i < 100; ++i) {
            const QString line = i == 42 ? QString(20 * 1024, QLatin1Char('w'))
                                         : QStringLiteral("order %1").arg(i);
            logger.info(line, {{QStringLiteral("user_id"), i}});
        }
        QVERIFY(logger.flush(15s));
        LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(99));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(1));
        QVERIFY2(s.lastError().contains(QLatin1String("Max entry size '16384' bytes exceeded")),
                 qPrintable(s.lastError()));
        // OTLP/HTTP refuses records in a 200's partial success, with Loki's words.
        const QLatin1String refusal = overOtlp()
                ? QLatin1String("line_too_long: HTTP 200: partial success, 1 rejected: ")
                : QLatin1String("line_too_long: HTTP 400: ");
        QVERIFY2(s.lastError().startsWith(refusal), qPrintable(s.lastError()));
        QCOMPARE(s.rejected(QLoki::RefusalCode::LineTooLong), quint64(1));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toInt(), 1);      // one entry refused
        QCOMPARE(failed.first().at(3).toBool(), false); // never re-sent
        QCOMPARE(receiver.count(), qint64(99));
        const auto stats = receiver.with([](LokiReceiver &r) { return r.stats(); });
        QCOMPARE(stats.duplicatesIgnored(), quint64(0));
        QCOMPARE(stats.pushRequests(), quint64(1));

        for (int i = 0; i < 10; ++i)
            logger.info(QStringLiteral("later %1").arg(i), {{QStringLiteral("user_id"), i}});
        QVERIFY(logger.flush(15s));
        QCOMPARE(receiver.count(), qint64(109));
        for (const LokiReceiver::Entry &e : receiver.entries()) {
            QCOMPARE(e.structuredMetadata.value(QStringLiteral("user_id")).isEmpty(), false);
            QVERIFY2(!e.line.contains(QLatin1String("user_id=")), qPrintable(e.line));
        }
        s = logger.stats();
        QCOMPARE(s.accepted(), s.delivered() + s.dropped() + s.pending());
    }

    // A Loki that does not allow structured metadata refuses each entry that carries it and
    // stores the others. Those entries go again with their metadata in the line; the others
    // go again unchanged and Loki drops them as duplicates: each entry is stored once.
    void metadataDisallowedSendsItInTheLine()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            LokiReceiver::Limits limits = r.limits();
            limits.setAllowStructuredMetadata(false);
            r.setLimits(limits);
            return true;
        });
        LokiLogger logger(configFor(urlOf(receiver)));
        for (int i = 0; i < 20; ++i) {
            if (i % 2)
                logger.info(QStringLiteral("with %1").arg(i), {{QStringLiteral("user_id"), i}});
            else
                logger.info(QStringLiteral("plain %1").arg(i));
        }
        QVERIFY(logger.flush(15s));
        const LokiStats s = logger.stats();
        if (overOtlp()) {
            // Loki stores every OTLP record with structured metadata (severity_text at least):
            // without it each one is refused, counted exactly, and never sent again.
            QCOMPARE(s.delivered(), quint64(0));
            QCOMPARE(s.dropped(DropReason::Rejected), quint64(20));
            QCOMPARE(s.rejected(QLoki::RefusalCode::MetadataDisallowed), quint64(20));
            QCOMPARE(receiver.count(), qint64(0));
            QVERIFY(invariantHolds(s));
            return;
        }
        QCOMPARE(s.delivered(), quint64(20));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(20));
        QStringList lines;
        for (const LokiReceiver::Entry &e : receiver.entries()) {
            QVERIFY(e.structuredMetadata.isEmpty());
            lines.append(e.line);
        }
        lines.sort();
        QVERIFY(lines.contains(QStringLiteral("with 1 user_id=1")));
        QVERIFY(lines.contains(QStringLiteral("plain 0")));
    }

    // An outage while the application logs 1 MB lines: they are cut to maxLineBytes in the
    // call, and the offline buffer is bounded in bytes (bufferMaxBytes, 16 MiB) as well as in
    // entries; what does not fit is dropped as buffer_full, counted exactly.
    void outageWithLargeLines()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiLogger logger(configFor(urlOf(receiver)));
        const LokiStats empty = logger.stats();
        qint64 peak = 0;
        for (int i = 0; i < 300; ++i) {
            QString line(1024 * 1024, QLatin1Char('a' + i % 26));
            line.prepend(QStringLiteral("large %1 ").arg(i));
            logger.info(line);
            const LokiStats s = logger.stats();
            peak = qMax(peak, s.bytesHeld());
            QVERIFY2(s.bytesHeld() <= s.capacityBytes(), QByteArray::number(s.bytesHeld()));
            QVERIFY(invariantHolds(s));
        }
        qInfo("peak bytes held %lld of %lld", peak, empty.capacityBytes());
        LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(300));
        QVERIFY(s.dropped(DropReason::BufferFull) > 0);
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(30s));
        s = logger.stats();
        QCOMPARE(s.delivered() + s.dropped(DropReason::BufferFull), quint64(300));
        QCOMPARE(receiver.count(), qint64(s.delivered()));
        for (const LokiReceiver::Entry &e : receiver.entries())
            QVERIFY(e.line.toUtf8().size() <= logger.config().maxLineBytes());
        QVERIFY(invariantHolds(s));
    }

    // Regression: while a retry was pending, nothing woke the sender, so entries logged
    // meanwhile stayed in the form the call made them (the line in UTF-16, the fields),
    // about three times their compact size, for as long as Loki was down. The backoff is
    // pinned so that no retry (which compacts what it sends) can hide it.
    void entriesWaitingForRetryAreCompacted()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMinBackoff(60s).setMaxBackoff(60s);
        LokiLogger logger(config);
        logger.info(QStringLiteral("first"));
        logger.flush(0ms);
        QTRY_COMPARE_WITH_TIMEOUT(logger.state(), State::Retrying, 10000);

        constexpr int Entries = 512;
        const QString line(100, QLatin1Char('x'));
        for (int i = 0; i < Entries; ++i)
            logger.info(line, {{"user_id", i}, {"region", "eu"}});
        // As logged, an entry is counted at 2 bytes per UTF-16 unit plus 64 per field
        // (over 300 bytes here); compacted, at its UTF-8 (the line and ~20 of metadata).
        const qint64 compact = qint64(Entries + 1) * (line.size() + 64);
        QTRY_VERIFY2_WITH_TIMEOUT(logger.stats().bytesHeld() < compact,
                                  QByteArray::number(logger.stats().bytesHeld()), 10000);
        const LokiStats s = logger.stats();
        QCOMPARE(s.pending(), quint64(Entries + 1));
        QCOMPARE(s.retries(), quint64(0));
        QVERIFY(invariantHolds(s));
    }
};

QTEST_GUILESS_MAIN(tst_FaultMatrix)
#include "tst_faultmatrix.moc"
