// SPDX-License-Identifier: MIT
#include <QLoki/loki.h>

#include <QtCore/QMutex>

#include <atomic>
#include <cstdlib>

namespace {

QMutex &globalMutex()
{
    static QMutex mutex;
    return mutex;
}

// Deliberately never deleted: logging may go on during static destruction, and a
// stopped logger ignores it. Its sender thread is stopped by shutdown(), which runs when
// the QCoreApplication is destroyed (see LokiLogger) or at exit().
std::atomic<LokiLogger *> g_logger{nullptr};

void shutdownAtExit()
{
    if (LokiLogger *logger = g_logger.load(std::memory_order_acquire))
        logger->shutdown();
}

} // namespace

namespace Loki {

LokiLogger *instance()
{
    // The logging functions call this on every entry: no lock once it exists.
    if (LokiLogger *logger = g_logger.load(std::memory_order_acquire))
        return logger;
    QMutexLocker lock(&globalMutex());
    if (!g_logger.load(std::memory_order_relaxed)) {
        g_logger.store(new LokiLogger, std::memory_order_release);
        std::atexit(shutdownAtExit);
    }
    return g_logger.load(std::memory_order_relaxed);
}

bool init(const LokiConfig &config)
{
    return instance()->init(config);
}

void log(QLoki::Level level, const QString &message, const QVariantMap &fields)
{
    instance()->log(level, message, fields);
}

void debug(const QString &message, const QVariantMap &fields)
{
    instance()->debug(message, fields);
}

void info(const QString &message, const QVariantMap &fields)
{
    instance()->info(message, fields);
}

void warning(const QString &message, const QVariantMap &fields)
{
    instance()->warning(message, fields);
}

void error(const QString &message, const QVariantMap &fields)
{
    instance()->error(message, fields);
}

void critical(const QString &message, const QVariantMap &fields)
{
    instance()->critical(message, fields);
}

void log(QLoki::Level level, const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->log(level, message, fields);
}

void debug(const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->debug(message, fields);
}

void info(const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->info(message, fields);
}

void warning(const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->warning(message, fields);
}

void error(const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->error(message, fields);
}

void critical(const QString &message, std::initializer_list<LokiField> fields)
{
    instance()->critical(message, fields);
}

bool flush(std::chrono::milliseconds timeout)
{
    return instance()->flush(timeout);
}

void shutdown()
{
    instance()->shutdown();
}

bool installMessageHandler(QLoki::Level minimumLevel)
{
    return instance()->installMessageHandler(minimumLevel);
}

void uninstallMessageHandler()
{
    instance()->uninstallMessageHandler();
}

} // namespace Loki
