// SPDX-License-Identifier: MIT
#include "pipeline/contextring_p.h"

namespace QLoki::detail {

int ContextRing::setCapacity(int capacity)
{
    capacity = qMax(0, capacity);
    if (capacity == m_capacity)
        return 0;
    std::vector<Slot> kept = takeAll();
    const int lost = qMax(0, int(kept.size()) - capacity);
    m_slots.clear();
    m_slots.shrink_to_fit();
    m_slots.resize(std::size_t(capacity));
    m_capacity = capacity;
    for (std::size_t i = std::size_t(lost); i < kept.size(); ++i)
        m_slots[std::size_t(m_count++)] = std::move(kept[i]);
    return lost;
}

bool ContextRing::keep(PendingEntry &&entry, bool lineRefused, Slot *overwritten)
{
    if (m_capacity == 0)
        return false;
    if (m_count < m_capacity) {
        Slot &slot = m_slots[std::size_t((m_first + m_count) % m_capacity)];
        slot.entry = std::move(entry);
        slot.lineRefused = lineRefused;
        ++m_count;
        return false;
    }
    Slot &oldest = m_slots[std::size_t(m_first)];
    *overwritten = std::move(oldest);
    oldest.entry = std::move(entry);
    oldest.lineRefused = lineRefused;
    m_first = (m_first + 1) % m_capacity;
    return true;
}

std::vector<ContextRing::Slot> ContextRing::takeAll()
{
    std::vector<Slot> out;
    out.reserve(std::size_t(m_count));
    for (int i = 0; i < m_count; ++i)
        out.push_back(std::move(m_slots[std::size_t((m_first + i) % m_capacity)]));
    m_first = 0;
    m_count = 0;
    return out;
}

int ContextRing::clear()
{
    const int n = m_count;
    for (int i = 0; i < m_count; ++i)
        m_slots[std::size_t((m_first + i) % m_capacity)] = Slot();
    m_first = 0;
    m_count = 0;
    return n;
}

} // namespace QLoki::detail
