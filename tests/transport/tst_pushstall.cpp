// SPDX-License-Identifier: MIT
// Regression test of the push stall: pushes larger than one 16 KiB write waited ~40 ms each
// on the server's delayed ACK (Nagle's algorithm on Qt's socket), against every server not
// written with Qt. Each push goes to a plain POSIX-socket server whose kernel delays its
// acknowledgements, as in the field, and the same push to a twin that acknowledges at once;
// a push that waits on the transport shows as the difference between the two, ~40 ms, on
// a loaded machine too (both see the same load, one push after the other).
#include "plainhttpserver.h"
#include "pushbodies.h"

#include "testcerts.h"
#include "transport/pusher_p.h"
#include "transport/tcpnodelay_p.h"

#include <QLoki/LokiLogger>
#include <QLokiReceiver/LokiReceiver>

#include <QtNetwork/QNetworkAccessManager>
#include <QtTest/QtTest>

#include <algorithm>

using namespace QLoki::detail;
using namespace std::chrono_literals;
using QLoki::WireFormat;

namespace {

// Linux delays an acknowledgement by at least 40 ms; a difference of half that between the
// two servers can only come from waiting on one.
constexpr double StallSignatureMs = 40;
constexpr double AllowedDifferenceMs = StallSignatureMs / 2;

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0 : (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2);
}

PushTarget targetOf(const QUrl &url)
{
    PushTarget t;
    t.url = url;
    t.timeout = 30s;
    return t;
}

} // namespace

class tst_PushStall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pushDoesNotWaitOnDelayedAck_data();
    void pushDoesNotWaitOnDelayedAck();
    void loggerDoesNotWaitOnDelayedAck_data();
    void loggerDoesNotWaitOnDelayedAck();
    void httpsConnectionHasNoDelay();

private:
    //! Milliseconds from push() to the answer.
    double timedPush(Pusher &pusher, const PushBodies::Body &body);
    //! Logs 20,000 entries to \a url and collects the latency of each push.
    void runLogger(const QUrl &url, WireFormat format, std::vector<double> *perPush);

    PlainHttpServer m_delayed {PlainHttpServer::AckMode::Delayed};
    PlainHttpServer m_immediate {PlainHttpServer::AckMode::Immediate};
    QNetworkAccessManager m_manager;
};

void tst_PushStall::initTestCase()
{
#if !defined(TCP_QUICKACK)
    QSKIP("The comparison server needs TCP_QUICKACK (Linux).");
#endif
    QVERIFY(m_delayed.listen());
    QVERIFY(m_immediate.listen());
}

double tst_PushStall::timedPush(Pusher &pusher, const PushBodies::Body &body)
{
    QSignalSpy finished(&pusher, &Pusher::finished);
    QElapsedTimer clock;
    clock.start();
    pusher.push(body.bytes, body.contentType, body.contentEncoding);
    if (!finished.wait(30000))
        return -1;
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    const auto result = finished.constFirst().constFirst().value<PushResult>();
    return result.httpStatus == 204 ? ms : -1;
}

void tst_PushStall::pushDoesNotWaitOnDelayedAck_data()
{
    QTest::addColumn<WireFormat>("format");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("pushes");
    const QList<QPair<const char *, WireFormat>> formats = {{"json", WireFormat::Json},
                                                            {"json-gzip", WireFormat::JsonGzip},
                                                            {"protobuf", WireFormat::Protobuf}};
    // Qt writes the head with the first 16 KiB of the body: 16 KB is one write, 17 KB two.
    const QList<QPair<const char *, int>> sizes = {{"1 KB", 1000},     {"16 KB", 16000},
                                                   {"17 KB", 17000},   {"50 KB", 50000},
                                                   {"100 KB", 100000}, {"1 MB", 1000000}};
    for (const auto &format : formats) {
        for (const auto &size : sizes) {
            QTest::addRow("%s %s", format.first, size.first)
                    << format.second << size.second << (size.second >= 1000000 ? 7 : 12);
        }
    }
}

void tst_PushStall::pushDoesNotWaitOnDelayedAck()
{
    QFETCH(WireFormat, format);
    QFETCH(int, bytes);
    QFETCH(int, pushes);
    const PushBodies::Body body = PushBodies::ofSize(format, bytes);
    QVERIFY(body.bytes.size() > bytes * 9 / 10);

    Pusher toDelayed(&m_manager);
    toDelayed.setTarget(targetOf(m_delayed.pushUrl()));
    Pusher toImmediate(&m_manager);
    toImmediate.setTarget(targetOf(m_immediate.pushUrl()));
    const size_t before = m_delayed.requests().size();

    // One push to each in turn, so that both see the same load; the first two of each open
    // the connection and are left out.
    std::vector<double> delayed, immediate;
    for (int i = 0; i < pushes + 2; ++i) {
        const double d = timedPush(toDelayed, body);
        const double q = timedPush(toImmediate, body);
        QVERIFY2(d >= 0 && q >= 0, "a push failed");
        if (i >= 2) {
            delayed.push_back(d);
            immediate.push_back(q);
        }
    }
    const double difference = median(delayed) - median(immediate);
    qInfo("%d-byte body: median %.2f ms per push to a delayed-ACK server, %.2f ms to an "
          "immediate-ACK one",
          int(body.bytes.size()), median(delayed), median(immediate));

    const std::vector<PlainHttpServer::Request> received = m_delayed.requests();
    QCOMPARE(received.size(), before + size_t(pushes + 2));
    QCOMPARE(received.back().body, body.bytes);
    QCOMPARE(received.back().contentType, body.contentType);
    QVERIFY2(difference < AllowedDifferenceMs,
             qPrintable(QStringLiteral("pushes wait on the transport: %1 ms more per push "
                                       "when the server delays its acknowledgements")
                                .arg(difference, 0, 'f', 1)));
}

void tst_PushStall::loggerDoesNotWaitOnDelayedAck_data()
{
    QTest::addColumn<WireFormat>("format");
    QTest::newRow("json") << WireFormat::Json;
    QTest::newRow("json-gzip") << WireFormat::JsonGzip;
    QTest::newRow("protobuf") << WireFormat::Protobuf;
}

void tst_PushStall::runLogger(const QUrl &url, WireFormat format, std::vector<double> *perPush)
{
    const int entries = 20000;
    LokiConfig config;
    config.setAppName(QStringLiteral("pushstall"));
    config.setUrl(url);
    config.setFormat(format);
    // As loki-send logs (the measurement): a burst that waits for room instead of
    // dropping (the default policy would keep too few entries to push more than twice).
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    LokiLogger logger(config);
    QVERIFY2(logger.isInitialized(), qPrintable(logger.errorString()));
    connect(&logger, &LokiLogger::batchDelivered, this,
            [perPush](int, qint64, int, qint64 latencyMs) {
                perPush->push_back(double(latencyMs));
            });
    for (int i = 0; i < entries; ++i) {
        logger.info(QStringLiteral("order %1 accepted: 3 items, total 149.90 EUR, payment by "
                                   "card, shipping to warehouse 7")
                            .arg(100000 + i));
    }
    QVERIFY(logger.flush(60s));
    const LokiStats stats = logger.stats();
    QVERIFY2(stats.delivered() == quint64(entries),
             qPrintable(QStringLiteral("delivered %1, dropped %2, pending %3: %4")
                                .arg(stats.delivered())
                                .arg(stats.dropped())
                                .arg(stats.pending())
                                .arg(stats.lastError())));
    // batchDelivered() is queued to this thread: one per acknowledged push.
    QTRY_COMPARE_WITH_TIMEOUT(quint64(perPush->size()), logger.stats().batchesDelivered(), 10000);
}

// The user's path: a LokiLogger with the default configuration but the app name (required),
// the URL, the format and the overflow policy.
void tst_PushStall::loggerDoesNotWaitOnDelayedAck()
{
    QFETCH(WireFormat, format);
    std::vector<double> delayed, immediate;
    runLogger(m_delayed.pushUrl(), format, &delayed);
    if (QTest::currentTestFailed())
        return;
    runLogger(m_immediate.pushUrl(), format, &immediate);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(delayed.size() >= 4);
    QVERIFY(immediate.size() >= 4);
    const double difference = median(delayed) - median(immediate);
    qInfo("%d pushes, median %.0f ms per push to a delayed-ACK server, %.0f ms to an "
          "immediate-ACK one",
          int(delayed.size()), median(delayed), median(immediate));
    QVERIFY2(difference < AllowedDifferenceMs,
             qPrintable(QStringLiteral("pushes wait on the transport: %1 ms more per push "
                                       "when the server delays its acknowledgements")
                                .arg(difference, 0, 'f', 1)));
}

// Over TLS the connection is a TCP socket all the same: after the first answer it has
// TCP_NODELAY, and the pushes after it are answered (keep-alive over one connection).
void tst_PushStall::httpsConnectionHasNoDelay()
{
    const TestCerts::Set certs = TestCerts::generate();
    if (!certs.isValid())
        QSKIP(qPrintable(certs.errorString));
    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(certs.server.certificate, certs.server.key));
    PushTarget target = targetOf(receiver.pushUrl());
    target.tls = TestCerts::clientConfiguration(certs.ca);
    Pusher pusher(&m_manager);
    pusher.setTarget(target);
    const PushBodies::Body body = PushBodies::ofSize(WireFormat::Json, 50000);
    const QList<TcpEndpoint> peers = {{QHostAddress::LocalHost, receiver.serverPort()}};
    auto connectionsWithNoDelay = [&peers] {
        int n = 0;
        for (int fd = 0; fd < 4096; ++fd)
            n += hasNoDelayTo(fd, peers) ? 1 : 0;
        return n;
    };
    QCOMPARE(connectionsWithNoDelay(), 0);
    for (int i = 0; i < 3; ++i)
        QVERIFY(timedPush(pusher, body) >= 0);
    QCOMPARE(connectionsWithNoDelay(), 1);
    QCOMPARE(receiver.stats().pushRequests(), quint64(3));
}

QTEST_GUILESS_MAIN(tst_PushStall)
#include "tst_pushstall.moc"
