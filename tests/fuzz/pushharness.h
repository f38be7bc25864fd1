// SPDX-License-Identifier: MIT
#pragma once

// The receiver's push path as the HTTP handler runs it (Ingestor::ingest(): decompression,
// decoding, label parsing, validation, storage, deduplication), with the invariants that
// hold for any body. Shared by the JSON and the protobuf harnesses (the store file's check
// by the OTLP harness too).

#include <QtCore/QByteArray>

namespace PushHarness {

enum class Format { Json, Protobuf };

/*!
    Runs one fuzzer input. Its first byte chooses how the rest travels and how the receiver
    is set up:
    - bits 0-1, JSON: 0 as it is, 1 gzip-compressed here, 2 deflate-compressed here,
      3 taken as an already compressed body (gzip or deflate per bit 2).
      Protobuf: 0 snappy-compressed here, 1 taken as a snappy block, 2 snappy and then gzip
      (Content-Encoding: gzip), 3 snappy with `Content-Encoding: snappy` and no Content-Type.
    - bit 2: the variant (zlib-wrapped deflate; a charset parameter; gzip or deflate for 3);
    - bit 3: old samples accepted; bit 4: structured metadata disallowed;
    - bit 5: counting only; bit 6: the store file is written; bit 7: a store of 3 entries.
    Compressing here lets mutations reach the decoders instead of stopping at a checksum;
    the raw modes fuzz the decompression itself.
*/
void run(Format format, const QByteArray &input);

//! A body as it travels: \a mode 0 as it is, 1 gzip-compressed here, 2 deflate-compressed
//! here (zlib-wrapped when \a variant), 3 taken as an already compressed body (deflate when
//! \a variant, else gzip), whose plain form only the receiver knows.
struct Body
{
    QByteArray bytes;
    QByteArray contentEncoding;
    bool plainKnown = true;
};
Body compressed(int mode, bool variant, const QByteArray &payload);

//! Checks the store file an Ingestor wrote (setStoreDevice()): one JSON object per line
//! with its stream, timestamp and line, \a accepted lines in all.
void checkStoreFile(const QByteArray &written, int accepted);

} // namespace PushHarness
