// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QUrl>

#include <chrono>
#include <functional>

class QTimer;

/*!
    The console's built-in LokiReceiver, on a thread of its own so that it keeps answering
    while the GUI thread (or a logger's flush) waits.

    The GUI thread never waits for the receiver: commands are posted to the receiver's
    thread and return at once, and what the window shows comes from a snapshot the
    receiver's thread sends back (after start(), after every command, after pushes at
    most every 100 ms, and on requestSnapshot()). A receiver busy with a long query
    delays the snapshot, never the window.
*/
class ReceiverHost : public QObject
{
    Q_OBJECT

public:
    //! What the window shows of the receiver.
    struct Snapshot
    {
        bool listening = false;
        LokiReceiver::Stats stats;
        LokiReceiver::Faults faults;
    };

    //! Starts the receiver's thread; the receiver does not listen before start().
    explicit ReceiverHost(QObject *parent = nullptr);
    //! Stops the receiver's thread (it finishes what it is doing first).
    ~ReceiverHost() override;

    //! Starts listening on a free loopback port; started() follows.
    void start();
    //! Whether started() has come, and whether the receiver listened then.
    bool isStarted() const { return m_started; }
    bool isListening() const { return m_snapshot.listening; }
    //! Why the receiver could not listen; empty when it could.
    QString errorString() const { return m_errorString; }
    //! Its URLs, known once started() has come.
    QUrl baseUrl() const { return m_baseUrl; }
    QUrl pushUrl() const { return m_pushUrl; }

    //! The latest snapshot; snapshotChanged() tells when a newer one arrived.
    const Snapshot &snapshot() const { return m_snapshot; }
    //! Asks for a fresh snapshot.
    void requestSnapshot();

    void failNextPushes(int count, int httpStatus, int retryAfterSeconds = -1);
    void goDown(std::chrono::milliseconds duration);
    void setResponseDelay(std::chrono::milliseconds delay);
    void clearFaults();
    void reset();

    /*!
        Runs \a job with the receiver on the receiver's thread, later; returns at once.
        For what the window does not show (tests read the store with it). A snapshot
        follows.
    */
    void post(std::function<void(LokiReceiver &)> job);

Q_SIGNALS:
    //! Once, after start(): whether the receiver listens (see errorString()).
    void started(bool listening);
    void snapshotChanged();
    //! Forwarded from the receiver (queued to this object's thread).
    void pushHandled(int httpStatus, int entriesAccepted);
    void availabilityChanged(bool up);

private:
    //! Runs on the receiver's thread: posts a snapshot to this object's thread.
    void sendSnapshot();

    QThread m_thread;
    QObject *m_context = nullptr;
    // Owned by the receiver's thread: only touched there.
    LokiReceiver *m_receiver = nullptr;
    QTimer *m_snapshotTimer = nullptr;
    // The GUI thread's copies.
    Snapshot m_snapshot;
    bool m_started = false;
    QString m_errorString;
    QUrl m_baseUrl;
    QUrl m_pushUrl;
};
