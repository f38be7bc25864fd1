// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QtCore/QExplicitlySharedDataPointer>
#include <QtCore/QSharedData>

namespace QLoki::detail {

//! A resolved stream label set, shared by the entries of one stream.
struct StreamKey : QSharedData
{
    explicit StreamKey(LabelList l)
        : labels(std::move(l))
    { }
    LabelList labels; //!< sorted by name, names unique
};

using StreamRef = QExplicitlySharedDataPointer<StreamKey>;

/*!
    An entry once the sender thread has resolved it (see Batcher::resolve()): its stream,
    and its line and metadata as UTF-8 in one allocation. This is the form in which
    entries wait for their push, so a buffered entry costs its own bytes plus a small
    fixed header, and a retry re-sends exactly the same bytes and timestamp.
*/
struct QueuedEntry
{
    quint64 seq = 0;
    StreamRef stream;
    WireEntry entry;

    //! What the entry holds, as the queue counts it against its byte bound: its UTF-8
    //! line and metadata (the shared stream is not counted per entry).
    qint64 heldBytes() const { return entry.storageBytes(); }
};

} // namespace QLoki::detail
