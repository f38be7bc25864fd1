// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtHttpServer/QAbstractHttpServer>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>

#include <functional>
#include <optional>

class QSslSocket;
class QTcpSocket;

namespace LokiReceiverInternal {

class HttpFrontend;

// Accepts connections for HttpFrontend, so that it knows every socket (to close them
// when the receiver goes down) and sees a request's header before QtHttpServer does.
class ConnectionServer : public QTcpServer
{
public:
    explicit ConnectionServer(HttpFrontend *frontend);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    HttpFrontend *m_frontend;
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
        QByteArray head;
        bool waitingForRequestEnd = false;
    };

    void adopt(QTcpSocket *socket);
    void startEncryption(QSslSocket *socket);
    void watchHeader(QTcpSocket *socket);

    Handler m_handler;
    std::function<void()> m_handshakeFailed;
    std::optional<QSslConfiguration> m_tls;
    ConnectionServer *m_server;
    bool m_bound = false;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, HeaderWatch> m_watches;
    //! TLS sockets whose handshake has not completed yet.
    QSet<QTcpSocket *> m_handshaking;
};

} // namespace LokiReceiverInternal
