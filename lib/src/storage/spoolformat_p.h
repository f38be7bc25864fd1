// SPDX-License-Identifier: MIT
#pragma once

/*
    The on-disk format of the spool, version 1. Pure functions, no I/O.

    All integers are little-endian. CRC-32 is zlib's crc32() (the ISO-HDLC polynomial,
    as in gzip and PNG). Strings are UTF-8 with a byte length in front and no terminator;
    they may contain NUL bytes.

    Segment file `segment-<id as 16 lower-case hex digits>.qspool`, mode 0600:

        offset size  field
        0      8     magic "QLKSPOOL"
        8      4     u32 format version (1)
        12     4     u32 reserved (0)
        16     ...   batches, back to back

    Batch: the unit of atomicity. One append() writes one batch with one write().

        0      4     marker "QLKB"
        4      4     u32 entry count n (1 .. MaxBatchEntries)
        8      4     u32 byte length of the n records that follow (<= MaxBatchBytes)
        12     4     u32 CRC-32 of bytes 0..11
        16     ...   n records

    Record: one entry.

        0      4     u32 payload length p (<= MaxRecordBytes)
        4      4     u32 CRC-32 of bytes 0..3 followed by the payload
        8      p     payload:
                       i64 timestamp, Unix epoch nanoseconds
                       u8  level (QLoki::Level: 0 Debug .. 4 Critical)
                       u8  flags (0)
                       u16 label count l (<= MaxPairs)
                       u16 metadata count m (<= MaxPairs)
                       u32 line length, line
                       l label pairs, then m metadata pairs, each:
                           u32 name length, name, u32 value length, value

    A batch counts only when its header and all n records are complete and valid and
    the records fill exactly the announced length; anything else (a torn write, a
    flipped bit) makes the whole batch a corrupt region. After one, the reader resumes at
    the next offset where a valid batch starts (the marker alone is not trusted).

    Acknowledgement file `spool.ack`, mode 0600, 552 bytes (allocated whole when it is
    created): two slots, at offsets 0 and 512 (in different disk sectors, so that a torn
    write leaves the other one intact). Generation g is written in place into slot g % 2;
    the valid slot with the higher generation wins.

        0      4     marker "QLKA"
        4      4     u32 format version (1)
        8      8     u64 generation
        16     8     u64 segment id
        24     8     u64 batch offset in that segment
        32     4     u32 entries of that batch already acknowledged
        36     4     u32 CRC-32 of bytes 0..35

    Meaning: every entry of segments with a lower id, and of that segment before the
    position, was acknowledged.

    Lock file `spool.lock`, mode 0600: the holder's PID in decimal and a newline; the
    lock itself is a flock() on it.

    Limits: a record's payload up to 64 MiB (MaxRecordBytes), a batch's records up to
    1 GiB (MaxBatchBytes) and 2^24 entries (MaxBatchEntries), 65535 labels and 65535
    metadata pairs per entry (MaxPairs). The spool refuses to write beyond them and the
    reader treats anything beyond them as corrupt.
*/

#include "storage/spoolentry_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

namespace QLoki::detail::SpoolFormat {

constexpr quint32 Version = 1;
constexpr qint64 SegmentHeaderSize = 16;
constexpr qint64 BatchHeaderSize = 16;
constexpr qint64 RecordHeaderSize = 8;
constexpr qint64 EntryFixedSize = 18; //!< payload bytes before the line's text
constexpr qint64 MaxRecordBytes = qint64(64) << 20;
constexpr qint64 MaxBatchBytes = qint64(1) << 30;
constexpr quint32 MaxBatchEntries = 1u << 24;
constexpr int MaxPairs = 65535;
constexpr qint64 AckSlotSize = 40;
constexpr qint64 AckSlotOffsets[2] = {0, 512};

//! The 16 bytes a segment file starts with.
QByteArray segmentHeader();

enum class HeaderStatus { Ok, Short, BadMagic, UnsupportedVersion };
//! Checks a segment's first bytes; \a version receives the version when the magic fits.
HeaderStatus checkSegmentHeader(const QByteArray &data, quint32 *version);

/*!
    Appends one batch holding \a entries to \a out. Returns false and says why in
    \a error when an entry is over a limit (then \a out is unchanged) or there is none.
*/
bool encodeBatch(const QList<SpooledEntry> &entries, QByteArray *out, QString *error);

//! Entry count and total size (header included) of a batch at \a offset of \a data, or
//! 0 and 0 when no valid batch starts there.
struct BatchExtent
{
    quint32 entries = 0;
    qint64 size = 0;
};
BatchExtent checkBatch(const char *data, qint64 size, qint64 offset);

//! Only the batch header at \a data (BatchHeaderSize bytes): the extent it announces, or
//! zeros when the header is not valid. The records are not checked.
BatchExtent readBatchHeader(const char *data);

/*!
    Decodes records [\a first, \a first + \a max) of the valid batch that \a batch holds
    whole (checked with checkBatch()) and appends them to \a out. Returns how many.
*/
int decodeBatch(const QByteArray &batch, int first, int max, QList<SpooledEntry> *out);

//! What a scan of one segment found.
struct SegmentScan
{
    struct Batch
    {
        qint64 offset;
        quint32 entries;
    };
    struct Region
    {
        qint64 begin;
        qint64 end;
    };
    QList<Batch> batches; //!< the valid batches, in file order
    QList<Region> gaps; //!< corrupt regions between valid batches (begin..end)
    qint64 validEnd = 0; //!< where the last valid batch ends (>= header size)
    qint64 entries = 0; //!< entries in valid batches
    int corruptRegions = 0; //!< gaps, plus one for a bad tail
    qint64 corruptBytes = 0;
};

//! Scans the data of a segment whose header was checked.
SegmentScan scanSegment(const QByteArray &data);

struct AckPosition
{
    quint64 generation = 0;
    quint64 segmentId = 0;
    qint64 batchOffset = 0;
    quint32 index = 0;
};
QByteArray encodeAckSlot(const AckPosition &position);
//! Reads one slot; false when it is not a valid one.
bool decodeAckSlot(const QByteArray &slot, AckPosition *position);

} // namespace QLoki::detail::SpoolFormat
