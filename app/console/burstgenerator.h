// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiTypes>

#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QVariantMap>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

class LokiLogger;

/*!
    Logs a burst of numbered entries from worker threads (never from the GUI thread),
    at full speed or paced to a rate, and reports progress on the thread that owns it.

    Nothing here makes the owner's thread wait for a worker: stop() asks the workers to
    end and returns; the burst ends (runningChanged(false), finished()) once the last one
    has. A worker inside a logging call that waits for room (OverflowPolicy::Block, Loki
    unreachable) leaves it when the logger makes room or stops accepting (its next
    init() with more room, shutdown()); waitingCalls() counts them meanwhile.
*/
class BurstGenerator : public QObject
{
    Q_OBJECT

public:
    struct Plan
    {
        int count = 1000;
        //! Entries per second over all threads; 0 means as fast as possible.
        double ratePerSecond = 0;
        int threads = 1;
        QLoki::Level level = QLoki::Level::Info;
        QString message;
        QMap<QString, QString> labels;
        QVariantMap metadata;
    };

    explicit BurstGenerator(QObject *parent = nullptr);
    //! Asks the workers to stop and joins them: the logger they log to must have been
    //! shut down first if one may wait for room.
    ~BurstGenerator() override;

    //! Starts \a plan on \a logger; false when a burst is already running.
    bool start(LokiLogger *logger, const Plan &plan);
    //! Asks the workers to stop after their current logging call; returns at once.
    void stop();
    //! From start() until the last worker has ended.
    bool isRunning() const { return m_running; }
    //! Between stop() and the end of the burst.
    bool isStopping() const { return m_running && m_stop.load(); }
    int sent() const { return m_sent.load(std::memory_order_relaxed); }
    int total() const { return m_total; }
    //! Workers inside a logging call right now (waiting for room, when that lasts).
    int waitingCalls() const { return m_inCall.load(std::memory_order_relaxed); }

Q_SIGNALS:
    //! At most every 50 ms while a burst runs, and once at its end.
    void progressChanged(int sent, int total);
    void runningChanged(bool running);
    //! When stop() was asked for a running burst.
    void stopping();
    //! Once per burst, with the number of entries logged.
    void finished(int sent);

private:
    void work(LokiLogger *logger, const Plan &plan, int index, int share, int generation);
    void finish();
    void join();

    std::vector<std::thread> m_workers;
    std::atomic<int> m_sent {0};
    std::atomic<int> m_sequence {0};
    std::atomic<int> m_active {0};
    std::atomic<int> m_inCall {0};
    std::atomic<bool> m_stop {false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    QTimer m_progressTimer;
    int m_total = 0;
    int m_generation = 0;
    bool m_running = false;
};
