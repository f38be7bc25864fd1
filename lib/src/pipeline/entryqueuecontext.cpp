// SPDX-License-Identifier: MIT
// The context ring of EntryQueue (LokiConfig::contextEntries()): entries below the minimum
// level wait there, unaccepted, until an entry at the trigger level ships them. The ring is
// sharded by thread (ContextShard), so that callers on several threads do not meet at the
// queue's lock; a trigger merges the shards by timestamp.
#include "pipeline/entryqueue_p.h"
#include "pipeline/threadlocal_p.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <iterator>

namespace QLoki::detail {

namespace {

// The shards this thread keeps entries in, one per queue it logged below the minimum level
// to. Each is shared with its queue, so that whichever of the two ends first leaves the
// other a valid shard.
struct ThreadShards
{
    struct Item
    {
        quint64 queueId = 0;
        std::shared_ptr<ContextShard> shard;
    };
    std::vector<Item> items;
    // The room of the entries a shard lets go (see keepForContext()), kept for the next.
    ContextRing::Chunk room;
    ThreadShards() = default;
    ThreadShards(const ThreadShards &) = delete;
    ThreadShards &operator=(const ThreadShards &) = delete;
    ~ThreadShards()
    {
        for (const Item &item : items)
            item.shard->threadGone.store(true, std::memory_order_release);
    }
};
// nullptr for a call from another thread_local's destructor once the thread's list is gone.
using LocalShards = PerThread<ThreadShards>;

std::atomic<quint64> g_nextQueueId {1};

} // namespace

EntryQueue::EntryQueue()
    : m_id(g_nextQueueId.fetch_add(1, std::memory_order_relaxed))
    , m_contextIdBase(quint64(QRandomGenerator::system()->generate()) << 32)
{ }

EntryQueue::~EntryQueue()
{
    std::lock_guard lock(m_mutex);
    for (const std::shared_ptr<ContextShard> &shard : m_contextShards) {
        shard->queueGone.store(true, std::memory_order_release);
        std::lock_guard shardLock(shard->mutex);
        shard->ring.clear();
    }
}

qint64 EntryQueue::stampAfter(qint64 nowNs)
{
    qint64 last = m_lastTimestampNs.load(std::memory_order_relaxed);
    qint64 next;
    do {
        next = qMax(nowNs, last + 1);
    } while (!m_lastTimestampNs.compare_exchange_weak(last, next, std::memory_order_relaxed));
    return next;
}

void EntryQueue::configureContext(int entries, Level trigger)
{
    std::lock_guard lock(m_mutex);
    m_contextTrigger = int(trigger);
    m_contextCapacity = qMax(0, entries);
    m_contextOpen.store(m_accepting && m_contextCapacity > 0, std::memory_order_release);
    for (const std::shared_ptr<ContextShard> &shard : m_contextShards) {
        std::lock_guard shardLock(shard->mutex);
        m_stats.contextOverwritten += quint64(shard->ring.setCapacity(m_contextCapacity));
    }
}

ContextShard *EntryQueue::contextShard()
{
    ThreadShards *const local = LocalShards::get();
    if (!local) {
        // A call from a thread_local's destructor, after the thread's list is gone.
        std::lock_guard lock(m_mutex);
        if (!m_sharedShard) {
            m_sharedShard = std::make_shared<ContextShard>();
            m_sharedShard->ring.setCapacity(m_contextCapacity);
            m_contextShards.push_back(m_sharedShard);
        }
        return m_sharedShard.get();
    }
    for (const ThreadShards::Item &item : local->items) {
        if (item.queueId == m_id)
            return item.shard.get();
    }
    // This thread's first call to this queue.
    auto shard = std::make_shared<ContextShard>();
    {
        std::lock_guard lock(m_mutex);
        shard->ring.setCapacity(m_contextCapacity);
        forgetEmptyShardsLocked();
        m_contextShards.push_back(shard);
    }
    std::vector<ThreadShards::Item> &items = local->items;
    items.erase(std::remove_if(items.begin(), items.end(),
                               [](const ThreadShards::Item &item) {
                                   return item.shard->queueGone.load(std::memory_order_acquire);
                               }),
                items.end());
    items.push_back({m_id, shard});
    return shard.get();
}

void EntryQueue::forgetEmptyShardsLocked()
{
    // What such a shard overwrote stays counted by the queue.
    m_contextShards.erase(std::remove_if(m_contextShards.begin(), m_contextShards.end(),
                                         [this](const std::shared_ptr<ContextShard> &shard) {
                                             if (!shard->threadGone.load(std::memory_order_acquire))
                                                 return false;
                                             std::lock_guard shardLock(shard->mutex);
                                             if (!shard->ring.isEmpty())
                                                 return false;
                                             m_stats.contextOverwritten += shard->overwritten.load(
                                                     std::memory_order_relaxed);
                                             return true;
                                         }),
                          m_contextShards.end());
}

void EntryQueue::keepForContext(PendingEntry &&entry, qint64 nowNs, bool lineRefused)
{
    if (!m_contextOpen.load(std::memory_order_acquire))
        return;
    ContextShard *shard = contextShard();
    // The entries the shard lets go (a chunk every chunkSize() calls once it is full) are
    // freed here, after its lock is released, by the thread that made them: what they held
    // goes back to its allocator caches, where its next calls find it. The vector they
    // come in keeps its room per thread, so a call allocates nothing under the lock.
    ContextRing::Chunk letGo;
    ThreadShards *const local = LocalShards::get();
    if (local)
        letGo.swap(local->room);
    bool overwrote = false;
    {
        std::lock_guard lock(shard->mutex);
        // Stamped from the queue's own sequence: strictly increasing across ring and
        // queue, so that a shipped entry never shares a timestamp with another entry of
        // its stream, and the shards merge by it. Under the shard's lock, so that each
        // shard (one thread's, or the shared one) holds its entries in that order.
        entry.timestampNs = stampAfter(nowNs);
        overwrote = shard->ring.keep(std::move(entry), lineRefused, &letGo);
        if (overwrote) {
            shard->overwritten.store(shard->overwritten.load(std::memory_order_relaxed) + 1,
                                     std::memory_order_relaxed);
        }
    }
    // One StatsEvent per time the sender reads the counters (takeStatsChanged() clears the
    // flag), not one lock of the queue per call.
    if (overwrote && !m_contextStatsDirty.load(std::memory_order_relaxed)
        && !m_contextStatsDirty.exchange(true, std::memory_order_acq_rel)) {
        std::lock_guard lock(m_mutex);
        statsChangedLocked();
    }
    // Their field blocks are filled again by this thread's next calls.
    for (ContextRing::Slot &slot : letGo)
        PackedFields::recycle(std::move(slot.entry.packed.bytes));
    letGo.clear();
    if (local)
        local->room.swap(letGo); // a call made while these were freed may have left its own
}

quint64 EntryQueue::shipContextLocked(QueueLock &lock, bool mayWait,
                                      ContextRing::Chunk *overwritten)
{
    // Taken out whole first: under OverflowPolicy::Block appending may wait, unlocked, and
    // other callers keep filling the ring meanwhile for the next trigger.
    // The overwritten entries still in memory (fewer than a chunk a shard) are freed by
    // the trigger's call, after the lock is released.
    std::vector<ContextRing::Slot> ring;
    for (const std::shared_ptr<ContextShard> &shard : m_contextShards) {
        std::lock_guard shardLock(shard->mutex);
        if (shard->ring.isEmpty())
            continue;
        std::vector<ContextRing::Slot> part = shard->ring.takeAll(overwritten);
        if (ring.empty()) {
            ring = std::move(part);
        } else {
            const auto middle = ring.insert(ring.end(), std::make_move_iterator(part.begin()),
                                            std::make_move_iterator(part.end()));
            std::inplace_merge(ring.begin(), middle, ring.end(),
                               [](const ContextRing::Slot &a, const ContextRing::Slot &b) {
                                   return a.entry.timestampNs < b.entry.timestampNs;
                               });
        }
    }
    forgetEmptyShardsLocked();
    if (ring.empty())
        return 0;
    if (int(ring.size()) > m_contextCapacity) {
        // More than one shard's: the newest of all ship, the rest were overwritten by
        // newer entries.
        const auto older = ring.end() - m_contextCapacity;
        m_stats.contextOverwritten += quint64(older - ring.begin());
        overwritten->insert(overwritten->end(), std::make_move_iterator(ring.begin()),
                            std::make_move_iterator(older));
        ring.erase(ring.begin(), older);
    }

    const quint64 id = m_contextIdBase | ++m_contextShipments;
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
    statsChangedLocked();
    return id;
}

} // namespace QLoki::detail
