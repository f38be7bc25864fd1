// SPDX-License-Identifier: MIT
#include "lokiqml.h"

#include <QLoki/Loki>

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <chrono>

static_assert(int(LokiQml::Online) == int(QLoki::State::Online)
              && int(LokiQml::Retrying) == int(QLoki::State::Retrying)
              && int(LokiQml::Offline) == int(QLoki::State::Offline)
              && int(LokiQml::Stopped) == int(QLoki::State::Stopped));

namespace {

// appName -> app_name; keys already in snake_case stay as they are.
QString snakeCase(const QString &key)
{
    QString result;
    result.reserve(key.size() + 4);
    for (const QChar c : key) {
        if (c.isUpper()) {
            result.append(QLatin1Char('_'));
            result.append(c.toLower());
        } else {
            result.append(c);
        }
    }
    return result;
}

} // namespace

LokiQml::LokiQml(QObject *parent)
    : QObject(parent)
{
    LokiLogger *logger = Loki::instance();
    // Queued: the logger may live in another thread than this singleton, and a refresh
    // must never run inside a logging call.
    connect(logger, &LokiLogger::stateChanged, this, &LokiQml::refresh, Qt::QueuedConnection);
    connect(logger, &LokiLogger::statsChanged, this, &LokiQml::refresh, Qt::QueuedConnection);
    refresh();
}

LokiQml::~LokiQml() = default;

bool LokiQml::init(const QVariantMap &config)
{
    QJsonObject json;
    QStringList errors;
    const QJsonObject given = QJsonObject::fromVariantMap(config);
    for (auto it = given.begin(); it != given.end(); ++it) {
        if (it.key() == QLatin1String("url")) {
            if (!it.value().isString()) {
                errors.append(QStringLiteral("\"url\" must be a string."));
                continue;
            }
            QJsonObject endpoints = json.value(QLatin1String("endpoints")).toObject();
            endpoints.insert(QStringLiteral("loki"), it.value());
            json.insert(QStringLiteral("endpoints"), endpoints);
        } else {
            json.insert(snakeCase(it.key()), it.value());
        }
    }

    bool ok = errors.isEmpty();
    if (ok) {
        QString error;
        const std::optional<LokiConfig> parsed =
                LokiConfig::fromJson(QJsonDocument(json).toJson(QJsonDocument::Compact), &error);
        if (!parsed) {
            errors.append(error);
            ok = false;
        } else if (!Loki::init(*parsed)) {
            errors.append(Loki::instance()->errorString());
            ok = false;
        }
    }
    m_errorString = errors.join(QLatin1Char(' '));
    refresh();
    return ok;
}

bool LokiQml::log(const QString &level, const QString &message, const QVariantMap &fields)
{
    QLoki::Level parsed;
    if (!QLoki::parseLevel(level, &parsed))
        return false;
    Loki::log(parsed, message, fields);
    return true;
}

void LokiQml::debug(const QString &message, const QVariantMap &fields)
{
    Loki::debug(message, fields);
}

void LokiQml::info(const QString &message, const QVariantMap &fields)
{
    Loki::info(message, fields);
}

void LokiQml::warning(const QString &message, const QVariantMap &fields)
{
    Loki::warning(message, fields);
}

void LokiQml::error(const QString &message, const QVariantMap &fields)
{
    Loki::error(message, fields);
}

void LokiQml::critical(const QString &message, const QVariantMap &fields)
{
    Loki::critical(message, fields);
}

bool LokiQml::flush(int timeoutMs)
{
    const bool done = Loki::flush(std::chrono::milliseconds(timeoutMs));
    // The logger's own statsChanged() comes up to 100 ms later; bindings should see the
    // outcome as soon as flush() returns.
    refresh();
    return done;
}

bool LokiQml::installMessageHandler(const QString &minimumLevel)
{
    QLoki::Level level;
    if (!QLoki::parseLevel(minimumLevel, &level))
        return false;
    return Loki::installMessageHandler(level);
}

void LokiQml::uninstallMessageHandler() { Loki::uninstallMessageHandler(); }

void LokiQml::refresh()
{
    const LokiLogger *logger = Loki::instance();
    const LokiStats stats = logger->stats();
    const QLoki::State state = logger->state();

    // One group: bindings are notified once every property holds the new snapshot, so an
    // expression such as `delivered + dropped + pending` never sees half of it.
    Qt::beginPropertyUpdateGroup();
    m_state = QLoki::stateName(state);
    m_stateCode = State(int(state));
    m_initialized = logger->isInitialized();
    m_accepted = qint64(stats.accepted());
    m_delivered = qint64(stats.delivered());
    m_dropped = qint64(stats.dropped());
    m_pending = qint64(stats.pending());
    m_buffered = qint64(stats.buffered());
    m_retries = qint64(stats.retries());
    m_lastError = stats.lastError();
    Qt::endPropertyUpdateGroup();
}
