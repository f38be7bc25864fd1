// SPDX-License-Identifier: MIT
#include "httpfrontend_p.h"

#include <QtCore/QTimer>
#include <QtHttpServer/QHttpServerRequest>
#include <QtHttpServer/QHttpServerResponder>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

#include <limits>
#include <memory>

#if defined(Q_OS_LINUX)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace LokiReceiverInternal {

namespace {

// Beyond this a header is not one we answer 100 Continue for.
constexpr qsizetype MaxWatchedHeader = 64 * 1024;

// How long the rest of a refused body is read and dropped before the connection closes.
constexpr int RefusedDrainMs = 2000;

// A chunked body's bytes on the wire include its framing (a size line per chunk); the
// receiver checks the body itself once it is complete, this bounds what is held before.
qint64 chunkedLimit(qint64 maxBodyBytes) { return 2 * maxBodyBytes + 64 * 1024; }

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

ConnectionServer::~ConnectionServer() { closeWaiting(); }

void ConnectionServer::incomingConnection(qintptr socketDescriptor)
{
    if (m_frontend->atCapacity() || !m_waiting.isEmpty()) {
        m_waiting.append(socketDescriptor);
        return;
    }
    open(socketDescriptor);
}

void ConnectionServer::admitWaiting()
{
    bool opened = false;
    while (!m_waiting.isEmpty() && !m_frontend->atCapacity()) {
        open(m_waiting.takeFirst());
        opened = true;
    }
    if (opened)
        Q_EMIT newConnection(); // QtHttpServer takes pending connections on this signal
}

void ConnectionServer::closeWaiting()
{
    for (const qintptr descriptor : std::as_const(m_waiting)) {
        QTcpSocket socket;
        if (socket.setSocketDescriptor(descriptor))
            socket.abort();
    }
    m_waiting.clear();
}

void ConnectionServer::open(qintptr socketDescriptor)
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

void HttpFrontend::setBodyRefusalHandler(BodyRefusal handler)
{
    m_bodyRefused = std::move(handler);
}

void HttpFrontend::setConnectionLimits(qint64 maxBodyBytes, int maxConnections,
                                       std::chrono::milliseconds idleTimeout,
                                       qint64 maxHeaderBytes)
{
    m_maxHeaderBytes = qMax<qint64>(0, maxHeaderBytes);
    m_maxBodyBytes = qMax<qint64>(0, maxBodyBytes);
    m_maxConnections = qMax(0, maxConnections);
    m_idleTimeout = qMax(std::chrono::milliseconds(0), idleTimeout);
    updateAccepting();
    for (auto it = m_watches.begin(); it != m_watches.end(); ++it) {
        if (it->idle)
            it->idle->stop(); // restarted with the new timeout
        touch(it.key());
    }
}

bool HttpFrontend::atCapacity() const
{
    return m_maxConnections > 0 && connectionCount() >= m_maxConnections;
}

void HttpFrontend::updateAccepting()
{
    // Go's LimitListener (Loki's server.http_conn_limit) stops accepting at the limit:
    // further connections wait in the listen queue.
    if (m_admitting)
        return;
    m_admitting = true;
    if (!atCapacity())
        m_server->admitWaiting();
    m_admitting = false;
    const bool full = atCapacity();
    if (full && !m_acceptingPaused) {
        m_server->pauseAccepting();
        m_acceptingPaused = true;
    } else if (!full && m_acceptingPaused) {
        m_server->resumeAccepting();
        m_acceptingPaused = false;
    }
}

void HttpFrontend::touch(QTcpSocket *socket)
{
    // Traffic only notes the time; the timer, started once, looks at it when it fires (a
    // timer restarted on every read costs more than the read).
    const auto it = m_watches.find(socket);
    if (it == m_watches.end())
        return;
    it->lastActivity.start();
    if (m_idleTimeout.count() <= 0) {
        if (it->idle)
            it->idle->stop();
        return;
    }
    if (!it->idle) {
        it->idle = new QTimer(socket);
        it->idle->setSingleShot(true);
        connect(it->idle, &QTimer::timeout, this, [this, socket] { idleTimedOut(socket); });
    }
    if (!it->idle->isActive())
        it->idle->start(m_idleTimeout);
}

void HttpFrontend::idleTimedOut(QTcpSocket *socket)
{
    const auto it = m_watches.find(socket);
    if (it == m_watches.end() || m_idleTimeout.count() <= 0)
        return;
    const qint64 idleMs = it->lastActivity.elapsed();
    if (idleMs < m_idleTimeout.count()) {
        it->idle->start(
                int(qMin<qint64>(m_idleTimeout.count() - idleMs, std::numeric_limits<int>::max())));
        return;
    }
    if (it->awaitingAnswer || socket->bytesToWrite() > 0) {
        it->idle->start(m_idleTimeout); // a delayed answer is still due: not idle
        return;
    }
    socket->disconnectFromHost();
}

void HttpFrontend::refuseBody(QTcpSocket *socket, HeaderWatch &watch, qint64 size)
{
    watch.refused = true;
    if (m_bodyRefused)
        m_bodyRefused(socket, watch.path, size);
    // QtHttpServer stops reading the connection (it would hold the body). What the client
    // still sends is read and dropped for a moment, so that closing with unread data does
    // not reset the connection before the client has read the answer; then it closes.
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    // QtHttpServer reads a request inside a transaction, which keeps what was read.
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    const qint64 remaining =
            watch.bodyLength >= 0 ? qMax<qint64>(0, watch.bodyLength - watch.bodySeen) : -1;
    auto drained = std::make_shared<qint64>(0);
    auto drain = [socket, remaining, drained] {
        *drained += socket->skip(socket->bytesAvailable());
        if (remaining >= 0 && *drained >= remaining)
            socket->disconnectFromHost();
    };
    connect(socket, &QTcpSocket::readyRead, socket, drain);
    QTimer::singleShot(RefusedDrainMs, socket, [socket] { socket->disconnectFromHost(); });
    drain();
}

void HttpFrontend::refuseHead(QTcpSocket *socket, HeaderWatch &watch)
{
    watch.refused = true;
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->skip(socket->bytesAvailable());
    const QByteArray text = "431 Request Header Fields Too Large: the request line and headers "
                            "are over "
            + QByteArray::number(m_maxHeaderBytes)
            + " bytes (send a long query as a POST form)\n";
    socket->write("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                  "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                  "Content-Length: "
                  + QByteArray::number(text.size()) + "\r\n\r\n" + text);
    // What the client still sends is dropped until it has read the answer, then it closes.
    connect(socket, &QTcpSocket::readyRead, socket,
            [socket] { socket->skip(socket->bytesAvailable()); });
    QTimer::singleShot(RefusedDrainMs, socket, [socket] { socket->disconnectFromHost(); });
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
    m_acceptingPaused = false;
    if (!m_server->listen(address, port)) {
        *error = m_server->errorString();
        return false;
    }
    if (!m_bound) {
        bind(m_server);
        m_bound = true;
    }
    updateAccepting();
    return true;
}

void HttpFrontend::stopListening()
{
    m_server->close();
    m_server->closeWaiting();
}

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
    connect(socket, &QIODevice::bytesWritten, this, [this, socket] {
        const auto it = m_watches.find(socket);
        if (it != m_watches.end())
            it->awaitingAnswer = false;
        touch(socket);
    });
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_watches.remove(socket);
        m_handshaking.remove(socket);
        m_sockets.removeIf([](const QPointer<QTcpSocket> &s) { return s.isNull(); });
        updateAccepting();
    });
    touch(socket);
    updateAccepting();
}

void HttpFrontend::watchHeader(QTcpSocket *socket)
{
    acknowledgeAtOnce(socket);
    touch(socket);
    auto it = m_watches.find(socket);
    if (it == m_watches.end() || it->refused)
        return;
    if (it->waitingForRequestEnd) {
        // A body without Content-Length is counted as it arrives (QtHttpServer reads
        // everything on each readyRead, so what is available now is new).
        if (it->bodyLength < 0 && m_maxBodyBytes > 0) {
            it->bodySeen += socket->bytesAvailable();
            if (it->bodySeen > chunkedLimit(m_maxBodyBytes))
                refuseBody(socket, *it, it->bodySeen);
        }
        return;
    }
    const QByteArray fresh = socket->peek(socket->bytesAvailable());
    it->headSeen += fresh.size();
    if (it->head.size() <= MaxWatchedHeader) {
        it->head += fresh;
    } else {
        // Longer than what is parsed here: only its end is looked for.
        it->head = it->head.right(3) + fresh;
        it->headTruncated = true;
    }
    const qsizetype headerEnd = it->head.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        // QtHttpServer 6.4 reads a request head a byte at a time, each read walking the
        // buffered chunks from the start, so a long head costs more than its length and
        // holds the receiver's thread meanwhile: one over the limit is refused as it
        // arrives (431, as Go's http.Server beyond its MaxHeaderBytes).
        if (m_maxHeaderBytes > 0 && it->headSeen > m_maxHeaderBytes)
            refuseHead(socket, *it);
        return;
    }
    it->waitingForRequestEnd = true;
    if (it->headTruncated) {
        // Its Content-Length was not read here: the body is counted as one without.
        it->bodyLength = -1;
        it->bodySeen = it->head.size() - (headerEnd + 4);
        it->head.clear();
        return;
    }
    const qsizetype bodyStarted = it->head.size() - (headerEnd + 4);
    bool expectsContinue = false;
    const QList<QByteArray> lines = it->head.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.constFirst().trimmed().split(' ');
    it->path = requestLine.size() > 1 ? requestLine.at(1).split('?').constFirst() : QByteArray();
    it->bodyLength = -1;
    it->bodySeen = bodyStarted;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name.compare("expect", Qt::CaseInsensitive) == 0
            && value.compare("100-continue", Qt::CaseInsensitive) == 0) {
            expectsContinue = true;
        } else if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            it->bodyLength = ok && length >= 0 ? length : -1;
        }
    }
    it->head.clear();
    const bool tooLarge = it->bodyLength >= 0 ? it->bodyLength > m_maxBodyBytes
                                              : it->bodySeen > chunkedLimit(m_maxBodyBytes);
    const qint64 known = it->bodyLength >= 0 ? it->bodyLength : it->bodySeen;
    if (m_maxBodyBytes > 0 && tooLarge) {
        // Answered before QtHttpServer holds the body, and before a client that asked
        // waits for 100 Continue sends it.
        refuseBody(socket, *it, known);
        return;
    }
    if (expectsContinue && bodyStarted == 0 && lines.constFirst().contains("HTTP/1.1"))
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // The request is complete: the next bytes on this connection start a new one.
    auto it = m_watches.find(socket);
    if (it != m_watches.end()) {
        if (it->refused)
            return true; // answered already; the connection is closing
        it->head.clear();
        it->headSeen = 0;
        it->headTruncated = false;
        it->waitingForRequestEnd = false;
        it->bodySeen = 0;
        it->bodyLength = -1;
        it->awaitingAnswer = true;
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
