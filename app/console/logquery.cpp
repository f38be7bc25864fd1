// SPDX-License-Identifier: MIT
#include "logquery.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString QueryPath = u"/loki/api/v1/query_range"_s;

QMap<QString, QString> toStringMap(const QJsonObject &object)
{
    QMap<QString, QString> map;
    for (auto it = object.begin(); it != object.end(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

} // namespace

LogQuery::LogQuery(QObject *parent)
    : QObject(parent)
    , m_manager(new QNetworkAccessManager(this))
{ }

LogQuery::~LogQuery()
{
    // Aborting emits finished(): nobody must hear of it from a half-destroyed object.
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

QUrl LogQuery::baseUrlOf(const QUrl &url) { return LokiAccess::baseUrlOf(url); }

QString LogQuery::quoted(const QString &value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += u'"';
    for (const QChar c : value) {
        switch (c.unicode()) {
        case '"':
            out += u"\\\""_s;
            break;
        case '\\':
            out += u"\\\\"_s;
            break;
        case '\n':
            out += u"\\n"_s;
            break;
        case '\r':
            out += u"\\r"_s;
            break;
        case '\t':
            out += u"\\t"_s;
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += u"\\x%1"_s.arg(uint(c.unicode()), 2, 16, QChar(u'0'));
            else
                out += c;
        }
    }
    out += u'"';
    return out;
}

QByteArray LogQuery::queryString(const QString &logql, qint64 startNs, qint64 endNs, int limit)
{
    // QUrlQuery would leave '+' as it is, and servers read a literal '+' as a space.
    return "query=" + QUrl::toPercentEncoding(logql) + "&start=" + QByteArray::number(startNs)
            + "&end=" + QByteArray::number(endNs) + "&limit=" + QByteArray::number(limit)
            + "&direction=backward";
}

QUrl LogQuery::queryUrl(const QUrl &baseUrl, const QString &logql, qint64 startNs, qint64 endNs,
                        int limit)
{
    QUrl url = baseUrlOf(baseUrl);
    url.setPath(url.path() + QueryPath);
    url.setQuery(QString::fromLatin1(queryString(logql, startNs, endNs, limit)), QUrl::StrictMode);
    return url;
}

bool LogQuery::parse(const QByteArray &json, QList<Row> *rows, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = tr("The answer is not JSON: %1").arg(parseError.errorString());
        return false;
    }
    const QJsonObject root = doc.object();
    if (root.value(u"status"_s).toString() != u"success"_s) {
        if (error)
            *error = tr("Loki answered: %1")
                             .arg(QString::fromUtf8(
                                     QJsonDocument(root).toJson(QJsonDocument::Compact)));
        return false;
    }
    const QJsonObject data = root.value(u"data"_s).toObject();
    const QString type = data.value(u"resultType"_s).toString();
    if (type != u"streams"_s) {
        if (error)
            *error = tr("Expected log streams, got \"%1\"; use a log query.").arg(type);
        return false;
    }
    rows->clear();
    const QJsonArray streams = data.value(u"result"_s).toArray();
    for (const QJsonValue &streamValue : streams) {
        const QJsonObject stream = streamValue.toObject();
        const QMap<QString, QString> labels = toStringMap(stream.value(u"stream"_s).toObject());
        const QJsonArray values = stream.value(u"values"_s).toArray();
        for (const QJsonValue &value : values) {
            const QJsonArray tuple = value.toArray();
            Row row;
            row.labels = labels;
            row.timestampNs = tuple.at(0).toString().toLongLong();
            row.line = tuple.at(1).toString();
            if (tuple.size() > 2) {
                const QJsonObject categories = tuple.at(2).toObject();
                row.metadata = toStringMap(categories.value(u"structuredMetadata"_s).toObject());
                const auto parsed = toStringMap(categories.value(u"parsed"_s).toObject());
                for (auto it = parsed.cbegin(); it != parsed.cend(); ++it)
                    row.metadata.insert(it.key(), it.value());
            }
            rows->append(row);
        }
    }
    std::stable_sort(rows->begin(), rows->end(),
                     [](const Row &a, const Row &b) { return a.timestampNs > b.timestampNs; });
    return true;
}

void LogQuery::run(const LokiAccess &access, const QString &logql, qint64 startNs, qint64 endNs,
                   int limit)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (!access.isValid()) {
        QMetaObject::invokeMethod(
                this, [this, error = access.errorString()] { Q_EMIT failed(error); },
                Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request = access.request(QueryPath, queryString(logql, startNs, endNs, limit));
    request.setRawHeader("X-Loki-Response-Encoding-Flags", "categorize-labels");
    request.setTransferTimeout(15000);
    QNetworkReply *reply = m_manager->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (m_reply == reply)
            m_reply = nullptr;
        const QByteArray body = reply->readAll();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError && status == 0) {
            Q_EMIT failed(reply->errorString());
            return;
        }
        if (status != 200) {
            Q_EMIT failed(tr("HTTP %1: %2").arg(status).arg(QString::fromUtf8(body).trimmed()));
            return;
        }
        QList<Row> rows;
        QString error;
        if (!parse(body, &rows, &error)) {
            Q_EMIT failed(error);
            return;
        }
        Q_EMIT finished(rows);
    });
}
