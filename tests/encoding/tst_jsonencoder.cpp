// SPDX-License-Identifier: MIT
#include "encoding/jsonencoder_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStringDecoder>
#include <QtTest/QTest>

#include <zlib.h>

#include <limits>

using namespace QLoki;
using namespace QLoki::detail;

Q_DECLARE_METATYPE(QLoki::detail::PushBatch)

namespace {

constexpr qint64 Login = 1732406400000000000; // 2024-11-24T00:00:00Z

WireEntry entry(qint64 ns, const QString &line, const LabelList &metadata = {})
{
    return WireEntry{ns, line, metadata};
}

WireStream stream(const LabelList &labels, const QList<WireEntry> &entries)
{
    return WireStream{labels, entries};
}

LabelList app(const QString &name)
{
    return {{QStringLiteral("app"), name}};
}

PushBatch oneLine(const QString &line)
{
    return PushBatch{{stream(app(QStringLiteral("demo")), {entry(Login, line)})}};
}

QByteArray oneLineJson(const QByteArray &escapedLine)
{
    return QByteArrayLiteral(R"({"streams":[{"stream":{"app":"demo"},"values":[["1732406400000000000",")")
            + escapedLine + QByteArrayLiteral(R"("]]}]})");
}

// What a string reads as after the trip through UTF-8: each unpaired surrogate is U+FFFD.
QString withoutLoneSurrogates(const QString &s)
{
    QString out;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
            out += c;
            out += s.at(++i);
        } else if (c.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += c;
        }
    }
    return out;
}

QJsonObject toJson(const LabelList &pairs)
{
    QJsonObject o;
    for (const auto &pair : pairs)
        o.insert(withoutLoneSurrogates(pair.first), withoutLoneSurrogates(pair.second));
    return o;
}

// The batch as QJsonDocument reads Loki's push shape, built without the encoder.
QJsonObject toJson(const PushBatch &batch)
{
    QJsonArray streams;
    for (const WireStream &s : batch.streams) {
        QJsonArray values;
        for (const WireEntry &e : s.entries) {
            QJsonArray value {QString::number(e.timestampNs), e.lineText()};
            if (e.hasMetadata())
                value.append(toJson(e.metadataList()));
            values.append(value);
        }
        streams.append(QJsonObject{{QStringLiteral("stream"), toJson(s.labels)},
                                   {QStringLiteral("values"), values}});
    }
    return QJsonObject{{QStringLiteral("streams"), streams}};
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

QByteArray gunzip(const QByteArray &data, bool *ok)
{
    *ok = false;
    z_stream zs = {};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return {};
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    QByteArray out;
    int status = Z_OK;
    char chunk[16384];
    while (status == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef *>(chunk);
        zs.avail_out = sizeof chunk;
        status = inflate(&zs, Z_NO_FLUSH);
        out.append(chunk, qsizetype(sizeof chunk - zs.avail_out));
    }
    *ok = status == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    return out;
}

PushBatch largeBatch()
{
    QList<WireEntry> entries;
    for (int i = 0; i < 1000; ++i) {
        entries.append(entry(Login + i,
                             QStringLiteral("GET /api/items/%1 200 in %2 ms").arg(i).arg(i % 17),
                             {{QStringLiteral("trace_id"), QString::number(i * 7919)}}));
    }
    return PushBatch{{stream(app(QStringLiteral("demo")), entries)}};
}

} // namespace

class tst_JsonEncoder : public QObject
{
    Q_OBJECT

private slots:
    void headers_data();
    void headers();
    void serialize_data();
    void serialize();
    void parsesAndRoundTrips_data();
    void parsesAndRoundTrips();
    void randomUtf16IsAlwaysValid();
    void gzip_data();
    void gzip();
    void factory();
};

void tst_JsonEncoder::headers_data()
{
    QTest::addColumn<JsonEncoder::Compression>("compression");
    QTest::addColumn<QByteArray>("contentEncoding");
    QTest::newRow("plain") << JsonEncoder::Compression::None << QByteArray();
    QTest::newRow("gzip") << JsonEncoder::Compression::Gzip << QByteArrayLiteral("gzip");
}

void tst_JsonEncoder::headers()
{
    QFETCH(JsonEncoder::Compression, compression);
    QFETCH(QByteArray, contentEncoding);
    const JsonEncoder encoder(compression);
    QCOMPARE(encoder.contentType(), QByteArrayLiteral("application/json"));
    QCOMPARE(encoder.contentEncoding(), contentEncoding);
}

void tst_JsonEncoder::serialize_data()
{
    QTest::addColumn<PushBatch>("batch");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty batch") << PushBatch{} << QByteArrayLiteral(R"({"streams":[]})");

    QTest::newRow("one stream")
            << PushBatch{{stream({{QStringLiteral("app"), QStringLiteral("demo")},
                                  {QStringLiteral("level"), QStringLiteral("info")}},
                                 {entry(Login, QStringLiteral("user login ok")),
                                  entry(Login + 1, QStringLiteral("second"))})}}
            << QByteArrayLiteral(R"({"streams":[{"stream":{"app":"demo","level":"info"},)"
                                 R"("values":[["1732406400000000000","user login ok"],)"
                                 R"(["1732406400000000001","second"]]}]})");

    QTest::newRow("several streams")
            << PushBatch{{stream(app(QStringLiteral("a")), {entry(1, QStringLiteral("one"))}),
                          stream(app(QStringLiteral("b")), {entry(2, QStringLiteral("two"))}),
                          stream(app(QStringLiteral("c")), {entry(3, QStringLiteral("three"))})}}
            << QByteArrayLiteral(R"({"streams":[)"
                                 R"({"stream":{"app":"a"},"values":[["1","one"]]},)"
                                 R"({"stream":{"app":"b"},"values":[["2","two"]]},)"
                                 R"({"stream":{"app":"c"},"values":[["3","three"]]}]})");

    QTest::newRow("structured metadata")
            << PushBatch{{stream(app(QStringLiteral("demo")),
                                 {entry(Login, QStringLiteral("payment"),
                                        {{QStringLiteral("amount"), QStringLiteral("100.5")},
                                         {QStringLiteral("user_id"), QStringLiteral("12345")}}),
                                  entry(Login + 1, QStringLiteral("no metadata")),
                                  entry(Login + 2, QStringLiteral("one"),
                                        {{QStringLiteral("k"), QStringLiteral("v")}})})}}
            << QByteArrayLiteral(R"({"streams":[{"stream":{"app":"demo"},"values":[)"
                                 R"(["1732406400000000000","payment",{"amount":"100.5","user_id":"12345"}],)"
                                 R"(["1732406400000000001","no metadata"],)"
                                 R"(["1732406400000000002","one",{"k":"v"}]]}]})");

    QTest::newRow("stream without entries")
            << PushBatch{{stream(app(QStringLiteral("demo")), {})}}
            << QByteArrayLiteral(R"({"streams":[{"stream":{"app":"demo"},"values":[]}]})");

    QTest::newRow("timestamps")
            << PushBatch{{stream(app(QStringLiteral("t")),
                                 {entry(0, QStringLiteral("a")), entry(-1, QStringLiteral("b")),
                                  entry(std::numeric_limits<qint64>::max(), QStringLiteral("c")),
                                  entry(std::numeric_limits<qint64>::min(), QStringLiteral("d"))})}}
            << QByteArrayLiteral(R"({"streams":[{"stream":{"app":"t"},"values":[["0","a"],["-1","b"],)"
                                 R"(["9223372036854775807","c"],["-9223372036854775808","d"]]}]})");

    QTest::newRow("empty line") << oneLine(QString()) << oneLineJson(QByteArray());

    QTest::newRow("quote and backslash")
            << oneLine(QStringLiteral(R"(say "hi" C:\dir\)"))
            << oneLineJson(QByteArrayLiteral(R"(say \"hi\" C:\\dir\\)"));

    QTest::newRow("short escapes")
            << oneLine(QStringLiteral("b\bf\fn\nr\rt\t"))
            << oneLineJson(QByteArrayLiteral(R"(b\bf\fn\nr\rt\t)"));

    QTest::newRow("NUL") << oneLine(QStringLiteral("a") + QChar(0) + QStringLiteral("b"))
                         << oneLineJson(QByteArrayLiteral(R"(a\u0000b)"));

    QString controls;
    for (char16_t c : {0x01, 0x07, 0x0B, 0x0E, 0x1B, 0x1F})
        controls += QChar(c);
    QTest::newRow("other control characters")
            << oneLine(controls)
            << oneLineJson(QByteArrayLiteral(R"(\u0001\u0007\u000b\u000e\u001b\u001f)"));

    QTest::newRow("space and DEL are not escaped")
            << oneLine(QStringLiteral(" ~") + QChar(0x7F) + QStringLiteral("/"))
            << oneLineJson(QByteArrayLiteral(" ~\x7f/"));

    QTest::newRow("non-ASCII BMP")
            << oneLine(QString::fromUtf8("caf\xc3\xa9 \xe2\x82\xac \xe4\xb8\xad \xc2\x80 \xef\xbf\xbf"))
            << oneLineJson(QByteArrayLiteral("caf\xc3\xa9 \xe2\x82\xac \xe4\xb8\xad \xc2\x80 \xef\xbf\xbf"));

    QTest::newRow("non-BMP")
            << oneLine(QString::fromUtf8("\xf0\x9f\x98\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"))
            << oneLineJson(QByteArrayLiteral("\xf0\x9f\x98\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));

    const QByteArray fffd = QByteArrayLiteral("\xef\xbf\xbd");
    QTest::newRow("lone high surrogate")
            << oneLine(QStringLiteral("a") + QChar(0xD83D) + QStringLiteral("b"))
            << oneLineJson("a" + fffd + "b");
    QTest::newRow("lone low surrogate")
            << oneLine(QStringLiteral("a") + QChar(0xDE00) + QStringLiteral("b"))
            << oneLineJson("a" + fffd + "b");
    QTest::newRow("high surrogate at the end")
            << oneLine(QStringLiteral("a") + QChar(0xD83D))
            << oneLineJson("a" + fffd);
    QTest::newRow("surrogates in the wrong order")
            << oneLine(QString(QChar(0xDE00)) + QChar(0xD83D))
            << oneLineJson(fffd + fffd);
    QTest::newRow("two high surrogates, then a pair")
            << oneLine(QString(QChar(0xD83D)) + QChar(0xD83D) + QChar(0xDE00))
            << oneLineJson(fffd + "\xf0\x9f\x98\x80");

    QTest::newRow("escapes in labels and metadata")
            << PushBatch{{stream({{QStringLiteral("app"), QStringLiteral("a\"b\\c\n")}},
                                 {entry(1, QStringLiteral("x"),
                                        {{QStringLiteral("k\t"), QString::fromUtf8("\xf0\x9f\x98\x80\"")}})})}}
            << QByteArrayLiteral(R"({"streams":[{"stream":{"app":"a\"b\\c\n"},"values":)"
                                 R"([["1","x",{"k\t":")" "\xf0\x9f\x98\x80" R"(\""}]]}]})");

    // Long enough to be written in several chunks, with a surrogate pair across the first
    // chunk boundary and escapes that grow the output sixfold after it.
    QString longLine(4095, u'a');
    longLine += QString::fromUtf8("\xf0\x9f\x98\x80");
    longLine += QString(5000, QChar(1));
    QByteArray longJson(4095, 'a');
    longJson += "\xf0\x9f\x98\x80";
    for (int i = 0; i < 5000; ++i)
        longJson += "\\u0001";
    QTest::newRow("long line across chunks") << oneLine(longLine) << oneLineJson(longJson);
}

void tst_JsonEncoder::serialize()
{
    QFETCH(PushBatch, batch);
    QFETCH(QByteArray, expected);
    const QByteArray json = JsonEncoder::serialize(batch);
    QCOMPARE(json, expected);
    QCOMPARE(JsonEncoder().encode(batch), expected);
}

void tst_JsonEncoder::parsesAndRoundTrips_data()
{
    serialize_data();
}

void tst_JsonEncoder::parsesAndRoundTrips()
{
    QFETCH(PushBatch, batch);
    const QByteArray json = JsonEncoder::serialize(batch);
    QVERIFY(isValidUtf8(json));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(doc.object(), toJson(batch));
}

void tst_JsonEncoder::randomUtf16IsAlwaysValid()
{
    // Any sequence of UTF-16 units, surrogates and controls included, must give a body
    // that a strict parser accepts.
    QRandomGenerator random(20241124);
    QList<WireEntry> entries;
    for (int i = 0; i < 500; ++i) {
        QString line;
        const int length = int(random.bounded(40));
        for (int j = 0; j < length; ++j) {
            const quint32 pick = random.bounded(4);
            const char16_t c = pick == 0 ? char16_t(random.bounded(0x20))
                    : pick == 1          ? char16_t(0xD800 + random.bounded(0x800))
                    : pick == 2          ? char16_t(0x20 + random.bounded(0x60))
                                         : char16_t(random.bounded(0x10000));
            line += QChar(c);
        }
        entries.append(entry(Login + i, line, {{QStringLiteral("k"), line}}));
    }
    const PushBatch batch{{stream(app(QStringLiteral("fuzz")), entries)}};
    const QByteArray json = JsonEncoder::serialize(batch);
    QVERIFY(isValidUtf8(json));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc.object(), toJson(batch));
}

void tst_JsonEncoder::gzip_data()
{
    QTest::addColumn<PushBatch>("batch");
    QTest::newRow("empty") << PushBatch{};
    QTest::newRow("one line") << oneLine(QStringLiteral("hello"));
    QTest::newRow("1000 entries") << largeBatch();
}

void tst_JsonEncoder::gzip()
{
    QFETCH(PushBatch, batch);
    const QByteArray body = JsonEncoder(JsonEncoder::Compression::Gzip).encode(batch);
    // RFC 1952 member header: magic 1f 8b, method 8 (deflate).
    QVERIFY(body.startsWith(QByteArrayLiteral("\x1f\x8b\x08")));
    bool ok = false;
    const QByteArray inflated = gunzip(body, &ok);
    QVERIFY(ok);
    QCOMPARE(inflated, JsonEncoder::serialize(batch));
    if (batch.entryCount() >= 1000)
        QCOMPARE_LT(body.size(), inflated.size() / 4);
}

void tst_JsonEncoder::factory()
{
    const PushBatch batch = oneLine(QStringLiteral("hello"));

    const auto json = makeEncoder(WireFormat::Json);
    QVERIFY(json);
    QCOMPARE(json->contentType(), QByteArrayLiteral("application/json"));
    QVERIFY(json->contentEncoding().isEmpty());
    QCOMPARE(json->encode(batch), JsonEncoder::serialize(batch));

    const auto gzipped = makeEncoder(WireFormat::JsonGzip);
    QVERIFY(gzipped);
    QCOMPARE(gzipped->contentType(), QByteArrayLiteral("application/json"));
    QCOMPARE(gzipped->contentEncoding(), QByteArrayLiteral("gzip"));
    bool ok = false;
    QCOMPARE(gunzip(gzipped->encode(batch), &ok), JsonEncoder::serialize(batch));
    QVERIFY(ok);
}

QTEST_GUILESS_MAIN(tst_JsonEncoder)
#include "tst_jsonencoder.moc"
