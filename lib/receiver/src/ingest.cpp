// SPDX-License-Identifier: MIT
#include "ingest_p.h"

#include "decompress_p.h"
#include "jsonpushdecoder_p.h"
#include "protobufpushdecoder_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QIODevice>

#include <algorithm>

namespace LokiReceiverInternal {

namespace {

constexpr qsizetype LabelCacheSize = 4096;

QByteArray rfc3339(qint64 timestampNs)
{
    const qint64 ms = timestampNs / 1000000 - (timestampNs % 1000000 < 0 ? 1 : 0);
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate).toUtf8();
}

QByteArray disallowedMetadataMessage(const QByteArray &stream)
{
    return "stream '" + stream
            + "' includes structured metadata, but this feature is disallowed. Please see "
              "`limits_config.allow_structured_metadata` or contact your Loki administrator "
              "to enable it.";
}

IngestResult badRequest(const QByteArray &message)
{
    IngestResult result;
    result.status = 400;
    result.message = message;
    return result;
}

} // namespace

void Ingestor::setLimits(const LokiReceiver::Limits &limits)
{
    m_limits = limits;
    m_labelCache.clear();
}

IngestResult Ingestor::ingest(const QByteArray &body, const QByteArray &contentType,
                              const QByteArray &contentEncoding, const QByteArray &tenant)
{
    QString error;
    QByteArray decoded;
    const QByteArray encoding = contentEncoding.trimmed().toLower();
    if (encoding == "gzip") {
        if (!gzipUncompress(body, &decoded, &error))
            return badRequest(error.toUtf8());
    } else if (encoding == "deflate") {
        if (!deflateUncompress(body, &decoded, &error))
            return badRequest(error.toUtf8());
    } else if (encoding.isEmpty() || encoding == "snappy") {
        // Loki passes a snappy Content-Encoding through: protobuf bodies are snappy anyway.
        decoded = body;
    } else {
        return badRequest("Content-Encoding \"" + contentEncoding + "\" not supported");
    }

    const QByteArray mediaType = contentType.split(';').constFirst().trimmed().toLower();
    PushRequest request;
    const bool json = mediaType == "application/json";
    if (json) {
        if (!decodeJsonPush(decoded, &request, &error))
            return badRequest(error.toUtf8());
    } else {
        QByteArray message;
        if (!snappyUncompress(decoded, &message, &error)
            || !decodeProtobufPush(message, &request, &error,
                                   // Counted entries are not kept: views of the message do.
                                   m_countingOnly ? ProtobufStrings::Borrow
                                                  : ProtobufStrings::Copy)) {
            return badRequest(error.toUtf8());
        }
    }
    return ingest(request, json, tenant);
}

IngestResult Ingestor::ingest(PushRequest &request, bool fromJson, const QByteArray &tenant)
{
    IngestResult result;
    if (fromJson && !m_limits.allowStructuredMetadata) {
        // A Loki that does not know structured metadata fails to parse the request.
        for (const PushStream &stream : request.streams) {
            for (const PushEntry &entry : stream.entries) {
                if (!entry.structuredMetadata.empty()) {
                    return badRequest("error parsing push request: "
                                      + disallowedMetadataMessage(stream.labels));
                }
            }
        }
    }

    const qint64 nowNs = currentTimeNs();
    QByteArray storeLines;
    for (PushStream &stream : request.streams) {
        const ParsedLabels &labels = parseLabels(stream.labels);
        if (!labels.error.isEmpty()) {
            result.status = 400;
            result.message = labels.error;
            result.rejected += int(stream.entries.size());
            continue;
        }
        const quint32 streamId =
                m_countingOnly ? 0 : m_store->streamId(tenant, labels.key, labels.labels);
        for (PushEntry &entry : stream.entries) {
            QByteArray error = validateEntry(entry, labels.key, nowNs);
            if (!error.isEmpty()) {
                result.status = 400;
                result.message = std::move(error);
                ++result.rejected;
                continue;
            }
            if (m_countingOnly) {
                ++result.accepted;
                continue;
            }
            // The line is written before it moves into the store, and taken back if the
            // store finds it a duplicate.
            const qsizetype mark = storeLines.size();
            if (m_storeDevice)
                appendToStoreFile(storeLines, m_store->streams()[streamId], entry);
            const auto added = m_store->add(streamId, entry.timestampNs, std::move(entry.line),
                                            std::move(entry.structuredMetadata));
            if (added == EntryStore::AddResult::Added) {
                ++result.accepted;
            } else {
                ++result.duplicates;
                storeLines.truncate(mark);
            }
        }
    }
    if (m_storeDevice && !storeLines.isEmpty())
        m_storeDevice->write(storeLines);
    return result;
}

const Ingestor::ParsedLabels &Ingestor::parseLabels(const QByteArray &text)
{
    const auto cached = m_labelCache.constFind(text);
    if (cached != m_labelCache.constEnd())
        return cached.value();
    if (m_labelCache.size() >= LabelCacheSize)
        m_labelCache.clear();

    ParsedLabels parsed;
    QByteArray error;
    LabelPairs pairs;
    if (!parseLabelString(text, &pairs, &error)) {
        parsed.error = "Error parsing labels '" + text + "' with error: " + error;
        return m_labelCache.insert(text, parsed).value();
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    // An empty value is the same as no label.
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [](const auto &pair) { return pair.second.isEmpty(); }),
                pairs.end());
    if (pairs.empty()) {
        parsed.error = "error at least one label pair is required per stream";
    } else if (qsizetype(pairs.size()) > m_limits.maxLabelNamesPerSeries) {
        parsed.error = "entry for stream '" + text + "' has "
                + QByteArray::number(qsizetype(pairs.size())) + " label names; limit "
                + QByteArray::number(m_limits.maxLabelNamesPerSeries);
    } else {
        const QByteArray *previous = nullptr;
        for (const auto &[name, value] : pairs) {
            if (name.size() > m_limits.maxLabelNameLength) {
                parsed.error = "stream '" + text + "' has label name too long: '" + name + '\'';
            } else if (value.size() > m_limits.maxLabelValueLength) {
                parsed.error = "stream '" + text + "' has label value too long: '" + value + '\'';
            } else if (previous && *previous == name) {
                parsed.error = "stream '" + text + "' has duplicate label name: '" + name + '\'';
            }
            if (!parsed.error.isEmpty())
                break;
            previous = &name;
        }
    }
    if (parsed.error.isEmpty()) {
        parsed.key = formatLabels(pairs);
        parsed.labels = std::move(pairs);
    }
    return m_labelCache.insert(text, parsed).value();
}

QByteArray Ingestor::validateEntry(const PushEntry &entry, const QByteArray &streamKey,
                                   qint64 nowNs) const
{
    const qint64 maxAgeNs = qint64(m_limits.rejectOldSamplesMaxAge.count()) * 1000000;
    const qint64 graceNs = qint64(m_limits.creationGracePeriod.count()) * 1000000;
    if (m_limits.rejectOldSamples && entry.timestampNs < nowNs - maxAgeNs) {
        return "entry for stream '" + streamKey
                + "' has timestamp too old: " + rfc3339(entry.timestampNs)
                + ", oldest acceptable timestamp is: " + rfc3339(nowNs - maxAgeNs);
    }
    if (entry.timestampNs > nowNs + graceNs) {
        return "entry for stream '" + streamKey
                + "' has timestamp too new: " + rfc3339(entry.timestampNs);
    }
    if (m_limits.maxLineSize > 0 && entry.line.size() > m_limits.maxLineSize) {
        return "Max entry size '" + QByteArray::number(m_limits.maxLineSize)
                + "' bytes exceeded for stream '" + streamKey
                + "' while adding an entry with length '" + QByteArray::number(entry.line.size())
                + "' bytes";
    }
    if (!m_limits.allowStructuredMetadata && !entry.structuredMetadata.empty())
        return disallowedMetadataMessage(streamKey);
    return {};
}

void Ingestor::appendToStoreFile(QByteArray &out, const EntryStore::Stream &stream,
                                 const PushEntry &entry) const
{
    auto appendString = [&out](const QByteArray &value) {
        out.append('"');
        if (QByteArrayView(value).isValidUtf8())
            appendJsonEscaped(out, value);
        else
            appendJsonEscaped(out, QString::fromUtf8(value).toUtf8());
        out.append('"');
    };
    auto appendObject = [&](const LabelPairs &pairs) {
        out.append('{');
        for (size_t i = 0; i < pairs.size(); ++i) {
            if (i > 0)
                out.append(',');
            appendString(pairs[i].first);
            out.append(':');
            appendString(pairs[i].second);
        }
        out.append('}');
    };
    out.append("{\"stream\":");
    appendObject(stream.labels);
    if (!stream.tenant.isEmpty()) {
        out.append(",\"tenant\":");
        appendString(stream.tenant);
    }
    out.append(",\"ts\":\"").append(QByteArray::number(entry.timestampNs)).append("\",\"line\":");
    appendString(entry.line);
    if (!entry.structuredMetadata.empty()) {
        out.append(",\"structuredMetadata\":");
        appendObject(entry.structuredMetadata);
    }
    out.append("}\n");
}

} // namespace LokiReceiverInternal
