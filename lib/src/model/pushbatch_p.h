// SPDX-License-Identifier: MIT
#pragma once

// The batch as it goes on the wire: streams of entries, labels already resolved,
// sanitized and sorted. Produced by the Batcher, consumed by the encoders.

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>

namespace QLoki::detail {

//! Name/value pairs, sorted by name, names unique.
using LabelList = QList<QPair<QString, QString>>;

struct WireEntry
{
    qint64 timestampNs = 0; //!< Unix epoch nanoseconds
    QString line;
    LabelList metadata;     //!< structured metadata; may be empty
};

struct WireStream
{
    LabelList labels;       //!< never empty
    QList<WireEntry> entries;
};

struct PushBatch
{
    QList<WireStream> streams;
    int entryCount() const
    {
        int n = 0;
        for (const WireStream &s : streams)
            n += int(s.entries.size());
        return n;
    }
};

} // namespace QLoki::detail
