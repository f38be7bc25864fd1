// SPDX-License-Identifier: MIT
#include "lokiaccess.h"

#include <QtCore/QFile>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

using namespace Qt::StringLiterals;

namespace {

bool loadKey(const QString &path, QSslKey *key)
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

} // namespace

QUrl LokiAccess::baseUrlOf(const QUrl &url)
{
    QUrl base = url.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash);
    QString path = base.path();
    // Loki's push path, or Loki 3's OTLP one (where logs pushed over OTLP are read back).
    for (const QString &push : {u"/loki/api/v1/push"_s, u"/otlp/v1/logs"_s}) {
        if (path.endsWith(push)) {
            path.chop(push.size());
            break;
        }
    }
    base.setPath(path);
    return base;
}

LokiAccess::LokiAccess(const LokiConfig &config)
{
    QUrl url = config.pushUrl();
    QString user = config.username();
    QString password = config.password();
    if (!url.userName().isEmpty() && user.isEmpty()) {
        user = url.userName();
        password = url.password();
    }
    url.setUserInfo(QString());
    m_base = baseUrlOf(url);

    if (!config.tenant().isEmpty())
        m_headers.append({"X-Scope-OrgID", config.tenant().toUtf8()});
    if (!user.isEmpty()) {
        m_headers.append(
                {"Authorization", "Basic " + (user + u':' + password).toUtf8().toBase64()});
    } else if (!config.bearerToken().isEmpty()) {
        m_headers.append({"Authorization", "Bearer " + config.bearerToken().toUtf8()});
    }
    const QMap<QString, QString> headers = config.headers();
    for (auto it = headers.cbegin(); it != headers.cend(); ++it)
        m_headers.append({it.key().toLatin1(), it.value().toUtf8()});

    if (url.scheme() != u"https"_s)
        return;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (!config.caFile().isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(config.caFile(), QSsl::Pem);
        if (cas.isEmpty()) {
            m_error = tr("The CA file %1 holds no PEM certificate.").arg(config.caFile());
            return;
        }
        tls.addCaCertificates(cas);
    }
    if (!config.clientCertificateFile().isEmpty()) {
        const QList<QSslCertificate> certificates =
                QSslCertificate::fromPath(config.clientCertificateFile(), QSsl::Pem);
        QSslKey key;
        if (certificates.isEmpty()) {
            m_error = tr("The client certificate file %1 holds no PEM certificate.")
                              .arg(config.clientCertificateFile());
            return;
        }
        if (!loadKey(config.clientKeyFile(), &key)) {
            m_error = tr("The client key file %1 holds no unencrypted PEM private key.")
                              .arg(config.clientKeyFile());
            return;
        }
        tls.setLocalCertificate(certificates.first());
        tls.setPrivateKey(key);
    }
    if (config.insecureSkipTlsVerification())
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_tls = tls;
}

QNetworkRequest LokiAccess::request(const QString &path, const QByteArray &query) const
{
    QUrl url = m_base;
    url.setPath(url.path() + path);
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    QNetworkRequest request(url);
    for (const auto &[name, value] : m_headers)
        request.setRawHeader(name, value);
    request.setRawHeader("Accept", "application/json");
    if (m_tls)
        request.setSslConfiguration(*m_tls);
    return request;
}
