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
    //! Set when validation refused the entry.
    bool refused = false;
    //! Set when an injected fault has the ingester ignore the entry as too far behind.
    bool ignoreAsBehind = false;
};

struct PushStream
{
    //! The stream's labels in Prometheus form, `{app="demo", level="info"}`.
    QByteArray labels;
    std::vector<PushEntry> entries;
};

struct PushRequest
{
    std::vector<PushStream> streams;
    //! The decoded message that borrowed strings (ProtobufStrings::Borrow) point into: it
    //! lives as long as the request, and nothing that outlives the request may keep a
    //! borrowed string (the store is given copies only).
    QByteArray backing;
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
