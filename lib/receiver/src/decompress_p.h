// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace LokiReceiverInternal {

//! How inflating a body went.
enum class Inflated {
    Ok,
    Corrupt, //!< not valid compressed data (the error says how)
    TooLarge, //!< it inflates to more than the limit; inflating stopped there
};

//! Snappy block format, into at most \a limit bytes (0: no limit). Corrupt sets \a error
//! ("snappy: corrupt input"). The declared size is checked before anything is allocated.
Inflated snappyUncompress(const QByteArray &input, QByteArray *output, QString *error,
                          qint64 limit = 0);
//! gzip (RFC 1952) as sent with `Content-Encoding: gzip`, into at most \a limit bytes.
Inflated gzipUncompress(const QByteArray &input, QByteArray *output, QString *error,
                        qint64 limit = 0);
//! `Content-Encoding: deflate`: raw deflate as Loki reads it, or zlib-wrapped.
Inflated deflateUncompress(const QByteArray &input, QByteArray *output, QString *error,
                           qint64 limit = 0);

} // namespace LokiReceiverInternal
