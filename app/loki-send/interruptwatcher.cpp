// SPDX-License-Identifier: MIT
#include "interruptwatcher.h"

#include <QtCore/QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace {

// The write end of the self-pipe, read by the handler; -1 while no watcher exists.
volatile sig_atomic_t writeEnd = -1;
int readEnd = -1;

extern "C" void onSignal(int signalNumber)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    if (writeEnd >= 0) {
        // Nothing to do when the pipe is full: a signal is already waiting in it.
        const ssize_t written = ::write(writeEnd, &byte, 1);
        Q_UNUSED(written);
    }
    errno = savedErrno;
}

constexpr int Watched[] = {SIGINT, SIGTERM};

} // namespace

InterruptWatcher::InterruptWatcher(QObject *parent)
    : QObject(parent)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        m_error = QString::fromLocal8Bit(std::strerror(errno));
        return;
    }
    readEnd = fds[0];
    writeEnd = fds[1];
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    for (const int signalNumber : Watched) {
        // A signal ignored from the start (`nohup`, a background job of a script) stays
        // ignored, as the parent meant.
        struct sigaction previous = {};
        ::sigaction(signalNumber, nullptr, &previous);
        if (previous.sa_handler == SIG_IGN)
            continue;
        if (::sigaction(signalNumber, &action, nullptr) != 0) {
            m_error = QString::fromLocal8Bit(std::strerror(errno));
            return;
        }
        m_watched.push_back(signalNumber);
    }
    m_notifier = new QSocketNotifier(readEnd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &InterruptWatcher::readPipe);
}

InterruptWatcher::~InterruptWatcher()
{
    restoreDefaults();
    const int w = writeEnd;
    writeEnd = -1;
    delete m_notifier;
    if (w >= 0)
        ::close(w);
    if (readEnd >= 0)
        ::close(readEnd);
    readEnd = -1;
}

void InterruptWatcher::readPipe()
{
    unsigned char byte = 0;
    while (::read(readEnd, &byte, 1) == 1) {
        if (m_received == 0) {
            m_received = byte;
            // The next SIGINT or SIGTERM, of either kind, ends the process at once.
            restoreDefaults();
            Q_EMIT interrupted(byte);
        }
    }
}

void InterruptWatcher::restoreDefaults()
{
    for (const int signalNumber : m_watched)
        std::signal(signalNumber, SIG_DFL);
    m_watched.clear();
}

void InterruptWatcher::endBySignal() const
{
    if (m_received == 0)
        return;
    std::signal(m_received, SIG_DFL);
    ::raise(m_received);
}
