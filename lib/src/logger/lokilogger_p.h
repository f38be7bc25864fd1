// SPDX-License-Identifier: MIT
#pragma once

#include "model/lokiconfig_p.h"
#include "pipeline/entryqueue_p.h"

#include <QLoki/lokilogger.h>

#include <QtCore/QMetaObject>
#include <QtCore/QMutex>

#include <atomic>

class QThread;

namespace QLoki::detail {
class SenderWorker;
}

class LokiLoggerPrivate
{
public:
    explicit LokiLoggerPrivate(LokiLogger *q);

    void enqueue(QLoki::detail::PendingEntry &&entry);
    //! Appends \a entry without waiting for its delivery (also in synchronous mode);
    //! returns its seq, or 0 when it was filtered out or the logger is stopped.
    quint64 accept(QLoki::detail::PendingEntry &&entry);
    bool flush(std::chrono::milliseconds timeout);
    //! Stops the sender thread; pending entries stay queued.
    void stopSender();
    //! Flushes, stops, and counts what is left as dropped (Shutdown).
    void shutdown();

    LokiLogger *const q_ptr;
    Q_DECLARE_PUBLIC(LokiLogger)

    QLoki::detail::EntryQueue queue;
    std::atomic<int> minimumLevel{0};
    std::atomic<bool> synchronous{false};

    QMutex lifecycle; // serialises init/flush-at-exit/shutdown
    LokiConfigData config;
    LokiLogger::Error error = LokiLogger::NoError;
    QString errorString;
    QThread *thread = nullptr;
    QLoki::detail::SenderWorker *worker = nullptr;
    QMetaObject::Connection aboutToQuit;
    //! installMessageHandler() ran since the last shutdown: a handler call may hold us.
    std::atomic<bool> hookUsed{false};
};
