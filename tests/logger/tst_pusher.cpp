// SPDX-License-Identifier: MIT
// One push request at a time, against a receiver on this thread: the outcome, and the
// moment its body is out (the sender prepares the next push only then).
#include "transport/pusher_p.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QTcpServer>
#include <QtTest/QtTest>

using namespace QLoki::detail;

class tst_Pusher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void uploadedBeforeFinished_data();
    void uploadedBeforeFinished();
    void refusedConnection();

private:
    PushTarget target(const QUrl &url) const
    {
        PushTarget t;
        t.url = url;
        t.timeout = std::chrono::seconds(10);
        return t;
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_Pusher::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void tst_Pusher::uploadedBeforeFinished_data()
{
    QTest::addColumn<int>("bytes");
    QTest::newRow("small") << 100;
    // Qt's HTTP thread takes a body in slices of 16 KiB through this thread's event loop.
    QTest::newRow("many slices") << 300 * 1024;
}

void tst_Pusher::uploadedBeforeFinished()
{
    QFETCH(int, bytes);
    Pusher pusher(&m_manager);
    pusher.setTarget(target(m_receiver.pushUrl()));
    QStringList order;
    connect(&pusher, &Pusher::uploaded, this, [&] {
        order << QStringLiteral("uploaded");
        QVERIFY(pusher.isBusy());
        QVERIFY(!pusher.isUploading());
    });
    QSignalSpy finished(&pusher, &Pusher::finished);
    connect(&pusher, &Pusher::finished, this, [&] { order << QStringLiteral("finished"); });

    QVERIFY(!pusher.isUploading());
    // Not a push request the receiver can read: it answers 400, which is an answer all the same.
    pusher.push(QByteArray(bytes, 'x'), "application/x-protobuf", QByteArray());
    QVERIFY(pusher.isBusy());
    QVERIFY(pusher.isUploading());
    QVERIFY(finished.wait(10000));
    QCOMPARE(order, QStringList({QStringLiteral("uploaded"), QStringLiteral("finished")}));
    const auto result = finished.constFirst().constFirst().value<PushResult>();
    QCOMPARE(result.httpStatus, 400);
    QCOMPARE(result.bodyBytes, qint64(bytes));
    QVERIFY(!pusher.isBusy());
    QVERIFY(!pusher.isUploading());
    QCOMPARE(m_receiver.stats().bytesReceived(), quint64(bytes));
    m_receiver.reset();
}

void tst_Pusher::refusedConnection()
{
    // A port nobody listens on: finished() comes without uploaded(), and nothing waits for it.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/loki/api/v1/push").arg(closed.serverPort()));
    closed.close();
    Pusher pusher(&m_manager);
    pusher.setTarget(target(url));
    QSignalSpy uploaded(&pusher, &Pusher::uploaded);
    QSignalSpy finished(&pusher, &Pusher::finished);
    pusher.push(QByteArray(64 * 1024, 'x'), "application/x-protobuf", QByteArray());
    QVERIFY(pusher.isUploading());
    QVERIFY(finished.wait(10000));
    QCOMPARE(uploaded.count(), 0);
    QCOMPARE(finished.constFirst().constFirst().value<PushResult>().httpStatus, 0);
    QVERIFY(!pusher.isUploading());
}

QTEST_GUILESS_MAIN(tst_Pusher)
#include "tst_pusher.moc"
