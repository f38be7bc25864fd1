// SPDX-License-Identifier: MIT
#pragma once

#include "lokiaccess.h"

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

class QNetworkAccessManager;
class QNetworkReply;

/*!
    Reads entries back from Loki with `GET /loki/api/v1/query_range`, asking for
    categorized labels (`X-Loki-Response-Encoding-Flags: categorize-labels`) so that
    structured metadata arrives apart from the stream labels.
*/
class LogQuery : public QObject
{
    Q_OBJECT

public:
    struct Row
    {
        qint64 timestampNs = 0;
        QMap<QString, QString> labels;
        QString line;
        QMap<QString, QString> metadata;
    };

    explicit LogQuery(QObject *parent = nullptr);
    ~LogQuery() override;

    //! Loki's base URL for \a url, which may be a base URL or a push URL.
    static QUrl baseUrlOf(const QUrl &url);
    /*!
        \a value as a LogQL string literal, quotes included: a backslash, a double quote
        and control characters escaped as Go (and so LogQL) reads them. Any text put into
        a query goes through it: `{app=` + quoted(name) + `}`.
    */
    static QString quoted(const QString &value);
    //! The query_range URL; \a logql is percent-encoded completely (also `+`, `&`, `=`).
    static QUrl queryUrl(const QUrl &baseUrl, const QString &logql, qint64 startNs, qint64 endNs,
                         int limit);
    //! The query of queryUrl(), percent-encoded.
    static QByteArray queryString(const QString &logql, qint64 startNs, qint64 endNs, int limit);
    //! Parses a query_range answer of result type "streams" into rows, newest first.
    static bool parse(const QByteArray &json, QList<Row> *rows, QString *error);

    //! Starts a query through \a access, the logger's tenant, credentials and TLS
    //! settings (cancelling one still running); finished() or failed() follows.
    void run(const LokiAccess &access, const QString &logql, qint64 startNs, qint64 endNs,
             int limit);
    bool isRunning() const { return !m_reply.isNull(); }

Q_SIGNALS:
    void finished(const QList<LogQuery::Row> &rows);
    void failed(const QString &error);

private:
    QNetworkAccessManager *m_manager;
    QPointer<QNetworkReply> m_reply;
};
