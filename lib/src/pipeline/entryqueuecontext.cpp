// SPDX-License-Identifier: MIT
// The context ring of EntryQueue (LokiConfig::contextEntries()): entries below the minimum
// level wait there, unaccepted, until an entry at the trigger level ships them.
#include "pipeline/entryqueue_p.h"

namespace QLoki::detail {

void EntryQueue::configureContext(int entries, Level trigger)
{
    std::lock_guard lock(m_mutex);
    m_contextTrigger = int(trigger);
    m_stats.contextOverwritten += quint64(m_context.setCapacity(entries));
}

void EntryQueue::keepForContext(PendingEntry &&entry, qint64 nowNs, bool lineRefused)
{
    // What the ring overwrites goes to the sender to be freed, or is freed here after the
    // lock is released.
    ContextRing::Slot overwritten;
    std::lock_guard lock(m_mutex);
    if (!m_accepting || m_context.capacity() == 0)
        return;
    // Stamped from the queue's own sequence: strictly increasing across ring and queue, so
    // that a shipped entry never shares a timestamp with another entry of its stream.
    entry.timestampNs = qMax(nowNs, m_lastTimestampNs + 1);
    m_lastTimestampNs = entry.timestampNs;
    if (m_context.keep(std::move(entry), lineRefused, &overwritten)) {
        ++m_stats.contextOverwritten;
        // The entry was made by any thread: freeing it costs a call what a queued call
        // never pays (the sender frees those), so the sender frees it too.
        if (m_wakeTarget && m_contextSpent.size() < ContextSpentMax) {
            m_contextSpent.push_back(std::move(overwritten));
            if (m_contextSpent.size() >= ContextSpentWake && !m_contextSpentPosted) {
                m_contextSpentPosted = true;
                wakeLocked(ContextSpentEvent);
            }
        }
        if (!m_statsPosted) {
            m_statsPosted = true;
            wakeLocked(StatsEvent);
        }
    }
}

void EntryQueue::takeContextSpent(std::vector<ContextRing::Slot> *spare)
{
    spare->clear();
    spare->reserve(ContextSpentMax); // so that the calls never grow it under the lock
    std::lock_guard lock(m_mutex);
    m_contextSpent.swap(*spare);
    m_contextSpentPosted = false;
}

quint64 EntryQueue::shipContextLocked(std::unique_lock<std::mutex> &lock, bool mayWait)
{
    const quint64 id = m_contextIdBase | ++m_contextShipments;
    // Taken out whole first: under OverflowPolicy::Block appending may wait, unlocked, and
    // other callers keep filling the ring meanwhile for the next trigger.
    std::vector<ContextRing::Slot> ring = m_context.takeAll();
    for (ContextRing::Slot &slot : ring) {
        if (!m_accepting)
            break; // stopped meanwhile: the rest was never accepted
        if (slot.lineRefused) {
            // Refused in its call (LineLimitPolicy::Reject), counted now that it is accepted.
            ++m_nextSeq;
            ++m_stats.accepted;
            ++m_stats.droppedBy[int(DropReason::Invalid)];
            ++m_refusedInCall;
            ++m_stats.contextShipped;
            continue;
        }
        slot.entry.contextRole = PendingEntry::ContextRole::Context;
        slot.entry.contextId = id;
        // 0: the queue stopped while this waited for room (Block); it was never accepted.
        if (appendLocked(lock, std::move(slot.entry), 0, mayWait, true) != 0)
            ++m_stats.contextShipped;
    }
    if (!m_statsPosted) {
        m_statsPosted = true;
        wakeLocked(StatsEvent);
    }
    return id;
}

} // namespace QLoki::detail
