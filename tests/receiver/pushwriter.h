// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPair>

// A test-only writer of Loki's protobuf PushRequest (and snappy), written from the
// field numbers in tests/proto/push.proto. It checks the receiver's reader from the
// other side and builds large bodies; it is not the client library's encoder.
namespace TestPush {

struct Entry
{
    qint64 timestampNs = 0;
    QByteArray line;
    QList<QPair<QByteArray, QByteArray>> structuredMetadata;
};

struct Stream
{
    QByteArray labels;
    QList<Entry> entries;
};

//! The serialized PushRequest (not compressed).
QByteArray encodePushRequest(const QList<Stream> &streams);
//! Snappy block format.
QByteArray snappyCompress(const QByteArray &data);
QByteArray snappyUncompress(const QByteArray &data);
//! Content-Encoding bodies.
QByteArray gzipCompress(const QByteArray &data);
QByteArray deflateCompress(const QByteArray &data, bool zlibWrapped);
//! gzip of \a size zero bytes, made without holding them: a decompression bomb.
QByteArray gzipZeros(qint64 size);

} // namespace TestPush
