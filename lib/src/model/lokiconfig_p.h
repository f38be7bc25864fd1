// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokiconfig.h>

#include <QtCore/QSharedData>

/*!
    The options of a LokiConfig as plain fields, with their defaults: what the library
    reads once a configuration was handed to it (LokiLoggerPrivate, SenderWorker,
    PushTarget keep a copy). Each option is documented on its accessor in lokiconfig.h;
    its JSON key, environment variable, kind and limits are its row in the table of
    lokiconfigoptions.cpp, which fromJson(), applyEnvironment(), validate() and operator==
    share. Adding an option: a field here, a row there, an accessor pair in lokiconfig.h
    (documented with its JSON key and variable) and lokiconfig.cpp.
*/
struct LokiConfigData
{
    // --- The Python SDK's options -------------------------------------------------------
    QString appName;
    QString environment = QStringLiteral("production");
    QMap<QString, QUrl> endpoints = {
        {QStringLiteral("loki"), QUrl(QStringLiteral("http://localhost:3100/loki/api/v1/push"))}};
    bool useSendBeacon = true;
    bool enableOfflineBuffer = true;
    int bufferSize = 1000;
    std::chrono::milliseconds flushInterval = std::chrono::seconds(5);
    int maxRetries = 3;

    // --- QLoki's own options --------------------------------------------------------------
    int batchMaxEntries = 1000;
    qint64 batchMaxBytes = 1024 * 1024;
    qint64 bufferMaxBytes = qint64(16) << 20;
    int maxLabelValues = 100;
    std::chrono::milliseconds requestTimeout = std::chrono::seconds(10);
    std::chrono::milliseconds minBackoff = std::chrono::milliseconds(500);
    std::chrono::milliseconds maxBackoff = std::chrono::seconds(30);
    std::chrono::milliseconds shutdownTimeout = std::chrono::seconds(5);
    QMap<QString, QString> staticLabels;
    QLoki::Level minimumLevel = QLoki::Level::Debug;
    QLoki::OverflowPolicy overflowPolicy = QLoki::OverflowPolicy::DropOldest;
    QLoki::WireFormat format = QLoki::WireFormat::Protobuf;
    QString tenant;
    QLoki::MetadataMode metadataMode = QLoki::MetadataMode::Auto;

    // --- Context on error ----------------------------------------------------------------
    int contextEntries = 0;
    QLoki::Level contextTriggerLevel = QLoki::Level::Error;

    // --- Disk spool -------------------------------------------------------------------------
    QString spoolDirectory;
    qint64 spoolMaxBytes = qint64(64) << 20;
    QLoki::SpoolDurability spoolDurability = QLoki::SpoolDurability::Flush;

    // --- Access -----------------------------------------------------------------------------
    QString username;
    QString password;
    QString bearerToken;
    QMap<QString, QString> headers;
    QString caFile;
    QString clientCertificateFile;
    QString clientKeyFile;
    bool insecureSkipTlsVerification = false;

    // --- Bad input --------------------------------------------------------------------------
    int maxLineBytes = 256 * 1024;
    QLoki::LineLimitPolicy lineLimitPolicy = QLoki::LineLimitPolicy::Truncate;

    // --- Redaction of secrets ---------------------------------------------------------------
    bool redactSecrets = true;
    QList<QLoki::Redaction> redactions;
    QString redactionReplacement = QStringLiteral("[REDACTED]");

    //! See LokiConfig::pushUrl() (lokiconfigurl.cpp).
    QUrl pushUrl() const;
};

class LokiConfigPrivate : public QSharedData, public LokiConfigData
{
public:
    LokiConfigPrivate() = default;
    explicit LokiConfigPrivate(const LokiConfigData &data)
        : LokiConfigData(data)
    {
    }

    //! The options of \a config, read in place.
    static const LokiConfigData &get(const LokiConfig &config) { return *config.d; }
    //! A configuration holding \a data.
    static LokiConfig create(const LokiConfigData &data);
};

namespace QLoki::detail {

// --- URL handling (lokiconfigurl.cpp) ---------------------------------------------------------
//! The name of the endpoint pushes go to: "loki".
const QString &lokiEndpointName();
//! A URL as a user gives it: absolute, with a scheme and a host; false otherwise.
bool parseAbsoluteUrl(const QString &text, QUrl *url);
//! Appends to \a errors why endpoints["loki"] cannot receive pushes, if it cannot.
void checkLokiEndpoint(const QMap<QString, QUrl> &endpoints, QStringList *errors);

// --- The three readers of the option table (lokiconfigoptions_p.h) ------------------------
//! See LokiConfig::validate() (lokiconfigvalidate.cpp).
QStringList validateConfig(const LokiConfigData &config);
//! See LokiConfig::applyEnvironment() (lokiconfigenv.cpp).
bool applyEnvironment(LokiConfigData *config, QStringList *errors);
//! See LokiConfig::fromJson() (lokiconfigjson.cpp).
std::optional<LokiConfigData> configFromJson(const QByteArray &json, QString *error);

} // namespace QLoki::detail
