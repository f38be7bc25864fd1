// SPDX-License-Identifier: MIT
#include "faultplan.h"

#include <QtCore/QMetaEnum>
#include <QtCore/QRandomGenerator>

#include <algorithm>

namespace soak {

QString FaultEvent::describe() const
{
    switch (kind) {
    case Kind::Down:
        return QStringLiteral("down for %1 ms").arg(ms);
    case Kind::Fail:
        return retryAfter >= 0 ? QStringLiteral("%1 x %2 with Retry-After %3")
                                         .arg(count)
                                         .arg(status)
                                         .arg(retryAfter)
                               : QStringLiteral("%1 x %2").arg(count).arg(status);
    case Kind::EndFail:
        return QStringLiteral("failures not met withdrawn");
    case Kind::Slow:
        return ms > 0 ? QStringLiteral("answers delayed %1 ms").arg(ms)
                      : QStringLiteral("answers on time again");
    case Kind::Refuse:
        return QStringLiteral("refuse 1 entry (%1, 1 in %2)")
                .arg(QString::fromLatin1(
                        QMetaEnum::fromType<LokiReceiver::RefusalReason>().valueToKey(int(reason))))
                .arg(every);
    case Kind::CancelRefusal:
        return QStringLiteral("withdraw an unused refusal");
    case Kind::Kill:
        return QStringLiteral("SIGKILL the client");
    }
    return QString();
}

QList<FaultEvent> planFaults(const PlanOptions &options)
{
    QRandomGenerator rng(options.seed);
    const auto between = [&rng](qint64 low, qint64 high) {
        return low + qint64(rng.bounded(quint32(high - low)));
    };
    const qint64 duration = options.durationMs;
    const qint64 cycle = options.upMs + options.downMs;
    QList<FaultEvent> events;

    // Flapping, and in each up period the faults of a Loki under load.
    for (qint64 start = 0; start < duration; start += cycle) {
        const qint64 up = qMin(start + options.upMs, duration);
        if (up < duration) {
            FaultEvent down;
            down.kind = FaultEvent::Kind::Down;
            down.atMs = up;
            down.ms = qMin(options.downMs, duration - up);
            events.append(down);
        }
        qint64 t = start + between(1000, 3000);
        while (t < up - 1000) {
            FaultEvent e;
            e.atMs = t;
            const int pick = int(rng.bounded(10));
            if (pick < 7) {
                e.kind = FaultEvent::Kind::Fail;
                e.status = pick < 4 ? 429 : 503;
                e.count = int(between(1, 4));
                e.retryAfter = pick < 4 ? int(between(1, 3)) : -1;
                // Within 2 s, before the next fault (2 to 4 s on).
                FaultEvent end;
                end.kind = FaultEvent::Kind::EndFail;
                end.atMs = t + between(1000, 2000);
                events.append(end);
            } else {
                e.kind = FaultEvent::Kind::Slow;
                e.ms = between(200, 1500);
                FaultEvent end;
                end.kind = FaultEvent::Kind::Slow;
                end.atMs = qMin(t + between(1000, 3000), up);
                events.append(end);
                t = end.atMs;
            }
            events.append(e);
            t += between(2000, 4000);
        }
    }

    QList<qint64> kills;
    if (options.killEveryMs > 0) {
        if (duration >= 2 * options.killEveryMs) {
            for (qint64 k = options.killEveryMs; k < duration - 10000; k += options.killEveryMs)
                kills.append(k + between(-7000, 7000));
        } else {
            kills.append(duration / 2 + between(-4000, 4000));
        }
    }
    for (qint64 k : std::as_const(kills)) {
        FaultEvent kill;
        kill.kind = FaultEvent::Kind::Kill;
        kill.atMs = k;
        events.append(kill);
        FaultEvent cancel;
        cancel.kind = FaultEvent::Kind::CancelRefusal;
        cancel.atMs = k - 2000;
        events.append(cancel);
    }

    for (qint64 minute = 0; minute < duration; minute += 60000) {
        qint64 at = minute + between(15000, 20000);
        // Not in the 8 s before a kill: its answer must reach the client that asked.
        for (qint64 k : std::as_const(kills)) {
            if (at > k - 8000 && at <= k)
                at = k + 5000;
        }
        if (at > duration - 10000)
            break;
        FaultEvent refuse;
        refuse.kind = FaultEvent::Kind::Refuse;
        refuse.atMs = at;
        refuse.reason = LokiReceiver::RefusalReason::TooFarBehind;
        refuse.every = int(between(1, 400));
        events.append(refuse);
    }

    std::stable_sort(events.begin(), events.end(),
                     [](const FaultEvent &a, const FaultEvent &b) { return a.atMs < b.atMs; });
    return events;
}

} // namespace soak
