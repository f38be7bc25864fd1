// SPDX-License-Identifier: MIT
#pragma once

#include "model/lokiconfig_p.h"
#include "pipeline/entryqueue_p.h"

#include <QLoki/lokilogger.h>

#include <QtCore/QMetaObject>
#include <QtCore/QMutex>

#include <atomic>
#include <chrono>
#include <optional>

class QThread;

namespace QLoki::detail {
class SenderWorker;
}

class LokiLoggerPrivate
{
public:
    explicit LokiLoggerPrivate(LokiLogger *q);

    void enqueue(QLoki::detail::PendingEntry &&entry);
    /*!
        Appends \a entry without waiting for its delivery (also in synchronous mode); its
        line is fitted to the line limit first. Returns its seq, or 0 when it was filtered
        out, refused by the line limit or the logger is stopped. With \a mayWait false a full
        buffer drops the entry even under OverflowPolicy::Block.
    */
    quint64 accept(QLoki::detail::PendingEntry &&entry, bool mayWait = true);
    /*!
        Keeps \a entry, which is below the minimum level, in the context ring
        (LokiConfig::contextEntries() > 0); its line is fitted to the line limit first.
    */
    void keepForContext(QLoki::detail::PendingEntry &&entry);
    bool flush(std::chrono::milliseconds timeout);
    /*!
        The exit: pushes what waits until \a deadline (see DeliveryMachine::drain()); returns
        once nothing older than the call is in memory (on disk counts, with a spool) or the
        deadline passed.
    */
    bool drain(std::chrono::steady_clock::time_point deadline);
    //! The deadline of the whole exit: set by the first exit path that runs (aboutToQuit,
    //! the application's destruction, shutdown()), shared by the others.
    std::chrono::steady_clock::time_point exitDeadline();
    //! Stops the sender thread; pending entries stay queued.
    void stopSender();
    //! Flushes, stops, and counts what is left as dropped (Shutdown).
    void shutdown();

    LokiLogger *const q_ptr;
    Q_DECLARE_PUBLIC(LokiLogger)

    QLoki::detail::EntryQueue queue;
    std::atomic<int> minimumLevel{0};
    std::atomic<int> contextEntries{0}; // LokiConfig::contextEntries(); 0: no ring
    std::atomic<bool> synchronous{false};
    std::atomic<int> maxLineBytes{256 * 1024};
    std::atomic<bool> rejectLongLines{false};

    QMutex lifecycle; // serialises init/flush-at-exit/shutdown
    LokiConfigData config;
    LokiLogger::Error error = LokiLogger::NoError;
    QString errorString;
    QThread *thread = nullptr;
    QLoki::detail::SenderWorker *worker = nullptr;
    QMetaObject::Connection aboutToQuit;
    std::optional<std::chrono::steady_clock::time_point> exitBy; // under lifecycle
    //! installMessageHandler() ran since the last shutdown: a handler call may hold us.
    std::atomic<bool> hookUsed{false};
};
