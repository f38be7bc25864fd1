// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokiconfig.h>
#include <QLoki/lokilogger.h>

/*!
    The global API of the Python SDK, backed by one default LokiLogger.

    \code
    #include <QLoki/Loki>

    Loki::init(LokiConfig().setAppName("demo-cpp"));
    Loki::info("user login ok", {{"label_user_id", "12345"}});
    Loki::flush();
    \endcode

    Logging before init() (or after shutdown()) does nothing. The default logger is
    flushed and stopped when the QCoreApplication is destroyed, or at process exit.
*/
namespace Loki {

//! (Re)starts the default logger; returns false when \a config is invalid (see
//! LokiLogger::errorString() on instance()).
QLOKI_EXPORT bool init(const LokiConfig &config);
//! The default logger; created stopped on first use, never null until process exit.
QLOKI_EXPORT LokiLogger *instance();

//! Logs \a message at \a level on the default logger; \a fields as in LokiLogger::log().
QLOKI_EXPORT void log(QLoki::Level level, const QString &message, const QVariantMap &fields = {});
//! Logs at QLoki::Level::Debug; see log().
QLOKI_EXPORT void debug(const QString &message, const QVariantMap &fields = {});
//! Logs at QLoki::Level::Info; see log().
QLOKI_EXPORT void info(const QString &message, const QVariantMap &fields = {});
//! Logs at QLoki::Level::Warning; see log().
QLOKI_EXPORT void warning(const QString &message, const QVariantMap &fields = {});
//! Logs at QLoki::Level::Error; see log().
QLOKI_EXPORT void error(const QString &message, const QVariantMap &fields = {});
//! Logs at QLoki::Level::Critical; see log().
QLOKI_EXPORT void critical(const QString &message, const QVariantMap &fields = {});

// The braced-list forms: `Loki::info("login", {{"label_action", "login"}, {"user_id", id}})`
// binds to these, which take the pairs without building a QVariantMap (see LokiField).
//! Logs \a message at \a level on the default logger; see LokiLogger::log().
QLOKI_EXPORT void log(QLoki::Level level, const QString &message,
                      std::initializer_list<LokiField> fields);
//! Logs at QLoki::Level::Debug; see log().
QLOKI_EXPORT void debug(const QString &message, std::initializer_list<LokiField> fields);
//! Logs at QLoki::Level::Info; see log().
QLOKI_EXPORT void info(const QString &message, std::initializer_list<LokiField> fields);
//! Logs at QLoki::Level::Warning; see log().
QLOKI_EXPORT void warning(const QString &message, std::initializer_list<LokiField> fields);
//! Logs at QLoki::Level::Error; see log().
QLOKI_EXPORT void error(const QString &message, std::initializer_list<LokiField> fields);
//! Logs at QLoki::Level::Critical; see log().
QLOKI_EXPORT void critical(const QString &message, std::initializer_list<LokiField> fields);

//! See LokiLogger::flush().
QLOKI_EXPORT bool flush(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));
//! See LokiLogger::shutdown().
QLOKI_EXPORT void shutdown();

//! Sends Qt's messages to the default logger; see LokiLogger::installMessageHandler().
//! Returns false before init().
QLOKI_EXPORT bool installMessageHandler(QLoki::Level minimumLevel = QLoki::Level::Debug);
//! See LokiLogger::uninstallMessageHandler().
QLOKI_EXPORT void uninstallMessageHandler();

} // namespace Loki
