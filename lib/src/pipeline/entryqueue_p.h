// SPDX-License-Identifier: MIT
#pragma once

#include "pipeline/pendingentry_p.h"

#include <QLoki/lokistats.h>
#include <QLoki/lokitypes.h>

#include <QtCore/QList>
#include <QtCore/QPointer>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

class QObject;

namespace QLoki::detail {

/*!
    The one bounded store of pending entries, and the counters that describe them.

    Every accepted entry stays here until the push that carries it is answered, so a
    batch is only a view of the front of the queue: a failed push leaves its entries in
    place for the next try, and nothing is lost by clearing a batch too early. Entries
    leave the queue in exactly three ways (delivered, dropped with a reason, or still
    here), which is why `accepted == delivered + dropped + size()` holds under the lock.

    Callers (any thread) only append. The sender thread takes the front as the batch in
    flight, then completes it. The sender is woken with a posted event when the queued
    entries cross the batch thresholds, never per call.
*/
class EntryQueue
{
public:
    //! Event types posted to the wake target.
    enum EventType { WakeEvent = 1000 + 0x4c6f /* above QEvent::User */, StatsEvent, FlushEvent, SpillEvent };

    EntryQueue();

    //! (Re)configures limits; entries already queued stay. \a spillAt > 0: a SpillEvent is
    //! posted when that many entries are held (a disk spool takes them over).
    void configure(int capacity, OverflowPolicy policy, int wakeEntries, qint64 wakeBytes,
                   int spillAt = 0);
    //! Sets the object that receives WakeEvent/StatsEvent (nullptr: none); thread-safe.
    void setWakeTarget(QObject *target);
    //! Accepting entries or not; a stopped queue refuses and wakes blocked callers.
    void setAccepting(bool accepting);

    /*!
        Appends an entry, stamping seq and a timestamp strictly above the previous one.
        Applies the overflow policy when full. Returns the entry's seq, or 0 when the
        queue is not accepting (then nothing was counted).
    */
    quint64 push(PendingEntry &&entry, qint64 nowNs);

    // --- sender side ---------------------------------------------------------------------
    //! Copies up to \a maxEntries front entries and marks them in flight.
    QList<PendingEntry> takeFront(int maxEntries);
    //! Shrinks the in-flight part to the first \a count entries taken.
    void keepInFlight(int count);
    /*!
        The in-flight entries were acknowledged: they leave as delivered, except \a invalid
        of them that were refused before sending (they leave as DropReason::Invalid).
    */
    void completeDelivered(int count, qint64 bytes, int invalid = 0);
    //! The in-flight entries failed for good: they leave as dropped with \a reason, except
    //! \a invalid of them that were refused before sending (DropReason::Invalid).
    void completeDropped(int count, DropReason reason, const QString &error, int invalid = 0);
    //! The in-flight entries stay for another try (or for the offline buffer).
    void completeKept(const QString &error, bool retriesExhausted);
    // --- the disk spool (see Spool) ------------------------------------------------------
    //! The in-flight entries were written to the spool: they leave the queue but stay
    //! pending, as spooled.
    void completeSpooled(int count, int invalid = 0);
    //! Spooled entries were acknowledged by Loki.
    void spoolDelivered(int count, qint64 bytes);
    //! Spooled entries were lost (spool overflow, refused by Loki, corrupt on disk).
    void spoolDropped(int count, DropReason reason, const QString &error);
    //! Entries an earlier run left in the spool: accepted now, as replayed.
    void spoolReplayed(int count);
    //! Records a problem in words (LokiStats::lastError) without changing counts.
    void noteError(const QString &error);

    //! The push on the wire was abandoned (shutdown): its entries are queued again.
    void releaseInFlight();
    //! Asks the sender to push everything now (posts a FlushEvent).
    void requestFlush();
    //! Drops everything not in flight (shutdown); returns how many.
    int dropAll(DropReason reason);
    //! Records a try that is a retry, and the delivery state.
    void noteRetry();
    void setState(State state, const QDateTime &nextRetry = QDateTime());
    //! Entries not in flight.
    int queuedCount() const;
    //! The sender handled a WakeEvent / emitted the stats: the next crossing posts again.
    void wakeHandled();
    void statsHandled();
    void spillHandled();

    // --- waiting (any thread but the sender's) --------------------------------------------
    //! The seq the next accepted entry will get.
    quint64 nextSeq() const;
    /*!
        Waits until every entry with seq < \a seqLimit is resolved, or (when
        \a untilSettled) has also been given up to the offline buffer, or the queue stops
        accepting, or \a deadline passes. Returns true when resolved/settled.
    */
    bool waitResolved(quint64 seqLimit, bool untilSettled,
                      std::chrono::steady_clock::time_point deadline);

    LokiStats stats() const;

private:
    void wakeLocked(int eventType);
    void dropFrontQueuedLocked();
    bool resolvedLocked(quint64 seqLimit, bool untilSettled) const;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;   // an entry left, or accepting changed
    std::deque<PendingEntry> m_entries;
    int m_inFlight = 0;                  // entries at the front carried by the push on the wire
    int m_capacity = 1000;
    OverflowPolicy m_policy = OverflowPolicy::DropOldest;
    int m_wakeEntries = 1000;
    qint64 m_wakeBytes = 1 << 20;
    qint64 m_queuedUnits = 0;            // UTF-16 units of queued lines: a cheap byte estimate
    bool m_wakePosted = false;
    bool m_statsPosted = false;
    bool m_spillPosted = false;
    int m_spillAt = 0;
    bool m_accepting = false;
    quint64 m_nextSeq = 1;
    quint64 m_settledThrough = 0;        // seqs up to here were given to the offline buffer
    qint64 m_lastTimestampNs = 0;
    QObject *m_wakeTarget = nullptr;
    LokiStats m_stats;
};

} // namespace QLoki::detail
