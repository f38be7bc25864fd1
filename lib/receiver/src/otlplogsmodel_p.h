// SPDX-License-Identifier: MIT
#pragma once

// The parts of an OTLP logs request that Loki 3 reads, decoded from protobuf or JSON and
// then mapped to a push request (otlplogs_p.h).

#include "pushrequest_p.h"

#include <QtCore/QByteArray>

#include <vector>

namespace LokiReceiverInternal::Otlp {

struct KeyValue;

/*!
    How deep values nest (arrays and maps within arrays and maps; a record's body and an
    attribute's value are at depth 1). Deeper ones fail the request: reading them takes
    stack in proportion, and a body of a few hundred KiB nested on would overflow it.
    Loki's Go decoder has no such bound; no real attribute comes near it.
*/
constexpr int MaxValueDepth = 100;
//! What a request nested deeper is refused with (MaxValueDepth in words).
constexpr char TooDeep[] = "value nested deeper than 100 levels";

//! opentelemetry.proto.common.v1.AnyValue.
struct AnyValue
{
    enum Type { Empty, String, Bool, Int, Double, Array, Map, Bytes };
    Type type = Empty;
    QByteArray text; //!< String, Bytes
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    std::vector<AnyValue> items; //!< Array
    std::vector<KeyValue> map; //!< Map
};

struct KeyValue
{
    QByteArray key;
    AnyValue value;
};

struct Record
{
    quint64 timeNs = 0;
    quint64 observedNs = 0;
    int severityNumber = 0;
    QByteArray severityText;
    AnyValue body;
    std::vector<KeyValue> attributes;
    quint32 droppedAttributes = 0;
    quint32 flags = 0;
    QByteArray traceId; //!< raw bytes
    QByteArray spanId; //!< raw bytes
};

struct Scope
{
    QByteArray name;
    QByteArray version;
    std::vector<KeyValue> attributes;
    quint32 droppedAttributes = 0;
    std::vector<Record> records;
};

struct Resource
{
    std::vector<KeyValue> attributes;
    std::vector<Scope> scopes;
};

using Request = std::vector<Resource>;

//! Maps \a request as Loki 3 does (see decodeOtlpProtobuf()); false with \a overCaps set
//! when it has more streams or records than \a caps allow.
bool toPushRequest(const Request &request, PushRequest *push, const PushCaps &caps, bool *overCaps);

} // namespace LokiReceiverInternal::Otlp
