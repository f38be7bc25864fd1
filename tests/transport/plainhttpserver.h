// SPDX-License-Identifier: MIT
#pragma once

// An HTTP/1.1 server written on POSIX sockets, without Qt's HTTP stack: the kind of peer a
// client meets in the field (Loki's Go server, Python's http.server). Each connection has a
// thread of its own that reads the head, then the body by Content-Length, and answers
// 204 on the same connection (keep-alive). Its sockets keep the kernel's defaults, so the
// kernel delays its acknowledgements as it does for such servers; with AckMode::Immediate
// it acknowledges every segment at once instead (TCP_QUICKACK, Linux), which takes the
// delayed ACK out of a comparison.

#include <QtCore/QByteArray>
#include <QtCore/QUrl>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

class PlainHttpServer
{
public:
    enum class AckMode { Delayed, Immediate };

    struct Request
    {
        QByteArray method;
        QByteArray path;
        QByteArray contentType;
        QByteArray contentEncoding;
        QByteArray body;
    };

    explicit PlainHttpServer(AckMode ackMode = AckMode::Delayed)
        : m_ackMode(ackMode)
    { }
    PlainHttpServer(const PlainHttpServer &) = delete;
    PlainHttpServer &operator=(const PlainHttpServer &) = delete;
    ~PlainHttpServer() { stop(); }

    //! Listens on 127.0.0.1 on a free port and starts accepting.
    bool listen()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_listener < 0)
            return false;
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof(address);
        if (::bind(m_listener, reinterpret_cast<sockaddr *>(&address), length) != 0
            || ::listen(m_listener, 16) != 0
            || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return false;
        m_port = ntohs(address.sin_port);
        m_acceptor = std::thread([this] { acceptLoop(); });
        return true;
    }

    quint16 port() const { return m_port; }
    QUrl pushUrl() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/loki/api/v1/push").arg(m_port));
    }

    std::vector<Request> requests() const
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_requests;
    }
    int connectionCount() const { return m_connections.load(); }

    void stop()
    {
        if (m_stopping.exchange(true))
            return;
        if (m_listener >= 0)
            ::shutdown(m_listener, SHUT_RDWR);
        if (m_acceptor.joinable())
            m_acceptor.join();
        {
            // Wakes the connection threads blocked in recv().
            std::lock_guard<std::mutex> lock(m_mutex);
            for (int fd : m_open)
                ::shutdown(fd, SHUT_RDWR);
        }
        for (std::thread &t : m_workers)
            t.join();
        if (m_listener >= 0)
            ::close(m_listener);
        m_listener = -1;
    }

private:
    void acceptLoop()
    {
        while (!m_stopping.load()) {
            pollfd p {m_listener, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            ++m_connections;
            std::lock_guard<std::mutex> lock(m_mutex);
            m_open.push_back(fd);
            m_workers.emplace_back([this, fd] { serve(fd); });
        }
    }

    void quickAck(int fd) const
    {
#if defined(TCP_QUICKACK)
        // Not sticky: the kernel may leave quick-ack mode again, so it is set before every read.
        if (m_ackMode == AckMode::Immediate) {
            const int on = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &on, sizeof(on));
        }
#else
        Q_UNUSED(fd);
#endif
    }

    // As a typical server reads: a few KiB at a time until the head is complete, then the
    // body, whose length the head gave.
    void serve(int fd)
    {
        QByteArray buffer;
        char chunk[4096];
        for (;;) {
            qsizetype headEnd;
            while ((headEnd = buffer.indexOf("\r\n\r\n")) < 0) {
                quickAck(fd);
                const ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
                if (n <= 0)
                    return closeConnection(fd);
                buffer.append(chunk, n);
            }
            Request request;
            const QByteArray head = buffer.left(headEnd);
            buffer.remove(0, headEnd + 4);
            qsizetype contentLength = 0;
            const QList<QByteArray> lines = head.split('\n');
            const QList<QByteArray> start = lines.value(0).trimmed().split(' ');
            request.method = start.value(0);
            request.path = start.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                if (name == "content-length")
                    contentLength = value.toLongLong();
                else if (name == "content-type")
                    request.contentType = value;
                else if (name == "content-encoding")
                    request.contentEncoding = value;
            }
            while (buffer.size() < contentLength) {
                quickAck(fd);
                const qsizetype want =
                        std::min<qsizetype>(contentLength - buffer.size(), 64 * 1024);
                QByteArray more(want, Qt::Uninitialized);
                const ssize_t n = ::recv(fd, more.data(), size_t(want), 0);
                if (n <= 0)
                    return closeConnection(fd);
                buffer.append(more.constData(), n);
            }
            request.body = buffer.left(contentLength);
            buffer.remove(0, contentLength);
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_requests.push_back(request);
            }
            static const char answer[] = "HTTP/1.1 204 No Content\r\nServer: plain\r\n\r\n";
            if (::send(fd, answer, sizeof(answer) - 1, MSG_NOSIGNAL) < 0)
                return closeConnection(fd);
        }
    }

    void closeConnection(int fd)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto it = m_open.begin(); it != m_open.end(); ++it) {
            if (*it == fd) {
                m_open.erase(it);
                break;
            }
        }
        ::close(fd);
    }

    const AckMode m_ackMode;
    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping {false};
    std::atomic<int> m_connections {0};
    std::thread m_acceptor;
    mutable std::mutex m_mutex;
    std::vector<int> m_open; // guarded by m_mutex
    std::vector<std::thread> m_workers; // guarded by m_mutex until stop() joins them
    std::vector<Request> m_requests; // guarded by m_mutex
};
