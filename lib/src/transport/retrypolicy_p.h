// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>

#include <chrono>
#include <functional>
#include <optional>

namespace QLoki::detail {

/*!
    Which push outcomes are retried, and how long to wait before try n.

    Retried: network errors, timeouts, 429 and 5xx (as Loki's own agents do). Not
    retried: any other 4xx and any 2xx other than 200/204 (Loki answers 260 when a
    tenant's ingestion is blocked and stores nothing). 413 means "too large": the batch
    is split instead. The delay doubles from minBackoff up to maxBackoff with "equal
    jitter" (half fixed, half random), so that many clients that failed together do not
    come back together; a server's Retry-After wins when it asks for longer.
*/
class RetryPolicy
{
public:
    enum class Verdict { Delivered, Retry, Split, Reject };
    using Millis = std::chrono::milliseconds;

    RetryPolicy(Millis minBackoff, Millis maxBackoff, int maxRetries);

    //! \a httpStatus is 0 when no HTTP answer arrived (network error, timeout).
    static Verdict classify(int httpStatus);

    //! The delay before retry number \a retry (1 for the first retry).
    Millis delay(int retry, std::optional<Millis> retryAfter = std::nullopt) const;

    int maxRetries() const { return m_maxRetries; }
    Millis maxBackoff() const { return m_max; }

    //! Replaces the source of uniform random numbers in [0, 1) (for tests).
    void setRandom(std::function<double()> uniform) { m_uniform = std::move(uniform); }

    //! Parses a Retry-After header: delta-seconds or an HTTP date, relative to \a now.
    static std::optional<Millis> parseRetryAfter(const QByteArray &value, const QDateTime &now);

private:
    Millis m_min;
    Millis m_max;
    int m_maxRetries;
    std::function<double()> m_uniform;
};

} // namespace QLoki::detail
