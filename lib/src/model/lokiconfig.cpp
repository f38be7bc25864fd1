// SPDX-License-Identifier: MIT
// LokiConfig, the value class: its d-pointer and accessors. What it does with its options is
// in the files of the option table: lokiconfigoptions.cpp (the table), lokiconfigvalidate.cpp,
// lokiconfigenv.cpp, lokiconfigjson.cpp and lokiconfigurl.cpp.
#include "model/lokiconfig_p.h"
#include "model/lokiconfigoptions_p.h"

#include <QtCore/QFile>

LokiConfig LokiConfigPrivate::create(const LokiConfigData &data)
{
    LokiConfig config;
    static_cast<LokiConfigData &>(*config.d) = data;
    return config;
}

LokiConfig::LokiConfig()
    : d(new LokiConfigPrivate)
{
}

LokiConfig::LokiConfig(const LokiConfig &other) = default;
LokiConfig::LokiConfig(LokiConfig &&other) noexcept = default;
LokiConfig::~LokiConfig() = default;
LokiConfig &LokiConfig::operator=(const LokiConfig &other) = default;

bool LokiConfig::operator==(const LokiConfig &other) const
{
    return d == other.d || QLoki::detail::sameOptions(*d, *other.d);
}

// A getter and a setter per option; the setter takes the parameter type lokiconfig.h
// declares (by value for numbers, flags and enumerations, by reference for the rest).
#define QLOKI_CONFIG_ACCESSORS(Type, ParamType, name, setName)                                 \
    Type LokiConfig::name() const                                                              \
    {                                                                                          \
        return d->name;                                                                        \
    }                                                                                          \
    LokiConfig &LokiConfig::setName(ParamType value)                                           \
    {                                                                                          \
        d->name = value;                                                                       \
        return *this;                                                                          \
    }

using QStringMap = QMap<QString, QString>;
using QUrlMap = QMap<QString, QUrl>;
using Ms = std::chrono::milliseconds;

QLOKI_CONFIG_ACCESSORS(QString, const QString &, appName, setAppName)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, environment, setEnvironment)
QLOKI_CONFIG_ACCESSORS(QUrlMap, const QUrlMap &, endpoints, setEndpoints)
QLOKI_CONFIG_ACCESSORS(bool, bool, useSendBeacon, setUseSendBeacon)
QLOKI_CONFIG_ACCESSORS(bool, bool, enableOfflineBuffer, setEnableOfflineBuffer)
QLOKI_CONFIG_ACCESSORS(int, int, bufferSize, setBufferSize)
QLOKI_CONFIG_ACCESSORS(Ms, Ms, flushInterval, setFlushInterval)
QLOKI_CONFIG_ACCESSORS(int, int, maxRetries, setMaxRetries)
QLOKI_CONFIG_ACCESSORS(int, int, batchMaxEntries, setBatchMaxEntries)
QLOKI_CONFIG_ACCESSORS(qint64, qint64, batchMaxBytes, setBatchMaxBytes)
QLOKI_CONFIG_ACCESSORS(qint64, qint64, bufferMaxBytes, setBufferMaxBytes)
QLOKI_CONFIG_ACCESSORS(int, int, maxLabelValues, setMaxLabelValues)
QLOKI_CONFIG_ACCESSORS(Ms, Ms, requestTimeout, setRequestTimeout)
QLOKI_CONFIG_ACCESSORS(Ms, Ms, minBackoff, setMinBackoff)
QLOKI_CONFIG_ACCESSORS(Ms, Ms, maxBackoff, setMaxBackoff)
QLOKI_CONFIG_ACCESSORS(Ms, Ms, shutdownTimeout, setShutdownTimeout)
QLOKI_CONFIG_ACCESSORS(QStringMap, const QStringMap &, staticLabels, setStaticLabels)
QLOKI_CONFIG_ACCESSORS(QLoki::Level, QLoki::Level, minimumLevel, setMinimumLevel)
QLOKI_CONFIG_ACCESSORS(QLoki::OverflowPolicy, QLoki::OverflowPolicy, overflowPolicy,
                       setOverflowPolicy)
QLOKI_CONFIG_ACCESSORS(QLoki::WireFormat, QLoki::WireFormat, format, setFormat)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, tenant, setTenant)
QLOKI_CONFIG_ACCESSORS(QLoki::MetadataMode, QLoki::MetadataMode, metadataMode, setMetadataMode)
QLOKI_CONFIG_ACCESSORS(int, int, contextEntries, setContextEntries)
QLOKI_CONFIG_ACCESSORS(QLoki::Level, QLoki::Level, contextTriggerLevel, setContextTriggerLevel)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, spoolDirectory, setSpoolDirectory)
QLOKI_CONFIG_ACCESSORS(qint64, qint64, spoolMaxBytes, setSpoolMaxBytes)
QLOKI_CONFIG_ACCESSORS(QLoki::SpoolDurability, QLoki::SpoolDurability, spoolDurability,
                       setSpoolDurability)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, username, setUsername)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, password, setPassword)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, bearerToken, setBearerToken)
QLOKI_CONFIG_ACCESSORS(QStringMap, const QStringMap &, headers, setHeaders)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, caFile, setCaFile)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, clientCertificateFile, setClientCertificateFile)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, clientKeyFile, setClientKeyFile)
QLOKI_CONFIG_ACCESSORS(bool, bool, insecureSkipTlsVerification, setInsecureSkipTlsVerification)
QLOKI_CONFIG_ACCESSORS(int, int, maxLineBytes, setMaxLineBytes)
QLOKI_CONFIG_ACCESSORS(QLoki::LineLimitPolicy, QLoki::LineLimitPolicy, lineLimitPolicy,
                       setLineLimitPolicy)

// Redaction of secrets
using Redactions = QList<QLoki::Redaction>;
QLOKI_CONFIG_ACCESSORS(bool, bool, redactSecrets, setRedactSecrets)
QLOKI_CONFIG_ACCESSORS(Redactions, const Redactions &, redactions, setRedactions)
QLOKI_CONFIG_ACCESSORS(QString, const QString &, redactionReplacement, setRedactionReplacement)

#undef QLOKI_CONFIG_ACCESSORS

QUrl LokiConfig::url() const
{
    return d->endpoints.value(QLoki::detail::lokiEndpointName());
}

LokiConfig &LokiConfig::setUrl(const QUrl &url)
{
    d->endpoints.insert(QLoki::detail::lokiEndpointName(), url);
    return *this;
}

QStringList LokiConfig::validate() const
{
    return QLoki::detail::validateConfig(*d);
}

QUrl LokiConfig::pushUrl() const
{
    return d->pushUrl();
}

bool LokiConfig::applyEnvironment(QStringList *errors)
{
    return QLoki::detail::applyEnvironment(d.data(), errors);
}

LokiConfig LokiConfig::fromEnvironment(QStringList *errors)
{
    LokiConfig config;
    config.applyEnvironment(errors);
    return config;
}

std::optional<LokiConfig> LokiConfig::fromJson(const QByteArray &json, QString *error)
{
    const std::optional<LokiConfigData> data = QLoki::detail::configFromJson(json, error);
    if (!data)
        return std::nullopt;
    return LokiConfigPrivate::create(*data);
}

std::optional<LokiConfig> LokiConfig::fromJsonFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("Cannot read the configuration file \"%1\": %2.")
                             .arg(path, file.errorString());
        return std::nullopt;
    }
    QString jsonError;
    std::optional<LokiConfig> config = fromJson(file.readAll(), &jsonError);
    if (!config && error)
        *error = QStringLiteral("%1: %2").arg(path, jsonError);
    return config;
}
