// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>

#include <chrono>
#include <utility>
#include <vector>

// A push request as decoded from either wire format, before validation. Strings stay
// UTF-8 (as on the wire) so the protobuf path never converts.
namespace LokiReceiverInternal {

using LabelPairs = std::vector<std::pair<QByteArray, QByteArray>>;

struct PushEntry
{
    qint64 timestampNs = 0;
    QByteArray line;
    LabelPairs structuredMetadata;
};

struct PushStream
{
    //! The stream's labels in Prometheus form, `{app="demo", level="info"}`.
    QByteArray labels;
    std::vector<PushEntry> entries;

    // What validation made of the entries: kept beside them, and only once one is refused
    // (an entry's own flag would make every entry larger).
    enum Mark : quint8 {
        Refused = 1, //!< refused by validation or the ingester
        IgnoreAsBehind = 2, //!< an injected fault has the ingester ignore it
    };
    bool isMarked(size_t entry, Mark mark) const
    {
        return entry < marks.size() && (marks[entry] & mark);
    }
    void mark(size_t entry, Mark mark)
    {
        if (marks.empty())
            marks.resize(entries.size());
        marks[entry] |= mark;
    }
    std::vector<quint8> marks;
};

struct PushRequest
{
    std::vector<PushStream> streams;
    //! The decoded message that borrowed strings (ProtobufStrings::Borrow) point into: it
    //! lives as long as the request, and nothing that outlives the request may keep a
    //! borrowed string (the store is given copies only).
    QByteArray backing;
};

//! Bounds of one push, checked while it is decoded (0: none).
struct PushCaps
{
    qint64 maxStreams = 0;
    qint64 maxEntries = 0;
};

//! Nanoseconds since the epoch, at the clock's full resolution (an entry logged a moment
//! ago must already be in the past for a query that ends "now").
inline qint64 currentTimeNs()
{
    return qint64(std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count());
}

} // namespace LokiReceiverInternal
