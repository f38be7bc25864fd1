// SPDX-License-Identifier: MIT
#include "pipeline/entryqueue_p.h"
#include "pipeline/eventhandoff_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>

#include <utility>

namespace QLoki::detail {

void EntryQueue::configure(int capacity, qint64 maxBytes, OverflowPolicy policy, qint64 wakeBytes,
                           int spillAt)
{
    std::lock_guard lock(m_mutex);
    m_spillAt = qMax(0, spillAt);
    m_spillBytes = spillAt > 0 ? qMax<qint64>(1, maxBytes / 2) : 0;
    m_capacity = qMax(1, capacity);
    m_maxBytes = qMax<qint64>(1, maxBytes);
    m_policy = policy;
    m_wakeBytes = qMax<qint64>(1, wakeBytes);
    m_stats.capacity = m_capacity;
    m_stats.capacityBytes = m_maxBytes;
    // Smaller limits apply at once: the oldest entries over them leave as dropped.
    while (fullLocked(0) && dropOldestLocked()) { }
    changedLocked();
}

void EntryQueue::armWake(int entries)
{
    std::lock_guard lock(m_mutex);
    m_wakeAt = qMax(0, entries);
    maybeWakeLocked();
}

void EntryQueue::armCompaction(int entries)
{
    std::lock_guard lock(m_mutex);
    m_compactAt = qMax(0, entries);
    maybeWakeLocked();
}

void EntryQueue::maybeWakeLocked()
{
    if (!m_wakeTarget)
        return;
    // One event serves both: the sender re-arms what it still wants on each.
    if (m_compactAt > 0
        && (qsizetype(m_raw.size()) >= m_compactAt || 2 * m_rawUnits >= m_wakeBytes)) {
        m_compactAt = 0;
        m_wakeAt = 0;
        wakeLocked(WakeEvent);
        return;
    }
    if (m_wakeAt <= 0)
        return;
    const int waiting = heldLocked() - m_inFlight;
    if (waiting >= m_wakeAt || (m_wakeAt > 1 && m_rawUnits >= m_wakeBytes)) {
        m_wakeAt = 0;
        m_compactAt = 0;
        wakeLocked(WakeEvent);
    }
}

void EntryQueue::setWakeTarget(QObject *target)
{
    std::lock_guard lock(m_mutex);
    m_wakeTarget = target;
    m_statsPosted = false;
    m_spillPosted = false;
    // A wake-up the sender armed before it was the target fires now if it is due.
    maybeWakeLocked();
}

void EntryQueue::setAccepting(bool accepting)
{
    std::lock_guard lock(m_mutex);
    m_accepting = accepting;
    m_contextOpen.store(m_accepting && m_contextCapacity > 0, std::memory_order_release);
    changedLocked();
}

void EntryQueue::changedLocked()
{
    // A caller waits for room for an entry of some bytes: none can go on while there is no
    // room for one of none (fullLocked() grows with the bytes).
    if (m_roomWaiters > 0 && (!m_accepting || !fullLocked(0)))
        m_room.notify_all();
    if (m_resolvedWaiters > 0)
        m_resolved.notify_all();
}

void EntryQueue::wakeLocked(int eventType)
{
    // postEvent() takes ownership of the event and never calls back into us, so it is
    // safe under our lock; it is the only way to reach the sender's event loop.
    if (m_wakeTarget)
        postHandedOver(m_wakeTarget, new QEvent(QEvent::Type(eventType)));
}

bool EntryQueue::dropOldestLocked()
{
    // The oldest entry that is not carried by a push on the wire.
    if (!m_ready.empty()) {
        m_bytesHeld -= m_ready.dropFront();
    } else if (m_resolving > m_resolvingDropped) {
        // Left out when the sender puts them back; their bytes are counted exactly then.
        m_resolvingBytes -= m_resolvingBytes / (m_resolving - m_resolvingDropped);
        ++m_resolvingDropped;
    } else if (!m_raw.empty()) {
        m_rawUnits -= m_raw.front().lineLength();
        m_bytesHeld -= m_raw.front().heldBytes();
        m_raw.pop_front();
    } else {
        return false;
    }
    ++m_stats.droppedBy[int(DropReason::BufferFull)];
    return true;
}

quint64 EntryQueue::push(PendingEntry &&entry, qint64 nowNs, bool mayWait)
{
    ContextRing::Chunk overwritten; // freed after the lock is released
    std::unique_lock lock(m_mutex);
    if (!m_accepting)
        return 0;
    if (m_contextCapacity > 0 && int(entry.level) >= m_contextTrigger) {
        // The context ring goes first, so that it arrives before the entry it explains.
        entry.contextId = shipContextLocked(lock, mayWait, &overwritten);
        if (entry.contextId != 0)
            entry.contextRole = PendingEntry::ContextRole::Trigger;
        if (!m_accepting)
            return 0;
    }
    return appendLocked(lock, std::move(entry), nowNs, mayWait, false);
}

quint64 EntryQueue::appendLocked(QueueLock &lock, PendingEntry &&entry, qint64 nowNs, bool mayWait,
                                 bool stamped)
{
    const qint64 bytes = entry.heldBytes();
    if (fullLocked(bytes)) {
        // An entry larger than the whole bound can never be held.
        const bool fits = bytes <= m_maxBytes;
        OverflowPolicy policy = fits ? m_policy : OverflowPolicy::DropNewest;
        if (policy == OverflowPolicy::Block && !mayWait)
            policy = OverflowPolicy::DropNewest;
        switch (policy) {
        case OverflowPolicy::Block:
            ++m_roomWaiters;
            m_room.wait(lock, [&] { return !m_accepting || !fullLocked(bytes); });
            --m_roomWaiters;
            if (!m_accepting)
                return 0;
            break;
        case OverflowPolicy::DropOldest:
            while (fullLocked(bytes) && dropOldestLocked()) { }
            if (!fullLocked(bytes))
                break;
            // Everything held is on the wire: the new entry is the one that cannot stay.
            Q_FALLTHROUGH();
        case OverflowPolicy::DropNewest:
            ++m_stats.accepted;
            ++m_stats.droppedBy[int(DropReason::BufferFull)];
            statsChangedLocked();
            return m_nextSeq++;
        }
    }

    // Strictly increasing timestamps keep two real entries with the same line apart
    // under Loki's (stream, timestamp, line) deduplication. An entry of the context ring
    // keeps the one it was stamped with when kept (from the same sequence).
    if (!stamped)
        entry.timestampNs = stampAfter(nowNs);
    const quint64 seq = m_nextSeq++;
    entry.seq = seq;
    m_rawUnits += entry.lineLength();
    m_bytesHeld += bytes;
    m_raw.push_back(std::move(entry));
    ++m_stats.accepted;

    maybeWakeLocked();
    if (m_spillAt > 0 && !m_spillPosted
        && (spillDueLocked() || m_bytesHeld + m_resolvingBytes >= m_spillBytes)) {
        m_spillPosted = true;
        wakeLocked(SpillEvent);
    }
    statsChangedLocked();
    return seq;
}

void EntryQueue::refuseInCall(DropReason reason, Level level)
{
    ContextRing::Chunk overwritten; // freed after the lock is released
    std::unique_lock lock(m_mutex);
    if (!m_accepting)
        return;
    // A refused entry at the trigger level still says that something went wrong: the
    // context ring goes (the refused entry cannot carry its id).
    if (m_contextCapacity > 0 && int(level) >= m_contextTrigger) {
        shipContextLocked(lock, false, &overwritten);
        if (!m_accepting)
            return;
    }
    ++m_nextSeq;
    ++m_stats.accepted;
    ++m_stats.droppedBy[int(reason)];
    ++m_refusedInCall;
    statsChangedLocked();
}

std::vector<PendingEntry> EntryQueue::takeUnresolved(int maxEntries)
{
    std::vector<PendingEntry> out;
    std::lock_guard lock(m_mutex);
    Q_ASSERT(m_resolving == 0);
    const int most = qMin(maxEntries, int(m_raw.size()));
    if (most <= 0)
        return out;
    out.reserve(std::size_t(most));
    m_resolvingFirstSeq = m_raw.front().seq;
    // The entries taken stay in memory until putResolved(), also those DropOldest counts
    // out meanwhile to make room for new ones: a slice of a sixteenth of the byte bound
    // keeps what is held beyond the bound that small (the first entry goes whatever its
    // size, so that every entry is resolved).
    const qint64 sliceBytes = qMax<qint64>(1, m_maxBytes / 16);
    qint64 bytes = 0;
    int n = 0;
    while (n < most && (n == 0 || bytes + m_raw.front().heldBytes() <= sliceBytes)) {
        m_rawUnits -= m_raw.front().lineLength();
        bytes += m_raw.front().heldBytes();
        out.push_back(std::move(m_raw.front()));
        m_raw.pop_front();
        ++n;
    }
    m_bytesHeld -= bytes;
    m_resolvingBytes = bytes;
    m_resolving = n;
    m_resolvingDropped = 0;
    return out;
}

void EntryQueue::putResolved(std::vector<QueuedEntry> &&entries, quint64 redacted)
{
    std::lock_guard lock(m_mutex);
    m_stats.redacted += redacted;
    const std::size_t skip =
            std::size_t(qMin<qsizetype>(m_resolvingDropped, qsizetype(entries.size())));
    for (std::size_t i = skip; i < entries.size(); ++i) {
        m_bytesHeld += entries[i].heldBytes();
        m_ready.pushBack(std::move(entries[i]));
    }
    m_resolving = 0;
    m_resolvingDropped = 0;
    m_resolvingBytes = 0;
    // Resolved entries are smaller than their callers' form: room for blocked callers.
    changedLocked();
}

int EntryQueue::resolvedCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_ready.size());
}

int EntryQueue::unresolvedCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_raw.size());
}

int EntryQueue::takeFront(int maxEntries, std::vector<QueuedEntry> *out)
{
    out->clear();
    std::lock_guard lock(m_mutex);
    const int n = qMin(maxEntries, int(m_ready.size()));
    if (n <= 0)
        return 0;
    out->reserve(std::size_t(n));
    qint64 bytes = 0;
    for (int i = 0; i < n; ++i) {
        out->push_back(m_ready.takeFront());
        bytes += out->back().heldBytes();
    }
    m_loans.append(Loan {out->front().seq, out->back().seq, n, bytes});
    m_inFlight += n;
    m_stats.inFlightBatches = 1;
    return n;
}

bool EntryQueue::spillDueLocked() const
{
    // spillAt of the whole buffer, scaled to the room the batches in flight leave: while a
    // push waits for its answer, entries must reach the disk before that room runs out.
    const qint64 room = qMax(0, m_capacity - m_inFlight);
    const qint64 due = qMax<qint64>(1, qint64(m_spillAt) * room / m_capacity);
    return heldLocked() - m_inFlight >= due;
}

int EntryQueue::takeLoanLocked(bool last, qint64 *bytes)
{
    if (m_loans.isEmpty())
        return 0;
    const Loan loan = last ? m_loans.last() : m_loans.first();
    if (last)
        m_loans.removeLast();
    else
        m_loans.remove(0);
    m_inFlight -= loan.count;
    if (bytes)
        *bytes += loan.bytes;
    m_stats.inFlightBatches = m_inFlight > 0 ? 1 : 0;
    return loan.count;
}

void EntryQueue::returnToFrontLocked(std::vector<QueuedEntry> &entries, std::size_t from)
{
    for (std::size_t i = entries.size(); i > from; --i) {
        m_bytesHeld += entries[i - 1].heldBytes();
        m_ready.pushFront(std::move(entries[i - 1]));
    }
    entries.resize(from);
}

void EntryQueue::keepInFlight(std::vector<QueuedEntry> *inFlight, int count)
{
    std::lock_guard lock(m_mutex);
    if (m_loans.isEmpty())
        return;
    Loan &loan = m_loans.last();
    count = qBound(0, count, qMin(loan.count, int(inFlight->size())));
    qint64 returned = 0;
    for (std::size_t i = std::size_t(count); i < inFlight->size(); ++i)
        returned += (*inFlight)[i].heldBytes();
    m_bytesHeld -= returned; // counted again by returnToFrontLocked()
    loan.bytes -= returned;
    returnToFrontLocked(*inFlight, std::size_t(count));
    m_inFlight -= loan.count - count;
    loan.count = count;
    if (count > 0)
        loan.lastSeq = inFlight->back().seq;
    else
        m_loans.removeLast();
    m_stats.inFlightBatches = m_inFlight > 0 ? 1 : 0;
}

void EntryQueue::requestFlush()
{
    std::lock_guard lock(m_mutex);
    wakeLocked(FlushEvent);
}

int EntryQueue::dropAll(DropReason reason)
{
    std::lock_guard lock(m_mutex);
    const int n = heldLocked() - m_inFlight;
    m_ready.clear();
    m_raw.clear();
    m_rawUnits = 0;
    m_resolvingDropped = m_resolving;
    m_resolvingBytes = 0;
    m_bytesHeld = 0;
    for (const Loan &loan : std::as_const(m_loans))
        m_bytesHeld += loan.bytes;
    m_stats.droppedBy[int(reason)] += quint64(n);
    // The context ring was never accepted: it goes uncounted, as it would have without
    // a trigger.
    for (const std::shared_ptr<ContextShard> &shard : m_contextShards) {
        std::lock_guard shardLock(shard->mutex);
        shard->ring.clear();
    }
    changedLocked();
    return n;
}

void EntryQueue::noteRetry()
{
    std::lock_guard lock(m_mutex);
    ++m_stats.retries;
}

void EntryQueue::setState(State state, const QDateTime &nextRetry)
{
    std::lock_guard lock(m_mutex);
    m_stats.state = state;
    m_stats.nextRetry = nextRetry;
    changedLocked();
}

int EntryQueue::queuedCount() const
{
    std::lock_guard lock(m_mutex);
    return heldLocked() - m_inFlight;
}

EntryQueue::Backlog EntryQueue::backlog() const
{
    std::lock_guard lock(m_mutex);
    qint64 inFlight = 0;
    for (const Loan &loan : std::as_const(m_loans))
        inFlight += loan.bytes;
    return Backlog {heldLocked() - m_inFlight, m_bytesHeld + m_resolvingBytes - inFlight};
}

int EntryQueue::takeRefusedInCall()
{
    std::lock_guard lock(m_mutex);
    return std::exchange(m_refusedInCall, 0);
}

qint64 EntryQueue::bytesHeld() const
{
    std::lock_guard lock(m_mutex);
    return m_bytesHeld + m_resolvingBytes;
}

void EntryQueue::spillHandled()
{
    std::lock_guard lock(m_mutex);
    m_spillPosted = false;
}

void EntryQueue::statsChangedLocked()
{
    m_statsChanged = true;
    if (!m_statsPosted) {
        m_statsPosted = true;
        wakeLocked(StatsEvent);
    }
}

bool EntryQueue::takeStatsChanged()
{
    std::lock_guard lock(m_mutex);
    const bool ringChanged = m_contextStatsDirty.exchange(false, std::memory_order_relaxed);
    const bool changed = m_statsChanged || ringChanged;
    m_statsChanged = false;
    // Quiet since the last time: the next change posts a StatsEvent again. Else the sender
    // looks again in its next tick, and the calls meanwhile post nothing.
    if (!changed)
        m_statsPosted = false;
    return changed;
}

quint64 EntryQueue::nextSeq() const
{
    std::lock_guard lock(m_mutex);
    return m_nextSeq;
}

bool EntryQueue::resolvedLocked(quint64 seqLimit, Until until) const
{
    // Entries are held in seq order (in flight, resolved, being resolved, unresolved), so
    // the oldest one held tells whether older ones remain.
    bool queueDone = true;
    if (!m_loans.isEmpty())
        queueDone = m_loans.first().firstSeq >= seqLimit;
    else if (!m_ready.empty())
        queueDone = m_ready.frontSeq() >= seqLimit;
    else if (m_resolving > m_resolvingDropped)
        queueDone = m_resolvingFirstSeq >= seqLimit;
    else if (!m_raw.empty())
        queueDone = m_raw.front().seq >= seqLimit;
    switch (until) {
    case Until::Settled: // in the offline buffer counts as settled
        return queueDone || m_settledThrough + 1 >= seqLimit;
    case Until::OnDisk: // spooled entries are as safe as an exit can make them
        return queueDone;
    case Until::Resolved:
        break;
    }
    // Spooled entries carry no seq: a flush waits until the spool is empty too.
    return queueDone && m_stats.spooled == 0;
}

bool EntryQueue::waitResolved(quint64 seqLimit, Until until,
                              std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    ++m_resolvedWaiters;
    m_resolved.wait_until(lock, deadline,
                          [&] { return resolvedLocked(seqLimit, until) || !m_accepting; });
    --m_resolvedWaiters;
    return resolvedLocked(seqLimit, until);
}

LokiStats EntryQueue::stats() const
{
    std::lock_guard lock(m_mutex);
    LokiStatsData s = m_stats;
    for (const std::shared_ptr<ContextShard> &shard : m_contextShards)
        s.contextOverwritten += shard->overwritten.load(std::memory_order_relaxed);
    s.pending = quint64(heldLocked()) + m_stats.spooled;
    s.buffered = quint64(heldLocked() - m_inFlight) + m_stats.spooled;
    s.bytesHeld = m_bytesHeld + m_resolvingBytes;
    return LokiStatsPrivate::create(std::move(s));
}

} // namespace QLoki::detail
