// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiConfig>

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>

#include <optional>

/*!
    How the console reads from the Loki it sends to (queries, the reachability check):
    with the tenant, credentials, extra headers and TLS settings the logger pushes with,
    taken from the same LokiConfig and applied as QLoki applies them to a push (a user and
    password in the URL count as basic auth; basic auth wins over a bearer token; the CA
    file adds to the system's CAs).
*/
class LokiAccess
{
    Q_DECLARE_TR_FUNCTIONS(LokiAccess)

public:
    LokiAccess() = default;
    //! Reads the TLS files of \a config; see isValid().
    explicit LokiAccess(const LokiConfig &config);

    //! false when a TLS file could not be read; errorString() says which.
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    //! Loki's base URL: the push URL without `/loki/api/v1/push` and without user info.
    QUrl baseUrl() const { return m_base; }
    //! A GET request for \a path (e.g. `/ready`) below baseUrl(), with \a query (already
    //! percent-encoded), carrying the access headers and the TLS configuration.
    QNetworkRequest request(const QString &path, const QByteArray &query = {}) const;

    //! The base URL of \a url, a base URL or a push URL.
    static QUrl baseUrlOf(const QUrl &url);

private:
    QUrl m_base;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    std::optional<QSslConfiguration> m_tls;
    QString m_error;
};
