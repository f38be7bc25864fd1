// SPDX-License-Identifier: MIT
#include "receiverhost.h"

#include <QtCore/QTimer>

ReceiverHost::ReceiverHost(QObject *parent)
    : QObject(parent)
    , m_context(new QObject)
{
    m_thread.setObjectName(QStringLiteral("loki-console-receiver"));
    m_context->moveToThread(&m_thread);
    // The receiver is made on its thread (it needs that thread's event loop) before the
    // thread takes any posted command; nobody waits for it.
    connect(
            &m_thread, &QThread::started, m_context,
            [this] {
                m_receiver = new LokiReceiver(m_context);
                m_snapshotTimer = new QTimer(m_context);
                m_snapshotTimer->setSingleShot(true);
                m_snapshotTimer->setInterval(100);
                connect(m_snapshotTimer, &QTimer::timeout, m_context, [this] { sendSnapshot(); });
                connect(m_receiver, &LokiReceiver::pushHandled, this, &ReceiverHost::pushHandled,
                        Qt::QueuedConnection);
                connect(m_receiver, &LokiReceiver::availabilityChanged, this,
                        &ReceiverHost::availabilityChanged, Qt::QueuedConnection);
                // Many pushes a second make one snapshot every 100 ms.
                connect(m_receiver, &LokiReceiver::pushHandled, m_context, [this] {
                    if (!m_snapshotTimer->isActive())
                        m_snapshotTimer->start();
                });
                connect(m_receiver, &LokiReceiver::availabilityChanged, m_context,
                        [this] { sendSnapshot(); });
            },
            Qt::DirectConnection);
    m_thread.start();
}

ReceiverHost::~ReceiverHost()
{
    QObject *context = m_context;
    QMetaObject::invokeMethod(
            context,
            [context] {
                delete context;
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
    m_thread.wait();
}

void ReceiverHost::start()
{
    QMetaObject::invokeMethod(
            m_context,
            [this] {
                const bool ok = m_receiver->isListening() || m_receiver->listen();
                const QString error = ok ? QString() : m_receiver->errorString();
                const QUrl base = m_receiver->baseUrl();
                const QUrl push = m_receiver->pushUrl();
                QMetaObject::invokeMethod(
                        this,
                        [this, ok, error, base, push] {
                            m_started = true;
                            m_errorString = error;
                            m_baseUrl = base;
                            m_pushUrl = push;
                            m_snapshot.listening = ok;
                            Q_EMIT started(ok);
                        },
                        Qt::QueuedConnection);
                sendSnapshot();
            },
            Qt::QueuedConnection);
}

void ReceiverHost::requestSnapshot()
{
    QMetaObject::invokeMethod(
            m_context, [this] { sendSnapshot(); }, Qt::QueuedConnection);
}

void ReceiverHost::post(std::function<void(LokiReceiver &)> job)
{
    QMetaObject::invokeMethod(
            m_context,
            [this, job = std::move(job)] {
                job(*m_receiver);
                sendSnapshot();
            },
            Qt::QueuedConnection);
}

void ReceiverHost::sendSnapshot()
{
    Snapshot snapshot;
    snapshot.listening = m_receiver->isListening();
    snapshot.stats = m_receiver->stats();
    snapshot.faults = m_receiver->faults();
    QMetaObject::invokeMethod(
            this,
            [this, snapshot = std::move(snapshot)] {
                m_snapshot = snapshot;
                Q_EMIT snapshotChanged();
            },
            Qt::QueuedConnection);
}

void ReceiverHost::failNextPushes(int count, int httpStatus, int retryAfterSeconds)
{
    post([=](LokiReceiver &r) { r.failNextPushes(count, httpStatus, retryAfterSeconds); });
}

void ReceiverHost::goDown(std::chrono::milliseconds duration)
{
    post([=](LokiReceiver &r) { r.goDown(duration); });
}

void ReceiverHost::setResponseDelay(std::chrono::milliseconds delay)
{
    post([=](LokiReceiver &r) { r.setResponseDelay(delay); });
}

void ReceiverHost::clearFaults()
{
    post([](LokiReceiver &r) { r.clearFaults(); });
}

void ReceiverHost::reset()
{
    post([](LokiReceiver &r) { r.reset(); });
}
