// SPDX-License-Identifier: MIT
#pragma once

// What the libFuzzer harnesses share: a failed invariant aborts with its reason (libFuzzer
// then keeps the input as a crash), and the compressions a client applies to a body.

#include <QtCore/QByteArray>

#include <cstdio>
#include <cstdlib>

//! Aborts with \a what when \a condition does not hold: a finding, like a crash.
#define FUZZ_CHECK(condition, what)                                                                \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n  %s\n", __FILE__, __LINE__,        \
                         #condition, QByteArray(what).constData());                                \
            std::fflush(stderr);                                                                   \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace FuzzSupport {

//! The fuzzer's input as a QByteArray (a copy: the harnesses keep it beyond the call).
inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

//! gzip (RFC 1952), as `Content-Encoding: gzip`.
QByteArray gzip(const QByteArray &data);
//! `Content-Encoding: deflate`: raw deflate, or zlib-wrapped when \a zlibWrapped.
QByteArray deflate(const QByteArray &data, bool zlibWrapped);
//! Snappy's block format.
QByteArray snappy(const QByteArray &data);

} // namespace FuzzSupport
