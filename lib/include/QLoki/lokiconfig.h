// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokitypes.h>

#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <chrono>
#include <optional>

/*!
    Every option of a LokiLogger, with its default.

    The first block mirrors the Python SDK that QLoki replaces (`app_name`,
    `environment`, `endpoints`, `use_send_beacon`, `enable_offline_buffer`, `buffer_size`,
    `flush_interval`, `max_retries`) with the same defaults; the rest are QLoki's own.

    \code
    LokiConfig config;
    config.appName = "demo-cpp";
    config.endpoints = {{"loki", QUrl("http://localhost:3100")}};
    if (const QStringList errors = config.validate(); !errors.isEmpty())
        qWarning() << errors;
    \endcode
*/
struct QLOKI_EXPORT LokiConfig
{
    // --- The Python SDK's options -------------------------------------------------------
    //! Required. Becomes the stream label `app`.
    QString appName;
    //! Becomes the stream label `environment`.
    QString environment = QStringLiteral("production");
    /*!
        Named endpoints; the one named "loki" receives the pushes. A base URL such as
        `http://host:3100` works as well as the full `/loki/api/v1/push` path.
    */
    QMap<QString, QUrl> endpoints = {
        {QStringLiteral("loki"), QUrl(QStringLiteral("http://localhost:3100/loki/api/v1/push"))}};
    //! true: logging calls return at once and a sender thread pushes (asynchronous).
    //! false: each call returns after its entry was delivered or finally failed.
    bool useSendBeacon = true;
    //! true: batches whose retries are exhausted stay buffered and are pushed again later.
    //! false: they are dropped with DropReason::RetriesExhausted.
    bool enableOfflineBuffer = true;
    //! The most entries held while not yet delivered (queued, in flight or buffered).
    int bufferSize = 1000;
    //! How long an entry may wait before its batch is pushed.
    std::chrono::milliseconds flushInterval = std::chrono::seconds(5);
    //! Retries of a failed push (after the first try) before giving up on it.
    int maxRetries = 3;

    // --- QLoki's own options --------------------------------------------------------------
    //! A batch is pushed as soon as it holds this many entries (at most half of bufferSize:
    //! the other half keeps room for new entries while a push is on the wire).
    int batchMaxEntries = 1000;
    //! ... or this many bytes of lines (UTF-8).
    qint64 batchMaxBytes = 1024 * 1024;
    //! Timeout of one HTTP request.
    std::chrono::milliseconds requestTimeout = std::chrono::seconds(10);
    //! Delay before the first retry; doubled for each further one, with jitter.
    std::chrono::milliseconds minBackoff = std::chrono::milliseconds(500);
    //! The longest delay between two tries (also caps a server's Retry-After).
    std::chrono::milliseconds maxBackoff = std::chrono::seconds(30);
    //! How long flush() at exit and shutdown() wait for pending entries.
    std::chrono::milliseconds shutdownTimeout = std::chrono::seconds(5);
    //! Labels added to every stream (after `app` and `environment`).
    QMap<QString, QString> staticLabels;
    //! Entries below this level are discarded by the logging call (not counted).
    QLoki::Level minimumLevel = QLoki::Level::Debug;
    //! What a full buffer does; see QLoki::OverflowPolicy.
    QLoki::OverflowPolicy overflowPolicy = QLoki::OverflowPolicy::DropOldest;
    //! Body format of a push.
    QLoki::WireFormat format = QLoki::WireFormat::Protobuf;
    //! X-Scope-OrgID for multi-tenant Loki; empty sends no header.
    QString tenant;
    //! How structured metadata travels; see QLoki::MetadataMode.
    QLoki::MetadataMode metadataMode = QLoki::MetadataMode::Auto;

    // --- Disk spool -------------------------------------------------------------------------
    /*!
        A directory for the crash-safe disk spool; empty for none (memory only). With a
        spool, a push that fails goes to disk, and so does everything queued while Loki
        is unreachable and everything still pending at shutdown; it is delivered oldest
        first when Loki is back, also by the next run of the program. One process at a
        time can use a directory. If it cannot be used, the logger runs on memory alone
        and says why in LokiStats::lastError.
    */
    QString spoolDirectory;
    //! The most bytes the spool takes on disk; when full, its oldest entries are dropped.
    qint64 spoolMaxBytes = qint64(64) << 20;
    //! See QLoki::SpoolDurability.
    QLoki::SpoolDurability spoolDurability = QLoki::SpoolDurability::Flush;

    // --- Access -----------------------------------------------------------------------------
    // Credentials never appear in logs, signals, stats or error strings. A user and password
    // in the endpoint URL (http://user:pass@host) are used as basic auth too.
    //! HTTP basic auth user (gateways, Grafana Cloud: the instance id).
    QString username;
    //! HTTP basic auth password (Grafana Cloud: an access token).
    QString password;
    //! Sent as `Authorization: Bearer <token>`; not together with basic auth.
    QString bearerToken;
    //! Extra headers sent with every push (not Content-Type, Content-Encoding,
    //! Content-Length, or Authorization when an auth option is set).
    QMap<QString, QString> headers;
    //! PEM file of CA certificates trusted for HTTPS in addition to the system's.
    QString caFile;
    //! PEM client certificate and its PEM private key, for mutual TLS.
    QString clientCertificateFile;
    QString clientKeyFile; //!< the private key of clientCertificateFile (PEM)
    /*!
        Accepts any server certificate. For development against self-signed servers only:
        it removes the protection TLS gives against a server that is not the one you meant.
    */
    bool insecureSkipTlsVerification = false;

    // --- Bad input --------------------------------------------------------------------------
    //! Longest line sent, in UTF-8 bytes (Loki refuses lines over 256 KiB by default).
    int maxLineBytes = 256 * 1024;
    //! What happens to a longer line; see QLoki::LineLimitPolicy.
    QLoki::LineLimitPolicy lineLimitPolicy = QLoki::LineLimitPolicy::Truncate;

    /*!
        Checks every option and returns one readable sentence per problem; empty when the
        configuration can be used.
    */
    QStringList validate() const;

    //! The URL pushes go to: endpoints["loki"], completed with /loki/api/v1/push when it
    //! names only a host (and optional path prefix). Invalid URL when there is none.
    QUrl pushUrl() const;

    /*!
        Applies the options found in the environment to this configuration:
        LOKI_URL, LOKI_APP_NAME, LOKI_ENVIRONMENT, LOKI_TENANT, LOKI_USE_SEND_BEACON,
        LOKI_ENABLE_OFFLINE_BUFFER, LOKI_BUFFER_SIZE, LOKI_FLUSH_INTERVAL (seconds, may be
        fractional), LOKI_MAX_RETRIES, LOKI_BATCH_MAX_ENTRIES, LOKI_BATCH_MAX_BYTES,
        LOKI_REQUEST_TIMEOUT (seconds), LOKI_MIN_LEVEL, LOKI_OVERFLOW, LOKI_FORMAT,
        LOKI_METADATA_MODE, LOKI_USERNAME, LOKI_PASSWORD, LOKI_BEARER_TOKEN, LOKI_CA_FILE,
        LOKI_CLIENT_CERT, LOKI_CLIENT_KEY, LOKI_MAX_LINE_BYTES, LOKI_SPOOL_DIR, LOKI_HEADERS (`K: v,K2: v2`)
        and LOKI_LABELS (`k=v,k2=v2`). A value that cannot be parsed is reported in \a errors
        and ignored; returns false when there was any.
    */
    bool applyEnvironment(QStringList *errors = nullptr);
    //! The defaults with applyEnvironment() applied.
    static LokiConfig fromEnvironment(QStringList *errors = nullptr);

    /*!
        Reads a JSON object whose keys are the Python SDK's names (`app_name`,
        `environment`, `endpoints`, `use_send_beacon`, `enable_offline_buffer`,
        `buffer_size`, `flush_interval` in seconds, `max_retries`) or QLoki's own in
        snake_case (`batch_max_entries`, `batch_max_bytes`, `request_timeout`,
        `min_backoff`, `max_backoff`, `shutdown_timeout` in seconds, `static_labels`,
        `minimum_level`, `overflow_policy`, `format`, `tenant`, `metadata_mode`, `username`,
        `password`, `bearer_token`, `headers`, `ca_file`, `client_cert_file`,
        `client_key_file`, `insecure_skip_tls_verification`, `max_line_bytes`,
        `line_limit_policy`, `spool_directory`, `spool_max_bytes`, `spool_durability`). Unknown keys are errors.
        Returns nothing and fills \a error when the file cannot be read or parsed.
    */
    static std::optional<LokiConfig> fromJsonFile(const QString &path, QString *error = nullptr);
    //! As fromJsonFile(), from the JSON text \a json.
    static std::optional<LokiConfig> fromJson(const QByteArray &json, QString *error = nullptr);
};
