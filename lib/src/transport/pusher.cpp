// SPDX-License-Identifier: MIT
#include "model/lokiconfig_p.h"
#include "transport/pusher_p.h"

#include "transport/otlpanswer_p.h"
#include "transport/retrypolicy_p.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslKey>

namespace QLoki::detail {

static bool loadKey(const QString &path, QSslKey *key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray pem = file.readAll();
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey candidate(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!candidate.isNull()) {
            *key = candidate;
            return true;
        }
    }
    return false;
}

PushTarget PushTarget::fromConfig(const LokiConfigData &config, QString *error)
{
    PushTarget target;
    QUrl url = config.pushUrl();
    QString user = config.username;
    QString password = config.password;
    if (!url.userName().isEmpty() && user.isEmpty()) {
        user = url.userName();
        password = url.password();
    }
    url.setUserInfo(QString());
    target.timeout = config.requestTimeout;

    if (!config.tenant.isEmpty())
        target.headers.append({QByteArrayLiteral("X-Scope-OrgID"), config.tenant.toUtf8()});
    if (!user.isEmpty()) {
        target.headers.append({QByteArrayLiteral("Authorization"),
                               "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64()});
    } else if (!config.bearerToken.isEmpty()) {
        target.headers.append({QByteArrayLiteral("Authorization"),
                               "Bearer " + config.bearerToken.toUtf8()});
    }
    for (auto it = config.headers.cbegin(); it != config.headers.cend(); ++it)
        target.headers.append({it.key().toLatin1(), it.value().toUtf8()});

    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!config.caFile.isEmpty()) {
            const QList<QSslCertificate> cas = QSslCertificate::fromPath(config.caFile, QSsl::Pem);
            if (cas.isEmpty()) {
                *error = QStringLiteral("caFile \"%1\" holds no PEM certificate.").arg(config.caFile);
                return PushTarget();
            }
            tls.addCaCertificates(cas);
        }
        if (!config.clientCertificateFile.isEmpty()) {
            const QList<QSslCertificate> certs =
                QSslCertificate::fromPath(config.clientCertificateFile, QSsl::Pem);
            QSslKey key;
            if (certs.isEmpty()) {
                *error = QStringLiteral("clientCertificateFile \"%1\" holds no PEM certificate.")
                             .arg(config.clientCertificateFile);
                return PushTarget();
            }
            if (!loadKey(config.clientKeyFile, &key)) {
                *error = QStringLiteral("clientKeyFile \"%1\" holds no unencrypted PEM private key.")
                             .arg(config.clientKeyFile);
                return PushTarget();
            }
            tls.setLocalCertificate(certs.first());
            tls.setPrivateKey(key);
        }
        if (config.insecureSkipTlsVerification)
            tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        target.tls = tls;
    }
    target.url = url;
    return target;
}

QUrl PushTarget::buildInfoUrl() const
{
    QUrl info = url;
    QString path = info.path();
    const QLatin1String push("/loki/api/v1/push");
    if (path.endsWith(push))
        path.chop(push.size());
    info.setPath(path + QLatin1String("/loki/api/v1/status/buildinfo"));
    return info;
}

QNetworkRequest PushTarget::request(const QUrl &to) const
{
    QNetworkRequest request(to);
    for (const auto &header : headers)
        request.setRawHeader(header.first, header.second);
    request.setRawHeader(QByteArrayLiteral("User-Agent"),
                         QByteArrayLiteral("QLoki/" QLOKI_VERSION_STR));
    request.setTransferTimeout(int(timeout.count()));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (tls)
        request.setSslConfiguration(*tls);
    return request;
}

Pusher::Pusher(QNetworkAccessManager *manager, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_noDelay(this)
{
}

Pusher::~Pusher()
{
    abort();
}

void Pusher::setTarget(const PushTarget &target)
{
    m_target = target;
    m_noDelay.setTarget(target.url, m_manager);
}

void Pusher::push(const QByteArray &body, const QByteArray &contentType,
                  const QByteArray &contentEncoding)
{
    Q_ASSERT(!isBusy());
    QNetworkRequest request = m_target.request(m_target.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!contentEncoding.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Content-Encoding"), contentEncoding);
    m_bodyBytes = body.size();
    m_sslErrors.clear();
    m_clock.start();
    m_uploaded = false;
    m_reply = m_manager->post(request, body);
    connect(m_reply, &QNetworkReply::finished, this, &Pusher::onFinished);
    connect(m_reply, &QNetworkReply::uploadProgress, this, &Pusher::onUploadProgress);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_sslErrors.append(e.errorString());
    });
}

void Pusher::onUploadProgress(qint64 sent, qint64 total)
{
    // Qt emits the last progress report (all bytes sent) unconditionally; a request that
    // fails reports (0, 0) on its way out, which is not an upload.
    if (!m_uploaded && total > 0 && sent == total && isBusy()) {
        m_uploaded = true;
        Q_EMIT uploaded();
    }
}

void Pusher::probeBuildInfo()
{
    QNetworkReply *reply = m_manager->get(m_target.request(m_target.buildInfoUrl()));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        QString version;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        // The probe usually opens the connection the first push will use.
        if (status != 0)
            m_noDelay.afterReply(0);
        if (status == 200) {
            const QJsonDocument doc = QJsonDocument::fromJson(reply->read(64 * 1024));
            version = doc.object().value(QLatin1String("version")).toString();
        }
        Q_EMIT buildInfo(version);
    });
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

static QString networkErrorText(QNetworkReply *reply, qint64 elapsedMs, qint64 timeoutMs,
                                const QStringList &sslErrors)
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
        if (!sslErrors.isEmpty())
            return QStringLiteral("TLS handshake with %1 failed: %2")
                .arg(where, sslErrors.join(QStringLiteral("; ")));
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
    if (result.httpStatus != 0)
        m_noDelay.afterReply(result.latencyMs);
    result.contentType = reply->rawHeader(QByteArrayLiteral("Content-Type"));
    if (result.httpStatus == 0) {
        result.error = networkErrorText(reply, result.latencyMs, m_target.timeout.count(),
                                        m_sslErrors);
    } else if (RetryPolicy::classify(result.httpStatus) == RetryPolicy::Verdict::Delivered) {
        // An OTLP server's 200 carries its partial success (Loki's 204 has no body).
        result.body = reply->read(64 * 1024);
    } else {
        // Loki explains a refusal in text: one line per reason, grouped ones after it; an
        // OTLP server in a google.rpc.Status.
        result.body = reply->read(64 * 1024);
        QString text = otlpStatusMessage(result.body, result.contentType);
        if (text.isEmpty())
            text = QString::fromUtf8(result.body.left(512)).trimmed();
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
