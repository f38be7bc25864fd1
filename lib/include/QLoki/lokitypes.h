// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/qlokiglobal.h>

#include <QtCore/QObject>
#include <QtCore/QString>

/*!
    Enumerations shared by the QLoki API. They are registered with Qt's meta-object
    system, so they work in queued signals, QVariant and QML.
*/
namespace QLoki {
Q_NAMESPACE_EXPORT(QLOKI_EXPORT)

//! Severity of an entry, in increasing order. Becomes the stream label `level`.
enum class Level { Debug, Info, Warning, Error, Critical };
Q_ENUM_NS(Level)

/*!
    What happens when the buffer of pending entries (LokiConfig::bufferSize()) is full.
    - DropOldest: the oldest pending entry that is not in flight is dropped (the default,
      as in the Python SDK).
    - DropNewest: the new entry is dropped.
    - Block: the logging call waits until there is room (never use it on a thread that
      must stay responsive).
    Every drop is counted with the reason DropReason::BufferFull.
*/
enum class OverflowPolicy { DropOldest, DropNewest, Block };
Q_ENUM_NS(OverflowPolicy)

/*!
    Delivery state of a logger. Only the retry timer, flush() and the network coming back
    start a push in Retrying and Offline: logging calls never do.
    - Online: the last push was answered (or nothing was pushed yet). A full batch is pushed
      at once, a partial one when its oldest entry has waited LokiConfig::flushInterval.
    - Retrying: a push failed (network error, timeout, 429, 5xx) and is tried again after
      the backoff delay (LokiStats::nextRetry), at most LokiConfig::maxRetries times.
    - Offline: the retries are spent; the entries wait in the offline buffer (or the disk
      spool) and one probe goes out per backoff step, the step still doubling but at least
      flushInterval and at most the longer of flushInterval and maxBackoff apart, until one
      is answered.
    - Stopped: the logger was shut down (or never initialised).
*/
enum class State { Online, Retrying, Offline, Stopped };
Q_ENUM_NS(State)

//! Why entries were dropped. Every dropped entry is counted under exactly one reason.
enum class DropReason {
    BufferFull,        //!< the pending buffer was full (see OverflowPolicy)
    Rejected,          //!< Loki refused the entry (4xx other than 429, or 260); never re-sent
    RetriesExhausted,  //!< maxRetries failed and the offline buffer is disabled
    Shutdown,          //!< still pending when the shutdown deadline passed
    Invalid            //!< the entry could not be sent at all (e.g. no endpoint)
};
Q_ENUM_NS(DropReason)

/*!
    Body format of a push. Protobuf (snappy-compressed) is what Loki's own agents send.
    The Otlp formats send OpenTelemetry logs over OTLP/HTTP instead, to Loki 3's
    `/otlp/v1/logs` or to any OpenTelemetry Collector (see LokiConfig::pushUrl()):
    - Otlp: OTLP protobuf (application/x-protobuf), the usual choice for OTLP;
    - OtlpJson: OTLP's JSON encoding (application/json);
    - OtlpGzip, OtlpJsonGzip: the same, gzip-compressed (Content-Encoding: gzip).
*/
enum class WireFormat { Json, JsonGzip, Protobuf, Otlp, OtlpJson, OtlpGzip, OtlpJsonGzip };
Q_ENUM_NS(WireFormat)

/*!
    How structured metadata travels to Loki.
    - Auto (the default): as Loki structured metadata, unless the server is older than 2.9
      (asked once at `GET /loki/api/v1/status/buildinfo`) or refuses structured metadata as
      such (Loki 2.9/3.x: "includes structured metadata, but this feature is disallowed";
      Loki 2.8: a JSON push that fails to parse at a value's third element). Then the refused
      batch is sent again with the metadata in the lines of the entries that carried it (the
      others go unchanged, so Loki drops the ones it stored as duplicates), and every later
      batch too (said once on the `qloki.sender` logging category). No other refusal changes
      the mode.
    - Structured: always as structured metadata (Loki 2.9+ with it enabled, Loki 3).
    - Logfmt: in the line, as `message key=value key2="a value"`.
    - Json: in the line, as a JSON object `{"msg":"message","key":"value"}`.
    Values are rendered the same way in every mode.
*/
enum class MetadataMode { Auto, Structured, Logfmt, Json };
Q_ENUM_NS(MetadataMode)

//! What happens to a line longer than LokiConfig::maxLineBytes(), in the logging call (so a
//! long line never costs more than the limit while it waits).
//! - Truncate: cut at a character boundary, ending with `…[truncated N bytes]`.
//! - Reject: the entry is dropped with DropReason::Invalid.
//! Metadata moved into a line (MetadataMode::Logfmt or Json) that makes it longer than the
//! limit is cut, never refused.
enum class LineLimitPolicy { Truncate, Reject };
Q_ENUM_NS(LineLimitPolicy)

/*!
    When an entry written to the disk spool counts as stored.
    - Flush: written to the operating system (survives the process being killed).
    - Fsync: flushed to the disk as well (survives a power loss; one disk flush per batch).
*/
enum class SpoolDurability { Flush, Fsync };
Q_ENUM_NS(SpoolDurability)

//! The number of DropReason values; for arrays indexed by reason.
constexpr int DropReasonCount = 5;

/*!
    Why Loki refused entries (DropReason::Rejected), read from its answer: each refused
    entry is counted under one code (LokiStats::rejected()), and batchFailed() and
    LokiStats::lastError() start with the code's name (refusalCodeName()) before Loki's text.
*/
enum class RefusalCode {
    LineTooLong,        //!< longer than Loki's max_line_size
    TooOld,             //!< older than the retention window, or too far behind its stream
    TooNew,             //!< too far in the future
    Labels,             //!< the stream's labels (missing, invalid, too many, too long, duplicate)
    MetadataDisallowed, //!< structured metadata is disabled for the tenant
    MetadataTooLarge,   //!< structured metadata beyond its size or count limit
    RateLimited,        //!< 429 (counted only when a refusal ends a batch)
    Blocked,            //!< 260: the tenant's ingestion is blocked
    Other               //!< any other refusal (401, 403, 404, a reason Loki does not give)
};
Q_ENUM_NS(RefusalCode)

//! The number of RefusalCode values; for arrays indexed by code.
constexpr int RefusalCodeCount = 9;

//! Lower-case name of a level as used in the `level` label: "debug", "info", ...
QLOKI_EXPORT QString levelName(Level level);
//! Parses a level name ("warn" and "warning" both work); returns false when unknown.
QLOKI_EXPORT bool parseLevel(const QString &name, Level *level);
//! A short snake_case name of a drop reason, e.g. "buffer_full".
QLOKI_EXPORT QString dropReasonName(DropReason reason);
//! The code's short name: "line_too_long", "too_old", "too_new", "labels",
//! "metadata_disallowed", "metadata_too_large", "rate_limited", "blocked" or "other".
QLOKI_EXPORT QString refusalCodeName(RefusalCode code);
//! Name of an overflow policy as on the command line: "drop-oldest", "drop-newest", "block".
QLOKI_EXPORT QString overflowPolicyName(OverflowPolicy policy);
//! Parses a name of overflowPolicyName(); returns false when unknown.
QLOKI_EXPORT bool parseOverflowPolicy(const QString &name, OverflowPolicy *policy);
//! "json", "json-gzip", "protobuf", "otlp", "otlp-json", "otlp-gzip" or "otlp-json-gzip".
QLOKI_EXPORT QString wireFormatName(WireFormat format);
//! Parses a name of wireFormatName(); returns false when unknown.
QLOKI_EXPORT bool parseWireFormat(const QString &name, WireFormat *format);
//! "auto", "structured", "logfmt" or "json".
QLOKI_EXPORT QString metadataModeName(MetadataMode mode);
//! Parses a name of metadataModeName(); returns false when unknown.
QLOKI_EXPORT bool parseMetadataMode(const QString &name, MetadataMode *mode);
//! "truncate" or "reject".
QLOKI_EXPORT QString lineLimitPolicyName(LineLimitPolicy policy);
//! Parses a name of lineLimitPolicyName(); returns false when unknown.
QLOKI_EXPORT bool parseLineLimitPolicy(const QString &name, LineLimitPolicy *policy);
//! "Online", "Retrying", "Offline" or "Stopped".
QLOKI_EXPORT QString stateName(State state);

} // namespace QLoki
