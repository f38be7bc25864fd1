// SPDX-License-Identifier: MIT
#include "decompress_p.h"

#include <snappy.h>
#include <zlib.h>

namespace LokiReceiverInternal {

bool snappyUncompress(const QByteArray &input, QByteArray *output, QString *error)
{
    // The length in the header is only a claim, and the output is allocated for it. No
    // snappy element makes more than 64 bytes out of 3 (a copy with a 2-byte offset), so a
    // claim beyond that ratio is refused before it costs memory: 14 bytes claiming 1 GiB
    // made a gigabyte allocation.
    size_t length = 0;
    if (!snappy::GetUncompressedLength(input.constData(), size_t(input.size()), &length)
        || length > size_t(MaxDecompressedSize) || length > size_t(input.size()) / 3 * 64 + 64) {
        *error = QStringLiteral("snappy: corrupt input");
        return false;
    }
    output->resize(qsizetype(length));
    if (!snappy::RawUncompress(input.constData(), size_t(input.size()), output->data())) {
        output->clear();
        *error = QStringLiteral("snappy: corrupt input");
        return false;
    }
    return true;
}

namespace {

// windowBits as zlib's inflateInit2() reads them: 16 + 15 gzip, 15 zlib, -15 raw.
bool inflateWith(const QByteArray &input, int windowBits, QByteArray *output)
{
    z_stream stream {};
    if (inflateInit2(&stream, windowBits) != Z_OK)
        return false;
    output->clear();
    output->resize(qMax<qsizetype>(input.size() * 4, 4096));
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
    stream.avail_in = uInt(input.size());
    qsizetype produced = 0;
    int result = Z_OK;
    while (result == Z_OK) {
        if (produced == output->size()) {
            if (output->size() >= MaxDecompressedSize)
                break;
            output->resize(qMin(output->size() * 2, MaxDecompressedSize));
        }
        stream.next_out = reinterpret_cast<Bytef *>(output->data() + produced);
        stream.avail_out = uInt(output->size() - produced);
        result = inflate(&stream, Z_NO_FLUSH);
        produced = output->size() - qsizetype(stream.avail_out);
        if (result == Z_BUF_ERROR && stream.avail_out != 0)
            break; // input ended before the stream did
        if (result == Z_BUF_ERROR)
            result = Z_OK;
    }
    inflateEnd(&stream);
    if (result != Z_STREAM_END) {
        output->clear();
        return false;
    }
    output->resize(produced);
    return true;
}

} // namespace

bool gzipUncompress(const QByteArray &input, QByteArray *output, QString *error)
{
    if (input.size() < 2 || uchar(input.at(0)) != 0x1f || uchar(input.at(1)) != 0x8b) {
        *error = QStringLiteral("gzip: invalid header");
        return false;
    }
    if (!inflateWith(input, 16 + MAX_WBITS, output)) {
        *error = QStringLiteral("gzip: invalid compressed data");
        return false;
    }
    return true;
}

bool deflateUncompress(const QByteArray &input, QByteArray *output, QString *error)
{
    if (inflateWith(input, -MAX_WBITS, output) || inflateWith(input, MAX_WBITS, output))
        return true;
    *error = QStringLiteral("flate: corrupt input");
    return false;
}

} // namespace LokiReceiverInternal
