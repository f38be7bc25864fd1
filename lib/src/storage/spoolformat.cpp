// SPDX-License-Identifier: MIT
#include "storage/spoolformat_p.h"

#include "encoding/utf8_p.h"

#include <QtCore/QtEndian>

#include <cstring>

#include <zlib.h>

namespace QLoki::detail::SpoolFormat {

namespace {

constexpr char SegmentMagic[8] = {'Q', 'L', 'K', 'S', 'P', 'O', 'O', 'L'};
constexpr char BatchMarker[4] = {'Q', 'L', 'K', 'B'};
constexpr char AckMarker[4] = {'Q', 'L', 'K', 'A'};

quint32 crc(const char *data, qint64 size, quint32 seed = 0)
{
    uLong c = seed; // crc32(0, Z_NULL, 0) is 0: a zero seed starts a new checksum
    // zlib takes uInt lengths; records are far below 4 GiB, batches are fed in pieces.
    while (size > 0) {
        const uInt n = uInt(qMin<qint64>(size, qint64(1) << 30));
        c = crc32(c, reinterpret_cast<const Bytef *>(data), n);
        data += n;
        size -= n;
    }
    return quint32(c);
}

template<typename T>
void put(QByteArray *out, T value)
{
    char buf[sizeof(T)];
    qToLittleEndian(value, buf);
    out->append(buf, sizeof(T));
}

template<typename T>
T get(const char *p)
{
    return qFromLittleEndian<T>(p);
}

void putString(QByteArray *out, const QByteArray &utf8)
{
    put<quint32>(out, quint32(utf8.size()));
    out->append(utf8);
}

// Walks one payload without building strings; true when it is well formed.
bool checkPayload(const char *p, qint64 size)
{
    if (size < EntryFixedSize)
        return false;
    if (quint8(p[8]) > quint8(Level::Critical) || p[9] != 0)
        return false;
    const qint64 pairs = get<quint16>(p + 10) + get<quint16>(p + 12);
    qint64 pos = 14;
    for (qint64 i = 0; i < 1 + 2 * pairs; ++i) {
        if (size - pos < 4)
            return false;
        const qint64 len = get<quint32>(p + pos);
        pos += 4;
        if (size - pos < len)
            return false;
        pos += len;
    }
    return pos == size;
}

QString takeString(const char *p, qint64 *pos)
{
    const qint64 len = get<quint32>(p + *pos);
    const QString s = Utf8::decode(QByteArrayView(p + *pos + 4, len));
    *pos += 4 + len;
    return s;
}

LabelList takePairs(const char *p, qint64 *pos, int count)
{
    LabelList list;
    list.reserve(count);
    for (int i = 0; i < count; ++i) {
        QString name = takeString(p, pos);
        QString value = takeString(p, pos);
        list.append({std::move(name), std::move(value)});
    }
    return list;
}

} // namespace

QByteArray segmentHeader()
{
    QByteArray h(SegmentMagic, sizeof(SegmentMagic));
    put<quint32>(&h, Version);
    put<quint32>(&h, 0);
    return h;
}

HeaderStatus checkSegmentHeader(const QByteArray &data, quint32 *version)
{
    if (data.size() < SegmentHeaderSize)
        return HeaderStatus::Short;
    if (std::memcmp(data.constData(), SegmentMagic, sizeof(SegmentMagic)) != 0)
        return HeaderStatus::BadMagic;
    *version = get<quint32>(data.constData() + 8);
    return *version == Version ? HeaderStatus::Ok : HeaderStatus::UnsupportedVersion;
}

bool encodeBatch(const QList<SpooledEntry> &entries, QByteArray *out, QString *error)
{
    if (entries.isEmpty() || quint64(entries.size()) > MaxBatchEntries) {
        *error = QStringLiteral("a batch holds 1 to %1 entries, not %2")
                         .arg(MaxBatchEntries)
                         .arg(entries.size());
        return false;
    }
    const qsizetype start = out->size();
    out->append(BatchMarker, sizeof(BatchMarker));
    put<quint32>(out, quint32(entries.size()));
    put<quint32>(out, 0); // records' length, filled in below
    put<quint32>(out, 0); // header CRC
    QByteArray payload;
    for (const SpooledEntry &e : entries) {
        if (e.labels.size() > MaxPairs || e.metadata.size() > MaxPairs) {
            out->truncate(start);
            *error = QStringLiteral("an entry has more than %1 labels or metadata pairs")
                             .arg(MaxPairs);
            return false;
        }
        payload.clear();
        put<qint64>(&payload, e.timestampNs);
        put<quint8>(&payload, quint8(e.level));
        put<quint8>(&payload, 0);
        put<quint16>(&payload, quint16(e.labels.size()));
        put<quint16>(&payload, quint16(e.metadata.size()));
        putString(&payload, e.line.toUtf8());
        for (const LabelList *list : {&e.labels, &e.metadata}) {
            for (const auto &pair : *list) {
                putString(&payload, pair.first.toUtf8());
                putString(&payload, pair.second.toUtf8());
            }
        }
        if (payload.size() > MaxRecordBytes) {
            out->truncate(start);
            *error = QStringLiteral("an entry takes %1 bytes, more than the limit of %2")
                             .arg(payload.size())
                             .arg(MaxRecordBytes);
            return false;
        }
        char head[RecordHeaderSize];
        qToLittleEndian(quint32(payload.size()), head);
        const quint32 c = crc(payload.constData(), payload.size(), crc(head, 4));
        qToLittleEndian(c, head + 4);
        out->append(head, RecordHeaderSize);
        out->append(payload);
    }
    const qint64 recordBytes = out->size() - start - BatchHeaderSize;
    if (recordBytes > MaxBatchBytes) {
        out->truncate(start);
        *error = QStringLiteral("a batch of %1 bytes is over the limit of %2")
                         .arg(recordBytes)
                         .arg(MaxBatchBytes);
        return false;
    }
    char *h = out->data() + start;
    qToLittleEndian(quint32(recordBytes), h + 8);
    qToLittleEndian(crc(h, 12), h + 12);
    return true;
}

BatchExtent readBatchHeader(const char *h)
{
    if (std::memcmp(h, BatchMarker, sizeof(BatchMarker)) != 0 || get<quint32>(h + 12) != crc(h, 12))
        return {};
    const quint32 entries = get<quint32>(h + 4);
    const qint64 bytes = get<quint32>(h + 8);
    if (entries == 0 || entries > MaxBatchEntries || bytes > MaxBatchBytes
        || bytes < qint64(entries) * (RecordHeaderSize + EntryFixedSize))
        return {};
    return {entries, BatchHeaderSize + bytes};
}

BatchExtent checkBatch(const char *data, qint64 size, qint64 offset)
{
    if (size - offset < BatchHeaderSize)
        return {};
    const BatchExtent extent = readBatchHeader(data + offset);
    if (extent.entries == 0 || size - offset < extent.size)
        return {};
    const qint64 end = offset + extent.size;
    qint64 pos = offset + BatchHeaderSize;
    for (quint32 i = 0; i < extent.entries; ++i) {
        if (end - pos < RecordHeaderSize)
            return {};
        const qint64 len = get<quint32>(data + pos);
        if (len > MaxRecordBytes || end - pos - RecordHeaderSize < len)
            return {};
        const char *payload = data + pos + RecordHeaderSize;
        if (get<quint32>(data + pos + 4) != crc(payload, len, crc(data + pos, 4))
            || !checkPayload(payload, len))
            return {};
        pos += RecordHeaderSize + len;
    }
    return pos == end ? extent : BatchExtent {};
}

int decodeBatch(const QByteArray &batch, int first, int max, QList<SpooledEntry> *out)
{
    const char *p = batch.constData();
    const int entries = int(get<quint32>(p + 4));
    qint64 pos = BatchHeaderSize;
    int taken = 0;
    for (int i = 0; i < entries && taken < max; ++i) {
        const qint64 len = get<quint32>(p + pos);
        if (i >= first) {
            const char *e = p + pos + RecordHeaderSize;
            SpooledEntry entry;
            entry.timestampNs = get<qint64>(e);
            entry.level = Level(quint8(e[8]));
            const int labels = get<quint16>(e + 10);
            const int metadata = get<quint16>(e + 12);
            qint64 at = 14;
            entry.line = takeString(e, &at);
            entry.labels = takePairs(e, &at, labels);
            entry.metadata = takePairs(e, &at, metadata);
            out->append(std::move(entry));
            ++taken;
        }
        pos += RecordHeaderSize + len;
    }
    return taken;
}

SegmentScan scanSegment(const QByteArray &data)
{
    SegmentScan scan;
    const char *p = data.constData();
    const qint64 size = data.size();
    qint64 pos = SegmentHeaderSize;
    scan.validEnd = pos;
    while (pos < size) {
        const BatchExtent extent = checkBatch(p, size, pos);
        if (extent.entries) {
            scan.batches.append({pos, extent.entries});
            scan.entries += extent.entries;
            pos += extent.size;
            scan.validEnd = pos;
            continue;
        }
        // Corrupt from here: look for the next offset where a valid batch starts.
        const qint64 begin = pos;
        qint64 next = -1;
        for (qint64 at = begin + 1; at < size;) {
            const qsizetype hit = data.indexOf(QByteArrayView(BatchMarker, 4), at);
            if (hit < 0)
                break;
            if (checkBatch(p, size, hit).entries) {
                next = hit;
                break;
            }
            at = hit + 1;
        }
        ++scan.corruptRegions;
        if (next < 0) {
            scan.corruptBytes += size - begin;
            break;
        }
        scan.corruptBytes += next - begin;
        scan.gaps.append({begin, next});
        pos = next;
    }
    return scan;
}

QByteArray encodeAckSlot(const AckPosition &position)
{
    QByteArray slot(AckMarker, sizeof(AckMarker));
    put<quint32>(&slot, Version);
    put<quint64>(&slot, position.generation);
    put<quint64>(&slot, position.segmentId);
    put<quint64>(&slot, quint64(position.batchOffset));
    put<quint32>(&slot, position.index);
    put<quint32>(&slot, crc(slot.constData(), slot.size()));
    return slot;
}

bool decodeAckSlot(const QByteArray &slot, AckPosition *position)
{
    if (slot.size() < AckSlotSize)
        return false;
    const char *p = slot.constData();
    if (std::memcmp(p, AckMarker, sizeof(AckMarker)) != 0 || get<quint32>(p + 4) != Version
        || get<quint32>(p + 36) != crc(p, 36))
        return false;
    position->generation = get<quint64>(p + 8);
    position->segmentId = get<quint64>(p + 16);
    position->batchOffset = qint64(get<quint64>(p + 24));
    position->index = get<quint32>(p + 32);
    return true;
}

} // namespace QLoki::detail::SpoolFormat
