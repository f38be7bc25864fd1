// SPDX-License-Identifier: MIT
#include "entrystore_p.h"

namespace LokiReceiverInternal {

namespace {

// An entry's record in the deque, its node in the deduplication index and the headers
// of its strings, on a 64-bit build.
constexpr qint64 EntryOverhead = 160;

} // namespace

EntryStore::DedupKey EntryStore::keyOf(quint32 stream, qint64 timestampNs, const QByteArray &line)
{
    return DedupKey {stream, timestampNs, qHash(line)};
}

qint64 EntryStore::costOf(const QByteArray &line, const LabelPairs &metadata)
{
    qint64 cost = EntryOverhead + line.size();
    for (const auto &[name, value] : metadata)
        cost += name.size() + value.size() + 48;
    return cost;
}

QByteArray EntryStore::idOf(const QByteArray &tenant, const QByteArray &key)
{
    // A label key always starts with '{', so a length-prefixed tenant cannot clash with it.
    return tenant.isEmpty() ? key : QByteArray::number(tenant.size()) + ':' + tenant + key;
}

quint32 EntryStore::streamId(const QByteArray &tenant, const QByteArray &key,
                             const LabelSet &labels)
{
    const QByteArray id = idOf(tenant, key);
    const auto it = m_streamIds.constFind(id);
    if (it != m_streamIds.constEnd())
        return it.value();
    Stream stream {tenant, labels, key, 0, std::numeric_limits<qint64>::min()};
    quint32 index = 0;
    if (!m_freeStreams.empty()) {
        index = m_freeStreams.back();
        m_freeStreams.pop_back();
        m_streams[index] = std::move(stream);
    } else {
        index = quint32(m_streams.size());
        m_streams.push_back(std::move(stream));
    }
    m_streamIds.insert(id, index);
    return index;
}

EntryStore::AddResult EntryStore::add(quint32 stream, qint64 timestampNs, QByteArray line,
                                      LabelPairs metadata)
{
    const DedupKey key = keyOf(stream, timestampNs, line);
    const auto range = m_index.equal_range(key);
    for (auto it = range.first; it != range.second; ++it) {
        if (m_entries[size_t(it->second - m_firstSequence)].line == line)
            return AddResult::Duplicate;
    }
    m_index.emplace(key, m_firstSequence + m_entries.size());
    m_bytes += costOf(line, metadata);
    m_entries.push_back(Entry {stream, timestampNs, std::move(line), std::move(metadata)});
    ++m_streams[stream].entryCount;
    // The entry just added stays, so its stream does too.
    while (m_entries.size() > 1 && overBound())
        evictOldest();
    return AddResult::Added;
}

bool EntryStore::overBound() const
{
    return (m_maxEntries > 0 && qint64(m_entries.size()) > m_maxEntries)
            || (m_maxBytes > 0 && m_bytes > m_maxBytes);
}

void EntryStore::evictOldest()
{
    Entry &oldest = m_entries.front();
    const auto range = m_index.equal_range(keyOf(oldest.stream, oldest.timestampNs, oldest.line));
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second == m_firstSequence) {
            m_index.erase(it);
            break;
        }
    }
    m_bytes -= costOf(oldest.line, oldest.structuredMetadata);
    // A stream left without entries is forgotten, as Loki forgets one once flushed.
    --m_streams[oldest.stream].entryCount;
    forgetIfEmpty(oldest.stream);
    m_entries.pop_front();
    ++m_firstSequence;
    ++m_evicted;
}

void EntryStore::setMaxEntries(qint64 maxEntries)
{
    m_maxEntries = qMax<qint64>(0, maxEntries);
    while (m_entries.size() > 1 && overBound())
        evictOldest();
}

void EntryStore::forgetIfEmpty(quint32 id)
{
    Stream &stream = m_streams[id];
    if (stream.entryCount > 0 || stream.key.isEmpty())
        return;
    m_streamIds.remove(idOf(stream.tenant, stream.key));
    stream = Stream {};
    m_freeStreams.push_back(id);
}

void EntryStore::setMaxBytes(qint64 maxBytes)
{
    m_maxBytes = qMax<qint64>(0, maxBytes);
    while (m_entries.size() > 1 && overBound())
        evictOldest();
}

void EntryStore::clear(bool resetCounters)
{
    m_entries.clear();
    m_firstSequence = 0;
    m_streams.clear();
    m_freeStreams.clear();
    m_streamIds.clear();
    m_index.clear();
    m_bytes = 0;
    if (resetCounters)
        m_evicted = 0;
}

} // namespace LokiReceiverInternal
