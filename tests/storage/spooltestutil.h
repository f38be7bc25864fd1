// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the spool tests: entries with predictable contents, reading a
// whole spool back, and the files of a spool directory.

#include "storage/spool_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>

#include <unistd.h>

namespace SpoolTest {

using namespace QLoki;
using namespace QLoki::detail;

//! Entry \a n: timestamp 1e18 + n, line "entry <n>" padded with '.' to \a lineLength.
inline SpooledEntry entry(int n, int lineLength = 0)
{
    SpooledEntry e;
    e.timestampNs = 1'000'000'000'000'000'000LL + n;
    e.level = Level(n % 5);
    e.line = QStringLiteral("entry %1").arg(n);
    if (e.line.size() < lineLength)
        e.line += QString(lineLength - e.line.size(), QLatin1Char('.'));
    e.labels = {{QStringLiteral("app"), QStringLiteral("spooltest")}};
    return e;
}

//! Entries [first, first + count).
inline QList<SpooledEntry> entries(int first, int count, int lineLength = 0)
{
    QList<SpooledEntry> list;
    for (int i = 0; i < count; ++i)
        list.append(entry(first + i, lineLength));
    return list;
}

//! The number an entry() was made with.
inline int numberOf(const SpooledEntry &e)
{
    return int(e.timestampNs - 1'000'000'000'000'000'000LL);
}

//! Every pending entry, without acknowledging.
inline QList<SpooledEntry> peekAll(Spool &spool)
{
    return spool.peek(int(spool.pendingEntries()) + 1);
}

inline QStringList segmentFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("segment-*.qspool")}, QDir::Files, QDir::Name);
}

inline QString lastSegment(const QString &dir)
{
    const QStringList files = segmentFiles(dir);
    return files.isEmpty() ? QString() : QDir(dir).filePath(files.last());
}

inline qint64 fileSize(const QString &path) { return QFileInfo(path).size(); }

//! True when permission bits do not stop this process (root, CAP_DAC_OVERRIDE).
inline bool ignoresPermissions() { return ::geteuid() == 0; }

} // namespace SpoolTest
