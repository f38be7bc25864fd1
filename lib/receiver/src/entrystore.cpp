// SPDX-License-Identifier: MIT
#include "entrystore_p.h"

namespace LokiReceiverInternal {

EntryStore::DedupKey EntryStore::keyOf(quint32 stream, qint64 timestampNs, const QByteArray &line)
{
    return DedupKey {stream, timestampNs, qHash(line)};
}

quint32 EntryStore::streamId(const QByteArray &tenant, const QByteArray &key,
                             const LabelSet &labels)
{
    // A label key always starts with '{', so a length-prefixed tenant cannot clash with it.
    const QByteArray id =
            tenant.isEmpty() ? key : QByteArray::number(tenant.size()) + ':' + tenant + key;
    const auto it = m_streamIds.constFind(id);
    if (it != m_streamIds.constEnd())
        return it.value();
    const auto index = quint32(m_streams.size());
    m_streams.push_back(Stream {tenant, labels, key, 0, std::numeric_limits<qint64>::min()});
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
    m_entries.push_back(Entry {stream, timestampNs, std::move(line), std::move(metadata)});
    ++m_streams[stream].entryCount;
    if (m_maxEntries > 0 && qint64(m_entries.size()) > m_maxEntries)
        evictOldest();
    return AddResult::Added;
}

void EntryStore::evictOldest()
{
    const Entry &oldest = m_entries.front();
    const auto range = m_index.equal_range(keyOf(oldest.stream, oldest.timestampNs, oldest.line));
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second == m_firstSequence) {
            m_index.erase(it);
            break;
        }
    }
    --m_streams[oldest.stream].entryCount;
    m_entries.pop_front();
    ++m_firstSequence;
    ++m_evicted;
}

void EntryStore::setMaxEntries(qint64 maxEntries)
{
    m_maxEntries = qMax<qint64>(0, maxEntries);
    while (m_maxEntries > 0 && qint64(m_entries.size()) > m_maxEntries)
        evictOldest();
}

void EntryStore::clear(bool resetCounters)
{
    m_entries.clear();
    m_firstSequence = 0;
    m_streams.clear();
    m_streamIds.clear();
    m_index.clear();
    if (resetCounters)
        m_evicted = 0;
}

} // namespace LokiReceiverInternal
