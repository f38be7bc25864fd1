// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>

namespace QLoki::detail {

/*!
    Level 1 (zlib's fastest). Log text compresses well even there, and the encoder runs
    on the single sender thread at up to about a million entries a second; the higher
    levels cost several times the CPU for a few percent of size.
*/
constexpr int DefaultGzipLevel = 1;

//! \a data as a gzip member (RFC 1952), as Content-Encoding: gzip expects.
QByteArray gzipCompress(const QByteArray &data, int level = DefaultGzipLevel);

} // namespace QLoki::detail
