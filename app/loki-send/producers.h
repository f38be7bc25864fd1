// SPDX-License-Identifier: MIT
#pragma once

#include "sendoptions.h"

#include <QtCore/QString>
#include <QtCore/QtGlobal>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class LokiLogger;

/*!
    The threads that make the logging calls, so that the main thread stays free for the
    event loop. Each thread times every call it makes; nothing here waits on the network
    except a logging call itself (overflow "block" or --sync, as documented).

    Standard input is read in chunks through a LineReader, so that a line never costs more
    than the line limit. requestStop() ends the producers early: the synthetic threads
    after their current call; the standard input thread once it has read what a pipe held
    at that moment (lines already written by the program on the other end are sent).
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
    //! Waits at most \a timeout for every thread to end; true when they have.
    bool waitFor(std::chrono::milliseconds timeout);
    //! Asks the threads to end early; from any thread, returns at once.
    void requestStop();

    //! Why standard input could not be read (empty when it could), e.g. "Is a directory".
    QString readError() const;
    //! Input lines longer than the line limit, and the bytes of them not sent.
    quint64 linesCut() const { return m_linesCut.load(); }
    quint64 bytesCut() const { return m_bytesCut.load(); }

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
    std::mutex m_endMutex;
    std::condition_variable m_ended;
    std::atomic<bool> m_stop {false};
    //! Written by requestStop(), so that a thread waiting for standard input wakes up.
    int m_stopPipe[2] = {-1, -1};
    std::atomic<quint64> m_linesCut {0};
    std::atomic<quint64> m_bytesCut {0};
    QString m_readError; //!< written by the standard input thread before it ends
    std::function<void()> m_finished;
};
