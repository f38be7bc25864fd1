// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>

#include <vector>

class QSocketNotifier;

/*!
    Turns SIGINT and SIGTERM into a Qt signal on the thread that owns the watcher.

    The handler only writes the signal's number into a pipe (the self-pipe trick: write()
    is async-signal-safe, nothing else is done there); a QSocketNotifier on the other end
    emits interrupted() from the event loop. The handlers are installed with SA_RESETHAND,
    and both are reset once the first signal is read: a second SIGINT or SIGTERM finds the
    default action and ends the process at once. A signal ignored when the watcher is made
    (nohup) stays ignored.
*/
class InterruptWatcher : public QObject
{
    Q_OBJECT

public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    //! Puts the default actions back.
    ~InterruptWatcher() override;

    //! False when the pipe or the handlers could not be set up; errorString() says why.
    bool isWatching() const { return m_notifier != nullptr; }
    QString errorString() const { return m_error; }
    //! The first signal received, 0 before.
    int received() const { return m_received; }

    /*!
        Ends the process by the signal received (its default action, now that the handler
        is reset), as shells expect from a program stopped by Ctrl-C; returns when none
        was received.
    */
    void endBySignal() const;

Q_SIGNALS:
    //! Once, for the first SIGINT or SIGTERM.
    void interrupted(int signalNumber);

private:
    void readPipe();
    void restoreDefaults();

    QSocketNotifier *m_notifier = nullptr;
    std::vector<int> m_watched;
    QString m_error;
    int m_received = 0;
};
