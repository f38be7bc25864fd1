// SPDX-License-Identifier: MIT
#include "encoding/otlpencoder_p.h"
#include "encoding/otlpjsonencoder_p.h"
#include "transport/otlpanswer_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QTest>

#include <zlib.h>

using namespace QLoki;
using namespace QLoki::detail;

Q_DECLARE_METATYPE(QLoki::detail::PushBatch)

namespace {

constexpr qint64 Login = 1732406400000000000; // 2024-11-24T00:00:00Z
const char Request[] = "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest";
const char RequestProto[] = "opentelemetry/proto/collector/logs/v1/logs_service.proto";

LabelList demo(const QString &level, const LabelList &more = {})
{
    LabelList l {{QStringLiteral("app"), QStringLiteral("demo")},
                 {QStringLiteral("environment"), QStringLiteral("production")},
                 {QStringLiteral("level"), level}};
    l += more;
    std::sort(l.begin(), l.end());
    return l;
}

WireEntry typed(qint64 ns, const QString &line, const LabelList &metadata,
                const QList<ValueKind> &kinds)
{
    return WireEntry(ns, line, metadata, &kinds);
}

// Text format pieces, as protoc reads them.
QString attribute(const QString &key, const QString &value)
{
    return QStringLiteral("attributes { key: \"%1\" value { %2 } }").arg(key, value);
}

QString str(const QString &s) { return QStringLiteral("string_value: \"%1\"").arg(s); }

QString resource(const QStringList &attributes, const QStringList &scopes)
{
    return QStringLiteral("resource_logs { resource { %1 } %2 }")
            .arg(attributes.join(QLatin1Char(' ')), scopes.join(QLatin1Char(' ')));
}

QString demoResource(const QStringList &scopes, const QStringList &more = {})
{
    return resource(
            QStringList {attribute(QStringLiteral("service.name"), str(QStringLiteral("demo"))),
                         attribute(QStringLiteral("deployment.environment.name"),
                                   str(QStringLiteral("production")))}
                    + more,
            scopes);
}

QString scope(const QStringList &records, const QString &name = QStringLiteral("qloki"))
{
    return QStringLiteral("scope_logs { scope { name: \"%1\" version: \"%2\" } %3 }")
            .arg(name, QString::fromLatin1(qlokiVersion()), records.join(QLatin1Char(' ')));
}

QString record(qint64 ns, int severity, const QString &text, const QString &body,
               const QStringList &rest = {}, const QString &ids = {})
{
    return QStringLiteral(
                   "log_records { time_unix_nano: %1 severity_number: %2 severity_text: "
                   "\"%3\" body { string_value: \"%4\" } %5 %6 observed_time_unix_nano: %1 }")
            .arg(ns)
            .arg(severity)
            .arg(text, body, rest.join(QLatin1Char(' ')), ids);
}

QString protocPath() { return QStandardPaths::findExecutable(QStringLiteral("protoc")); }

// Runs protoc with \a args on \a input; fails the test on any error.
bool runProtoc(const QStringList &args, const QByteArray &input, QByteArray *output)
{
    QProcess process;
    process.start(protocPath(),
                  QStringList {QStringLiteral("-I"), QStringLiteral(QLOKI_PROTO_DIR)} + args);
    if (!process.waitForStarted())
        return false;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000))
        return false;
    const QByteArray errors = process.readAllStandardError();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0
        || !errors.isEmpty()) {
        qWarning("protoc: %s", errors.constData());
        return false;
    }
    *output = process.readAllStandardOutput();
    return true;
}

QByteArray gunzip(const QByteArray &data)
{
    z_stream zs = {};
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return {};
    QByteArray out(data.size() * 20 + 1024, Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = inflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? out : QByteArray();
}

const QString TraceHex = QStringLiteral("0123456789abcdef0123456789ABCDEF");
const QString SpanHex = QStringLiteral("00f067aa0ba902b7");

QString escapedBytes(const QString &hex)
{
    QString out;
    const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
    for (char c : bytes)
        out += QStringLiteral("\\x%1").arg(quint8(c), 2, 16, QLatin1Char('0'));
    return out;
}

} // namespace

class tst_OtlpEncoder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void headers();
    void matchesProtoc_data();
    void matchesProtoc();
    void protocDecodesGzip();
    void json_data();
    void json();
    void jsonEscapes();
    void answers_data();
    void answers();
};

void tst_OtlpEncoder::initTestCase()
{
    // protoc comes with the build dependencies; without it these checks would vanish.
    if (protocPath().isEmpty())
        QFAIL("protoc not found in PATH (scripts/bootstrap.sh installs it)");
}

void tst_OtlpEncoder::headers()
{
    QCOMPARE(OtlpEncoder().contentType(), QByteArrayLiteral("application/x-protobuf"));
    QVERIFY(OtlpEncoder().contentEncoding().isEmpty());
    QCOMPARE(OtlpEncoder(OtlpEncoder::Compression::Gzip).contentEncoding(),
             QByteArrayLiteral("gzip"));
    QCOMPARE(OtlpJsonEncoder().contentType(), QByteArrayLiteral("application/json"));
    QCOMPARE(OtlpJsonEncoder(OtlpJsonEncoder::Compression::Gzip).contentEncoding(),
             QByteArrayLiteral("gzip"));
    QCOMPARE(makeEncoder(WireFormat::Otlp)->contentType(),
             QByteArrayLiteral("application/x-protobuf"));
    QCOMPARE(makeEncoder(WireFormat::OtlpJsonGzip)->contentEncoding(), QByteArrayLiteral("gzip"));
}

void tst_OtlpEncoder::matchesProtoc_data()
{
    QTest::addColumn<PushBatch>("batch");
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << PushBatch {} << QString();

    QTest::newRow("one entry") << PushBatch {{{demo(QStringLiteral("info")),
                                               {WireEntry(Login, QStringLiteral("hello"))}}}}
                               << demoResource({scope({record(Login, 9, QStringLiteral("info"),
                                                              QStringLiteral("hello"))})});

    // Streams that differ only in level share their resource and scope; severities by level.
    PushBatch levels;
    const QStringList names {QStringLiteral("debug"), QStringLiteral("warning"),
                             QStringLiteral("error"), QStringLiteral("critical")};
    const int numbers[] = {5, 13, 17, 21};
    QStringList records;
    for (int i = 0; i < names.size(); ++i) {
        levels.streams.append({demo(names[i]), {WireEntry(Login + i, names[i])}});
        records << record(Login + i, numbers[i], names[i], names[i]);
    }
    QTest::newRow("severities") << levels << demoResource({scope(records)});

    // Another label set is another resource; labels are resource attributes under their name.
    const LabelList checkout = demo(QStringLiteral("info"),
                                    {{QStringLiteral("component"), QStringLiteral("checkout")}});
    QTest::newRow("labels as resources")
            << PushBatch {{{demo(QStringLiteral("info")), {WireEntry(Login, QStringLiteral("a"))}},
                           {checkout, {WireEntry(Login + 1, QStringLiteral("b"))}}}}
            << demoResource(
                       {scope({record(Login, 9, QStringLiteral("info"), QStringLiteral("a"))})})
                    + QLatin1Char(' ')
                    + demoResource({scope({record(Login + 1, 9, QStringLiteral("info"),
                                                  QStringLiteral("b"))})},
                                   {attribute(QStringLiteral("component"),
                                              str(QStringLiteral("checkout")))});

    QTest::newRow("category as scope")
            << PushBatch {{{demo(QStringLiteral("warning"),
                                 {{QStringLiteral("category"), QStringLiteral("app.net")}}),
                            {WireEntry(Login, QStringLiteral("slow"))}}}}
            << demoResource({scope(
                       {record(Login, 13, QStringLiteral("warning"), QStringLiteral("slow"))},
                       QStringLiteral("app.net"))});

    const LabelList metadata {{QStringLiteral("amount"), QStringLiteral("100.5")},
                              {QStringLiteral("count"), QStringLiteral("-7")},
                              {QStringLiteral("empty"), QString()},
                              {QStringLiteral("ids"), QStringLiteral("[1,\"a\",true,null]")},
                              {QStringLiteral("inf"), QStringLiteral("+Inf")},
                              {QStringLiteral("map"), QStringLiteral("{\"k\":\"v\",\"n\":2}")},
                              {QStringLiteral("ok"), QStringLiteral("true")},
                              {QStringLiteral("user"), QStringLiteral("42")}};
    const QList<ValueKind> kinds {ValueKind::Double, ValueKind::Int,    ValueKind::Text,
                                  ValueKind::List,   ValueKind::Double, ValueKind::Map,
                                  ValueKind::Bool,   ValueKind::Text};
    QTest::newRow("typed attributes")
            << PushBatch {{{demo(QStringLiteral("info")),
                            {typed(Login, QStringLiteral("paid"), metadata, kinds)}}}}
            << demoResource({scope({record(
                       Login, 9, QStringLiteral("info"), QStringLiteral("paid"),
                       {attribute(QStringLiteral("amount"), QStringLiteral("double_value: 100.5")),
                        attribute(QStringLiteral("count"), QStringLiteral("int_value: -7")),
                        attribute(QStringLiteral("empty"), str(QString())),
                        attribute(
                                QStringLiteral("ids"),
                                QStringLiteral("array_value { values { int_value: 1 } values { "
                                               "string_value: \"a\" } values { bool_value: true } "
                                               "values { } }")),
                        attribute(QStringLiteral("inf"), QStringLiteral("double_value: inf")),
                        attribute(
                                QStringLiteral("map"),
                                QStringLiteral("kvlist_value { values { key: \"k\" value { "
                                               "string_value: \"v\" } } values { key: \"n\" value "
                                               "{ int_value: 2 } } }")),
                        attribute(QStringLiteral("ok"), QStringLiteral("bool_value: true")),
                        attribute(QStringLiteral("user"), str(QStringLiteral("42")))})})});

    // A value of a kind that does not read as that kind stays text (a uint beyond 2^63).
    QTest::newRow("int beyond int64")
            << PushBatch {{{demo(QStringLiteral("info")),
                            {typed(Login, QStringLiteral("x"),
                                   {{QStringLiteral("big"),
                                     QStringLiteral("18446744073709551615")}},
                                   {ValueKind::Int})}}}}
            << demoResource(
                       {scope({record(Login, 9, QStringLiteral("info"), QStringLiteral("x"),
                                      {attribute(QStringLiteral("big"),
                                                 str(QStringLiteral("18446744073709551615")))})})});

    QTest::newRow("trace and span ids")
            << PushBatch {{{demo(QStringLiteral("error")),
                            {WireEntry(Login, QStringLiteral("failed"),
                                       {{QStringLiteral("order"), QStringLiteral("17")},
                                        {QStringLiteral("span_id"), SpanHex},
                                        {QStringLiteral("trace_id"), TraceHex}})}}}}
            << demoResource({scope(
                       {record(Login, 17, QStringLiteral("error"), QStringLiteral("failed"),
                               {attribute(QStringLiteral("order"), str(QStringLiteral("17")))},
                               QStringLiteral("trace_id: \"%1\" span_id: \"%2\"")
                                       .arg(escapedBytes(TraceHex), escapedBytes(SpanHex)))})});

    // Not 32/16 hex digits, or all zero (an invalid id): attributes as they are.
    QTest::newRow("ids that are none")
            << PushBatch {{{demo(QStringLiteral("info")),
                            {WireEntry(Login, QStringLiteral("x"),
                                       {{QStringLiteral("span_id"),
                                         QStringLiteral("0000000000000000")},
                                        {QStringLiteral("trace_id"), QStringLiteral("abc")}})}}}}
            << demoResource({scope({record(
                       Login, 9, QStringLiteral("info"), QStringLiteral("x"),
                       {attribute(QStringLiteral("span_id"),
                                  str(QStringLiteral("0000000000000000"))),
                        attribute(QStringLiteral("trace_id"), str(QStringLiteral("abc")))})})});

    QTest::newRow("utf-8 and escapes")
            << PushBatch {{{demo(QStringLiteral("info")),
                            {WireEntry(Login, QStringLiteral("caf\u00e9 \"q\"\n"))}}}}
            << demoResource({scope({record(Login, 9, QStringLiteral("info"),
                                           QStringLiteral("caf\\303\\251 \\\"q\\\"\\n"))})});

    // Proto3 leaves a zero time out (an entry at the epoch).
    QTest::newRow("epoch")
            << PushBatch {{{demo(QStringLiteral("info")), {WireEntry(0, QStringLiteral("t0"))}}}}
            << demoResource(
                       {scope({QStringLiteral("log_records { severity_number: 9 severity_text: "
                                              "\"info\" body { string_value: \"t0\" } }")})});
}

void tst_OtlpEncoder::matchesProtoc()
{
    QFETCH(PushBatch, batch);
    QFETCH(QString, text);

    QByteArray expected;
    QVERIFY(runProtoc({QStringLiteral("--encode=%1").arg(QLatin1String(Request)),
                       QLatin1String(RequestProto)},
                      text.toUtf8(), &expected));
    const QByteArray actual = OtlpEncoder::serialize(batch);
    QCOMPARE(actual.toHex(' '), expected.toHex(' '));
    QCOMPARE(OtlpEncoder().encode(batch), actual);

    // And protoc reads it back as the same request.
    QByteArray decoded;
    QByteArray decodedExpected;
    QVERIFY(runProtoc({QStringLiteral("--decode=%1").arg(QLatin1String(Request)),
                       QLatin1String(RequestProto)},
                      actual, &decoded));
    QVERIFY(runProtoc({QStringLiteral("--decode=%1").arg(QLatin1String(Request)),
                       QLatin1String(RequestProto)},
                      expected, &decodedExpected));
    QCOMPARE(decoded, decodedExpected);
}

void tst_OtlpEncoder::protocDecodesGzip()
{
    const PushBatch batch {
            {{demo(QStringLiteral("info")), {WireEntry(Login, QStringLiteral("zipped"))}}}};
    const QByteArray body = OtlpEncoder(OtlpEncoder::Compression::Gzip).encode(batch);
    QCOMPARE(gunzip(body), OtlpEncoder::serialize(batch));
    QByteArray decoded;
    QVERIFY(runProtoc({QStringLiteral("--decode=%1").arg(QLatin1String(Request)),
                       QLatin1String(RequestProto)},
                      gunzip(body), &decoded));
    QVERIFY2(decoded.contains("string_value: \"zipped\""), decoded.constData());
    QVERIFY(decoded.contains("severity_number: SEVERITY_NUMBER_INFO"));
}

void tst_OtlpEncoder::json_data()
{
    QTest::addColumn<PushBatch>("batch");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray version = qlokiVersion();
    const QByteArray head =
            R"({"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"demo"}},{"key":"deployment.environment.name","value":{"stringValue":"production"}}]},"scopeLogs":[{"scope":{"name":"qloki","version":")"
            + version + R"("},"logRecords":[)";
    const QByteArray tail = "]}]}]}";

    QTest::newRow("empty") << PushBatch {} << QByteArray(R"({"resourceLogs":[]})");
    QTest::newRow("one entry") << PushBatch {{{demo(QStringLiteral("warning")),
                                               {WireEntry(Login, QStringLiteral("hello"))}}}}
                               << head
                    + R"({"timeUnixNano":"1732406400000000000","observedTimeUnixNano":"1732406400000000000","severityNumber":13,"severityText":"warning","body":{"stringValue":"hello"}})"
                    + tail;

    const LabelList metadata {{QStringLiteral("amount"), QStringLiteral("100.5")},
                              {QStringLiteral("count"), QStringLiteral("-7")},
                              {QStringLiteral("ids"), QStringLiteral("[1,\"a\"]")},
                              {QStringLiteral("map"), QStringLiteral("{\"k\":false}")},
                              {QStringLiteral("nan"), QStringLiteral("NaN")},
                              {QStringLiteral("ok"), QStringLiteral("true")},
                              {QStringLiteral("span_id"), SpanHex},
                              {QStringLiteral("trace_id"), TraceHex},
                              {QStringLiteral("user"), QStringLiteral("42")}};
    const QList<ValueKind> kinds {ValueKind::Double, ValueKind::Int,    ValueKind::List,
                                  ValueKind::Map,    ValueKind::Double, ValueKind::Bool,
                                  ValueKind::Text,   ValueKind::Text,   ValueKind::Text};
    QTest::newRow("typed attributes and ids")
            << PushBatch {{{demo(QStringLiteral("error")),
                            {typed(Login, QStringLiteral("paid"), metadata, kinds)}}}}
            << head
                    + R"({"timeUnixNano":"1732406400000000000","observedTimeUnixNano":"1732406400000000000","severityNumber":17,"severityText":"error","body":{"stringValue":"paid"},"attributes":[)"
                      R"({"key":"amount","value":{"doubleValue":100.5}},{"key":"count","value":{"intValue":"-7"}},)"
                      R"({"key":"ids","value":{"arrayValue":{"values":[{"intValue":"1"},{"stringValue":"a"}]}}},)"
                      R"({"key":"map","value":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false}}]}}},)"
                      R"({"key":"nan","value":{"doubleValue":"NaN"}},{"key":"ok","value":{"boolValue":true}},)"
                      R"({"key":"user","value":{"stringValue":"42"}}],)"
                      R"("traceId":"0123456789abcdef0123456789abcdef","spanId":"00f067aa0ba902b7"})"
                    + tail;
}

void tst_OtlpEncoder::json()
{
    QFETCH(PushBatch, batch);
    QFETCH(QByteArray, expected);

    const QByteArray actual = OtlpJsonEncoder::serialize(batch);
    QCOMPARE(actual, expected);
    QJsonParseError error;
    QJsonDocument::fromJson(actual, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(gunzip(OtlpJsonEncoder(OtlpJsonEncoder::Compression::Gzip).encode(batch)), actual);
}

void tst_OtlpEncoder::jsonEscapes()
{
    const QString line =
            QStringLiteral("tab\there \"quoted\" back\\slash \u0001 caf\u00e9 \U0001F600");
    const PushBatch batch {{{demo(QStringLiteral("info")), {WireEntry(Login, line)}}}};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(OtlpJsonEncoder::serialize(batch), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject record = doc[QLatin1String("resourceLogs")][0][QLatin1String("scopeLogs")][0]
                                  [QLatin1String("logRecords")][0]
                                          .toObject();
    QCOMPARE(record[QLatin1String("body")][QLatin1String("stringValue")].toString(), line);
}

void tst_OtlpEncoder::answers_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<qint64>("rejected");
    QTest::addColumn<QString>("message");

    QTest::newRow("empty 200") << QByteArray() << QByteArrayLiteral("application/x-protobuf")
                               << qint64(0) << QString();
    QTest::newRow("json partial") << QByteArrayLiteral(
            R"({"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"too old"}})")
                                  << QByteArrayLiteral("application/json; charset=utf-8")
                                  << qint64(3) << QStringLiteral("too old");
    QTest::newRow("json number, snake case")
            << QByteArrayLiteral(R"({"partial_success":{"rejected_log_records":2}})")
            << QByteArrayLiteral("application/json") << qint64(2) << QString();
    QTest::newRow("json empty object")
            << QByteArrayLiteral("{}") << QByteArrayLiteral("application/json") << qint64(0)
            << QString();
    QTest::newRow("garbage protobuf")
            << QByteArrayLiteral("\x0a\x7f") << QByteArrayLiteral("application/x-protobuf")
            << qint64(0) << QString();
}

void tst_OtlpEncoder::answers()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(qint64, rejected);
    QFETCH(QString, message);
    const OtlpPartialSuccess partial = readOtlpPartialSuccess(body, contentType);
    QCOMPARE(partial.rejected, rejected);
    QCOMPARE(partial.message, message);
}

QTEST_GUILESS_MAIN(tst_OtlpEncoder)
#include "tst_otlpencoder.moc"
