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
    // The entries the ring lets go (a chunk every chunkSize() calls once it is full) are
    // freed here, after the lock is released, by a thread that makes such entries: what
    // they held goes back to its allocator caches, where its next calls find it. (Freeing
    // them on the sender thread made the calls contend with it for the allocator's lock.)
    // The vector they come in keeps its room per thread, so a call allocates nothing
    // under the lock.
    static thread_local ContextRing::Chunk room;
    ContextRing::Chunk letGo;
    letGo.swap(room);
    {
        std::lock_guard lock(m_mutex);
        if (m_accepting && m_context.capacity() > 0) {
            // Stamped from the queue's own sequence: strictly increasing across ring and
            // queue, so that a shipped entry never shares a timestamp with another entry of
            // its stream.
            entry.timestampNs = qMax(nowNs, m_lastTimestampNs + 1);
            m_lastTimestampNs = entry.timestampNs;
            if (m_context.keep(std::move(entry), lineRefused, &letGo)) {
                ++m_stats.contextOverwritten;
                if (!m_statsPosted) {
                    m_statsPosted = true;
                    wakeLocked(StatsEvent);
                }
            }
        }
    }
    // Their field blocks are filled again by this thread's next calls.
    for (ContextRing::Slot &slot : letGo)
        PackedFields::recycle(std::move(slot.entry.packed.bytes));
    letGo.clear();
    room.swap(letGo); // a call made while these were freed may have left its own: freed here
}

quint64 EntryQueue::shipContextLocked(std::unique_lock<std::mutex> &lock, bool mayWait,
                                      ContextRing::Chunk *overwritten)
{
    const quint64 id = m_contextIdBase | ++m_contextShipments;
    // Taken out whole first: under OverflowPolicy::Block appending may wait, unlocked, and
    // other callers keep filling the ring meanwhile for the next trigger.
    // The overwritten entries still in memory (fewer than a chunk) are freed by the
    // trigger's call, after the lock is released.
    std::vector<ContextRing::Slot> ring = m_context.takeAll(overwritten);
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
