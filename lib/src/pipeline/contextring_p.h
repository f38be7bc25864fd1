// SPDX-License-Identifier: MIT
#pragma once

#include "pipeline/pendingentry_p.h"

#include <vector>

namespace QLoki::detail {

/*!
    The context ring (LokiConfig::contextEntries()): the last entries below the minimum level,
    kept as they were logged until an entry at the trigger level ships them, or until newer
    ones overwrite them. Not thread-safe: the EntryQueue owns it and uses it under its lock.

    Its slots are allocated once, by setCapacity(), so keeping an entry only moves it into
    a slot: a call that goes to the ring costs what a call that goes to the queue does.
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

    /*!
        Holds at most \a capacity entries from now on (0: none, and nothing is kept);
        keeps the newest of those held. Returns how many it let go.
    */
    int setCapacity(int capacity);
    int capacity() const { return m_capacity; }
    int size() const { return m_count; }
    bool isEmpty() const { return m_count == 0; }

    /*!
        Keeps \a entry as the newest. When the ring was full, the oldest entry is moved
        to \a overwritten (so that the caller frees it outside its lock) and true is
        returned. Nothing is kept with a capacity of 0.
    */
    bool keep(PendingEntry &&entry, bool lineRefused, Slot *overwritten);
    //! Moves every entry out, oldest first, and leaves the ring empty.
    std::vector<Slot> takeAll();
    //! Forgets every entry; returns how many there were.
    int clear();

private:
    std::vector<Slot> m_slots; // m_capacity of them, allocated once
    int m_capacity = 0;
    int m_first = 0; // index of the oldest entry
    int m_count = 0;
};

} // namespace QLoki::detail
