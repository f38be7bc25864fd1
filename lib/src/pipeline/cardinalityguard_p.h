// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QtCore/QStringList>

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QString>

namespace QLoki::detail {

/*!
    Keeps the values of each stream label name within a budget. Every distinct label set is
    a Loki stream, and a label fed with ids (users, orders, requests) is the most common way
    to overload Loki. Per label name, the guard admits at most `budget` distinct values per
    hour (an hour that starts anew on the hour of the entries' timestamps); past that, a new
    value of that name is demoted: it travels as structured metadata under the same name.
    Values admitted in the hour stay admitted. `app`, `environment`, `level` and `category`
    are exempt. A budget of 0 turns the guard off. Sender thread only.
*/
class CardinalityGuard
{
public:
    explicit CardinalityGuard(int budget)
        : m_budget(budget)
    { }

    /*!
        Moves the pairs of \a labels whose value is over budget to \a demoted (appended),
        for an entry at \a timestampNs. Returns true when it moved any.
    */
    bool filter(LabelList *labels, LabelList *demoted, qint64 timestampNs);

    //! Demoted entries per label name since the last call, and names demoted the first time.
    QHash<QString, quint64> takeDemotions();
    //! Names demoted for the first time since the last call (to be said once).
    QStringList takeNewlyDemotedNames();

    static bool isExempt(const QString &name);

private:
    int m_budget;
    qint64 m_hour = -1;
    QHash<QString, QSet<QString>> m_values;
    QHash<QString, quint64> m_demotions;
    QSet<QString> m_everDemoted;
    QStringList m_newlyDemoted;
};

} // namespace QLoki::detail
