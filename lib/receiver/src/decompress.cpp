// SPDX-License-Identifier: MIT
#include "decompress_p.h"

#include <limits>

#include <snappy.h>
#include <zlib.h>

namespace LokiReceiverInternal {

namespace {

// What "no limit" comes to: as much as a QByteArray holds.
qsizetype effectiveLimit(qint64 limit)
{
    constexpr qsizetype Largest = std::numeric_limits<int>::max() - 64;
    return limit <= 0 || limit > Largest ? Largest : qsizetype(limit);
}

// windowBits as zlib's inflateInit2() reads them: 16 + 15 gzip, 15 zlib, -15 raw. The
// output grows by doubling and never beyond limit + 1 bytes: reaching that proves the body
// too large without holding more of it.
Inflated inflateWith(const QByteArray &input, int windowBits, QByteArray *output, qsizetype limit)
{
    z_stream stream {};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return Inflated::Corrupt;
    const qsizetype ceiling = limit + 1;
    output->clear();
    output->resize(qMin(qMax<qsizetype>(input.size() * 4, 4096), ceiling));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
    stream.avail_in = uInt(input.size());
    qsizetype produced = 0;
    int result = Z_OK;
    while (result == Z_OK) {
        if (produced == output->size()) {
            if (output->size() >= ceiling)
                break;
            output->resize(qMin(output->size() * 2, ceiling));
        }
        stream.next_out = reinterpret_cast<Bytef *>(output->data() + produced);
        stream.avail_out =
                uInt(qMin<qsizetype>(output->size() - produced, std::numeric_limits<uInt>::max()));
        result = inflate(&stream, Z_NO_FLUSH);
        produced = qsizetype(reinterpret_cast<char *>(stream.next_out) - output->data());
        if (result == Z_BUF_ERROR && stream.avail_out != 0)
            break; // input ended before the stream did
        if (result == Z_BUF_ERROR)
            result = Z_OK;
    }
    inflateEnd(&stream);
    if (produced > limit) {
        output->clear();
        output->squeeze();
        return Inflated::TooLarge;
    }
    if (result != Z_STREAM_END) {
        output->clear();
        return Inflated::Corrupt;
    }
    output->resize(produced);
    return Inflated::Ok;
}

} // namespace

Inflated snappyUncompress(const QByteArray &input, QByteArray *output, QString *error, qint64 limit)
{
    // The length in the header is only a claim, and the output is allocated for it. No
    // snappy element makes more than 64 bytes out of 3 (a copy with a 2-byte offset), so a
    // claim beyond that ratio is corrupt and refused before it costs memory.
    size_t length = 0;
    if (!snappy::GetUncompressedLength(input.constData(), size_t(input.size()), &length)) {
        *error = QStringLiteral("snappy: corrupt input");
        return Inflated::Corrupt;
    }
    if (length > size_t(effectiveLimit(limit)))
        return Inflated::TooLarge;
    if (length > size_t(input.size()) / 3 * 64 + 64) {
        *error = QStringLiteral("snappy: corrupt input");
        return Inflated::Corrupt;
    }
    output->resize(qsizetype(length));
    if (!snappy::RawUncompress(input.constData(), size_t(input.size()), output->data())) {
        output->clear();
        *error = QStringLiteral("snappy: corrupt input");
        return Inflated::Corrupt;
    }
    return Inflated::Ok;
}

Inflated gzipUncompress(const QByteArray &input, QByteArray *output, QString *error, qint64 limit)
{
    if (input.size() < 2 || uchar(input.at(0)) != 0x1f || uchar(input.at(1)) != 0x8b) {
        *error = QStringLiteral("gzip: invalid header");
        return Inflated::Corrupt;
    }
    const Inflated result = inflateWith(input, 16 + MAX_WBITS, output, effectiveLimit(limit));
    if (result == Inflated::Corrupt)
        *error = QStringLiteral("gzip: invalid compressed data");
    return result;
}

Inflated deflateUncompress(const QByteArray &input, QByteArray *output, QString *error,
                           qint64 limit)
{
    Inflated result = inflateWith(input, -MAX_WBITS, output, effectiveLimit(limit));
    if (result == Inflated::Corrupt)
        result = inflateWith(input, MAX_WBITS, output, effectiveLimit(limit));
    if (result == Inflated::Corrupt)
        *error = QStringLiteral("flate: corrupt input");
    return result;
}

} // namespace LokiReceiverInternal
