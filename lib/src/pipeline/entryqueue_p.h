// SPDX-License-Identifier: MIT
#pragma once

#include "model/lokistats_p.h"
#include "pipeline/contextring_p.h"
#include "pipeline/pendingentry_p.h"
#include "pipeline/queuedentry_p.h"
#include "pipeline/resolvedbacklog_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QVarLengthArray>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#if defined(__GLIBC__)
#include <pthread.h>
#endif

class QObject;

namespace QLoki::detail {

#if defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
/*!
    The queue's lock. Callers hold it for well under a microsecond; this one spins a little
    before it sleeps (glibc's PTHREAD_MUTEX_ADAPTIVE_NP), so that a caller that meets another
    there waits that long, not a futex sleep and wake-up. Threads calling at once on two
    cores: the p99 of a call at four threads went from about 10 µs to 1 to 3 µs
    (`qloki-bench --only caller`).
*/
class QueueMutex
{
public:
    QueueMutex()
    {
        pthread_mutexattr_t attributes;
        pthread_mutexattr_init(&attributes);
        pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ADAPTIVE_NP);
        pthread_mutex_init(&m_mutex, &attributes);
        pthread_mutexattr_destroy(&attributes);
    }
    ~QueueMutex() { pthread_mutex_destroy(&m_mutex); }
    QueueMutex(const QueueMutex &) = delete;
    QueueMutex &operator=(const QueueMutex &) = delete;
    void lock() { pthread_mutex_lock(&m_mutex); }
    bool try_lock() { return pthread_mutex_trylock(&m_mutex) == 0; }
    void unlock() { pthread_mutex_unlock(&m_mutex); }

private:
    pthread_mutex_t m_mutex;
};
#else
using QueueMutex = std::mutex;
#endif
using QueueLock = std::unique_lock<QueueMutex>;

/*!
    The one bounded store of pending entries, and the counters that describe them.

    Every accepted entry stays pending until the push that carries it is answered, so a
    batch is only a loan of the front of the queue: a failed push gives its entries back
    for the next try, and nothing is lost by clearing a batch too early. Entries leave in
    exactly three ways (delivered, dropped with a reason, or still pending), which is why
    `accepted == delivered + dropped + pending` holds under the lock.

    Callers (any thread) only append, as they logged (PendingEntry: a braced call's line
    and fields in one block, a map call's arguments by reference). The sender thread takes
    those out in bulk, resolves them into their final compact form (QueuedEntry: stream and
    UTF-8 bytes) outside the lock and puts them back;
    beyond the first ResolvedBacklog::LooseEntries they wait packed in blocks, so an entry
    that waits, during an outage say, costs little more than its own bytes. In
    age order: the batch in flight (held by the sender), resolved, being resolved (held by
    the sender), unresolved. The sender is woken with a posted event when the entries
    waiting cross the batch thresholds, never per call.

    The members live in entryqueue.cpp, entryqueuecompletion.cpp (completeDelivered() to
    releaseInFlight(): how batches in flight end, and the counters the sender adds) and
    entryqueuecontext.cpp (the context ring).
*/
class EntryQueue
{
public:
    //! Event types posted to the wake target.
    enum EventType {
        WakeEvent = 1000 + 0x4c6f /* above QEvent::User */,
        StatsEvent,
        FlushEvent,
        SpillEvent,
        LastEvent = SpillEvent
    };

    EntryQueue();
    ~EntryQueue();
    EntryQueue(const EntryQueue &) = delete;
    EntryQueue &operator=(const EntryQueue &) = delete;

    /*!
        (Re)configures limits; entries already queued stay. The queue holds at most
        \a capacity entries and \a maxBytes bytes (line and metadata as held: UTF-16 while
        unresolved, UTF-8 once resolved), and applies \a policy when either is reached.
        \a wakeBytes: a wake-up armed for a full batch also fires when that many bytes of
        lines wait unresolved. \a spillAt > 0: a SpillEvent is posted when that many entries
        wait outside the batches in flight (fewer while a batch is on the wire: \a spillAt
        scaled to the room it leaves), or when half of \a maxBytes is held (a disk spool takes
        them over).
    */
    void configure(int capacity, qint64 maxBytes, OverflowPolicy policy, qint64 wakeBytes,
                   int spillAt = 0);
    /*!
        How the sender wants to hear of new entries: one WakeEvent once \a entries (or the
        wake bytes, when \a entries > 1) wait outside the batches in flight; 0 for none. The
        wake-up fires at most once per call (at once when the condition already holds), so
        logging calls post no event of their own.
    */
    void armWake(int entries);
    /*!
        While no push may start (Loki down, a retry pending), entries that the sender does
        not resolve stay in the form the call made them, several times their compact size:
        one WakeEvent once \a entries unresolved ones wait, or their lines reach the wake
        bytes (0: none), so that the sender compacts them in bulk. Fires at most once per
        call, like armWake().
    */
    void armCompaction(int entries);
    //! Sets the object that receives WakeEvent/StatsEvent (nullptr: none); thread-safe.
    void setWakeTarget(QObject *target);
    //! Accepting entries or not; a stopped queue refuses and wakes blocked callers.
    void setAccepting(bool accepting);

    /*!
        Appends an entry, stamping seq and a timestamp strictly above the previous one.
        Applies the overflow policy when full (Block only when \a mayWait; else the new
        entry is dropped). Returns the entry's seq, or 0 when the queue is not accepting
        (then nothing was counted).
    */
    quint64 push(PendingEntry &&entry, qint64 nowNs, bool mayWait = true);

    // --- the context ring (entryqueuecontext.cpp; LokiConfig::contextEntries()) -----------
    /*!
        Keeps at most \a entries entries below the minimum level in the context ring (0:
        none); an entry pushed at \a trigger or above ships them first. Entries the ring
        holds beyond a smaller size count as overwritten.
    */
    void configureContext(int entries, Level trigger);
    /*!
        Keeps \a entry (below the minimum level) in the context ring, stamped as push()
        stamps, without accepting it; the oldest kept entry is overwritten when the ring is
        full. \a lineRefused: its line was refused by the line limit (it counts as refused
        when shipped). Does nothing while the queue is not accepting or the ring is off.

        The ring is sharded by thread (ContextShard): a call takes its thread's shard's
        lock, not the queue's. Each shard holds up to \a entries; a trigger ships the newest
        \a entries of all shards, by timestamp, and counts the older ones as overwritten.
    */
    void keepForContext(PendingEntry &&entry, qint64 nowNs, bool lineRefused);
    // --- sender side ---------------------------------------------------------------------
    //! Moves up to \a maxEntries of the oldest unresolved entries out, to be resolved and
    //! handed back with putResolved() (they stay pending meanwhile); no more than a
    //! sixteenth of the byte bound, but at least one entry.
    std::vector<PendingEntry> takeUnresolved(int maxEntries);
    //! The entries takeUnresolved() gave, resolved, in the same order; those that
    //! DropOldest or dropAll() removed meanwhile are left out. \a redacted: how many of
    //! them the Redactor changed (counted under the same lock).
    void putResolved(std::vector<QueuedEntry> &&entries, quint64 redacted = 0);
    //! Resolved entries, and unresolved ones not being resolved.
    int resolvedCount() const;
    int unresolvedCount() const;
    /*!
        Moves up to \a maxEntries resolved front entries into \a out (cleared first) as a
        batch in flight; returns how many. The sender may hold two: the push on the wire
        and the next one, prepared meanwhile. The complete*() calls below answer for the
        oldest of them, completeKept() and releaseInFlight() give back the newest (so the
        sender gives back a prepared batch first).
    */
    int takeFront(int maxEntries, std::vector<QueuedEntry> *out);
    //! Shrinks the batch just taken to the first \a count entries of \a inFlight; the rest
    //! go back to the front of the queue.
    void keepInFlight(std::vector<QueuedEntry> *inFlight, int count);
    //! The in-flight entries were acknowledged: they leave as delivered.
    void completeDelivered(int count, qint64 bytes);
    /*!
        Loki answered the in-flight push with a refusal of \a refused of its \a count
        entries (they leave as DropReason::Rejected, counted under \a code); the others were
        stored (delivered).
    */
    void completeRefused(int count, int refused, qint64 bytes, const QString &error,
                         RefusalCode code = RefusalCode::Other);
    //! The in-flight entries failed for good: they leave as dropped with \a reason.
    void completeDropped(int count, DropReason reason, const QString &error);
    //! The in-flight entries \a inFlight stay for another try (or for the offline buffer):
    //! they go back to the front of the queue.
    void completeKept(std::vector<QueuedEntry> &&inFlight, const QString &error,
                      bool retriesExhausted);
    // --- the disk spool (see Spool) ------------------------------------------------------
    //! The in-flight entries were written to the spool: they leave the queue but stay
    //! pending, as spooled.
    void completeSpooled(int count);
    //! Spooled entries were acknowledged by Loki.
    void spoolDelivered(int count, qint64 bytes);
    //! Spooled entries were lost (spool overflow, refused by Loki, corrupt on disk).
    void spoolDropped(int count, DropReason reason, const QString &error);
    //! Entries an earlier run left in the spool: accepted now, as replayed.
    void spoolReplayed(int count);
    //! Spooled entries were answered with a refusal of \a refused of \a count (see
    //! completeRefused()).
    void spoolRefused(int count, int refused, qint64 bytes, const QString &error,
                      RefusalCode code = RefusalCode::Other);
    //! Entries whose labels the cardinality guard demoted, by label name (counts to add).
    void noteDemoted(const QHash<QString, quint64> &byName);
    //! An entry refused in the logging call (before it was queued): accepted and dropped.
    //! At \a level the trigger level or above, it ships the context ring.
    void refuseInCall(DropReason reason, Level level = Level::Debug);
    //! Entries refused in the call since the last call of this (for entriesDropped()).
    int takeRefusedInCall();
    //! Records a problem in words (LokiStats::lastError()) without changing counts.
    void noteError(const QString &error);

    //! The push on the wire was abandoned (shutdown): its entries are queued again.
    void releaseInFlight(std::vector<QueuedEntry> &&inFlight);
    //! Asks the sender to push everything now (posts a FlushEvent).
    void requestFlush();
    //! Drops everything not in flight (shutdown); returns how many.
    int dropAll(DropReason reason);
    //! Records a try that is a retry, and the delivery state.
    void noteRetry();
    void setState(State state, const QDateTime &nextRetry = QDateTime());
    //! Entries not in flight (resolved or not).
    int queuedCount() const;
    //! What waits outside the batches in flight: entries, and bytes as held.
    struct Backlog
    {
        int entries = 0;
        qint64 bytes = 0;
    };
    Backlog backlog() const;
    //! Bytes held (see configure()), in flight included.
    qint64 bytesHeld() const;
    /*!
        For the sender's stats tick: whether the calls changed the counters since the last
        tick. When they did not, the next change posts a StatsEvent again; when they did, it
        posts nothing, and the sender ticks again instead (one wake-up a tick while entries
        keep coming, not two).
    */
    bool takeStatsChanged();
    void spillHandled();

    // --- waiting (any thread but the sender's) --------------------------------------------
    //! The seq the next accepted entry will get.
    quint64 nextSeq() const;
    /*!
        Waits until every entry with seq < \a seqLimit is resolved (delivered or dropped, and
        the spool empty too), or the queue stops accepting, or \a deadline passes. With
        \a until Settled, entries given up to the offline buffer count as resolved; with
        OnDisk, spooled entries do (nothing in memory is older than \a seqLimit).
    */
    enum class Until { Resolved, Settled, OnDisk };
    bool waitResolved(quint64 seqLimit, Until until,
                      std::chrono::steady_clock::time_point deadline);

    LokiStats stats() const;

private:
    //! push() after the context ring: stamps (unless \a stamped) and appends \a entry.
    quint64 appendLocked(QueueLock &lock, PendingEntry &&entry, qint64 nowNs, bool mayWait,
                         bool stamped);
    //! Ships the context ring (accepted from now on, in order) with a new id; returns it,
    //! or 0 when the ring held nothing. The overwritten entries it still held go to
    //! \a overwritten, to be freed unlocked.
    quint64 shipContextLocked(QueueLock &lock, bool mayWait, ContextRing::Chunk *overwritten);
    void wakeLocked(int eventType);
    bool dropOldestLocked();
    bool spillDueLocked() const;
    bool resolvedLocked(quint64 seqLimit, Until until) const;
    bool fullLocked(qint64 bytes) const
    {
        return heldLocked() >= m_capacity || m_bytesHeld + m_resolvingBytes + bytes > m_maxBytes;
    }
    void maybeWakeLocked();
    //! A call changed the counters: the sender hears of it (StatsEvent) unless it already has.
    void statsChangedLocked();
    //! Wakes the threads that wait (appendLocked(), waitResolved()) where they may go on now.
    void changedLocked();
    int heldLocked() const
    {
        return m_inFlight + int(m_ready.size()) + (m_resolving - m_resolvingDropped)
                + int(m_raw.size());
    }
    void returnToFrontLocked(std::vector<QueuedEntry> &entries, std::size_t from);

    // What every call writes, together: the lock, then what appendLocked() changes, so that
    // callers on two cores pass each other a few cache lines a call, not one per member.
    // The limits a call only reads start a line of their own below, which stays in both
    // cores' caches while nothing writes it.
    alignas(64) mutable QueueMutex m_mutex;
    quint64 m_nextSeq = 1;
    qint64 m_bytesHeld = 0; // see configure(); in flight included, being resolved not
    qint64 m_rawUnits = 0; // lineLength() of the unresolved entries: a cheap byte estimate
    std::deque<PendingEntry> m_raw; // as logged, oldest first
    // The last timestamp given, to an entry queued or kept in the context ring: atomic, as
    // ring calls stamp theirs under their shard's lock only (stampAfter()).
    std::atomic<qint64> m_lastTimestampNs {0};
    bool m_statsChanged = false; // a call changed the counters since takeStatsChanged()
    LokiStatsData m_stats;
    // Read by every call, set by configure() and setAccepting().
    alignas(64) int m_capacity = 1000;
    OverflowPolicy m_policy = OverflowPolicy::DropOldest;
    qint64 m_maxBytes = qint64(16) << 20;
    qint64 m_wakeBytes = 1 << 20;
    QObject *m_wakeTarget = nullptr;
    bool m_accepting = false;
    // Threads wait for two things: a caller under OverflowPolicy::Block for room, a flush or
    // exit for entries to be resolved (waitResolved()). Each has its own condition and count of
    // waiters, so that the sender's frequent changes (a slice resolved, a state set) wake no
    // caller that could not go on (changedLocked()).
    std::condition_variable_any m_room;
    std::condition_variable_any m_resolved;
    int m_roomWaiters = 0;
    int m_resolvedWaiters = 0;
    ResolvedBacklog m_ready; // resolved, oldest first
    // Entries lent to the sender: the push on the wire, and the next one it may prepare
    // meanwhile. Oldest first; they are the oldest entries held.
    struct Loan
    {
        quint64 firstSeq = 0;
        quint64 lastSeq = 0;
        int count = 0;
        qint64 bytes = 0;
    };
    //! Removes the oldest (or, with \a last, the newest) loan; returns its entry count and
    //! adds its bytes to \a bytes when given.
    int takeLoanLocked(bool last, qint64 *bytes = nullptr);
    QVarLengthArray<Loan, 2> m_loans;
    int m_inFlight = 0; // entries of all loans
    int m_resolving = 0; // entries held by the sender to be resolved
    int m_resolvingDropped = 0; // of those, dropped meanwhile (the oldest ones)
    int m_refusedInCall = 0;
    quint64 m_resolvingFirstSeq = 0;
    int m_wakeAt = 0; // armWake(): 0 for none
    int m_compactAt = 0; // armCompaction(): 0 for none
    qint64 m_resolvingBytes = 0; // of the entries held by the sender to be resolved
    bool m_statsPosted = false;
    bool m_spillPosted = false;
    int m_spillAt = 0;
    qint64 m_spillBytes = 0;
    quint64 m_settledThrough = 0;        // seqs up to here were given to the offline buffer
    // The context ring, sharded by thread (entryqueuecontext.cpp).
    //! A timestamp strictly above every one given before, and at least \a nowNs.
    qint64 stampAfter(qint64 nowNs);
    //! This thread's shard of the ring (made and registered on its first call).
    ContextShard *contextShard();
    //! Forgets the shards whose thread ended and that hold nothing.
    void forgetEmptyShardsLocked();
    const quint64 m_id; // tells the queue apart in the threads' lists of shards
    std::vector<std::shared_ptr<ContextShard>> m_contextShards; // under m_mutex
    // Under m_mutex: serves the calls of a thread whose list of shards is gone (a call
    // from a thread_local destructor).
    std::shared_ptr<ContextShard> m_sharedShard;
    int m_contextCapacity = 0; // under m_mutex
    std::atomic<bool> m_contextOpen {false}; // accepting, and a capacity above 0
    // A ring call overwrote an entry since the last stats tick.
    std::atomic<bool> m_contextStatsDirty {false};
    int m_contextTrigger = int(Level::Error);
    // The ids of its shipments: a random half per queue and a count, so that two loggers
    // (or two runs) of one application do not share an id.
    quint64 m_contextIdBase = 0;
    quint32 m_contextShipments = 0;
};

} // namespace QLoki::detail
