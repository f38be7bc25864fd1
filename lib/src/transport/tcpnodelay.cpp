// SPDX-License-Identifier: MIT
#include "transport/tcpnodelay_p.h"

#include <QtNetwork/QHostInfo>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>

#include <cstdlib>

#if defined(Q_OS_UNIX)
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace QLoki::detail {

// A request that took this long may have waited on a delayed acknowledgement (40 ms on
// Linux): the connections are listed again, in case it went over one not seen before.
static constexpr qint64 SuspectLatencyMs = 20;

#if defined(Q_OS_UNIX)

static bool peerOf(int fd, TcpEndpoint *peer)
{
    sockaddr_storage address {};
    socklen_t length = sizeof(address);
    // Fails with ENOTSOCK for files and pipes, ENOTCONN for sockets that are not connected.
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return false;
    if (address.ss_family == AF_INET)
        peer->port = ntohs(reinterpret_cast<const sockaddr_in &>(address).sin_port);
    else if (address.ss_family == AF_INET6)
        peer->port = ntohs(reinterpret_cast<const sockaddr_in6 &>(address).sin6_port);
    else
        return false;
    peer->address = QHostAddress(reinterpret_cast<const sockaddr *>(&address));
    return true;
}

static bool isOneOf(const TcpEndpoint &peer, const QList<TcpEndpoint> &peers)
{
    for (const TcpEndpoint &p : peers) {
        if (p.port == peer.port
            && p.address.isEqual(peer.address, QHostAddress::ConvertV4MappedToIPv4))
            return true;
    }
    return false;
}

static bool isTcp(int fd)
{
    int type = 0;
    socklen_t length = sizeof(type);
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM)
        return false;
#if defined(SO_PROTOCOL)
    int protocol = 0;
    length = sizeof(protocol);
    if (::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &protocol, &length) == 0)
        return protocol == IPPROTO_TCP;
#endif
    return true;
}

static int noDelayOf(int fd)
{
    int on = 0;
    socklen_t length = sizeof(on);
    if (::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &length) != 0)
        return -1;
    return on ? 1 : 0;
}

bool hasNoDelayTo(int fd, const QList<TcpEndpoint> &peers)
{
    TcpEndpoint peer;
    return noDelayOf(fd) == 1 && peerOf(fd, &peer) && isOneOf(peer, peers);
}

bool setNoDelayTo(const QList<TcpEndpoint> &peers, QList<int> *connections)
{
    connections->clear();
    // Linux lists the process's descriptors in /proc/self/fd, macOS and the BSDs in /dev/fd.
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        dir = ::opendir("/dev/fd");
    if (!dir)
        return false;
    const int own = ::dirfd(dir);
    while (const dirent *e = ::readdir(dir)) {
        char *end = nullptr;
        const long fd = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '\0' || fd == own)
            continue;
        TcpEndpoint peer;
        if (!peerOf(int(fd), &peer) || !isOneOf(peer, peers) || !isTcp(int(fd)))
            continue;
        // Another thread may close the descriptor meanwhile, and its number may be reused:
        // the worst that does is a failed call, or TCP_NODELAY on a TCP socket, which only
        // makes it send sooner.
        const int on = 1;
        if (noDelayOf(int(fd)) == 1
            || ::setsockopt(int(fd), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0)
            connections->append(int(fd));
    }
    ::closedir(dir);
    return true;
}

#else

bool hasNoDelayTo(int, const QList<TcpEndpoint> &) { return false; }

bool setNoDelayTo(const QList<TcpEndpoint> &, QList<int> *connections)
{
    connections->clear();
    return false;
}

#endif

TcpNoDelay::TcpNoDelay(QObject *parent)
    : QObject(parent)
{ }

void TcpNoDelay::setTarget(const QUrl &url, QNetworkAccessManager *manager)
{
    ++m_generation;
    m_peers.clear();
    m_connections.clear();
    const bool https = url.scheme() == QLatin1String("https");
    addHost(url.host(), quint16(url.port(https ? 443 : 80)));

    // The proxies QNetworkAccessManager would try for this URL: the connection goes to one
    // of them (an HTTPS request through a CONNECT tunnel too).
    QList<QNetworkProxy> proxies;
    if (manager && manager->proxy().type() != QNetworkProxy::DefaultProxy)
        proxies.append(manager->proxy());
    else if (manager && manager->proxyFactory())
        proxies = manager->proxyFactory()->queryProxy(QNetworkProxyQuery(url));
    else
        proxies = QNetworkProxyFactory::proxyForQuery(QNetworkProxyQuery(url));
    for (const QNetworkProxy &proxy : std::as_const(proxies)) {
        if (proxy.type() == QNetworkProxy::HttpProxy || proxy.type() == QNetworkProxy::Socks5Proxy
            || proxy.type() == QNetworkProxy::HttpCachingProxy)
            addHost(proxy.hostName(), proxy.port());
    }
}

void TcpNoDelay::addHost(const QString &host, quint16 port)
{
    if (host.isEmpty() || port == 0)
        return;
    const QHostAddress literal(host);
    if (!literal.isNull()) {
        m_peers.append({literal, port});
        return;
    }
    // The same resolver (and cache) as the connection's own lookup.
    const int generation = m_generation;
    QHostInfo::lookupHost(host, this, [this, generation, port](const QHostInfo &info) {
        if (generation != m_generation)
            return;
        for (const QHostAddress &address : info.addresses())
            m_peers.append({address, port});
    });
}

void TcpNoDelay::afterReply(qint64 latencyMs)
{
    if (m_peers.isEmpty())
        return;
    bool known = !m_connections.isEmpty() && latencyMs < SuspectLatencyMs;
    for (int fd : std::as_const(m_connections)) {
        if (!known)
            break;
        known = hasNoDelayTo(fd, m_peers);
    }
    if (!known)
        rescan();
}

void TcpNoDelay::rescan() { setNoDelayTo(m_peers, &m_connections); }

} // namespace QLoki::detail
