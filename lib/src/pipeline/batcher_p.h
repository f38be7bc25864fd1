// SPDX-License-Identifier: MIT
#pragma once

#include "model/fields_p.h"
#include "model/pushbatch_p.h"
#include "pipeline/pendingentry_p.h"

#include <QtCore/QList>

#include <array>

namespace QLoki::detail {

/*!
    Turns the front of the queue into one push: resolves each entry's fields into stream
    labels and structured metadata, groups entries by label set, and cuts the batch when
    its lines would exceed the byte limit. Pure: no threads, no I/O.
*/
class Batcher
{
public:
    struct Context
    {
        QString appName;
        QString environment;
        LabelList staticLabels;
        LabelLimits limits;
        qint64 maxBytes = 1 << 20;
    };

    explicit Batcher(Context context);

    /*!
        Builds \a batch from the first entries of \a entries and returns how many it took:
        at least one when \a entries is not empty, even if that one is over the limit.
    */
    int build(const QList<PendingEntry> &entries, PushBatch *batch) const;

    //! UTF-8 length of \a s without converting it.
    static qint64 utf8Length(const QString &s);

private:
    Context m_context;
    std::array<LabelList, 5> m_reservedByLevel; // app, environment, level per Level
};

} // namespace QLoki::detail
