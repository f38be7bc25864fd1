// SPDX-License-Identifier: MIT
#include "storage/spoolentry_p.h"

#include <QtCore/QHash>

namespace QLoki::detail {

QList<SpooledEntry> spooledEntries(const PushBatch &batch)
{
    QList<SpooledEntry> out;
    out.reserve(batch.entryCount());
    for (const WireStream &stream : batch.streams) {
        Level level = Level::Info;
        for (const auto &label : stream.labels) {
            if (label.first == QLatin1String("level")) {
                if (!parseLevel(label.second, &level))
                    level = Level::Info;
                break;
            }
        }
        for (const WireEntry &e : stream.entries)
            out.append(SpooledEntry {e.timestampNs, level, e.lineText(), stream.labels,
                                     e.metadataList()});
    }
    return out;
}

PushBatch pushBatchOf(const QList<SpooledEntry> &entries)
{
    PushBatch batch;
    // Label sets as keys: length-prefixed names and values, unique for a sorted list.
    QHash<QString, qsizetype> streamIndex;
    for (const SpooledEntry &e : entries) {
        QString key;
        for (const auto &label : e.labels)
            key += QString::number(label.first.size()) + QLatin1Char(':') + label.first
                    + QString::number(label.second.size()) + QLatin1Char(':') + label.second;
        auto it = streamIndex.constFind(key);
        if (it == streamIndex.constEnd()) {
            it = streamIndex.insert(key, batch.streams.size());
            batch.streams.append(WireStream {e.labels, {}});
        }
        batch.streams[*it].entries.append(WireEntry(e.timestampNs, e.line, e.metadata));
    }
    return batch;
}

} // namespace QLoki::detail
