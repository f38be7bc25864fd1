// SPDX-License-Identifier: MIT
// LokiLogger's lifecycle: init() and its sender thread, the exit paths (aboutToQuit, the
// application's destruction, shutdown()) and the registry of live loggers they share.
#include "integration/messagehandler_p.h"
#include "logger/lokilogger_p.h"
#include "logger/senderworker_p.h"
#include "pipeline/eventhandoff_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QMutexLocker>
#include <QtCore/QSet>
#include <QtCore/QThread>

#include <chrono>
#include <future>

using namespace QLoki;
using namespace QLoki::detail;

namespace {

// Every live logger, so that the application's destruction can flush them all even
// when they outlive it (a static LokiLogger, say).
struct Registry
{
    QMutex mutex;
    QSet<LokiLogger *> loggers;
    bool postRoutineAdded = false;
};

Registry &registry()
{
    static Registry *r = new Registry; // never destroyed: used during static destruction
    return *r;
}

void shutdownAllAtAppExit()
{
    Registry &r = registry();
    QList<LokiLogger *> loggers;
    {
        QMutexLocker lock(&r.mutex);
        loggers = r.loggers.values();
        r.postRoutineAdded = false;
    }
    for (LokiLogger *logger : std::as_const(loggers))
        logger->shutdown();
}

void registerLogger(LokiLogger *logger)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    r.loggers.insert(logger);
    if (!r.postRoutineAdded && QCoreApplication::instance()) {
        qAddPostRoutine(shutdownAllAtAppExit);
        r.postRoutineAdded = true;
    }
}

void unregisterLogger(LokiLogger *logger)
{
    Registry &r = registry();
    QMutexLocker lock(&r.mutex);
    r.loggers.remove(logger);
}
} // namespace

LokiLoggerPrivate::LokiLoggerPrivate(LokiLogger *q)
    : q_ptr(q)
{
}

bool LokiLoggerPrivate::drain(std::chrono::steady_clock::time_point deadline)
{
    const MessageHandler::Busy busy;
    if (!worker)
        return true;
    const quint64 limit = queue.nextSeq();
    postHandedOver(worker, new DrainEvent(deadline));
    return queue.waitResolved(limit,
                              config.spoolDirectory.isEmpty() ? EntryQueue::Until::Resolved
                                                              : EntryQueue::Until::OnDisk,
                              deadline);
}

std::chrono::steady_clock::time_point LokiLoggerPrivate::exitDeadline()
{
    if (!exitBy)
        exitBy = std::chrono::steady_clock::now() + config.shutdownTimeout;
    return *exitBy;
}

void LokiLoggerPrivate::stopSender()
{
    if (!thread)
        return;
    queue.setWakeTarget(nullptr);
    std::promise<void> stopped;
    postHandedOver(worker, new StopEvent(&stopped));
    stopped.get_future().wait();
    thread->quit();
    thread->wait();
    delete worker;
    worker = nullptr;
    delete thread;
    thread = nullptr;
    QObject::disconnect(aboutToQuit);
}

void LokiLoggerPrivate::shutdown()
{
    Q_Q(LokiLogger);
    QMutexLocker lock(&lifecycle);
    // Qt's messages stop coming here before the queue stops accepting.
    MessageHandler::uninstall(this);
    if (!thread)
        return;
    // One deadline for the whole exit, whichever path began it.
    drain(exitDeadline());
    queue.setAccepting(false);
    stopSender();
    const int dropped = queue.dropAll(DropReason::Shutdown);
    queue.setState(State::Stopped);
    // A handler call that took this logger before the uninstall may still be appending;
    // it returns at once now that the queue refuses (also under OverflowPolicy::Block).
    if (hookUsed.exchange(false))
        MessageHandler::waitForCalls();
    if (dropped > 0)
        Q_EMIT q->entriesDropped(dropped, DropReason::Shutdown,
                                 QStringLiteral("still pending when the shutdown deadline passed"));
    exitBy.reset();
    Q_EMIT q->stateChanged(State::Stopped);
    Q_EMIT q->statsChanged(queue.stats());
}

LokiLogger::LokiLogger(QObject *parent)
    : QObject(parent)
    , d_ptr(std::make_unique<LokiLoggerPrivate>(this))
{
    qRegisterMetaType<LokiStats>();
    qRegisterMetaType<QLoki::State>();
    qRegisterMetaType<QLoki::DropReason>();
    registerLogger(this);
}

LokiLogger::LokiLogger(const LokiConfig &config, QObject *parent)
    : LokiLogger(parent)
{
    init(config);
}

LokiLogger::~LokiLogger()
{
    unregisterLogger(this);
    shutdown();
}

bool LokiLogger::init(const LokiConfig &settings)
{
    Q_D(LokiLogger);
    QMutexLocker lock(&d->lifecycle);
    const LokiConfigData &config = LokiConfigPrivate::get(settings);
    const QStringList errors = settings.validate();
    if (!errors.isEmpty()) {
        d->error = InvalidConfigurationError;
        d->errorString = errors.join(QLatin1Char(' '));
        return false;
    }
    if (!QCoreApplication::instance()) {
        // The sender thread runs a Qt event loop, which Qt refuses to run without one:
        // say so instead of accepting entries that could never leave.
        d->error = NoApplicationError;
        d->errorString = QStringLiteral("QLoki needs a QCoreApplication (or QGuiApplication, "
                                        "QApplication) to exist before init(): its sender "
                                        "thread runs a Qt event loop.");
        return false;
    }
    QString targetError;
    const PushTarget target = PushTarget::fromConfig(config, &targetError);
    if (!targetError.isEmpty()) {
        d->error = TlsFileError;
        d->errorString = targetError;
        return false;
    }
    d->error = NoError;
    d->errorString.clear();

    // A restart keeps what is pending: flush it under the old settings, then hand the
    // rest to the new sender.
    if (d->thread) {
        d->flush(d->config.shutdownTimeout);
        d->stopSender();
    }
    d->config = config;
    d->minimumLevel.store(int(config.minimumLevel), std::memory_order_relaxed);
    d->contextEntries.store(config.contextEntries, std::memory_order_relaxed);
    d->queue.configureContext(config.contextEntries, config.contextTriggerLevel);
    MessageHandler::ownerRestarted(d);
    d->synchronous.store(!config.useSendBeacon, std::memory_order_relaxed);
    d->maxLineBytes.store(config.maxLineBytes, std::memory_order_relaxed);
    d->rejectLongLines.store(config.lineLimitPolicy == LineLimitPolicy::Reject,
                             std::memory_order_relaxed);
    d->exitBy.reset();
    // With a disk spool, memory spills to it when half full instead of meeting the
    // overflow policy (a burst faster than the disk still meets it).
    d->queue.configure(config.bufferSize, config.bufferMaxBytes, config.overflowPolicy,
                       config.batchMaxBytes,
                       config.spoolDirectory.isEmpty() ? 0 : qMax(1, config.bufferSize / 2));

    d->thread = new QThread;
    d->thread->setObjectName(QStringLiteral("qloki-sender"));
    d->worker = new SenderWorker(config, target, &d->queue);
    d->worker->moveToThread(d->thread);
    connect(d->worker, &SenderWorker::stateChanged, this, &LokiLogger::stateChanged);
    connect(d->worker, &SenderWorker::batchDelivered, this, &LokiLogger::batchDelivered);
    connect(d->worker, &SenderWorker::batchFailed, this, &LokiLogger::batchFailed);
    connect(d->worker, &SenderWorker::entriesDropped, this, &LokiLogger::entriesDropped);
    connect(d->worker, &SenderWorker::statsChanged, this, &LokiLogger::statsChanged);
    // The worker starts on its thread before that thread takes any event; init() returns
    // once it has.
    SenderWorker *w = d->worker;
    std::promise<void> started;
    const QMetaObject::Connection onStart = connect(d->thread, &QThread::started, w,
                                                    [w, &started] {
        // The network stack's warnings on this thread must not feed the logger.
        MessageHandler::markInternalThread();
        w->start();
        started.set_value();
    }, Qt::DirectConnection);
    d->thread->start();
    started.get_future().wait();
    disconnect(onStart);
    d->queue.setWakeTarget(d->worker);
    d->queue.setAccepting(true);

    if (QCoreApplication *app = QCoreApplication::instance()) {
        // Deliver what is pending while the application still runs its event loop. The
        // exit's deadline starts here; the later exit paths share it.
        d->aboutToQuit = connect(app, &QCoreApplication::aboutToQuit, this, [d] {
            QMutexLocker lock(&d->lifecycle);
            d->drain(d->exitDeadline());
        }, Qt::DirectConnection);
    }
    registerLogger(this);
    return true;
}

bool LokiLogger::isInitialized() const
{
    Q_D(const LokiLogger);
    QMutexLocker lock(&const_cast<LokiLoggerPrivate *>(d)->lifecycle);
    return d->thread != nullptr;
}

LokiConfig LokiLogger::config() const
{
    Q_D(const LokiLogger);
    QMutexLocker lock(&const_cast<LokiLoggerPrivate *>(d)->lifecycle);
    return LokiConfigPrivate::create(d->config);
}

LokiLogger::Error LokiLogger::error() const
{
    Q_D(const LokiLogger);
    QMutexLocker lock(&const_cast<LokiLoggerPrivate *>(d)->lifecycle);
    return d->error;
}

QString LokiLogger::errorString() const
{
    Q_D(const LokiLogger);
    QMutexLocker lock(&const_cast<LokiLoggerPrivate *>(d)->lifecycle);
    return d->errorString;
}

void LokiLogger::shutdown()
{
    d_func()->shutdown();
}
