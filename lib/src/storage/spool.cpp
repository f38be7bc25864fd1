// SPDX-License-Identifier: MIT
#include "storage/spool_p.h"

#include "storage/spoolio_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace QLoki::detail {

using namespace SpoolFormat;

Spool::~Spool() { close(); }

QString Spool::segmentFileName(quint64 id)
{
    return QStringLiteral("segment-%1.qspool").arg(id, 16, 16, QLatin1Char('0'));
}

QString Spool::pathOf(quint64 id) const
{
    return QDir(m_options.directory).filePath(segmentFileName(id));
}

bool Spool::fail(Error error, const QString &message, QString *out)
{
    m_error = error;
    m_errorString = message;
    if (out)
        *out = message;
    return false;
}

void Spool::close()
{
    for (int *fd : {&m_writeFd, &m_readFd, &m_ackFd}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
    m_lock.unlock();
    m_segments.clear();
    m_peeked.clear();
    m_pending = 0;
    m_bytes = 0;
    m_error = Error::NotOpen;
    m_errorString = QStringLiteral("the spool is not open");
}

bool Spool::append(const QList<SpooledEntry> &entries, QString *error)
{
    if (!isOpen())
        return fail(Error::NotOpen, QStringLiteral("the spool is not open"), error);
    if (entries.isEmpty())
        return true;
    QByteArray data;
    QString message;
    if (!encodeBatch(entries, &data, &message))
        return fail(Error::TooLarge, message, error);
    if (data.size() + SegmentHeaderSize > m_options.maxBytes) {
        return fail(Error::TooLarge,
                    QStringLiteral("a batch of %1 bytes does not fit in the spool's %2 bytes")
                            .arg(data.size())
                            .arg(m_options.maxBytes),
                    error);
    }
    Error code = Error::NoError;
    if (m_writeFd >= 0 && SpoolIo::isUnlinked(m_writeFd)) {
        // Someone removed the file (or the directory): writing on would lose the batch.
        ::close(m_writeFd);
        m_writeFd = -1;
    }
    const bool full = m_writeFd >= 0 && m_segments.last().size > SegmentHeaderSize
            && m_segments.last().size + data.size() > m_options.segmentBytes;
    if ((m_writeFd < 0 || full) && !startSegment(&message, &code))
        return fail(code, message, error);
    while (m_bytes + data.size() > m_options.maxBytes && m_segments.size() > 1)
        dropFirst(false);
    if (!writeBatch(data, &message, &code))
        return fail(code, message, error);
    m_segments.last().entries += entries.size();
    m_pending += entries.size();
    m_stats.appended += quint64(entries.size());
    m_error = Error::NoError;
    m_errorString.clear();
    return true;
}

bool Spool::startSegment(QString *message, Error *error)
{
    if (m_writeFd >= 0) {
        ::close(m_writeFd);
        m_writeFd = -1;
    }
    const quint64 id = m_nextId;
    const QString path = pathOf(id);
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int openErrno = errno;
        *error = SpoolIo::errorFor(openErrno, Error::Directory);
        *message = QStringLiteral("cannot create the spool segment %1: %2")
                           .arg(path, SpoolIo::errnoString(openErrno));
        return false;
    }
    ++m_nextId;
    const QByteArray header = segmentHeader();
    int writeErrno = 0;
    if (!SpoolIo::writeAll(fd, header, &writeErrno)
        || (m_options.durability == Durability::Fsync && !SpoolIo::syncData(fd, &writeErrno))) {
        ::close(fd);
        ::unlink(QFile::encodeName(path).constData());
        *error = SpoolIo::errorFor(writeErrno, Error::Io);
        *message = QStringLiteral("cannot write the spool segment %1: %2")
                           .arg(path, SpoolIo::errnoString(writeErrno));
        return false;
    }
    if (m_options.durability == Durability::Fsync)
        syncDirectory();
    m_writeFd = fd;
    Segment segment;
    segment.id = id;
    segment.size = header.size();
    m_segments.append(segment);
    m_bytes += segment.size;
    if (m_segments.size() == 1) {
        m_cursorOffset = segment.size;
        m_cursorIndex = 0;
        m_ackedInFirst = 0;
    }
    dropConsumedFront();
    return true;
}

bool Spool::writeBatch(const QByteArray &data, QString *message, Error *error)
{
    Segment &segment = m_segments.last();
    qint64 written = 0;
    int writeErrno = 0;
    bool ok = SpoolIo::writeAll(m_writeFd, data, &writeErrno, &written);
    if (ok && m_options.durability == Durability::Fsync)
        ok = SpoolIo::syncData(m_writeFd, &writeErrno);
    if (ok) {
        segment.size += data.size();
        m_bytes += data.size();
        return true;
    }
    *error = SpoolIo::errorFor(writeErrno, Error::Io);
    *message = QStringLiteral("cannot write to the spool segment %1: %2")
                       .arg(pathOf(segment.id), SpoolIo::errnoString(writeErrno));
    // Cut off what was written of the batch. When that fails too, the bytes stay as a
    // known gap, and the next batch goes to a new segment.
    if (written > 0 && ::ftruncate(m_writeFd, segment.size) != 0) {
        segment.gaps.append({segment.size, segment.size + written});
        segment.size += written;
        m_bytes += written;
        ::close(m_writeFd);
        m_writeFd = -1;
    }
    return false;
}

bool Spool::readBatch(const Segment &segment, qint64 offset, QByteArray *batch)
{
    if (m_readFd < 0 || m_readId != segment.id) {
        if (m_readFd >= 0)
            ::close(m_readFd);
        m_readFd = ::open(QFile::encodeName(pathOf(segment.id)).constData(), O_RDONLY | O_CLOEXEC);
        m_readId = segment.id;
        if (m_readFd < 0)
            return false;
    }
    char header[BatchHeaderSize];
    if (!SpoolIo::readAt(m_readFd, header, BatchHeaderSize, offset))
        return false;
    const BatchExtent extent = readBatchHeader(header);
    if (extent.entries == 0 || offset + extent.size > segment.size)
        return false;
    batch->resize(extent.size);
    if (!SpoolIo::readAt(m_readFd, batch->data(), extent.size, offset))
        return false;
    return checkBatch(batch->constData(), batch->size(), 0).entries == extent.entries;
}

QList<SpooledEntry> Spool::peek(int maxEntries)
{
    QList<SpooledEntry> out;
    m_peeked.clear();
    if (!isOpen() || maxEntries <= 0)
        return out;
    qsizetype at = 0;
    qint64 offset = m_cursorOffset;
    quint32 index = m_cursorIndex;
    qint64 ordinal = m_ackedInFirst;
    QByteArray batch;
    while (out.size() < maxEntries && at < m_segments.size()) {
        const Segment &segment = m_segments.at(at);
        for (const auto &gap : segment.gaps) {
            if (offset >= gap.begin && offset < gap.end)
                offset = gap.end;
        }
        if (offset >= segment.size) {
            ++at;
            offset = SegmentHeaderSize;
            index = 0;
            ordinal = 0;
            continue;
        }
        if (!readBatch(segment, offset, &batch)) {
            // The file changed under the spool, or the disk failed: what is left of the
            // segment is lost. Only done at the front, so entries returned stay valid.
            if (at != 0 || !out.isEmpty())
                break;
            m_stats.corruptBatches += 1;
            m_stats.corruptBytes += quint64(segment.size - offset);
            m_error = Error::Io;
            m_errorString = QStringLiteral("cannot read the spool segment %1 at offset %2")
                                    .arg(pathOf(segment.id))
                                    .arg(offset);
            dropFirst(true);
            offset = m_cursorOffset;
            index = m_cursorIndex;
            ordinal = m_ackedInFirst;
            continue;
        }
        const quint32 entries = readBatchHeader(batch.constData()).entries;
        const qint64 end = offset + batch.size();
        const int taken = decodeBatch(batch, int(index), maxEntries - int(out.size()), &out);
        for (int i = 0; i < taken; ++i) {
            ++index;
            ++ordinal;
            if (index == entries)
                m_peeked.append({segment.id, end, 0, ordinal});
            else
                m_peeked.append({segment.id, offset, index, ordinal});
        }
        if (index == entries) {
            offset = end;
            index = 0;
        }
    }
    return out;
}

int Spool::acknowledge(int count)
{
    if (!isOpen() || count <= 0 || m_segments.isEmpty())
        return 0;
    if (m_peeked.size() < count)
        peek(count);
    count = int(qMin<qsizetype>(count, m_peeked.size()));
    if (count == 0)
        return 0;
    const Mark mark = m_peeked.at(count - 1);
    m_peeked.remove(0, count);
    // Entries of segments dropped since the peek are gone already.
    if (m_segments.isEmpty() || mark.segmentId < m_segments.first().id)
        return 0;
    // The position is stored before any file is deleted: a crash in between then leaves
    // files that the next open() knows to be consumed, never a position that is behind.
    storePosition(mark.segmentId, mark.batchOffset, mark.index);
    qint64 acknowledged = 0;
    while (m_segments.first().id < mark.segmentId) {
        acknowledged += m_segments.first().entries - m_ackedInFirst;
        m_pending -= m_segments.first().entries - m_ackedInFirst;
        m_ackedInFirst = m_segments.first().entries;
        dropFirst(false);
    }
    acknowledged += mark.ordinal - m_ackedInFirst;
    m_pending -= mark.ordinal - m_ackedInFirst;
    m_ackedInFirst = mark.ordinal;
    m_cursorOffset = mark.batchOffset;
    m_cursorIndex = mark.index;
    m_stats.acknowledged += quint64(acknowledged);
    dropConsumedFront();
    return int(acknowledged);
}

void Spool::dropFirst(bool corrupt)
{
    const Segment segment = m_segments.takeFirst();
    const qint64 lost = segment.entries - m_ackedInFirst;
    (corrupt ? m_stats.lost : m_stats.droppedOverflow) += quint64(lost);
    m_pending -= lost;
    m_bytes -= segment.size;
    if (m_readFd >= 0 && m_readId == segment.id) {
        ::close(m_readFd);
        m_readFd = -1;
    }
    if (m_segments.isEmpty() && m_writeFd >= 0) {
        ::close(m_writeFd);
        m_writeFd = -1;
    }
    ::unlink(QFile::encodeName(pathOf(segment.id)).constData());
    m_cursorOffset = SegmentHeaderSize;
    m_cursorIndex = 0;
    m_ackedInFirst = 0;
}

void Spool::dropConsumedFront()
{
    // The segment being written stays even when consumed: the next batch goes there.
    while (!m_segments.isEmpty() && m_ackedInFirst == m_segments.first().entries
           && !(m_writeFd >= 0 && m_segments.size() == 1))
        dropFirst(false);
}

void Spool::storePosition(quint64 segmentId, qint64 batchOffset, quint32 index)
{
    if (m_ackFd < 0)
        return;
    AckPosition position;
    position.generation = ++m_ackGeneration;
    position.segmentId = segmentId;
    position.batchOffset = batchOffset;
    position.index = index;
    const QByteArray slot = encodeAckSlot(position);
    int writeErrno = 0;
    const bool ok =
            SpoolIo::writeAt(m_ackFd, slot, AckSlotOffsets[position.generation % 2], &writeErrno)
            && (m_options.durability == Durability::Flush
                || SpoolIo::syncData(m_ackFd, &writeErrno));
    if (!ok) {
        // The entries stay delivered; after a restart they would be sent once more.
        m_error = SpoolIo::errorFor(writeErrno, Error::Io);
        m_errorString = QStringLiteral("cannot store the read position in %1: %2")
                                .arg(QDir(m_options.directory).filePath(ackFileName()),
                                     SpoolIo::errnoString(writeErrno));
    }
}

bool Spool::syncDirectory()
{
    const int fd = ::open(QFile::encodeName(m_options.directory).constData(),
                          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace QLoki::detail
