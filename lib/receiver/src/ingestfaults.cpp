// SPDX-License-Identifier: MIT
#include "ingestfaults_p.h"

#include <cmath>
#include <iterator>

namespace LokiReceiverInternal {

namespace {

struct ReasonName
{
    LokiReceiver::RefusalReason reason;
    const char *name;
};

// The names match the short codes clients report refusals by.
constexpr ReasonName ReasonNames[] = {
        {LokiReceiver::RefusalReason::LineTooLong, "line_too_long"},
        {LokiReceiver::RefusalReason::TooOld, "too_old"},
        {LokiReceiver::RefusalReason::TooNew, "too_new"},
        {LokiReceiver::RefusalReason::TooFarBehind, "too_far_behind"},
        {LokiReceiver::RefusalReason::StreamLabels, "labels"},
        {LokiReceiver::RefusalReason::StructuredMetadataDisallowed, "metadata_disallowed"},
        {LokiReceiver::RefusalReason::StructuredMetadataTooLarge, "metadata_too_large"},
};

} // namespace

TokenBucket::TokenBucket(double ratePerSecond, double burst, qint64 nowNs)
    : m_rate(ratePerSecond)
    , m_burst(burst)
    , m_tokens(burst)
    , m_lastNs(nowNs)
{ }

bool TokenBucket::take(qint64 nowNs, qint64 n, int *retryAfterSeconds)
{
    if (nowNs > m_lastNs) {
        m_tokens = qMin(m_burst, m_tokens + double(nowNs - m_lastNs) / 1e9 * m_rate);
        m_lastNs = nowNs;
    }
    if (double(n) <= m_tokens) {
        m_tokens -= double(n);
        return true;
    }
    *retryAfterSeconds =
            double(n) > m_burst ? -1 : qMax(1, int(std::ceil((double(n) - m_tokens) / m_rate)));
    return false;
}

void IngestFaults::refuse(Reason reason, int count, int every)
{
    m_reason = reason;
    m_refuseLeft = qMax(-1, count);
    m_refuseEvery = qMax(1, every);
    m_refuseSeen = 0;
}

std::optional<IngestFaults::Reason> IngestFaults::refusal() const
{
    if (m_refuseLeft == 0)
        return std::nullopt;
    return m_reason;
}

bool IngestFaults::takeRefusal()
{
    if (m_refuseLeft == 0)
        return false;
    // The every-th unit, the 2 * every-th, ...: with every 1, each one.
    if (++m_refuseSeen % quint64(m_refuseEvery) != 0)
        return false;
    if (m_refuseLeft > 0)
        --m_refuseLeft;
    return true;
}

void IngestFaults::block(qint64 untilNs, int status)
{
    m_blockedUntilNs = untilNs;
    m_blockStatus = status;
}

int IngestFaults::blockedStatus(qint64 nowNs) const
{
    return nowNs < m_blockedUntilNs ? m_blockStatus : 0;
}

void IngestFaults::setRateLimit(qint64 bytesPerSecond, qint64 burst)
{
    m_rate = qMax<qint64>(0, bytesPerSecond);
    m_burst = m_rate > 0 ? qMax(burst, m_rate) : 0;
    m_buckets.clear();
}

bool IngestFaults::takeRate(const QByteArray &tenant, qint64 nowNs, qint64 bytes,
                            int *retryAfterSeconds)
{
    if (m_rate <= 0)
        return true;
    auto it = m_buckets.find(tenant);
    if (it == m_buckets.end())
        it = m_buckets.insert(tenant, TokenBucket(double(m_rate), double(m_burst), nowNs));
    return it->take(nowNs, bytes, retryAfterSeconds);
}

void IngestFaults::clear()
{
    m_refuseLeft = 0;
    m_refuseEvery = 1;
    m_refuseSeen = 0;
    m_blockedUntilNs = 0;
    m_blockStatus = 260;
    setRateLimit(0, 0);
}

QByteArray refusalReasonName(LokiReceiver::RefusalReason reason)
{
    for (const ReasonName &entry : ReasonNames) {
        if (entry.reason == reason)
            return entry.name;
    }
    return {};
}

std::optional<LokiReceiver::RefusalReason> refusalReasonFromName(const QByteArray &name)
{
    for (const ReasonName &entry : ReasonNames) {
        if (name == entry.name)
            return entry.reason;
    }
    return std::nullopt;
}

} // namespace LokiReceiverInternal
