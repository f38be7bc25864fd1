// SPDX-License-Identifier: MIT
#include "refusals_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QStringBuilder>

namespace LokiReceiverInternal {

namespace {

constexpr qint64 NanosPerSecond = 1000000000;

// Seconds since the epoch and the nanoseconds within that second (0..999999999).
void split(qint64 timestampNs, qint64 *seconds, qint64 *nanos)
{
    *seconds = timestampNs / NanosPerSecond;
    *nanos = timestampNs % NanosPerSecond;
    if (*nanos < 0) {
        *nanos += NanosPerSecond;
        --*seconds;
    }
}

QByteArray dateTime(qint64 seconds, const char *format)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QLatin1String(format)).toUtf8();
}

} // namespace

const char *discardReasonName(DiscardReason reason)
{
    switch (reason) {
    case DiscardReason::InvalidLabels:
        return "invalid_labels";
    case DiscardReason::MissingLabels:
        return "missing_labels";
    case DiscardReason::MaxLabelNamesPerSeries:
        return "max_label_names_per_series";
    case DiscardReason::LabelNameTooLong:
        return "label_name_too_long";
    case DiscardReason::LabelValueTooLong:
        return "label_value_too_long";
    case DiscardReason::DuplicateLabelNames:
        return "duplicate_label_names";
    case DiscardReason::GreaterThanMaxSampleAge:
        return "greater_than_max_sample_age";
    case DiscardReason::TooFarInFuture:
        return "too_far_in_future";
    case DiscardReason::LineTooLong:
        return "line_too_long";
    case DiscardReason::DisallowedStructuredMetadata:
        return "disallowed_structured_metadata";
    case DiscardReason::StructuredMetadataTooLarge:
        return "structured_metadata_too_large";
    case DiscardReason::StructuredMetadataTooMany:
        return "structured_metadata_too_many";
    case DiscardReason::TooFarBehind:
        return "too_far_behind";
    case DiscardReason::RateLimited:
        return "rate_limited";
    case DiscardReason::BlockedIngestion:
        return "blocked_ingestion";
    case DiscardReason::RequestLimits:
        return "request_limits";
    }
    return "other";
}

QByteArray rfc3339(qint64 timestampNs)
{
    qint64 seconds = 0;
    qint64 nanos = 0;
    split(timestampNs, &seconds, &nanos);
    return dateTime(seconds, "yyyy-MM-dd'T'HH:mm:ss'Z'");
}

QByteArray goTimeString(qint64 timestampNs)
{
    qint64 seconds = 0;
    qint64 nanos = 0;
    split(timestampNs, &seconds, &nanos);
    QByteArray out = dateTime(seconds, "yyyy-MM-dd HH:mm:ss");
    if (nanos != 0) {
        // Go's ".999999999": the fraction without its trailing zeros.
        QByteArray fraction = QByteArray::number(nanos).rightJustified(9, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        out += '.' + fraction;
    }
    return out + " +0000 UTC";
}

QByteArray lokiTenant(const QByteArray &tenant)
{
    return tenant.isEmpty() ? QByteArray("fake") : tenant;
}

namespace Refusal {

QByteArray invalidLabels(const QByteArray &parseError)
{
    return "couldn't parse labels: " + parseError;
}

QByteArray missingLabels() { return "error at least one label pair is required per stream"; }

QByteArray tooManyLabelNames(const QByteArray &stream, qsizetype count, int limit)
{
    return "entry for stream '" + stream + "' has " + QByteArray::number(count)
            + " label names; limit " + QByteArray::number(limit);
}

QByteArray labelNameTooLong(const QByteArray &stream, const QByteArray &name)
{
    return "stream '" + stream + "' has label name too long: '" + name + '\'';
}

QByteArray labelValueTooLong(const QByteArray &stream, const QByteArray &value)
{
    return "stream '" + stream + "' has label value too long: '" + value + '\'';
}

QByteArray duplicateLabelName(const QByteArray &stream, const QByteArray &name)
{
    return "stream '" + stream + "' has duplicate label name: '" + name + '\'';
}

QByteArray tooOld(const QByteArray &stream, qint64 timestampNs, qint64 oldestNs)
{
    return "entry for stream '" + stream + "' has timestamp too old: " + rfc3339(timestampNs)
            + ", oldest acceptable timestamp is: " + rfc3339(oldestNs);
}

QByteArray tooNew(const QByteArray &stream, qint64 timestampNs)
{
    return "entry for stream '" + stream + "' has timestamp too new: " + rfc3339(timestampNs);
}

QByteArray lineTooLong(const QByteArray &stream, qint64 limit, qint64 length)
{
    return "Max entry size '" + QByteArray::number(limit) + "' bytes exceeded for stream '" + stream
            + "' while adding an entry with length '" + QByteArray::number(length) + "' bytes";
}

QByteArray metadataDisallowed(const QByteArray &stream)
{
    return "stream '" + stream
            + "' includes structured metadata, but this feature is disallowed. Please see "
              "`limits_config.allow_structured_metadata` or contact your Loki administrator "
              "to enable it.";
}

QByteArray metadataTooLarge(const QByteArray &stream, qint64 size, qint64 limit)
{
    return "stream '" + stream + "' has structured metadata too large: '" + QByteArray::number(size)
            + "' bytes, limit: '" + QByteArray::number(limit)
            + "' bytes. Please see `limits_config.max_structured_metadata_size` or contact "
              "your Loki administrator to increase it.";
}

QByteArray metadataTooMany(const QByteArray &stream, qint64 count, qint64 limit)
{
    return "stream '" + stream + "' has too many structured metadata labels: '"
            + QByteArray::number(count) + "', limit: '" + QByteArray::number(limit)
            + "'. Please see `limits_config.max_structured_metadata_entries_count` or contact "
              "your Loki administrator to increase it.";
}

QByteArray tooFarBehind(qint64 timestampNs, qint64 cutoffNs)
{
    return "entry too far behind, entry timestamp is: " + rfc3339(timestampNs)
            + ", oldest acceptable timestamp is: " + rfc3339(cutoffNs);
}

QByteArray rateLimited(const QByteArray &tenant, qint64 bytesPerSecond, qint64 lines, qint64 bytes)
{
    return "Ingestion rate limit exceeded for user " + lokiTenant(tenant) + " (limit: "
            + QByteArray::number(bytesPerSecond) + " bytes/sec) while attempting to ingest '"
            + QByteArray::number(lines) + "' lines totaling '" + QByteArray::number(bytes)
            + "' bytes, reduce log volume or contact your Loki administrator to see if the "
              "limit can be increased";
}

QByteArray ingestionBlocked(const QByteArray &tenant, qint64 untilNs, int status)
{
    return "ingestion blocked for user " + lokiTenant(tenant) + " until '" + rfc3339(untilNs)
            + "' with status code '" + QByteArray::number(status) + '\'';
}

QByteArray bodyTooLarge(qint64 size, qint64 limit)
{
    return "request body too large: " + QByteArray::number(size)
            + " bytes, limit: " + QByteArray::number(limit) + " bytes";
}

QByteArray decompressedTooLarge(qint64 limit)
{
    return "request body too large: more than " + QByteArray::number(limit)
            + " bytes once decompressed, limit: " + QByteArray::number(limit) + " bytes";
}

QByteArray pushTooLarge(qint64 maxStreams, qint64 maxEntries)
{
    return "push request too large: at most " + QByteArray::number(maxStreams) + " streams and "
            + QByteArray::number(maxEntries) + " entries per push are taken, split the push";
}

} // namespace Refusal

void RefusalGroups::add(QByteArray message)
{
    ++m_total;
    const auto it = m_index.constFind(message);
    if (it != m_index.constEnd()) {
        ++m_groups[it.value()].count;
        return;
    }
    m_index.insert(message, m_groups.size());
    m_groups.push_back(Group {std::move(message), 1});
}

QByteArray RefusalGroups::text() const
{
    if (m_groups.size() == 1 && m_groups.front().count == 1)
        return m_groups.front().message;
    QByteArray out;
    for (const Group &group : m_groups) {
        if (!out.isEmpty())
            out += "; ";
        out += QByteArray::number(group.count) + " errors like: " + group.message;
    }
    return out;
}

void IgnoredEntries::add(qint64 timestampNs, const QByteArray &reason)
{
    if (m_count++ < MaxListed) {
        m_lines += "entry with timestamp " + goTimeString(timestampNs) + " ignored, reason: '"
                + reason + "',\n";
    }
}

QByteArray IgnoredEntries::text(const QByteArray &tenant, qint64 total,
                                const QByteArray &stream) const
{
    return m_lines + "user '" + lokiTenant(tenant)
            + "', total ignored: " + QByteArray::number(m_count) + " out of "
            + QByteArray::number(total) + " for stream: " + stream;
}

} // namespace LokiReceiverInternal
