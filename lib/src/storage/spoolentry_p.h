// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QList>
#include <QtCore/QString>

namespace QLoki::detail {

/*!
    One entry as the spool keeps it: in its final identity, with labels and metadata
    already resolved, so a replay needs no field parsing and re-sends exactly what the
    first push carried. The timestamp is the one taken when the entry was logged; it is
    never changed, which is what makes a re-sent entry a duplicate that Loki drops.
*/
struct SpooledEntry
{
    qint64 timestampNs = 0; //!< Unix epoch nanoseconds, as logged
    Level level = Level::Info;
    QString line;
    LabelList labels; //!< the stream's labels (sorted, unique names); may be empty
    LabelList metadata; //!< structured metadata; may be empty

    friend bool operator==(const SpooledEntry &a, const SpooledEntry &b)
    {
        return a.timestampNs == b.timestampNs && a.level == b.level && a.line == b.line
                && a.labels == b.labels && a.metadata == b.metadata;
    }
    friend bool operator!=(const SpooledEntry &a, const SpooledEntry &b) { return !(a == b); }
};

/*!
    The entries of \a batch, stream after stream, each in its stream's order. The level
    is read from the stream label `level` (Level::Info when it is absent or unknown).
*/
QList<SpooledEntry> spooledEntries(const PushBatch &batch);

/*!
    Groups \a entries into streams by label set, in the order each label set first
    appears; within a stream the entries keep their order. The inverse of
    spooledEntries() up to the order of streams.
*/
PushBatch pushBatchOf(const QList<SpooledEntry> &entries);

} // namespace QLoki::detail
