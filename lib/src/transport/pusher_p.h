// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

#include <chrono>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace QLoki::detail {

//! The answer to one push, classified by nothing yet: RetryPolicy decides.
struct PushResult
{
    int httpStatus = 0;          //!< 0: no HTTP answer (network error or timeout)
    QString error;               //!< empty on 200/204; never contains credentials
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

    void setTarget(const QUrl &url, const QString &tenant, std::chrono::milliseconds timeout);
    void push(const QByteArray &body, const QByteArray &contentType,
              const QByteArray &contentEncoding);
    //! Aborts the request on the wire without reporting it.
    void abort();
    bool isBusy() const { return !m_reply.isNull(); }

Q_SIGNALS:
    void finished(const QLoki::detail::PushResult &result);

private:
    void onFinished();

    QNetworkAccessManager *m_manager;
    QPointer<QNetworkReply> m_reply;
    QUrl m_url;
    QByteArray m_tenant;
    std::chrono::milliseconds m_timeout{10000};
    QElapsedTimer m_clock;
    qint64 m_bodyBytes = 0;
};

} // namespace QLoki::detail
