// SPDX-License-Identifier: MIT
#include "receiverhost.h"

ReceiverHost::ReceiverHost(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("loki-console-receiver"));
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    call([this] {
        // Created on its thread: the receiver needs that thread's event loop.
        m_receiver = new LokiReceiver(m_context);
        connect(m_receiver, &LokiReceiver::pushHandled, this, &ReceiverHost::pushHandled,
                Qt::QueuedConnection);
        connect(m_receiver, &LokiReceiver::availabilityChanged, this,
                &ReceiverHost::availabilityChanged, Qt::QueuedConnection);
        return true;
    });
}

ReceiverHost::~ReceiverHost()
{
    call([this] {
        delete m_context;
        return true;
    });
    m_thread.quit();
    m_thread.wait();
}

bool ReceiverHost::start()
{
    return call([this] { return m_receiver->isListening() || m_receiver->listen(); });
}

bool ReceiverHost::isListening()
{
    return call([this] { return m_receiver->isListening(); });
}

QString ReceiverHost::errorString()
{
    return call([this] { return m_receiver->errorString(); });
}

QUrl ReceiverHost::baseUrl()
{
    return call([this] { return m_receiver->baseUrl(); });
}

QUrl ReceiverHost::pushUrl()
{
    return call([this] { return m_receiver->pushUrl(); });
}

qint64 ReceiverHost::entryCount()
{
    return call([this] { return m_receiver->entryCount(); });
}

QList<LokiReceiver::Entry> ReceiverHost::entries()
{
    return call([this] { return m_receiver->entries(); });
}

QList<LokiReceiver::Entry> ReceiverHost::query(const QString &logql, int limit)
{
    return call(
            [&] { return m_receiver->query(logql, 0, std::numeric_limits<qint64>::max(), limit); });
}

LokiReceiver::Stats ReceiverHost::stats()
{
    return call([this] { return m_receiver->stats(); });
}

LokiReceiver::Faults ReceiverHost::faults()
{
    return call([this] { return m_receiver->faults(); });
}

void ReceiverHost::failNextPushes(int count, int httpStatus, int retryAfterSeconds)
{
    call([=] {
        m_receiver->failNextPushes(count, httpStatus, retryAfterSeconds);
        return true;
    });
}

void ReceiverHost::goDown(std::chrono::milliseconds duration)
{
    call([=] {
        m_receiver->goDown(duration);
        return true;
    });
}

void ReceiverHost::setResponseDelay(std::chrono::milliseconds delay)
{
    call([=] {
        m_receiver->setResponseDelay(delay);
        return true;
    });
}

void ReceiverHost::clearFaults()
{
    call([this] {
        m_receiver->clearFaults();
        return true;
    });
}

void ReceiverHost::reset()
{
    call([this] {
        m_receiver->reset();
        return true;
    });
}
