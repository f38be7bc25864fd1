// SPDX-License-Identifier: MIT
#include "toolprocess.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using Labels = QMap<QString, QString>;

class TestLokiSend : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void help();
    void messageFromArguments_data();
    void messageFromArguments();
    void stdinOneEntryPerLine();
    void syntheticEntriesFromThreads();
    void otlpToLoki3Endpoint_data();
    void otlpToLoki3Endpoint();
    void redactsSecrets_data();
    void redactsSecrets();
    void blockingOverflowLosesNothing();
    void deliversAfterInjected503s();
    void badUsage_data();
    void badUsage();
    void unreachableWithoutOfflineBuffer_data();
    void unreachableWithoutOfflineBuffer();
    void bufferBytesBoundTheBuffer_data();
    void bufferBytesBoundTheBuffer();
    void contextEntriesWaitForATrigger();

private:
    ToolRun send(const QStringList &arguments, const QByteArray &input = {},
                 const QProcessEnvironment &env = toolEnvironment());
    static QJsonObject parseStats(const QByteArray &out);

    LokiReceiver m_receiver;
};

ToolRun TestLokiSend::send(const QStringList &arguments, const QByteArray &input,
                           const QProcessEnvironment &env)
{
    return runTool(QStringLiteral(LOKI_SEND_PATH), arguments, input, env);
}

// --stats json prints exactly one JSON object on one line, and nothing else on stdout.
QJsonObject TestLokiSend::parseStats(const QByteArray &out)
{
    const QByteArray trimmed = out.trimmed();
    if (trimmed.isEmpty() || trimmed.contains('\n'))
        return {};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    return doc.isObject() ? doc.object() : QJsonObject();
}

void TestLokiSend::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void TestLokiSend::init()
{
    m_receiver.clearFaults();
    m_receiver.reset();
}

void TestLokiSend::help()
{
    const ToolRun run = send({u"--help"_s});
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains("--overflow"));
    QVERIFY(run.out.contains("--stats"));
    QVERIFY(run.out.contains("--buffer-bytes <n>"));
    QCOMPARE(m_receiver.stats().pushRequests(), 0u);
}

void TestLokiSend::messageFromArguments_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::newRow("protobuf") << QStringList{u"--format"_s, u"protobuf"_s};
    QTest::newRow("json") << QStringList{u"--format"_s, u"json"_s};
    QTest::newRow("json-gzip") << QStringList{u"--format"_s, u"json-gzip"_s};
    QTest::newRow("sync") << QStringList{u"--sync"_s};
}

void TestLokiSend::messageFromArguments()
{
    QFETCH(QStringList, extra);
    const QStringList args = QStringList{u"--url"_s, m_receiver.baseUrl().toString(),
                                         u"--app"_s, u"tools-args"_s,
                                         u"--env"_s, u"test"_s,
                                         u"--level"_s, u"warning"_s,
                                         u"--label"_s, u"team=core"_s,
                                         u"--label"_s, u"region=eu-west"_s,
                                         u"--meta"_s, u"request_id=abc-1"_s,
                                         u"--meta"_s, u"user=alice"_s}
        + extra + QStringList{u"disk"_s, u"almost"_s, u"full"_s};
    const ToolRun run = send(args);
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.isEmpty(), run.out.constData()); // stdout is only for --stats

    // The arguments make one entry, as with logger(1).
    const QList<LokiReceiver::Entry> entries = m_receiver.entries();
    QCOMPARE(entries.size(), 1);
    const LokiReceiver::Entry &entry = entries.first();
    QCOMPARE(entry.line, u"disk almost full"_s);
    QCOMPARE(entry.labels.value(u"app"_s), u"tools-args"_s);
    QCOMPARE(entry.labels.value(u"environment"_s), u"test"_s);
    QCOMPARE(entry.labels.value(u"level"_s), u"warning"_s);
    QCOMPARE(entry.labels.value(u"team"_s), u"core"_s);
    QCOMPARE(entry.labels.value(u"region"_s), u"eu-west"_s);
    QVERIFY(!entry.labels.contains(u"request_id"_s)); // metadata does not make a stream
    QCOMPARE(entry.structuredMetadata.value(u"request_id"_s), u"abc-1"_s);
    QCOMPARE(entry.structuredMetadata.value(u"user"_s), u"alice"_s);

    QString error;
    const auto found = m_receiver.query(u"{app=\"tools-args\", team=\"core\"} |= \"almost\""_s,
                                        0, std::numeric_limits<qint64>::max(), 0,
                                        LokiReceiver::Direction::Backward, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(found.size(), 1);
}

void TestLokiSend::stdinOneEntryPerLine()
{
    const QByteArray input =
        "first line\nsecond line\n\nthird line: caf\xc3\xa9\r\nlast without newline";
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s,
                              u"tools-stdin"_s, u"--label"_s, u"source=pipe"_s},
                             input);
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);

    QList<LokiReceiver::Entry> entries = m_receiver.entries();
    std::sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
        return a.timestampNs < b.timestampNs;
    });
    QStringList lines;
    for (const LokiReceiver::Entry &entry : std::as_const(entries)) {
        lines << entry.line;
        QCOMPARE(entry.labels.value(u"app"_s), u"tools-stdin"_s);
        QCOMPARE(entry.labels.value(u"source"_s), u"pipe"_s);
        QCOMPARE(entry.labels.value(u"level"_s), u"info"_s);
    }
    // Empty lines are skipped; a CR before the newline is not part of the line.
    const QStringList expected{u"first line"_s, u"second line"_s,
                               QString::fromUtf8("third line: caf\xc3\xa9"),
                               u"last without newline"_s};
    QCOMPARE(lines, expected);
}

void TestLokiSend::syntheticEntriesFromThreads()
{
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s,
                              u"tools-count"_s, u"--count"_s, u"10000"_s, u"--threads"_s,
                              u"4"_s, u"--stats"_s, u"json"_s});
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);

    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(!stats.isEmpty(), run.out.constData());
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 10000);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 10000);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"pending"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"dropped_by_reason"_s).toObject().value(u"buffer_full"_s).toInteger(),
             0);
    QVERIFY(stats.value(u"batches_delivered"_s).toInteger() >= 10); // 1000 entries a batch
    QVERIFY(stats.value(u"bytes_sent"_s).toInteger() > 0);
    QVERIFY(stats.value(u"elapsed_s"_s).toDouble() > 0);
    QVERIFY(stats.value(u"entries_per_s"_s).toDouble() > 0);
    QVERIFY(stats.value(u"caller_ns_per_call"_s).toDouble() > 0);
    QVERIFY(stats.contains(u"last_error"_s));
    QVERIFY(stats.contains(u"state"_s));
    QVERIFY(stats.contains(u"retries"_s));

    // Exactly the numbered entries 1..10000, each once.
    QCOMPARE(m_receiver.entryCount(), 10000);
    QSet<QString> lines;
    const QList<LokiReceiver::Entry> entries = m_receiver.entries();
    for (const LokiReceiver::Entry &entry : entries)
        lines.insert(entry.line);
    QCOMPARE(lines.size(), 10000);
    QVERIFY(lines.contains(u"synthetic entry 1"_s));
    QVERIFY(lines.contains(u"synthetic entry 10000"_s));
    QVERIFY(!lines.contains(u"synthetic entry 0"_s));
}

void TestLokiSend::otlpToLoki3Endpoint_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("otlp") << u"otlp"_s;
    QTest::newRow("otlp-json") << u"otlp-json"_s;
}

// The README's OTLP figure in small: OTLP/HTTP to the base URL goes to /otlp/v1/logs, and the
// receiver stores it as Loki 3 does (labels service_name and deployment_environment_name; the
// stream label and the metadata as structured metadata; trace_id from the record's id).
void TestLokiSend::otlpToLoki3Endpoint()
{
    QFETCH(QString, format);
    const QString traceId = u"0123456789abcdef0123456789abcdef"_s;
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s,
                              u"tools-otlp"_s, u"--format"_s, format, u"--count"_s, u"5000"_s,
                              u"--label"_s, u"component=checkout"_s, u"--meta"_s,
                              u"trace_id="_s + traceId, u"--stats"_s, u"json"_s});
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    const QJsonObject stats = parseStats(run.out);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 5000);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 0);
    QCOMPARE(m_receiver.entryCount(), 5000);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(200), m_receiver.stats().pushRequests());

    QString error;
    const auto found = m_receiver.query(
            u"{service_name=\"tools-otlp\", deployment_environment_name=\"production\"}"_s, 0,
            std::numeric_limits<qint64>::max(), 10000, LokiReceiver::Direction::Backward, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(found.size(), 5000);
    for (const LokiReceiver::Entry &entry : found) {
        QCOMPARE(entry.structuredMetadata.value(u"component"_s), u"checkout"_s);
        QCOMPARE(entry.structuredMetadata.value(u"trace_id"_s), traceId);
        QCOMPARE(entry.structuredMetadata.value(u"severity_text"_s), u"info"_s);
    }
}

void TestLokiSend::redactsSecrets_data()
{
    QTest::addColumn<bool>("noRedact");
    QTest::newRow("default") << false;
    QTest::newRow("--no-redact") << true;
}

// A secret in the message and in --meta is redacted by default, counted in --stats json;
// --no-redact sends it as given.
void TestLokiSend::redactsSecrets()
{
    QFETCH(bool, noRedact);
    QStringList args{u"--url"_s, m_receiver.baseUrl().toString(), u"--app"_s, u"tools-redact"_s,
                     u"--meta"_s, u"api_key=k-123456"_s, u"--stats"_s, u"json"_s};
    if (noRedact)
        args << u"--no-redact"_s;
    args << u"login"_s << u"password=hunter2"_s;
    const ToolRun run = send(args);
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(stats.contains(u"redacted"_s), run.out.constData());
    QCOMPARE(stats.value(u"redacted"_s).toInteger(), noRedact ? 0 : 1);

    const QList<LokiReceiver::Entry> entries = m_receiver.entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().line,
             noRedact ? u"login password=hunter2"_s : u"login password=[REDACTED]"_s);
    QCOMPARE(entries.first().structuredMetadata.value(u"api_key"_s),
             noRedact ? u"k-123456"_s : u"[REDACTED]"_s);
}

void TestLokiSend::blockingOverflowLosesNothing()
{
    // A buffer far smaller than the input: the default overflow policy makes the
    // logging threads wait instead of dropping.
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--count"_s,
                              u"3000"_s, u"--threads"_s, u"3"_s, u"--buffer-size"_s, u"100"_s,
                              u"--batch-entries"_s, u"50"_s, u"--stats"_s, u"json"_s});
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    const QJsonObject stats = parseStats(run.out);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 3000);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 0);
    QCOMPARE(m_receiver.entryCount(), 3000);
}

void TestLokiSend::deliversAfterInjected503s()
{
    // The buffer holds every entry, so that a retry that never comes shows as exit 1
    // after --timeout rather than as logging threads blocked for good.
    m_receiver.failNextPushes(5, 503);
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--count"_s,
                              u"2000"_s, u"--batch-entries"_s, u"200"_s, u"--min-backoff"_s,
                              u"0.02"_s, u"--max-backoff"_s, u"0.1"_s, u"--max-retries"_s,
                              u"10"_s, u"--buffer-size"_s, u"2000"_s, u"--timeout"_s,
                              u"20"_s, u"--stats"_s, u"json"_s});
    QVERIFY2(run.finished, run.describe().constData());
    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(!stats.isEmpty(), run.out.constData());
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 2000);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"batches_failed"_s).toInteger(), 5);
    QCOMPARE(stats.value(u"retries"_s).toInteger(), 5);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(503), 5u);
    QCOMPARE(m_receiver.entryCount(), 2000);
}

void TestLokiSend::badUsage_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Labels>("environment");
    const Labels none;
    QTest::newRow("unknown option") << QStringList{u"--nope"_s, u"x"_s} << none;
    QTest::newRow("missing value") << QStringList{u"--level"_s} << none;
    QTest::newRow("bad level") << QStringList{u"--level"_s, u"loud"_s, u"x"_s} << none;
    QTest::newRow("bad overflow") << QStringList{u"--overflow"_s, u"spill"_s, u"x"_s} << none;
    QTest::newRow("bad format") << QStringList{u"--format"_s, u"xml"_s, u"x"_s} << none;
    QTest::newRow("bad stats format") << QStringList{u"--stats"_s, u"yaml"_s, u"x"_s} << none;
    QTest::newRow("label without =") << QStringList{u"--label"_s, u"team"_s, u"x"_s} << none;
    QTest::newRow("meta without key") << QStringList{u"--meta"_s, u"=v"_s, u"x"_s} << none;
    QTest::newRow("count and message") << QStringList{u"--count"_s, u"3"_s, u"x"_s} << none;
    QTest::newRow("count not a number") << QStringList{u"--count"_s, u"many"_s} << none;
    QTest::newRow("negative count") << QStringList{u"--count"_s, u"-1"_s} << none;
    QTest::newRow("threads without count") << QStringList{u"--threads"_s, u"2"_s, u"x"_s}
                                           << none;
    QTest::newRow("zero threads")
        << QStringList{u"--count"_s, u"3"_s, u"--threads"_s, u"0"_s} << none;
    QTest::newRow("bad seconds") << QStringList{u"--timeout"_s, u"soon"_s, u"x"_s} << none;
    QTest::newRow("invalid config: buffer size")
        << QStringList{u"--buffer-size"_s, u"0"_s, u"x"_s} << none;
    QTest::newRow("buffer bytes not a number")
        << QStringList{u"--buffer-bytes"_s, u"lots"_s, u"x"_s} << none;
    QTest::newRow("invalid config: buffer bytes below 64 KiB")
        << QStringList{u"--buffer-bytes"_s, u"65535"_s, u"x"_s} << none;
    QTest::newRow("invalid config: empty app") << QStringList{u"--app"_s, u""_s, u"x"_s}
                                               << none;
    QTest::newRow("context entries not a number")
            << QStringList {u"--context-entries"_s, u"some"_s, u"x"_s} << none;
    QTest::newRow("invalid config: negative context entries")
            << QStringList {u"--context-entries"_s, u"-1"_s, u"x"_s} << none;
    QTest::newRow("invalid config: context as large as the buffer")
            << QStringList {u"--context-entries"_s, u"10"_s, u"--buffer-size"_s, u"10"_s, u"x"_s}
            << none;
    QTest::newRow("invalid environment")
        << QStringList{u"x"_s} << Labels{{u"LOKI_BUFFER_SIZE"_s, u"plenty"_s}};
}

void TestLokiSend::badUsage()
{
    QFETCH(QStringList, arguments);
    QFETCH(Labels, environment);
    // The receiver is the target, so a usage error that slipped through would push.
    const QStringList args = QStringList{u"--url"_s, m_receiver.baseUrl().toString()} + arguments;
    const ToolRun run = send(args, {}, toolEnvironment(environment));
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QVERIFY(run.err.startsWith("loki-send: "));
    QCOMPARE(m_receiver.stats().pushRequests(), 0u);
}

void TestLokiSend::unreachableWithoutOfflineBuffer_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Labels>("environment");
    QTest::newRow("flag") << QStringList{u"--no-offline-buffer"_s} << Labels();
    QTest::newRow("environment")
        << QStringList() << Labels{{u"LOKI_ENABLE_OFFLINE_BUFFER"_s, u"false"_s}};
}

void TestLokiSend::unreachableWithoutOfflineBuffer()
{
    QFETCH(QStringList, arguments);
    QFETCH(Labels, environment);

    // A port that was free a moment ago: connections to it are refused.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    const QStringList args = QStringList{u"--url"_s, u"http://127.0.0.1:%1"_s.arg(port),
                                         u"--max-retries"_s, u"0"_s, u"--timeout"_s, u"1"_s,
                                         u"--stats"_s, u"json"_s}
        + arguments + QStringList{u"nobody"_s, u"listens"_s};
    QElapsedTimer clock;
    clock.start();
    const ToolRun run = send(args, {}, toolEnvironment(environment));
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(clock.elapsed() < 15000, run.describe().constData());
    QVERIFY(!run.err.isEmpty());

    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(!stats.isEmpty(), run.out.constData());
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 1);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"dropped"_s).toInteger(), 1);
    QCOMPARE(stats.value(u"dropped_by_reason"_s)
                 .toObject()
                 .value(u"retries_exhausted"_s)
                 .toInteger(),
             1);
    QVERIFY(!stats.value(u"last_error"_s).toString().isEmpty());
}

void TestLokiSend::bufferBytesBoundTheBuffer_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Labels>("environment");
    QTest::addColumn<qint64>("bound");
    QTest::newRow("default") << QStringList() << Labels() << qint64(16) * 1024 * 1024;
    QTest::newRow("--buffer-bytes")
        << QStringList{u"--buffer-bytes"_s, u"65536"_s} << Labels() << qint64(65536);
    QTest::newRow("LOKI_BUFFER_MAX_BYTES")
        << QStringList() << Labels{{u"LOKI_BUFFER_MAX_BYTES"_s, u"98304"_s}} << qint64(98304);
    QTest::newRow("the option over the environment")
        << QStringList{u"--buffer-bytes"_s, u"65536"_s}
        << Labels{{u"LOKI_BUFFER_MAX_BYTES"_s, u"98304"_s}} << qint64(65536);
}

// --buffer-bytes (or LOKI_BUFFER_MAX_BYTES) bounds what waits in memory while Loki cannot
// be reached: 100 lines of 4,000 bytes fit the default bound of 16 MiB, and only a few of
// them a bound of 64 KiB, the rest dropped as buffer_full and counted.
void TestLokiSend::bufferBytesBoundTheBuffer()
{
    QFETCH(QStringList, arguments);
    QFETCH(Labels, environment);
    QFETCH(qint64, bound);

    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    constexpr int Lines = 100;
    constexpr int LineBytes = 4000;
    QByteArray input;
    for (int i = 0; i < Lines; ++i)
        input += QByteArray(LineBytes - 8, 'a' + char(i % 26)) + QByteArray::number(10000000 + i)
                + '\n';
    const ToolRun run = send(QStringList{u"--url"_s, u"http://127.0.0.1:%1"_s.arg(port),
                                         u"--overflow"_s, u"drop-oldest"_s, u"--timeout"_s,
                                         u"1"_s, u"--stats"_s, u"json"_s}
                                     + arguments,
                             input, toolEnvironment(environment));
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 1); // nothing delivered
    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(!stats.isEmpty(), run.out.constData());
    QCOMPARE(stats.value(u"capacity_bytes"_s).toInteger(), bound);
    QCOMPARE(stats.value(u"capacity"_s).toInteger(), 1000);
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), Lines);
    QCOMPARE(stats.value(u"delivered"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"dropped"_s).toInteger() + stats.value(u"pending"_s).toInteger(), Lines);
    const QJsonObject byReason = stats.value(u"dropped_by_reason"_s).toObject();
    const qint64 bufferFull = byReason.value(u"buffer_full"_s).toInteger();
    if (bound >= Lines * LineBytes * 2) {
        QCOMPARE(bufferFull, 0);
    } else {
        // Each line holds 8,000 bytes in UTF-16 until it is resolved, 4,000 and a little
        // after: no more than bound / 4,000 of them can wait.
        QVERIFY2(bufferFull >= Lines - bound / LineBytes, run.out.constData());
        QVERIFY2(bufferFull < Lines, run.out.constData());
    }
}

// --context-entries keeps lines below the minimum level in the ring: without an entry at
// the trigger level none is sent or counted as accepted; --stats json says what the ring
// let go.
void TestLokiSend::contextEntriesWaitForATrigger()
{
    const ToolRun run = send({u"--url"_s, m_receiver.baseUrl().toString(), u"--level"_s, u"debug"_s,
                              u"--context-entries"_s, u"3"_s, u"--stats"_s, u"json"_s},
                             "one\ntwo\nthree\nfour\nfive\n",
                             toolEnvironment(Labels {{u"LOKI_MIN_LEVEL"_s, u"warning"_s}}));
    QVERIFY2(run.finished, run.describe().constData());
    QCOMPARE(run.exitCode, 0);
    const QJsonObject stats = parseStats(run.out);
    QVERIFY2(!stats.isEmpty(), run.out.constData());
    QCOMPARE(stats.value(u"accepted"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"context_shipped"_s).toInteger(), 0);
    QCOMPARE(stats.value(u"context_overwritten"_s).toInteger(), 2);
    QCOMPARE(m_receiver.entryCount(), 0);
}

QTEST_GUILESS_MAIN(TestLokiSend)
#include "tst_loki_send.moc"
