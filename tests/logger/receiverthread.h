// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QThread>

#include <memory>

/*!
    A LokiReceiver on a thread of its own, so that a test thread may block (in
    LokiLogger::flush(), a synchronous log call, a child process) while the receiver
    keeps answering. Every access goes through call(), which runs on the receiver's
    thread and returns the result.
*/
class ReceiverThread
{
public:
    template <typename F>
    auto call(F &&f)
    {
        decltype(f()) result{};
        QMetaObject::invokeMethod(&m_context, std::forward<F>(f), Qt::BlockingQueuedConnection,
                                  &result);
        return result;
    }

    //! Runs \a f with the receiver on its thread and returns what it returns.
    template <typename F>
    auto with(F &&f)
    {
        return call([this, &f] { return f(*m_receiver); });
    }

    ReceiverThread()
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        call([this] {
            m_receiver = new LokiReceiver;
            return m_receiver->listen();
        });
    }

    ~ReceiverThread()
    {
        call([this] {
            delete m_receiver;
            return true;
        });
        m_thread.quit();
        m_thread.wait();
    }

    QUrl pushUrl() { return with([](LokiReceiver &r) { return r.pushUrl(); }); }
    QUrl baseUrl() { return with([](LokiReceiver &r) { return r.baseUrl(); }); }
    qint64 count() { return with([](LokiReceiver &r) { return r.entryCount(); }); }
    QList<LokiReceiver::Entry> entries()
    {
        return with([](LokiReceiver &r) { return r.entries(); });
    }

private:
    QThread m_thread;
    QObject m_context;
    LokiReceiver *m_receiver = nullptr;
};
