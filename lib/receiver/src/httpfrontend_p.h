// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtHttpServer/QAbstractHttpServer>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>

#include <chrono>
#include <functional>
#include <optional>

class QSslSocket;
class QTcpSocket;
class QTimer;

namespace LokiReceiverInternal {

class HttpFrontend;

// Accepts connections for HttpFrontend, so that it knows every socket (to close them
// when the receiver goes down) and sees a request's header before QtHttpServer does.
class ConnectionServer : public QTcpServer
{
public:
    explicit ConnectionServer(HttpFrontend *frontend);
    ~ConnectionServer() override;

    //! Opens connections that waited for a free place, while there is one.
    void admitWaiting();
    //! Closes the connections that wait.
    void closeWaiting();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void open(qintptr socketDescriptor);

    HttpFrontend *m_frontend;
    //! Connections accepted beyond the connection limit (QTcpServer accepts all that are
    //! queued at once): not read from until a place is free, as if still in the queue.
    QList<qintptr> m_waiting;
};

/*!
    The HTTP side of the receiver: QtHttpServer's parser on a QTcpServer it owns (so
    it can stop listening and listen again on the same port), every request handed to
    one handler.

    QtHttpServer 6.4 does not answer `Expect: 100-continue`, so curl waits a second
    before sending a body over 1 MiB; the frontend sends the interim
    `100 Continue` itself when a request's header asks for it. It also acknowledges
    received data at once (see acknowledgeAtOnce() in the .cpp).

    With a TLS configuration each accepted socket is a QSslSocket in server mode, handed to
    QtHttpServer at once: it reads only decrypted bytes, so it sees nothing before the
    handshake is done, and a connection whose handshake fails never reaches it.

    It also keeps the limits that let the receiver be exposed: a request body larger than
    the limit is refused from its Content-Length (or as its chunks arrive) before
    QtHttpServer holds it; beyond the connection limit new connections wait in the
    listen queue (accepting pauses); a connection without traffic for the idle timeout is
    closed unless an answer is still due on it.
*/
class HttpFrontend : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;

    explicit HttpFrontend(Handler handler, QObject *parent = nullptr);
    ~HttpFrontend() override;

    //! Serves HTTPS with \a configuration on connections accepted from now on; nullopt
    //! serves plain HTTP.
    void setTlsConfiguration(const std::optional<QSslConfiguration> &configuration);
    bool isTls() const { return m_tls.has_value(); }
    //! Called once for every TLS connection that ends before its handshake completed.
    void setHandshakeFailureHandler(std::function<void()> handler);
    //! Called for a request whose body is over the limit, with its path and the size known
    //! so far; it answers (413), and the connection is closed after that answer.
    using BodyRefusal = std::function<void(QTcpSocket *, const QByteArray &path, qint64 size)>;
    void setBodyRefusalHandler(BodyRefusal handler);
    //! Request bodies above \a maxBodyBytes are refused (0: no limit); at most
    //! \a maxConnections are open (0: no limit); idle ones close after \a idleTimeout
    //! (0: never); a request line and headers over \a maxHeaderBytes are refused with 431
    //! (0: no limit).
    void setConnectionLimits(qint64 maxBodyBytes, int maxConnections,
                             std::chrono::milliseconds idleTimeout, qint64 maxHeaderBytes);
    //! Open connections.
    int connectionCount() const { return int(m_sockets.size()); }

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    //! Stops accepting connections (clients are refused); open ones stay.
    void stopListening();
    bool isListening() const;
    quint16 serverPort() const;
    //! Closes every open connection: \a graceful lets written answers go out first.
    void closeConnections(bool graceful);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    friend class ConnectionServer;

    struct HeaderWatch
    {
        QByteArray head; //!< what is parsed here; only its end once over MaxWatchedHeader
        qint64 headSeen = 0; //!< bytes of the head so far
        bool headTruncated = false;
        bool waitingForRequestEnd = false;
        //! The request's path and Content-Length (-1: none, a chunked body).
        QByteArray path;
        qint64 bodyLength = -1;
        //! Body bytes seen so far of a request without Content-Length.
        qint64 bodySeen = 0;
        //! Refused: whatever else comes on the connection is ignored.
        bool refused = false;
        //! A request was handed over and its answer is not written yet.
        bool awaitingAnswer = false;
        QTimer *idle = nullptr;
        QElapsedTimer lastActivity;
    };

    void adopt(QTcpSocket *socket);
    void startEncryption(QSslSocket *socket);
    void watchHeader(QTcpSocket *socket);
    void refuseBody(QTcpSocket *socket, HeaderWatch &watch, qint64 size);
    void refuseHead(QTcpSocket *socket, HeaderWatch &watch);
    void touch(QTcpSocket *socket);
    void idleTimedOut(QTcpSocket *socket);
    void updateAccepting();
    bool atCapacity() const;

    Handler m_handler;
    std::function<void()> m_handshakeFailed;
    BodyRefusal m_bodyRefused;
    qint64 m_maxBodyBytes = 0;
    qint64 m_maxHeaderBytes = 0;
    int m_maxConnections = 0;
    std::chrono::milliseconds m_idleTimeout {0};
    bool m_acceptingPaused = false;
    bool m_admitting = false;
    std::optional<QSslConfiguration> m_tls;
    ConnectionServer *m_server;
    bool m_bound = false;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, HeaderWatch> m_watches;
    //! TLS sockets whose handshake has not completed yet.
    QSet<QTcpSocket *> m_handshaking;
};

} // namespace LokiReceiverInternal
