// SPDX-License-Identifier: MIT
#include "pipeline/contextring_p.h"

#include <iterator>

namespace QLoki::detail {

int ContextRing::setCapacity(int capacity)
{
    capacity = qMax(0, capacity);
    if (capacity == m_capacity)
        return 0;
    Chunk overwritten;
    std::vector<Slot> kept = takeAll(&overwritten);
    const int lost = qMax(0, int(kept.size()) - capacity);
    m_chunks.clear();
    m_chunks.shrink_to_fit();
    m_capacity = capacity;
    m_chunkSize = qMin(capacity, qMax(16, capacity / 16));
    for (std::size_t i = std::size_t(lost); i < kept.size(); ++i) {
        Chunk none;
        keep(std::move(kept[i].entry), kept[i].lineRefused, &none);
    }
    return lost;
}

bool ContextRing::keep(PendingEntry &&entry, bool lineRefused, Chunk *letGo)
{
    if (m_capacity == 0)
        return false;
    const bool overwrites = m_held >= m_capacity;
    if (m_chunks.empty() || int(m_chunks.back().size()) >= m_chunkSize) {
        // The storage of the chunk let go last, so that a full ring allocates nothing.
        m_chunks.push_back(std::move(m_spare));
        m_spare = Chunk();
        m_chunks.back().reserve(std::size_t(m_chunkSize));
    }
    m_chunks.back().push_back({std::move(entry), lineRefused});
    ++m_held;
    // The oldest chunk, once all of it is overwritten, goes whole: its entries to
    // \a letGo (one move each), its storage kept for the next chunk.
    Chunk &oldest = m_chunks.front();
    if (m_held - int(oldest.size()) >= m_capacity) {
        m_held -= int(oldest.size());
        letGo->insert(letGo->end(), std::make_move_iterator(oldest.begin()),
                      std::make_move_iterator(oldest.end()));
        oldest.clear();
        m_spare = std::move(oldest);
        m_chunks.erase(m_chunks.begin());
    }
    return overwrites;
}

std::vector<ContextRing::Slot> ContextRing::takeAll(Chunk *letGo)
{
    std::vector<Slot> out;
    out.reserve(std::size_t(size()));
    int overwritten = m_held - size();
    for (Chunk &chunk : m_chunks) {
        auto from = chunk.begin();
        if (overwritten > 0) {
            const int skip = qMin(overwritten, int(chunk.size()));
            overwritten -= skip;
            from += skip;
            letGo->insert(letGo->end(), std::make_move_iterator(chunk.begin()),
                          std::make_move_iterator(from));
        }
        out.insert(out.end(), std::make_move_iterator(from), std::make_move_iterator(chunk.end()));
    }
    m_chunks.clear();
    m_held = 0;
    return out;
}

int ContextRing::clear()
{
    const int n = size();
    m_chunks.clear();
    m_held = 0;
    return n;
}

} // namespace QLoki::detail
