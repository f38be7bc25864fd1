// SPDX-License-Identifier: MIT
#include "model/lokiconfigoptions_p.h"

#include <cmath>

namespace QLoki::detail {

namespace {

bool parseDurability(const QString &name, SpoolDurability *out)
{
    if (name.compare(QLatin1String("flush"), Qt::CaseInsensitive) == 0)
        *out = SpoolDurability::Flush;
    else if (name.compare(QLatin1String("fsync"), Qt::CaseInsensitive) == 0)
        *out = SpoolDurability::Fsync;
    else
        return false;
    return true;
}

OptionMinimum atLeast(qint64 value, const char *note = nullptr,
                      QString LokiConfigData::*onlyWith = nullptr)
{
    return OptionMinimum{value, false, note, onlyWith};
}

OptionMinimum greaterThan(qint64 value)
{
    return OptionMinimum{value, true, nullptr, nullptr};
}

} // namespace

const std::vector<ConfigOption> &configOptions()
{
    using D = LokiConfigData;
    // One row per option; the accessors in lokiconfig.h document each with its JSON key
    // and variable (tst_lokiconfigoptions holds them to this table).
    // clang-format off
    static const std::vector<ConfigOption> options = {
    //   C++ name                       JSON key                         environment variable          field, smallest value accepted
        // The Python SDK's options
        {"appName",                     "app_name",                      "LOKI_APP_NAME",              &D::appName},
        {"environment",                 "environment",                   "LOKI_ENVIRONMENT",           &D::environment},
        {"endpoints",                   "endpoints",                     "LOKI_URL",                   &D::endpoints},
        {"useSendBeacon",               "use_send_beacon",               "LOKI_USE_SEND_BEACON",       &D::useSendBeacon},
        {"enableOfflineBuffer",         "enable_offline_buffer",         "LOKI_ENABLE_OFFLINE_BUFFER", &D::enableOfflineBuffer},
        {"bufferSize",                  "buffer_size",                   "LOKI_BUFFER_SIZE",           &D::bufferSize, atLeast(1)},
        {"flushInterval",               "flush_interval",                "LOKI_FLUSH_INTERVAL",        &D::flushInterval, greaterThan(0)},
        {"maxRetries",                  "max_retries",                   "LOKI_MAX_RETRIES",           &D::maxRetries, atLeast(0)},
        // QLoki's own options
        {"batchMaxEntries",             "batch_max_entries",             "LOKI_BATCH_MAX_ENTRIES",     &D::batchMaxEntries, atLeast(1)},
        {"batchMaxBytes",               "batch_max_bytes",               "LOKI_BATCH_MAX_BYTES",       &D::batchMaxBytes, atLeast(1024, "1 KiB")},
        {"bufferMaxBytes",              "buffer_max_bytes",              "LOKI_BUFFER_MAX_BYTES",      &D::bufferMaxBytes, atLeast(64 * 1024, "64 KiB")},
        {"requestTimeout",              "request_timeout",               "LOKI_REQUEST_TIMEOUT",       &D::requestTimeout, greaterThan(0)},
        {"minBackoff",                  "min_backoff",                   nullptr,                      &D::minBackoff, greaterThan(0)},
        {"maxBackoff",                  "max_backoff",                   nullptr,                      &D::maxBackoff},
        {"shutdownTimeout",             "shutdown_timeout",              nullptr,                      &D::shutdownTimeout, atLeast(0)},
        {"staticLabels",                "static_labels",                 "LOKI_LABELS",                &D::staticLabels},
        {"minimumLevel",                "minimum_level",                 "LOKI_MIN_LEVEL",
            choice<&D::minimumLevel, &parseLevel>("a level", "debug, info, warning, error, critical")},
        {"overflowPolicy",              "overflow_policy",               "LOKI_OVERFLOW",
            choice<&D::overflowPolicy, &parseOverflowPolicy>("an overflow policy", "drop-oldest, drop-newest, block")},
        {"format",                      "format",                        "LOKI_FORMAT",
            choice<&D::format, &parseWireFormat>("a format", "json, json-gzip, protobuf, otlp, otlp-json, otlp-gzip, otlp-json-gzip")},
        {"tenant",                      "tenant",                        "LOKI_TENANT",                &D::tenant},
        {"metadataMode",                "metadata_mode",                 "LOKI_METADATA_MODE",
            choice<&D::metadataMode, &parseMetadataMode>("a metadata mode", "auto, structured, logfmt, json")},
        {"maxLabelValues",              "max_label_values",              "LOKI_MAX_LABEL_VALUES",      &D::maxLabelValues, atLeast(0)},
        // Context on error
        {"contextEntries",              "context_entries",               "LOKI_CONTEXT_ENTRIES",       &D::contextEntries, atLeast(0)},
        {"contextTriggerLevel",         "context_trigger_level",         "LOKI_CONTEXT_TRIGGER_LEVEL",
            choice<&D::contextTriggerLevel, &parseLevel>("a level", "debug, info, warning, error, critical")},
        // Disk spool
        {"spoolDirectory",              "spool_directory",               "LOKI_SPOOL_DIR",             &D::spoolDirectory},
        {"spoolMaxBytes",               "spool_max_bytes",               nullptr,                      &D::spoolMaxBytes,
            atLeast(qint64(1) << 20, "1 MiB", &D::spoolDirectory)}, // only checked with a spool
        {"spoolDurability",             "spool_durability",              nullptr,
            choice<&D::spoolDurability, &parseDurability>("a spool durability", "flush, fsync")},
        // Access
        {"username",                    "username",                      "LOKI_USERNAME",              &D::username},
        {"password",                    "password",                      "LOKI_PASSWORD",              &D::password},
        {"bearerToken",                 "bearer_token",                  "LOKI_BEARER_TOKEN",          &D::bearerToken},
        {"headers",                     "headers",                       "LOKI_HEADERS",               HeaderField{&D::headers}},
        {"caFile",                      "ca_file",                       "LOKI_CA_FILE",               FileField{&D::caFile}},
        {"clientCertificateFile",       "client_cert_file",              "LOKI_CLIENT_CERT",           FileField{&D::clientCertificateFile}},
        {"clientKeyFile",               "client_key_file",               "LOKI_CLIENT_KEY",            FileField{&D::clientKeyFile}},
        {"insecureSkipTlsVerification", "insecure_skip_tls_verification", nullptr,                     &D::insecureSkipTlsVerification},
        // Bad input
        {"maxLineBytes",                "max_line_bytes",                "LOKI_MAX_LINE_BYTES",        &D::maxLineBytes, atLeast(1024)},
        {"lineLimitPolicy",             "line_limit_policy",             nullptr,
            choice<&D::lineLimitPolicy, &parseLineLimitPolicy>("a line limit policy", "truncate, reject")},
        // Redaction of secrets
        {"redactSecrets",               "redact_secrets",                "LOKI_REDACT_SECRETS",        &D::redactSecrets},
        {"redactions",                  "redactions",                    nullptr,                      RedactionsField{&D::redactions}},
        {"redactionReplacement",        "redaction_replacement",         nullptr,                      &D::redactionReplacement},
    };
    // clang-format on
    return options;
}

const ConfigOption *findJsonOption(QStringView key)
{
    for (const ConfigOption &option : configOptions()) {
        if (key == QLatin1String(option.jsonKey))
            return &option;
    }
    return nullptr;
}

bool sameOptions(const LokiConfigData &a, const LokiConfigData &b)
{
    for (const ConfigOption &option : configOptions()) {
        const bool same = std::visit(
                Overloaded{
                        [&](FileField f) { return a.*f.member == b.*f.member; },
                        [&](HeaderField f) { return a.*f.member == b.*f.member; },
                        [&](RedactionsField f) { return a.*f.member == b.*f.member; },
                        [&](ChoiceField f) { return f.equal(a, b); },
                        [&](auto member) { return a.*member == b.*member; },
                },
                option.field);
        if (!same)
            return false;
    }
    return true;
}

QString dashed(const QString &name)
{
    QString n = name;
    return n.replace(QLatin1Char('_'), QLatin1Char('-'));
}

// Longer than any sensible duration, short enough that the milliseconds fit in 64 bits.
constexpr double maxDurationSeconds = 1e9;

bool secondsToDuration(double seconds, std::chrono::milliseconds *out)
{
    if (!std::isfinite(seconds) || std::fabs(seconds) > maxDurationSeconds)
        return false;
    *out = std::chrono::milliseconds(std::llround(seconds * 1000.0));
    return true;
}

} // namespace QLoki::detail
