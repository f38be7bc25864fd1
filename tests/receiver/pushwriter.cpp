// SPDX-License-Identifier: MIT
#include "pushwriter.h"

#include <snappy.h>
#include <zlib.h>

namespace TestPush {

namespace {

void writeVarint(QByteArray &out, quint64 value)
{
    while (value >= 0x80) {
        out.append(char((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.append(char(value));
}

void writeTag(QByteArray &out, int field, int wireType)
{
    writeVarint(out, quint64(field) << 3 | quint64(wireType));
}

void writeBytes(QByteArray &out, int field, const QByteArray &bytes)
{
    writeTag(out, field, 2);
    writeVarint(out, quint64(bytes.size()));
    out.append(bytes);
}

QByteArray timestamp(qint64 timestampNs)
{
    qint64 seconds = timestampNs / 1000000000;
    qint64 nanos = timestampNs % 1000000000;
    if (nanos < 0) {
        seconds -= 1;
        nanos += 1000000000;
    }
    QByteArray out;
    if (seconds != 0) {
        writeTag(out, 1, 0);
        writeVarint(out, quint64(seconds));
    }
    if (nanos != 0) {
        writeTag(out, 2, 0);
        writeVarint(out, quint64(nanos));
    }
    return out;
}

QByteArray deflateWith(const QByteArray &data, int windowBits)
{
    z_stream stream {};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))), Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

} // namespace

QByteArray encodePushRequest(const QList<Stream> &streams)
{
    QByteArray request;
    for (const Stream &stream : streams) {
        QByteArray streamBytes;
        writeBytes(streamBytes, 1, stream.labels);
        for (const Entry &entry : stream.entries) {
            QByteArray entryBytes;
            writeBytes(entryBytes, 1, timestamp(entry.timestampNs));
            writeBytes(entryBytes, 2, entry.line);
            for (const auto &pair : entry.structuredMetadata) {
                QByteArray pairBytes;
                writeBytes(pairBytes, 1, pair.first);
                writeBytes(pairBytes, 2, pair.second);
                writeBytes(entryBytes, 3, pairBytes);
            }
            writeBytes(streamBytes, 2, entryBytes);
        }
        writeBytes(request, 1, streamBytes);
    }
    return request;
}

QByteArray snappyCompress(const QByteArray &data)
{
    std::string out;
    snappy::Compress(data.constData(), size_t(data.size()), &out);
    return QByteArray(out.data(), qsizetype(out.size()));
}

QByteArray snappyUncompress(const QByteArray &data)
{
    std::string out;
    if (!snappy::Uncompress(data.constData(), size_t(data.size()), &out))
        return {};
    return QByteArray(out.data(), qsizetype(out.size()));
}

QByteArray gzipCompress(const QByteArray &data) { return deflateWith(data, 16 + MAX_WBITS); }

QByteArray deflateCompress(const QByteArray &data, bool zlibWrapped)
{
    return deflateWith(data, zlibWrapped ? MAX_WBITS : -MAX_WBITS);
}

QByteArray gzipZeros(qint64 size)
{
    z_stream stream {};
    deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    const QByteArray zeros(1024 * 1024, '\0');
    QByteArray out;
    char buffer[64 * 1024];
    for (qint64 left = size; left >= 0;) {
        const qint64 chunk = qMin<qint64>(left, zeros.size());
        stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(zeros.constData()));
        stream.avail_in = uInt(chunk);
        left -= chunk;
        const int flush = left > 0 ? Z_NO_FLUSH : Z_FINISH;
        do {
            stream.next_out = reinterpret_cast<Bytef *>(buffer);
            stream.avail_out = sizeof buffer;
            deflate(&stream, flush);
            out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
        } while (stream.avail_out == 0);
        if (flush == Z_FINISH)
            break;
    }
    deflateEnd(&stream);
    return out;
}

} // namespace TestPush
