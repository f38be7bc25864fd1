// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokitypes.h>

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QRegularExpression>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <chrono>
#include <optional>

class LokiConfigPrivate;

namespace QLoki {
/*!
    One rule of LokiConfig::redactions(): every match of \a pattern in a line or a
    metadata value becomes \a replacement, in which `\1` … `\99` stand for the pattern's
    captures (as in QString::replace()). A null replacement stands for
    LokiConfig::redactionReplacement().

    \code
    config.setRedactions({{QRegularExpression("customer-\\d{6}"), "customer-######"}});
    \endcode
*/
struct Redaction
{
    QRegularExpression pattern;
    QString replacement;

    friend bool operator==(const Redaction &a, const Redaction &b)
    {
        return a.pattern == b.pattern && a.replacement == b.replacement
                && a.replacement.isNull() == b.replacement.isNull();
    }
    friend bool operator!=(const Redaction &a, const Redaction &b) { return !(a == b); }
};
} // namespace QLoki

/*!
    Every option of a LokiLogger, with its default.

    An implicitly shared value class: copies are cheap, and options are read and set
    through accessors, so that later options do not change the class's size (see "ABI and
    versioning" in the README). Each setter returns the configuration, so settings chain:

    \code
    LokiConfig config;
    config.setAppName("demo-cpp")
          .setUrl(QUrl("http://localhost:3100"));
    if (const QStringList errors = config.validate(); !errors.isEmpty())
        qWarning() << errors;
    \endcode

    The first block mirrors the Python SDK that QLoki replaces (`app_name`,
    `environment`, `endpoints`, `use_send_beacon`, `enable_offline_buffer`, `buffer_size`,
    `flush_interval`, `max_retries`) with the same defaults; the rest are QLoki's own.
    Each option's documentation names its key in fromJson() and, where there is one, its
    variable in applyEnvironment(); durations are given in seconds there (fractions allowed).
*/
class QLOKI_EXPORT LokiConfig
{
public:
    //! The defaults.
    LokiConfig();
    //! A copy; it shares \a other's options until one of the two changes.
    LokiConfig(const LokiConfig &other);
    //! Takes \a other's options; \a other can then only be assigned or destroyed.
    LokiConfig(LokiConfig &&other) noexcept;
    ~LokiConfig();
    //! Copies \a other's options (shared until one of the two changes).
    LokiConfig &operator=(const LokiConfig &other);
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(LokiConfig)
    //! Swaps the options of this configuration and \a other.
    void swap(LokiConfig &other) noexcept { d.swap(other.d); }

    //! True when every option is equal.
    bool operator==(const LokiConfig &other) const;
    //! True when an option differs.
    bool operator!=(const LokiConfig &other) const { return !operator==(other); }

    // --- The Python SDK's options -------------------------------------------------------
    //! Required. Becomes the stream label `app`. JSON `app_name`, LOKI_APP_NAME.
    QString appName() const;
    //! Sets appName().
    LokiConfig &setAppName(const QString &appName);
    //! Becomes the stream label `environment`; "production". JSON `environment`,
    //! LOKI_ENVIRONMENT.
    QString environment() const;
    //! Sets environment().
    LokiConfig &setEnvironment(const QString &environment);
    /*!
        Named endpoints; the one named "loki" receives the pushes (see url()). A base URL
        such as `http://host:3100` works as well as the full `/loki/api/v1/push` path.
        Default: "loki" is http://localhost:3100/loki/api/v1/push. JSON `endpoints` (an
        object of names and URLs), LOKI_URL (the "loki" one).
    */
    QMap<QString, QUrl> endpoints() const;
    //! Sets endpoints().
    LokiConfig &setEndpoints(const QMap<QString, QUrl> &endpoints);
    //! The endpoint pushes go to, endpoints()["loki"]; see pushUrl() for the full URL.
    QUrl url() const;
    //! Sets endpoints()["loki"], keeping the other endpoints.
    LokiConfig &setUrl(const QUrl &url);
    //! true (the default): logging calls return at once and a sender thread pushes.
    //! false: each call returns after its entry was delivered or finally failed.
    //! JSON `use_send_beacon`, LOKI_USE_SEND_BEACON.
    bool useSendBeacon() const;
    //! Sets useSendBeacon().
    LokiConfig &setUseSendBeacon(bool useSendBeacon);
    //! true (the default): batches whose retries are exhausted stay buffered and are
    //! pushed again later. false: they are dropped with DropReason::RetriesExhausted.
    //! JSON `enable_offline_buffer`, LOKI_ENABLE_OFFLINE_BUFFER.
    bool enableOfflineBuffer() const;
    //! Sets enableOfflineBuffer().
    LokiConfig &setEnableOfflineBuffer(bool enableOfflineBuffer);
    //! The most entries held while not yet delivered (queued, in flight or buffered);
    //! 1000, at least 1. JSON `buffer_size`, LOKI_BUFFER_SIZE.
    int bufferSize() const;
    //! Sets bufferSize().
    LokiConfig &setBufferSize(int bufferSize);
    //! How long an entry may wait before its batch is pushed; 5 s, more than 0.
    //! JSON `flush_interval`, LOKI_FLUSH_INTERVAL.
    std::chrono::milliseconds flushInterval() const;
    //! Sets flushInterval().
    LokiConfig &setFlushInterval(std::chrono::milliseconds flushInterval);
    //! Retries of a failed push (after the first try) before giving up on it; 3, 0 or
    //! more. JSON `max_retries`, LOKI_MAX_RETRIES.
    int maxRetries() const;
    //! Sets maxRetries().
    LokiConfig &setMaxRetries(int maxRetries);

    // --- QLoki's own options --------------------------------------------------------------
    //! A batch is pushed as soon as it holds this many entries (at most half of
    //! bufferSize(): the other half keeps room for new entries while a push is on the
    //! wire); 1000, at least 1. JSON `batch_max_entries`, LOKI_BATCH_MAX_ENTRIES.
    int batchMaxEntries() const;
    //! Sets batchMaxEntries().
    LokiConfig &setBatchMaxEntries(int batchMaxEntries);
    //! ... or this many bytes of lines (UTF-8); 1 MiB, at least 1 KiB.
    //! JSON `batch_max_bytes`, LOKI_BATCH_MAX_BYTES.
    qint64 batchMaxBytes() const;
    //! Sets batchMaxBytes().
    LokiConfig &setBatchMaxBytes(qint64 batchMaxBytes);
    /*!
        The most bytes the entries not yet delivered may hold in memory (queued, in flight or
        buffered: lines and metadata as held, UTF-16 until the sender thread resolves them,
        UTF-8 after); 16 MiB, at least 64 KiB. The buffer is full when this or bufferSize()
        is reached, whichever first; overflowPolicy() applies to both, drops count as
        DropReason::BufferFull. With a disk spool, memory spills there at half of it.
        JSON `buffer_max_bytes`, LOKI_BUFFER_MAX_BYTES.
    */
    qint64 bufferMaxBytes() const;
    //! Sets bufferMaxBytes().
    LokiConfig &setBufferMaxBytes(qint64 bufferMaxBytes);
    //! Timeout of one HTTP request; 10 s, more than 0. JSON `request_timeout`,
    //! LOKI_REQUEST_TIMEOUT.
    std::chrono::milliseconds requestTimeout() const;
    //! Sets requestTimeout().
    LokiConfig &setRequestTimeout(std::chrono::milliseconds requestTimeout);
    //! Delay before the first retry, doubled for each further one, with jitter; 500 ms,
    //! more than 0 and at most maxBackoff(). JSON `min_backoff`.
    std::chrono::milliseconds minBackoff() const;
    //! Sets minBackoff().
    LokiConfig &setMinBackoff(std::chrono::milliseconds minBackoff);
    //! The longest delay between two tries (also caps a server's Retry-After); 30 s.
    //! JSON `max_backoff`.
    std::chrono::milliseconds maxBackoff() const;
    //! Sets maxBackoff().
    LokiConfig &setMaxBackoff(std::chrono::milliseconds maxBackoff);
    //! How long flush() at exit and shutdown() wait for pending entries; 5 s, 0 or more.
    //! JSON `shutdown_timeout`.
    std::chrono::milliseconds shutdownTimeout() const;
    //! Sets shutdownTimeout().
    LokiConfig &setShutdownTimeout(std::chrono::milliseconds shutdownTimeout);
    //! Labels added to every stream (after `app` and `environment`); valid Loki label
    //! names other than those. JSON `static_labels` (an object), LOKI_LABELS (`k=v,k2=v2`,
    //! added to those already set).
    QMap<QString, QString> staticLabels() const;
    //! Sets staticLabels().
    LokiConfig &setStaticLabels(const QMap<QString, QString> &staticLabels);
    //! Entries below are discarded by the call, uncounted (see contextEntries()); Debug.
    //! JSON `minimum_level`, LOKI_MIN_LEVEL (a name of QLoki::levelName()).
    QLoki::Level minimumLevel() const;
    //! Sets minimumLevel().
    LokiConfig &setMinimumLevel(QLoki::Level minimumLevel);
    //! What a full buffer does; see QLoki::OverflowPolicy. DropOldest. JSON
    //! `overflow_policy`, LOKI_OVERFLOW (a name of QLoki::overflowPolicyName()).
    QLoki::OverflowPolicy overflowPolicy() const;
    //! Sets overflowPolicy().
    LokiConfig &setOverflowPolicy(QLoki::OverflowPolicy overflowPolicy);
    //! Body format of a push; Protobuf. JSON `format`, LOKI_FORMAT (a name of
    //! QLoki::wireFormatName()). The OTLP formats push OpenTelemetry logs instead (see
    //! QLoki::WireFormat and pushUrl()).
    QLoki::WireFormat format() const;
    //! Sets format().
    LokiConfig &setFormat(QLoki::WireFormat format);
    //! X-Scope-OrgID for multi-tenant Loki; empty (the default) sends no header.
    //! JSON `tenant`, LOKI_TENANT.
    QString tenant() const;
    //! Sets tenant().
    LokiConfig &setTenant(const QString &tenant);
    //! How structured metadata travels; see QLoki::MetadataMode. Auto. JSON
    //! `metadata_mode`, LOKI_METADATA_MODE (a name of QLoki::metadataModeName()).
    QLoki::MetadataMode metadataMode() const;
    //! Sets metadataMode().
    LokiConfig &setMetadataMode(QLoki::MetadataMode metadataMode);
    /*!
        The cardinality guard: distinct values a stream label name may take per hour; 100,
        0 turns the guard off. Every distinct label set is a Loki stream, and a label fed
        with ids overloads Loki (429s, stream limits). Past the budget, a new value of that
        name travels as structured metadata under the same name instead; values admitted
        in the hour stay labels. The hour starts anew on the hour of the entries'
        timestamps. `app`, `environment`, `level` and `category` are exempt. Each name is
        said once on the `qloki.cardinality` logging category; LokiStats::demotedLabels()
        counts the entries per name. JSON `max_label_values`, LOKI_MAX_LABEL_VALUES.
    */
    int maxLabelValues() const;
    //! Sets maxLabelValues().
    LokiConfig &setMaxLabelValues(int maxLabelValues);

    // --- Context on error ----------------------------------------------------------------
    /*!
        The flight recorder: how many entries below minimumLevel() each logger keeps, the
        last ones, in a ring; 0 (the default) turns it off, and such entries are discarded
        by the logging call as before. When an entry at or above contextTriggerLevel() is
        logged (and accepted), the ring is shipped first, oldest first, with the timestamps
        and levels the entries were logged with and the structured metadata
        `context_for=<id>`; the trigger entry carries `context_id=<id>`, the same 16 hex
        digits. Each kept entry is shipped at most once. Ring entries are counted in
        LokiStats::accepted() only once shipped (LokiStats::contextShipped()); those the ring
        let go unshipped are counted in LokiStats::contextOverwritten(). One ring per logger,
        shared by its threads and by Qt's messages below the message handler's level: a
        trigger ships the newest entries of all threads, by timestamp. Each thread keeps its
        part under a lock of its own and holds at most this many entries (plus a sixteenth,
        at least 16), so that threads logging below the level never wait for each other.
        JSON `context_entries`, LOKI_CONTEXT_ENTRIES.
    */
    int contextEntries() const;
    //! Sets contextEntries().
    LokiConfig &setContextEntries(int contextEntries);
    //! The level from which a logged entry ships the context ring (see contextEntries());
    //! Error. JSON `context_trigger_level`, LOKI_CONTEXT_TRIGGER_LEVEL (a name of
    //! QLoki::levelName()).
    QLoki::Level contextTriggerLevel() const;
    //! Sets contextTriggerLevel().
    LokiConfig &setContextTriggerLevel(QLoki::Level contextTriggerLevel);

    // --- Disk spool -------------------------------------------------------------------------
    /*!
        A directory for the crash-safe disk spool; empty (the default) for none (memory
        only). With a spool, a push that fails goes to disk, and so does everything queued
        while Loki is unreachable and everything still pending at shutdown; it is delivered
        oldest first when Loki is back, also by the next run of the program. One process at
        a time can use a directory. If it cannot be used, the logger runs on memory alone
        and says why in LokiStats::lastError(). JSON `spool_directory`, LOKI_SPOOL_DIR.
    */
    QString spoolDirectory() const;
    //! Sets spoolDirectory().
    LokiConfig &setSpoolDirectory(const QString &spoolDirectory);
    //! The most bytes the spool takes on disk; when full, its oldest entries are dropped.
    //! 64 MiB, at least 1 MiB. JSON `spool_max_bytes`.
    qint64 spoolMaxBytes() const;
    //! Sets spoolMaxBytes().
    LokiConfig &setSpoolMaxBytes(qint64 spoolMaxBytes);
    //! See QLoki::SpoolDurability; Flush. JSON `spool_durability` ("flush" or "fsync").
    QLoki::SpoolDurability spoolDurability() const;
    //! Sets spoolDurability().
    LokiConfig &setSpoolDurability(QLoki::SpoolDurability spoolDurability);

    // --- Access -----------------------------------------------------------------------------
    // Credentials never appear in logs, signals, stats or error strings. A user and password
    // in the endpoint URL (http://user:pass@host) are used as basic auth too.
    //! HTTP basic auth user (gateways, Grafana Cloud: the instance id). JSON `username`,
    //! LOKI_USERNAME.
    QString username() const;
    //! Sets username().
    LokiConfig &setUsername(const QString &username);
    //! HTTP basic auth password (Grafana Cloud: an access token); needs username().
    //! JSON `password`, LOKI_PASSWORD.
    QString password() const;
    //! Sets password().
    LokiConfig &setPassword(const QString &password);
    //! Sent as `Authorization: Bearer <token>`; not together with basic auth.
    //! JSON `bearer_token`, LOKI_BEARER_TOKEN.
    QString bearerToken() const;
    //! Sets bearerToken().
    LokiConfig &setBearerToken(const QString &bearerToken);
    //! Extra headers sent with every push (not Content-Type, Content-Encoding,
    //! Content-Length, Host, or Authorization when an auth option is set). JSON `headers`
    //! (an object), LOKI_HEADERS (`K: v,K2: v2`, added to those already set).
    QMap<QString, QString> headers() const;
    //! Sets headers().
    LokiConfig &setHeaders(const QMap<QString, QString> &headers);
    //! PEM file of CA certificates trusted for HTTPS in addition to the system's.
    //! JSON `ca_file`, LOKI_CA_FILE.
    QString caFile() const;
    //! Sets caFile().
    LokiConfig &setCaFile(const QString &caFile);
    //! PEM client certificate, for mutual TLS (with clientKeyFile()).
    //! JSON `client_cert_file`, LOKI_CLIENT_CERT.
    QString clientCertificateFile() const;
    //! Sets clientCertificateFile().
    LokiConfig &setClientCertificateFile(const QString &clientCertificateFile);
    //! The PEM private key of clientCertificateFile(). JSON `client_key_file`,
    //! LOKI_CLIENT_KEY.
    QString clientKeyFile() const;
    //! Sets clientKeyFile().
    LokiConfig &setClientKeyFile(const QString &clientKeyFile);
    /*!
        Accepts any server certificate; false. For development against self-signed servers
        only: it removes the protection TLS gives against a server that is not the one you
        meant. JSON `insecure_skip_tls_verification`.
    */
    bool insecureSkipTlsVerification() const;
    //! Sets insecureSkipTlsVerification().
    LokiConfig &setInsecureSkipTlsVerification(bool insecureSkipTlsVerification);

    // --- Bad input --------------------------------------------------------------------------
    //! Longest line sent, in UTF-8 bytes (Loki refuses lines over 256 KiB by default);
    //! 256 KiB, at least 1024. JSON `max_line_bytes`, LOKI_MAX_LINE_BYTES.
    int maxLineBytes() const;
    //! Sets maxLineBytes().
    LokiConfig &setMaxLineBytes(int maxLineBytes);
    //! What happens to a longer line; see QLoki::LineLimitPolicy. Truncate. JSON
    //! `line_limit_policy`.
    QLoki::LineLimitPolicy lineLimitPolicy() const;
    //! Sets lineLimitPolicy().
    LokiConfig &setLineLimitPolicy(QLoki::LineLimitPolicy lineLimitPolicy);

    // --- Redaction of secrets ---------------------------------------------------------------
    /*!
        Replaces well-known shapes of secrets with redactionReplacement() before an entry
        is encoded, spooled or sent; true. In lines and metadata values: `Authorization`
        headers, `Bearer` and `Basic` credentials, the values of keys such as `password`,
        `passwd`, `pwd`, `secret`, `token`, `api_key`, `access_token` in `key=value`,
        `key: value` and JSON forms, passwords in URLs (`https://user:[REDACTED]@host`: the
        user stays), JSON Web Tokens, PEM private-key blocks, AWS access key ids, GitHub,
        Slack, Stripe and Google API keys; a metadata value whose name is such a key is
        replaced whole. It happens on the sender thread, so the logging call costs no more;
        LokiStats::redacted() counts the entries changed. See "Redaction of secrets" in the
        README for the list and what it does not catch. JSON `redact_secrets`,
        LOKI_REDACT_SECRETS.
    */
    bool redactSecrets() const;
    //! Sets redactSecrets().
    LokiConfig &setRedactSecrets(bool redactSecrets);
    /*!
        The application's own rules, applied after the built-in ones (also when
        redactSecrets() is false) to every line and metadata value; none. Unlike the
        built-in set they have no cheap pre-check: each rule is matched against every line.
        validate() reports a pattern that is not valid or that matches empty text. JSON
        `redactions`: an array of objects `{"pattern": "…", "replacement": "…"}` (the
        replacement may be left out); no environment variable.
    */
    QList<QLoki::Redaction> redactions() const;
    //! Sets redactions().
    LokiConfig &setRedactions(const QList<QLoki::Redaction> &redactions);
    //! What a redacted secret becomes; `[REDACTED]`. Empty removes secrets without a trace.
    //! JSON `redaction_replacement`.
    QString redactionReplacement() const;
    //! Sets redactionReplacement().
    LokiConfig &setRedactionReplacement(const QString &redactionReplacement);

    /*!
        Checks every option and returns one readable sentence per problem; empty when the
        configuration can be used.
    */
    QStringList validate() const;

    //! The URL pushes go to: url(), completed with /loki/api/v1/push when it names only a
    //! host (and optional path prefix). Invalid URL when there is none.
    //! With an OTLP format(): url() as it is when its path ends in /v1/logs (an
    //! OpenTelemetry Collector's http://collector:4318/v1/logs), else completed with
    //! /otlp/v1/logs (Loki 3's endpoint, from its base URL http://loki:3100).
    QUrl pushUrl() const;

    /*!
        Applies the options found in the environment (the LOKI_* variables named in each
        option's documentation; unset and empty ones are ignored) to this configuration.
        A value that cannot be parsed is reported in \a errors and ignored; returns false
        when there was any.
    */
    bool applyEnvironment(QStringList *errors = nullptr);
    //! The defaults with applyEnvironment() applied.
    static LokiConfig fromEnvironment(QStringList *errors = nullptr);

    /*!
        Reads a JSON object whose keys are the Python SDK's names or QLoki's own in
        snake_case (each option's documentation names its key); options that are not given
        keep their defaults. Unknown keys are errors. Returns nothing and fills \a error
        when the file cannot be read or parsed.
    */
    static std::optional<LokiConfig> fromJsonFile(const QString &path, QString *error = nullptr);
    //! As fromJsonFile(), from the JSON text \a json.
    static std::optional<LokiConfig> fromJson(const QByteArray &json, QString *error = nullptr);

private:
    friend class LokiConfigPrivate;
    QSharedDataPointer<LokiConfigPrivate> d;
};
Q_DECLARE_SHARED(LokiConfig)
