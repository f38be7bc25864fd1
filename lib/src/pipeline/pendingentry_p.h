// SPDX-License-Identifier: MIT
#pragma once

#include "packedfields_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace QLoki::detail {

/*!
    An entry between the logging call and the push that carries it. The caller only
    stamps it and keeps its arguments: a braced call copies its line (in UTF-8) and fields
    into one block (PackedFields), a map call keeps references (implicitly shared, no
    copies); fields are resolved into labels and metadata on the sender thread.
*/
struct PendingEntry
{
    quint64 seq = 0;          //!< acceptance order; strictly increasing
    qint64 timestampNs = 0;   //!< taken when logged, strictly increasing, never changed
    Level level = Level::Info;
    bool explicitLabels = false; //!< true: `labels` and `fields` (= metadata) given apart
    //! What the entry is to the context ring (LokiConfig::contextEntries()): nothing, one of
    //! the ring's entries shipped before a trigger (metadata `context_for`), or the trigger
    //! that shipped them (metadata `context_id`); contextId is the id both carry.
    enum class ContextRole : quint8 { None, Context, Trigger };
    ContextRole contextRole = ContextRole::None;
    quint64 contextId = 0;
    QString line;             //!< empty when the line waits in `packed` (hasLine())
    QVariantMap fields;       //!< Python-SDK fields, or the metadata when explicitLabels
    PackedFields packed;      //!< a braced field list; read as `fields` (never both)
    QMap<QString, QString> labels;

    //! The line's length, in UTF-16 units or, where it waits in `packed`, UTF-8 bytes: a cheap
    //! estimate of its UTF-8 size.
    qint64 lineLength() const { return packed.hasLine() ? packed.lineSize : line.size(); }

    //! What the entry holds, as the queue counts it against its byte bound: the line in
    //! UTF-16 (or UTF-8 in `packed`), and an estimate per field (they are resolved soon after,
    //! and measured then).
    qint64 heldBytes() const
    {
        return qint64(line.size()) * 2 + 64 * qint64(fields.size() + labels.size())
            + packed.heldBytes();
    }
};

#if QT_POINTER_SIZE == 8
// Four to a node of std::deque (512 bytes) in EntryQueue.
static_assert(sizeof(PendingEntry) <= 128);
#endif

} // namespace QLoki::detail
