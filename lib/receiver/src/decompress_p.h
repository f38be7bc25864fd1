// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace LokiReceiverInternal {

//! Bodies inflate to at most this many bytes (guards against decompression bombs).
constexpr qsizetype MaxDecompressedSize = qsizetype(1) << 30;

//! Snappy block format. Returns false and sets \a error ("snappy: corrupt input").
bool snappyUncompress(const QByteArray &input, QByteArray *output, QString *error);
//! gzip (RFC 1952) as sent with `Content-Encoding: gzip`.
bool gzipUncompress(const QByteArray &input, QByteArray *output, QString *error);
//! `Content-Encoding: deflate`: raw deflate as Loki reads it, or zlib-wrapped.
bool deflateUncompress(const QByteArray &input, QByteArray *output, QString *error);

} // namespace LokiReceiverInternal
