// SPDX-License-Identifier: MIT
// What the receiver takes in, so that it can be exposed: /receiver/ behind the credentials
// and JSON only, the body and decompressed size limits, caps per push, the store bounded
// in bytes with streams forgotten, the connection cap and the idle timeout.
#include "httphelper.h"
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

using namespace std::chrono_literals;

namespace {

constexpr qint64 Second = 1000000000;

qint64 baseNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000 - 60 * Second; }

QByteArray jsonBody(const QByteArray &app, const QByteArray &line, qint64 t)
{
    return "{\"streams\":[{\"stream\":{\"app\":\"" + app + "\"},\"values\":[[\""
            + QByteArray::number(t) + "\",\"" + line + "\"]]}]}";
}

QByteArray basic(const QByteArray &userAndPassword)
{
    return "Basic " + userAndPassword.toBase64();
}

// A raw HTTP exchange, to see what a client sees while it is still sending. Waits run the
// event loop (the receiver answers from this thread).
struct RawClient
{
    QTcpSocket socket;
    QByteArray received;

    bool connectTo(quint16 port)
    {
        QSignalSpy connected(&socket, &QTcpSocket::connected);
        socket.connectToHost(QHostAddress::LocalHost, port);
        return connected.wait(5000);
    }
    //! Waits for the answer's header and body (or the end of the connection).
    QByteArray answer(int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        received += socket.readAll();
        while (!received.contains("\r\n\r\n") || !bodyComplete()) {
            if (socket.state() != QAbstractSocket::ConnectedState || timer.elapsed() > timeoutMs)
                break;
            QSignalSpy readable(&socket, &QTcpSocket::readyRead);
            QSignalSpy closed(&socket, &QTcpSocket::disconnected);
            if (!socket.bytesAvailable())
                readable.wait(100);
            received += socket.readAll();
        }
        received += socket.readAll();
        return received;
    }
    //! Whether anything arrives within \a ms (time under test).
    bool quietFor(int ms)
    {
        QSignalSpy readable(&socket, &QTcpSocket::readyRead);
        return !socket.bytesAvailable() && !readable.wait(ms);
    }
    bool bodyComplete() const
    {
        const qsizetype end = received.indexOf("\r\n\r\n");
        const qsizetype at = received.toLower().indexOf("content-length:");
        if (at < 0 || at > end)
            return true;
        const qsizetype lineEnd = received.indexOf("\r\n", at);
        const qint64 length = received.mid(at + 15, lineEnd - at - 15).trimmed().toLongLong();
        return received.size() - (end + 4) >= length;
    }
};

} // namespace

class tst_ReceiverLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void receiverEndpoints_data();
    void receiverEndpoints();
    void bodyLimit_data();
    void bodyLimit();
    void bodyLimitFromContentLength();
    void headerLimit_data();
    void headerLimit();
    void decompressedLimit_data();
    void decompressedLimit();
    void pushCaps_data();
    void pushCaps();
    void storeBoundedInBytes();
    void connectionCap();
    void idleTimeout();

private:
    QUrl url(const char *path) const
    {
        return m_receiver.baseUrl().resolved(QUrl(QString::fromLatin1(path)));
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

// A query string of \a bytes: a line filter as long as that, URL-encoded.
QByteArray longQueryPath(qsizetype bytes)
{
    return "/loki/api/v1/query_range?limit=10&query=%7Bapp%3D%22x%22%7D%20%7C%3D%20%22"
            + QByteArray(bytes, 'a') + "%22";
}

void tst_ReceiverLimits::headerLimit_data()
{
    QTest::addColumn<qint64>("limit"); // -1: the default
    QTest::addColumn<qsizetype>("queryBytes");
    QTest::addColumn<int>("status");
    QTest::newRow("default: 1 MB query string refused") << qint64(-1) << qsizetype(1 << 20) << 431;
    QTest::newRow("default: 40 KB served") << qint64(-1) << qsizetype(40 * 1024) << 200;
    QTest::newRow("1 MiB limit: 200 KB served") << qint64(1 << 20) << qsizetype(200 * 1024) << 200;
    QTest::newRow("1 MiB limit: 2 MB refused") << qint64(1 << 20) << qsizetype(2 << 20) << 431;
    QTest::newRow("no limit: 300 KB served") << qint64(0) << qsizetype(300 * 1024) << 200;
}

// Regression: a long query string held the receiver's thread for hundreds of milliseconds
// while QtHttpServer read it a byte at a time; over the limit it is refused as it arrives.
void tst_ReceiverLimits::headerLimit()
{
    QFETCH(qint64, limit);
    QFETCH(qsizetype, queryBytes);
    QFETCH(int, status);
    if (limit >= 0) {
        LokiReceiver::Limits limits;
        limits.setMaxHeaderBytes(limit);
        m_receiver.setLimits(limits);
    } else {
        QCOMPARE(LokiReceiver::Limits().maxHeaderBytes(), qint64(64 * 1024));
    }
    RawClient client;
    QVERIFY(client.connectTo(m_receiver.serverPort()));
    client.socket.write("GET " + longQueryPath(queryBytes) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const QByteArray answer = client.answer(30000);
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status) + ' ')),
             answer.left(200).constData());
    if (status == 431) {
        QVERIFY(answer.contains("send a long query as a POST form"));
        QTRY_COMPARE_WITH_TIMEOUT(client.socket.state(), QAbstractSocket::UnconnectedState,
                                  10000);
    }
    // The receiver goes on serving.
    RawClient next;
    QVERIFY(next.connectTo(m_receiver.serverPort()));
    next.socket.write("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(next.answer().startsWith("HTTP/1.1 200 "));
}

void tst_ReceiverLimits::initTestCase() { QVERIFY(m_receiver.listen()); }

void tst_ReceiverLimits::init()
{
    m_receiver.clearFaults();
    m_receiver.reset();
    m_receiver.setLimits(LokiReceiver::Limits());
    m_receiver.setBasicAuth(QString(), QString());
    m_receiver.setBearerToken(QString());
    m_receiver.setRequiredTenant(QString());
}

void tst_ReceiverLimits::receiverEndpoints_data()
{
    QTest::addColumn<QString>("access"); // none, basic, bearer, tenant
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<TestHttp::Headers>("headers");
    QTest::addColumn<int>("status");

    const QByteArray json = "application/json";
    const TestHttp::Headers good {{"Authorization", basic("loki:secret")}, {"Content-Type", json}};
    QTest::newRow("faults POST without credentials")
            << QStringLiteral("basic") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Content-Type", json}} << 401;
    QTest::newRow("reset POST without credentials")
            << QStringLiteral("basic") << QByteArray("POST") << QByteArray("/receiver/reset")
            << TestHttp::Headers {{"Content-Type", json}} << 401;
    QTest::newRow("faults GET without credentials")
            << QStringLiteral("basic") << QByteArray("GET") << QByteArray("/receiver/faults")
            << TestHttp::Headers() << 401;
    QTest::newRow("faults DELETE with a wrong password")
            << QStringLiteral("basic") << QByteArray("DELETE") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Authorization", basic("loki:nope")}, {"Content-Type", json}}
            << 401;
    QTest::newRow("faults POST with credentials") << QStringLiteral("basic") << QByteArray("POST")
                                                  << QByteArray("/receiver/faults") << good << 200;
    QTest::newRow("faults POST with a bearer token")
            << QStringLiteral("bearer") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Authorization", "Bearer tok"}, {"Content-Type", json}} << 200;
    QTest::newRow("faults POST without the tenant")
            << QStringLiteral("tenant") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Content-Type", json}} << 401;
    QTest::newRow("faults POST with the tenant")
            << QStringLiteral("tenant") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Content-Type", json}, {"X-Scope-OrgID", "team-a"}} << 200;
    QTest::newRow("faults GET with credentials")
            << QStringLiteral("basic") << QByteArray("GET") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Authorization", basic("loki:secret")}} << 200;
    // A web page's "simple" POST: form, multipart or text/plain, no preflight.
    QTest::newRow("form POST") << QStringLiteral("none") << QByteArray("POST")
                               << QByteArray("/receiver/faults")
                               << TestHttp::Headers {{"Content-Type",
                                                      "application/x-www-form-urlencoded"}}
                               << 415;
    QTest::newRow("text POST") << QStringLiteral("none") << QByteArray("POST")
                               << QByteArray("/receiver/reset")
                               << TestHttp::Headers {{"Content-Type", "text/plain"}} << 415;
    QTest::newRow("multipart POST")
            << QStringLiteral("none") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Content-Type", "multipart/form-data; boundary=x"}} << 415;
    QTest::newRow("POST without a content type")
            << QStringLiteral("none") << QByteArray("POST") << QByteArray("/receiver/reset")
            << TestHttp::Headers() << 415;
    QTest::newRow("form POST with credentials")
            << QStringLiteral("basic") << QByteArray("POST") << QByteArray("/receiver/faults")
            << TestHttp::Headers {{"Authorization", basic("loki:secret")},
                                  {"Content-Type", "application/x-www-form-urlencoded"}}
            << 415;
    QTest::newRow("JSON POST, no access checks")
            << QStringLiteral("none") << QByteArray("POST") << QByteArray("/receiver/reset")
            << TestHttp::Headers {{"Content-Type", "application/json; charset=utf-8"}} << 200;
    // A browser asks first before a cross-origin DELETE (CORS preflight).
    QTest::newRow("DELETE without a content type")
            << QStringLiteral("none") << QByteArray("DELETE") << QByteArray("/receiver/faults")
            << TestHttp::Headers() << 200;
    QTest::newRow("DELETE without credentials")
            << QStringLiteral("bearer") << QByteArray("DELETE") << QByteArray("/receiver/faults")
            << TestHttp::Headers() << 401;
}

void tst_ReceiverLimits::receiverEndpoints()
{
    QFETCH(QString, access);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(TestHttp::Headers, headers);
    QFETCH(int, status);

    if (access == QLatin1String("basic"))
        m_receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    else if (access == QLatin1String("bearer"))
        m_receiver.setBearerToken(QStringLiteral("tok"));
    else if (access == QLatin1String("tenant"))
        m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    QCOMPARE(TestHttp::pushJson(m_manager, m_receiver.pushUrl(), jsonBody("a", "x", baseNs()))
                     .status,
             access == QLatin1String("none") ? 204 : 401);

    const QByteArray body = path == "/receiver/faults" ? R"({"fail_next":3})" : "";
    const QNetworkRequest request = TestHttp::makeRequest(url(path.constData()), headers);
    const TestHttp::Reply reply =
            TestHttp::finish(m_manager.sendCustomRequest(request, method, body), 10000);
    QCOMPARE(reply.status, status);
    const bool changed = status == 200 && method == "POST";
    if (path == "/receiver/faults")
        QCOMPARE(m_receiver.faults().failNextPushes(), changed ? 3 : 0);
    else
        QCOMPARE(m_receiver.stats().pushRequests(), changed ? 0u : 1u);
    if (status == 415)
        QVERIFY2(reply.body.contains("take application/json"), reply.body.constData());
}

void tst_ReceiverLimits::bodyLimit_data()
{
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<int>("bodySize");
    QTest::addColumn<int>("status");
    QTest::newRow("at the limit") << false << 1000 << 204;
    QTest::newRow("above, with Content-Length") << false << 5000 << 413;
    QTest::newRow("above, far, with Content-Length") << false << 3000000 << 413;
    QTest::newRow("at the limit, chunked") << true << 1000 << 204;
    QTest::newRow("just above, chunked") << true << 1001 << 413;
    QTest::newRow("far above, chunked: refused as it arrives") << true << 3000000 << 413;
}

void tst_ReceiverLimits::bodyLimit()
{
    QFETCH(bool, chunked);
    QFETCH(int, bodySize);
    QFETCH(int, status);

    LokiReceiver::Limits limits;
    limits.setMaxBodyBytes(1000);
    m_receiver.setLimits(limits);
    QByteArray body = jsonBody("b", "", baseNs());
    body.insert(body.indexOf("\"]]}"), QByteArray(bodySize - body.size(), 'x'));
    QCOMPARE(body.size(), bodySize);

    RawClient client;
    QVERIFY(client.connectTo(m_receiver.serverPort()));
    QByteArray head =
            "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
    if (chunked) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        client.socket.write(head);
        for (qsizetype at = 0; at < body.size(); at += 4096) {
            const QByteArray chunk = body.mid(at, 4096);
            client.socket.write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
        }
        client.socket.write("0\r\n\r\n");
    } else {
        client.socket.write(head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
                            + body);
    }
    const QByteArray answer = client.answer();
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))),
             answer.constData());
    if (status == 413) {
        QVERIFY2(answer.contains("request body too large: "), answer.constData());
        QVERIFY(answer.contains("bytes, limit: 1000 bytes\n"));
        QCOMPARE(m_receiver.entryCount(), 0);
        QTRY_COMPARE(m_receiver.stats().pushesByStatus().value(413), 1u);
    } else {
        QCOMPARE(m_receiver.entryCount(), 1);
    }
}

void tst_ReceiverLimits::bodyLimitFromContentLength()
{
    // Refused from the header alone: a client that asks first never sends the body.
    LokiReceiver::Limits limits;
    limits.setMaxBodyBytes(1000);
    m_receiver.setLimits(limits);
    RawClient client;
    QVERIFY(client.connectTo(m_receiver.serverPort()));
    client.socket.write("POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: "
                        "application/json\r\nContent-Length: 104857600\r\nExpect: "
                        "100-continue\r\n\r\n");
    const QByteArray answer = client.answer();
    QVERIFY2(answer.startsWith("HTTP/1.1 413 Payload Too Large\r\n"), answer.constData());
    QVERIFY(answer.contains(
            "\r\n\r\nrequest body too large: 104857600 bytes, limit: 1000 bytes\n"));
    QVERIFY(!answer.contains("100 Continue"));
    QTRY_COMPARE(client.socket.state(), QAbstractSocket::UnconnectedState);
}

void tst_ReceiverLimits::decompressedLimit_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    const qint64 t = baseNs();
    const QByteArray small = jsonBody("d", "small", t);
    const QByteArray large = jsonBody("d", QByteArray(2 * 1024 * 1024, 'z'), t);
    const QByteArray protobufLarge = TestPush::snappyCompress(TestPush::encodePushRequest(
            {{"{app=\"d\"}", {{t, QByteArray(2 * 1024 * 1024, 'z'), {}}}}}));
    // A snappy header that claims 1 GiB: refused before anything is allocated.
    const QByteArray lyingSnappy = QByteArray::fromHex("8080808004") + QByteArray(16, '\0');
    const QByteArray json = "application/json";
    const QByteArray protobuf = "application/x-protobuf";
    QTest::newRow("gzip within") << json << QByteArray("gzip") << TestPush::gzipCompress(small)
                                 << 204;
    QTest::newRow("gzip bomb") << json << QByteArray("gzip") << TestPush::gzipCompress(large)
                               << 413;
    QTest::newRow("deflate bomb") << json << QByteArray("deflate")
                                  << TestPush::deflateCompress(large, false) << 413;
    QTest::newRow("snappy bomb") << protobuf << QByteArray() << protobufLarge << 413;
    QTest::newRow("snappy claiming 1 GiB") << protobuf << QByteArray() << lyingSnappy << 413;
}

void tst_ReceiverLimits::decompressedLimit()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    QFETCH(QByteArray, body);
    QFETCH(int, status);

    LokiReceiver::Limits limits;
    limits.setMaxDecompressedBytes(1024 * 1024);
    m_receiver.setLimits(limits);
    TestHttp::Headers headers {{"Content-Type", contentType}};
    if (!encoding.isEmpty())
        headers.append({"Content-Encoding", encoding});
    const TestHttp::Reply reply = TestHttp::post(m_manager, m_receiver.pushUrl(), body, headers);
    QCOMPARE(reply.status, status);
    if (status == 413) {
        QCOMPARE(reply.body,
                 QByteArray("request body too large: more than 1048576 bytes once "
                            "decompressed, limit: 1048576 bytes\n"));
    }
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 1 : 0);
}

void tst_ReceiverLimits::pushCaps_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("streams");
    QTest::addColumn<int>("entriesPerStream");
    QTest::addColumn<int>("status");
    for (const char *wire : {"json", "protobuf"}) {
        auto name = [wire](const char *what) { return QByteArray(wire + QByteArray(": ") + what); };
        QTest::newRow(name("at both caps")) << QByteArray(wire) << 2 << 3 << 204;
        QTest::newRow(name("a stream too many")) << QByteArray(wire) << 3 << 1 << 413;
        QTest::newRow(name("an entry too many")) << QByteArray(wire) << 1 << 7 << 413;
        QTest::newRow(name("entries over streams")) << QByteArray(wire) << 2 << 4 << 413;
    }
}

void tst_ReceiverLimits::pushCaps()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, streams);
    QFETCH(int, entriesPerStream);
    QFETCH(int, status);

    LokiReceiver::Limits limits;
    limits.setMaxStreamsPerPush(2);
    limits.setMaxEntriesPerPush(6);
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    QList<TestPush::Stream> push;
    QByteArray json = R"({"streams":[)";
    for (int s = 0; s < streams; ++s) {
        TestPush::Stream stream {"{app=\"s" + QByteArray::number(s) + "\"}", {}};
        json += (s ? "," : "")
                + ("{\"stream\":{\"app\":\"s" + QByteArray::number(s) + "\"},\"values\":[");
        for (int e = 0; e < entriesPerStream; ++e) {
            stream.entries.append({t + e, "line", {}});
            json += (e ? "," : "") + ("[\"" + QByteArray::number(t + e) + "\",\"line\"]");
        }
        json += "]}";
        push.append(stream);
    }
    json += "]}";
    const TestHttp::Reply reply = wire == "json"
            ? TestHttp::pushJson(m_manager, m_receiver.pushUrl(), json)
            : TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(),
                                     TestPush::snappyCompress(TestPush::encodePushRequest(push)));
    QCOMPARE(reply.status, status);
    if (status == 413) {
        QCOMPARE(reply.body,
                 QByteArray("push request too large: at most 2 streams and 6 entries "
                            "per push are taken, split the push\n"));
    }
    QCOMPARE(m_receiver.entryCount(), status == 204 ? streams * entriesPerStream : 0);
}

void tst_ReceiverLimits::storeBoundedInBytes()
{
    // Each entry costs its line and a fixed overhead; 100 lines of 1,000 bytes in a bound
    // of about 20 of them.
    LokiReceiver::Limits limits;
    limits.setMaxStoredBytes(24000);
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    for (int i = 0; i < 100; ++i) {
        const QByteArray app = "app" + QByteArray::number(i / 10); // ten streams of ten
        QCOMPARE(TestHttp::pushJson(m_manager, m_receiver.pushUrl(),
                                    jsonBody(app, QByteArray(1000, 'a' + char(i % 26)), t + i))
                         .status,
                 204);
    }
    const LokiReceiver::Stats stats = m_receiver.stats();
    QVERIFY2(stats.storedBytes() <= 24000, qPrintable(QString::number(stats.storedBytes())));
    QVERIFY(stats.storedEntries() >= 10 && stats.storedEntries() < 24);
    QCOMPARE(stats.entriesEvicted(), quint64(100 - stats.storedEntries()));
    // The oldest streams are gone entirely: from the counters, the API and the label values.
    QCOMPARE(stats.streams(), qint64(m_receiver.streams().size()));
    QVERIFY(stats.streams() <= 3);
    const TestHttp::Reply values = TestHttp::get(m_manager, url("/loki/api/v1/label/app/values"));
    QVERIFY2(!values.body.contains("\"app0\"") && values.body.contains("\"app9\""),
             values.body.constData());
    QVERIFY(m_receiver.query(QStringLiteral("{app=\"app0\"}"), 0).isEmpty());
    QCOMPARE(m_receiver.query(QStringLiteral("{app=\"app9\"}"), 0).size(), 10);
    // A forgotten stream comes back as new; the newest entry stays even when alone too large.
    QCOMPARE(TestHttp::pushJson(m_manager, m_receiver.pushUrl(),
                                jsonBody("app0", QByteArray(30000, 'b'), t + 200))
                     .status,
             204);
    QCOMPARE(m_receiver.entryCount(), 1);
    QCOMPARE(m_receiver.stats().streams(), 1);
    QCOMPARE(m_receiver.streams().constFirst().value(QStringLiteral("app")),
             QStringLiteral("app0"));
}

void tst_ReceiverLimits::connectionCap()
{
    // A receiver of its own: the shared one keeps the test's other connections.
    LokiReceiver receiver;
    LokiReceiver::Limits limits;
    limits.setMaxConnections(2);
    receiver.setLimits(limits);
    QVERIFY(receiver.listen());
    RawClient first;
    RawClient second;
    QVERIFY(first.connectTo(receiver.serverPort()));
    QVERIFY(second.connectTo(receiver.serverPort()));
    // The third connects (the listen queue takes it) but is not accepted yet: its request
    // waits. Time is under test here: nothing may come while two connections are open.
    RawClient third;
    QVERIFY(third.connectTo(receiver.serverPort()));
    third.socket.write("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(third.quietFor(500));
    first.socket.disconnectFromHost();
    QVERIFY2(third.answer().startsWith("HTTP/1.1 200"), third.received.constData());
    // Back under the cap, others are accepted at once again.
    first.received.clear();
    first.socket.abort();
    RawClient fourth;
    QVERIFY(fourth.connectTo(receiver.serverPort()));
    third.socket.abort();
    fourth.socket.write("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(fourth.answer().startsWith("HTTP/1.1 200"), fourth.received.constData());
}

void tst_ReceiverLimits::idleTimeout()
{
    LokiReceiver::Limits limits;
    limits.setIdleTimeout(300ms);
    m_receiver.setLimits(limits);
    // A connection that sends nothing is closed.
    RawClient idle;
    QVERIFY(idle.connectTo(m_receiver.serverPort()));
    QSignalSpy closed(&idle.socket, &QTcpSocket::disconnected);
    QVERIFY(closed.wait(5000));
    // One that waits for a delayed answer is not: the answer is due.
    m_receiver.setResponseDelay(900ms);
    RawClient waiting;
    QVERIFY(waiting.connectTo(m_receiver.serverPort()));
    const QByteArray body = jsonBody("i", "late", baseNs());
    waiting.socket.write("POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         "application/json\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY2(waiting.answer().startsWith("HTTP/1.1 204"), waiting.received.constData());
    // With the timeout off, an idle connection stays.
    m_receiver.setResponseDelay(0ms);
    limits.setIdleTimeout(0ms);
    m_receiver.setLimits(limits);
    RawClient kept;
    QVERIFY(kept.connectTo(m_receiver.serverPort()));
    QSignalSpy keptClosed(&kept.socket, &QTcpSocket::disconnected);
    QVERIFY(!keptClosed.wait(700));
    kept.socket.write("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(kept.answer().startsWith("HTTP/1.1 200"));
}

QTEST_GUILESS_MAIN(tst_ReceiverLimits)
#include "tst_receiver_limits.moc"
