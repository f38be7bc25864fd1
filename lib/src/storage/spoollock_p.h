// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QString>

namespace QLoki::detail {

/*!
    The exclusive hold of a spool directory: `spool.lock` in it, locked with flock() on
    an open file descriptor, with the holder's PID written inside for the error message
    of the next one who tries.

    flock() locks belong to the open file description, so a second SpoolLock on the
    same directory fails within one process too, and the kernel releases the lock when
    the holder exits or is killed: a lock left behind by a crash is never stale.
*/
class SpoolLock
{
public:
    SpoolLock() = default;
    ~SpoolLock();
    SpoolLock(const SpoolLock &) = delete;
    SpoolLock &operator=(const SpoolLock &) = delete;

    /*!
        Takes the lock of \a directory. When another holder has it, returns false and
        sets \a busy to true; \a error names the directory and the holder's PID.
    */
    bool lock(const QString &directory, bool *busy, QString *error);
    void unlock();
    bool isLocked() const { return m_fd >= 0; }

    static QString fileName() { return QStringLiteral("spool.lock"); }

private:
    int m_fd = -1;
};

} // namespace QLoki::detail
