// SPDX-License-Identifier: MIT
// The push endpoint: both wire formats, every validation rule with Loki's status and
// words, Content-Encoding, structured metadata, deduplication, eviction, the store file.
#include "httphelper.h"
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <sys/resource.h>
#include <unistd.h>

namespace {

// 2024-11-24T00:00:00Z in nanoseconds: literal bodies use it, with old-sample rejection off.
constexpr qint64 T0 = 1732406400LL * 1000000000LL;

// Snappy-compressed PushRequests (written once with tests/receiver/pushwriter and checked
// with protoc in protocDecodesLiteralBytes()).
// {app="demo", level="info"}: "user login ok" at T0, "payment" at T0+1 with metadata
// user_id=12345, amount=100.5.
const char ValidHex[] =
        "6ff06e0a6d0a1a7b6170703d2264656d6f222c206c6576656c3d22696e666f227d12170a060880d989ba"
        "06120d75736572206c6f67696e206f6b12360a080880d989ba06100112077061796d656e741a100a0775"
        "7365725f6964120531323334351a0f0a06616d6f756e7412053130302e35";
// {bad-name="x"}: "line" at T0.
const char BadNameHex[] =
        "22840a200a0e7b6261642d6e616d653d2278227d120e0a060880d989ba0612046c696e65";
// {}: "line" at T0.
const char NoLabelsHex[] = "16540a140a027b7d120e0a060880d989ba0612046c696e65";
// {app="a", app="b"}: "line" at T0 (the snappy body uses a back-reference).
const char DuplicateHex[] =
        "26340a240a127b6170703d2261222c2005094862227d120e0a060880d989ba0612046c696e65";
// {app="ok"}: "kept" at T0, then {app="bad (unterminated): "lost" at T0.
const char MixedHex[] =
        "3b880a1c0a0a7b6170703d226f6b227d120e0a060880d989ba0612046b6570740a1b0a097b051e08626164"
        "2e1d000c6c6f7374";
// Snappy of the bytes 0a 05 ff: field 1 announces 5 bytes, 1 follows.
const char TruncatedMessageHex[] = "03080a05ff";

const QByteArray JsonType = "application/json";
const QByteArray ProtobufType = "application/x-protobuf";

QByteArray literal(const char *hex) { return QByteArray::fromHex(hex); }

QByteArray jsonPush(const QByteArray &labels, const QByteArray &values)
{
    return R"({"streams":[{"stream":)" + labels + R"(,"values":)" + values + "}]}";
}

QByteArray rfc3339(qint64 timestampNs)
{
    return QDateTime::fromSecsSinceEpoch(timestampNs / 1000000000, Qt::UTC)
            .toString(Qt::ISODate)
            .toUtf8();
}

qint64 nowNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000; }

} // namespace

class tst_ReceiverPush : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void validation_data();
    void validation();
    void timestampLimits_data();
    void timestampLimits();
    void contentEncoding_data();
    void contentEncoding();
    void snappyBodyClaimingAGigabyte();
    void jsonStringStartingWithByteOrderMark();
    void longLabelStringInLinearTime();
    void structuredMetadataStored_data();
    void structuredMetadataStored();
    void structuredMetadataDisallowed_data();
    void structuredMetadataDisallowed();
    void emptyLabelValueIsNoLabel();
    void deduplication();
    void eviction();
    void protocDecodesLiteralBytes();
    void testWriterMatchesLiterals();
    void countingOnly();
    void storeFile();
    void hundredThousandEntries();
    void statusEndpoints();

private:
    TestHttp::Reply push(const QByteArray &contentType, const QByteArray &body,
                         const QByteArray &encoding = {});

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverPush::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
    QVERIFY(m_receiver.serverPort() != 0);
    QCOMPARE(m_receiver.pushUrl().toString(),
             QStringLiteral("http://127.0.0.1:%1/loki/api/v1/push").arg(m_receiver.serverPort()));
}

void tst_ReceiverPush::init()
{
    m_receiver.reset();
    m_receiver.setCountingOnly(false);
    m_receiver.setMaxStoredEntries(1000000);
    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(false); // literal bodies carry 2024 timestamps
    m_receiver.setLimits(limits);
}

TestHttp::Reply tst_ReceiverPush::push(const QByteArray &contentType, const QByteArray &body,
                                       const QByteArray &encoding)
{
    TestHttp::Headers headers {{"Content-Type", contentType}};
    if (!encoding.isEmpty())
        headers.append({"Content-Encoding", encoding});
    return TestHttp::post(m_manager, m_receiver.pushUrl(), body, headers);
}

void tst_ReceiverPush::validation_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    // The whole answer line; a trailing '*' compares only what precedes it.
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("stored");

    const QByteArray one = R"([["1732406400000000000","line"]])";
    QTest::newRow("json valid")
            << JsonType << QByteArray()
            << QByteArray(
                       R"({"streams":[{"stream":{"app":"demo","level":"info"},"values":[["1732406400000000000","user login ok"],["1732406400000000001","payment"]]}]})")
            << 204 << QByteArray() << 2;
    QTest::newRow("json with charset")
            << QByteArray("application/json; charset=utf-8") << QByteArray()
            << jsonPush(R"({"app":"demo"})", one) << 204 << QByteArray() << 1;
    QTest::newRow("json empty request")
            << JsonType << QByteArray() << QByteArray(R"({"streams":[]})") << 204 << QByteArray()
            << 0;
    QTest::newRow("json escaped label value")
            << JsonType << QByteArray() << jsonPush(R"({"app":"a\"b\\c"})", one) << 204
            << QByteArray() << 1;
    QTest::newRow("json invalid label name")
            << JsonType << QByteArray() << jsonPush(R"({"bad-name":"x"})", one) << 400
            << QByteArray(
                       R"(couldn't parse labels: 1:5: parse error: unexpected character inside braces: '-')")
            << 0;
    QTest::newRow("json invalid second label name")
            << JsonType << QByteArray() << jsonPush(R"({"app":"a","bad-name":"x"})", one) << 400
            << QByteArray(
                       R"(couldn't parse labels: 1:14: parse error: unexpected character inside braces: '-')")
            << 0;
    QTest::newRow("json no labels")
            << JsonType << QByteArray() << jsonPush("{}", one) << 400
            << QByteArray("error at least one label pair is required per stream") << 0;
    QTest::newRow("json only an empty label")
            << JsonType << QByteArray() << jsonPush(R"({"app":""})", one) << 400
            << QByteArray("error at least one label pair is required per stream") << 0;

    QByteArray sixteen = "{";
    QByteArray sixteenString = "{";
    for (int i = 0; i < 16; ++i) {
        const QByteArray name = "l" + QByteArray::number(i).rightJustified(2, '0');
        sixteen += (i ? "," : "") + ('"' + name + "\":\"v\"");
        sixteenString += (i ? ", " : "") + name + "=\"v\"";
    }
    sixteen += '}';
    sixteenString += '}';
    QTest::newRow("json too many label names")
            << JsonType << QByteArray() << jsonPush(sixteen, one) << 400
            << "entry for stream '" + sixteenString + "' has 16 label names; limit 15" << 0;

    const QByteArray longName(1025, 'n');
    QTest::newRow("json label name too long")
            << JsonType << QByteArray() << jsonPush("{\"" + longName + "\":\"v\"}", one) << 400
            << "stream '{" + longName + "=\"v\"}' has label name too long: '" + longName + '\''
            << 0;
    const QByteArray longValue(2049, 'v');
    QTest::newRow("json label value too long")
            << JsonType << QByteArray() << jsonPush("{\"app\":\"" + longValue + "\"}", one) << 400
            << "stream '{app=\"" + longValue + "\"}' has label value too long: '" + longValue + '\''
            << 0;
    QTest::newRow("json line too long")
            << JsonType << QByteArray()
            << jsonPush(R"({"app":"demo"})",
                        R"([["1732406400000000000",")" + QByteArray(300000, 'x') + "\"]]")
            << 400
            << QByteArray(
                       "Max entry size '262144' bytes exceeded for stream '{app=\"demo\"}' while "
                       "adding an entry with length '300000' bytes")
            << 0;
    QTest::newRow("json line at the limit")
            << JsonType << QByteArray()
            << jsonPush(R"({"app":"demo"})",
                        R"([["1732406400000000000",")" + QByteArray(262144, 'x') + "\"]]")
            << 204 << QByteArray() << 1;
    QTest::newRow("json malformed") << JsonType << QByteArray() << QByteArray(R"({"streams":[)")
                                    << 400 << QByteArray("error parsing push request: *") << 0;
    QTest::newRow("json timestamp not a number")
            << JsonType << QByteArray() << jsonPush(R"({"app":"demo"})", R"([["abc","line"]])")
            << 400
            << QByteArray(
                       R"(error parsing push request: strconv.ParseInt: parsing "abc": invalid syntax)")
            << 0;
    QTest::newRow("json line not a string")
            << JsonType << QByteArray()
            << jsonPush(R"({"app":"demo"})", R"([["1732406400000000000",42]])") << 400
            << QByteArray("error parsing push request: Value is not a string") << 0;
    // Loki's request parser reads every stream's labels first: one that does not parse
    // fails the whole push.
    QTest::newRow("json valid and unparsable streams")
            << JsonType << QByteArray()
            << QByteArray(
                       R"({"streams":[{"stream":{"app":"ok"},"values":[["1732406400000000000","lost"]]},{"stream":{"bad-name":"x"},"values":[["1732406400000000000","lost"]]}]})")
            << 400
            << QByteArray(
                       R"(couldn't parse labels: 1:5: parse error: unexpected character inside braces: '-')")
            << 0;
    QTest::newRow("json valid stream and one without labels")
            << JsonType << QByteArray()
            << QByteArray(
                       R"({"streams":[{"stream":{"app":"ok"},"values":[["1732406400000000000","kept"]]},{"stream":{},"values":[["1732406400000000000","lost"]]}]})")
            << 400 << QByteArray("error at least one label pair is required per stream") << 1;
    QTest::newRow("unknown content encoding")
            << JsonType << QByteArray("br") << jsonPush(R"({"app":"demo"})", one) << 400
            << QByteArray(R"(Content-Encoding "br" not supported)") << 0;
    QTest::newRow("json sent as another content type")
            << QByteArray("text/plain") << QByteArray() << jsonPush(R"({"app":"demo"})", one) << 400
            << QByteArray("snappy: corrupt input") << 0;

    QTest::newRow("protobuf valid")
            << ProtobufType << QByteArray() << literal(ValidHex) << 204 << QByteArray() << 2;
    QTest::newRow("protobuf with snappy encoding") << ProtobufType << QByteArray("snappy")
                                                   << literal(ValidHex) << 204 << QByteArray() << 2;
    QTest::newRow("protobuf without content type")
            << QByteArray() << QByteArray() << literal(ValidHex) << 204 << QByteArray() << 2;
    QTest::newRow("protobuf invalid label name")
            << ProtobufType << QByteArray() << literal(BadNameHex) << 400
            << QByteArray(
                       R"(couldn't parse labels: 1:5: parse error: unexpected character inside braces: '-')")
            << 0;
    QTest::newRow("protobuf no labels")
            << ProtobufType << QByteArray() << literal(NoLabelsHex) << 400
            << QByteArray("error at least one label pair is required per stream") << 0;
    QTest::newRow("protobuf duplicate label name")
            << ProtobufType << QByteArray() << literal(DuplicateHex) << 400
            << QByteArray(R"(stream '{app="a", app="b"}' has duplicate label name: 'app')") << 0;
    QTest::newRow("protobuf valid and unparsable streams")
            << ProtobufType << QByteArray() << literal(MixedHex) << 400
            << QByteArray(R"(couldn't parse labels: 1:6: parse error: unterminated quoted string)")
            << 0;
    QTest::newRow("protobuf snappy cut short")
            << ProtobufType << QByteArray() << literal(ValidHex).left(40) << 400
            << QByteArray("snappy: corrupt input") << 0;
    QTest::newRow("protobuf message cut short")
            << ProtobufType << QByteArray() << literal(TruncatedMessageHex) << 400
            << QByteArray("unexpected EOF") << 0;
}

void tst_ReceiverPush::validation()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    QFETCH(int, stored);

    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    const TestHttp::Reply reply = push(contentType, body, encoding);
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, status);
    const QByteArray line = reply.body.endsWith('\n') ? reply.body.chopped(1) : reply.body;
    if (message.endsWith('*'))
        QVERIFY2(line.startsWith(message.chopped(1)), line.constData());
    else
        QCOMPARE(line, message);
    QCOMPARE(m_receiver.entryCount(), qint64(stored));
    QCOMPARE(handled.count(), 1);
    QCOMPARE(handled.at(0).at(0).toInt(), status);
    QCOMPARE(handled.at(0).at(1).toInt(), stored);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(status), quint64(1));
    QCOMPARE(m_receiver.stats().bytesReceived(), quint64(body.size()));
}

void tst_ReceiverPush::timestampLimits_data()
{
    QTest::addColumn<qint64>("timestampNs");
    QTest::addColumn<bool>("rejectOld");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("messageStart");

    const qint64 now = nowNs();
    const qint64 day = 24LL * 3600 * 1000000000;
    const qint64 minute = 60LL * 1000000000;
    QTest::newRow("eight days old") << now - 8 * day << true << 400
                                    << "entry for stream '{app=\"demo\"}' has timestamp too old: "
                    + rfc3339(now - 8 * day) + ", oldest acceptable timestamp is: ";
    QTest::newRow("six days old") << now - 6 * day << true << 204 << QByteArray();
    QTest::newRow("thirty days old, old accepted")
            << now - 30 * day << false << 204 << QByteArray();
    QTest::newRow("an hour ahead") << now + 60 * minute << true << 400
                                   << "entry for stream '{app=\"demo\"}' has timestamp too new: "
                    + rfc3339(now + 60 * minute);
    QTest::newRow("five minutes ahead") << now + 5 * minute << true << 204 << QByteArray();
}

void tst_ReceiverPush::timestampLimits()
{
    QFETCH(qint64, timestampNs);
    QFETCH(bool, rejectOld);
    QFETCH(int, status);
    QFETCH(QByteArray, messageStart);

    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(rejectOld);
    m_receiver.setLimits(limits);
    const TestHttp::Reply reply =
            push(JsonType,
                 jsonPush(R"({"app":"demo"})",
                          "[[\"" + QByteArray::number(timestampNs) + "\",\"line\"]]"));
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.startsWith(messageStart), reply.body.constData());
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 1 : 0);
    QCOMPARE(m_receiver.stats().entriesRejected(), status == 204 ? 0u : 1u);
}

void tst_ReceiverPush::contentEncoding_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");

    const QByteArray json = jsonPush(
            R"({"app":"demo"})", R"([["1732406400000000000","a"],["1732406400000000001","b"]])");
    const QByteArray protobuf = TestPush::snappyCompress(
            TestPush::encodePushRequest({{"{app=\"demo\"}", {{T0, "a", {}}, {T0 + 1, "b", {}}}}}));
    QTest::newRow("json gzip") << JsonType << QByteArray("gzip") << TestPush::gzipCompress(json)
                               << 204 << QByteArray();
    QTest::newRow("json deflate raw")
            << JsonType << QByteArray("deflate") << TestPush::deflateCompress(json, false) << 204
            << QByteArray();
    QTest::newRow("json deflate zlib")
            << JsonType << QByteArray("deflate") << TestPush::deflateCompress(json, true) << 204
            << QByteArray();
    QTest::newRow("json gzip upper case") << JsonType << QByteArray("GZIP")
                                          << TestPush::gzipCompress(json) << 204 << QByteArray();
    QTest::newRow("protobuf gzip") << ProtobufType << QByteArray("gzip")
                                   << TestPush::gzipCompress(protobuf) << 204 << QByteArray();
    QTest::newRow("json claimed gzip") << JsonType << QByteArray("gzip") << json << 400
                                       << QByteArray("gzip: invalid header\n");
    QTest::newRow("json gzip cut short")
            << JsonType << QByteArray("gzip") << TestPush::gzipCompress(json).left(20) << 400
            << QByteArray("gzip: invalid compressed data\n");
}

void tst_ReceiverPush::contentEncoding()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, message);

    const TestHttp::Reply reply = push(contentType, body, encoding);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, message);
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 2 : 0);
    if (status == 204) {
        const auto entries = m_receiver.entries();
        QCOMPARE(entries.at(0).line, QStringLiteral("a"));
        QCOMPARE(entries.at(1).timestampNs, T0 + 1);
    }
}

// Found by fuzz_push_protobuf: a snappy body of 13 bytes whose header claims 1 GiB made
// the receiver allocate the gigabyte before it found the body corrupt. With the address
// space limited to 512 MiB beyond what is in use, such an allocation fails and the receiver
// aborts; the claim is now refused when the body is too small to hold it, with or without
// a limit on decompressed bytes (here none, so that only that check stands in the way).
// (Sanitizer builds reserve their allocator's space up front, where the limit does not bite.)
void tst_ReceiverPush::snappyBodyClaimingAGigabyte()
{
    const LokiReceiver::Limits savedLimits = m_receiver.limits();
    m_receiver.setLimits(LokiReceiver::Limits(savedLimits).setMaxDecompressedBytes(0));
    const auto restoreLimits = qScopeGuard([&] { m_receiver.setLimits(savedLimits); });
    QFile statm(QStringLiteral("/proc/self/statm"));
    QVERIFY(statm.open(QIODevice::ReadOnly));
    bool ok = false;
    const qint64 pages = statm.readAll().split(' ').constFirst().toLongLong(&ok);
    QVERIFY(ok);
    rlimit saved {};
    QCOMPARE(getrlimit(RLIMIT_AS, &saved), 0);
    rlimit limited = saved;
    limited.rlim_cur = rlim_t(pages * sysconf(_SC_PAGESIZE) + (qint64(512) << 20));
    if (saved.rlim_max != RLIM_INFINITY && limited.rlim_cur > saved.rlim_max)
        limited.rlim_cur = saved.rlim_max;
    QCOMPARE(setrlimit(RLIMIT_AS, &limited), 0);
    // Length 1073741823 as a varint, then 8 bytes that do not make it.
    const TestHttp::Reply reply =
            push(ProtobufType, QByteArray::fromHex("ffffffff03ffffffff080a05ff"));
    QCOMPARE(setrlimit(RLIMIT_AS, &saved), 0);
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body, QByteArray("snappy: corrupt input\n"));
    QCOMPARE(m_receiver.entryCount(), qint64(0));
}

// Found by fuzz_roundtrip: Qt's JSON reader drops U+FEFF at the start of a string, so a label
// value, line or metadata starting with it lost it over JSON (not over protobuf). The store
// file shows the bytes as stored (LokiReceiver::entries() decodes them with fromUtf8()).
void tst_ReceiverPush::jsonStringStartingWithByteOrderMark()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("entries.jsonl"));
    QVERIFY2(m_receiver.setStoreFile(path), qPrintable(m_receiver.errorString()));
    // '~' stands for U+FEFF; the second line is a backslash and U+FEFF.
    const auto marked = [](QByteArray text) { return text.replace('~', "\xEF\xBB\xBF"); };
    const QByteArray body = marked(
            R"({"streams":[{"stream":{"app":"~demo"},"values":[["1732406400000000000","~line",)"
            R"({"k":"~v"}],["1732406400000000001","\\~"]]}]})");
    QCOMPARE(push(JsonType, body).status, 204);
    QVERIFY(m_receiver.setStoreFile(QString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(),
             marked(R"({"stream":{"app":"~demo"},"ts":"1732406400000000000","line":"~line",)"
                    R"("structuredMetadata":{"k":"~v"}})"
                    "\n"
                    R"({"stream":{"app":"~demo"},"ts":"1732406400000000001","line":"\\~"})"
                    "\n"));
    // Outside a string it is not JSON, as for Loki.
    QCOMPARE(push(JsonType, marked("~") + body).status, 400);
}

// Found with fuzz_labelparser given one long input (its usual inputs of a few KiB hid it):
// the lexer counted every token's column from the start of the text, so a label string of
// 1.2 MB (200,000 empty pairs, which validation would then drop) kept the receiver busy for
// hours. Now it takes milliseconds; the push's 10 s timeout is the bound.
void tst_ReceiverPush::longLabelStringInLinearTime()
{
    QByteArray labels = "{";
    for (int i = 0; i < 200000; ++i)
        labels += "a=\"\", ";
    labels += "b=\"x\"}";
    const QByteArray body =
            TestPush::snappyCompress(TestPush::encodePushRequest({{labels, {{T0, "line", {}}}}}));
    QElapsedTimer timer;
    timer.start();
    const TestHttp::Reply reply = push(ProtobufType, body);
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, 204);
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_receiver.entryCount(), qint64(1));
    QCOMPARE(m_receiver.entries().first().labels,
             (QMap<QString, QString> {{QStringLiteral("b"), QStringLiteral("x")}}));
}

void tst_ReceiverPush::structuredMetadataStored_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("json")
            << JsonType
            << QByteArray(
                       R"({"streams":[{"stream":{"app":"demo","level":"info"},"values":[["1732406400000000000","user login ok"],["1732406400000000001","payment",{"user_id":"12345","amount":"100.5"}]]}]})");
    QTest::newRow("protobuf") << ProtobufType << literal(ValidHex);
}

void tst_ReceiverPush::structuredMetadataStored()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);

    QCOMPARE(push(contentType, body).status, 204);
    const auto entries = m_receiver.entries();
    QCOMPARE(entries.size(), 2);
    const QMap<QString, QString> labels {{QStringLiteral("app"), QStringLiteral("demo")},
                                         {QStringLiteral("level"), QStringLiteral("info")}};
    QCOMPARE(entries.at(0).labels, labels);
    QVERIFY(entries.at(0).structuredMetadata.isEmpty());
    QCOMPARE(entries.at(1).labels, labels);
    QCOMPARE(entries.at(1).line, QStringLiteral("payment"));
    QCOMPARE(entries.at(1).timestampNs, T0 + 1);
    const QMap<QString, QString> metadata {{QStringLiteral("user_id"), QStringLiteral("12345")},
                                           {QStringLiteral("amount"), QStringLiteral("100.5")}};
    QCOMPARE(entries.at(1).structuredMetadata, metadata);
}

void tst_ReceiverPush::structuredMetadataDisallowed_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<int>("stored");

    const QByteArray disallowed =
            R"(stream '{app="demo", level="info"}' includes structured metadata, but this feature is disallowed. Please see `limits_config.allow_structured_metadata` or contact your Loki administrator to enable it.)";
    // As Loki 2.9 and 3.x: only the entry that carries metadata is refused, in both wire
    // formats (tst_receiver_refusals tests Loki 2.8's answer).
    QTest::newRow("json")
            << JsonType
            << QByteArray(
                       R"({"streams":[{"stream":{"app":"demo","level":"info"},"values":[["1732406400000000000","user login ok"],["1732406400000000001","payment",{"user_id":"12345"}]]}]})")
            << disallowed << 1;
    QTest::newRow("protobuf") << ProtobufType << literal(ValidHex) << disallowed << 1;
}

void tst_ReceiverPush::structuredMetadataDisallowed()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, message);
    QFETCH(int, stored);

    LokiReceiver::Limits limits = m_receiver.limits();
    limits.setAllowStructuredMetadata(false);
    m_receiver.setLimits(limits);
    const TestHttp::Reply reply = push(contentType, body);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body, message + '\n');
    QCOMPARE(m_receiver.entryCount(), qint64(stored));
}

void tst_ReceiverPush::emptyLabelValueIsNoLabel()
{
    QCOMPARE(push(JsonType,
                  jsonPush(R"({"app":"demo","env":""})", R"([["1732406400000000000","a"]])"))
                     .status,
             204);
    QCOMPARE(push(JsonType, jsonPush(R"({"app":"demo"})", R"([["1732406400000000001","b"]])"))
                     .status,
             204);
    QCOMPARE(m_receiver.streams().size(), 1);
    QCOMPARE(m_receiver.streams().constFirst(),
             (QMap<QString, QString> {{QStringLiteral("app"), QStringLiteral("demo")}}));
}

void tst_ReceiverPush::deduplication()
{
    const QByteArray body = jsonPush(
            R"({"app":"demo"})", R"([["1732406400000000000","a"],["1732406400000000001","b"]])");
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    QCOMPARE(push(JsonType, body).status, 204);
    // A retried batch: silently accepted, nothing stored twice.
    QCOMPARE(push(JsonType, body).status, 204);
    QCOMPARE(handled.at(1).at(1).toInt(), 0);
    QCOMPARE(m_receiver.entryCount(), 2);
    QCOMPARE(m_receiver.stats().duplicatesIgnored(), 2u);
    // Same timestamp and another line, same line and another timestamp, another stream.
    QCOMPARE(push(JsonType,
                  jsonPush(R"({"app":"demo"})",
                           R"([["1732406400000000000","c"],["1732406400000000002","a"]])"))
                     .status,
             204);
    QCOMPARE(push(JsonType, jsonPush(R"({"app":"other"})", R"([["1732406400000000000","a"]])"))
                     .status,
             204);
    QCOMPARE(m_receiver.entryCount(), 5);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 5u);
    // The same pair in both wire formats is one entry.
    QCOMPARE(
            push(JsonType,
                 R"({"streams":[{"stream":{"level":"info","app":"demo"},"values":[["1732406400000000000","user login ok"]]}]})")
                    .status,
            204);
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 204);
    QCOMPARE(m_receiver.entryCount(), 7);
    QCOMPARE(m_receiver.stats().duplicatesIgnored(), 3u);
}

void tst_ReceiverPush::eviction()
{
    m_receiver.setMaxStoredEntries(5);
    QByteArray values = "[";
    for (int i = 0; i < 8; ++i)
        values += (i ? "," : "")
                + ("[\"" + QByteArray::number(T0 + i) + "\",\"line " + QByteArray::number(i)
                   + "\"]");
    values += ']';
    QCOMPARE(push(JsonType, jsonPush(R"({"app":"demo"})", values)).status, 204);
    QCOMPARE(m_receiver.entryCount(), 5);
    QCOMPARE(m_receiver.stats().entriesEvicted(), 3u);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 8u);
    QCOMPARE(m_receiver.entries().constFirst().line, QStringLiteral("line 3"));
    QCOMPARE(m_receiver.entries().constLast().line, QStringLiteral("line 7"));
    // An evicted entry is forgotten, also by deduplication.
    QCOMPARE(push(JsonType, jsonPush(R"({"app":"demo"})", R"([["1732406400000000000","line 0"]])"))
                     .status,
             204);
    QCOMPARE(m_receiver.stats().duplicatesIgnored(), 0u);
    QCOMPARE(m_receiver.entries().constLast().line, QStringLiteral("line 0"));
    QCOMPARE(m_receiver.stats().entriesEvicted(), 4u);
    // Shrinking the bound evicts at once.
    m_receiver.setMaxStoredEntries(2);
    QCOMPARE(m_receiver.entryCount(), 2);
    QCOMPARE(m_receiver.stats().entriesEvicted(), 7u);
}

void tst_ReceiverPush::protocDecodesLiteralBytes()
{
    const QString protoc = QStandardPaths::findExecutable(QStringLiteral("protoc"));
    QVERIFY2(!protoc.isEmpty(), "protoc is required (scripts/bootstrap installs it)");
    const QByteArray message = TestPush::snappyUncompress(literal(ValidHex));
    QVERIFY(!message.isEmpty());

    QProcess process;
    process.start(protoc,
                  {QStringLiteral("--decode=logproto.PushRequest"), QStringLiteral("-I"),
                   QStringLiteral(QLOKI_SOURCE_DIR "/tests/proto"), QStringLiteral("push.proto")});
    QVERIFY(process.waitForStarted(10000));
    process.write(message);
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray expected = R"(streams {
  labels: "{app=\"demo\", level=\"info\"}"
  entries {
    timestamp {
      seconds: 1732406400
    }
    line: "user login ok"
  }
  entries {
    timestamp {
      seconds: 1732406400
      nanos: 1
    }
    line: "payment"
    structuredMetadata {
      name: "user_id"
      value: "12345"
    }
    structuredMetadata {
      name: "amount"
      value: "100.5"
    }
  }
}
)";
    QCOMPARE(process.readAllStandardOutput(), expected);
}

void tst_ReceiverPush::testWriterMatchesLiterals()
{
    using TestPush::encodePushRequest;
    const QByteArray valid = encodePushRequest(
            {{"{app=\"demo\", level=\"info\"}",
              {{T0, "user login ok", {}},
               {T0 + 1, "payment", {{"user_id", "12345"}, {"amount", "100.5"}}}}}});
    QCOMPARE(valid, TestPush::snappyUncompress(literal(ValidHex)));
    QCOMPARE(encodePushRequest({{"{app=\"a\", app=\"b\"}", {{T0, "line", {}}}}}),
             TestPush::snappyUncompress(literal(DuplicateHex)));
}

void tst_ReceiverPush::countingOnly()
{
    m_receiver.setCountingOnly(true);
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 204);
    QCOMPARE(push(ProtobufType, literal(BadNameHex)).status, 400);
    QCOMPARE(m_receiver.entryCount(), 0);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 2u);
    QCOMPARE(m_receiver.stats().entriesRejected(), 1u);
    // Counting reads the lines and metadata in place, without copies: the checks that
    // look at them still do. "payment" is 7 bytes, "user login ok" 13.
    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(false); // as init() sets
    limits.setMaxLineSize(10);
    m_receiver.setLimits(limits);
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 400);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 3u);
    QCOMPARE(m_receiver.stats().entriesRejected(), 2u);
    limits.setMaxLineSize(LokiReceiver::Limits().maxLineSize());
    limits.setAllowStructuredMetadata(false);
    m_receiver.setLimits(limits);
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 400);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 4u);
    QCOMPARE(m_receiver.stats().entriesRejected(), 3u);
    QCOMPARE(m_receiver.entryCount(), 0);
}

void tst_ReceiverPush::storeFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("entries.jsonl"));
    QVERIFY2(m_receiver.setStoreFile(path), qPrintable(m_receiver.errorString()));
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 204);
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 204); // duplicates: not written
    QVERIFY(m_receiver.setStoreFile(QString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(
            file.readAll(),
            QByteArray(
                    R"({"stream":{"app":"demo","level":"info"},"ts":"1732406400000000000","line":"user login ok"}
{"stream":{"app":"demo","level":"info"},"ts":"1732406400000000001","line":"payment","structuredMetadata":{"user_id":"12345","amount":"100.5"}}
)"));
    QVERIFY(!m_receiver.setStoreFile(dir.filePath(QStringLiteral("missing/dir/file"))));
    QVERIFY(!m_receiver.errorString().isEmpty());
}

void tst_ReceiverPush::hundredThousandEntries()
{
    const qint64 start = nowNs() - 60LL * 1000000000;
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    int next = 0;
    for (int batch = 0; batch < 100; ++batch) {
        QList<TestPush::Stream> streams;
        for (int s = 0; s < 10; ++s) {
            TestPush::Stream stream {"{app=\"bench\", worker=\"" + QByteArray::number(s) + "\"}",
                                     {}};
            for (int i = 0; i < 100; ++i, ++next)
                stream.entries.append({start + next, "entry " + QByteArray::number(next), {}});
            streams.append(stream);
        }
        const TestHttp::Reply reply = TestHttp::pushProtobuf(
                m_manager, m_receiver.pushUrl(),
                TestPush::snappyCompress(TestPush::encodePushRequest(streams)));
        QCOMPARE(reply.status, 204);
    }
    QCOMPARE(next, 100000);
    QCOMPARE(handled.count(), 100);
    QCOMPARE(m_receiver.entryCount(), 100000);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 100000u);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(204), 100u);
    QCOMPARE(m_receiver.streams().size(), 10);
}

void tst_ReceiverPush::statusEndpoints()
{
    QCOMPARE(push(ProtobufType, literal(ValidHex)).status, 204);
    QCOMPARE(push(ProtobufType, literal(BadNameHex)).status, 400);

    const TestHttp::Reply ready =
            TestHttp::get(m_manager, m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/ready"))));
    QCOMPARE(ready.status, 200);
    QCOMPARE(ready.body, QByteArray("ready\n"));

    const TestHttp::Reply metrics = TestHttp::get(
            m_manager, m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
    QCOMPARE(metrics.status, 200);
    for (const char *line :
         {"loki_receiver_push_requests_total{status=\"204\"} 1\n",
          "loki_receiver_push_requests_total{status=\"400\"} 1\n",
          "loki_receiver_entries_accepted_total 2\n", "loki_receiver_entries_rejected_total 1\n",
          "loki_receiver_stored_entries 2\n", "loki_receiver_streams 1\n"}) {
        QVERIFY2(metrics.body.contains(line), line);
    }

    const QUrl buildInfo =
            m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/loki/api/v1/status/buildinfo")));
    QVERIFY(TestHttp::get(m_manager, buildInfo).body.contains(R"("version":"3.0.0")"));
    m_receiver.setBuildVersion(QStringLiteral("2.8.4"));
    QVERIFY(TestHttp::get(m_manager, buildInfo).body.contains(R"("version":"2.8.4")"));
    m_receiver.setBuildVersion(QStringLiteral("3.0.0"));

    const TestHttp::Reply missing = TestHttp::get(
            m_manager, m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/nothing"))));
    QCOMPARE(missing.status, 404);
    const TestHttp::Reply wrongMethod = TestHttp::get(m_manager, m_receiver.pushUrl());
    QCOMPARE(wrongMethod.status, 405);
}

QTEST_GUILESS_MAIN(tst_ReceiverPush)
#include "tst_receiver_push.moc"
