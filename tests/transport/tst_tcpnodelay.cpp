// SPDX-License-Identifier: MIT
// TcpNoDelay finds the process's TCP connections to the push endpoint and turns Nagle's
// algorithm off on them, and on nothing else. Real sockets on loopback.
#include "transport/tcpnodelay_p.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QtTest>

#include <memory>

using namespace QLoki::detail;

namespace {

bool lowDelayOn(QAbstractSocket &socket)
{
    return socket.socketOption(QAbstractSocket::LowDelayOption).toInt() != 0;
}

bool hasPeer(const QList<TcpEndpoint> &peers, const QHostAddress &address, quint16 port)
{
    for (const TcpEndpoint &p : peers) {
        if (p.address == address && p.port == port)
            return true;
    }
    return false;
}

} // namespace

class tst_TcpNoDelay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void setsItOnConnectionsToThePeerOnly_data();
    void setsItOnConnectionsToThePeerOnly();
    void peersOfTheTarget_data();
    void peersOfTheTarget();
    void resolvesAHostName();
    void findsANewConnectionAfterReply();

private:
    //! A client connected to \a server, and the server's end of it.
    std::unique_ptr<QTcpSocket> connectTo(QTcpServer &server, QTcpSocket **accepted);

    QTcpServer m_server;
    QTcpServer m_other;
    std::unique_ptr<QTcpSocket> m_client;
    std::unique_ptr<QTcpSocket> m_otherClient;
    QTcpSocket *m_accepted = nullptr;
    QTcpSocket *m_otherAccepted = nullptr;
};

void tst_TcpNoDelay::initTestCase()
{
#if !defined(Q_OS_UNIX)
    QSKIP("The process's descriptors are listed on Unix only.");
#endif
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
    QVERIFY(m_other.listen(QHostAddress::LocalHost));
}

std::unique_ptr<QTcpSocket> tst_TcpNoDelay::connectTo(QTcpServer &server, QTcpSocket **accepted)
{
    auto client = std::make_unique<QTcpSocket>();
    client->connectToHost(QHostAddress::LocalHost, server.serverPort());
    if (!client->waitForConnected(10000) || !server.waitForNewConnection(10000))
        return nullptr;
    *accepted = server.nextPendingConnection();
    return client;
}

void tst_TcpNoDelay::init()
{
    m_client = connectTo(m_server, &m_accepted);
    m_otherClient = connectTo(m_other, &m_otherAccepted);
    QVERIFY(m_client && m_otherClient && m_accepted && m_otherAccepted);
    // The kernel's default, which Qt's HTTP client keeps.
    QVERIFY(!lowDelayOn(*m_client));
    QVERIFY(!lowDelayOn(*m_otherClient));
}

void tst_TcpNoDelay::cleanup()
{
    m_client.reset();
    m_otherClient.reset();
    delete m_accepted;
    delete m_otherAccepted;
    m_accepted = m_otherAccepted = nullptr;
}

void tst_TcpNoDelay::setsItOnConnectionsToThePeerOnly_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("serverPort"); // false: a port nobody listens on
    QTest::addColumn<bool>("expected");
    QTest::newRow("the peer") << QStringLiteral("127.0.0.1") << true << true;
    QTest::newRow("the peer, IPv4-mapped") << QStringLiteral("::ffff:127.0.0.1") << true << true;
    QTest::newRow("another address") << QStringLiteral("127.0.0.2") << true << false;
    QTest::newRow("another port") << QStringLiteral("127.0.0.1") << false << false;
}

void tst_TcpNoDelay::setsItOnConnectionsToThePeerOnly()
{
    QFETCH(QString, address);
    QFETCH(bool, serverPort);
    QFETCH(bool, expected);
    QTcpServer unused;
    QVERIFY(unused.listen(QHostAddress::LocalHost));
    const quint16 port = serverPort ? m_server.serverPort() : unused.serverPort();
    const QList<TcpEndpoint> peers = {{QHostAddress(address), port}};

    QList<int> connections;
    QVERIFY(setNoDelayTo(peers, &connections));
    QCOMPARE(lowDelayOn(*m_client), expected);
    QCOMPARE(connections.contains(int(m_client->socketDescriptor())), expected);
    QCOMPARE(hasNoDelayTo(int(m_client->socketDescriptor()), peers), expected);
    QCOMPARE(connections.size(), expected ? 1 : 0);
    // Neither the connection to another server nor the server's own ends.
    QVERIFY(!lowDelayOn(*m_otherClient));
    QVERIFY(!lowDelayOn(*m_accepted));
    QVERIFY(!lowDelayOn(*m_otherAccepted));
    QVERIFY(!hasNoDelayTo(int(m_otherClient->socketDescriptor()), peers));
}

void tst_TcpNoDelay::peersOfTheTarget_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QNetworkProxy>("proxy");
    QTest::addColumn<QStringList>("expected"); // address:port
    const QNetworkProxy none(QNetworkProxy::NoProxy);
    QTest::newRow("http, port") << QUrl(QStringLiteral("http://127.0.0.1:3100/loki/api/v1/push"))
                                << none << QStringList {QStringLiteral("127.0.0.1:3100")};
    QTest::newRow("http, default port") << QUrl(QStringLiteral("http://10.1.2.3/loki/api/v1/push"))
                                        << none << QStringList {QStringLiteral("10.1.2.3:80")};
    QTest::newRow("https, IPv6, default port")
            << QUrl(QStringLiteral("https://[::1]/loki/api/v1/push")) << none
            << QStringList {QStringLiteral("::1:443")};
    QTest::newRow("through an HTTP proxy")
            << QUrl(QStringLiteral("https://127.0.0.1:3100/loki/api/v1/push"))
            << QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.5"), 8080)
            << QStringList {QStringLiteral("127.0.0.1:3100"), QStringLiteral("127.0.0.5:8080")};
    QTest::newRow("through a SOCKS5 proxy")
            << QUrl(QStringLiteral("http://127.0.0.1:3100/loki/api/v1/push"))
            << QNetworkProxy(QNetworkProxy::Socks5Proxy, QStringLiteral("127.0.0.6"), 1080)
            << QStringList {QStringLiteral("127.0.0.1:3100"), QStringLiteral("127.0.0.6:1080")};
}

void tst_TcpNoDelay::peersOfTheTarget()
{
    QFETCH(QUrl, url);
    QFETCH(QNetworkProxy, proxy);
    QFETCH(QStringList, expected);
    QNetworkAccessManager manager;
    manager.setProxy(proxy);
    TcpNoDelay noDelay;
    noDelay.setTarget(url, &manager);
    QStringList peers;
    for (const TcpEndpoint &p : noDelay.peers())
        peers << p.address.toString() + QLatin1Char(':') + QString::number(p.port);
    QCOMPARE(peers, expected);
}

void tst_TcpNoDelay::resolvesAHostName()
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    TcpNoDelay noDelay;
    noDelay.setTarget(
            QUrl(QStringLiteral("http://localhost:%1/loki/api/v1/push").arg(m_server.serverPort())),
            &manager);
    // Resolved without blocking: the addresses come with the lookup's answer.
    QTRY_VERIFY_WITH_TIMEOUT(!noDelay.peers().isEmpty(), 10000);
    QVERIFY(hasPeer(noDelay.peers(), QHostAddress::LocalHost, m_server.serverPort())
            || hasPeer(noDelay.peers(), QHostAddress::LocalHostIPv6, m_server.serverPort()));
}

void tst_TcpNoDelay::findsANewConnectionAfterReply()
{
    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    TcpNoDelay noDelay;
    noDelay.setTarget(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort())),
                      &manager);
    noDelay.afterReply(0);
    QVERIFY(lowDelayOn(*m_client));
    QCOMPARE(noDelay.connections(), QList<int> {int(m_client->socketDescriptor())});

    // The connection is closed and another one opened, as after a keep-alive timeout: the
    // next answer finds it, whether or not it got the same descriptor.
    m_client.reset();
    delete m_accepted;
    m_client = connectTo(m_server, &m_accepted);
    QVERIFY(m_client && m_accepted);
    QVERIFY(!lowDelayOn(*m_client));
    noDelay.afterReply(0);
    QVERIFY(lowDelayOn(*m_client));
    QCOMPARE(noDelay.connections(), QList<int> {int(m_client->socketDescriptor())});
    QVERIFY(!lowDelayOn(*m_otherClient));
}

QTEST_GUILESS_MAIN(tst_TcpNoDelay)
#include "tst_tcpnodelay.moc"
