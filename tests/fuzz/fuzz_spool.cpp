// SPDX-License-Identifier: MIT
// The spool's reader and recovery: arbitrary bytes as a segment file (and optionally a read
// position in spool.ack) in a directory, opened, replayed, acknowledged, appended to and
// opened again. What holds for any file: open() succeeds unless the format version is
// newer, the counters keep appended + replayed == acknowledged + droppedOverflow + lost +
// pending, and a restart finds exactly the entries that were pending.
#include "fuzzsupport.h"

#include "storage/spool_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QtEndian>

#include <zlib.h>

using namespace QLoki;
using namespace QLoki::detail;

namespace {

// Input: flags, [ack: segment id (1 byte), batch offset (4), index (4)], segment bytes.
enum Flags : quint8 {
    RepairChecksums = 1, // the checksums are made to fit, so mutations reach the decoder
    WriteAck = 2,
    PrependHeader = 4, // a valid segment header goes first
};

QString directory()
{
    // In memory where there is a tmpfs: a file system journal makes each run wait on the
    // disk (a file truncated and written again is flushed on close), for nothing.
    static QTemporaryDir dir(QDir(QStringLiteral("/dev/shm")).exists()
                                     ? QStringLiteral("/dev/shm/qloki-fuzz-spool-XXXXXX")
                                     : QDir::tempPath()
                                             + QStringLiteral("/qloki-fuzz-spool-XXXXXX"));
    if (!dir.isValid())
        std::abort();
    return dir.path();
}

void clearDirectory(const QString &path)
{
    QDir dir(path);
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden))
        dir.remove(name);
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        std::abort();
}

quint32 crc(const char *p, qint64 size, quint32 seed = 0)
{
    return quint32(crc32(seed, reinterpret_cast<const Bytef *>(p), uInt(size)));
}

// Recomputes the header and record checksums of whatever looks like a batch.
void repairChecksums(QByteArray &data)
{
    using namespace SpoolFormat;
    char *p = data.data();
    const qint64 size = data.size();
    qint64 pos = SegmentHeaderSize;
    while (pos + BatchHeaderSize <= size) {
        if (std::memcmp(p + pos, "QLKB", 4) != 0) {
            ++pos;
            continue;
        }
        qToLittleEndian(crc(p + pos, 12), p + pos + 12);
        const quint32 entries = qFromLittleEndian<quint32>(p + pos + 4);
        qint64 record = pos + BatchHeaderSize;
        for (quint32 i = 0; i < entries && record + RecordHeaderSize <= size; ++i) {
            const qint64 length = qFromLittleEndian<quint32>(p + record);
            if (length > size - record - RecordHeaderSize)
                break;
            qToLittleEndian(crc(p + record + RecordHeaderSize, length, crc(p + record, 4)),
                            p + record + 4);
            record += RecordHeaderSize + length;
        }
        pos = qMax(record, pos + 1);
    }
}

void checkCounters(const Spool &spool, const char *when)
{
    const SpoolStats s = spool.stats();
    FUZZ_CHECK(s.appended + s.replayed
                       == s.acknowledged + s.droppedOverflow + s.lost
                               + quint64(spool.pendingEntries()),
               QByteArray(when) + ": appended " + QByteArray::number(s.appended) + " + replayed "
                       + QByteArray::number(s.replayed) + " != acknowledged "
                       + QByteArray::number(s.acknowledged) + " + overflow "
                       + QByteArray::number(s.droppedOverflow) + " + lost "
                       + QByteArray::number(s.lost) + " + pending "
                       + QByteArray::number(spool.pendingEntries()));
    FUZZ_CHECK(spool.pendingEntries() >= 0 && spool.bytesOnDisk() >= 0, when);
}

SpooledEntry marker()
{
    SpooledEntry e;
    e.timestampNs = 42;
    e.level = Level::Warning;
    e.line = QStringLiteral("appended after recovery");
    e.labels = {{QStringLiteral("app"), QStringLiteral("fuzz")}};
    return e;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QByteArray input = FuzzSupport::bytes(data, size);
    if (input.isEmpty())
        return 0;
    const auto flags = quint8(input.at(0));
    input.remove(0, 1);
    SpoolFormat::AckPosition ack;
    if (flags & WriteAck) {
        if (input.size() < 9)
            return 0;
        ack.generation = 1;
        ack.segmentId = quint8(input.at(0)) % 3;
        ack.batchOffset = qFromLittleEndian<quint32>(input.constData() + 1);
        ack.index = qFromLittleEndian<quint32>(input.constData() + 5);
        input.remove(0, 9);
    }
    QByteArray segment = flags & PrependHeader ? SpoolFormat::segmentHeader() + input : input;
    if (flags & RepairChecksums)
        repairChecksums(segment);

    const QString dir = directory();
    clearDirectory(dir);
    writeFile(QDir(dir).filePath(Spool::segmentFileName(1)), segment);
    if (flags & WriteAck) {
        QByteArray ackFile(SpoolFormat::AckSlotOffsets[1] + SpoolFormat::AckSlotSize, '\0');
        ackFile.replace(SpoolFormat::AckSlotOffsets[ack.generation % 2], SpoolFormat::AckSlotSize,
                        SpoolFormat::encodeAckSlot(ack));
        writeFile(QDir(dir).filePath(Spool::ackFileName()), ackFile);
    }

    SpoolOptions options;
    options.directory = dir;
    Spool spool;
    QString error;
    if (!spool.open(options, &error)) {
        FUZZ_CHECK(spool.error() == Spool::Error::UnsupportedFormat,
                   "open() failed: " + error.toUtf8());
        return 0;
    }
    checkCounters(spool, "after open");
    const qint64 replayed = spool.pendingEntries();
    FUZZ_CHECK(spool.stats().replayed == quint64(replayed), "replayed != pending after open");

    // Everything pending can be read, and the first half acknowledged.
    const QList<SpooledEntry> all = spool.peek(int(replayed) + 1);
    FUZZ_CHECK(all.size() == replayed,
               QByteArray::number(all.size()) + " of " + QByteArray::number(replayed)
                       + " pending entries could be read");
    for (const SpooledEntry &e : all)
        FUZZ_CHECK(e.level >= Level::Debug && e.level <= Level::Critical, "a level out of range");
    const int half = int(replayed / 2);
    FUZZ_CHECK(spool.acknowledge(half) == half, "acknowledge() took fewer entries");
    checkCounters(spool, "after acknowledge");

    FUZZ_CHECK(spool.append({marker()}, &error), "append() failed: " + error.toUtf8());
    checkCounters(spool, "after append");
    const qint64 pending = spool.pendingEntries();
    FUZZ_CHECK(pending == replayed - half + 1, "pending after append");
    spool.close();

    // A restart finds exactly what was pending, in order, the appended entry last.
    FUZZ_CHECK(spool.open(options, &error), "open() failed the second time: " + error.toUtf8());
    FUZZ_CHECK(spool.pendingEntries() == pending,
               "after a restart " + QByteArray::number(spool.pendingEntries()) + " pending, not "
                       + QByteArray::number(pending));
    const QList<SpooledEntry> rest = spool.peek(int(pending) + 1);
    FUZZ_CHECK(rest.size() == pending, "the pending entries cannot be read after a restart");
    FUZZ_CHECK(rest.mid(0, rest.size() - 1) == all.mid(half),
               "a restart changed the unacknowledged entries");
    FUZZ_CHECK(rest.last() == marker(), "the appended entry is not the last one");
    FUZZ_CHECK(spool.acknowledge(int(pending)) == int(pending), "acknowledge() of all");
    FUZZ_CHECK(spool.pendingEntries() == 0, "entries pending after everything was acknowledged");
    checkCounters(spool, "after acknowledging everything");
    spool.close();
    FUZZ_CHECK(spool.open(options, &error) && spool.pendingEntries() == 0,
               "acknowledged entries came back");
    return 0;
}
