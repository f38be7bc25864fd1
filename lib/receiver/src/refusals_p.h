// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>

#include <array>
#include <vector>

// Loki's refusals of pushed entries: the reasons it counts them under, the texts it
// answers with (pkg/validation/validate.go, the ingester's stream.go), and how several of
// them make one answer.
namespace LokiReceiverInternal {

//! The reasons Loki discards entries for, as its `loki_discarded_samples_total` names them.
enum class DiscardReason {
    InvalidLabels, //!< `invalid_labels`: the labels do not parse (the whole push fails)
    MissingLabels, //!< `missing_labels`
    MaxLabelNamesPerSeries, //!< `max_label_names_per_series`
    LabelNameTooLong, //!< `label_name_too_long`
    LabelValueTooLong, //!< `label_value_too_long`
    DuplicateLabelNames, //!< `duplicate_label_names`
    GreaterThanMaxSampleAge, //!< `greater_than_max_sample_age`
    TooFarInFuture, //!< `too_far_in_future`
    LineTooLong, //!< `line_too_long`
    DisallowedStructuredMetadata, //!< `disallowed_structured_metadata`
    StructuredMetadataTooLarge, //!< `structured_metadata_too_large`
    StructuredMetadataTooMany, //!< `structured_metadata_too_many`
    TooFarBehind, //!< `too_far_behind`: outside the stream's out-of-order window
    RateLimited, //!< `rate_limited`
    BlockedIngestion, //!< `blocked_ingestion`
    RequestLimits, //!< `request_limits`: the receiver's caps per push (not Loki's)
};
constexpr int DiscardReasonCount = int(DiscardReason::RequestLimits) + 1;

//! The reason's name as Loki's metrics spell it.
const char *discardReasonName(DiscardReason reason);

//! Entries discarded, by reason.
using DiscardCounts = std::array<quint64, DiscardReasonCount>;

//! Go's time.Format(time.RFC3339) of a UTC time: `2024-11-24T00:00:00Z`.
QByteArray rfc3339(qint64 timestampNs);
//! Go's time.Time.String() of a UTC time: `2024-11-24 00:00:00.5 +0000 UTC`.
QByteArray goTimeString(qint64 timestampNs);
//! The tenant as Loki names it: `fake` when a single-tenant Loki got no X-Scope-OrgID.
QByteArray lokiTenant(const QByteArray &tenant);

// Loki's texts, one function each; `stream` is the stream's labels as Loki prints them.
namespace Refusal {
QByteArray invalidLabels(const QByteArray &parseError);
QByteArray missingLabels();
QByteArray tooManyLabelNames(const QByteArray &stream, qsizetype count, int limit);
QByteArray labelNameTooLong(const QByteArray &stream, const QByteArray &name);
QByteArray labelValueTooLong(const QByteArray &stream, const QByteArray &value);
QByteArray duplicateLabelName(const QByteArray &stream, const QByteArray &name);
QByteArray tooOld(const QByteArray &stream, qint64 timestampNs, qint64 oldestNs);
QByteArray tooNew(const QByteArray &stream, qint64 timestampNs);
QByteArray lineTooLong(const QByteArray &stream, qint64 limit, qint64 length);
QByteArray metadataDisallowed(const QByteArray &stream);
QByteArray metadataTooLarge(const QByteArray &stream, qint64 size, qint64 limit);
QByteArray metadataTooMany(const QByteArray &stream, qint64 count, qint64 limit);
QByteArray tooFarBehind(qint64 timestampNs, qint64 cutoffNs);
QByteArray rateLimited(const QByteArray &tenant, qint64 bytesPerSecond, qint64 lines, qint64 bytes);
QByteArray ingestionBlocked(const QByteArray &tenant, qint64 untilNs, int status);
QByteArray bodyTooLarge(qint64 size, qint64 limit);
// The receiver's own limits (Loki has none of these).
QByteArray decompressedTooLarge(qint64 limit);
QByteArray pushTooLarge(qint64 maxStreams, qint64 maxEntries);
} // namespace Refusal

/*!
    The refusals of one push's distributor checks, answered together as Loki's
    GroupedErrors writes them: one refusal alone as its message; otherwise each distinct
    message once, as `N errors like: <message>`, joined with `; `. Loki lists the groups
    in Go's map order (which varies); here they come in the order first seen.
*/
class RefusalGroups
{
public:
    void add(QByteArray message);
    bool isEmpty() const { return m_total == 0; }
    qint64 total() const { return m_total; }
    QByteArray text() const;

private:
    struct Group
    {
        QByteArray message;
        qint64 count = 0;
    };
    std::vector<Group> m_groups;
    QHash<QByteArray, size_t> m_index;
    qint64 m_total = 0;
};

/*!
    One stream's entries that Loki's ingester ignored (outside the out-of-order window),
    answered as the ingester writes it: a line per ignored entry (at most
    MaxListed, Loki's `max_returned_stream_errors`), then
    `user '<tenant>', total ignored: N out of M for stream: {...}`.
*/
class IgnoredEntries
{
public:
    static constexpr int MaxListed = 10;

    void add(qint64 timestampNs, const QByteArray &reason);
    bool isEmpty() const { return m_count == 0; }
    qint64 count() const { return m_count; }
    QByteArray text(const QByteArray &tenant, qint64 total, const QByteArray &stream) const;

private:
    QByteArray m_lines;
    qint64 m_count = 0;
};

} // namespace LokiReceiverInternal
