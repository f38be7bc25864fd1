// SPDX-License-Identifier: MIT
#include "queryapi_p.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <map>

namespace LokiReceiverInternal {

namespace {

constexpr qint64 NanosPerSecond = 1000000000;

// Loki's parseTimestamp: integers of up to 10 digits are seconds, longer ones
// nanoseconds; decimals are seconds; anything else RFC3339. Times that do not fit in
// nanoseconds since the epoch (before 1677 or after 2262) are refused, never wrapped.
bool parseTime(const QString &text, qint64 *timestampNs)
{
    bool ok = false;
    const qint64 integer = text.toLongLong(&ok);
    if (ok) {
        if (text.size() > 10) {
            *timestampNs = integer;
            return true;
        }
        return !qMulOverflow(integer, NanosPerSecond, timestampNs);
    }
    const double seconds = text.toDouble(&ok);
    if (ok) {
        // 2^63 ns is about 9.22e9 s; the cast below is defined only inside that range.
        const double ns = seconds * double(NanosPerSecond);
        if (!(ns > -9.2e18 && ns < 9.2e18))
            return false;
        *timestampNs = qint64(ns);
        return true;
    }
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return false;
    // QDateTime keeps milliseconds; take the fraction's nanoseconds from the text.
    qint64 ns = 0;
    if (qMulOverflow(time.toMSecsSinceEpoch() / 1000, NanosPerSecond, &ns))
        return false;
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < text.size() && text.at(end).isDigit())
            ++end;
        const QString fraction =
                text.mid(dot + 1, end - dot - 1).left(9).leftJustified(9, QLatin1Char('0'));
        if (qAddOverflow(ns, fraction.toLongLong(), &ns))
            return false;
    }
    *timestampNs = ns;
    return true;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Percent-decoding with '+' as a space; a '%' not followed by two hex digits stays.
QByteArray formDecoded(QByteArrayView text)
{
    QByteArray out(text.size(), Qt::Uninitialized);
    char *to = out.data();
    const char *from = text.data();
    const char *const end = from + text.size();
    while (from < end) {
        const char c = *from++;
        int high = 0;
        int low = 0;
        if (c == '+') {
            *to++ = ' ';
        } else if (c == '%' && end - from >= 2 && (high = hexDigit(from[0])) >= 0
                   && (low = hexDigit(from[1])) >= 0) {
            *to++ = char(high * 16 + low);
            from += 2;
        } else {
            *to++ = c;
        }
    }
    out.truncate(to - out.constData());
    return out;
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

FormFields::FormFields(QByteArrayView encoded)
{
    qsizetype start = 0;
    while (start <= encoded.size()) {
        qsizetype end = encoded.indexOf('&', start);
        if (end < 0)
            end = encoded.size();
        const QByteArrayView field = encoded.sliced(start, end - start);
        if (!field.isEmpty()) {
            const qsizetype equals = field.indexOf('=');
            const QByteArray name = formDecoded(equals < 0 ? field : field.first(equals));
            if (!m_values.contains(name)) {
                m_values.insert(
                        name, equals < 0 ? QByteArray("") : formDecoded(field.sliced(equals + 1)));
            }
        }
        start = end + 1;
    }
}

bool parseQueryRequest(const FormFields &parameters, bool instant, int maxLimit,
                       QueryRequest *request, QString *error)
{
    const QByteArray query = parameters.value("query");
    if (query.isEmpty()) {
        *error = QStringLiteral("query parameter is required");
        return false;
    }
    if (!parseLogQuery(query, &request->query, error))
        return false;

    auto timeParameter = [&](const QString &name, qint64 fallback, qint64 *value) {
        const QString text = QString::fromUtf8(parameters.value(name.toUtf8()));
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
        qint64 hourBefore = 0;
        if (!timeParameter(QStringLiteral("end"), nowNs, &request->endNs)
            || !timeParameter(QStringLiteral("start"),
                              qSubOverflow(request->endNs, 3600 * NanosPerSecond, &hourBefore)
                                      ? std::numeric_limits<qint64>::min()
                                      : hourBefore,
                              &request->startNs)) {
            return false;
        }
        if (request->endNs < request->startNs) {
            *error = QStringLiteral("end timestamp must not be before or equal to start time");
            return false;
        }
    }

    const QString limit = QString::fromUtf8(parameters.value("limit"));
    if (!limit.isEmpty()) {
        bool ok = false;
        request->limit = limit.toInt(&ok);
        if (!ok || request->limit <= 0) {
            *error = QStringLiteral("limit must be a positive value");
            return false;
        }
    }
    // Loki's max_entries_limit_per_query.
    if (maxLimit > 0 && request->limit > maxLimit) {
        *error = QStringLiteral("max entries limit per query exceeded, limit > max_entries_limit "
                                "(%1 > %2)")
                         .arg(request->limit)
                         .arg(maxLimit);
        return false;
    }
    const QString direction = QString::fromUtf8(parameters.value("direction")).toLower();
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

    // The order of the answer: by timestamp, ties by arrival (backward: later first).
    struct Match
    {
        qint64 timestampNs;
        size_t arrival;
        const EntryStore::Entry *entry;
    };
    const bool forward = request.forward;
    auto before = [forward](const Match &a, const Match &b) {
        if (a.timestampNs != b.timestampNs)
            return forward ? a.timestampNs < b.timestampNs : a.timestampNs > b.timestampNs;
        return forward ? a.arrival < b.arrival : a.arrival > b.arrival;
    };
    // With a limit, only the best `limit` matches are kept, in a heap whose top is the
    // last of them: O(n log limit), never a sort of every match.
    const size_t limit = request.limit > 0 ? size_t(request.limit) : 0;
    std::vector<Match> kept;
    size_t arrival = 0;
    for (const EntryStore::Entry &entry : store.entries()) {
        const size_t position = arrival++;
        if (!streamMatches[entry.stream] || entry.timestampNs < request.startNs
            || entry.timestampNs >= request.endNs) {
            continue;
        }
        const Match match {entry.timestampNs, position, &entry};
        if (limit > 0 && kept.size() == limit && !before(match, kept.front()))
            continue;
        if (!request.query.matchesLine(entry.line))
            continue;
        if (limit > 0 && kept.size() == limit) {
            std::pop_heap(kept.begin(), kept.end(), before);
            kept.back() = match;
        } else {
            kept.push_back(match);
        }
        if (limit > 0)
            std::push_heap(kept.begin(), kept.end(), before);
    }
    std::sort(kept.begin(), kept.end(), before);
    std::vector<const EntryStore::Entry *> out;
    out.reserve(kept.size());
    for (const Match &match : kept)
        out.push_back(match.entry);
    return out;
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
