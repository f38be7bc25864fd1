// SPDX-License-Identifier: MIT
#include "storage/spoollock_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace QLoki::detail {

SpoolLock::~SpoolLock() { unlock(); }

bool SpoolLock::lock(const QString &directory, bool *busy, QString *error)
{
    unlock();
    *busy = false;
    const QString path = QDir(directory).filePath(fileName());
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = QStringLiteral("cannot create the lock file %1: %2")
                         .arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    int rc;
    do {
        rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        const int lockErrno = errno;
        if (lockErrno == EWOULDBLOCK) {
            *busy = true;
            char buf[32] = {};
            const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
            bool ok = false;
            const qint64 pid = QByteArray(buf, n > 0 ? int(n) : 0).trimmed().toLongLong(&ok);
            const QString holder =
                    ok ? QStringLiteral("process %1").arg(pid) : QStringLiteral("another process");
            *error = QStringLiteral("the spool directory %1 is in use by %2 (lock file %3)")
                             .arg(QDir::toNativeSeparators(directory), holder, path);
        } else {
            *error = QStringLiteral("cannot lock %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(lockErrno)));
        }
        ::close(fd);
        return false;
    }
    // The PID is only for the message above; failing to write it does not matter.
    const QByteArray pid = QByteArray::number(qint64(::getpid())) + '\n';
    if (::ftruncate(fd, 0) == 0) {
        [[maybe_unused]] const ssize_t written =
                ::pwrite(fd, pid.constData(), size_t(pid.size()), 0);
    }
    m_fd = fd;
    return true;
}

void SpoolLock::unlock()
{
    if (m_fd < 0)
        return;
    // Closing the last descriptor of the open file description releases the flock.
    ::close(m_fd);
    m_fd = -1;
}

} // namespace QLoki::detail
