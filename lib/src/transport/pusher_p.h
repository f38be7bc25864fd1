// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>
#include <QtNetwork/QSslConfiguration>

#include "transport/tcpnodelay_p.h"

#include <chrono>
#include <optional>

struct LokiConfigData;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace QLoki::detail {

/*!
    Where and how pushes go: URL, headers (tenant, Authorization, the user's own) and TLS.
    Built once from the configuration; holds credentials, so nothing of it is ever put
    into an error string except the host and port.
*/
struct PushTarget
{
    QUrl url;                 //!< without user info
    QList<QPair<QByteArray, QByteArray>> headers;
    std::optional<QSslConfiguration> tls; //!< set for https
    std::chrono::milliseconds timeout{10000};

    //! Returns an empty url and fills \a error when a certificate or key cannot be loaded.
    static PushTarget fromConfig(const LokiConfigData &config, QString *error);
    //! The same target with the path of the build-info endpoint.
    QUrl buildInfoUrl() const;
    QNetworkRequest request(const QUrl &url) const;
};

//! The answer to one push, classified by nothing yet: RetryPolicy decides.
struct PushResult
{
    int httpStatus = 0;          //!< 0: no HTTP answer (network error or timeout)
    QString error;               //!< empty on 200/204; never contains credentials
    QByteArray body; //!< the answer's body (at most 64 KiB)
    QByteArray contentType; //!< the answer's Content-Type
    std::optional<std::chrono::milliseconds> retryAfter;
    qint64 latencyMs = 0;
    qint64 bodyBytes = 0;
};

/*!
    Sends one push request at a time with QNetworkAccessManager and reports its outcome.
    Lives on the sender thread.
*/
class Pusher : public QObject
{
    Q_OBJECT
public:
    explicit Pusher(QNetworkAccessManager *manager, QObject *parent = nullptr);
    ~Pusher() override;

    void setTarget(const PushTarget &target);
    void push(const QByteArray &body, const QByteArray &contentType,
              const QByteArray &contentEncoding);
    //! Aborts the request on the wire without reporting it.
    void abort();
    bool isBusy() const { return !m_reply.isNull(); }
    /*!
        Whether the body of the push on the wire is still being handed over. Qt's HTTP
        thread takes it in slices through this thread's event loop, so work done on this
        thread meanwhile delays the push itself; uploaded() says when it is all out.
    */
    bool isUploading() const { return isBusy() && !m_uploaded; }
    //! Asks the server's version (GET .../status/buildinfo); answers with buildInfo().
    void probeBuildInfo();

Q_SIGNALS:
    void finished(const QLoki::detail::PushResult &result);
    //! The whole body of the push on the wire was handed to the network (not emitted for
    //! an empty body, nor when the request fails before).
    void uploaded();
    //! The version the server reported; empty when it could not be had.
    void buildInfo(const QString &version);

private:
    void onFinished();
    // A member function, not a lambda: Qt may release a connection's slot object on its HTTP
    // thread, and what the slot reads of it then stays inside Qt's slot-object code, which
    // the ThreadSanitizer build knows to be synchronised by Qt (tests/sanitizers/tsan.supp).
    void onUploadProgress(qint64 sent, qint64 total);

    QNetworkAccessManager *m_manager;
    // Turns Nagle's algorithm off on the manager's connections to the push endpoint: without
    // it, every push larger than 16 KiB waited about 40 ms on the server's delayed ACK.
    TcpNoDelay m_noDelay;
    QPointer<QNetworkReply> m_reply;
    PushTarget m_target;
    QStringList m_sslErrors;
    QElapsedTimer m_clock;
    qint64 m_bodyBytes = 0;
    bool m_uploaded = false;
};

} // namespace QLoki::detail
