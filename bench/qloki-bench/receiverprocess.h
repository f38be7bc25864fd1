// SPDX-License-Identifier: MIT
// loki-receiver --counting-only in a process of its own: the server of every scenario that
// delivers, kept apart so that its CPU is not the client's.
#pragma once

#include <QtCore/QProcess>
#include <QtCore/QUrl>

namespace bench {

class ReceiverProcess
{
public:
    ReceiverProcess() = default;
    ~ReceiverProcess();
    ReceiverProcess(const ReceiverProcess &) = delete;
    ReceiverProcess &operator=(const ReceiverProcess &) = delete;

    //! Starts \a binary on a free port; false when it did not print its URL within 10 s.
    bool start(const QString &binary);
    void stop();
    QUrl baseUrl() const { return m_baseUrl; }

    //! CPU seconds (user + system) the receiver has used (/proc/<pid>/stat).
    double cpuSeconds() const;
    //! Entries the receiver accepted so far (its /metrics), or -1. Each call uses a network
    //! access manager of its own, so no thread of the bench lingers between scenarios.
    qint64 acceptedTotal() const;

private:
    QProcess m_process;
    QUrl m_baseUrl;
};

} // namespace bench
