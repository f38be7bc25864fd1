// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QByteArray>
#include <QtCore/QHash>

#include <optional>

namespace LokiReceiverInternal {

/*!
    A token bucket as golang.org/x/time/rate's Limiter, which Loki's ingestion rate limit
    uses: it holds up to burst tokens (bytes), refills at rate per second, starts full, and a
    request for n takes n tokens or is refused without taking any (always when n > burst).
*/
class TokenBucket
{
public:
    TokenBucket(double ratePerSecond, double burst, qint64 nowNs);
    //! Takes \a n tokens at \a nowNs. When refused, \a retryAfterSeconds is the wait until
    //! they could be taken (rounded up), or -1 when they never can (n > burst).
    bool take(qint64 nowNs, qint64 n, int *retryAfterSeconds);

private:
    double m_rate;
    double m_burst;
    double m_tokens;
    qint64 m_lastNs;
};

/*!
    The faults that act on ingestion, as Loki's own refusals: entries refused for a chosen
    reason, ingestion blocked, a tenant rate limit.
*/
class IngestFaults
{
public:
    using Reason = LokiReceiver::RefusalReason;

    //! Refuses \a count units (-1: until cleared; 0: none), one of every \a every: entries,
    //! or streams for Reason::StreamLabels.
    void refuse(Reason reason, int count, int every);
    //! The reason being injected, if any.
    std::optional<Reason> refusal() const;
    //! Whether the next unit (entry or stream) is to be refused; counts it.
    bool takeRefusal();
    int refusalsLeft() const { return m_refuseLeft; }
    int refuseEvery() const { return m_refuseEvery; }

    void block(qint64 untilNs, int status);
    //! The status pushes are answered with until when blocked at \a nowNs, else 0.
    int blockedStatus(qint64 nowNs) const;
    qint64 blockedUntilNs() const { return m_blockedUntilNs; }
    int blockStatus() const { return m_blockStatus; }

    //! A rate limit per tenant (0 bytes per second: none); \a burst below the rate is raised
    //! to it.
    void setRateLimit(qint64 bytesPerSecond, qint64 burst);
    qint64 rateLimit() const { return m_rate; }
    qint64 rateBurst() const { return m_burst; }
    //! Takes \a bytes from \a tenant's bucket; see TokenBucket::take().
    bool takeRate(const QByteArray &tenant, qint64 nowNs, qint64 bytes, int *retryAfterSeconds);

    void clear();

private:
    Reason m_reason = Reason::LineTooLong;
    int m_refuseLeft = 0;
    int m_refuseEvery = 1;
    quint64 m_refuseSeen = 0;

    qint64 m_blockedUntilNs = 0;
    int m_blockStatus = 260;

    qint64 m_rate = 0;
    qint64 m_burst = 0;
    QHash<QByteArray, TokenBucket> m_buckets;
};

//! The names of the refusal reasons over HTTP (`line_too_long`, ...).
QByteArray refusalReasonName(LokiReceiver::RefusalReason reason);
std::optional<LokiReceiver::RefusalReason> refusalReasonFromName(const QByteArray &name);

} // namespace LokiReceiverInternal
