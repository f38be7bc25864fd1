// SPDX-License-Identifier: MIT
#pragma once

#include "storage/spoolentry_p.h"
#include "storage/spoolformat_p.h"
#include "storage/spoollock_p.h"

#include <QtCore/QList>
#include <QtCore/QString>

namespace QLoki::detail {

/*!
    When an appended batch counts as stored.
    - Flush: after one write() of the batch: in the operating system's cache, so it
      survives the process being killed, not a power loss or a kernel crash.
    - Fsync: after write() and fdatasync(): on the disk, at the cost of one disk flush
      per batch (and per acknowledgement).
*/
enum class Durability { Flush, Fsync };

struct SpoolOptions
{
    //! Created with mode 0700 when missing (its parents with the default mode).
    QString directory;
    //! The segment files in all; the oldest segment is dropped to stay below.
    qint64 maxBytes = qint64(64) << 20;
    //! A segment is closed when the next batch would take it past this size.
    qint64 segmentBytes = qint64(4) << 20;
    Durability durability = Durability::Flush;
};

//! Counters since open(). In every session, appended + replayed == acknowledged +
//! droppedOverflow + lost + pendingEntries().
struct SpoolStats
{
    //! Entries stored by append().
    quint64 appended = 0;
    //! Entries that open() found unacknowledged: what a restart replays.
    quint64 replayed = 0;
    //! Entries removed from the front by acknowledge().
    quint64 acknowledged = 0;
    //! Unacknowledged entries of the oldest segments, dropped to stay within maxBytes.
    quint64 droppedOverflow = 0;
    //! Unacknowledged entries of a segment that could no longer be read (its file was
    //! removed or changed under the spool).
    quint64 lost = 0;
    //! Damaged regions skipped: a torn or bad batch (or run of bytes) each, or the rest of
    //! a segment that could no longer be read.
    quint64 corruptBatches = 0;
    //! The bytes of those regions.
    quint64 corruptBytes = 0;
};

/*!
    The disk side of the offline buffer: entries that could not be delivered yet, kept
    in a directory of segment files until their delivery is acknowledged, oldest first,
    bounded in bytes. The format is documented in spoolformat_p.h.

    \code
    Spool spool;
    if (!spool.open({dir}, &error)) ...               // replays what a previous run left
    spool.append(entries, &error);                     // a push failed for good
    const QList<SpooledEntry> front = spool.peek(1000);
    ... push pushBatchOf(front); when it is answered:
    spool.acknowledge(front.size());
    \endcode

    Guarantees:
    - An append() that returned true survives the process being killed (Flush) or a
      power loss (Fsync). A batch is atomic: after a crash during append() it is either
      all there or skipped as a corrupt region, never partly replayed.
    - Acknowledged entries are never returned again, across restarts: the read position
      is stored in `spool.ack` at every acknowledge(). Entries peeked but not yet
      acknowledged when the process dies are returned again after open(); re-sending
      them is harmless because their timestamps never change and Loki drops an entry
      whose stream, timestamp and line it already has.
    - A segment file is deleted once all its entries are acknowledged, or when it is
      the oldest and the next append() would exceed maxBytes (its unacknowledged
      entries are counted in droppedOverflow). A batch larger than segmentBytes gets a
      segment of its own; one larger than maxBytes is refused.
    - Segments present at open() are only read; appends go to a new segment.
    - Another Spool on the same directory, in this process or another, is refused at
      open() until this one is closed or its process exits.

    Not thread-safe: one thread at a time uses a Spool (the logger's sender thread).
    All I/O is blocking and happens in the calling thread. POSIX only (open() with
    modes, flock(), fdatasync()).
*/
class Spool
{
public:
    enum class Error {
        NoError,
        NotOpen, //!< open() was not called or failed
        InvalidOptions, //!< see errorString()
        Directory, //!< the directory cannot be created, read or written
        Locked, //!< another Spool holds the directory
        UnsupportedFormat, //!< a segment of a newer format version is in the directory
        TooLarge, //!< a batch over maxBytes, or an entry over the format's limits
        DiskFull, //!< ENOSPC or EDQUOT while writing
        Io //!< any other read or write failure
    };

    Spool() = default;
    ~Spool();
    Spool(const Spool &) = delete;
    Spool &operator=(const Spool &) = delete;

    /*!
        Takes the directory, scans its segments oldest first (counting and cutting off
        torn or corrupt data) and positions the reader after the last acknowledged entry.
        Returns false with the reason in \a error (and errorString()).
    */
    bool open(const SpoolOptions &options, QString *error = nullptr);
    //! Closes the files and releases the directory. Everything stored stays.
    void close();
    bool isOpen() const { return m_lock.isLocked(); }

    /*!
        Stores \a entries as one batch, after dropping the oldest segments when maxBytes
        would be exceeded. Returns false with the reason in \a error when nothing was
        stored (disk full, directory gone or unwritable, batch too large); the spool stays
        usable. An empty list stores nothing and returns true.
    */
    bool append(const QList<SpooledEntry> &entries, QString *error = nullptr);
    /*!
        Up to \a maxEntries entries from the front, oldest first, without removing them.
        Calling it again returns the same entries until they are acknowledged.
    */
    QList<SpooledEntry> peek(int maxEntries);
    /*!
        The first \a count entries of the front were delivered: removes them and stores
        the new read position. Returns how many were removed; fewer than \a count when
        fewer are pending, or when some of those last peeked were dropped meanwhile.
        When the position cannot be stored, the entries are removed all the same and
        error() says so: after a restart they would be returned once more.
    */
    int acknowledge(int count);

    qint64 pendingEntries() const { return m_pending; }
    qint64 bytesOnDisk() const { return m_bytes; } //!< the segment files' sizes
    int segmentCount() const { return int(m_segments.size()); }
    SpoolStats stats() const { return m_stats; }
    const SpoolOptions &options() const { return m_options; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    //! `segment-<id as 16 lower-case hex digits>.qspool`
    static QString segmentFileName(quint64 id);
    static QString ackFileName() { return QStringLiteral("spool.ack"); }

private:
    struct Segment
    {
        quint64 id = 0;
        qint64 size = 0; // bytes that count: valid data, up to the last good batch
        qint64 entries = 0; // entries in valid batches
        QList<SpoolFormat::SegmentScan::Region> gaps;
    };
    // The position after one peeked entry.
    struct Mark
    {
        quint64 segmentId;
        qint64 batchOffset;
        quint32 index;
        qint64 ordinal; // entries of the segment up to and including this one
    };

    bool fail(Error error, const QString &message, QString *out);
    bool prepareDirectory(QString *message, Error *error);
    bool loadSegments(const SpoolFormat::AckPosition &ack, QString *message);
    bool startSegment(QString *message, Error *error);
    bool writeBatch(const QByteArray &data, QString *message, Error *error);
    bool readBatch(const Segment &segment, qint64 offset, QByteArray *batch);
    void dropFirst(bool corrupt);
    void dropConsumedFront();
    void storePosition(quint64 segmentId, qint64 batchOffset, quint32 index);
    bool syncDirectory();
    QString pathOf(quint64 id) const;

    SpoolOptions m_options;
    SpoolLock m_lock;
    QList<Segment> m_segments; // oldest first; the reader is always in the first
    int m_writeFd = -1; // the last segment, when this session created it
    int m_readFd = -1;
    quint64 m_readId = 0;
    int m_ackFd = -1;
    quint64 m_ackGeneration = 0;
    quint64 m_nextId = 1;
    qint64 m_cursorOffset = 0; // batch of the first segment where reading goes on
    quint32 m_cursorIndex = 0; // entries of that batch already acknowledged
    qint64 m_ackedInFirst = 0; // entries of the first segment already acknowledged
    QList<Mark> m_peeked;
    qint64 m_pending = 0;
    qint64 m_bytes = 0;
    SpoolStats m_stats;
    Error m_error = Error::NotOpen;
    QString m_errorString;
};

} // namespace QLoki::detail
