// SPDX-License-Identifier: MIT
#include "readycheck.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

using namespace Qt::StringLiterals;

namespace {

const QString BuildInfo = u"/loki/api/v1/status/buildinfo"_s;
const QString Ready = u"/ready"_s;

// The first line of an answer, short enough for a label.
QString firstLine(const QByteArray &body)
{
    QString text = QString::fromUtf8(body).trimmed().section(u'\n', 0, 0);
    if (text.size() > 200)
        text = text.left(200) + u'…';
    return text;
}

} // namespace

ReadyCheck::ReadyCheck(QObject *parent)
    : QObject(parent)
    , m_manager(new QNetworkAccessManager(this))
{ }

ReadyCheck::~ReadyCheck()
{
    // Aborting emits finished(): nobody must hear of it from a half-destroyed object.
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void ReadyCheck::start(const LokiAccess &access, int timeoutMs)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_access = access;
    m_timeoutMs = timeoutMs;
    m_version.clear();
    m_status = 0;
    m_detail.clear();
    get(BuildInfo);
}

void ReadyCheck::get(const QString &path)
{
    QNetworkRequest request = m_access.request(path);
    request.setTransferTimeout(m_timeoutMs);
    QNetworkReply *reply = m_manager->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, path] {
        reply->deleteLater();
        if (m_reply == reply)
            m_reply = nullptr;
        handle(reply, path);
    });
}

void ReadyCheck::handle(QNetworkReply *reply, const QString &path)
{
    const QByteArray body = reply->readAll();
    m_status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 0) {
        m_detail = reply->errorString();
        finish(reply->error() == QNetworkReply::SslHandshakeFailedError ? Outcome::TlsFailed
                                                                        : Outcome::Unreachable);
        return;
    }
    if (m_status == 401 || m_status == 403) {
        m_detail = firstLine(body);
        finish(Outcome::AuthRefused);
        return;
    }
    if (path == BuildInfo && m_status == 404) {
        // An older Loki, or a gateway that does not route it: /ready still tells.
        get(Ready);
        return;
    }
    if (m_status < 200 || m_status > 299) {
        m_detail = firstLine(body);
        finish(Outcome::NotReady);
        return;
    }
    if (path == BuildInfo)
        m_version = QJsonDocument::fromJson(body).object().value(u"version"_s).toString();
    finish(Outcome::Reachable);
}

void ReadyCheck::finish(Outcome outcome)
{
    m_outcome = outcome;
    Q_EMIT finished(outcome);
}

QString ReadyCheck::summary(const QUrl &url) const
{
    const QString where = url.toDisplayString();
    switch (m_outcome) {
    case Outcome::Reachable:
        return m_version.isEmpty() ? tr("Applied. Loki answers at %1.").arg(where)
                                   : tr("Applied. Loki %1 answers at %2.").arg(m_version, where);
    case Outcome::AuthRefused:
        return tr("Applied, but Loki at %1 refused the credentials (HTTP %2): %3")
                .arg(where)
                .arg(m_status)
                .arg(m_detail);
    case Outcome::NotReady:
        return tr("Applied, but Loki at %1 is not ready (HTTP %2): %3")
                .arg(where)
                .arg(m_status)
                .arg(m_detail);
    case Outcome::TlsFailed:
        return tr("Applied, but the TLS handshake with %1 failed: %2").arg(where, m_detail);
    case Outcome::Unreachable:
        break;
    }
    return tr("Applied, but Loki at %1 is unreachable: %2").arg(where, m_detail);
}
