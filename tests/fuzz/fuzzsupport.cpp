// SPDX-License-Identifier: MIT
#include "fuzzsupport.h"

#include <snappy.h>
#include <zlib.h>

namespace FuzzSupport {

namespace {

QByteArray compressWith(const QByteArray &data, int windowBits)
{
    z_stream stream {};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY)
        != Z_OK)
        std::abort();
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int result = ::deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (result != Z_STREAM_END)
        std::abort();
    out.truncate(qsizetype(stream.total_out));
    return out;
}

} // namespace

QByteArray gzip(const QByteArray &data) { return compressWith(data, 16 + MAX_WBITS); }

QByteArray deflate(const QByteArray &data, bool zlibWrapped)
{
    return compressWith(data, zlibWrapped ? MAX_WBITS : -MAX_WBITS);
}

QByteArray snappy(const QByteArray &data)
{
    std::string out;
    snappy::Compress(data.constData(), size_t(data.size()), &out);
    return QByteArray(out.data(), qsizetype(out.size()));
}

} // namespace FuzzSupport
