// SPDX-License-Identifier: MIT
// loki-receiver's limits from the outside: each option as the binary takes it, and a gzip
// bomb refused without the process growing past its limits.
#include "httphelper.h"
#include "pushwriter.h"
#include "toolhelper.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

namespace {

QByteArray push(int streams, int entries, int lineSize = 10)
{
    const qint64 t = QDateTime::currentMSecsSinceEpoch() * 1000000 - 1000000000;
    QByteArray body = R"({"streams":[)";
    for (int s = 0; s < streams; ++s) {
        body += (s ? "," : "")
                + ("{\"stream\":{\"app\":\"o" + QByteArray::number(s) + "\"},\"values\":[");
        for (int e = 0; e < entries; ++e) {
            body += (e ? "," : "")
                    + ("[\"" + QByteArray::number(t + e) + "\",\""
                       + QByteArray(lineSize, char('a' + e % 26)) + "\"]");
        }
        body += "]}";
    }
    return body + "]}";
}

// The peak resident memory of a process, in kB (Linux).
qint64 peakRssKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
    }
    return -1;
}

} // namespace

class tst_ReceiverOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void limitOptions_data();
    void limitOptions();
    void connectionOptions();
    void gzipBombStaysBounded();
    void badLimitOptions_data();
    void badLimitOptions();

private:
    QNetworkAccessManager m_manager;
};

void tst_ReceiverOptions::limitOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answerStart");

    const QByteArray small = push(1, 1);
    QTest::newRow("defaults") << QStringList() << push(2, 3) << QByteArray() << 204 << QByteArray();
    QTest::newRow("max body") << QStringList {QStringLiteral("--max-body"), QStringLiteral("50")}
                              << small << QByteArray() << 413
                              << QByteArray("request body too large: ");
    QTest::newRow("max decompressed")
            << QStringList {QStringLiteral("--max-decompressed"), QStringLiteral("50")}
            << TestPush::gzipCompress(small) << QByteArray("gzip") << 413
            << QByteArray("request body too large: more than 50 bytes once decompressed");
    QTest::newRow("max streams per push")
            << QStringList {QStringLiteral("--max-streams-per-push"), QStringLiteral("1")}
            << push(2, 1) << QByteArray() << 413
            << QByteArray("push request too large: at most 1 streams");
    QTest::newRow("max entries per push")
            << QStringList {QStringLiteral("--max-entries-per-push"), QStringLiteral("2")}
            << push(1, 3) << QByteArray() << 413
            << QByteArray("push request too large: at most 5000 streams and 2 entries");
    QTest::newRow("no limits") << QStringList {QStringLiteral("--max-body"),
                                               QStringLiteral("0"),
                                               QStringLiteral("--max-decompressed"),
                                               QStringLiteral("0"),
                                               QStringLiteral("--max-streams-per-push"),
                                               QStringLiteral("0"),
                                               QStringLiteral("--max-entries-per-push"),
                                               QStringLiteral("0")}
                               << TestPush::gzipCompress(push(3, 3)) << QByteArray("gzip") << 204
                               << QByteArray();
}

void tst_ReceiverOptions::limitOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, encoding);
    QFETCH(int, status);
    QFETCH(QByteArray, answerStart);

    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(
            process, QStringLiteral(LOKI_RECEIVER_BINARY),
            QStringList {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")}
                    + arguments,
            &url));
    TestHttp::Headers headers {{"Content-Type", "application/json"}};
    if (!encoding.isEmpty())
        headers.append({"Content-Encoding", encoding});
    const TestHttp::Reply reply = TestHttp::post(
            m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/push"))), body, headers);
    QCOMPARE(reply.status, status);
    QVERIFY2(reply.body.startsWith(answerStart), reply.body.constData());
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

void tst_ReceiverOptions::connectionOptions()
{
    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(process, QStringLiteral(LOKI_RECEIVER_BINARY),
                                     {QStringLiteral("--port"), QStringLiteral("0"),
                                      QStringLiteral("--quiet"),
                                      QStringLiteral("--max-store-bytes"), QStringLiteral("1000"),
                                      QStringLiteral("--max-query-limit"), QStringLiteral("10"),
                                      QStringLiteral("--idle-timeout"), QStringLiteral("1"),
                                      QStringLiteral("--max-connections"), QStringLiteral("4")},
                                     &url));
    const QUrl pushUrl = url.resolved(QUrl(QStringLiteral("/loki/api/v1/push")));
    // Three entries of 500 bytes in a store of 1,000: the oldest are evicted.
    QCOMPARE(TestHttp::pushJson(m_manager, pushUrl, push(1, 3, 500)).status, 204);
    const TestHttp::Reply metrics =
            TestHttp::get(m_manager, url.resolved(QUrl(QStringLiteral("/metrics"))));
    QVERIFY2(metrics.body.contains("loki_receiver_stored_entries 1\n"), metrics.body.constData());
    QVERIFY(metrics.body.contains("loki_receiver_evicted_total 2\n"));
    const TestHttp::Reply limited = TestHttp::get(
            m_manager,
            QUrl::fromEncoded(url.toEncoded()
                              + "/loki/api/v1/query_range?query=%7Bapp%3D%22o0%22%7D&limit=11"));
    QCOMPARE(limited.status, 400);
    QCOMPARE(limited.body,
             QByteArray("max entries limit per query exceeded, limit > "
                        "max_entries_limit (11 > 10)\n"));
    // An idle connection is closed after a second.
    QTcpSocket idle;
    QSignalSpy connected(&idle, &QTcpSocket::connected);
    QSignalSpy closed(&idle, &QTcpSocket::disconnected);
    idle.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
    QVERIFY(connected.wait(5000));
    QVERIFY(closed.wait(10000));
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
}

void tst_ReceiverOptions::gzipBombStaysBounded()
{
    // 1 GiB of zeros in about 1 MB of gzip, against the default limits (64 MiB inflated).
    const QByteArray bomb = TestPush::gzipZeros(1024LL * 1024 * 1024);
    QVERIFY(bomb.size() < 2 * 1024 * 1024);
    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(
            process, QStringLiteral(LOKI_RECEIVER_BINARY),
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")}, &url));
    const TestHttp::Reply reply = TestHttp::post(
            m_manager, url.resolved(QUrl(QStringLiteral("/loki/api/v1/push"))), bomb,
            {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}}, 60000);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.body,
             QByteArray("request body too large: more than 67108864 bytes once "
                        "decompressed, limit: 67108864 bytes\n"));
    const qint64 peakKb = peakRssKb(process.processId());
    qInfo("loki-receiver's peak resident memory after the bomb: %lld kB", peakKb);
#ifndef QLOKI_SANITIZED
    // 64 MiB inflated, the 1 MB body, and the process itself (about 20 MB).
    QVERIFY2(peakKb > 0 && peakKb < 150 * 1024, qPrintable(QString::number(peakKb)));
#endif
    process.terminate();
    QVERIFY(process.waitForFinished(10000));
}

void tst_ReceiverOptions::badLimitOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    for (const char *option :
         {"--max-body", "--max-decompressed", "--max-streams-per-push", "--max-entries-per-push",
          "--max-store-bytes", "--max-query-limit", "--max-connections", "--idle-timeout"}) {
        QTest::newRow(QByteArray(QByteArray(option) + " -1").constData())
                << QStringList {QString::fromLatin1(option), QStringLiteral("-1")};
        QTest::newRow(QByteArray(QByteArray(option) + " word").constData())
                << QStringList {QString::fromLatin1(option), QStringLiteral("many")};
    }
}

void tst_ReceiverOptions::badLimitOptions()
{
    QFETCH(QStringList, arguments);
    QProcess process;
    process.start(QStringLiteral(LOKI_RECEIVER_BINARY),
                  QStringList {QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QVERIFY(process.readAllStandardError().contains("needs a number from 0 to"));
}

QTEST_GUILESS_MAIN(tst_ReceiverOptions)
#include "tst_receiver_options.moc"
