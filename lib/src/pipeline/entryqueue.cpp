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
    m_wakeEntries = qMax(1, wakeEntries);
    m_wakeBytes = qMax<qint64>(1, wakeBytes);
    m_stats.capacity = m_capacity;
    // A smaller capacity applies at once: the oldest entries over it leave as dropped.
    while (int(m_entries.size()) > m_capacity && int(m_entries.size()) > m_inFlight)
        dropFrontQueuedLocked();
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
    if (m_wakeTarget) {
        auto *event = new QEvent(QEvent::Type(eventType));
        QLOKI_EVENT_POSTED(m_wakeTarget);
        QCoreApplication::postEvent(m_wakeTarget, event);
    }
}

void EntryQueue::dropFrontQueuedLocked()
{
    // The oldest entry that is not carried by the push on the wire.
    const auto it = m_entries.begin() + m_inFlight;
    m_queuedUnits -= it->line.size();
    m_entries.erase(it);
    ++m_stats.droppedBy[int(DropReason::BufferFull)];
}

quint64 EntryQueue::push(PendingEntry &&entry, qint64 nowNs)
{
    std::unique_lock lock(m_mutex);
    if (!m_accepting)
        return 0;
    if (int(m_entries.size()) >= m_capacity) {
        switch (m_policy) {
        case OverflowPolicy::Block:
            m_changed.wait(lock, [this] {
                return !m_accepting || int(m_entries.size()) < m_capacity;
            });
            if (!m_accepting)
                return 0;
            break;
        case OverflowPolicy::DropOldest:
            if (int(m_entries.size()) > m_inFlight) {
                dropFrontQueuedLocked();
                break;
            }
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
    entry.seq = m_nextSeq++;
    m_queuedUnits += entry.line.size();
    m_entries.push_back(std::move(entry));
    ++m_stats.accepted;

    const int queued = int(m_entries.size()) - m_inFlight;
    if (!m_wakePosted && (queued >= m_wakeEntries || m_queuedUnits >= m_wakeBytes)) {
        m_wakePosted = true;
        wakeLocked(WakeEvent);
    }
    if (m_spillAt > 0 && !m_spillPosted && int(m_entries.size()) >= m_spillAt) {
        m_spillPosted = true;
        wakeLocked(SpillEvent);
    }
    if (!m_statsPosted) {
        m_statsPosted = true;
        wakeLocked(StatsEvent);
    }
    return m_entries.back().seq;
}

QList<PendingEntry> EntryQueue::takeFront(int maxEntries)
{
    std::lock_guard lock(m_mutex);
    Q_ASSERT(m_inFlight == 0);
    const int n = qMin(maxEntries, int(m_entries.size()));
    QList<PendingEntry> batch;
    batch.reserve(n);
    for (int i = 0; i < n; ++i)
        batch.append(m_entries[i]);
    m_inFlight = n;
    m_stats.inFlightBatches = n > 0 ? 1 : 0;
    return batch;
}

void EntryQueue::keepInFlight(int count)
{
    std::lock_guard lock(m_mutex);
    m_inFlight = qBound(0, count, m_inFlight);
    m_stats.inFlightBatches = m_inFlight > 0 ? 1 : 0;
}

void EntryQueue::completeDelivered(int count, qint64 bytes, int invalid)
{
    std::lock_guard lock(m_mutex);
    count = qMin(count, m_inFlight);
    for (int i = 0; i < count; ++i) {
        m_queuedUnits -= m_entries.front().line.size();
        m_entries.pop_front();
    }
    m_inFlight = 0;
    m_stats.inFlightBatches = 0;
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
    count = qMin(count, m_inFlight);
    for (int i = 0; i < count; ++i) {
        m_queuedUnits -= m_entries.front().line.size();
        m_entries.pop_front();
    }
    m_inFlight = 0;
    m_stats.inFlightBatches = 0;
    invalid = qBound(0, invalid, count);
    m_stats.droppedBy[int(reason)] += quint64(count - invalid);
    m_stats.droppedBy[int(DropReason::Invalid)] += quint64(invalid);
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    m_changed.notify_all();
}

void EntryQueue::completeKept(const QString &error, bool retriesExhausted)
{
    std::lock_guard lock(m_mutex);
    if (retriesExhausted && m_inFlight > 0)
        m_settledThrough = qMax(m_settledThrough, m_entries[m_inFlight - 1].seq);
    m_inFlight = 0;
    m_stats.inFlightBatches = 0;
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    m_changed.notify_all();
}

void EntryQueue::completeSpooled(int count, int invalid)
{
    std::lock_guard lock(m_mutex);
    count = qMin(count, m_inFlight);
    invalid = qBound(0, invalid, count);
    for (int i = 0; i < count; ++i) {
        m_queuedUnits -= m_entries.front().line.size();
        m_entries.pop_front();
    }
    m_inFlight = 0;
    m_stats.inFlightBatches = 0;
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

void EntryQueue::releaseInFlight()
{
    std::lock_guard lock(m_mutex);
    m_inFlight = 0;
    m_stats.inFlightBatches = 0;
}

void EntryQueue::requestFlush()
{
    std::lock_guard lock(m_mutex);
    wakeLocked(FlushEvent);
}

int EntryQueue::dropAll(DropReason reason)
{
    std::lock_guard lock(m_mutex);
    const int n = int(m_entries.size()) - m_inFlight;
    m_entries.erase(m_entries.begin() + m_inFlight, m_entries.end());
    m_queuedUnits = 0;
    for (const PendingEntry &e : m_entries)
        m_queuedUnits += e.line.size();
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
    return int(m_entries.size()) - m_inFlight;
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
    // Entries are kept in seq order, so the front tells whether older ones remain.
    const bool queueDone = m_entries.empty() || m_entries.front().seq >= seqLimit;
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
    LokiStats s = m_stats;
    s.pending = quint64(m_entries.size()) + m_stats.spooled;
    s.buffered = quint64(m_entries.size() - m_inFlight) + m_stats.spooled;
    return s;
}

} // namespace QLoki::detail
