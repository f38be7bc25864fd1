// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include "pipeline/eventhandoff_p.h" // header-only: tells ThreadSanitizer of the hand-over

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QThread>

#include <functional>
#include <future>
#include <memory>

/*!
    A LokiReceiver on a thread of its own, so that a test thread may block (in
    LokiLogger::flush(), a synchronous log call, a child process) while the receiver
    keeps answering. Every access goes through call(), which runs on the receiver's
    thread and returns the result. A call from the receiver's own thread would wait
    forever: call() is for the test thread.
*/
class ReceiverThread
{
public:
    template <typename F>
    auto call(F &&f)
    {
        // An event of our own and a std::promise rather than a blocking queued call: the
        // same wait, but a hand-over that ThreadSanitizer can follow (Qt's semaphore and the
        // reference counts of its slot objects are not instrumented).
        using Result = decltype(f());
        std::promise<Result> done;
        QLoki::detail::postHandedOver(&m_context,
                                      new CallEvent([&f, &done] { done.set_value(f()); }));
        return done.get_future().get();
    }

    //! Runs \a f with the receiver on its thread and returns what it returns.
    template <typename F>
    auto with(F &&f)
    {
        return call([this, &f] { return f(*m_receiver); });
    }

    ReceiverThread()
    {
        // The receiver is made on its thread before that thread takes any queued call.
        std::promise<bool> listening;
        m_context.moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::started, &m_context, [this, &listening] {
            m_receiver = new LokiReceiver;
            listening.set_value(m_receiver->listen());
        }, Qt::DirectConnection);
        m_thread.start();
        listening.get_future().wait();
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
    class CallEvent : public QEvent
    {
    public:
        explicit CallEvent(std::function<void()> function)
            : QEvent(QEvent::User)
            , function(std::move(function))
        {
        }
        std::function<void()> function;
    };

    class Context : public QObject
    {
    protected:
        bool event(QEvent *event) override
        {
            QLOKI_EVENT_DELIVERED(this);
            if (event->type() != QEvent::User)
                return QObject::event(event);
            static_cast<CallEvent *>(event)->function();
            return true;
        }
    };

    QThread m_thread;
    Context m_context;
    LokiReceiver *m_receiver = nullptr;
};
