// SPDX-License-Identifier: MIT
// The receiver from the outside: pushes from a real curl, and the loki-receiver binary
// (URL line, options, push and query, clean exit on SIGTERM and SIGINT).
#include "httphelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>

namespace {

QByteArray nowNs(qint64 offset = 0)
{
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000 + offset);
}

QByteArray queryPath(const QByteArray &query)
{
    return "/loki/api/v1/query_range?query=" + QUrl::toPercentEncoding(QString::fromUtf8(query));
}

} // namespace

class tst_ReceiverTools : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void curlPushAndQuery();
    void curlLargeBodyGetsContinue();
    void binaryPushQueryAndExit_data();
    void binaryPushQueryAndExit();
    void binaryOptions();
    void binaryRefusalOptions_data();
    void binaryRefusalOptions();
    void binaryFaultOptions_data();
    void binaryFaultOptions();
    void binaryRejectsBadArguments();

private:
    //! Runs curl with \a arguments (and \a input on stdin); returns its stdout.
    QByteArray curl(const QStringList &arguments, const QByteArray &input = {},
                    QByteArray *standardError = nullptr);
    //! Starts loki-receiver with \a arguments and reads the URL it prints.
    bool startBinary(QProcess &process, const QStringList &arguments, QUrl *url);

    QString m_curl;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverTools::initTestCase()
{
    m_curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    QVERIFY2(!m_curl.isEmpty(), "curl is required (scripts/bootstrap installs it)");
    QVERIFY(QFileInfo::exists(QStringLiteral(LOKI_RECEIVER_BINARY)));
}

QByteArray tst_ReceiverTools::curl(const QStringList &arguments, const QByteArray &input,
                                   QByteArray *standardError)
{
    QProcess process;
    process.start(m_curl, arguments);
    if (!process.waitForStarted(10000))
        return "curl did not start";
    // The event loop must run meanwhile: the receiver answering curl lives in this thread.
    QSignalSpy finished(&process, &QProcess::finished);
    process.write(input);
    process.closeWriteChannel();
    if (!finished.wait(30000))
        return "curl did not finish";
    if (standardError)
        *standardError = process.readAllStandardError();
    return process.readAllStandardOutput();
}

bool tst_ReceiverTools::startBinary(QProcess &process, const QStringList &arguments, QUrl *url)
{
    process.start(QStringLiteral(LOKI_RECEIVER_BINARY), arguments);
    if (!process.waitForStarted(10000))
        return false;
    while (!process.canReadLine()) {
        if (!process.waitForReadyRead(10000))
            return false;
    }
    *url = QUrl(QString::fromUtf8(process.readLine().trimmed()));
    return url->isValid() && url->port() > 0;
}

void tst_ReceiverTools::curlPushAndQuery()
{
    LokiReceiver receiver;
    QVERIFY(receiver.listen());
    const QByteArray ts = nowNs();
    const QByteArray body = R"({"streams":[{"stream":{"app":"curl"},"values":[[")" + ts
            + R"(","hello from curl"],[")" + ts + R"(","again",{"trace_id":"abc"}]]}]})";
    QSignalSpy handled(&receiver, &LokiReceiver::pushHandled);
    const QByteArray status =
            curl({QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                  QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-X"),
                  QStringLiteral("POST"), QStringLiteral("-H"),
                  QStringLiteral("Content-Type: application/json"), QStringLiteral("--data-binary"),
                  QStringLiteral("@-"), receiver.pushUrl().toString()},
                 body);
    QCOMPARE(status, QByteArray("204"));
    QCOMPARE(handled.count(), 1);
    QCOMPARE(receiver.entryCount(), 2);

    // Read back with curl as a user would (form encoding, '+' for spaces) and with QNAM.
    const QByteArray answer =
            curl({QStringLiteral("-s"), QStringLiteral("-G"),
                  receiver.baseUrl().toString() + QStringLiteral("/loki/api/v1/query_range"),
                  QStringLiteral("--data-urlencode"),
                  QStringLiteral("query={app=\"curl\"} |= \"from curl\""),
                  QStringLiteral("--data-urlencode"), QStringLiteral("direction=forward")});
    QCOMPARE(
            answer,
            R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"curl"},"values":[[")"
                    + ts + R"(","hello from curl"]]}],"stats":{}}})");
    const TestHttp::Reply reply = TestHttp::get(
            m_manager,
            QUrl::fromEncoded(receiver.baseUrl().toEncoded() + queryPath(R"({app="curl"})")));
    QCOMPARE(reply.status, 200);
    const QByteArray merged =
            R"({"stream":{"app":"curl","trace_id":"abc"},"values":[[")" + ts + R"(","again"]]})";
    QVERIFY(reply.body.contains(merged));
}

void tst_ReceiverTools::curlLargeBodyGetsContinue()
{
    // curl sends bodies over 1 MiB with "Expect: 100-continue" and waits a second for the
    // interim answer unless the server sends it (QtHttpServer 6.4 does not; the receiver does).
    LokiReceiver receiver;
    QVERIFY(receiver.listen());
    const qint64 base = QDateTime::currentMSecsSinceEpoch() * 1000000;
    QByteArray body = R"({"streams":[{"stream":{"app":"big"},"values":[)";
    const QByteArray line(1000, 'x');
    for (int i = 0; i < 1500; ++i)
        body += (i ? "," : "") + ("[\"" + QByteArray::number(base + i) + "\",\"" + line + "\"]");
    body += "]}]}";
    QVERIFY(body.size() > 1024 * 1024);

    QByteArray trace;
    const QByteArray status =
            curl({QStringLiteral("-sv"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                  QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
                  QStringLiteral("Content-Type: application/json"), QStringLiteral("--data-binary"),
                  QStringLiteral("@-"), receiver.pushUrl().toString()},
                 body, &trace);
    QCOMPARE(status, QByteArray("204"));
    QVERIFY2(trace.contains("> Expect: 100-continue"), trace.constData());
    QVERIFY2(trace.contains("< HTTP/1.1 100 Continue"), trace.constData());
    QVERIFY2(!trace.contains("Done waiting for 100-continue"), trace.constData());
    QCOMPARE(receiver.entryCount(), 1500);
}

void tst_ReceiverTools::binaryPushQueryAndExit_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_ReceiverTools::binaryPushQueryAndExit()
{
    QFETCH(int, signalNumber);

    QProcess process;
    QUrl url;
    QVERIFY(startBinary(process, {QStringLiteral("--port"), QStringLiteral("0")}, &url));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));

    const QByteArray ts = nowNs();
    const TestHttp::Reply pushed = TestHttp::pushJson(
            m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/push"))),
            R"({"streams":[{"stream":{"app":"binary"},"values":[[")" + ts + R"(","it works"]]}]})");
    QCOMPARE(pushed.status, 204);
    const TestHttp::Reply queried = TestHttp::get(
            m_manager, QUrl::fromEncoded(url.toEncoded() + queryPath(R"({app="binary"})")));
    QCOMPARE(
            queried.body,
            R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"binary"},"values":[[")"
                    + ts + R"(","it works"]]}],"stats":{}}})");

    QCOMPARE(::kill(pid_t(process.processId()), signalNumber), 0);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QByteArray log = process.readAllStandardError();
    QVERIFY2(log.contains("1 pushes, 1 entries accepted"), log.constData());
}

void tst_ReceiverTools::binaryOptions()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString storePath = dir.filePath(QStringLiteral("store.jsonl"));
    QProcess process;
    QUrl url;
    QVERIFY(startBinary(process,
                        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet"),
                         QStringLiteral("--store"), storePath, QStringLiteral("--max-line-size"),
                         QStringLiteral("10"), QStringLiteral("--max-label-names"),
                         QStringLiteral("1"), QStringLiteral("--no-structured-metadata"),
                         QStringLiteral("--build-version"), QStringLiteral("2.8.2")},
                        &url));
    const QUrl push = url.resolved(QUrl(QStringLiteral("/loki/api/v1/push")));
    const QByteArray ts = nowNs();

    TestHttp::Reply reply = TestHttp::pushJson(m_manager, push,
                                               R"({"streams":[{"stream":{"app":"o"},"values":[[")"
                                                       + ts + R"(","12345678901"]]}]})");
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body,
             QByteArray("Max entry size '10' bytes exceeded for stream '{app=\"o\"}' while "
                        "adding an entry with length '11' bytes\n"));
    reply = TestHttp::pushJson(m_manager, push,
                               R"({"streams":[{"stream":{"app":"o","env":"x"},"values":[[")" + ts
                                       + R"(","short"]]}]})");
    QCOMPARE(reply.body,
             QByteArray("entry for stream '{app=\"o\", env=\"x\"}' has 2 label names; limit 1\n"));
    reply = TestHttp::pushJson(m_manager, push,
                               R"({"streams":[{"stream":{"app":"o"},"values":[[")" + ts
                                       + R"(","meta",{"k":"v"}]]}]})");
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.body.contains("includes structured metadata, but this feature is disallowed"));
    QCOMPARE(TestHttp::pushJson(m_manager, push,
                                R"({"streams":[{"stream":{"app":"o"},"values":[[")" + ts
                                        + R"(","kept"]]}]})")
                     .status,
             204);
    const TestHttp::Reply info = TestHttp::get(
            m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/status/buildinfo"))));
    QVERIFY(info.body.contains(R"("version":"2.8.2")"));

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardError(), QByteArray()); // --quiet
    QFile store(storePath);
    QVERIFY(store.open(QIODevice::ReadOnly));
    QCOMPARE(store.readAll(),
             R"({"stream":{"app":"o"},"ts":")" + ts + R"(","line":"kept"})" + '\n');

    // Counting only: counted, nothing to read back.
    QProcess counting;
    QVERIFY(startBinary(
            counting,
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--counting-only")},
            &url));
    QCOMPARE(TestHttp::pushJson(m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/push"))),
                                R"({"streams":[{"stream":{"app":"c"},"values":[[")" + ts
                                        + R"(","a"],[")" + ts + R"(","b"]]}]})")
                     .status,
             204);
    const TestHttp::Reply metrics =
            TestHttp::get(m_manager, url.resolved(QUrl(QStringLiteral("/metrics"))));
    QVERIFY(metrics.body.contains("loki_receiver_entries_accepted_total 2\n"));
    QVERIFY(metrics.body.contains("loki_receiver_stored_entries 0\n"));
    counting.terminate();
    QVERIFY(counting.waitForFinished(10000));
    QCOMPARE(counting.exitCode(), 0);
}

void tst_ReceiverTools::binaryRefusalOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("values");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answerStart");
    QTest::addColumn<int>("accepted");

    const QByteArray t = nowNs(-60LL * 1000000000);
    const QByteArray hourAgo = nowNs(-3700LL * 1000000000);
    const QByteArray metadata = R"(["%1","m",{"a":"1","b":"2"}])";
    QTest::newRow("defaults") << QStringList()
                              << "[[\"" + t + "\",\"x\"],[\"" + hourAgo + "\",\"y\"]]" << 400
                              << QByteArray("entry with timestamp ") << 1;
    QTest::newRow("out-of-order window off")
            << QStringList {QStringLiteral("--out-of-order-window"), QStringLiteral("0")}
            << "[[\"" + t + "\",\"x\"],[\"" + hourAgo + "\",\"y\"]]" << 204 << QByteArray() << 2;
    QTest::newRow("out-of-order window of 10 s")
            << QStringList {QStringLiteral("--out-of-order-window"), QStringLiteral("10")}
            << "[[\"" + t + "\",\"x\"],[\"" + nowNs(-71LL * 1000000000) + "\",\"y\"]]" << 400
            << QByteArray("entry with timestamp ") << 1;
    QTest::newRow("metadata size")
            << QStringList {QStringLiteral("--max-structured-metadata-size"), QStringLiteral("3")}
            << "[" + QByteArray(metadata).replace("%1", t) + "]" << 400
            << QByteArray("stream '{app=\"o\"}' has structured metadata too large: '4' bytes, "
                          "limit: '3' bytes.")
            << 0;
    QTest::newRow("metadata count")
            << QStringList {QStringLiteral("--max-structured-metadata-count"), QStringLiteral("1")}
            << "[" + QByteArray(metadata).replace("%1", t) + "]" << 400
            << QByteArray("stream '{app=\"o\"}' has too many structured metadata labels: '2', "
                          "limit: '1'.")
            << 0;
    QTest::newRow("metadata disallowed, as Loki 2.8")
            << QStringList {QStringLiteral("--no-structured-metadata"),
                            QStringLiteral("--loki-2.8-metadata")}
            << "[[\"" + t + "\",\"x\"]," + QByteArray(metadata).replace("%1", t) + "]" << 400
            << QByteArray("loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: "
                          "Value is not a string, error found in #")
            << 0;
}

void tst_ReceiverTools::binaryRefusalOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, values);
    QFETCH(int, status);
    QFETCH(QByteArray, answerStart);
    QFETCH(int, accepted);

    QProcess process;
    QUrl url;
    QVERIFY(startBinary(
            process,
            QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")}
                    + arguments,
            &url));
    const TestHttp::Reply reply =
            TestHttp::pushJson(m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/push"))),
                               R"({"streams":[{"stream":{"app":"o"},"values":)" + values + "}]}");
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.startsWith(answerStart), reply.body.constData());
    const TestHttp::Reply metrics =
            TestHttp::get(m_manager, url.resolved(QUrl(QStringLiteral("/metrics"))));
    QVERIFY2(metrics.body.contains(QByteArray("loki_receiver_entries_accepted_total "
                                              + QByteArray::number(accepted))),
             metrics.body.constData());
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

void tst_ReceiverTools::binaryFaultOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("firstStatus");
    QTest::addColumn<QByteArray>("answerStart");
    QTest::addColumn<int>("secondStatus");

    QTest::newRow("refuse once")
            << QStringList {QStringLiteral("--refuse"), QStringLiteral("too_new"),
                            QStringLiteral("--refuse-count"), QStringLiteral("1")}
            << 400 << QByteArray("entry for stream '{app=\"f\"}' has timestamp too new: ") << 204;
    QTest::newRow("refuse streams")
            << QStringList {QStringLiteral("--refuse"), QStringLiteral("labels")} << 400
            << QByteArray("entry for stream '{app=\"f\"}' has 1 label names; limit 0") << 400;
    QTest::newRow("refuse one in two")
            << QStringList {QStringLiteral("--refuse"), QStringLiteral("line_too_long"),
                            QStringLiteral("--refuse-every"), QStringLiteral("2")}
            << 204 << QByteArray() << 400;
    QTest::newRow("413 above a body size")
            << QStringList {QStringLiteral("--refuse-bodies-above"), QStringLiteral("10")} << 413
            << QByteArray("request body too large: ") << 413;
    QTest::newRow("ingestion blocked")
            << QStringList {QStringLiteral("--block-ingestion"), QStringLiteral("60")} << 260
            << QByteArray("ingestion blocked for user fake until '") << 260;
    QTest::newRow("ingestion blocked with 503")
            << QStringList {QStringLiteral("--block-ingestion"), QStringLiteral("60"),
                            QStringLiteral("--block-status"), QStringLiteral("503")}
            << 503 << QByteArray("ingestion blocked for user fake until '") << 503;
    QTest::newRow("rate limit") << QStringList {QStringLiteral("--ingestion-rate"),
                                                QStringLiteral("5"),
                                                QStringLiteral("--ingestion-burst"),
                                                QStringLiteral("8")}
                                << 204 << QByteArray() << 429;
}

void tst_ReceiverTools::binaryFaultOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, firstStatus);
    QFETCH(QByteArray, answerStart);
    QFETCH(int, secondStatus);

    QProcess process;
    QUrl url;
    QVERIFY(startBinary(
            process,
            QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")}
                    + arguments,
            &url));
    const QUrl push = url.resolved(QUrl(QStringLiteral("/loki/api/v1/push")));
    auto body = [](const QByteArray &line) -> QByteArray {
        return R"({"streams":[{"stream":{"app":"f"},"values":[[")" + nowNs(-1000000000) + R"(",")"
                + line + R"("]]}]})";
    };
    const TestHttp::Reply first = TestHttp::pushJson(m_manager, push, body("first"));
    QCOMPARE(first.status, firstStatus);
    QVERIFY2(first.body.startsWith(answerStart), first.body.constData());
    QCOMPARE(TestHttp::pushJson(m_manager, push, body("second")).status, secondStatus);
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

void tst_ReceiverTools::binaryRejectsBadArguments()
{
    for (const QStringList &arguments :
         {QStringList {QStringLiteral("--loki-2.8-metadata")},
          QStringList {QStringLiteral("--refuse"), QStringLiteral("bored")},
          QStringList {QStringLiteral("--block-status"), QStringLiteral("100")},
          QStringList {QStringLiteral("--refuse-every"), QStringLiteral("0")},
          QStringList {QStringLiteral("--out-of-order-window"), QStringLiteral("-1")},
          QStringList {QStringLiteral("--max-structured-metadata-size"), QStringLiteral("big")},
          QStringList {QStringLiteral("--port"), QStringLiteral("http")},
          QStringList {QStringLiteral("--port"), QStringLiteral("70000")},
          QStringList {QStringLiteral("--bind"), QStringLiteral("localhost:1")}}) {
        QProcess process;
        process.start(QStringLiteral(LOKI_RECEIVER_BINARY), arguments);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        QVERIFY(!process.readAllStandardError().isEmpty());
    }
}

QTEST_GUILESS_MAIN(tst_ReceiverTools)
#include "tst_receiver_tools.moc"
