// SPDX-License-Identifier: MIT
#include "storage/spoolio_p.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace QLoki::detail::SpoolIo {

bool writeAll(int fd, const QByteArray &data, int *error, qint64 *written)
{
    const char *p = data.constData();
    qint64 left = data.size();
    qint64 done = 0;
    while (left > 0) {
        const ssize_t n = ::write(fd, p + done, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = errno;
            break;
        }
        done += n;
        left -= n;
    }
    if (written)
        *written = done;
    return left == 0;
}

bool writeAt(int fd, const QByteArray &data, qint64 offset, int *error)
{
    qint64 done = 0;
    while (done < data.size()) {
        const ssize_t n =
                ::pwrite(fd, data.constData() + done, size_t(data.size() - done), offset + done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = errno;
            return false;
        }
        done += n;
    }
    return true;
}

bool readAt(int fd, char *buffer, qint64 size, qint64 offset)
{
    qint64 done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, buffer + done, size_t(size - done), offset + done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

bool syncData(int fd, int *error)
{
    while (::fdatasync(fd) != 0) {
        if (errno != EINTR) {
            *error = errno;
            return false;
        }
    }
    return true;
}

bool isUnlinked(int fd)
{
    struct stat st;
    return ::fstat(fd, &st) == 0 && st.st_nlink == 0;
}

QString errnoString(int error) { return QString::fromLocal8Bit(std::strerror(error)); }

Spool::Error errorFor(int error, Spool::Error otherwise)
{
    return error == ENOSPC || error == EDQUOT ? Spool::Error::DiskFull : otherwise;
}

} // namespace QLoki::detail::SpoolIo
