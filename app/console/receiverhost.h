// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <chrono>

/*!
    The console's built-in LokiReceiver, running on a thread of its own so that it keeps
    answering while the GUI thread (or a logger's flush) waits. Every accessor runs on
    the receiver's thread and returns its result; they take microseconds, so the GUI
    may call them directly.
*/
class ReceiverHost : public QObject
{
    Q_OBJECT

public:
    explicit ReceiverHost(QObject *parent = nullptr);
    ~ReceiverHost() override;

    //! Starts listening on a free loopback port; false (see errorString()) on failure.
    bool start();
    bool isListening();
    QString errorString();
    QUrl baseUrl();
    QUrl pushUrl();

    qint64 entryCount();
    QList<LokiReceiver::Entry> entries();
    QList<LokiReceiver::Entry> query(const QString &logql, int limit = 100);
    LokiReceiver::Stats stats();
    LokiReceiver::Faults faults();

    void failNextPushes(int count, int httpStatus, int retryAfterSeconds = -1);
    void goDown(std::chrono::milliseconds duration);
    void setResponseDelay(std::chrono::milliseconds delay);
    void clearFaults();
    void reset();

Q_SIGNALS:
    //! Forwarded from the receiver (queued to this object's thread).
    void pushHandled(int httpStatus, int entriesAccepted);
    void availabilityChanged(bool up);

private:
    template<typename F>
    auto call(F &&f)
    {
        decltype(f()) result {};
        QMetaObject::invokeMethod(m_context, std::forward<F>(f), Qt::BlockingQueuedConnection,
                                  &result);
        return result;
    }

    QThread m_thread;
    QObject *m_context = nullptr;
    LokiReceiver *m_receiver = nullptr;
};
