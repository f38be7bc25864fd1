// SPDX-License-Identifier: MIT
#include "transport/retrypolicy_p.h"

#include <QtCore/QLocale>
#include <QtCore/QRandomGenerator>

#include <cmath>

namespace QLoki::detail {

RetryPolicy::RetryPolicy(Millis minBackoff, Millis maxBackoff, int maxRetries)
    : m_min(qMax(Millis(1), minBackoff))
    , m_max(qMax(m_min, maxBackoff))
    , m_maxRetries(qMax(0, maxRetries))
    , m_uniform([] { return QRandomGenerator::global()->generateDouble(); })
{
}

RetryPolicy::Verdict RetryPolicy::classify(int httpStatus)
{
    if (httpStatus == 200 || httpStatus == 204)
        return Verdict::Delivered;
    if (httpStatus == 0 || httpStatus == 429 || httpStatus >= 500)
        return Verdict::Retry;
    if (httpStatus == 413)
        return Verdict::Split;
    return Verdict::Reject;
}

RetryPolicy::Millis RetryPolicy::delay(int retry, std::optional<Millis> retryAfter) const
{
    // min * 2^(retry-1), computed in double so that large retry counts cannot overflow.
    const double base = qMin(double(m_max.count()),
                             double(m_min.count()) * std::pow(2.0, qMax(0, retry - 1)));
    Millis d(qint64(base / 2 + m_uniform() * base / 2));
    if (retryAfter && *retryAfter > d)
        d = qMin(*retryAfter, m_max);
    return qMax(Millis(1), d);
}

std::optional<RetryPolicy::Millis> RetryPolicy::parseRetryAfter(const QByteArray &value,
                                                                 const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? std::optional<Millis>(Millis(seconds * 1000)) : std::nullopt;
    // RFC 9110 IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(v),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    return Millis(qMax<qint64>(0, now.msecsTo(when)));
}

} // namespace QLoki::detail
