// SPDX-License-Identifier: MIT
#include "httpfrontend_p.h"

#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

#if defined(Q_OS_LINUX)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace LokiReceiverInternal {

namespace {

// Beyond this a header is not one we answer 100 Continue for.
constexpr qsizetype MaxWatchedHeader = 64 * 1024;

// QNetworkAccessManager writes a request's header and body separately; with Nagle's
// algorithm on its side and delayed acknowledgements on ours, the body then waits ~40 ms
// for the header's ACK, which capped loopback pushes at ~25 per second and connection.
// Acknowledging at once removes that wait (Linux re-arms delayed ACKs, hence per read).
void acknowledgeAtOnce(QTcpSocket *socket)
{
#if defined(Q_OS_LINUX) && defined(TCP_QUICKACK)
    int on = 1;
    ::setsockopt(int(socket->socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &on, sizeof on);
#else
    Q_UNUSED(socket);
#endif
}

} // namespace

ConnectionServer::ConnectionServer(HttpFrontend *frontend)
    : QTcpServer(frontend)
    , m_frontend(frontend)
{ }

void ConnectionServer::incomingConnection(qintptr socketDescriptor)
{
    QSslSocket *tlsSocket = nullptr;
    QTcpSocket *socket = nullptr;
    if (m_frontend->m_tls) {
        tlsSocket = new QSslSocket(this);
        tlsSocket->setSslConfiguration(*m_frontend->m_tls);
        socket = tlsSocket;
    } else {
        socket = new QTcpSocket(this);
    }
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Connected before QtHttpServer connects its own readyRead handler, so this one
    // sees every byte first.
    m_frontend->adopt(socket);
    if (tlsSocket)
        m_frontend->startEncryption(tlsSocket);
    addPendingConnection(socket);
}

HttpFrontend::HttpFrontend(Handler handler, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
    , m_server(new ConnectionServer(this))
{ }

HttpFrontend::~HttpFrontend()
{
    // Sockets are children of the server; make sure none calls back into a half-destroyed
    // frontend.
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->disconnect(this);
    }
}

void HttpFrontend::setTlsConfiguration(const std::optional<QSslConfiguration> &configuration)
{
    m_tls = configuration;
}

void HttpFrontend::setHandshakeFailureHandler(std::function<void()> handler)
{
    m_handshakeFailed = std::move(handler);
}

void HttpFrontend::startEncryption(QSslSocket *socket)
{
    // A handshake fails with an error before encrypted(); a client that goes away during
    // the handshake counts too. Whatever comes first, the connection counts once.
    m_handshaking.insert(socket);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] { m_handshaking.remove(socket); });
    auto failed = [this, socket] {
        if (m_handshaking.remove(socket) && m_handshakeFailed)
            m_handshakeFailed();
    };
    connect(socket, &QAbstractSocket::errorOccurred, this, failed);
    connect(socket, &QAbstractSocket::disconnected, this, failed);
    // Verification errors (a client certificate from another CA) end the handshake with an
    // alert to the client: the handshake is not continued.
    connect(socket, &QSslSocket::handshakeInterruptedOnError, this, failed, Qt::DirectConnection);
    socket->startServerEncryption();
}

bool HttpFrontend::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->isListening())
        m_server->close();
    if (!m_server->listen(address, port)) {
        *error = m_server->errorString();
        return false;
    }
    if (!m_bound) {
        bind(m_server);
        m_bound = true;
    }
    return true;
}

void HttpFrontend::stopListening() { m_server->close(); }

bool HttpFrontend::isListening() const { return m_server->isListening(); }

quint16 HttpFrontend::serverPort() const { return m_server->serverPort(); }

void HttpFrontend::closeConnections(bool graceful)
{
    const auto sockets = m_sockets;
    for (const QPointer<QTcpSocket> &socket : sockets) {
        if (!socket)
            continue;
        if (graceful)
            socket->disconnectFromHost();
        else
            socket->abort();
    }
}

void HttpFrontend::adopt(QTcpSocket *socket)
{
    m_sockets.append(socket);
    m_watches.insert(socket, HeaderWatch {});
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { watchHeader(socket); });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_watches.remove(socket);
        m_handshaking.remove(socket);
        m_sockets.removeIf([](const QPointer<QTcpSocket> &s) { return s.isNull(); });
    });
}

void HttpFrontend::watchHeader(QTcpSocket *socket)
{
    acknowledgeAtOnce(socket);
    auto it = m_watches.find(socket);
    if (it == m_watches.end() || it->waitingForRequestEnd)
        return;
    // QtHttpServer reads everything on each readyRead, so what is available now is new.
    it->head += socket->peek(socket->bytesAvailable());
    const qsizetype headerEnd = it->head.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (it->head.size() > MaxWatchedHeader)
            it->waitingForRequestEnd = true;
        return;
    }
    it->waitingForRequestEnd = true;
    const bool bodyStarted = it->head.size() > headerEnd + 4;
    bool expectsContinue = false;
    const QList<QByteArray> lines = it->head.left(headerEnd).split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare("expect", Qt::CaseInsensitive) == 0
            && line.mid(colon + 1).trimmed().compare("100-continue", Qt::CaseInsensitive) == 0) {
            expectsContinue = true;
        }
    }
    it->head.clear();
    if (expectsContinue && !bodyStarted && lines.constFirst().contains("HTTP/1.1"))
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // The request is complete: the next bytes on this connection start a new one.
    auto it = m_watches.find(socket);
    if (it != m_watches.end()) {
        it->head.clear();
        it->waitingForRequestEnd = false;
    }
    m_handler(request, socket);
    return true;
}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    makeResponder(request, socket)
            .write(QByteArray("404 page not found\n"),
                   {{"Content-Type", "text/plain; charset=utf-8"}},
                   QHttpServerResponder::StatusCode::NotFound);
}

} // namespace LokiReceiverInternal
