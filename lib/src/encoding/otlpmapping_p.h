// SPDX-License-Identifier: MIT
#pragma once

// How a batch becomes OpenTelemetry logs (OTLP), shared by the protobuf and the JSON
// encoding: which stream labels make the resource, which the scope and the severity, and
// how metadata becomes typed attributes and the record's trace and span ids. Follows the
// OpenTelemetry log data model and semantic conventions 1.27.0 (deployment.environment.name).

#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QByteArray>
#include <QtCore/QJsonValue>
#include <QtCore/QList>

#include <optional>

namespace QLoki::detail {

namespace Otlp {

//! SeverityNumber of a level: debug 5, info 9, warning 13, error 17, critical 21.
int severityNumber(Level level);

//! The scope of records without a logging category.
constexpr char DefaultScope[] = "qloki";
//! Resource attribute names of the labels `app` and `environment`.
constexpr char ServiceName[] = "service.name";
constexpr char EnvironmentName[] = "deployment.environment.name";

struct Record
{
    const WireEntry *entry = nullptr;
    Level level = Level::Info;
};

struct Scope
{
    QByteArray name; //!< the logging category (the hook's `category` label), else "qloki"
    QList<Record> records;
};

struct Resource
{
    //! service.name, deployment.environment.name, then the other labels by name.
    QList<QPair<QByteArray, QByteArray>> attributes;
    QList<Scope> scopes;
};

/*!
    The batch as resources: one per label set without `level` and `category` (so the
    streams of one logger that differ only in level share their resource), in the order
    they first appear; within it one scope per category; records in their stream's order.
*/
QList<Resource> layout(const PushBatch &batch);

//! The record's trace and span ids, taken from metadata `trace_id` (32 hex digits) and
//! `span_id` (16 hex digits); all zeros is not an id. Metadata that is not an id stays an
//! attribute.
struct Ids
{
    char traceId[16];
    char spanId[8];
    bool hasTraceId = false;
    bool hasSpanId = false;
};

//! Fills \a ids from \a entry's metadata.
Ids idsOf(const WireEntry &entry);
//! Whether the metadata pair \a name was taken into \a ids (and is no attribute).
bool isIdPair(const Ids &ids, QByteArrayView name);

//! \a text of a value of kind Int as an int64; nullopt when it is none (a uint beyond 2^63).
std::optional<qint64> parseInt(QByteArrayView text);
//! \a text of a value of kind Double (renderValue()'s spelling: "NaN", "+Inf", "1e+21").
std::optional<double> parseDouble(QByteArrayView text);
//! \a text of a value of kind List or Map as JSON; nullopt when it does not parse.
std::optional<QJsonValue> parseJson(QByteArrayView text);

//! Lower-case hex digits of \a bytes.
QByteArray hex(const char *bytes, int size);

} // namespace Otlp

} // namespace QLoki::detail
