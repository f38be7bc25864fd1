// SPDX-License-Identifier: MIT
#include "model/fields_p.h"
#include "model/lokiconfig_p.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>

#include <cmath>
#include <limits>

using namespace std::chrono_literals;

namespace {

const QString &lokiEndpoint()
{
    static const QString name = QStringLiteral("loki");
    return name;
}

const QString &pushPath()
{
    static const QString path = QStringLiteral("/loki/api/v1/push");
    return path;
}

QString ms(std::chrono::milliseconds d)
{
    return QStringLiteral("%1 ms").arg(d.count());
}

// Where a reserved label comes from, for the validation message; empty when not reserved.
QString reservedLabelSource(const QString &name)
{
    if (name == QLatin1String("app"))
        return QStringLiteral("appName");
    if (name == QLatin1String("environment"))
        return QStringLiteral("environment");
    if (name == QLatin1String("level"))
        return QStringLiteral("the level of each entry");
    return QString();
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

bool parseBool(const QString &text, bool *out)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("yes")
        || t == QLatin1String("on")) {
        *out = true;
        return true;
    }
    if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("no")
        || t == QLatin1String("off")) {
        *out = false;
        return true;
    }
    return false;
}

// Config files and shells tend to spell these with underscores ("drop_oldest").
QString dashed(const QString &name)
{
    QString n = name;
    return n.replace(QLatin1Char('_'), QLatin1Char('-'));
}

// A URL as given by a user: absolute, with a scheme and a host.
bool parseUrl(const QString &text, QUrl *out)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty())
        return false;
    *out = url;
    return true;
}

bool parseLabelList(const QString &text, QMap<QString, QString> *out)
{
    QMap<QString, QString> labels;
    for (const QString &item : text.split(QLatin1Char(','))) {
        if (item.trimmed().isEmpty())
            continue; // tolerates "a=1," and ",,"
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        if (eq < 0)
            return false;
        const QString name = item.left(eq).trimmed();
        if (name.isEmpty())
            return false;
        labels.insert(name, item.mid(eq + 1).trimmed());
    }
    *out = labels;
    return true;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("undefined");
}

// Reads the values of a JSON configuration; each reader records one sentence per problem.
class JsonReader
{
public:
    QStringList errors;

    void wrongType(const QString &key, const QJsonValue &value, const char *expected)
    {
        errors.append(QStringLiteral("\"%1\" must be %2, not %3.")
                          .arg(key, QLatin1String(expected), jsonTypeName(value)));
    }

    void readString(const QString &key, const QJsonValue &value, QString *out)
    {
        if (!value.isString())
            return wrongType(key, value, "a string");
        *out = value.toString();
    }

    void readBool(const QString &key, const QJsonValue &value, bool *out)
    {
        if (!value.isBool())
            return wrongType(key, value, "true or false");
        *out = value.toBool();
    }

    bool readWhole(const QString &key, const QJsonValue &value, double min, double max,
                   double *out)
    {
        if (!value.isDouble()) {
            wrongType(key, value, "a whole number");
            return false;
        }
        const double d = value.toDouble();
        if (d != std::floor(d)) {
            errors.append(QStringLiteral("\"%1\" must be a whole number, not %2.")
                              .arg(key, QString::number(d)));
            return false;
        }
        if (d < min || d > max) {
            errors.append(QStringLiteral("\"%1\" is out of range: %2.")
                              .arg(key, QString::number(d, 'g', 17)));
            return false;
        }
        *out = d;
        return true;
    }

    void readInt(const QString &key, const QJsonValue &value, int *out)
    {
        double d;
        if (readWhole(key, value, std::numeric_limits<int>::min(),
                      std::numeric_limits<int>::max(), &d))
            *out = int(d);
    }

    void readInt64(const QString &key, const QJsonValue &value, qint64 *out)
    {
        // 2^63 is not a double that fits; the largest one below it is.
        double d;
        if (readWhole(key, value, -9.2e18, 9.2e18, &d))
            *out = qint64(d);
    }

    void readSeconds(const QString &key, const QJsonValue &value, std::chrono::milliseconds *out)
    {
        if (!value.isDouble())
            return wrongType(key, value, "a number of seconds");
        if (!secondsToDuration(value.toDouble(), out))
            errors.append(QStringLiteral("\"%1\" is out of range: %2 seconds.")
                              .arg(key, QString::number(value.toDouble())));
    }

    void readEndpoints(const QString &key, const QJsonValue &value, QMap<QString, QUrl> *out)
    {
        if (!value.isObject())
            return wrongType(key, value, "an object of names and URLs");
        QMap<QString, QUrl> endpoints;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString itemKey = key + QLatin1Char('.') + it.key();
            if (!it.value().isString()) {
                wrongType(itemKey, it.value(), "a URL string");
                continue;
            }
            QUrl url;
            if (!parseUrl(it.value().toString(), &url)) {
                errors.append(
                    QStringLiteral("\"%1\" is not an absolute URL with a scheme and a host: \"%2\".")
                        .arg(itemKey, it.value().toString()));
                continue;
            }
            endpoints.insert(it.key(), url);
        }
        *out = endpoints;
    }

    void readLabels(const QString &key, const QJsonValue &value, QMap<QString, QString> *out)
    {
        if (!value.isObject())
            return wrongType(key, value, "an object of names and string values");
        QMap<QString, QString> labels;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.value().isString()) {
                wrongType(key + QLatin1Char('.') + it.key(), it.value(), "a string");
                continue;
            }
            labels.insert(it.key(), it.value().toString());
        }
        *out = labels;
    }

    template<typename Enum>
    void readEnum(const QString &key, const QJsonValue &value, bool (*parse)(const QString &, Enum *),
                  const char *allowed, Enum *out)
    {
        if (!value.isString())
            return wrongType(key, value, "a string");
        if (!parse(dashed(value.toString()), out))
            errors.append(QStringLiteral("\"%1\" is \"%2\"; it must be one of %3.")
                              .arg(key, value.toString(), QLatin1String(allowed)));
    }
};

constexpr char levelNames[] = "debug, info, warning, error, critical";
constexpr char overflowNames[] = "drop-oldest, drop-newest, block";
constexpr char formatNames[] = "json, json-gzip, protobuf";
constexpr char metadataModeNames[] = "auto, structured, logfmt, json";
constexpr char lineLimitNames[] = "truncate, reject";

// Headers the pusher sets itself; a user header of the same name would corrupt the request.
bool isManagedHeader(const QString &name)
{
    for (const char *managed : {"content-type", "content-encoding", "content-length", "host"}) {
        if (name.compare(QLatin1String(managed), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// RFC 9110 token characters.
bool isHeaderName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')
            || QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

void checkReadableFile(const char *option, const QString &path, QStringList *errors)
{
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        errors->append(QStringLiteral("%1 \"%2\" cannot be read: %3.")
                           .arg(QLatin1String(option), path, file.errorString()));
}

bool parseDurability(const QString &name, QLoki::SpoolDurability *out)
{
    if (name.compare(QLatin1String("flush"), Qt::CaseInsensitive) == 0)
        *out = QLoki::SpoolDurability::Flush;
    else if (name.compare(QLatin1String("fsync"), Qt::CaseInsensitive) == 0)
        *out = QLoki::SpoolDurability::Fsync;
    else
        return false;
    return true;
}

bool parseHeaderList(const QString &text, QMap<QString, QString> *out)
{
    QMap<QString, QString> headers;
    for (const QString &item : text.split(QLatin1Char(','))) {
        if (item.trimmed().isEmpty())
            continue;
        const qsizetype colon = item.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return false;
        headers.insert(item.left(colon).trimmed(), item.mid(colon + 1).trimmed());
    }
    *out = headers;
    return true;
}

} // namespace

QStringList LokiConfigData::validate() const
{
    QStringList errors;

    if (appName.trimmed().isEmpty())
        errors.append(QStringLiteral(
            "appName is empty; it is required and becomes the stream label \"app\"."));

    const auto endpoint = endpoints.constFind(lokiEndpoint());
    if (endpoint == endpoints.cend()) {
        errors.append(QStringLiteral(
            "endpoints has no \"loki\" entry, so there is nowhere to push to."));
    } else {
        const QUrl &url = *endpoint;
        // Display form: a password in the URL must not end up in a log.
        const QString text = url.toDisplayString();
        if (url.isEmpty()) {
            errors.append(QStringLiteral("endpoints[\"loki\"] is empty; set the Loki server's "
                                         "URL, e.g. http://localhost:3100."));
        } else if (!url.isValid()) {
            errors.append(QStringLiteral("endpoints[\"loki\"] is not a valid URL (%1).")
                              .arg(url.errorString()));
        } else if (url.scheme().isEmpty()) {
            errors.append(QStringLiteral("endpoints[\"loki\"] \"%1\" has no scheme; write it "
                                         "as http://... or https://....")
                              .arg(text));
        } else if (url.scheme() != QLatin1String("http")
                   && url.scheme() != QLatin1String("https")) {
            errors.append(QStringLiteral("endpoints[\"loki\"] \"%1\" uses the scheme \"%2\"; "
                                         "only http and https are supported.")
                              .arg(text, url.scheme()));
        } else if (url.host().isEmpty()) {
            errors.append(QStringLiteral("endpoints[\"loki\"] \"%1\" has no host.").arg(text));
        }
    }

    if (bufferSize < 1)
        errors.append(
            QStringLiteral("bufferSize is %1; it must be at least 1.").arg(bufferSize));
    if (flushInterval <= 0ms)
        errors.append(QStringLiteral("flushInterval is %1; it must be greater than 0.")
                          .arg(ms(flushInterval)));
    if (maxRetries < 0)
        errors.append(
            QStringLiteral("maxRetries is %1; it must be 0 or more.").arg(maxRetries));
    if (batchMaxEntries < 1)
        errors.append(QStringLiteral("batchMaxEntries is %1; it must be at least 1.")
                          .arg(batchMaxEntries));
    if (batchMaxBytes < 1024)
        errors.append(QStringLiteral("batchMaxBytes is %1; it must be at least 1024 (1 KiB).")
                          .arg(batchMaxBytes));
    if (requestTimeout <= 0ms)
        errors.append(QStringLiteral("requestTimeout is %1; it must be greater than 0.")
                          .arg(ms(requestTimeout)));
    if (minBackoff <= 0ms)
        errors.append(QStringLiteral("minBackoff is %1; it must be greater than 0.")
                          .arg(ms(minBackoff)));
    else if (minBackoff > maxBackoff)
        errors.append(QStringLiteral("minBackoff (%1) is greater than maxBackoff (%2).")
                          .arg(ms(minBackoff), ms(maxBackoff)));
    if (shutdownTimeout < 0ms)
        errors.append(QStringLiteral("shutdownTimeout is %1; it must be 0 or more.")
                          .arg(ms(shutdownTimeout)));

    // Access: never quote a credential in a message.
    if (!bearerToken.isEmpty() && (!username.isEmpty() || !password.isEmpty()))
        errors.append(QStringLiteral("bearerToken and username/password are both set; a push "
                                     "carries one Authorization header, so choose one."));
    if (username.isEmpty() && !password.isEmpty())
        errors.append(QStringLiteral("password is set but username is empty."));
    for (auto it = headers.cbegin(); it != headers.cend(); ++it) {
        if (!isHeaderName(it.key()))
            errors.append(QStringLiteral("headers has \"%1\", which is not a valid HTTP header "
                                         "name.").arg(it.key()));
        else if (isManagedHeader(it.key()))
            errors.append(QStringLiteral("headers has \"%1\", which QLoki sets itself.")
                              .arg(it.key()));
        else if (it.key().compare(QLatin1String("authorization"), Qt::CaseInsensitive) == 0
                 && (!bearerToken.isEmpty() || !username.isEmpty()))
            errors.append(QStringLiteral("headers has \"Authorization\" while username or "
                                         "bearerToken is set; choose one."));
        else if (it.value().contains(QLatin1Char('\n')) || it.value().contains(QLatin1Char('\r')))
            errors.append(QStringLiteral("headers[\"%1\"] contains a line break.").arg(it.key()));
    }
    checkReadableFile("caFile", caFile, &errors);
    checkReadableFile("clientCertificateFile", clientCertificateFile, &errors);
    checkReadableFile("clientKeyFile", clientKeyFile, &errors);
    if (clientCertificateFile.isEmpty() != clientKeyFile.isEmpty())
        errors.append(QStringLiteral("clientCertificateFile and clientKeyFile go together: "
                                     "mutual TLS needs both."));
    if (!spoolDirectory.isEmpty() && spoolMaxBytes < (qint64(1) << 20))
        errors.append(QStringLiteral("spoolMaxBytes is %1; it must be at least 1048576 (1 MiB).")
                          .arg(spoolMaxBytes));
    if (maxLineBytes < 1024)
        errors.append(QStringLiteral("maxLineBytes is %1; it must be at least 1024.")
                          .arg(maxLineBytes));

    for (auto it = staticLabels.cbegin(); it != staticLabels.cend(); ++it) {
        const QString source = reservedLabelSource(it.key());
        if (!source.isEmpty()) {
            errors.append(QStringLiteral("staticLabels has the label \"%1\", which is reserved: "
                                         "it is set from %2.")
                              .arg(it.key(), source));
        } else if (!QLoki::detail::isValidLabelName(it.key())) {
            errors.append(QStringLiteral("staticLabels has the label \"%1\", which is not a "
                                         "valid Loki label name (letters, digits and _, not "
                                         "starting with a digit or __); \"%2\" would work.")
                              .arg(it.key(), QLoki::detail::sanitizeLabelName(it.key())));
        }
    }
    return errors;
}

QUrl LokiConfigData::pushUrl() const
{
    const auto endpoint = endpoints.constFind(lokiEndpoint());
    if (endpoint == endpoints.cend() || endpoint->isEmpty() || !endpoint->isValid())
        return QUrl();

    QUrl url = *endpoint;
    // Encoded form, so that escapes in a proxy prefix survive the round trip.
    QString path = url.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    if (!path.endsWith(pushPath()))
        path += pushPath();
    url.setPath(path, QUrl::TolerantMode);
    return url;
}

bool LokiConfigData::applyEnvironment(QStringList *errors)
{
    bool ok = true;
    // Unset and empty variables are both ignored, so `LOKI_URL= app` keeps the default.
    const auto read = [](const char *name, QString *value) {
        if (qEnvironmentVariableIsEmpty(name))
            return false;
        *value = qEnvironmentVariable(name).trimmed();
        return true;
    };
    const auto fail = [&](const char *name, const QString &value, const char *expected) {
        ok = false;
        if (errors)
            errors->append(QStringLiteral("%1=\"%2\" is not %3; the value is ignored.")
                               .arg(QLatin1String(name), value, QLatin1String(expected)));
    };
    const auto readInt = [&](const char *name, int *out) {
        QString value;
        if (!read(name, &value))
            return;
        bool valid = false;
        const int n = value.toInt(&valid);
        if (valid)
            *out = n;
        else
            fail(name, value, "an integer");
    };
    const auto readBool = [&](const char *name, bool *out) {
        QString value;
        if (read(name, &value) && !parseBool(value, out))
            fail(name, value, "a boolean (true/false, 1/0, yes/no, on/off)");
    };
    const auto readSeconds = [&](const char *name, std::chrono::milliseconds *out) {
        QString value;
        if (!read(name, &value))
            return;
        bool valid = false;
        const double seconds = value.toDouble(&valid);
        if (!valid || !secondsToDuration(seconds, out))
            fail(name, value, "a number of seconds");
    };
    const auto readString = [&](const char *name, QString *out) {
        QString value;
        if (read(name, &value))
            *out = value;
    };

    QString value;
    if (read("LOKI_URL", &value)) {
        QUrl url;
        if (parseUrl(value, &url))
            endpoints.insert(lokiEndpoint(), url);
        else
            fail("LOKI_URL", value, "an absolute URL with a scheme and a host");
    }
    readString("LOKI_APP_NAME", &appName);
    readString("LOKI_ENVIRONMENT", &environment);
    readString("LOKI_TENANT", &tenant);
    readBool("LOKI_USE_SEND_BEACON", &useSendBeacon);
    readBool("LOKI_ENABLE_OFFLINE_BUFFER", &enableOfflineBuffer);
    readInt("LOKI_BUFFER_SIZE", &bufferSize);
    readSeconds("LOKI_FLUSH_INTERVAL", &flushInterval);
    readInt("LOKI_MAX_RETRIES", &maxRetries);
    readInt("LOKI_BATCH_MAX_ENTRIES", &batchMaxEntries);
    if (read("LOKI_BATCH_MAX_BYTES", &value)) {
        bool valid = false;
        const qint64 n = value.toLongLong(&valid);
        if (valid)
            batchMaxBytes = n;
        else
            fail("LOKI_BATCH_MAX_BYTES", value, "an integer");
    }
    readSeconds("LOKI_REQUEST_TIMEOUT", &requestTimeout);
    if (read("LOKI_MIN_LEVEL", &value) && !QLoki::parseLevel(value, &minimumLevel))
        fail("LOKI_MIN_LEVEL", value, "a level (debug, info, warning, error, critical)");
    if (read("LOKI_OVERFLOW", &value)
        && !QLoki::parseOverflowPolicy(dashed(value), &overflowPolicy))
        fail("LOKI_OVERFLOW", value, "an overflow policy (drop-oldest, drop-newest, block)");
    if (read("LOKI_FORMAT", &value) && !QLoki::parseWireFormat(dashed(value), &format))
        fail("LOKI_FORMAT", value, "a format (json, json-gzip, protobuf)");
    if (read("LOKI_METADATA_MODE", &value) && !QLoki::parseMetadataMode(value, &metadataMode))
        fail("LOKI_METADATA_MODE", value, "a metadata mode (auto, structured, logfmt, json)");
    readString("LOKI_USERNAME", &username);
    readString("LOKI_PASSWORD", &password);
    readString("LOKI_BEARER_TOKEN", &bearerToken);
    readString("LOKI_CA_FILE", &caFile);
    readString("LOKI_CLIENT_CERT", &clientCertificateFile);
    readString("LOKI_CLIENT_KEY", &clientKeyFile);
    readInt("LOKI_MAX_LINE_BYTES", &maxLineBytes);
    readString("LOKI_SPOOL_DIR", &spoolDirectory);
    if (read("LOKI_HEADERS", &value)) {
        QMap<QString, QString> parsed;
        if (parseHeaderList(value, &parsed)) {
            for (auto it = parsed.cbegin(); it != parsed.cend(); ++it)
                headers.insert(it.key(), it.value());
        } else {
            fail("LOKI_HEADERS", value, "a list of Name: value pairs separated by commas");
        }
    }
    if (read("LOKI_LABELS", &value)) {
        QMap<QString, QString> labels;
        if (parseLabelList(value, &labels)) {
            for (auto it = labels.cbegin(); it != labels.cend(); ++it)
                staticLabels.insert(it.key(), it.value());
        } else {
            fail("LOKI_LABELS", value, "a list of name=value pairs separated by commas");
        }
    }
    return ok;
}

LokiConfig LokiConfig::fromEnvironment(QStringList *errors)
{
    LokiConfig config;
    config.applyEnvironment(errors);
    return config;
}

std::optional<LokiConfig> LokiConfig::fromJson(const QByteArray &json, QString *error)
{
    const auto failWith = [error](const QString &message) -> std::optional<LokiConfig> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failWith(QStringLiteral("The configuration is not valid JSON: %1 at offset %2.")
                            .arg(parseError.errorString())
                            .arg(parseError.offset));
    if (!doc.isObject())
        return failWith(QStringLiteral("The configuration must be a JSON object."));

    LokiConfigData c;
    JsonReader r;
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString &key = it.key();
        const QJsonValue value = it.value();
        if (key == QLatin1String("app_name"))
            r.readString(key, value, &c.appName);
        else if (key == QLatin1String("environment"))
            r.readString(key, value, &c.environment);
        else if (key == QLatin1String("endpoints"))
            r.readEndpoints(key, value, &c.endpoints);
        else if (key == QLatin1String("use_send_beacon"))
            r.readBool(key, value, &c.useSendBeacon);
        else if (key == QLatin1String("enable_offline_buffer"))
            r.readBool(key, value, &c.enableOfflineBuffer);
        else if (key == QLatin1String("buffer_size"))
            r.readInt(key, value, &c.bufferSize);
        else if (key == QLatin1String("flush_interval"))
            r.readSeconds(key, value, &c.flushInterval);
        else if (key == QLatin1String("max_retries"))
            r.readInt(key, value, &c.maxRetries);
        else if (key == QLatin1String("batch_max_entries"))
            r.readInt(key, value, &c.batchMaxEntries);
        else if (key == QLatin1String("batch_max_bytes"))
            r.readInt64(key, value, &c.batchMaxBytes);
        else if (key == QLatin1String("request_timeout"))
            r.readSeconds(key, value, &c.requestTimeout);
        else if (key == QLatin1String("min_backoff"))
            r.readSeconds(key, value, &c.minBackoff);
        else if (key == QLatin1String("max_backoff"))
            r.readSeconds(key, value, &c.maxBackoff);
        else if (key == QLatin1String("shutdown_timeout"))
            r.readSeconds(key, value, &c.shutdownTimeout);
        else if (key == QLatin1String("static_labels"))
            r.readLabels(key, value, &c.staticLabels);
        else if (key == QLatin1String("minimum_level"))
            r.readEnum(key, value, &QLoki::parseLevel, levelNames, &c.minimumLevel);
        else if (key == QLatin1String("overflow_policy"))
            r.readEnum(key, value, &QLoki::parseOverflowPolicy, overflowNames,
                       &c.overflowPolicy);
        else if (key == QLatin1String("format"))
            r.readEnum(key, value, &QLoki::parseWireFormat, formatNames, &c.format);
        else if (key == QLatin1String("tenant"))
            r.readString(key, value, &c.tenant);
        else if (key == QLatin1String("metadata_mode"))
            r.readEnum(key, value, &QLoki::parseMetadataMode, metadataModeNames,
                       &c.metadataMode);
        else if (key == QLatin1String("username"))
            r.readString(key, value, &c.username);
        else if (key == QLatin1String("password"))
            r.readString(key, value, &c.password);
        else if (key == QLatin1String("bearer_token"))
            r.readString(key, value, &c.bearerToken);
        else if (key == QLatin1String("headers"))
            r.readLabels(key, value, &c.headers);
        else if (key == QLatin1String("ca_file"))
            r.readString(key, value, &c.caFile);
        else if (key == QLatin1String("client_cert_file"))
            r.readString(key, value, &c.clientCertificateFile);
        else if (key == QLatin1String("client_key_file"))
            r.readString(key, value, &c.clientKeyFile);
        else if (key == QLatin1String("insecure_skip_tls_verification"))
            r.readBool(key, value, &c.insecureSkipTlsVerification);
        else if (key == QLatin1String("max_line_bytes"))
            r.readInt(key, value, &c.maxLineBytes);
        else if (key == QLatin1String("spool_directory"))
            r.readString(key, value, &c.spoolDirectory);
        else if (key == QLatin1String("spool_max_bytes"))
            r.readInt64(key, value, &c.spoolMaxBytes);
        else if (key == QLatin1String("spool_durability"))
            r.readEnum(key, value, &parseDurability, "flush, fsync", &c.spoolDurability);
        else if (key == QLatin1String("line_limit_policy"))
            r.readEnum(key, value, &QLoki::parseLineLimitPolicy, lineLimitNames,
                       &c.lineLimitPolicy);
        else
            r.errors.append(QStringLiteral("Unknown key \"%1\".").arg(key));
    }
    if (!r.errors.isEmpty())
        return failWith(r.errors.join(QLatin1Char(' ')));
    return LokiConfigPrivate::create(c);
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

// --- The value class ------------------------------------------------------------------------

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
    if (d == other.d)
        return true;
    const LokiConfigData &a = *d;
    const LokiConfigData &b = *other.d;
    return a.appName == b.appName && a.environment == b.environment
        && a.endpoints == b.endpoints && a.useSendBeacon == b.useSendBeacon
        && a.enableOfflineBuffer == b.enableOfflineBuffer && a.bufferSize == b.bufferSize
        && a.flushInterval == b.flushInterval && a.maxRetries == b.maxRetries
        && a.batchMaxEntries == b.batchMaxEntries && a.batchMaxBytes == b.batchMaxBytes
        && a.requestTimeout == b.requestTimeout && a.minBackoff == b.minBackoff
        && a.maxBackoff == b.maxBackoff && a.shutdownTimeout == b.shutdownTimeout
        && a.staticLabels == b.staticLabels && a.minimumLevel == b.minimumLevel
        && a.overflowPolicy == b.overflowPolicy && a.format == b.format
        && a.tenant == b.tenant && a.metadataMode == b.metadataMode
        && a.spoolDirectory == b.spoolDirectory && a.spoolMaxBytes == b.spoolMaxBytes
        && a.spoolDurability == b.spoolDurability && a.username == b.username
        && a.password == b.password && a.bearerToken == b.bearerToken
        && a.headers == b.headers && a.caFile == b.caFile
        && a.clientCertificateFile == b.clientCertificateFile
        && a.clientKeyFile == b.clientKeyFile
        && a.insecureSkipTlsVerification == b.insecureSkipTlsVerification
        && a.maxLineBytes == b.maxLineBytes && a.lineLimitPolicy == b.lineLimitPolicy;
}

// A getter and a setter per option; the setter's parameter type is the one declared in
// lokiconfig.h (by value for numbers, flags and enums, by reference for the rest).
#define QLOKI_CONFIG_ACCESSORS(Type, ParamType, name, setName)                                      \
    Type LokiConfig::name() const { return d->name; }                                              \
    LokiConfig &LokiConfig::setName(ParamType value)                                              \
    {                                                                                              \
        d->name = value;                                                                           \
        return *this;                                                                              \
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

#undef QLOKI_CONFIG_ACCESSORS

QUrl LokiConfig::url() const
{
    return d->endpoints.value(lokiEndpoint());
}

LokiConfig &LokiConfig::setUrl(const QUrl &url)
{
    d->endpoints.insert(lokiEndpoint(), url);
    return *this;
}

QStringList LokiConfig::validate() const
{
    return d->validate();
}

QUrl LokiConfig::pushUrl() const
{
    return d->pushUrl();
}

bool LokiConfig::applyEnvironment(QStringList *errors)
{
    return d->applyEnvironment(errors);
}
