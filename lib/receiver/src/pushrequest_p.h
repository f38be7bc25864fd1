// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>

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
};

struct PushRequest
{
    std::vector<PushStream> streams;
};

} // namespace LokiReceiverInternal
