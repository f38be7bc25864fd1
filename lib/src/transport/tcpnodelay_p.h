// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

class QNetworkAccessManager;

namespace QLoki::detail {

//! One end of a TCP connection.
struct TcpEndpoint
{
    QHostAddress address;
    quint16 port = 0;
};

/*!
    Sets TCP_NODELAY on each TCP connection of this process whose peer is one of \a peers
    and which does not have it yet. \a connections receives the descriptors of all the
    connections to \a peers found (set before or now). Returns false where the platform
    offers no list of the process's descriptors; nothing is changed then.
*/
bool setNoDelayTo(const QList<TcpEndpoint> &peers, QList<int> *connections);
//! Whether \a fd is a TCP connection to one of \a peers with TCP_NODELAY set.
bool hasNoDelayTo(int fd, const QList<TcpEndpoint> &peers);

/*!
    Keeps Nagle's algorithm off on the connections QNetworkAccessManager holds to the push
    endpoint.

    Qt's HTTP client (Qt 6.4) never sets TCP_NODELAY on its sockets. It writes a request
    as the head plus up to 16 KiB of the body, then the rest of the body in further writes
    of up to 16 KiB, each fetched from this thread through the event loop. With Nagle's
    algorithm the kernel holds a write while an earlier small segment is unacknowledged,
    and a server that reads the head and then waits for the body (Python's http.server,
    Loki's Go server) acknowledges only when its delayed-ACK timer fires: 40 ms on Linux,
    up to 200 ms elsewhere. Every push larger than one write took about 40 ms.

    Qt offers no public way to reach the socket of a request, so this finds the connections
    through the operating system: it lists the process's descriptors and sets TCP_NODELAY
    (a documented setsockopt, safe from any thread) on those that are TCP connections to the
    push URL's host and port, or to a proxy that QNetworkAccessManager uses for it. Qt keeps
    no copy of that option, and nothing else about the connection changes: keep-alive, TLS,
    authentication and proxies work as before. Where the platform has no descriptor list
    (Windows) or a host name does not resolve, pushes are only slower.

    Lives on the sender thread, beside the Pusher. The first requests of a new connection are
    acknowledged at once by the peer's kernel (quick-ack mode), so checking after each answer
    is early enough.
*/
class TcpNoDelay : public QObject
{
    Q_OBJECT
public:
    explicit TcpNoDelay(QObject *parent = nullptr);

    //! Where the connections go: \a url's host and port, and each proxy \a manager uses for it.
    void setTarget(const QUrl &url, QNetworkAccessManager *manager);
    /*!
        After an answer came back over one of the connections: checks the connections found
        before (two system calls each) and lists them again when one is gone, none is known,
        or the request took long enough to have waited on an acknowledgement.
    */
    void afterReply(qint64 latencyMs);

    //! The peers looked for (empty while a host name is being resolved).
    QList<TcpEndpoint> peers() const { return m_peers; }
    //! The connections found by the last check.
    QList<int> connections() const { return m_connections; }

private:
    void addHost(const QString &host, quint16 port);
    void rescan();

    QList<TcpEndpoint> m_peers;
    QList<int> m_connections;
    int m_generation = 0;
};

} // namespace QLoki::detail
