// SPDX-License-Identifier: MIT
#include "options.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <functional>
#include <limits>
#include <vector>

namespace {

using Reason = LokiReceiver::RefusalReason;

constexpr qint64 IntMax = std::numeric_limits<int>::max();
constexpr qint64 Century = 100LL * 365 * 24 * 3600;

// A numeric option: its range and where its value goes.
struct NumberOption
{
    const char *name;
    const char *valueName;
    const char *description;
    qint64 minimum;
    qint64 maximum;
    std::function<void(ReceiverOptions &, qint64)> apply;
};

const std::vector<NumberOption> &numberOptions()
{
    using std::chrono::seconds;
    static const std::vector<NumberOption> options {
            {"port", "port", "Port to listen on (default 3100); 0 picks a free one.", 0, 65535,
             [](ReceiverOptions &o, qint64 v) { o.port = quint16(v); }},
            {"max-entries", "count",
             "Entries kept in memory (oldest evicted; 0: no bound). Default 1000000.", 0,
             std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.maxEntries = v; }},
            {"max-line-size", "bytes",
             "Longest accepted line in bytes (0: no limit). Default 262144.", 0, IntMax,
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxLineSize(int(v)); }},
            {"max-label-names", "count", "Label names per stream. Default 15.", 0, 1 << 20,
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxLabelNamesPerSeries(int(v)); }},
            {"max-structured-metadata-size", "bytes",
             "Bytes of an entry's structured metadata (0: no limit). Default 65536.", 0,
             std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxStructuredMetadataSize(v); }},
            {"max-structured-metadata-count", "count",
             "Names in an entry's structured metadata (0: no limit). Default 128.", 0, IntMax,
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxStructuredMetadataCount(int(v)); }},
            {"out-of-order-window", "seconds",
             "Seconds an entry may be older than its stream's newest (0: any). Default 3600.", 0,
             Century,
             [](ReceiverOptions &o, qint64 v) { o.limits.setOutOfOrderWindow(seconds(v)); }},
            {"max-body", "bytes",
             "Largest request body, as Loki's distributor.max_recv_msg_size; larger ones get "
             "413 unread (0: no limit). Default 104857600.",
             0, std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxBodyBytes(v); }},
            {"max-decompressed", "bytes",
             "Largest push body once decompressed; 413 beyond it (0: no limit). Default "
             "67108864.",
             0, std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxDecompressedBytes(v); }},
            {"max-streams-per-push", "count",
             "Streams in one push; 413 beyond (0: no limit). Default 5000.", 0, IntMax,
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxStreamsPerPush(int(v)); }},
            {"max-entries-per-push", "count",
             "Entries in one push; 413 beyond (0: no limit). Default 1000000.", 0,
             std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxEntriesPerPush(v); }},
            {"max-store-bytes", "bytes",
             "Bytes the memory store holds, oldest entries and empty streams evicted (0: no "
             "bound). Default 536870912.",
             0, std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxStoredBytes(v); }},
            {"max-query-limit", "entries",
             "Largest query limit, as Loki's max_entries_limit_per_query; 400 above (0: no "
             "limit). Default 5000.",
             0, IntMax,
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxEntriesLimitPerQuery(int(v)); }},
            {"max-connections", "count",
             "Open connections; further ones wait to be accepted (0: no limit). Default 1024.", 0,
             IntMax, [](ReceiverOptions &o, qint64 v) { o.limits.setMaxConnections(int(v)); }},
            {"idle-timeout", "seconds",
             "Close connections idle this long, as Loki's http_server_idle_timeout (0: never). "
             "Default 120.",
             0, Century,
             [](ReceiverOptions &o, qint64 v) {
                 o.limits.setIdleTimeout(std::chrono::seconds(v));
             }},
            {"max-header-bytes", "bytes",
             "Request line and headers; 431 beyond them (0: no limit; Go's http.Server, before "
             "Loki, allows 1048576). Default 65536: send longer queries as a POST form.",
             0, std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.limits.setMaxHeaderBytes(v); }},
            {"refuse-count", "count",
             "With --refuse: entries (streams for labels) to refuse; default -1, until cleared.",
             -1, IntMax, [](ReceiverOptions &o, qint64 v) { o.refuseCount = int(v); }},
            {"refuse-every", "n",
             "With --refuse: refuse one entry (or stream) of every n. Default 1.", 1, IntMax,
             [](ReceiverOptions &o, qint64 v) { o.refuseEvery = int(v); }},
            {"refuse-bodies-above", "bytes",
             "Fault: answer pushes with a larger body 413, as a gateway's body limit.", 0,
             std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.refuseBodiesAbove = v; }},
            {"block-ingestion", "seconds",
             "Fault: block ingestion for this long as Loki's blocked_ingestion_until (260, "
             "nothing stored).",
             0, Century, [](ReceiverOptions &o, qint64 v) { o.blockIngestion = seconds(v); }},
            {"block-status", "status", "The status of --block-ingestion. Default 260.", 200, 599,
             [](ReceiverOptions &o, qint64 v) { o.blockStatus = int(v); }},
            {"ingestion-rate", "bytes",
             "Fault: limit each tenant to this many bytes per second as Loki's ingestion_rate_mb "
             "(429 above).",
             0, std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.ingestionRate = v; }},
            {"ingestion-burst", "bytes",
             "The burst of --ingestion-rate, as ingestion_burst_size_mb. Default: the rate.", 0,
             std::numeric_limits<qint64>::max(),
             [](ReceiverOptions &o, qint64 v) { o.ingestionBurst = v; }},
    };
    return options;
}

struct ReasonName
{
    const char *name;
    Reason reason;
};

constexpr ReasonName Reasons[] = {
        {"line_too_long", Reason::LineTooLong},
        {"too_old", Reason::TooOld},
        {"too_new", Reason::TooNew},
        {"too_far_behind", Reason::TooFarBehind},
        {"labels", Reason::StreamLabels},
        {"metadata_disallowed", Reason::StructuredMetadataDisallowed},
        {"metadata_too_large", Reason::StructuredMetadataTooLarge},
};

QCommandLineOption option(const char *name, const char *description,
                          const char *valueName = nullptr)
{
    if (!valueName)
        return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description));
    return QCommandLineOption(QString::fromLatin1(name), QString::fromLatin1(description),
                              QString::fromLatin1(valueName));
}

} // namespace

int parseOptions(const QCoreApplication &app, ReceiverOptions *options, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "A Loki-compatible push receiver: accepts POST /loki/api/v1/push (JSON or "
            "protobuf) and OTLP/HTTP logs at POST /otlp/v1/logs (protobuf or JSON, stored as "
            "Loki 3 stores them), answers query_range, labels, /ready and /metrics, and takes "
            "faults on /receiver/faults; can check a tenant and credentials as a gateway does, and "
            "serve HTTPS. Prints the URL it listens on, then runs until SIGINT or SIGTERM."));
    parser.addHelpOption();
    const QCommandLineOption bind =
            option("bind", "Address to listen on (default 127.0.0.1).", "address");
    parser.addOption(bind);
    for (const NumberOption &number : numberOptions())
        parser.addOption(option(number.name, number.description, number.valueName));
    const QCommandLineOption store =
            option("store", "Append accepted entries to this file as JSON lines.", "file");
    const QCommandLineOption noMetadata =
            option("no-structured-metadata",
                   "Refuse each entry that carries structured metadata, as Loki 2.9 and 3.x do "
                   "with allow_structured_metadata: false.");
    const QCommandLineOption loki28Metadata =
            option("loki-2.8-metadata",
                   "With --no-structured-metadata, answer as Loki 2.8 instead: a JSON push with "
                   "metadata fails to parse as a whole, protobuf metadata is silently dropped.");
    const QCommandLineOption refuse =
            option("refuse",
                   "Fault: refuse entries with Loki's words for a reason: line_too_long, "
                   "too_old, too_new, too_far_behind, labels, metadata_disallowed, "
                   "metadata_too_large (see --refuse-every, --refuse-count).",
                   "reason");
    const QCommandLineOption buildVersion = option(
            "build-version", "Version reported by /loki/api/v1/status/buildinfo.", "version");
    const QCommandLineOption countingOnly = option(
            "counting-only", "Validate and count entries without storing them (benchmarks).");
    const QCommandLineOption quiet = option("quiet", "Print nothing but the URL line.");
    const QCommandLineOption tenant =
            option("tenant",
                   "Require \"X-Scope-OrgID: <id>\" on push and read requests (401 \"no org id\" "
                   "without it); reads see only this tenant's entries.",
                   "id");
    const QCommandLineOption basicAuth =
            option("basic-auth",
                   "Require HTTP basic auth on push, read and /receiver/ requests, as a gateway "
                   "does.",
                   "user:password");
    const QCommandLineOption bearer =
            option("bearer",
                   "Require \"Authorization: Bearer <token>\" on push, read and /receiver/ "
                   "requests (with --basic-auth: either one).",
                   "token");
    const QCommandLineOption tlsCert =
            option("tls-cert",
                   "Serve HTTPS with this PEM certificate (the first in the file); needs "
                   "--tls-key.",
                   "file");
    const QCommandLineOption tlsKey =
            option("tls-key", "The certificate's PEM private key (unencrypted).", "file");
    const QCommandLineOption tlsClientCa = option(
            "tls-client-ca",
            "Require client certificates issued by the CAs in this PEM file (mutual TLS).", "file");
    parser.addOptions({store, noMetadata, loki28Metadata, refuse, buildVersion, countingOnly, quiet,
                       tenant, basicAuth, bearer, tlsCert, tlsKey, tlsClientCa});
    parser.process(app);

    auto fail = [&err](const QString &message) {
        err << "loki-receiver: " << message << '\n';
        return 2;
    };
    for (const NumberOption &number : numberOptions()) {
        const QString name = QString::fromLatin1(number.name);
        if (!parser.isSet(name))
            continue;
        bool ok = false;
        const qint64 value = parser.value(name).toLongLong(&ok);
        if (!ok || value < number.minimum || value > number.maximum) {
            return fail(QStringLiteral("--%1 needs a number from %2 to %3, not \"%4\"")
                                .arg(name)
                                .arg(number.minimum)
                                .arg(number.maximum)
                                .arg(parser.value(name)));
        }
        number.apply(*options, value);
    }

    if (parser.isSet(bind)) {
        options->address = QHostAddress(parser.value(bind));
        if (options->address.isNull())
            return fail(QStringLiteral("--bind needs an IP address, not \"%1\"")
                                .arg(parser.value(bind)));
    }
    options->storeFile = parser.value(store);
    options->limits.setAllowStructuredMetadata(!parser.isSet(noMetadata));
    options->limits.setMetadataAsLoki28(parser.isSet(loki28Metadata));
    if (parser.isSet(loki28Metadata) && !parser.isSet(noMetadata))
        return fail(QStringLiteral("--loki-2.8-metadata needs --no-structured-metadata"));
    if (parser.isSet(refuse)) {
        for (const ReasonName &reason : Reasons) {
            if (parser.value(refuse) == QLatin1String(reason.name))
                options->refusal = reason.reason;
        }
        if (!options->refusal)
            return fail(QStringLiteral("--refuse needs a reason such as line_too_long, not \"%1\"")
                                .arg(parser.value(refuse)));
    }
    options->buildVersion = parser.value(buildVersion);
    options->countingOnly = parser.isSet(countingOnly);
    options->quiet = parser.isSet(quiet);

    if (parser.isSet(basicAuth)) {
        const QString credentials = parser.value(basicAuth);
        const qsizetype colon = credentials.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return fail(QStringLiteral("--basic-auth needs user:password with a user"));
        options->basicAuth = std::make_pair(credentials.left(colon), credentials.mid(colon + 1));
    }
    if (parser.isSet(bearer) && parser.value(bearer).isEmpty())
        return fail(QStringLiteral("--bearer needs a token"));
    options->bearerToken = parser.value(bearer);
    if (parser.isSet(tenant) && parser.value(tenant).isEmpty())
        return fail(QStringLiteral("--tenant needs an id"));
    options->tenant = parser.value(tenant);

    if (parser.isSet(tlsCert) != parser.isSet(tlsKey))
        return fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (parser.isSet(tlsClientCa) && !parser.isSet(tlsCert))
        return fail(QStringLiteral("--tls-client-ca needs --tls-cert and --tls-key"));
    options->tlsCertificate = parser.value(tlsCert);
    options->tlsKey = parser.value(tlsKey);
    options->tlsClientCa = parser.value(tlsClientCa);
    return 0;
}

bool applyOptions(const ReceiverOptions &options, LokiReceiver &receiver)
{
    receiver.setRequiredTenant(options.tenant);
    if (options.basicAuth)
        receiver.setBasicAuth(options.basicAuth->first, options.basicAuth->second);
    receiver.setBearerToken(options.bearerToken);
    receiver.setLimits(options.limits);
    if (options.maxEntries >= 0)
        receiver.setMaxStoredEntries(options.maxEntries);
    receiver.setCountingOnly(options.countingOnly);
    if (!options.buildVersion.isEmpty())
        receiver.setBuildVersion(options.buildVersion);

    if (options.refusal)
        receiver.refuseEntries(*options.refusal, options.refuseCount, options.refuseEvery);
    receiver.refuseBodiesAbove(options.refuseBodiesAbove);
    if (options.blockIngestion.count() > 0)
        receiver.blockIngestion(options.blockIngestion, options.blockStatus);
    receiver.setRateLimit(options.ingestionRate, options.ingestionBurst);
    return options.storeFile.isEmpty() || receiver.setStoreFile(options.storeFile);
}
