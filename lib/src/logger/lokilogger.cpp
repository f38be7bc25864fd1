// SPDX-License-Identifier: MIT
#include "integration/messagehandler_p.h"
#include "logger/lokilogger_p.h"
#include "logger/signalrelay_p.h"
#include "pipeline/lineshaping_p.h"

#include <QtCore/QMutexLocker>

#include <chrono>

using namespace QLoki;
using namespace QLoki::detail;

namespace {

qint64 nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

quint64 LokiLoggerPrivate::accept(PendingEntry &&entry, bool mayWait)
{
    if (int(entry.level) < minimumLevel.load(std::memory_order_relaxed)) {
        if (contextEntries.load(std::memory_order_relaxed) > 0)
            keepForContext(std::move(entry));
        return 0;
    }
    // What Qt says while we append (a posted event, say) must not come back here.
    const MessageHandler::Busy busy;
    // A line over the limit is cut (or refused) here, so that it never costs more than the
    // limit while it waits.
    if (!limitLine(&entry.line, maxLineBytes.load(std::memory_order_relaxed),
                   rejectLongLines.load(std::memory_order_relaxed) ? LineLimitPolicy::Reject
                                                                   : LineLimitPolicy::Truncate)) {
        queue.refuseInCall(DropReason::Invalid, entry.level);
        return 0;
    }
    return queue.push(std::move(entry), nowNs(), mayWait);
}

void LokiLoggerPrivate::keepForContext(PendingEntry &&entry)
{
    const MessageHandler::Busy busy;
    // The line limit applies as in accept(): the ring holds no more than the queue would.
    const bool refused =
            !limitLine(&entry.line, maxLineBytes.load(std::memory_order_relaxed),
                       rejectLongLines.load(std::memory_order_relaxed) ? LineLimitPolicy::Reject
                                                                       : LineLimitPolicy::Truncate);
    if (refused) {
        // Counted as refused when shipped, never sent: only its level is kept.
        PendingEntry bare;
        bare.level = entry.level;
        entry = std::move(bare);
    }
    queue.keepForContext(std::move(entry), nowNs(), refused);
}

void LokiLoggerPrivate::enqueue(PendingEntry &&entry)
{
    const quint64 seq = accept(std::move(entry));
    if (seq == 0 || !synchronous.load(std::memory_order_relaxed))
        return;
    // Synchronous mode: return once this entry was delivered, dropped, or given up to
    // the offline buffer after its retries. Bounded by the worst case of the retries.
    queue.requestFlush();
    const auto worst = (config.requestTimeout + config.maxBackoff) * (config.maxRetries + 1)
        + std::chrono::seconds(1);
    queue.waitResolved(seq + 1, EntryQueue::Until::Settled, std::chrono::steady_clock::now() + worst);
}

bool LokiLoggerPrivate::flush(std::chrono::milliseconds timeout)
{
    // requestFlush() posts an event under the queue's lock: see accept().
    const MessageHandler::Busy busy;
    const quint64 limit = queue.nextSeq();
    queue.requestFlush();
    return queue.waitResolved(limit, EntryQueue::Until::Resolved,
                              std::chrono::steady_clock::now() + timeout);
}

void LokiLogger::log(Level level, const QString &message, const QVariantMap &fields)
{
    PendingEntry entry;
    entry.level = level;
    entry.line = message;
    entry.fields = fields;
    d_func()->enqueue(std::move(entry));
}

void LokiLogger::log(Level level, const QString &message, std::initializer_list<LokiField> fields)
{
    // Below the minimum level the fields are not even copied, unless the context ring keeps
    // the entry; then they go into a block the ring let go, where there is one.
    const bool belowMinimum = int(level) < d_func()->minimumLevel.load(std::memory_order_relaxed);
    if (belowMinimum && d_func()->contextEntries.load(std::memory_order_relaxed) == 0)
        return;
    PendingEntry entry;
    entry.level = level;
    // The line goes into the block too, in UTF-8, where no line limit can apply to it: one
    // that may be cut or refused is kept as given, for accept().
    if (surelyFits(message.size(), d_func()->maxLineBytes.load(std::memory_order_relaxed))) {
        entry.packed = PackedFields::pack(QStringView(message), fields, belowMinimum);
    } else {
        entry.line = message;
        entry.packed = PackedFields::pack(fields, belowMinimum);
    }
    d_func()->enqueue(std::move(entry));
}

void LokiLogger::debug(const QString &message, std::initializer_list<LokiField> fields)
{
    log(Level::Debug, message, fields);
}

void LokiLogger::info(const QString &message, std::initializer_list<LokiField> fields)
{
    log(Level::Info, message, fields);
}

void LokiLogger::warning(const QString &message, std::initializer_list<LokiField> fields)
{
    log(Level::Warning, message, fields);
}

void LokiLogger::error(const QString &message, std::initializer_list<LokiField> fields)
{
    log(Level::Error, message, fields);
}

void LokiLogger::critical(const QString &message, std::initializer_list<LokiField> fields)
{
    log(Level::Critical, message, fields);
}

void LokiLogger::log(Level level, const QString &message, const QMap<QString, QString> &labels,
                     const QVariantMap &metadata)
{
    PendingEntry entry;
    entry.level = level;
    entry.explicitLabels = true;
    entry.line = message;
    entry.labels = labels;
    entry.fields = metadata;
    d_func()->enqueue(std::move(entry));
}

void LokiLogger::debug(const QString &message)
{
    log(Level::Debug, message);
}

void LokiLogger::info(const QString &message)
{
    log(Level::Info, message);
}

void LokiLogger::warning(const QString &message)
{
    log(Level::Warning, message);
}

void LokiLogger::error(const QString &message)
{
    log(Level::Error, message);
}

void LokiLogger::critical(const QString &message)
{
    log(Level::Critical, message);
}

QMetaObject::Connection LokiLogger::logSignal(const QObject *sender, const QMetaMethod &signal,
                                              Level level, const QString &message)
{
    if (!sender || signal.methodType() != QMetaMethod::Signal)
        return {};
    auto *relay = new SignalRelay(this, signal, level, message);
    // The relay belongs to the logger, so it cannot outlive it; the connection ends with
    // the sender too (Qt removes a destroyed sender's connections).
    relay->moveToThread(thread());
    relay->setParent(this);
    return QMetaObject::connect(sender, signal.methodIndex(), relay,
                                QObject::staticMetaObject.methodCount(), Qt::DirectConnection);
}

void LokiLogger::debug(const QString &message, const QVariantMap &fields)
{
    log(Level::Debug, message, fields);
}

void LokiLogger::info(const QString &message, const QVariantMap &fields)
{
    log(Level::Info, message, fields);
}

void LokiLogger::warning(const QString &message, const QVariantMap &fields)
{
    log(Level::Warning, message, fields);
}

void LokiLogger::error(const QString &message, const QVariantMap &fields)
{
    log(Level::Error, message, fields);
}

void LokiLogger::critical(const QString &message, const QVariantMap &fields)
{
    log(Level::Critical, message, fields);
}

bool LokiLogger::flush(std::chrono::milliseconds timeout)
{
    Q_D(LokiLogger);
    if (timeout.count() < 0) {
        QMutexLocker lock(&d->lifecycle);
        timeout = d->config.shutdownTimeout;
    }
    return d->flush(timeout);
}

bool LokiLogger::installMessageHandler(Level minimumLevel)
{
    Q_D(LokiLogger);
    QMutexLocker lock(&d->lifecycle);
    if (!d->thread)
        return false;
    d->hookUsed.store(true);
    MessageHandler::install(d, minimumLevel);
    return true;
}

void LokiLogger::uninstallMessageHandler()
{
    MessageHandler::uninstall(d_func());
}

LokiStats LokiLogger::stats() const
{
    return d_func()->queue.stats();
}

State LokiLogger::state() const
{
    return d_func()->queue.stats().state();
}
