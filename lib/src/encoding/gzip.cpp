// SPDX-License-Identifier: MIT
#include "encoding/gzip_p.h"

#include <QtCore/QtGlobal>

#include <zlib.h>

#include <limits>

namespace QLoki::detail {

QByteArray gzipCompress(const QByteArray &data, int level)
{
    z_stream zs = {};
    // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of zlib's own.
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};

    QByteArray out;
    out.resize(qsizetype(deflateBound(&zs, uLong(data.size()))));
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.next_out = reinterpret_cast<Bytef *>(out.data());

    // avail_in and avail_out are 32 bits wide; feed larger bodies in slices.
    constexpr qsizetype MaxSlice = std::numeric_limits<uInt>::max();
    qsizetype inLeft = data.size();
    int status = Z_OK;
    while (status == Z_OK) {
        const uInt inSlice = uInt(qMin(inLeft, MaxSlice));
        zs.avail_in = inSlice;
        inLeft -= inSlice;
        const qsizetype written = reinterpret_cast<char *>(zs.next_out) - out.constData();
        zs.avail_out = uInt(qMin(out.size() - written, MaxSlice));
        status = deflate(&zs, inLeft ? Z_NO_FLUSH : Z_FINISH);
        inLeft += zs.avail_in;
    }
    deflateEnd(&zs);
    if (status != Z_STREAM_END)
        return {};
    out.truncate(reinterpret_cast<char *>(zs.next_out) - out.constData());
    return out;
}

} // namespace QLoki::detail
