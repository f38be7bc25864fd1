// SPDX-License-Identifier: MIT
#pragma once

#include "pipeline/queuedentry_p.h"

#include <QtCore/QHash>

#include <cstdlib>
#include <deque>
#include <vector>

namespace QLoki::detail {

/*!
    The resolved entries waiting for their push, oldest first (EntryQueue's part between
    the batches in flight and the entries being resolved).

    The oldest LooseEntries wait as they were resolved (QueuedEntry: a push takes them
    without a copy). Beyond them, during an outage or behind a slow Loki, entries are packed
    one after the other into blocks of BlockBytes: their bytes as resolved, after a header of
    a few varints (the seq and timestamp as differences from the entry before, the stream as
    an index into a table that the packed entries share, the line's length, the metadata
    count, the size). A packed entry costs its own bytes and about ten more, where a loose
    one costs a 40-byte QueuedEntry, an allocation of its bytes, and the gaps that its
    allocation leaves among others once freed. An entry is unpacked (its bytes copied into
    an allocation of their own again) when it reaches the front.

    Not thread-safe: EntryQueue calls it under its lock.
*/
class ResolvedBacklog
{
public:
    //! Entries kept loose at the front; the default buffer (1,000 entries) never packs.
    static constexpr int LooseEntries = 1024;
    //! The size of a block; an entry larger than this gets a block of its own size.
    static constexpr qsizetype BlockBytes = 64 * 1024;

    ResolvedBacklog() = default;
    ~ResolvedBacklog();
    ResolvedBacklog(const ResolvedBacklog &) = delete;
    ResolvedBacklog &operator=(const ResolvedBacklog &) = delete;

    bool empty() const { return m_loose.empty() && m_packed == 0; }
    int size() const { return int(m_loose.size()) + m_packed; }
    //! Entries held packed (for tests).
    int packedCount() const { return m_packed; }

    //! The front entry's seq. Not when empty().
    quint64 frontSeq() const;

    //! Appends \a entry as the newest.
    void pushBack(QueuedEntry &&entry);
    //! Puts \a entry back as the oldest (an entry that was in flight).
    void pushFront(QueuedEntry &&entry);
    //! Removes the front entry and returns it. Not when empty().
    QueuedEntry takeFront();
    //! Removes the front entry; returns its QueuedEntry::heldBytes(). Not when empty().
    qint64 dropFront();
    void clear();

private:
    struct Block
    {
        char *data = nullptr;
        qsizetype capacity = 0;
        qsizetype used = 0;
        qsizetype read = 0; // where the oldest entry still held starts
    };
    //! A packed entry's header as readHeader() decodes it (headerBytes: its own length).
    struct Header
    {
        quint64 seq = 0;
        qint64 timestampNs = 0;
        quint32 stream = 0; // index into m_streams, + 1; 0 for none
        qsizetype lineBytes = 0;
        int metadataCount = 0;
        qsizetype storageBytes = 0;
        qsizetype headerBytes = 0;
    };
    Header readHeader(const Block &block) const;
    //! Moves the read position past the front packed entry, whose header is \a h.
    void advance(const Header &h);
    void pack(QueuedEntry &&entry);
    //! Frees the blocks; the next entry packed starts afresh (differences from zero).
    void clearPacked();
    quint32 streamIndex(const StreamRef &stream);

    std::deque<QueuedEntry> m_loose; // the oldest entries
    std::deque<Block> m_blocks; // the newer ones, packed
    int m_packed = 0;
    // What the packed entries' differences are taken from: the newest one packed, and the
    // front one (the last unpacked or dropped).
    quint64 m_writeSeq = 0;
    qint64 m_writeTimestampNs = 0;
    quint64 m_readSeq = 0;
    qint64 m_readTimestampNs = 0;
    // The streams of packed entries: kept until no entry is packed.
    std::vector<StreamRef> m_streams;
    QHash<const StreamKey *, quint32> m_streamIndex;
};

} // namespace QLoki::detail
