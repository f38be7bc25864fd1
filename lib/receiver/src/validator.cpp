// SPDX-License-Identifier: MIT
#include "validator_p.h"

#include <algorithm>
#include <limits>

namespace LokiReceiverInternal {

namespace {

constexpr qsizetype CacheSize = 4096;

qint64 toNs(std::chrono::milliseconds duration)
{
    qint64 ns = 0;
    if (qMulOverflow(qint64(duration.count()), qint64(1000000), &ns))
        return duration.count() < 0 ? std::numeric_limits<qint64>::min()
                                    : std::numeric_limits<qint64>::max();
    return ns;
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (qAddOverflow(a, b, &sum))
        return b < 0 ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max();
    return sum;
}

} // namespace

qint64 metadataSize(const LabelPairs &metadata)
{
    qint64 size = 0;
    for (const auto &[name, value] : metadata)
        size += name.size() + value.size();
    return size;
}

void Validator::setLimits(const LimitValues &limits)
{
    m_limits = limits;
    m_cache.clear();
}

std::shared_ptr<const StreamCheck> Validator::checkStream(const QByteArray &labels)
{
    const auto cached = m_cache.constFind(labels);
    if (cached != m_cache.constEnd())
        return cached.value();
    if (m_cache.size() >= CacheSize)
        m_cache.clear();
    auto result = std::make_shared<const StreamCheck>(check(labels));
    m_cache.insert(labels, result);
    return result;
}

StreamCheck Validator::check(const QByteArray &text) const
{
    StreamCheck result;
    QByteArray error;
    LabelPairs pairs;
    if (!parseLabelString(text, &pairs, &error)) {
        result.state = StreamCheck::Unparsable;
        result.verdict = {DiscardReason::InvalidLabels, Refusal::invalidLabels(error)};
        return result;
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    // An empty value is the same as no label.
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [](const auto &pair) { return pair.second.isEmpty(); }),
                pairs.end());
    auto refuse = [&result](DiscardReason reason, QByteArray message) {
        result.state = StreamCheck::Refused;
        result.verdict = {reason, std::move(message)};
        return result;
    };
    // Loki names the stream by the text it was pushed with in these messages.
    if (pairs.empty())
        return refuse(DiscardReason::MissingLabels, Refusal::missingLabels());
    if (qsizetype(pairs.size()) > m_limits.maxLabelNamesPerSeries) {
        return refuse(DiscardReason::MaxLabelNamesPerSeries,
                      Refusal::tooManyLabelNames(text, qsizetype(pairs.size()),
                                                 m_limits.maxLabelNamesPerSeries));
    }
    const QByteArray *previous = nullptr;
    for (const auto &[name, value] : pairs) {
        if (name.size() > m_limits.maxLabelNameLength)
            return refuse(DiscardReason::LabelNameTooLong, Refusal::labelNameTooLong(text, name));
        if (value.size() > m_limits.maxLabelValueLength) {
            return refuse(DiscardReason::LabelValueTooLong,
                          Refusal::labelValueTooLong(text, value));
        }
        if (previous && *previous == name) {
            return refuse(DiscardReason::DuplicateLabelNames,
                          Refusal::duplicateLabelName(text, name));
        }
        previous = &name;
    }
    result.key = formatLabels(pairs);
    result.labels = std::move(pairs);
    return result;
}

Validator::Clock Validator::clockAt(qint64 nowNs) const
{
    Clock clock;
    clock.oldestNs = m_limits.rejectOldSamples
            ? saturatingAdd(nowNs, -toNs(m_limits.rejectOldSamplesMaxAge))
            : std::numeric_limits<qint64>::min();
    clock.newestNs = saturatingAdd(nowNs, toNs(m_limits.creationGracePeriod));
    return clock;
}

bool Validator::checkEntry(const PushEntry &entry, const QByteArray &streamKey, const Clock &clock,
                           Verdict *verdict) const
{
    if (entry.timestampNs < clock.oldestNs) {
        *verdict = {DiscardReason::GreaterThanMaxSampleAge,
                    Refusal::tooOld(streamKey, entry.timestampNs, clock.oldestNs)};
        return false;
    }
    if (entry.timestampNs > clock.newestNs) {
        *verdict = {DiscardReason::TooFarInFuture, Refusal::tooNew(streamKey, entry.timestampNs)};
        return false;
    }
    if (m_limits.maxLineSize > 0 && entry.line.size() > m_limits.maxLineSize) {
        *verdict = {DiscardReason::LineTooLong,
                    Refusal::lineTooLong(streamKey, m_limits.maxLineSize, entry.line.size())};
        return false;
    }
    if (entry.structuredMetadata.empty())
        return true;
    if (!m_limits.allowStructuredMetadata) {
        *verdict = {DiscardReason::DisallowedStructuredMetadata,
                    Refusal::metadataDisallowed(streamKey)};
        return false;
    }
    const qint64 size = metadataSize(entry.structuredMetadata);
    if (m_limits.maxStructuredMetadataSize > 0 && size > m_limits.maxStructuredMetadataSize) {
        *verdict = {DiscardReason::StructuredMetadataTooLarge,
                    Refusal::metadataTooLarge(streamKey, size, m_limits.maxStructuredMetadataSize)};
        return false;
    }
    const auto count = qint64(entry.structuredMetadata.size());
    if (m_limits.maxStructuredMetadataCount > 0 && count > m_limits.maxStructuredMetadataCount) {
        *verdict = {
                DiscardReason::StructuredMetadataTooMany,
                Refusal::metadataTooMany(streamKey, count, m_limits.maxStructuredMetadataCount)};
        return false;
    }
    return true;
}

} // namespace LokiReceiverInternal
