// SPDX-License-Identifier: MIT
#include "pipeline/entryqueue_p.h"
#include "pipeline/eventhandoff_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>

namespace QLoki::detail {

EntryQueue::EntryQueue() = default;

void EntryQueue::configure(int capacity, OverflowPolicy policy, int wakeEntries, qint64 wakeBytes,
                           int spillAt)
{
    std::lock_guard lock(m_mutex);
    m_spillAt = qMax(0, spillAt);
    m_capacity = qMax(1, capacity);
    m_policy = policy;
    // A batch is at most half the buffer (SenderWorker::batchCap()): a full one is waiting
    // then, and more may never come while a batch is in flight.
    m_wakeEntries = qBound(1, wakeEntries, qMax(1, m_capacity / 2));
    m_wakeBytes = qMax<qint64>(1, wakeBytes);
    m_stats.capacity = m_capacity;
    // A smaller capacity applies at once: the oldest entries over it leave as dropped.
    while (heldLocked() > m_capacity && dropOldestLocked()) { }
    m_changed.notify_all();
}

void EntryQueue::setWakeTarget(QObject *target)
{
    std::lock_guard lock(m_mutex);
    m_wakeTarget = target;
    m_wakePosted = false;
    m_statsPosted = false;
    m_spillPosted = false;
}

void EntryQueue::setAccepting(bool accepting)
{
    std::lock_guard lock(m_mutex);
    m_accepting = accepting;
    m_changed.notify_all();
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
    // The oldest entry that is not carried by the push on the wire.
    if (!m_ready.empty()) {
        m_ready.pop_front();
    } else if (m_resolving > m_resolvingDropped) {
        ++m_resolvingDropped; // left out when the sender puts them back
    } else if (!m_raw.empty()) {
        m_rawUnits -= m_raw.front().line.size();
        m_raw.pop_front();
    } else {
        return false;
    }
    ++m_stats.droppedBy[int(DropReason::BufferFull)];
    return true;
}

quint64 EntryQueue::push(PendingEntry &&entry, qint64 nowNs)
{
    std::unique_lock lock(m_mutex);
    if (!m_accepting)
        return 0;
    if (heldLocked() >= m_capacity) {
        switch (m_policy) {
        case OverflowPolicy::Block:
            m_changed.wait(lock, [this] { return !m_accepting || heldLocked() < m_capacity; });
            if (!m_accepting)
                return 0;
            break;
        case OverflowPolicy::DropOldest:
            if (dropOldestLocked())
                break;
            // Everything held is on the wire: the new entry is the one that cannot stay.
            Q_FALLTHROUGH();
        case OverflowPolicy::DropNewest:
            ++m_stats.accepted;
            ++m_stats.droppedBy[int(DropReason::BufferFull)];
            if (!m_statsPosted) {
                m_statsPosted = true;
                wakeLocked(StatsEvent);
            }
            return m_nextSeq++;
        }
    }

    // Strictly increasing timestamps keep two real entries with the same line apart
    // under Loki's (stream, timestamp, line) deduplication.
    entry.timestampNs = qMax(nowNs, m_lastTimestampNs + 1);
    m_lastTimestampNs = entry.timestampNs;
    const quint64 seq = m_nextSeq++;
    entry.seq = seq;
    m_rawUnits += entry.line.size();
    m_raw.push_back(std::move(entry));
    ++m_stats.accepted;

    // Entries waiting count whether the sender resolved them already or not: it resolves
    // ahead while a push is on the wire, and those must not keep the threshold out of reach.
    if (!m_wakePosted
        && (heldLocked() - m_inFlight >= m_wakeEntries || m_rawUnits >= m_wakeBytes)) {
        m_wakePosted = true;
        wakeLocked(WakeEvent);
    }
    if (m_spillAt > 0 && !m_spillPosted && heldLocked() >= m_spillAt) {
        m_spillPosted = true;
        wakeLocked(SpillEvent);
    }
    if (!m_statsPosted) {
        m_statsPosted = true;
        wakeLocked(StatsEvent);
    }
    return seq;
}

std::vector<PendingEntry> EntryQueue::takeUnresolved(int maxEntries)
{
    std::vector<PendingEntry> out;
    std::lock_guard lock(m_mutex);
    Q_ASSERT(m_resolving == 0);
    const int n = qMin(maxEntries, int(m_raw.size()));
    if (n <= 0)
        return out;
    out.reserve(std::size_t(n));
    m_resolvingFirstSeq = m_raw.front().seq;
    for (int i = 0; i < n; ++i) {
        m_rawUnits -= m_raw.front().line.size();
        out.push_back(std::move(m_raw.front()));
        m_raw.pop_front();
    }
    m_resolving = n;
    m_resolvingDropped = 0;
    return out;
}

void EntryQueue::putResolved(std::vector<QueuedEntry> &&entries)
{
    std::lock_guard lock(m_mutex);
    const std::size_t skip =
            std::size_t(qMin<qsizetype>(m_resolvingDropped, qsizetype(entries.size())));
    for (std::size_t i = skip; i < entries.size(); ++i)
        m_ready.push_back(std::move(entries[i]));
    m_resolving = 0;
    m_resolvingDropped = 0;
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
    for (int i = 0; i < n; ++i) {
        out->push_back(std::move(m_ready.front()));
        m_ready.pop_front();
    }
    m_loans.append(Loan {out->front().seq, out->back().seq, n});
    m_inFlight += n;
    m_stats.inFlightBatches = 1;
    return n;
}

int EntryQueue::takeLoanLocked(bool last)
{
    if (m_loans.isEmpty())
        return 0;
    const int n = last ? m_loans.last().count : m_loans.first().count;
    if (last)
        m_loans.removeLast();
    else
        m_loans.remove(0);
    m_inFlight -= n;
    m_stats.inFlightBatches = m_inFlight > 0 ? 1 : 0;
    return n;
}

void EntryQueue::returnToFrontLocked(std::vector<QueuedEntry> &entries, std::size_t from)
{
    for (std::size_t i = entries.size(); i > from; --i)
        m_ready.push_front(std::move(entries[i - 1]));
    entries.resize(from);
}

void EntryQueue::keepInFlight(std::vector<QueuedEntry> *inFlight, int count)
{
    std::lock_guard lock(m_mutex);
    if (m_loans.isEmpty())
        return;
    Loan &loan = m_loans.last();
    count = qBound(0, count, qMin(loan.count, int(inFlight->size())));
    returnToFrontLocked(*inFlight, std::size_t(count));
    m_inFlight -= loan.count - count;
    loan.count = count;
    if (count > 0)
        loan.lastSeq = inFlight->back().seq;
    else
        m_loans.removeLast();
    m_stats.inFlightBatches = m_inFlight > 0 ? 1 : 0;
}

void EntryQueue::completeDelivered(int count, qint64 bytes, int invalid)
{
    std::lock_guard lock(m_mutex);
    count = qMin(count, takeLoanLocked(false));
    invalid = qBound(0, invalid, count);
    m_stats.delivered += quint64(count - invalid);
    m_stats.droppedBy[int(DropReason::Invalid)] += quint64(invalid);
    m_stats.bytesSent += quint64(bytes);
    if (count > invalid)
        ++m_stats.batchesDelivered;
    m_stats.lastError.clear();
    m_changed.notify_all();
}

void EntryQueue::completeDropped(int count, DropReason reason, const QString &error, int invalid)
{
    std::lock_guard lock(m_mutex);
    count = qMin(count, takeLoanLocked(false));
    invalid = qBound(0, invalid, count);
    m_stats.droppedBy[int(reason)] += quint64(count - invalid);
    m_stats.droppedBy[int(DropReason::Invalid)] += quint64(invalid);
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    m_changed.notify_all();
}

void EntryQueue::completeKept(std::vector<QueuedEntry> &&inFlight, const QString &error,
                              bool retriesExhausted)
{
    std::lock_guard lock(m_mutex);
    if (retriesExhausted && !m_loans.isEmpty())
        m_settledThrough = qMax(m_settledThrough, m_loans.last().lastSeq);
    takeLoanLocked(true);
    returnToFrontLocked(inFlight, 0);
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    m_changed.notify_all();
}

void EntryQueue::completeSpooled(int count, int invalid)
{
    std::lock_guard lock(m_mutex);
    count = qMin(count, takeLoanLocked(false));
    invalid = qBound(0, invalid, count);
    m_stats.spooled += quint64(count - invalid);
    m_stats.droppedBy[int(DropReason::Invalid)] += quint64(invalid);
    m_changed.notify_all();
}

void EntryQueue::spoolDelivered(int count, qint64 bytes)
{
    std::lock_guard lock(m_mutex);
    const quint64 n = qMin(quint64(qMax(0, count)), m_stats.spooled);
    m_stats.spooled -= n;
    m_stats.delivered += n;
    m_stats.bytesSent += quint64(bytes);
    ++m_stats.batchesDelivered;
    m_stats.lastError.clear();
    m_changed.notify_all();
}

void EntryQueue::spoolDropped(int count, DropReason reason, const QString &error)
{
    std::lock_guard lock(m_mutex);
    const quint64 n = qMin(quint64(qMax(0, count)), m_stats.spooled);
    m_stats.spooled -= n;
    m_stats.droppedBy[int(reason)] += n;
    m_stats.lastError = error;
    m_changed.notify_all();
}

void EntryQueue::spoolReplayed(int count)
{
    std::lock_guard lock(m_mutex);
    m_stats.accepted += quint64(count);
    m_stats.replayed += quint64(count);
    m_stats.spooled += quint64(count);
}

void EntryQueue::noteError(const QString &error)
{
    std::lock_guard lock(m_mutex);
    m_stats.lastError = error;
}

void EntryQueue::releaseInFlight(std::vector<QueuedEntry> &&inFlight)
{
    std::lock_guard lock(m_mutex);
    takeLoanLocked(true);
    returnToFrontLocked(inFlight, 0);
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
    m_stats.droppedBy[int(reason)] += quint64(n);
    m_changed.notify_all();
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
    m_changed.notify_all();
}

int EntryQueue::queuedCount() const
{
    std::lock_guard lock(m_mutex);
    return heldLocked() - m_inFlight;
}

void EntryQueue::wakeHandled()
{
    std::lock_guard lock(m_mutex);
    m_wakePosted = false;
}

void EntryQueue::spillHandled()
{
    std::lock_guard lock(m_mutex);
    m_spillPosted = false;
}

void EntryQueue::statsHandled()
{
    std::lock_guard lock(m_mutex);
    m_statsPosted = false;
}

quint64 EntryQueue::nextSeq() const
{
    std::lock_guard lock(m_mutex);
    return m_nextSeq;
}

bool EntryQueue::resolvedLocked(quint64 seqLimit, bool untilSettled) const
{
    // Entries are held in seq order (in flight, resolved, being resolved, unresolved), so
    // the oldest one held tells whether older ones remain.
    bool queueDone = true;
    if (!m_loans.isEmpty())
        queueDone = m_loans.first().firstSeq >= seqLimit;
    else if (!m_ready.empty())
        queueDone = m_ready.front().seq >= seqLimit;
    else if (m_resolving > m_resolvingDropped)
        queueDone = m_resolvingFirstSeq >= seqLimit;
    else if (!m_raw.empty())
        queueDone = m_raw.front().seq >= seqLimit;
    if (untilSettled) // on disk or in the offline buffer counts as settled
        return queueDone || m_settledThrough + 1 >= seqLimit;
    // Spooled entries carry no seq: a flush waits until the spool is empty too.
    return queueDone && m_stats.spooled == 0;
}

bool EntryQueue::waitResolved(quint64 seqLimit, bool untilSettled,
                              std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock lock(m_mutex);
    m_changed.wait_until(lock, deadline, [&] {
        return resolvedLocked(seqLimit, untilSettled) || !m_accepting;
    });
    return resolvedLocked(seqLimit, untilSettled);
}

LokiStats EntryQueue::stats() const
{
    std::lock_guard lock(m_mutex);
    LokiStatsData s = m_stats;
    s.pending = quint64(heldLocked()) + m_stats.spooled;
    s.buffered = quint64(heldLocked() - m_inFlight) + m_stats.spooled;
    return LokiStatsPrivate::create(std::move(s));
}

} // namespace QLoki::detail
