// SPDX-License-Identifier: MIT
#include <QLoki/lokitypes.h>
#include <QLoki/lokistats.h>

namespace QLoki {

QString refusalCodeName(RefusalCode code)
{
    switch (code) {
    case RefusalCode::LineTooLong: return QStringLiteral("line_too_long");
    case RefusalCode::TooOld: return QStringLiteral("too_old");
    case RefusalCode::TooNew: return QStringLiteral("too_new");
    case RefusalCode::Labels: return QStringLiteral("labels");
    case RefusalCode::MetadataDisallowed: return QStringLiteral("metadata_disallowed");
    case RefusalCode::MetadataTooLarge: return QStringLiteral("metadata_too_large");
    case RefusalCode::RateLimited: return QStringLiteral("rate_limited");
    case RefusalCode::Blocked: return QStringLiteral("blocked");
    case RefusalCode::Other: break;
    }
    return QStringLiteral("other");
}

QString levelName(Level level)
{
    switch (level) {
    case Level::Debug: return QStringLiteral("debug");
    case Level::Info: return QStringLiteral("info");
    case Level::Warning: return QStringLiteral("warning");
    case Level::Error: return QStringLiteral("error");
    case Level::Critical: return QStringLiteral("critical");
    }
    return QStringLiteral("info");
}

bool parseLevel(const QString &name, Level *level)
{
    const QString n = name.trimmed().toLower();
    Level l;
    if (n == QLatin1String("debug") || n == QLatin1String("trace"))
        l = Level::Debug;
    else if (n == QLatin1String("info"))
        l = Level::Info;
    else if (n == QLatin1String("warning") || n == QLatin1String("warn"))
        l = Level::Warning;
    else if (n == QLatin1String("error"))
        l = Level::Error;
    else if (n == QLatin1String("critical") || n == QLatin1String("fatal"))
        l = Level::Critical;
    else
        return false;
    if (level)
        *level = l;
    return true;
}

QString dropReasonName(DropReason reason)
{
    switch (reason) {
    case DropReason::BufferFull: return QStringLiteral("buffer_full");
    case DropReason::Rejected: return QStringLiteral("rejected");
    case DropReason::RetriesExhausted: return QStringLiteral("retries_exhausted");
    case DropReason::Shutdown: return QStringLiteral("shutdown");
    case DropReason::Invalid: return QStringLiteral("invalid");
    }
    return QStringLiteral("unknown");
}

QString overflowPolicyName(OverflowPolicy policy)
{
    switch (policy) {
    case OverflowPolicy::DropOldest: return QStringLiteral("drop-oldest");
    case OverflowPolicy::DropNewest: return QStringLiteral("drop-newest");
    case OverflowPolicy::Block: return QStringLiteral("block");
    }
    return QString();
}

bool parseOverflowPolicy(const QString &name, OverflowPolicy *policy)
{
    for (OverflowPolicy p : {OverflowPolicy::DropOldest, OverflowPolicy::DropNewest,
                             OverflowPolicy::Block}) {
        if (name.trimmed().compare(overflowPolicyName(p), Qt::CaseInsensitive) == 0) {
            if (policy)
                *policy = p;
            return true;
        }
    }
    return false;
}

QString wireFormatName(WireFormat format)
{
    switch (format) {
    case WireFormat::Json: return QStringLiteral("json");
    case WireFormat::JsonGzip: return QStringLiteral("json-gzip");
    case WireFormat::Protobuf: return QStringLiteral("protobuf");
    case WireFormat::Otlp: return QStringLiteral("otlp");
    case WireFormat::OtlpJson: return QStringLiteral("otlp-json");
    case WireFormat::OtlpGzip: return QStringLiteral("otlp-gzip");
    case WireFormat::OtlpJsonGzip: return QStringLiteral("otlp-json-gzip");
    }
    return QString();
}

bool parseWireFormat(const QString &name, WireFormat *format)
{
    for (WireFormat f : {WireFormat::Json, WireFormat::JsonGzip, WireFormat::Protobuf,
                         WireFormat::Otlp, WireFormat::OtlpJson, WireFormat::OtlpGzip,
                         WireFormat::OtlpJsonGzip}) {
        if (name.trimmed().compare(wireFormatName(f), Qt::CaseInsensitive) == 0) {
            if (format)
                *format = f;
            return true;
        }
    }
    return false;
}

QString metadataModeName(MetadataMode mode)
{
    switch (mode) {
    case MetadataMode::Auto: return QStringLiteral("auto");
    case MetadataMode::Structured: return QStringLiteral("structured");
    case MetadataMode::Logfmt: return QStringLiteral("logfmt");
    case MetadataMode::Json: return QStringLiteral("json");
    }
    return QString();
}

bool parseMetadataMode(const QString &name, MetadataMode *mode)
{
    for (MetadataMode m : {MetadataMode::Auto, MetadataMode::Structured, MetadataMode::Logfmt,
                           MetadataMode::Json}) {
        if (name.trimmed().compare(metadataModeName(m), Qt::CaseInsensitive) == 0) {
            if (mode)
                *mode = m;
            return true;
        }
    }
    return false;
}

QString lineLimitPolicyName(LineLimitPolicy policy)
{
    return policy == LineLimitPolicy::Truncate ? QStringLiteral("truncate")
                                               : QStringLiteral("reject");
}

bool parseLineLimitPolicy(const QString &name, LineLimitPolicy *policy)
{
    for (LineLimitPolicy p : {LineLimitPolicy::Truncate, LineLimitPolicy::Reject}) {
        if (name.trimmed().compare(lineLimitPolicyName(p), Qt::CaseInsensitive) == 0) {
            if (policy)
                *policy = p;
            return true;
        }
    }
    return false;
}

QString stateName(State state)
{
    switch (state) {
    case State::Online: return QStringLiteral("Online");
    case State::Retrying: return QStringLiteral("Retrying");
    case State::Offline: return QStringLiteral("Offline");
    case State::Stopped: return QStringLiteral("Stopped");
    }
    return QString();
}

} // namespace QLoki
