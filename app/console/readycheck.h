// SPDX-License-Identifier: MIT
#pragma once

#include "lokiaccess.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

class QNetworkAccessManager;
class QNetworkReply;

/*!
    Asks a Loki whether it answers, with the access of its LokiConfig: first
    `GET /loki/api/v1/status/buildinfo` (which tells the version and, behind a gateway,
    needs the credentials), and where that path is not served (404), `GET /ready`.
    Asynchronous: finished() follows start(), at most after the timeout.
*/
class ReadyCheck : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Reachable, //!< Loki answered; version() tells which when buildinfo did
        AuthRefused, //!< 401 or 403: the credentials (or the tenant) were refused
        NotReady, //!< Loki answered, but not with success (e.g. 503 while starting)
        TlsFailed, //!< the TLS handshake failed (an untrusted certificate, a missing client one)
        Unreachable //!< no answer: refused, no route, a name that does not resolve, a timeout
    };
    Q_ENUM(Outcome)

    explicit ReadyCheck(QObject *parent = nullptr);
    ~ReadyCheck() override;

    //! Starts a check of \a access (cancelling one still running).
    void start(const LokiAccess &access, int timeoutMs = 5000);
    bool isRunning() const { return !m_reply.isNull(); }

    Outcome outcome() const { return m_outcome; }
    //! The version buildinfo reported; empty when unknown.
    QString version() const { return m_version; }
    //! The HTTP status of the last answer; 0 without one.
    int httpStatus() const { return m_status; }
    //! What went wrong, in words (the server's answer or the network error).
    QString detail() const { return m_detail; }
    //! The outcome as a sentence about \a url, for the Connection tab.
    QString summary(const QUrl &url) const;

Q_SIGNALS:
    void finished(ReadyCheck::Outcome outcome);

private:
    void get(const QString &path);
    void handle(QNetworkReply *reply, const QString &path);
    void finish(Outcome outcome);

    QNetworkAccessManager *m_manager;
    QPointer<QNetworkReply> m_reply;
    LokiAccess m_access;
    int m_timeoutMs = 5000;
    Outcome m_outcome = Outcome::Unreachable;
    QString m_version;
    int m_status = 0;
    QString m_detail;
};
