// SPDX-License-Identifier: MIT
// The soak's timeline: when the receiver goes down, fails, answers slowly or refuses an
// entry, and when the client is killed. Drawn once from a seed, so a run can be repeated.
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QList>
#include <QtCore/QString>

namespace soak {

struct FaultEvent
{
    enum class Kind {
        Down, //!< goDown(ms)
        Fail, //!< failNextPushes(count, status, retryAfter)
        EndFail, //!< failures a Fail armed and no push met are withdrawn
        Slow, //!< setResponseDelay(ms); 0 ends a slow period
        Refuse, //!< refuseEntries(reason, 1, every): one entry refused with Loki's words
        CancelRefusal, //!< a refusal still unused is withdrawn before a kill
        Kill //!< SIGKILL the client and start the next one
    };
    Kind kind = Kind::Down;
    qint64 atMs = 0; //!< since the start of the soak
    qint64 ms = 0;
    int count = 0;
    int status = 0;
    int retryAfter = -1;
    int every = 1;
    LokiReceiver::RefusalReason reason = LokiReceiver::RefusalReason::LineTooLong;

    QString describe() const;
};

struct PlanOptions
{
    qint64 durationMs = 60000;
    //! 0: no kill. When the soak is shorter than two intervals, one kill at half time.
    qint64 killEveryMs = 120000;
    qint64 upMs = 10000;
    qint64 downMs = 5000;
    quint32 seed = 1;
};

/*!
    The events, in time order: the receiver down for downMs after every upMs; in each up
    period a fault every 2 to 4 s (1 to 3 answers 429 with Retry-After 1 or 2 s, 1 to 3
    answers 503, or answers delayed by 0.2 to 1.5 s for 1 to 3 s); one entry refused a
    minute, never in the few seconds before a kill, and withdrawn 2 s before a kill if still
    unused, so that the refusal's answer is not lost with the killed process; the kills, at
    each interval +-7 s (or at half time +-4 s).

    A 429 or 503 is a moment of an overloaded Loki: the failures it arms are withdrawn 1 to
    2 s later if no push met them (failNextPushes() alone keeps them for the next pushes
    however late they come, so a client that probes every 30 s while Offline would meet
    each one, always).

    The refusal is the ingester's "entry ... too far behind": its answer names the entry by
    its timestamp, so a client can count exactly what was refused. The receiver's other
    per-entry refusals quote a limit just below the refused entry's value (its length, its
    time), which the other entries of a push like it break as well: a client that reads the
    limit as Loki means it counts those as refused too, although they were stored.
*/
QList<FaultEvent> planFaults(const PlanOptions &options);

} // namespace soak
