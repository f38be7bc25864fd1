// SPDX-License-Identifier: MIT
#include "sendoptions.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QUrl>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr int MaxThreads = 1024;

QString helpDescription()
{
    return u"Ships lines to Grafana Loki the way logger(1) ships them to syslog.\n"
           "\n"
           "The entry comes from the arguments (joined by spaces, one entry), else from\n"
           "standard input (one entry per non-empty line), or --count numbered synthetic\n"
           "entries. Options override the LOKI_* environment variables (LOKI_URL,\n"
           "LOKI_APP_NAME, LOKI_ENVIRONMENT, LOKI_TENANT, LOKI_FORMAT, ...).\n"
           "\n"
           "Standard input is read in chunks: a line longer than the line limit\n"
           "(LOKI_MAX_LINE_BYTES, 256 KiB) is cut as it is read, so a stream without\n"
           "newlines never takes more memory than the limit.\n"
           "\n"
           "At the end loki-send waits up to --timeout seconds for delivery, then stops.\n"
           "SIGINT (Ctrl-C) or SIGTERM ends the input early: what was read (and what a\n"
           "pipe already holds) is delivered within --timeout, the statistics are\n"
           "printed, and loki-send ends by that signal; a second one ends it at once.\n"
           "Exit status: 0 when every entry was delivered, 1 when some were dropped or\n"
           "are still pending or standard input could not be read, 2 on bad usage or an\n"
           "invalid configuration."_s;
}

bool parseSeconds(const QString &text, std::chrono::milliseconds *result)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > 365.0 * 24 * 3600)
        return false;
    *result = std::chrono::milliseconds(std::llround(seconds * 1000.0));
    return true;
}

bool parseKeyValue(const QString &text, QString *key, QString *value)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0)
        return false;
    *key = text.left(eq).trimmed();
    *value = text.mid(eq + 1);
    return !key->isEmpty();
}

} // namespace

ParseOutcome parseSendOptions(const QStringList &arguments, SendOptions *options,
                              QString *output, QString *error)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(helpDescription());
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help and exit."_s);
    const QCommandLineOption version(u"version"_s, u"Show the version and exit."_s);
    const QCommandLineOption url(u"url"_s,
        u"Loki base or push URL (default: LOKI_URL, else http://localhost:3100)."_s,
        u"url"_s);
    const QCommandLineOption app(u"app"_s, u"Value of the app label (default: loki-send)."_s,
                                 u"name"_s);
    const QCommandLineOption env(u"env"_s,
        u"Value of the environment label (default: production)."_s, u"name"_s);
    const QCommandLineOption level(u"level"_s,
        u"Level of the entries: debug, info, warning, error or critical (default: info)."_s,
        u"level"_s);
    const QCommandLineOption label(u"label"_s, u"Adds a stream label (repeatable)."_s,
                                   u"k=v"_s);
    const QCommandLineOption meta(u"meta"_s,
        u"Adds structured metadata to every entry (repeatable)."_s, u"k=v"_s);
    const QCommandLineOption count(u"count"_s,
        u"Sends N synthetic entries \"synthetic entry <i>\", i = 1..N."_s, u"N"_s);
    const QCommandLineOption threads(u"threads"_s,
        u"With --count: logs from T threads that split the N entries (default: 1)."_s,
        u"T"_s);
    const QCommandLineOption batchEntries(u"batch-entries"_s,
        u"Pushes a batch once it holds this many entries (default: 1000)."_s, u"n"_s);
    const QCommandLineOption batchBytes(u"batch-bytes"_s,
        u"... or this many bytes of lines (default: 1048576)."_s, u"n"_s);
    const QCommandLineOption flushInterval(u"flush-interval"_s,
        u"Longest wait of an entry before its batch is pushed (default: 5)."_s,
        u"seconds"_s);
    const QCommandLineOption maxRetries(u"max-retries"_s,
        u"Retries of a failed push (default: 3)."_s, u"n"_s);
    const QCommandLineOption minBackoff(u"min-backoff"_s,
        u"Delay before the first retry, doubled for each further one (default: 0.5)."_s,
        u"seconds"_s);
    const QCommandLineOption maxBackoff(u"max-backoff"_s,
        u"Longest delay between two tries (default: 30)."_s, u"seconds"_s);
    const QCommandLineOption bufferSize(u"buffer-size"_s,
        u"Most entries held while not yet delivered (default: 1000)."_s, u"n"_s);
    const QCommandLineOption bufferBytes(u"buffer-bytes"_s,
        u"... and most bytes their lines and metadata hold in memory, at least 65536; the "
        "overflow policy applies at whichever bound is reached first (default: 16777216)."_s,
        u"n"_s);
    const QCommandLineOption overflow(u"overflow"_s,
        u"When the buffer is full: block (wait, lose nothing; the default), drop-oldest "
        "or drop-newest."_s,
        u"policy"_s);
    const QCommandLineOption contextEntries(
            u"context-entries"_s,
            u"Keeps the last n entries below the minimum level (LOKI_MIN_LEVEL) and sends them "
            "before the next entry at error level or above, as its context (default: 0, off)."_s,
            u"n"_s);
    const QCommandLineOption noOfflineBuffer(u"no-offline-buffer"_s,
        u"Drops batches whose retries are exhausted instead of keeping them."_s);
    const QCommandLineOption noRedact(u"no-redact"_s,
        u"Sends secrets (passwords, tokens, keys) as they are instead of [REDACTED]."_s);
    const QCommandLineOption format(
            u"format"_s,
            u"Body of a push: json, json-gzip or protobuf (default: protobuf) for Loki's push "
            "API; otlp, otlp-json, otlp-gzip or otlp-json-gzip for OTLP/HTTP (Loki 3's "
            "/otlp/v1/logs from a base URL, or a collector's URL ending in /v1/logs)."_s,
            u"format"_s);
    const QCommandLineOption tenant(u"tenant"_s, u"X-Scope-OrgID of a multi-tenant Loki."_s,
                                    u"id"_s);
    const QCommandLineOption metadataMode(u"metadata-mode"_s,
        u"How metadata travels: auto, structured, logfmt or json (default: auto)."_s, u"mode"_s);
    const QCommandLineOption user(u"user"_s, u"User for HTTP basic auth."_s, u"name"_s);
    const QCommandLineOption password(u"password"_s,
        u"Password for HTTP basic auth (prefer LOKI_PASSWORD: arguments are visible to other "
        "users)."_s, u"password"_s);
    const QCommandLineOption bearer(u"bearer"_s, u"Bearer token (Authorization: Bearer)."_s,
                                    u"token"_s);
    const QCommandLineOption header(u"header"_s, u"Adds an HTTP header to every push "
        "(repeatable)."_s, u"name:value"_s);
    const QCommandLineOption ca(u"ca"_s, u"PEM file of CA certificates to trust for HTTPS."_s,
                                u"file"_s);
    const QCommandLineOption cert(u"cert"_s, u"PEM client certificate (mutual TLS)."_s,
                                  u"file"_s);
    const QCommandLineOption key(u"key"_s, u"PEM private key of --cert."_s, u"file"_s);
    const QCommandLineOption insecure(u"insecure"_s,
        u"Accepts any server certificate (development only: no protection against a "
        "server that is not the one you meant)."_s);
    const QCommandLineOption spool(u"spool"_s,
        u"Keeps entries that cannot be delivered yet in this directory (crash-safe); a later "
        "run delivers them (use --count 0 to only deliver what is there)."_s, u"dir"_s);
    const QCommandLineOption spoolDurability(u"spool-durability"_s,
        u"flush (survives a killed process; the default) or fsync (survives a power loss)."_s,
        u"mode"_s);
    const QCommandLineOption timeout(u"timeout"_s,
        u"How long to wait for delivery at the end (default: 30)."_s, u"seconds"_s);
    const QCommandLineOption sync(u"sync"_s,
        u"Each entry is logged synchronously: the call returns once it was delivered."_s);
    const QCommandLineOption stats(u"stats"_s,
        u"Prints the final statistics on stdout; the only format is json."_s, u"format"_s);
    const QCommandLineOption quiet({u"q"_s, u"quiet"_s},
        u"Prints nothing on stderr but usage errors."_s);
    parser.addOptions({help,
                       version,
                       url,
                       app,
                       env,
                       level,
                       label,
                       meta,
                       count,
                       threads,
                       batchEntries,
                       batchBytes,
                       flushInterval,
                       maxRetries,
                       minBackoff,
                       maxBackoff,
                       bufferSize,
                       bufferBytes,
                       overflow,
                       contextEntries,
                       noOfflineBuffer,
                       format,
                       tenant,
                       metadataMode,
                       user,
                       password,
                       bearer,
                       header,
                       ca,
                       cert,
                       key,
                       insecure,
                       spool,
                       spoolDurability,
                       noRedact,
                       timeout,
                       sync,
                       stats,
                       quiet});
    parser.addPositionalArgument(u"message"_s,
        u"The entry to send (all arguments joined by spaces)."_s, u"[message...]"_s);

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return ParseOutcome::UsageError;
    }
    if (parser.isSet(help)) {
        *output = parser.helpText();
        return ParseOutcome::ExitSuccess;
    }
    if (parser.isSet(version)) {
        *output = u"loki-send "_s + QLatin1String(LOKI_SEND_VERSION) + u'\n';
        return ParseOutcome::ExitSuccess;
    }

    QStringList errors;
    LokiConfig &config = options->config;
    config.setAppName(u"loki-send"_s);
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    QStringList envErrors;
    if (!config.applyEnvironment(&envErrors)) {
        for (const QString &e : std::as_const(envErrors))
            errors << u"environment: "_s + e;
    }

    const auto intOption = [&](const QCommandLineOption &option, auto apply) {
        if (!parser.isSet(option))
            return;
        bool ok = false;
        const QString text = parser.value(option);
        const qint64 value = text.toLongLong(&ok);
        if (ok)
            apply(value);
        else
            errors << u"--%1: \"%2\" is not a whole number"_s.arg(option.names().constLast(), text);
    };
    // True when the option was given and *target now holds it.
    const auto secondsOption = [&](const QCommandLineOption &option,
                                   std::chrono::milliseconds *target) {
        if (!parser.isSet(option))
            return false;
        if (parseSeconds(parser.value(option), target))
            return true;
        errors << u"--%1: \"%2\" is not a number of seconds"_s.arg(
            option.names().constLast(), parser.value(option));
        return false;
    };
    const auto toInt = [](qint64 v) {
        return int(std::clamp<qint64>(v, std::numeric_limits<int>::min(),
                                      std::numeric_limits<int>::max()));
    };

    if (parser.isSet(url)) {
        const QUrl u = QUrl::fromUserInput(parser.value(url));
        if (!u.isValid() || u.host().isEmpty())
            errors << u"--url: \"%1\" is not a valid URL"_s.arg(parser.value(url));
        config.setUrl(u);
    }
    if (parser.isSet(app))
        config.setAppName(parser.value(app));
    if (parser.isSet(env))
        config.setEnvironment(parser.value(env));
    if (parser.isSet(level) && !QLoki::parseLevel(parser.value(level), &options->level))
        errors << u"--level: \"%1\" is not one of debug, info, warning, error, critical"_s.arg(
            parser.value(level));
    for (const QString &kv : parser.values(label)) {
        QString key, value;
        if (parseKeyValue(kv, &key, &value))
            options->labels.insert(key, value);
        else
            errors << u"--label: \"%1\" is not of the form key=value"_s.arg(kv);
    }
    for (const QString &kv : parser.values(meta)) {
        QString key, value;
        if (parseKeyValue(kv, &key, &value))
            options->metadata.insert(key, value);
        else
            errors << u"--meta: \"%1\" is not of the form key=value"_s.arg(kv);
    }
    intOption(batchEntries, [&](qint64 v) { config.setBatchMaxEntries(toInt(v)); });
    intOption(batchBytes, [&](qint64 v) { config.setBatchMaxBytes(v); });
    intOption(maxRetries, [&](qint64 v) { config.setMaxRetries(toInt(v)); });
    intOption(bufferSize, [&](qint64 v) { config.setBufferSize(toInt(v)); });
    intOption(bufferBytes, [&](qint64 v) { config.setBufferMaxBytes(v); });
    intOption(contextEntries, [&](qint64 v) { config.setContextEntries(toInt(v)); });
    std::chrono::milliseconds seconds;
    if (secondsOption(flushInterval, &seconds))
        config.setFlushInterval(seconds);
    if (secondsOption(minBackoff, &seconds))
        config.setMinBackoff(seconds);
    if (secondsOption(maxBackoff, &seconds))
        config.setMaxBackoff(seconds);
    secondsOption(timeout, &options->timeout);
    QLoki::OverflowPolicy overflowPolicy;
    if (parser.isSet(overflow)) {
        if (QLoki::parseOverflowPolicy(parser.value(overflow), &overflowPolicy))
            config.setOverflowPolicy(overflowPolicy);
        else
            errors << u"--overflow: \"%1\" is not one of block, drop-oldest, drop-newest"_s.arg(
                parser.value(overflow));
    }
    if (parser.isSet(noOfflineBuffer))
        config.setEnableOfflineBuffer(false);
    if (parser.isSet(noRedact))
        config.setRedactSecrets(false);
    QLoki::WireFormat wireFormat;
    if (parser.isSet(format)) {
        if (QLoki::parseWireFormat(parser.value(format), &wireFormat))
            config.setFormat(wireFormat);
        else
            errors << u"--format: \"%1\" is not one of json, json-gzip, protobuf, otlp, "
                      "otlp-json, otlp-gzip, otlp-json-gzip"_s.arg(parser.value(format));
    }
    if (parser.isSet(tenant))
        config.setTenant(parser.value(tenant));
    QLoki::MetadataMode mode;
    if (parser.isSet(metadataMode)) {
        if (QLoki::parseMetadataMode(parser.value(metadataMode), &mode))
            config.setMetadataMode(mode);
        else
            errors << u"--metadata-mode: \"%1\" is not one of auto, structured, logfmt, json"_s
                          .arg(parser.value(metadataMode));
    }
    if (parser.isSet(user))
        config.setUsername(parser.value(user));
    if (parser.isSet(password))
        config.setPassword(parser.value(password));
    if (parser.isSet(bearer))
        config.setBearerToken(parser.value(bearer));
    QMap<QString, QString> headers = config.headers();
    for (const QString &h : parser.values(header)) {
        const qsizetype colon = h.indexOf(u':');
        if (colon <= 0)
            errors << u"--header: \"%1\" is not name:value"_s.arg(h);
        else
            headers.insert(h.left(colon).trimmed(), h.mid(colon + 1).trimmed());
    }
    config.setHeaders(headers);
    if (parser.isSet(ca))
        config.setCaFile(parser.value(ca));
    if (parser.isSet(cert))
        config.setClientCertificateFile(parser.value(cert));
    if (parser.isSet(key))
        config.setClientKeyFile(parser.value(key));
    if (parser.isSet(insecure))
        config.setInsecureSkipTlsVerification(true);
    if (parser.isSet(spool))
        config.setSpoolDirectory(parser.value(spool));
    if (parser.isSet(spoolDurability)) {
        const QString mode = parser.value(spoolDurability);
        if (mode == u"flush"_s)
            config.setSpoolDurability(QLoki::SpoolDurability::Flush);
        else if (mode == u"fsync"_s)
            config.setSpoolDurability(QLoki::SpoolDurability::Fsync);
        else
            errors << u"--spool-durability: \"%1\" is not one of flush, fsync"_s.arg(mode);
    }
    if (parser.isSet(sync))
        config.setUseSendBeacon(false);
    if (parser.isSet(stats)) {
        if (parser.value(stats) == u"json"_s)
            options->statsJson = true;
        else
            errors << u"--stats: \"%1\" is not a known format (json)"_s.arg(parser.value(stats));
    }
    options->quiet = parser.isSet(quiet);

    // What to send.
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(count)) {
        options->source = EntrySource::Synthetic;
        intOption(count, [&](qint64 v) {
            if (v < 0)
                errors << u"--count: must not be negative"_s;
            options->count = v;
        });
        if (!positional.isEmpty())
            errors << u"--count and a message cannot be used together"_s;
    } else if (!positional.isEmpty()) {
        options->source = EntrySource::Arguments;
        options->message = positional.join(u' ');
    } else {
        options->source = EntrySource::Stdin;
    }
    if (parser.isSet(threads)) {
        if (!parser.isSet(count))
            errors << u"--threads: only works with --count"_s;
        intOption(threads, [&](qint64 v) {
            if (v < 1 || v > MaxThreads)
                errors << u"--threads: must be between 1 and %1"_s.arg(MaxThreads);
            options->threads = toInt(v);
        });
    }

    errors << config.validate();
    if (!errors.isEmpty()) {
        *error = errors.join(u'\n');
        return ParseOutcome::UsageError;
    }
    return ParseOutcome::Run;
}
