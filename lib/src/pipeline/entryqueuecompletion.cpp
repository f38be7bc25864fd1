// SPDX-License-Identifier: MIT
// How EntryQueue's batches in flight complete (delivered, refused, dropped, kept, spooled or
// given back), and the counters that the sender adds to its stats.
#include "pipeline/entryqueue_p.h"

namespace QLoki::detail {

void EntryQueue::completeDelivered(int count, qint64 bytes)
{
    completeRefused(count, 0, bytes, QString());
}

void EntryQueue::completeRefused(int count, int refused, qint64 bytes, const QString &error,
                                 RefusalCode code)
{
    std::lock_guard lock(m_mutex);
    qint64 held = 0;
    count = qMin(count, takeLoanLocked(false, &held));
    m_bytesHeld -= held;
    refused = qBound(0, refused, count);
    m_stats.delivered += quint64(count - refused);
    m_stats.droppedBy[int(DropReason::Rejected)] += quint64(refused);
    m_stats.rejectedBy[std::size_t(code)] += quint64(refused);
    m_stats.bytesSent += quint64(bytes);
    if (count > refused)
        ++m_stats.batchesDelivered;
    if (refused > 0) {
        ++m_stats.batchesFailed;
        m_stats.lastError = error;
    } else {
        m_stats.lastError.clear();
    }
    changedLocked();
}

void EntryQueue::completeDropped(int count, DropReason reason, const QString &error)
{
    std::lock_guard lock(m_mutex);
    qint64 held = 0;
    count = qMin(count, takeLoanLocked(false, &held));
    m_bytesHeld -= held;
    m_stats.droppedBy[int(reason)] += quint64(count);
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    changedLocked();
}

void EntryQueue::completeKept(std::vector<QueuedEntry> &&inFlight, const QString &error,
                              bool retriesExhausted)
{
    std::lock_guard lock(m_mutex);
    if (retriesExhausted && !m_loans.isEmpty())
        m_settledThrough = qMax(m_settledThrough, m_loans.last().lastSeq);
    qint64 held = 0;
    takeLoanLocked(true, &held);
    m_bytesHeld -= held; // counted again by returnToFrontLocked()
    returnToFrontLocked(inFlight, 0);
    ++m_stats.batchesFailed;
    m_stats.lastError = error;
    changedLocked();
}

void EntryQueue::completeSpooled(int count)
{
    std::lock_guard lock(m_mutex);
    qint64 held = 0;
    count = qMin(count, takeLoanLocked(false, &held));
    m_bytesHeld -= held;
    m_stats.spooled += quint64(count);
    changedLocked();
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
    changedLocked();
}

void EntryQueue::spoolDropped(int count, DropReason reason, const QString &error)
{
    std::lock_guard lock(m_mutex);
    const quint64 n = qMin(quint64(qMax(0, count)), m_stats.spooled);
    m_stats.spooled -= n;
    m_stats.droppedBy[int(reason)] += n;
    m_stats.lastError = error;
    changedLocked();
}

void EntryQueue::spoolRefused(int count, int refused, qint64 bytes, const QString &error,
                              RefusalCode code)
{
    std::lock_guard lock(m_mutex);
    const quint64 n = qMin(quint64(qMax(0, count)), m_stats.spooled);
    const quint64 r = qMin(quint64(qMax(0, refused)), n);
    m_stats.spooled -= n;
    m_stats.delivered += n - r;
    m_stats.droppedBy[int(DropReason::Rejected)] += r;
    m_stats.rejectedBy[std::size_t(code)] += r;
    m_stats.bytesSent += quint64(bytes);
    if (n > r)
        ++m_stats.batchesDelivered;
    if (r > 0) {
        ++m_stats.batchesFailed;
        m_stats.lastError = error;
    } else {
        m_stats.lastError.clear();
    }
    changedLocked();
}

void EntryQueue::noteDemoted(const QHash<QString, quint64> &byName)
{
    std::lock_guard lock(m_mutex);
    for (auto it = byName.cbegin(); it != byName.cend(); ++it)
        m_stats.demotedLabels[it.key()] += it.value();
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
    qint64 held = 0;
    takeLoanLocked(true, &held);
    m_bytesHeld -= held; // counted again by returnToFrontLocked()
    returnToFrontLocked(inFlight, 0);
}

} // namespace QLoki::detail
