// SPDX-License-Identifier: MIT
// Spool::open(): the directory, the lock, the read position and the scan of segments.
#include "storage/spool_p.h"

#include "storage/spoolio_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <algorithm>
#include <cerrno>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace QLoki::detail {

using namespace SpoolFormat;

namespace {

// The id in `segment-<16 hex digits>.qspool`, or 0 when the name is not one.
quint64 segmentId(const QString &name)
{
    const QString prefix = QStringLiteral("segment-");
    const QString suffix = QStringLiteral(".qspool");
    if (name.size() != prefix.size() + 16 + suffix.size() || !name.startsWith(prefix)
        || !name.endsWith(suffix))
        return 0;
    bool ok = false;
    const quint64 id = QStringView(name).mid(prefix.size(), 16).toULongLong(&ok, 16);
    return ok ? id : 0;
}

} // namespace

bool Spool::open(const SpoolOptions &options, QString *error)
{
    close();
    m_options = options;
    m_stats = SpoolStats();
    m_nextId = 1;
    m_ackGeneration = 0;
    if (options.directory.isEmpty())
        return fail(Error::InvalidOptions, QStringLiteral("no spool directory given"), error);
    if (options.segmentBytes < 1024 || options.maxBytes < options.segmentBytes) {
        return fail(Error::InvalidOptions,
                    QStringLiteral("the spool needs segmentBytes >= 1024 and maxBytes >= "
                                   "segmentBytes (got %1 and %2)")
                            .arg(options.segmentBytes)
                            .arg(options.maxBytes),
                    error);
    }
    m_options.directory = QDir::cleanPath(QDir(options.directory).absolutePath());

    QString message;
    Error code = Error::Directory;
    if (!prepareDirectory(&message, &code))
        return fail(code, message, error);
    bool busy = false;
    if (!m_lock.lock(m_options.directory, &busy, &message))
        return fail(busy ? Error::Locked : Error::Directory, message, error);

    const QString ackPath = QDir(m_options.directory).filePath(ackFileName());
    m_ackFd = ::open(QFile::encodeName(ackPath).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_ackFd < 0) {
        const int openErrno = errno;
        message =
                QStringLiteral("cannot open %1: %2").arg(ackPath, SpoolIo::errnoString(openErrno));
        close();
        return fail(Error::Directory, message, error);
    }
    // Both slots are read in one go and the file is given its full size at once, so
    // that storing a position later only overwrites bytes and never needs disk space.
    constexpr qint64 ackFileSize = AckSlotOffsets[1] + AckSlotSize;
    QByteArray stored(ackFileSize, '\0');
    const qint64 got = ::pread(m_ackFd, stored.data(), size_t(ackFileSize), 0);
    int writeErrno = 0;
    if (got < ackFileSize && !SpoolIo::writeAt(m_ackFd, stored, 0, &writeErrno)) {
        message = QStringLiteral("cannot write %1: %2")
                          .arg(ackPath, SpoolIo::errnoString(writeErrno));
        const Error code = SpoolIo::errorFor(writeErrno, Error::Directory);
        close();
        return fail(code, message, error);
    }
    AckPosition ack;
    for (const qint64 offset : AckSlotOffsets) {
        AckPosition candidate;
        if (decodeAckSlot(stored.mid(offset, AckSlotSize), &candidate)
            && candidate.generation >= ack.generation)
            ack = candidate;
    }
    m_ackGeneration = ack.generation;

    if (!loadSegments(ack, &message)) {
        close();
        return fail(Error::UnsupportedFormat, message, error);
    }
    m_stats.replayed = quint64(m_pending);
    m_error = Error::NoError;
    m_errorString.clear();
    return true;
}

bool Spool::prepareDirectory(QString *message, Error *error)
{
    const QString dir = m_options.directory;
    const QByteArray native = QFile::encodeName(dir);
    struct stat st;
    if (::stat(native.constData(), &st) != 0) {
        const int statErrno = errno;
        if (statErrno != ENOENT) {
            *message = QStringLiteral("cannot use the spool directory %1: %2")
                               .arg(dir, SpoolIo::errnoString(statErrno));
            return false;
        }
        const QString parent = QFileInfo(dir).path();
        if (!QDir().mkpath(parent)) {
            *message = QStringLiteral("cannot create the spool directory %1: the parent "
                                      "directory %2 cannot be created")
                               .arg(dir, parent);
            return false;
        }
        if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST) {
            const int mkdirErrno = errno;
            *error = SpoolIo::errorFor(mkdirErrno, Error::Directory);
            *message = QStringLiteral("cannot create the spool directory %1: %2")
                               .arg(dir, SpoolIo::errnoString(mkdirErrno));
            return false;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        *message = QStringLiteral("the spool directory %1 is not a directory").arg(dir);
        return false;
    }
    if (::access(native.constData(), R_OK | W_OK | X_OK) != 0) {
        *message = QStringLiteral("the spool directory %1 is not writable: %2")
                           .arg(dir, SpoolIo::errnoString(errno));
        return false;
    }
    return true;
}

bool Spool::loadSegments(const AckPosition &ack, QString *message)
{
    QDir dir(m_options.directory);
    QList<quint64> ids;
    const QStringList names = dir.entryList({QStringLiteral("segment-*.qspool")}, QDir::Files);
    for (const QString &name : names) {
        if (const quint64 id = segmentId(name))
            ids.append(id);
    }
    std::sort(ids.begin(), ids.end());
    m_nextId = qMax(ids.isEmpty() ? quint64(0) : ids.last(), ack.segmentId) + 1;

    for (const quint64 id : std::as_const(ids)) {
        const QString path = pathOf(id);
        const QByteArray native = QFile::encodeName(path);
        if (id < ack.segmentId) { // acknowledged before a crash left it behind
            ::unlink(native.constData());
            continue;
        }
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *message = QStringLiteral("cannot read the spool segment %1: %2")
                               .arg(path, file.errorString());
            return false;
        }
        const QByteArray data = file.readAll();
        file.close();
        quint32 version = 0;
        const HeaderStatus header = checkSegmentHeader(data, &version);
        if (header == HeaderStatus::UnsupportedVersion) {
            *message = QStringLiteral("the spool segment %1 has format version %2; this "
                                      "QLoki reads version %3")
                               .arg(path)
                               .arg(version)
                               .arg(SpoolFormat::Version);
            return false;
        }
        if (header != HeaderStatus::Ok) { // torn at creation, or not a segment at all
            if (!data.isEmpty()) {
                m_stats.corruptBatches += 1;
                m_stats.corruptBytes += quint64(data.size());
            }
            ::unlink(native.constData());
            continue;
        }
        const SegmentScan scan = scanSegment(data);
        m_stats.corruptBatches += quint64(scan.corruptRegions);
        m_stats.corruptBytes += quint64(scan.corruptBytes);
        // Cut a bad tail off, so that it is counted once. When that fails, the tail is
        // skipped all the same (reads stop at validEnd) and counted again next time.
        const bool cut =
                scan.validEnd == data.size() || ::truncate(native.constData(), scan.validEnd) == 0;
        Q_UNUSED(cut)

        Segment segment;
        segment.id = id;
        segment.size = scan.validEnd;
        segment.entries = scan.entries;
        segment.gaps = scan.gaps;
        qint64 acked = 0;
        qint64 cursor = SegmentHeaderSize;
        quint32 index = 0;
        if (id == ack.segmentId) {
            // The first valid batch at or after the stored position.
            cursor = scan.validEnd;
            acked = scan.entries;
            qint64 before = 0;
            for (const auto &batch : scan.batches) {
                if (batch.offset >= ack.batchOffset) {
                    cursor = batch.offset;
                    acked = before;
                    if (batch.offset == ack.batchOffset) {
                        index = qMin(ack.index, batch.entries);
                        acked += index;
                    }
                    break;
                }
                before += batch.entries;
            }
        }
        if (acked >= segment.entries) { // nothing left to read
            ::unlink(native.constData());
            continue;
        }
        if (m_segments.isEmpty()) {
            m_cursorOffset = cursor;
            m_cursorIndex = index;
            m_ackedInFirst = acked;
        }
        m_pending += segment.entries - acked;
        m_bytes += segment.size;
        m_segments.append(segment);
    }
    if (m_segments.isEmpty()) {
        m_cursorOffset = SegmentHeaderSize;
        m_cursorIndex = 0;
        m_ackedInFirst = 0;
    }
    return true;
}

} // namespace QLoki::detail
