// SPDX-License-Identifier: MIT
// POST /otlp/v1/logs: OTLP/HTTP logs in protobuf and JSON (gzip too), stored as Loki 3
// stores them, answered as OTLP/HTTP answers. Request bodies are written by protoc from the
// OTLP .proto files in tests/proto, independently of QLoki's encoder.
#include "httphelper.h"
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>
#include <QLokiReceiver/lokireceiverstats.h>

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QtTest>

namespace {

const QByteArray ProtobufType = "application/x-protobuf";
const QByteArray JsonType = "application/json";

QByteArray protoc(const QString &mode, const QString &message, const QString &file,
                  const QByteArray &input)
{
    QProcess process;
    process.start(QStandardPaths::findExecutable(QStringLiteral("protoc")),
                  {QStringLiteral("--%1=%2").arg(mode, message), QStringLiteral("-I"),
                   QStringLiteral(QLOKI_PROTO_DIR), file});
    if (!process.waitForStarted())
        return {};
    process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    const QByteArray errors = process.readAllStandardError();
    if (process.exitCode() != 0 || !errors.isEmpty()) {
        qWarning("protoc: %s", errors.constData());
        return {};
    }
    return process.readAllStandardOutput();
}

const QString Request =
        QStringLiteral("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest");
const QString Response =
        QStringLiteral("opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse");
const QString LogsService =
        QStringLiteral("opentelemetry/proto/collector/logs/v1/logs_service.proto");

// One resource (two index attributes, one that is not), one scope, two records.
QString requestText(qint64 t)
{
    return QStringLiteral(R"(resource_logs {
  resource {
    attributes { key: "service.name" value { string_value: "checkout" } }
    attributes { key: "deployment.environment.name" value { string_value: "prod" } }
    attributes { key: "host.name" value { string_value: "h1" } }
  }
  scope_logs {
    scope { name: "app.net" version: "1.2" }
    log_records {
      time_unix_nano: %1 observed_time_unix_nano: %1
      severity_number: SEVERITY_NUMBER_ERROR severity_text: "error"
      body { string_value: "payment failed" }
      attributes { key: "user.id" value { int_value: 42 } }
      attributes { key: "amount" value { double_value: 100.5 } }
      attributes { key: "retry" value { bool_value: true } }
      attributes { key: "tags" value { array_value { values { string_value: "a" } values { int_value: 2 } } } }
      attributes { key: "http" value { kvlist_value { values { key: "status" value { int_value: 502 } } } } }
      trace_id: "\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89\xab\xcd\xef"
      span_id: "\x00\xf0\x67\xaa\x0b\xa9\x02\xb7"
    }
    log_records { time_unix_nano: %2 severity_number: SEVERITY_NUMBER_INFO body { string_value: "second" } }
  }
})")
            .arg(t)
            .arg(t + 1);
}

QByteArray requestJson(qint64 t)
{
    return QStringLiteral(R"({"resourceLogs":[{"resource":{"attributes":[
  {"key":"service.name","value":{"stringValue":"checkout"}},
  {"key":"deployment.environment.name","value":{"stringValue":"prod"}},
  {"key":"host.name","value":{"stringValue":"h1"}}]},
 "scopeLogs":[{"scope":{"name":"app.net","version":"1.2"},"logRecords":[
  {"timeUnixNano":"%1","observedTimeUnixNano":"%1","severityNumber":17,"severityText":"error",
   "body":{"stringValue":"payment failed"},
   "attributes":[{"key":"user.id","value":{"intValue":"42"}},{"key":"amount","value":{"doubleValue":100.5}},
    {"key":"retry","value":{"boolValue":true}},
    {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"}]}}},
    {"key":"http","value":{"kvlistValue":{"values":[{"key":"status","value":{"intValue":502}}]}}}],
   "traceId":"0123456789abcdef0123456789abcdef","spanId":"00f067aa0ba902b7"},
  {"timeUnixNano":"%2","severityNumber":9,"body":{"stringValue":"second"}}]}]}]})")
            .arg(t)
            .arg(t + 1)
            .toUtf8();
}

qint64 nowNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000; }

void appendVarint(QByteArray *out, quint64 v)
{
    for (; v >= 0x80; v >>= 7)
        out->append(char(v | 0x80));
    out->append(char(v));
}

qsizetype varintSize(quint64 v)
{
    qsizetype n = 1;
    for (; v >= 0x80; v >>= 7)
        ++n;
    return n;
}

/*!
    A request of one record whose body is an array in an array ... \a depth values deep (the
    innermost the string "x"), in protobuf or JSON. Written by hand: protoc's text format
    stops at 100 levels. The protobuf sizes are found from the innermost value out, then the
    tags and lengths are written from the outermost in.
*/
QByteArray nestedRequest(int depth, bool json, qint64 t)
{
    if (json) {
        QByteArray value;
        for (int i = 1; i < depth; ++i)
            value += R"({"arrayValue":{"values":[)";
        value += R"({"stringValue":"x"})";
        for (int i = 1; i < depth; ++i)
            value += "]}}";
        return R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":")"
                + QByteArray::number(t) + R"(","body":)" + value + "}]}]}]}";
    }
    // AnyValue.array_value = 5 { ArrayValue.values = 1 { AnyValue ... } }
    QList<quint64> valueSize {3}; // string_value = 1 "x"
    QList<quint64> listSize {0};
    for (int i = 1; i < depth; ++i) {
        const quint64 inner = valueSize.constLast();
        listSize.append(1 + quint64(varintSize(inner)) + inner);
        valueSize.append(1 + quint64(varintSize(listSize.constLast())) + listSize.constLast());
    }
    QByteArray value;
    for (int i = depth - 1; i >= 1; --i) {
        value.append('\x2a');
        appendVarint(&value, listSize.at(i));
        value.append('\x0a');
        appendVarint(&value, valueSize.at(i - 1));
    }
    value.append("\x0a\x01x", 3);
    const auto field = [](int number, const QByteArray &payload) -> QByteArray {
        QByteArray out;
        appendVarint(&out, quint64(number) << 3 | 2);
        appendVarint(&out, quint64(payload.size()));
        return out + payload;
    };
    QByteArray record(1, '\x09'); // time_unix_nano = 1, fixed64
    for (int i = 0; i < 8; ++i)
        record.append(char(quint64(t) >> (8 * i)));
    record += field(5, value); // body
    // ExportLogsServiceRequest.resource_logs { scope_logs { log_records } }
    return field(1, field(2, field(2, record)));
}

} // namespace

class tst_ReceiverOtlp : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void storedAsLoki3_data();
    void storedAsLoki3();
    void queryReadsThemBack();
    void resourceWithoutServiceName();
    void partialSuccess_data();
    void partialSuccess();
    void refusedRequests_data();
    void refusedRequests();
    void injectedFaultsAnswerAsOtlp();
    void everyTruncationAnswered();
    void deeplyNestedValueStackOverflow_data();
    void deeplyNestedValueStackOverflow();

private:
    LokiReceiver *m_receiver = nullptr;
    QNetworkAccessManager m_manager;
    QUrl otlpUrl() const
    {
        return m_receiver->baseUrl().resolved(QUrl(QStringLiteral("/otlp/v1/logs")));
    }
    std::unique_ptr<LokiReceiver> m_owner;
};

void tst_ReceiverOtlp::init()
{
    if (QStandardPaths::findExecutable(QStringLiteral("protoc")).isEmpty())
        QFAIL("protoc is required (scripts/bootstrap.sh installs it)");
    m_owner = std::make_unique<LokiReceiver>();
    m_receiver = m_owner.get();
    QVERIFY(m_receiver->listen());
}

void tst_ReceiverOtlp::storedAsLoki3_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::newRow("protobuf") << ProtobufType << QByteArray();
    QTest::newRow("protobuf gzip") << ProtobufType << QByteArrayLiteral("gzip");
    QTest::newRow("json") << JsonType << QByteArray();
    QTest::newRow("json gzip") << JsonType << QByteArrayLiteral("gzip");
}

void tst_ReceiverOtlp::storedAsLoki3()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    const qint64 t = nowNs();
    QByteArray body = contentType == JsonType
            ? requestJson(t)
            : protoc(QStringLiteral("encode"), Request, LogsService, requestText(t).toUtf8());
    QVERIFY(!body.isEmpty());
    TestHttp::Headers headers {{"Content-Type", contentType}};
    if (!encoding.isEmpty()) {
        body = TestPush::gzipCompress(body);
        headers.append({"Content-Encoding", encoding});
    }
    const TestHttp::Reply reply = TestHttp::post(m_manager, otlpUrl(), body, headers);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, contentType);
    if (contentType == JsonType)
        QCOMPARE(reply.body, QByteArrayLiteral("{}"));
    else
        QCOMPARE(reply.body, QByteArray()); // an empty ExportLogsServiceResponse

    const QList<LokiReceiver::Entry> entries = m_receiver->entries();
    QCOMPARE(entries.size(), 2);
    const QMap<QString, QString> labels {
            {QStringLiteral("deployment_environment_name"), QStringLiteral("prod")},
            {QStringLiteral("service_name"), QStringLiteral("checkout")}};
    const auto first = std::find_if(entries.cbegin(), entries.cend(), [](const auto &e) {
        return e.line == QLatin1String("payment failed");
    });
    QVERIFY(first != entries.cend());
    QCOMPARE(first->labels, labels);
    QCOMPARE(first->timestampNs, t);
    const QMap<QString, QString> metadata {
            {QStringLiteral("user_id"), QStringLiteral("42")},
            {QStringLiteral("amount"), QStringLiteral("100.5")},
            {QStringLiteral("retry"), QStringLiteral("true")},
            {QStringLiteral("tags"), QStringLiteral("[\"a\",2]")},
            {QStringLiteral("http_status"), QStringLiteral("502")},
            {QStringLiteral("observed_timestamp"), QString::number(t)},
            {QStringLiteral("severity_number"), QStringLiteral("17")},
            {QStringLiteral("severity_text"), QStringLiteral("error")},
            {QStringLiteral("trace_id"), QStringLiteral("0123456789abcdef0123456789abcdef")},
            {QStringLiteral("span_id"), QStringLiteral("00f067aa0ba902b7")},
            {QStringLiteral("host_name"), QStringLiteral("h1")},
            {QStringLiteral("scope_name"), QStringLiteral("app.net")},
            {QStringLiteral("scope_version"), QStringLiteral("1.2")}};
    QCOMPARE(first->structuredMetadata, metadata);
    const auto second = std::find_if(entries.cbegin(), entries.cend(), [](const auto &e) {
        return e.line == QLatin1String("second");
    });
    QVERIFY(second != entries.cend());
    QCOMPARE(second->timestampNs, t + 1);
    QCOMPARE(second->structuredMetadata.value(QStringLiteral("severity_number")),
             QStringLiteral("9"));
    QVERIFY(!second->structuredMetadata.contains(QStringLiteral("trace_id")));
    QCOMPARE(m_receiver->stats().pushesByStatus().value(200), quint64(1));
}

void tst_ReceiverOtlp::queryReadsThemBack()
{
    const qint64 t = nowNs();
    const TestHttp::Reply pushed =
            TestHttp::post(m_manager, otlpUrl(), requestJson(t), {{"Content-Type", JsonType}});
    QCOMPARE(pushed.status, 200);
    const QByteArray selector =
            QUrl::toPercentEncoding(QStringLiteral("{service_name=\"checkout\"} |= \"payment\""));
    const QUrl query =
            QUrl::fromEncoded(m_receiver->baseUrl().toEncoded() + "/loki/api/v1/query_range?query="
                              + selector + "&start=" + QByteArray::number(t - 1000000000)
                              + "&end=" + QByteArray::number(t + 1000000000) + "&limit=10");
    const TestHttp::Reply reply = TestHttp::get(m_manager, query);
    QVERIFY2(reply.status == 200, reply.body.constData());
    const QJsonArray result =
            QJsonDocument::fromJson(reply.body)[QLatin1String("data")][QLatin1String("result")]
                    .toArray();
    QCOMPARE(result.size(), 1);
    const QJsonObject stream = result.at(0).toObject();
    QCOMPARE(stream[QLatin1String("stream")][QLatin1String("service_name")].toString(),
             QStringLiteral("checkout"));
    const QJsonArray values = stream[QLatin1String("values")].toArray();
    QCOMPARE(values.size(), 1);
    QCOMPARE(values.at(0)[1].toString(), QStringLiteral("payment failed"));
}

void tst_ReceiverOtlp::resourceWithoutServiceName()
{
    const QByteArray body =
            QStringLiteral(
                    R"({"resourceLogs":[{"resource":{"attributes":[{"key":"k8s.namespace.name","value":{"stringValue":"shop"}}]},
        "scopeLogs":[{"logRecords":[{"timeUnixNano":"%1","body":{"stringValue":"x"}}]}]}]})")
                    .arg(nowNs())
                    .toUtf8();
    QCOMPARE(TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", JsonType}}).status, 200);
    const QList<LokiReceiver::Entry> entries = m_receiver->entries();
    QCOMPARE(entries.size(), 1);
    const QMap<QString, QString> labels {
            {QStringLiteral("k8s_namespace_name"), QStringLiteral("shop")},
            {QStringLiteral("service_name"), QStringLiteral("unknown_service")}};
    QCOMPARE(entries.first().labels, labels);
}

void tst_ReceiverOtlp::partialSuccess_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::newRow("protobuf") << ProtobufType;
    QTest::newRow("json") << JsonType;
}

void tst_ReceiverOtlp::partialSuccess()
{
    QFETCH(QByteArray, contentType);
    // Two records, one 30 days old: Loki stores the other and refuses that one.
    const qint64 t = nowNs();
    const qint64 old = t - 30LL * 24 * 3600 * 1000000000LL;
    const QString text =
            QStringLiteral("resource_logs { resource { attributes { key: \"service.name\" value { "
                           "string_value: \"s\" } } } "
                           "scope_logs { log_records { time_unix_nano: %1 body { string_value: "
                           "\"old\" } } "
                           "log_records { time_unix_nano: %2 body { string_value: \"new\" } } } }")
                    .arg(old)
                    .arg(t);
    QByteArray body;
    if (contentType == ProtobufType) {
        body = protoc(QStringLiteral("encode"), Request, LogsService, text.toUtf8());
    } else {
        body = QStringLiteral(
                       R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"s"}}]},
            "scopeLogs":[{"logRecords":[{"timeUnixNano":"%1","body":{"stringValue":"old"}},{"timeUnixNano":"%2","body":{"stringValue":"new"}}]}]}]})")
                       .arg(old)
                       .arg(t)
                       .toUtf8();
    }
    const TestHttp::Reply reply =
            TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", contentType}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_receiver->entryCount(), qint64(1));
    QCOMPARE(m_receiver->entries().first().line, QStringLiteral("new"));
    if (contentType == ProtobufType) {
        const QByteArray decoded =
                protoc(QStringLiteral("decode"), Response, LogsService, reply.body);
        QVERIFY2(decoded.startsWith(
                         "partial_success {\n  rejected_log_records: 1\n  error_message: \""),
                 decoded.constData());
        QVERIFY2(decoded.contains("timestamp too old"), decoded.constData());
    } else {
        const QJsonObject partial =
                QJsonDocument::fromJson(reply.body)[QLatin1String("partialSuccess")].toObject();
        QCOMPARE(partial[QLatin1String("rejectedLogRecords")].toString(), QStringLiteral("1"));
        QVERIFY(partial[QLatin1String("errorMessage")].toString().contains(
                QLatin1String("timestamp too old")));
    }
    QCOMPARE(m_receiver->stats().entriesRejected(), quint64(1));
}

void tst_ReceiverOtlp::refusedRequests_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("truncated protobuf") << ProtobufType << QByteArray::fromHex("0a05ff") << 400
                                        << QByteArrayLiteral("unexpected EOF");
    QTest::newRow("malformed json") << JsonType << QByteArrayLiteral("{\"resourceLogs\":[") << 400
                                    << QByteArrayLiteral("failed to unmarshal OTLP JSON");
    QTest::newRow("bad trace id")
            << JsonType
            << QByteArrayLiteral(
                       R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"xyz"}]}]}]})")
            << 400 << QByteArrayLiteral("invalid 16-byte id");
    QTest::newRow("other media type") << QByteArrayLiteral("text/plain") << QByteArrayLiteral("x")
                                      << 415 << QByteArrayLiteral("unsupported content type");
}

void tst_ReceiverOtlp::refusedRequests()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, message);
    const TestHttp::Reply reply =
            TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", contentType}});
    QCOMPARE(reply.status, status);
    QCOMPARE(m_receiver->entryCount(), qint64(0));
    if (contentType == ProtobufType) {
        const QByteArray decoded =
                protoc(QStringLiteral("decode"), QStringLiteral("google.rpc.Status"),
                       QStringLiteral("status.proto"), reply.body);
        QVERIFY2(decoded.contains(message), decoded.constData());
    } else {
        QVERIFY2(reply.body.contains(message), reply.body.constData());
    }
}

void tst_ReceiverOtlp::injectedFaultsAnswerAsOtlp()
{
    m_receiver->failNextPushes(1, 503, 7);
    const QByteArray body = requestJson(nowNs());
    TestHttp::Reply reply =
            TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", JsonType}});
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.retryAfter, QByteArrayLiteral("7"));
    QCOMPARE(QJsonDocument::fromJson(reply.body)[QLatin1String("message")].toString(),
             QStringLiteral("injected failure (503)"));
    QCOMPARE(m_receiver->entryCount(), qint64(0));
    reply = TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", JsonType}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(m_receiver->entryCount(), qint64(2));
}

// A body cut anywhere is refused as malformed or stores what it still holds: never a crash,
// never another answer.
void tst_ReceiverOtlp::everyTruncationAnswered()
{
    const QByteArray full =
            protoc(QStringLiteral("encode"), Request, LogsService, requestText(nowNs()).toUtf8());
    QVERIFY(!full.isEmpty());
    int refused = 0;
    for (qsizetype size = 0; size < full.size(); ++size) {
        const TestHttp::Reply reply = TestHttp::post(m_manager, otlpUrl(), full.left(size),
                                                     {{"Content-Type", ProtobufType}});
        QVERIFY2(reply.status == 200 || reply.status == 400,
                 qPrintable(QStringLiteral("%1 bytes: HTTP %2").arg(size).arg(reply.status)));
        refused += reply.status == 400 ? 1 : 0;
    }
    QVERIFY(refused > full.size() / 2);
    QVERIFY(m_receiver->entryCount() <= 2);
}

// A body of values nested on (800 KiB of arrays in arrays) overflowed the stack of the
// protobuf reader: values may nest 100 deep, in both encodings; deeper is a 400.
void tst_ReceiverOtlp::deeplyNestedValueStackOverflow_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("depth");
    QTest::addColumn<int>("status");
    QTest::newRow("protobuf at the limit") << ProtobufType << 100 << 200;
    QTest::newRow("protobuf beyond") << ProtobufType << 101 << 400;
    QTest::newRow("protobuf 100000 deep") << ProtobufType << 100000 << 400;
    QTest::newRow("json at the limit") << JsonType << 100 << 200;
    QTest::newRow("json beyond") << JsonType << 101 << 400;
}

void tst_ReceiverOtlp::deeplyNestedValueStackOverflow()
{
    QFETCH(QByteArray, contentType);
    QFETCH(int, depth);
    QFETCH(int, status);
    const QByteArray body = nestedRequest(depth, contentType == JsonType, nowNs());
    const TestHttp::Reply reply =
            TestHttp::post(m_manager, otlpUrl(), body, {{"Content-Type", contentType}});
    QCOMPARE(reply.status, status);
    QCOMPARE(m_receiver->entryCount(), qint64(status == 200 ? 1 : 0));
    if (status == 200) {
        // The body is the value as JSON: the innermost string in `depth - 1` arrays.
        const QString line = m_receiver->entries().constFirst().line;
        QCOMPARE(line,
                 QString(depth - 1, QLatin1Char('[')) + QStringLiteral("\"x\"")
                         + QString(depth - 1, QLatin1Char(']')));
    } else {
        QVERIFY2(reply.body.contains("value nested deeper than 100 levels"),
                 reply.body.constData());
    }
}

QTEST_GUILESS_MAIN(tst_ReceiverOtlp)
#include "tst_receiver_otlp.moc"
