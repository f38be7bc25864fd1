// SPDX-License-Identifier: MIT
#pragma once

#include "labelparser_p.h"

#include <QtCore/QHash>

#include <deque>
#include <limits>
#include <unordered_map>
#include <vector>

namespace LokiReceiverInternal {

/*!
    The receiver's memory: entries in arrival order (a deque, so eviction of the
    oldest is cheap), a table of streams (label sets), and an index of
    (stream, timestamp, line) for Loki's deduplication. It is bounded in entries and in
    bytes (see costOf()); a stream whose entries were all evicted is forgotten, and its
    slot in the table taken by the next new stream.
*/
class EntryStore
{
public:
    struct Entry
    {
        quint32 stream = 0;
        qint64 timestampNs = 0;
        QByteArray line;
        LabelPairs structuredMetadata;
    };

    //! Streams are per tenant, as in Loki: the same labels pushed for two tenants are two
    //! streams, each with its own deduplication.
    struct Stream
    {
        //! The X-Scope-OrgID the stream's entries were pushed with; empty without one.
        QByteArray tenant;
        LabelSet labels;
        //! formatLabels(labels): the stream's identity.
        QByteArray key;
        qint64 entryCount = 0;
        //! The newest timestamp accepted for the stream (the out-of-order window ends
        //! there); the lowest qint64 while none was.
        qint64 newestNs = std::numeric_limits<qint64>::min();
    };

    enum class AddResult { Added, Duplicate };

    //! What an entry is counted as against the byte bound: its line and structured
    //! metadata, and the fixed cost of its record and its place in the index.
    static qint64 costOf(const QByteArray &line, const LabelPairs &metadata);

    //! The id of \a tenant's stream with \a labels (sorted, without empty values) and
    //! \a key, created when new.
    quint32 streamId(const QByteArray &tenant, const QByteArray &key, const LabelSet &labels);
    //! Forgets stream \a id if it holds no entries (all of a new stream's were refused).
    void forgetIfEmpty(quint32 id);
    //! Stores the entry unless an identical one (stream, timestamp, line) is stored.
    AddResult add(quint32 stream, qint64 timestampNs, QByteArray line, LabelPairs metadata);

    //! Bounds the store (0: unbounded), evicting the oldest entries at once if needed.
    void setMaxEntries(qint64 maxEntries);
    qint64 maxEntries() const { return m_maxEntries; }
    //! Bounds the store in bytes (0: unbounded), as setMaxEntries(). The newest entry stays
    //! even when it alone is larger.
    void setMaxBytes(qint64 maxBytes);
    qint64 maxBytes() const { return m_maxBytes; }
    //! The bytes held, as costOf() counts them.
    qint64 bytes() const { return m_bytes; }

    const std::deque<Entry> &entries() const { return m_entries; }
    //! The stream table, with the slots of forgotten streams (entryCount 0, no labels).
    const std::vector<Stream> &streams() const { return m_streams; }
    //! Streams that hold entries.
    qint64 streamCount() const { return qint64(m_streams.size() - m_freeStreams.size()); }
    Stream &stream(quint32 id) { return m_streams[id]; }
    qint64 evictedCount() const { return m_evicted; }

    //! Drops every entry and stream; \a resetCounters also zeroes evictedCount().
    void clear(bool resetCounters);

private:
    struct DedupKey
    {
        quint32 stream;
        qint64 timestampNs;
        size_t lineHash;
        bool operator==(const DedupKey &other) const
        {
            return stream == other.stream && timestampNs == other.timestampNs
                    && lineHash == other.lineHash;
        }
    };
    struct DedupKeyHash
    {
        size_t operator()(const DedupKey &key) const noexcept
        {
            size_t h = key.lineHash;
            h ^= std::hash<qint64>()(key.timestampNs) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
            h ^= std::hash<quint32>()(key.stream) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
            return h;
        }
    };

    static DedupKey keyOf(quint32 stream, qint64 timestampNs, const QByteArray &line);
    static QByteArray idOf(const QByteArray &tenant, const QByteArray &key);
    bool overBound() const;
    void evictOldest();

    std::deque<Entry> m_entries;
    //! Sequence number of m_entries.front().
    quint64 m_firstSequence = 0;
    std::vector<Stream> m_streams;
    //! Slots of forgotten streams, taken first by new ones.
    std::vector<quint32> m_freeStreams;
    QHash<QByteArray, quint32> m_streamIds;
    std::unordered_multimap<DedupKey, quint64, DedupKeyHash> m_index;
    qint64 m_maxEntries = 1000000;
    qint64 m_maxBytes = 0;
    qint64 m_bytes = 0;
    qint64 m_evicted = 0;
};

} // namespace LokiReceiverInternal
