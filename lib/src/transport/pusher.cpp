// SPDX-License-Identifier: MIT
#include "transport/pusher_p.h"
#include "transport/retrypolicy_p.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

namespace QLoki::detail {

Pusher::Pusher(QNetworkAccessManager *manager, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
{
}

Pusher::~Pusher()
{
    abort();
}

void Pusher::setTarget(const QUrl &url, const QString &tenant, std::chrono::milliseconds timeout)
{
    m_url = url;
    m_tenant = tenant.toUtf8();
    m_timeout = timeout;
}

void Pusher::push(const QByteArray &body, const QByteArray &contentType,
                  const QByteArray &contentEncoding)
{
    Q_ASSERT(!isBusy());
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!contentEncoding.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Content-Encoding"), contentEncoding);
    if (!m_tenant.isEmpty())
        request.setRawHeader(QByteArrayLiteral("X-Scope-OrgID"), m_tenant);
    request.setRawHeader(QByteArrayLiteral("User-Agent"), QByteArrayLiteral("QLoki/" QLOKI_VERSION));
    request.setTransferTimeout(int(m_timeout.count()));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    m_bodyBytes = body.size();
    m_clock.start();
    m_reply = m_manager->post(request, body);
    connect(m_reply, &QNetworkReply::finished, this, &Pusher::onFinished);
}

void Pusher::abort()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

static QString networkErrorText(QNetworkReply *reply, qint64 elapsedMs, qint64 timeoutMs)
{
    // QNetworkReply::errorString() may quote the URL; build our own words instead so
    // that no credential in a URL ever reaches a signal or the stats.
    const QString where = reply->url().host() + QLatin1Char(':')
        + QString::number(reply->url().port(reply->url().scheme() == QLatin1String("https") ? 443 : 80));
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused by %1").arg(where);
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed by %1 before an answer").arg(where);
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found: %1").arg(reply->url().host());
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        if (elapsedMs + 50 >= timeoutMs)
            return QStringLiteral("no answer from %1 within %2 ms").arg(where).arg(timeoutMs);
        return QStringLiteral("request to %1 canceled").arg(where);
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake with %1 failed").arg(where);
    default:
        return QStringLiteral("network error %1 talking to %2")
            .arg(int(reply->error())).arg(where);
    }
}

void Pusher::onFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply)
        return;
    m_reply.clear();
    reply->deleteLater();

    PushResult result;
    result.latencyMs = m_clock.elapsed();
    result.bodyBytes = m_bodyBytes;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    result.httpStatus = status.isValid() ? status.toInt() : 0;
    if (result.httpStatus == 0) {
        result.error = networkErrorText(reply, result.latencyMs, m_timeout.count());
    } else if (RetryPolicy::classify(result.httpStatus) != RetryPolicy::Verdict::Delivered) {
        // Loki explains a refusal in one line of text; keep it, bounded.
        QString text = QString::fromUtf8(reply->read(512)).trimmed();
        const qsizetype nl = text.indexOf(QLatin1Char('\n'));
        if (nl >= 0)
            text.truncate(nl);
        result.error = QStringLiteral("HTTP %1").arg(result.httpStatus);
        if (!text.isEmpty())
            result.error += QStringLiteral(": ") + text;
        result.retryAfter = RetryPolicy::parseRetryAfter(
            reply->rawHeader(QByteArrayLiteral("Retry-After")), QDateTime::currentDateTimeUtc());
    }
    Q_EMIT finished(result);
}

} // namespace QLoki::detail
