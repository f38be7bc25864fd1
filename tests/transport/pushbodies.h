// SPDX-License-Identifier: MIT
#pragma once

// Push bodies of a chosen size in each wire format, made by the library's own encoders from
// entries of 100 pseudo-random characters (text that compresses about as little as gzip
// and snappy allow, so that a compressed body of a given size is reachable).

#include "encoding/pushencoder_p.h"
#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QString>

#include <cstdint>

namespace PushBodies {

struct Body
{
    QByteArray bytes;
    QByteArray contentType;
    QByteArray contentEncoding;
    int entries = 0;
};

inline QLoki::detail::PushBatch batchOf(int entries)
{
    using namespace QLoki::detail;
    static const char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-.:/=";
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    WireStream stream;
    stream.labels = {{QStringLiteral("app"), QStringLiteral("pushbodies")}};
    stream.entries.reserve(entries);
    // Now, so that a receiver that checks the age of entries (as Loki does) takes them.
    const qint64 start = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    for (int i = 0; i < entries; ++i) {
        char line[100];
        for (char &c : line) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            c = alphabet[state % (sizeof(alphabet) - 1)];
        }
        stream.entries.append(WireEntry(start + i, QString::fromLatin1(line, sizeof(line))));
    }
    return PushBatch {{stream}};
}

//! The largest body of \a format made of whole entries that is at most \a bytes long.
inline Body ofSize(QLoki::WireFormat format, qsizetype bytes)
{
    const auto encoder = QLoki::detail::makeEncoder(format);
    auto encode = [&](int n) { return encoder->encode(batchOf(n)); };
    int n = int(std::max<qsizetype>(1, bytes / 130));
    QByteArray body = encode(n);
    // Scale the entry count by the size ratio until it is close, then step down to fit.
    for (int round = 0; round < 6 && std::abs(body.size() - bytes) > bytes / 50; ++round) {
        n = std::max(1, int(qint64(n) * bytes / std::max<qsizetype>(1, body.size())));
        body = encode(n);
    }
    while (body.size() > bytes && n > 1)
        body = encode(--n);
    while (true) {
        const QByteArray next = encode(n + 1);
        if (next.size() > bytes)
            break;
        body = next;
        ++n;
    }
    return {body, encoder->contentType(), encoder->contentEncoding(), n};
}

} // namespace PushBodies
