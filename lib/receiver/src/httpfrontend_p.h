// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtHttpServer/QAbstractHttpServer>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>

#include <functional>

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
*/
class HttpFrontend : public QAbstractHttpServer
{
public:
    using Handler = std::function<void(const QHttpServerRequest &, QTcpSocket *)>;

    explicit HttpFrontend(Handler handler, QObject *parent = nullptr);
    ~HttpFrontend() override;

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
    void watchHeader(QTcpSocket *socket);

    Handler m_handler;
    ConnectionServer *m_server;
    bool m_bound = false;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, HeaderWatch> m_watches;
};

} // namespace LokiReceiverInternal
