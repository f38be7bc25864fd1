// SPDX-License-Identifier: MIT
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtTest/QtTest>

using namespace std::chrono_literals;
using QLoki::DropReason;
using QLoki::LineLimitPolicy;
using QLoki::MetadataMode;
using QLoki::WireFormat;

namespace {

LokiConfig configFor(const QUrl &url, WireFormat format = WireFormat::Protobuf)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("wire"));
    c.setEnvironment(QStringLiteral("test"));
    c.setUrl(url);
    c.setFormat(format);
    c.setMinBackoff(20ms);
    c.setMaxBackoff(200ms);
    c.setFlushInterval(100ms);
    return c;
}

// A realistic entry: ~100-byte message, 2 per-call labels, 2 metadata fields.
QVariantMap realisticFields(int i)
{
    return {{QStringLiteral("label_component"), QStringLiteral("checkout")},
            {QStringLiteral("label_region"), i % 2 ? QStringLiteral("eu") : QStringLiteral("us")},
            {QStringLiteral("request_id"), QStringLiteral("req-%1").arg(100000 + i)},
            {QStringLiteral("duration_ms"), 12.5 + i % 100}};
}

QString realisticLine(int i)
{
    return QStringLiteral("order %1 accepted: 3 items, total 149.90 EUR, payment by card, "
                          "shipping to warehouse 7")
        .arg(100000 + i);
}

} // namespace

class tst_WireFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEveryFormat_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::newRow("json") << WireFormat::Json;
        QTest::newRow("json-gzip") << WireFormat::JsonGzip;
        QTest::newRow("protobuf") << WireFormat::Protobuf;
    }
    void roundTripsEveryFormat()
    {
        QFETCH(WireFormat, format);
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl(), format);
        config.setMetadataMode(MetadataMode::Structured);
        LokiLogger logger(config);
        const QString tricky = QStringLiteral("quote \" backslash \\ tab\t nul ") + QChar(0)
            + QStringLiteral(" emoji ") + QString::fromUtf8("\xf0\x9f\x93\x9c")
            + QStringLiteral(" cjk \u65e5\u5fd7");
        const QString broken = QString::fromUtf8("broken \xff\xfe utf-8");
        logger.info(tricky, {{QStringLiteral("label_k"), QStringLiteral("v")},
                             {QStringLiteral("meta"), QStringLiteral("m \u00e9")}});
        logger.error(broken);
        logger.warning(QString()); // an empty message is a valid entry
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 3);
        QMap<QString, LokiReceiver::Entry> byLevel;
        for (const auto &e : entries)
            byLevel.insert(e.labels.value(QStringLiteral("level")), e);
        QCOMPARE(byLevel.value(QStringLiteral("info")).line, tricky);
        QCOMPARE(byLevel.value(QStringLiteral("info")).labels.value(QStringLiteral("k")), QStringLiteral("v"));
        QCOMPARE(byLevel.value(QStringLiteral("info")).structuredMetadata.value(QStringLiteral("meta")),
                 QStringLiteral("m \u00e9"));
        // Broken UTF-8 arrives repaired (U+FFFD), never refused.
        QCOMPARE(byLevel.value(QStringLiteral("error")).line, broken);
        QVERIFY(broken.contains(QChar::ReplacementCharacter));
        QCOMPARE(byLevel.value(QStringLiteral("warning")).line, QString());
        QCOMPARE(logger.stats().delivered(), quint64(3));
    }

    void wireBytesPerEntry()
    {
        // The same 1,000 realistic entries in each format; the figure is bytes on the wire.
        QMap<WireFormat, double> perEntry;
        for (WireFormat format : {WireFormat::Json, WireFormat::JsonGzip, WireFormat::Protobuf}) {
            ReceiverThread receiver;
            LokiConfig config = configFor(receiver.pushUrl(), format);
            config.setMetadataMode(MetadataMode::Structured);
            config.setFlushInterval(60s);
            config.setBatchMaxEntries(1000);
            config.setBufferSize(2000); // a batch takes at most half the buffer
            LokiLogger logger(config);
            for (int i = 0; i < 1000; ++i)
                logger.info(realisticLine(i), realisticFields(i));
            QVERIFY(logger.flush(10s));
            const LokiStats s = logger.stats();
            QCOMPARE(s.delivered(), quint64(1000));
            QCOMPARE(s.batchesDelivered(), quint64(1));
            perEntry.insert(format, double(s.bytesSent()) / 1000.0);
        }
        qInfo("wire bytes per entry: json %.1f, json-gzip %.1f, protobuf+snappy %.1f",
              perEntry.value(WireFormat::Json), perEntry.value(WireFormat::JsonGzip),
              perEntry.value(WireFormat::Protobuf));
        QVERIFY(perEntry.value(WireFormat::Protobuf) < 0.5 * perEntry.value(WireFormat::Json));
        QVERIFY(perEntry.value(WireFormat::JsonGzip) < perEntry.value(WireFormat::Json));
    }

    void metadataModes_data()
    {
        QTest::addColumn<MetadataMode>("mode");
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("structured");
        QTest::newRow("structured") << MetadataMode::Structured << QStringLiteral("paid") << true;
        QTest::newRow("logfmt") << MetadataMode::Logfmt
                                << QStringLiteral("paid amount=100.5 note=\"two words\"") << false;
        QTest::newRow("json") << MetadataMode::Json
                              << QStringLiteral("{\"msg\":\"paid\",\"amount\":\"100.5\",\"note\":\"two words\"}")
                              << false;
    }
    void metadataModes()
    {
        QFETCH(MetadataMode, mode);
        QFETCH(QString, line);
        QFETCH(bool, structured);
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMetadataMode(mode);
        LokiLogger logger(config);
        logger.info(QStringLiteral("paid"), {{QStringLiteral("amount"), 100.50},
                                             {QStringLiteral("note"), QStringLiteral("two words")}});
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().line, line);
        QCOMPARE(entries.first().structuredMetadata.isEmpty(), !structured);
    }

    void autoModeFallsBackWhenMetadataIsRefused_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::newRow("json") << WireFormat::Json;
        QTest::newRow("protobuf") << WireFormat::Protobuf;
    }
    void autoModeFallsBackWhenMetadataIsRefused()
    {
        QFETCH(WireFormat, format);
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            LokiReceiver::Limits limits;
            limits.setAllowStructuredMetadata(false); // Loki 2.9+ with the feature off
            r.setLimits(limits);
            return true;
        });
        LokiConfig config = configFor(receiver.pushUrl(), format);
        LokiLogger logger(config);
        for (int i = 0; i < 20; ++i) {
            if (i % 2)
                logger.info(QStringLiteral("with %1").arg(i), {{QStringLiteral("user_id"), i}});
            else
                logger.info(QStringLiteral("plain %1").arg(i));
        }
        QVERIFY(logger.flush(5s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(20));
        QCOMPARE(s.dropped(), quint64(0));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 20); // re-sent plain entries were deduplicated
        int embedded = 0;
        for (const auto &e : entries) {
            QVERIFY(e.structuredMetadata.isEmpty());
            if (e.line.startsWith(QLatin1String("with ")))
                embedded += e.line.contains(QLatin1String(" user_id=")) ? 1 : 0;
        }
        QCOMPARE(embedded, 10);
        // Later batches embed from the start: no further refusal.
        logger.info(QStringLiteral("later"), {{QStringLiteral("k"), QStringLiteral("v")}});
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.with(
                         [](LokiReceiver &r) { return r.stats().pushesByStatus().value(400); }),
                 quint64(1));
    }

    void autoModeEmbedsForOldLoki()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.setBuildVersion(QStringLiteral("2.8.4")); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info(QStringLiteral("old loki"), {{QStringLiteral("trace_id"), QStringLiteral("abc")}});
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().line, QStringLiteral("old loki trace_id=abc"));
        QCOMPARE(receiver.with(
                         [](LokiReceiver &r) { return r.stats().pushesByStatus().value(400); }),
                 quint64(0));
    }

    void payloadTooLargeIsSplit()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.failNextPushes(2, 413); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setFlushInterval(60s);
        LokiLogger logger(config);
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        QSignalSpy delivered(&logger, &LokiLogger::batchDelivered);
        for (int i = 0; i < 40; ++i)
            logger.info(QStringLiteral("split %1").arg(i));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(40));
        QTRY_COMPARE(failed.size(), 2);
        QVERIFY(failed.at(0).at(3).toBool()); // split and sent again, not dropped
        QTRY_VERIFY(delivered.size() >= 4);   // 40 → 20 → 10 per push
        for (const auto &args : std::as_const(delivered))
            QVERIFY(args.at(0).toInt() <= 10);
        QCOMPARE(logger.stats().dropped(), quint64(0));
    }

    void longLineIsTruncatedWithMarker()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxLineBytes(4096);
        LokiLogger logger(config);
        logger.info(QString(10000, QLatin1Char('x')) + QStringLiteral("\u00e9"));
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        const QString line = entries.first().line;
        QVERIFY(line.toUtf8().size() <= 4096);
        QVERIFY2(line.endsWith(QStringLiteral("\u2026[truncated %1 bytes]")
                                   .arg(10002 - line.indexOf(QChar(0x2026)))),
                 qPrintable(line.right(40)));
        QCOMPARE(logger.stats().delivered(), quint64(1));
    }

    void tenMebibyteLineUnderDefaults()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info(QString(10 * 1024 * 1024, QLatin1Char('y')));
        QVERIFY(logger.flush(10s));
        QCOMPARE(receiver.count(), qint64(1)); // Loki's default limit is met, nothing refused
        QVERIFY(receiver.entries().first().line.toUtf8().size() <= 256 * 1024);
    }

    // A line over the limit is cut in the logging call: while it waits it holds no more than
    // the limit, whatever the caller passed (here 10 MiB).
    void hugeLineIsCutInTheCall()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        {
            const QString huge(10 * 1024 * 1024, QLatin1Char('h'));
            logger.info(huge);
        }
        const qint64 limit = logger.config().maxLineBytes();
        LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(1));
        // UTF-16 until resolved, UTF-8 after: at most twice the limit, never the 10 MiB.
        QVERIFY2(s.bytesHeld() > 0 && s.bytesHeld() <= 2 * limit + 256,
                 QByteArray::number(s.bytesHeld()));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(15s));
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        QVERIFY(entries.first().line.toUtf8().size() <= limit);
        QVERIFY(entries.first().line.endsWith(QLatin1String(" bytes]")));
        s = logger.stats();
        QCOMPARE(s.delivered(), quint64(1));
        QCOMPARE(s.bytesHeld(), qint64(0));
    }

    void longLineIsRejectedWhenConfigured()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxLineBytes(2048);
        config.setLineLimitPolicy(LineLimitPolicy::Reject);
        LokiLogger logger(config);
        QSignalSpy dropped(&logger, &LokiLogger::entriesDropped);
        logger.info(QStringLiteral("short one"));
        logger.info(QString(5000, QLatin1Char('z')));
        logger.info(QStringLiteral("short two"));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(2));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(2));
        QCOMPARE(s.dropped(DropReason::Invalid), quint64(1));
        QCOMPARE(s.accepted(), s.delivered() + s.dropped() + s.pending());
        QTRY_COMPARE(dropped.size(), 1);
        QCOMPARE(dropped.at(0).at(1).value<DropReason>(), DropReason::Invalid);
    }

    void onlyRejectedEntriesNeedNoPush()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxLineBytes(1024);
        config.setLineLimitPolicy(LineLimitPolicy::Reject);
        LokiLogger logger(config);
        logger.info(QString(2000, QLatin1Char('q')));
        QVERIFY(logger.flush(5s));
        QCOMPARE(logger.stats().dropped(DropReason::Invalid), quint64(1));
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().pushRequests(); }),
                 quint64(0));
    }

    // The batch after the one on the wire is prepared meanwhile; when all of its entries are
    // refused by the line limit, it has nothing to push and completes at once, which must
    // not be taken for the answer to the push before it (the queue answers oldest first).
    void preparedBatchOfRejectedEntriesOnly()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.setResponseDelay(300ms); // the next batch is prepared while the first waits
            return true;
        });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxLineBytes(1024);
        config.setLineLimitPolicy(LineLimitPolicy::Reject);
        config.setBatchMaxEntries(10);
        config.setBufferSize(1000);
        config.setFlushInterval(60s);
        LokiLogger logger(config);
        for (int i = 0; i < 10; ++i)
            logger.info(QStringLiteral("short %1").arg(i));
        for (int i = 0; i < 5; ++i)
            logger.info(QString(2000, QLatin1Char('q')));
        QVERIFY(logger.flush(10s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(15));
        QCOMPARE(s.delivered(), quint64(10));
        QCOMPARE(s.dropped(DropReason::Invalid), quint64(5));
        QCOMPARE(s.pending(), quint64(0));
        QCOMPARE(s.accepted(), s.delivered() + s.dropped() + s.pending());
        QCOMPARE(receiver.count(), qint64(10));
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().pushRequests(); }),
                 quint64(1));
    }
};

QTEST_GUILESS_MAIN(tst_WireFormats)
#include "tst_wireformats.moc"
