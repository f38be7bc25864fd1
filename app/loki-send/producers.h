// SPDX-License-Identifier: MIT
#pragma once

#include "sendoptions.h"

#include <QtCore/QtGlobal>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

class LokiLogger;

/*!
    The threads that make the logging calls, so that the main thread stays free for the
    event loop. Each thread times every call it makes; nothing here waits on the network
    except a logging call itself (overflow "block" or --sync, as documented).
*/
class Producers
{
public:
    Producers(LokiLogger *logger, const SendOptions &options);
    ~Producers();
    Producers(const Producers &) = delete;
    Producers &operator=(const Producers &) = delete;

    //! Starts the threads; \a finished is called once, on the thread that ends last.
    void start(std::function<void()> finished);
    //! Waits for every thread to end.
    void join();

    //! Logging calls made so far, and the mean time one took, in nanoseconds.
    quint64 calls() const;
    double meanCallNs() const;

private:
    struct Tally
    {
        std::atomic<quint64> calls{0};
        std::atomic<qint64> ns{0};
    };

    void logTimed(const QString &message, Tally *tally);
    void runSynthetic(qint64 first, qint64 end, Tally *tally);
    void runStdin(Tally *tally);

    LokiLogger *const m_logger;
    const SendOptions &m_options;
    std::vector<std::thread> m_threads;
    std::vector<Tally> m_tallies;
    std::atomic<int> m_running{0};
    std::function<void()> m_finished;
};
