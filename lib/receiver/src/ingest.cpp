// SPDX-License-Identifier: MIT
#include "ingest_p.h"

#include "decompress_p.h"
#include "jsonpushdecoder_p.h"
#include "loki28json_p.h"
#include "protobufpushdecoder_p.h"

#include <QtCore/QIODevice>

#include <limits>

namespace LokiReceiverInternal {

namespace {

// Counting-only mode remembers the newest timestamp of at most this many streams.
constexpr qsizetype CountedStreams = 100000;

IngestResult badRequest(const QByteArray &message)
{
    IngestResult result;
    result.status = 400;
    result.message = message;
    return result;
}

// Loki's words for an injected refusal of an entry that passed validation, quoting its
// real values with a limit just below them.
Verdict injectedVerdict(LokiReceiver::RefusalReason reason, const PushEntry &entry,
                        const QByteArray &streamKey, const Validator::Clock &clock,
                        const LimitValues &limits)
{
    using Reason = LokiReceiver::RefusalReason;
    constexpr qint64 Second = 1000000000;
    switch (reason) {
    case Reason::TooOld: {
        const qint64 oldest = entry.timestampNs > std::numeric_limits<qint64>::max() - Second
                ? entry.timestampNs
                : qMax(clock.oldestNs, entry.timestampNs + Second);
        return {DiscardReason::GreaterThanMaxSampleAge,
                Refusal::tooOld(streamKey, entry.timestampNs, oldest)};
    }
    case Reason::TooNew:
        return {DiscardReason::TooFarInFuture, Refusal::tooNew(streamKey, entry.timestampNs)};
    case Reason::StructuredMetadataDisallowed:
        return {DiscardReason::DisallowedStructuredMetadata,
                Refusal::metadataDisallowed(streamKey)};
    case Reason::StructuredMetadataTooLarge: {
        const qint64 size = metadataSize(entry.structuredMetadata);
        const qint64 limit = limits.maxStructuredMetadataSize > 0
                ? qMin(limits.maxStructuredMetadataSize, size - 1)
                : size - 1;
        return {DiscardReason::StructuredMetadataTooLarge,
                Refusal::metadataTooLarge(streamKey, size, qMax<qint64>(0, limit))};
    }
    case Reason::LineTooLong:
    case Reason::TooFarBehind:
    case Reason::StreamLabels:
        break;
    }
    const qint64 length = entry.line.size();
    const qint64 limit =
            limits.maxLineSize > 0 ? qMin<qint64>(limits.maxLineSize, length - 1) : length - 1;
    return {DiscardReason::LineTooLong,
            Refusal::lineTooLong(streamKey, qMax<qint64>(0, limit), length)};
}

qsizetype entryCount(const PushRequest &request)
{
    qsizetype count = 0;
    for (const PushStream &stream : request.streams)
        count += qsizetype(stream.entries.size());
    return count;
}

} // namespace

void Ingestor::setLimits(const LimitValues &limits) { m_validator.setLimits(limits); }

void Ingestor::setCountingOnly(bool countingOnly)
{
    m_countingOnly = countingOnly;
    m_countedNewest.clear();
}

void Ingestor::clearCache()
{
    m_validator.clearCache();
    m_countedNewest.clear();
}

IngestResult Ingestor::ingest(const QByteArray &body, const QByteArray &contentType,
                              const QByteArray &contentEncoding, const QByteArray &tenant)
{
    const LimitValues &limits = m_validator.limits();
    const qint64 inflateLimit = limits.maxDecompressedBytes;
    auto refused = [&](Inflated inflated, const QString &error) {
        if (inflated == Inflated::TooLarge) {
            IngestResult result;
            result.status = 413;
            result.message = Refusal::decompressedTooLarge(inflateLimit);
            return result;
        }
        return badRequest(error.toUtf8());
    };
    QString error;
    QByteArray decoded;
    Inflated inflated = Inflated::Ok;
    const QByteArray encoding = contentEncoding.trimmed().toLower();
    if (encoding == "gzip") {
        inflated = gzipUncompress(body, &decoded, &error, inflateLimit);
    } else if (encoding == "deflate") {
        inflated = deflateUncompress(body, &decoded, &error, inflateLimit);
    } else if (encoding.isEmpty() || encoding == "snappy") {
        // Loki passes a snappy Content-Encoding through: protobuf bodies are snappy anyway.
        decoded = body;
    } else {
        return badRequest("Content-Encoding \"" + contentEncoding + "\" not supported");
    }
    if (inflated != Inflated::Ok)
        return refused(inflated, error);

    const PushCaps caps {limits.maxStreamsPerPush, limits.maxEntriesPerPush};
    bool overCaps = false;
    auto undecodable = [&] {
        if (!overCaps)
            return badRequest(error.toUtf8());
        IngestResult result;
        result.status = 413;
        result.message = Refusal::pushTooLarge(caps.maxStreams, caps.maxEntries);
        return result;
    };
    const bool asLoki28 = !limits.allowStructuredMetadata && limits.metadataAsLoki28;
    const QByteArray mediaType = contentType.split(';').constFirst().trimmed().toLower();
    PushRequest request;
    if (mediaType == "application/json") {
        if (!decodeJsonPush(decoded, &request, &error, caps, &overCaps))
            return undecodable();
        if (asLoki28) {
            // Loki 2.8 fails to parse a value with structured metadata: nothing is stored.
            const QByteArray refusal = loki28MetadataParseError(decoded);
            if (!refusal.isEmpty())
                return badRequest(refusal);
        }
    } else {
        inflated = snappyUncompress(decoded, &request.backing, &error, inflateLimit);
        if (inflated != Inflated::Ok)
            return refused(inflated, error);
        // Counted entries are not kept: views of the message do (it lives in the request).
        if (!decodeProtobufPush(request.backing, &request, &error,
                                m_countingOnly ? ProtobufStrings::Borrow : ProtobufStrings::Copy,
                                caps, &overCaps)) {
            return undecodable();
        }
        if (asLoki28) {
            // Loki 2.8 does not know field 3 of an entry: the metadata is silently lost.
            for (PushStream &stream : request.streams) {
                for (PushEntry &entry : stream.entries)
                    entry.structuredMetadata.clear();
            }
        }
    }
    return ingest(request, tenant);
}

IngestResult Ingestor::ingest(PushRequest &request, const QByteArray &tenant)
{
    IngestResult result;
    // Loki's request parser reads every stream's labels first: one that does not parse
    // fails the whole push, and nothing of it is stored.
    std::vector<std::shared_ptr<const StreamCheck>> checks;
    checks.reserve(request.streams.size());
    for (const PushStream &stream : request.streams) {
        checks.push_back(m_validator.checkStream(stream.labels));
        if (checks.back()->state == StreamCheck::Unparsable) {
            result.status = 400;
            result.message = checks.back()->verdict.message;
            result.discard(DiscardReason::InvalidLabels, entryCount(request));
            return result;
        }
    }

    // The distributor: each stream's labels, then each entry on its own.
    using Reason = LokiReceiver::RefusalReason;
    RefusalGroups refusals;
    qint64 validLines = 0;
    qint64 validBytes = 0;
    const qint64 nowNs = currentTimeNs();
    const Validator::Clock clock = m_validator.clockAt(nowNs);
    const std::optional<Reason> injected = m_faults.refusal();
    for (size_t s = 0; s < request.streams.size(); ++s) {
        PushStream &stream = request.streams[s];
        if (stream.entries.empty())
            continue;
        const StreamCheck &check = *checks[s];
        Verdict streamVerdict = check.verdict;
        if (check.state == StreamCheck::Valid && injected == Reason::StreamLabels
            && m_faults.takeRefusal()) {
            const auto names = qsizetype(check.labels.size());
            streamVerdict = {DiscardReason::MaxLabelNamesPerSeries,
                             Refusal::tooManyLabelNames(stream.labels, names, int(names - 1))};
        } else if (check.state == StreamCheck::Valid) {
            streamVerdict.message.clear();
        }
        if (!streamVerdict.message.isEmpty()) {
            // One refusal for the whole stream, as Loki reports it.
            refusals.add(streamVerdict.message);
            result.discard(streamVerdict.reason, qint64(stream.entries.size()));
            stream.marks.assign(stream.entries.size(), PushStream::Refused);
            continue;
        }
        for (size_t e = 0; e < stream.entries.size(); ++e) {
            const PushEntry &entry = stream.entries[e];
            Verdict verdict;
            bool valid = m_validator.checkEntry(entry, check.key, clock, &verdict);
            if (valid && injected && *injected != Reason::StreamLabels && m_faults.takeRefusal()) {
                if (*injected == Reason::TooFarBehind) {
                    stream.mark(e, PushStream::IgnoreAsBehind); // the ingester's, in store()
                } else {
                    verdict = injectedVerdict(*injected, entry, check.key, clock,
                                              m_validator.limits());
                    valid = false;
                }
            }
            if (!valid) {
                stream.mark(e, PushStream::Refused);
                refusals.add(std::move(verdict.message));
                result.discard(verdict.reason);
                continue;
            }
            ++validLines;
            validBytes += entry.line.size() + metadataSize(entry.structuredMetadata);
        }
    }
    if (validLines == 0) {
        if (!refusals.isEmpty()) {
            result.status = 400;
            result.message = refusals.text();
        }
        return result;
    }

    // Refusals of the whole push, after validation as in Loki: ingestion blocked, then the
    // tenant's rate limit.
    if (const int status = m_faults.blockedStatus(nowNs)) {
        result.discard(DiscardReason::BlockedIngestion, validLines);
        if (status != 200) {
            result.status = status;
            result.message = Refusal::ingestionBlocked(tenant, m_faults.blockedUntilNs(), status);
        }
        return result;
    }
    int retryAfter = -1;
    if (!m_faults.takeRate(tenant, nowNs, validBytes, &retryAfter)) {
        result.discard(DiscardReason::RateLimited, validLines);
        result.status = 429;
        result.message = Refusal::rateLimited(tenant, m_faults.rateLimit(), validLines, validBytes);
        result.retryAfter = retryAfter;
        return result;
    }

    // The ingester: stores what is left; its refusals replace the distributor's in the
    // answer, as in Loki.
    QByteArray ignored;
    store(request, checks, tenant, &result, &ignored);
    if (!ignored.isEmpty()) {
        result.status = 400;
        result.message = ignored;
    } else if (!refusals.isEmpty()) {
        result.status = 400;
        result.message = refusals.text();
    }
    return result;
}

qint64 &Ingestor::newestOf(const QByteArray &tenant, const StreamCheck &check, quint32 streamId)
{
    if (!m_countingOnly)
        return m_store->stream(streamId).newestNs;
    const QByteArray id = tenant.isEmpty()
            ? check.key
            : QByteArray::number(tenant.size()) + ':' + tenant + check.key;
    auto it = m_countedNewest.find(id);
    if (it == m_countedNewest.end()) {
        if (m_countedNewest.size() >= CountedStreams)
            m_countedNewest.clear();
        it = m_countedNewest.insert(id, std::numeric_limits<qint64>::min());
    }
    return it.value();
}

void Ingestor::store(PushRequest &request,
                     const std::vector<std::shared_ptr<const StreamCheck>> &checks,
                     const QByteArray &tenant, IngestResult *result, QByteArray *ignored)
{
    const qint64 windowMs = qint64(m_validator.limits().outOfOrderWindow.count());
    const qint64 windowNs = windowMs > std::numeric_limits<qint64>::max() / 1000000
            ? std::numeric_limits<qint64>::max()
            : windowMs * 1000000;
    QByteArray storeLines;
    for (size_t s = 0; s < request.streams.size(); ++s) {
        PushStream &stream = request.streams[s];
        const StreamCheck &check = *checks[s];
        if (stream.entries.empty() || check.state != StreamCheck::Valid)
            continue;
        const quint32 streamId =
                m_countingOnly ? 0 : m_store->streamId(tenant, check.key, check.labels);
        qint64 &newest = newestOf(tenant, check, streamId);
        IgnoredEntries outOfWindow;
        qint64 sent = 0;
        for (size_t e = 0; e < stream.entries.size(); ++e) {
            if (stream.isMarked(e, PushStream::Refused))
                continue;
            PushEntry &entry = stream.entries[e];
            ++sent;
            // Loki's unordered writes: an entry may be older than the stream's newest, but
            // by no more than the window.
            qint64 cutoff = 0;
            const bool windowed = windowNs > 0 && newest != std::numeric_limits<qint64>::min()
                    && !qSubOverflow(newest, windowNs, &cutoff);
            const bool injected = stream.isMarked(e, PushStream::IgnoreAsBehind);
            if ((windowed && entry.timestampNs < cutoff) || injected) {
                if (!windowed || cutoff <= entry.timestampNs) {
                    // Injected: a cutoff a second after the entry.
                    cutoff = entry.timestampNs > std::numeric_limits<qint64>::max() - 1000000000
                            ? entry.timestampNs
                            : entry.timestampNs + 1000000000;
                }
                stream.mark(e, PushStream::Refused);
                outOfWindow.add(entry.timestampNs,
                                Refusal::tooFarBehind(entry.timestampNs, cutoff));
                result->discard(DiscardReason::TooFarBehind);
                continue;
            }
            newest = qMax(newest, entry.timestampNs);
            if (m_countingOnly) {
                ++result->accepted;
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
                ++result->accepted;
            } else {
                ++result->duplicates;
                storeLines.truncate(mark);
            }
        }
        if (!m_countingOnly)
            m_store->forgetIfEmpty(streamId);
        // Loki's ingester answers for the last stream that had ignored entries.
        if (!outOfWindow.isEmpty())
            *ignored = outOfWindow.text(tenant, sent, check.key);
    }
    if (m_storeDevice && !storeLines.isEmpty())
        m_storeDevice->write(storeLines);
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
