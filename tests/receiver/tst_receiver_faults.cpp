// SPDX-License-Identifier: MIT
// Fault injection, through the C++ API and over HTTP: failing pushes with a status and
// Retry-After, delayed answers, dropped connections, going down and coming back.
#include "httphelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

using namespace std::chrono_literals;

namespace {

QByteArray body(const char *line)
{
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000);
    return R"({"streams":[{"stream":{"app":"faults"},"values":[[")" + now + R"(",")" + line
            + R"("]]}]})";
}

const TestHttp::Headers JsonHeaders {{"Content-Type", "application/json"}};

QJsonObject json(const QByteArray &bytes) { return QJsonDocument::fromJson(bytes).object(); }

} // namespace

class tst_ReceiverFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void failNextPushes_data();
    void failNextPushes();
    void responseDelay();
    void delayedAnswerAfterClientGaveUp();
    void dropConnection();
    void goDownForAWhile();
    void goDownUntilComeBack();
    void faultsOverHttp();
    void faultEndpointsIgnoreFaults();
    void downOverHttp();
    void badFaultRequests_data();
    void badFaultRequests();
    void resetOverHttp();

private:
    TestHttp::Reply push(const char *line)
    {
        return TestHttp::pushJson(m_manager, m_receiver.pushUrl(), body(line));
    }
    QUrl url(const char *path) const
    {
        return m_receiver.baseUrl().resolved(QUrl(QString::fromLatin1(path)));
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverFaults::initTestCase() { QVERIFY(m_receiver.listen()); }

void tst_ReceiverFaults::init()
{
    m_receiver.clearFaults();
    m_receiver.reset();
    QVERIFY(m_receiver.isListening());
}

void tst_ReceiverFaults::failNextPushes_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter");
    QTest::newRow("503 with Retry-After") << 503 << 2;
    QTest::newRow("429 with Retry-After 0") << 429 << 0;
    QTest::newRow("500 without Retry-After") << 500 << -1;
    QTest::newRow("260 ingestion blocked") << 260 << -1;
}

void tst_ReceiverFaults::failNextPushes()
{
    QFETCH(int, status);
    QFETCH(int, retryAfter);

    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    m_receiver.failNextPushes(2, status, retryAfter);
    QCOMPARE(m_receiver.faults().failNextPushes(), 2);
    for (int i = 0; i < 2; ++i) {
        const TestHttp::Reply reply = push("refused");
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.retryAfter, retryAfter >= 0 ? QByteArray::number(retryAfter) : QByteArray());
        QCOMPARE(reply.body, "injected failure (" + QByteArray::number(status) + ")\n");
    }
    QCOMPARE(m_receiver.faults().failNextPushes(), 0);
    QCOMPARE(m_receiver.entryCount(), 0);
    QCOMPARE(push("stored").status, 204);
    QCOMPARE(m_receiver.entryCount(), 1);
    QCOMPARE(handled.count(), 3);
    QCOMPARE(handled.at(0), (QList<QVariant> {status, 0}));
    QCOMPARE(handled.at(2), (QList<QVariant> {204, 1}));
    QCOMPARE(m_receiver.stats().pushesByStatus().value(status), 2u);
}

void tst_ReceiverFaults::responseDelay()
{
    // Time itself is under test here: the answer must not come before the delay.
    m_receiver.setResponseDelay(300ms);
    QCOMPARE(m_receiver.faults().responseDelay(), 300ms);
    QElapsedTimer timer;
    timer.start();
    const TestHttp::Reply reply = push("late");
    QCOMPARE(reply.status, 204);
    QVERIFY2(timer.elapsed() >= 300, qPrintable(QString::number(timer.elapsed())));
    QCOMPARE(m_receiver.entryCount(), 1);
}

void tst_ReceiverFaults::delayedAnswerAfterClientGaveUp()
{
    // Stored at once, answered too late: the retried batch is then a duplicate.
    m_receiver.setResponseDelay(400ms);
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    QNetworkRequest request(m_receiver.pushUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setTransferTimeout(50);
    const QByteArray payload = body("once");
    const TestHttp::Reply reply = TestHttp::finish(m_manager.post(request, payload), 10000);
    QVERIFY(reply.finished);
    QCOMPARE(reply.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(m_receiver.entryCount(), 1);
    QVERIFY(handled.wait(5000));
    QCOMPARE(handled.count(), 1);
    QCOMPARE(handled.at(0), (QList<QVariant> {204, 1}));

    m_receiver.setResponseDelay(0ms);
    QCOMPARE(TestHttp::pushJson(m_manager, m_receiver.pushUrl(), payload).status, 204);
    QCOMPARE(m_receiver.entryCount(), 1);
    QCOMPARE(m_receiver.stats().duplicatesIgnored(), 1u);
}

void tst_ReceiverFaults::dropConnection()
{
    // A raw client sees exactly what the receiver does: the request read, the connection
    // closed, no answer.
    m_receiver.dropNextConnections(1);
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_receiver.serverPort());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray payload = body("dropped");
    socket.write("POST /loki/api/v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                 "application/json\r\nContent-Length: "
                 + QByteArray::number(payload.size()) + "\r\n\r\n" + payload);
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(socket.readAll(), QByteArray());
    QCOMPARE(handled.count(), 1);
    QCOMPARE(handled.at(0), (QList<QVariant> {0, 0}));
    QCOMPARE(m_receiver.entryCount(), 0);
    QCOMPARE(m_receiver.faults().dropNextConnections(), 0);

    // QNetworkAccessManager resends a request whose connection closed before any answer,
    // so a client on it sees the network error only when the resend is dropped too.
    QNetworkAccessManager manager;
    m_receiver.dropNextConnections(5);
    const TestHttp::Reply reply = TestHttp::pushJson(manager, m_receiver.pushUrl(), payload);
    QVERIFY(reply.finished);
    QCOMPARE(reply.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(reply.status, 0);
    const quint64 attempts = m_receiver.stats().pushesByStatus().value(0) - 1;
    QVERIFY2(attempts >= 1 && attempts <= 3, qPrintable(QString::number(attempts)));
    QCOMPARE(m_receiver.faults().dropNextConnections(), 5 - int(attempts));
    QCOMPARE(m_receiver.entryCount(), 0);
    m_receiver.clearFaults();
    QCOMPARE(TestHttp::pushJson(manager, m_receiver.pushUrl(), payload).status, 204);
}

void tst_ReceiverFaults::goDownForAWhile()
{
    const quint16 port = m_receiver.serverPort();
    QSignalSpy availability(&m_receiver, &LokiReceiver::availabilityChanged);
    m_receiver.goDown(500ms);
    QVERIFY(m_receiver.isDown());
    QVERIFY(m_receiver.faults().down());
    QVERIFY2(m_receiver.faults().downRemaining() <= 500ms,
             qPrintable(QString::number(m_receiver.faults().downRemaining().count())));
    QCOMPARE(availability.count(), 1);
    QCOMPARE(availability.at(0).at(0).toBool(), false);

    const TestHttp::Reply refused = push("refused");
    QCOMPARE(refused.error, QNetworkReply::ConnectionRefusedError);

    QTRY_COMPARE_WITH_TIMEOUT(availability.count(), 2, 10000);
    QCOMPARE(availability.at(1).at(0).toBool(), true);
    QVERIFY(!m_receiver.isDown());
    QCOMPARE(m_receiver.serverPort(), port);
    QCOMPARE(push("back").status, 204);
    QCOMPARE(m_receiver.entryCount(), 1);
}

void tst_ReceiverFaults::goDownUntilComeBack()
{
    // An open keep-alive connection is closed too.
    QCOMPARE(push("before").status, 204);
    m_receiver.goDown();
    QCOMPARE(m_receiver.faults().downRemaining(), -1ms);
    const TestHttp::Reply refused = push("refused");
    QVERIFY(refused.error != QNetworkReply::NoError);
    QCOMPARE(TestHttp::get(m_manager, url("/ready")).error, QNetworkReply::ConnectionRefusedError);
    QVERIFY(m_receiver.comeBack());
    QVERIFY(!m_receiver.isDown());
    QCOMPARE(push("after").status, 204);
    QCOMPARE(m_receiver.entryCount(), 2);
}

void tst_ReceiverFaults::faultsOverHttp()
{
    const TestHttp::Reply set = TestHttp::post(
            m_manager, url("/receiver/faults"),
            R"({"fail_next":2,"status":503,"retry_after":7,"delay_ms":20,"drop_next":0})",
            {{"Content-Type", "application/json"}});
    QCOMPARE(set.status, 200);
    QCOMPARE(json(set.body).value(QLatin1String("fail_next")).toInt(), 2);
    QCOMPARE(m_receiver.faults().failNextPushes(), 2);
    QCOMPARE(m_receiver.faults().retryAfterSeconds(), 7);
    QCOMPARE(m_receiver.faults().responseDelay(), 20ms);

    const TestHttp::Reply failed = push("refused");
    QCOMPARE(failed.status, 503);
    QCOMPARE(failed.retryAfter, QByteArray("7"));

    const QJsonObject state = json(TestHttp::get(m_manager, url("/receiver/faults")).body);
    QCOMPARE(state.value(QLatin1String("fail_next")).toInt(), 1);
    QCOMPARE(state.value(QLatin1String("status")).toInt(), 503);
    QCOMPARE(state.value(QLatin1String("retry_after")).toInt(), 7);
    QCOMPARE(state.value(QLatin1String("delay_ms")).toInt(), 20);
    QCOMPARE(state.value(QLatin1String("down")).toBool(), false);

    const TestHttp::Reply cleared = TestHttp::deleteResource(m_manager, url("/receiver/faults"));
    QCOMPARE(cleared.status, 200);
    QCOMPARE(json(cleared.body).value(QLatin1String("fail_next")).toInt(), 0);
    QCOMPARE(m_receiver.faults().responseDelay(), 0ms);
    QCOMPARE(push("stored").status, 204);

    QCOMPARE(TestHttp::post(m_manager, url("/receiver/faults"), R"({"drop_next":2})", JsonHeaders)
                     .status,
             200);
    QCOMPARE(m_receiver.faults().dropNextConnections(), 2);
}

void tst_ReceiverFaults::faultEndpointsIgnoreFaults()
{
    m_receiver.failNextPushes(5, 500);
    m_receiver.dropNextConnections(5);
    m_receiver.setResponseDelay(3s);
    // A push waits for its delayed answer while the fault endpoint answers at once.
    QNetworkRequest request(m_receiver.pushUrl());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    m_receiver.dropNextConnections(0);
    std::unique_ptr<QNetworkReply> delayed(m_manager.post(request, body("delayed")));
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver.faults().failNextPushes(), 4, 5000);

    const TestHttp::Reply faults = TestHttp::get(m_manager, url("/receiver/faults"));
    QCOMPARE(faults.status, 200);
    QVERIFY(!delayed->isFinished());
    QCOMPARE(handled.count(), 0);
    QCOMPARE(TestHttp::get(m_manager, url("/ready")).status, 200);
    QCOMPARE(TestHttp::deleteResource(m_manager, url("/receiver/faults")).status, 200);

    QSignalSpy finished(delayed.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(delayed->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 500);
}

void tst_ReceiverFaults::downOverHttp()
{
    const quint16 port = m_receiver.serverPort();
    QSignalSpy availability(&m_receiver, &LokiReceiver::availabilityChanged);
    const TestHttp::Reply set =
            TestHttp::post(m_manager, url("/receiver/faults"), R"({"down_ms":400})", JsonHeaders);
    QCOMPARE(set.status, 200);
    QCOMPARE(json(set.body).value(QLatin1String("down")).toBool(), true);
    QTRY_COMPARE_WITH_TIMEOUT(availability.count(), 1, 5000);
    QCOMPARE(push("refused").error, QNetworkReply::ConnectionRefusedError);
    QTRY_COMPARE_WITH_TIMEOUT(availability.count(), 2, 10000);
    QCOMPARE(m_receiver.serverPort(), port);
    QCOMPARE(push("back").status, 204);
}

void tst_ReceiverFaults::badFaultRequests_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("not json")
            << QByteArray("fail_next=1")
            << QByteArray(
                       R"(expected a JSON object such as {"fail_next":5,"status":503,"retry_after":2,"delay_ms":100,"drop_next":1,"down_ms":5000})");
    QTest::newRow("unknown fault")
            << QByteArray(R"({"explode":true})") << QByteArray(R"(unknown fault "explode")");
    QTest::newRow("status out of range")
            << QByteArray(R"({"fail_next":1,"status":99})")
            << QByteArray(R"("status" must be an integer from 100 to 599)");
    QTest::newRow("negative count")
            << QByteArray(R"({"fail_next":-1})")
            << QByteArray(R"("fail_next" must be an integer from 0 to 1073741824)");
    QTest::newRow("down not a bool")
            << QByteArray(R"({"down":"yes"})") << QByteArray(R"("down" must be true or false)");
}

void tst_ReceiverFaults::badFaultRequests()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, message);
    const TestHttp::Reply reply =
            TestHttp::post(m_manager, url("/receiver/faults"), request, JsonHeaders);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body, message + '\n');
    QCOMPARE(m_receiver.faults().failNextPushes(), 0);
}

void tst_ReceiverFaults::resetOverHttp()
{
    QCOMPARE(push("one").status, 204);
    QCOMPARE(m_receiver.stats().pushRequests(), 1u);
    QCOMPARE(TestHttp::post(m_manager, url("/receiver/reset"), {}, JsonHeaders).status, 200);
    QCOMPARE(m_receiver.entryCount(), 0);
    QCOMPARE(m_receiver.stats().pushRequests(), 0u);
    QCOMPARE(m_receiver.stats().entriesAccepted(), 0u);
}

QTEST_GUILESS_MAIN(tst_ReceiverFaults)
#include "tst_receiver_faults.moc"
