// SPDX-License-Identifier: MIT
// What the driver reads of another process and of the machine, from /proc and the file
// system.
#pragma once

#include <QtCore/QString>

namespace soak {

//! Resident set size of \a pid in bytes (VmRSS); -1 when it cannot be read.
qint64 residentBytes(qint64 pid);
//! Open file descriptors of \a pid (entries of /proc/<pid>/fd); -1 when unreadable.
int openDescriptors(qint64 pid);
//! The sizes of the files in \a directory (not recursive); 0 when it does not exist.
qint64 directoryBytes(const QString &directory);
//! The first three fields of /proc/loadavg ("7.36 8.85 9.09").
QString loadAverage();

} // namespace soak
