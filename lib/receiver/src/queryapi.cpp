// SPDX-License-Identifier: MIT
#include "queryapi_p.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <map>

namespace LokiReceiverInternal {

namespace {

constexpr qint64 NanosPerSecond = 1000000000;

// Loki's parseTimestamp: integers of up to 10 digits are seconds, longer ones
// nanoseconds; decimals are seconds; anything else RFC3339.
bool parseTime(const QString &text, qint64 *timestampNs)
{
    bool ok = false;
    const qint64 integer = text.toLongLong(&ok);
    if (ok) {
        *timestampNs = text.size() <= 10 ? integer * NanosPerSecond : integer;
        return true;
    }
    const double seconds = text.toDouble(&ok);
    if (ok) {
        *timestampNs = qint64(seconds * double(NanosPerSecond));
        return true;
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return false;
    // QDateTime keeps milliseconds; take the fraction's nanoseconds from the text.
    qint64 ns = time.toMSecsSinceEpoch() / 1000 * NanosPerSecond;
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < text.size() && text.at(end).isDigit())
            ++end;
        const QString fraction =
                text.mid(dot + 1, end - dot - 1).left(9).leftJustified(9, QLatin1Char('0'));
        ns += fraction.toLongLong();
    }
    *timestampNs = ns;
    return true;
}

void appendString(QByteArray &out, const QByteArray &value)
{
    out.append('"');
    if (QByteArrayView(value).isValidUtf8())
        appendJsonEscaped(out, value);
    else
        appendJsonEscaped(out, QString::fromUtf8(value).toUtf8());
    out.append('"');
}

void appendObject(QByteArray &out, const LabelPairs &pairs)
{
    out.append('{');
    bool first = true;
    for (const auto &[name, value] : pairs) {
        if (!first)
            out.append(',');
        first = false;
        appendString(out, name);
        out.append(':');
        appendString(out, value);
    }
    out.append('}');
}

LabelPairs mergedLabels(const LabelSet &labels, const LabelPairs &metadata)
{
    std::map<QByteArray, QByteArray> merged;
    for (const auto &[name, value] : labels)
        merged[name] = value;
    for (const auto &[name, value] : metadata)
        merged[name] = value;
    return LabelPairs(merged.begin(), merged.end());
}

} // namespace

bool parseQueryRequest(const QUrlQuery &parameters, bool instant, QueryRequest *request,
                       QString *error)
{
    const QString query = parameters.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    if (query.isEmpty()) {
        *error = QStringLiteral("query parameter is required");
        return false;
    }
    if (!parseLogQuery(query, &request->query, error))
        return false;

    auto timeParameter = [&](const QString &name, qint64 fallback, qint64 *value) {
        const QString text = parameters.queryItemValue(name, QUrl::FullyDecoded);
        if (text.isEmpty()) {
            *value = fallback;
            return true;
        }
        if (parseTime(text, value))
            return true;
        *error = QStringLiteral("invalid parameter \"%1\": cannot parse \"%2\" to a valid "
                                "timestamp")
                         .arg(name, text);
        return false;
    };
    const qint64 nowNs = currentTimeNs();
    if (instant) {
        qint64 time = 0;
        if (!timeParameter(QStringLiteral("time"), nowNs, &time))
            return false;
        request->startNs = 0;
        request->endNs = time == std::numeric_limits<qint64>::max() ? time : time + 1;
    } else {
        if (!timeParameter(QStringLiteral("end"), nowNs, &request->endNs)
            || !timeParameter(QStringLiteral("start"), request->endNs - 3600 * NanosPerSecond,
                              &request->startNs)) {
            return false;
        }
        if (request->endNs < request->startNs) {
            *error = QStringLiteral("end timestamp must not be before or equal to start time");
            return false;
        }
    }

    const QString limit = parameters.queryItemValue(QStringLiteral("limit"));
    if (!limit.isEmpty()) {
        bool ok = false;
        request->limit = limit.toInt(&ok);
        if (!ok || request->limit <= 0) {
            *error = QStringLiteral("limit must be a positive value");
            return false;
        }
    }
    const QString direction = parameters.queryItemValue(QStringLiteral("direction")).toLower();
    if (direction == QLatin1String("forward")) {
        request->forward = true;
    } else if (direction.isEmpty() || direction == QLatin1String("backward")) {
        request->forward = false;
    } else {
        *error = QStringLiteral("invalid direction \"%1\"").arg(direction);
        return false;
    }
    return true;
}

std::vector<const EntryStore::Entry *> runQuery(const EntryStore &store,
                                                const QueryRequest &request)
{
    const auto &streams = store.streams();
    std::vector<char> streamMatches(streams.size());
    for (size_t i = 0; i < streams.size(); ++i)
        streamMatches[i] = streams[i].entryCount > 0
                && (!request.tenant || streams[i].tenant == *request.tenant)
                && request.query.matchesStream(streams[i].labels);

    std::vector<const EntryStore::Entry *> matched;
    for (const EntryStore::Entry &entry : store.entries()) {
        if (streamMatches[entry.stream] && entry.timestampNs >= request.startNs
            && entry.timestampNs < request.endNs && request.query.matchesLine(entry.line)) {
            matched.push_back(&entry);
        }
    }
    // Arrival order breaks timestamp ties: stable sorting keeps it.
    if (request.forward) {
        std::stable_sort(matched.begin(), matched.end(), [](const auto *a, const auto *b) {
            return a->timestampNs < b->timestampNs;
        });
    } else {
        std::reverse(matched.begin(), matched.end());
        std::stable_sort(matched.begin(), matched.end(), [](const auto *a, const auto *b) {
            return a->timestampNs > b->timestampNs;
        });
    }
    if (request.limit > 0 && matched.size() > size_t(request.limit))
        matched.resize(size_t(request.limit));
    return matched;
}

QByteArray streamsResponse(const EntryStore &store,
                           const std::vector<const EntryStore::Entry *> &entries,
                           bool categorizeLabels)
{
    // Result streams in order of first appearance, each with its values in order.
    struct ResultStream
    {
        LabelPairs labels;
        std::vector<const EntryStore::Entry *> values;
    };
    std::vector<ResultStream> results;
    QHash<QByteArray, size_t> indexByKey;
    for (const EntryStore::Entry *entry : entries) {
        const EntryStore::Stream &stream = store.streams()[entry->stream];
        QByteArray key = stream.key;
        LabelPairs labels;
        if (!categorizeLabels && !entry->structuredMetadata.empty()) {
            labels = mergedLabels(stream.labels, entry->structuredMetadata);
            key = formatLabels(labels);
        }
        auto it = indexByKey.constFind(key);
        if (it == indexByKey.constEnd()) {
            it = indexByKey.insert(key, results.size());
            results.push_back(ResultStream {labels.empty() ? stream.labels : labels, {}});
        }
        results[it.value()].values.push_back(entry);
    }

    QByteArray out("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
    for (size_t s = 0; s < results.size(); ++s) {
        if (s > 0)
            out.append(',');
        out.append("{\"stream\":");
        appendObject(out, results[s].labels);
        out.append(",\"values\":[");
        for (size_t v = 0; v < results[s].values.size(); ++v) {
            const EntryStore::Entry *entry = results[s].values[v];
            if (v > 0)
                out.append(',');
            out.append("[\"").append(QByteArray::number(entry->timestampNs)).append("\",");
            appendString(out, entry->line);
            if (categorizeLabels && !entry->structuredMetadata.empty()) {
                out.append(",{\"structuredMetadata\":");
                appendObject(out, entry->structuredMetadata);
                out.append('}');
            }
            out.append(']');
        }
        out.append("]}");
    }
    out.append("],\"stats\":{}");
    if (categorizeLabels)
        out.append(",\"encodingFlags\":[\"categorize-labels\"]");
    out.append("}}");
    return out;
}

QByteArray stringListResponse(const QList<QByteArray> &values)
{
    QByteArray out("{\"status\":\"success\",\"data\":[");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            out.append(',');
        appendString(out, values.at(i));
    }
    out.append("]}");
    return out;
}

} // namespace LokiReceiverInternal
