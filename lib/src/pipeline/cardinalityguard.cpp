// SPDX-License-Identifier: MIT
#include "cardinalityguard_p.h"

#include <utility>

namespace QLoki::detail {

namespace {
constexpr qint64 HourNs = 3600LL * 1000 * 1000 * 1000;
}

bool CardinalityGuard::isExempt(const QString &name)
{
    return name == QLatin1String("app") || name == QLatin1String("environment")
            || name == QLatin1String("level") || name == QLatin1String("category");
}

bool CardinalityGuard::filter(LabelList *labels, LabelList *demoted, qint64 timestampNs)
{
    if (m_budget <= 0 || labels->isEmpty())
        return false;
    const qint64 hour = timestampNs / HourNs;
    if (hour != m_hour) {
        m_hour = hour;
        m_values.clear();
    }
    bool moved = false;
    for (qsizetype i = 0; i < labels->size();) {
        const auto &[name, value] = labels->at(i);
        if (isExempt(name) || value.isEmpty()) {
            ++i;
            continue;
        }
        QSet<QString> &seen = m_values[name];
        if (seen.contains(value) || seen.size() < m_budget) {
            seen.insert(value);
            ++i;
            continue;
        }
        ++m_demotions[name];
        if (!m_everDemoted.contains(name)) {
            m_everDemoted.insert(name);
            m_newlyDemoted.append(name);
        }
        demoted->append(labels->takeAt(i));
        moved = true;
    }
    return moved;
}

QHash<QString, quint64> CardinalityGuard::takeDemotions() { return std::exchange(m_demotions, {}); }

QStringList CardinalityGuard::takeNewlyDemotedNames() { return std::exchange(m_newlyDemoted, {}); }

} // namespace QLoki::detail
