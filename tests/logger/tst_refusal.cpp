// SPDX-License-Identifier: MIT
// Reading Loki's refusals: which entries of a batch a 400 body refused, for each reason Loki
// gives (the texts as Loki 2.8, 2.9 and 3.x write them).
#include "transport/refusal_p.h"

#include <QtTest/QtTest>

using namespace QLoki::detail;

namespace {

// 2024-01-01 00:00:00 UTC in Unix nanoseconds.
constexpr qint64 T0 = 1704067200LL * 1000000000LL;

// Two streams: 10 info entries (the 4th a 20,000-byte line, the 7th with metadata), and 5
// error entries, the last one 10 minutes ahead. Timestamps differ across streams too, as a
// logger's do.
PushBatch batch()
{
    PushBatch b;
    WireStream info;
    info.labels = {{QStringLiteral("app"), QStringLiteral("shop")},
                   {QStringLiteral("environment"), QStringLiteral("production")},
                   {QStringLiteral("level"), QStringLiteral("info")}};
    for (int i = 0; i < 10; ++i) {
        const QString line = i == 3 ? QString(20000, QLatin1Char('x')) : QStringLiteral("line %1").arg(i);
        LabelList metadata;
        if (i == 6)
            metadata = {{QStringLiteral("user_id"), QStringLiteral("42")}};
        info.entries.append(WireEntry(T0 + i * 1000000000LL, line, metadata));
    }
    WireStream errors;
    errors.labels = {{QStringLiteral("app"), QStringLiteral("shop")},
                     {QStringLiteral("environment"), QStringLiteral("production")},
                     {QStringLiteral("level"), QStringLiteral("error")}};
    for (int i = 0; i < 5; ++i)
        errors.entries.append(WireEntry(T0 + (i == 4 ? 600 : i) * 1000000000LL + 100000000,
                                        QStringLiteral("failed %1").arg(i)));
    b.streams = {info, errors};
    return b;
}

const char *InfoStream = R"({app="shop", environment="production", level="info"})";
const char *ErrorStream = R"({app="shop", environment="production", level="error"})";

QByteArray fill(const char *text)
{
    return QByteArray(text).replace("INFO", InfoStream).replace("ERROR", ErrorStream);
}

} // namespace

class tst_Refusal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void read_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("refused");
        QTest::addColumn<bool>("exact");
        QTest::addColumn<bool>("metadata");
        QTest::addColumn<QString>("code");

        QTest::newRow("line too long (2.9)") << 400
            << fill("Max entry size '16384' bytes exceeded for stream 'INFO' while adding an entry with length '20000' bytes")
            << 1 << true << false << "line_too_long";
        QTest::newRow("line too long, stream named with service_name (3.x)") << 400
            << QByteArray(R"(Max entry size '16384' bytes exceeded for stream '{app="shop", environment="production", level="info", service_name="shop"}' while adding an entry with length '20000' bytes)")
            << 1 << true << false << "line_too_long";
        QTest::newRow("grouped: 3 errors like, more than the limit finds") << 400
            << fill("3 errors like: Max entry size '16384' bytes exceeded for stream 'INFO' while adding an entry with length '20000' bytes")
            << 3 << true << false << "line_too_long";
        QTest::newRow("too old") << 400
            << fill("entry for stream 'INFO' has timestamp too old: 2024-01-01 00:00:01 +0000 UTC, oldest acceptable timestamp is: 2024-01-01 00:00:02.5 +0000 UTC")
            << 3 << true << false << "too_old";
        QTest::newRow("too old, other time zone") << 400
            << fill("entry for stream 'INFO' has timestamp too old: 2024-01-01 01:00:00 +0100 CET, oldest acceptable timestamp is: 2024-01-01 01:00:02 +0100 CET")
            << 2 << true << false << "too_old";
        // Loki's validator writes these two with Go's time.RFC3339 (seconds, 'T', a zone
        // offset or 'Z'), not with time.String().
        QTest::newRow("too old, as Loki writes it (RFC 3339)")
                << 400
                << fill("entry for stream 'INFO' has timestamp too old: 2024-01-01T00:00:01Z, "
                        "oldest acceptable timestamp is: 2024-01-01T00:00:03Z")
                << 3 << true << false << "too_old";
        // "N errors like" counts entries exactly, while the times name whole seconds: the
        // N oldest of the entries the time covers, not all of them.
        QTest::newRow("too old, grouped: the count caps what the time covers")
                << 400
                << fill("2 errors like: entry for stream 'INFO' has timestamp too old: "
                        "2024-01-01T00:00:01Z, oldest acceptable timestamp is: 2024-01-01T00:00:05Z")
                << 2 << true << false << "too_old";
        QTest::newRow("too new, grouped: the count caps what the time covers")
                << 400
                << fill("1 errors like: entry for stream 'INFO' has timestamp too new: 2024-01-01T00:00:00Z")
                << 1 << true << false << "too_new";
        QTest::newRow("too old, RFC 3339 with an offset")
                << 400
                << fill("entry for stream 'INFO' has timestamp too old: 2024-01-01T01:00:00+01:00, "
                        "oldest acceptable timestamp is: 2024-01-01T01:00:02+01:00")
                << 2 << true << false << "too_old";
        QTest::newRow("too new, as Loki writes it (RFC 3339)")
                << 400
                << fill("entry for stream 'ERROR' has timestamp too new: 2024-01-01T00:10:00Z") << 1
                << true << false << "too_new";
        QTest::newRow("too new") << 400
            << fill("entry for stream 'ERROR' has timestamp too new: 2024-01-01 00:10:00.1 +0000 UTC")
            << 1 << true << false << "too_new";
        QTest::newRow("stream-level: too many labels refuse the stream") << 400
            << fill("entry for stream 'ERROR' has 16 label names; limit 15")
            << 5 << true << false << "labels";
        QTest::newRow("stream-level: label value too long") << 400
            << fill("stream 'INFO' has label value too long: 'production'")
            << 10 << true << false << "labels";
        QTest::newRow("metadata disallowed (2.9/3.x)") << 400
            << fill("stream 'INFO' includes structured metadata, but this feature is disallowed. Please see `limits_config.structured_metadata` or contact your Loki administrator to enable it.")
            << 1 << true << true << "metadata_disallowed";
        QTest::newRow("metadata refused by Loki 2.8's JSON parser: nothing stored") << 400
            << QByteArray("loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol, error found in #10 byte of ...|\"42\"}]]}]}|..., bigger context ...")
            << 15 << true << true << "metadata_disallowed";
        QTest::newRow("metadata too large (3.x)") << 400
            << fill("stream 'INFO' has structured metadata too large: '9' bytes, limit: '4' bytes. Please see `limits_config.max_structured_metadata_size` or contact your Loki administrator to increase it.")
            << 1 << true << false << "metadata_too_large";
        QTest::newRow("two reasons, one per line") << 400
            << fill("Max entry size '16384' bytes exceeded for stream 'INFO' while adding an entry with length '20000' bytes\nentry for stream 'ERROR' has timestamp too new: 2024-01-01 00:10:00 +0000 UTC")
            << 2 << true << false << "line_too_long";
        QTest::newRow("ingester: out of order, listed entries") << 400
            << fill("entry with timestamp 2024-01-01 00:00:00 +0000 UTC ignored, reason: 'entry too far behind, entry timestamp is: 2024-01-01T00:00:00Z, oldest acceptable timestamp is: 2024-01-01T01:00:00Z',\nentry with timestamp 2024-01-01 00:00:01 +0000 UTC ignored, reason: 'entry too far behind',\nuser 'fake', total ignored: 2 out of 10 for stream: INFO")
            << 2 << true << false << "too_old";
        QTest::newRow("unknown 400: the whole batch") << 400
            << QByteArray("snappy: corrupt input") << 15 << false << false << "other";
        QTest::newRow("gateway page on 403: the whole batch") << 403
            << QByteArray("<html><body>Forbidden</body></html>") << 15 << false << false << "other";
        QTest::newRow("260 ingestion blocked: nothing stored") << 260
            << QByteArray() << 15 << true << false << "blocked";
    }

    void read()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, refused);
        QFETCH(bool, exact);
        QFETCH(bool, metadata);
        QFETCH(QString, code);
        const RefusalReading reading = readRefusal(status, body, batch());
        QCOMPARE(reading.refused, refused);
        QCOMPARE(reading.exact, exact);
        QCOMPARE(reading.metadataDisallowed, metadata);
        QCOMPARE(refusalCodeName(reading.code), code);
        QCOMPARE(reading.reason, QString::fromUtf8(body).trimmed().section(QLatin1Char('\n'), 0, 0).left(512));
    }

    void neverMoreThanTheBatch()
    {
        const RefusalReading reading = readRefusal(
                400, fill("99 errors like: entry for stream 'INFO' has timestamp too new: 2024-01-01 00:10:00 +0000 UTC"),
                batch());
        QCOMPARE(reading.refused, 10); // the stream holds 10
    }
};

QTEST_GUILESS_MAIN(tst_Refusal)
#include "tst_refusal.moc"
