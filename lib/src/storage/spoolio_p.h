// SPDX-License-Identifier: MIT
#pragma once

// Thin wrappers over POSIX file I/O for the spool: whole writes and reads that retry
// on EINTR and short counts, and the errno as words.

#include "storage/spool_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace QLoki::detail::SpoolIo {

//! Writes all of \a data at the file position; \a written receives what was written.
bool writeAll(int fd, const QByteArray &data, int *error, qint64 *written = nullptr);
//! Writes all of \a data at \a offset.
bool writeAt(int fd, const QByteArray &data, qint64 offset, int *error);
//! Reads exactly \a size bytes at \a offset; false on an error or end of file.
bool readAt(int fd, char *buffer, qint64 size, qint64 offset);
//! fdatasync()
bool syncData(int fd, int *error);
//! True when the file open as \a fd has no name left (deleted, or its directory was).
bool isUnlinked(int fd);
//! strerror() as a QString.
QString errnoString(int error);
//! DiskFull for ENOSPC and EDQUOT, \a otherwise for anything else.
Spool::Error errorFor(int error, Spool::Error otherwise);

} // namespace QLoki::detail::SpoolIo
