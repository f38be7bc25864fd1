// SPDX-License-Identifier: MIT
#pragma once

#include "pipeline/pendingentry_p.h"

#include <QtCore/QtGlobal>

#include <atomic>
#include <mutex>
#include <vector>

namespace QLoki::detail {

/*!
    The context ring (LokiConfig::contextEntries()): the last entries below the minimum level,
    kept as they were logged until an entry at the trigger level ships them, or until newer
    ones overwrite them. Not thread-safe: a ContextShard holds one, used under the shard's lock.

    Entries are appended to chunks of chunkSize(); an entry that newer ones overwrite is
    not touched then, only counted (keep() returns true). Once a whole chunk lies before the
    last capacity() entries it is let go, for the call that let it go to free after the
    shard's lock is released; its storage serves as the next chunk. A call that goes to the
    ring costs one move of the entry under the lock, as a call that goes to the queue does,
    and the ring holds at most capacity() + chunkSize() entries in memory.
*/
class ContextRing
{
public:
    //! One kept entry; \a lineRefused: its line was over the limit under
    //! LineLimitPolicy::Reject, so it counts as refused (DropReason::Invalid) when shipped.
    struct Slot
    {
        PendingEntry entry;
        bool lineRefused = false;
    };
    //! Entries in the order they were kept.
    using Chunk = std::vector<Slot>;

    /*!
        Holds at most \a capacity entries from now on (0: none, and nothing is kept);
        keeps the newest of those held. Returns how many it let go.
    */
    int setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    //! A sixteenth of the capacity, at least 16 entries, at most the capacity.
    int chunkSize() const { return m_chunkSize; }
    //! The entries the ring holds: the last capacity() kept.
    int size() const { return qMin(m_held, m_capacity); }
    bool isEmpty() const { return m_held == 0; }

    /*!
        Keeps \a entry as the newest; returns true when the ring was full, so that the
        oldest entry is overwritten (it is no longer shipped). When that puts a whole chunk
        before the last capacity() entries, its entries are moved to the end of \a letGo,
        for the caller to free outside its lock (a \a letGo with room for a chunk makes
        the call allocate nothing). Nothing is kept with a capacity of 0.
    */
    bool keep(PendingEntry &&entry, bool lineRefused, Chunk *letGo);
    /*!
        Moves the entries the ring holds out, oldest first, and leaves it empty; the
        overwritten entries still in memory go to \a letGo (appended).
    */
    std::vector<Slot> takeAll(Chunk *letGo);
    //! Forgets every entry; returns how many the ring held.
    int clear();

private:
    std::vector<Chunk> m_chunks; // oldest first; only the last can have room
    Chunk m_spare;               // empty: the storage of the chunk let go last
    int m_held = 0; // entries in m_chunks, overwritten ones included
    int m_capacity = 0;
    int m_chunkSize = 0;
};

/*!
    One thread's part of a logger's context ring. A call below the minimum level keeps its
    entry in the shard of its thread, under the shard's own lock, which only a trigger
    (or a change of the configuration) takes besides: callers on several threads do not
    meet at one lock, and the entries a shard lets go are freed by the thread that made
    them. A trigger takes every shard and ships the newest entries of all, by timestamp.
    The EntryQueue holds the shards it made; the thread holds its own, so that it outlives
    either.
*/
struct ContextShard
{
    std::mutex mutex;
    ContextRing ring; // under mutex
    //! Entries this shard's ring overwrote: written under mutex, read by stats() without it.
    std::atomic<quint64> overwritten {0};
    //! Its thread ended: no entry comes in any more, and once empty the queue forgets it.
    std::atomic<bool> threadGone {false};
    //! Its queue is gone: the thread forgets it.
    std::atomic<bool> queueGone {false};
};

} // namespace QLoki::detail
