// SPDX-License-Identifier: MIT
#include "protobufpushdecoder_p.h"

#include "protowire_p.h"

#include <QtCore/qnumeric.h>

#include <limits>

namespace LokiReceiverInternal {

namespace {

// The bytes of [begin, end): a copy, or (Borrow) a view of the message's own bytes.
QByteArray bytesOf(const char *begin, const char *end, ProtobufStrings strings)
{
    return strings == ProtobufStrings::Borrow ? QByteArray::fromRawData(begin, end - begin)
                                              : QByteArray(begin, end - begin);
}

bool expectWireType(WireReader &reader, int wireType, int expected)
{
    if (wireType == expected)
        return true;
    return reader.fail("proto: wrong wireType for field");
}

bool decodeLabelPair(const char *begin, const char *end, std::pair<QByteArray, QByteArray> *pair,
                     WireReader &outer, ProtobufStrings strings)
{
    WireReader reader(begin, end);
    quint32 field = 0;
    int wireType = 0;
    while (!reader.atEnd() && reader.readTag(&field, &wireType)) {
        if ((field == 1 || field == 2) && expectWireType(reader, wireType, LengthDelimited)) {
            const char *b = nullptr;
            const char *e = nullptr;
            if (reader.readBytes(&b, &e))
                (field == 1 ? pair->first : pair->second) = bytesOf(b, e, strings);
        } else {
            reader.skip(wireType);
        }
    }
    return !reader.failed() || outer.fail(reader.failure());
}

bool decodeTimestamp(const char *begin, const char *end, qint64 *timestampNs, WireReader &outer)
{
    WireReader reader(begin, end);
    qint64 seconds = 0;
    qint64 nanos = 0;
    quint32 field = 0;
    int wireType = 0;
    while (!reader.atEnd() && reader.readTag(&field, &wireType)) {
        if (field == 1 && expectWireType(reader, wireType, Varint))
            seconds = qint64(reader.readVarint());
        else if (field == 2 && expectWireType(reader, wireType, Varint))
            nanos = qint32(quint32(reader.readVarint()));
        else
            reader.skip(wireType);
    }
    // Saturate instead of overflowing: such an entry is then refused as too old or new.
    qint64 scaled = 0;
    if (qMulOverflow(seconds, qint64(1000000000), &scaled)
        || qAddOverflow(scaled, nanos, timestampNs)) {
        *timestampNs = seconds < 0 ? std::numeric_limits<qint64>::min()
                                   : std::numeric_limits<qint64>::max();
    }
    return !reader.failed() || outer.fail(reader.failure());
}

bool decodeEntry(const char *begin, const char *end, PushEntry *entry, WireReader &outer,
                 ProtobufStrings strings)
{
    WireReader reader(begin, end);
    quint32 field = 0;
    int wireType = 0;
    while (!reader.atEnd() && reader.readTag(&field, &wireType)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field >= 1 && field <= 3) {
            if (!expectWireType(reader, wireType, LengthDelimited) || !reader.readBytes(&b, &e))
                break;
            if (field == 1) {
                decodeTimestamp(b, e, &entry->timestampNs, reader);
            } else if (field == 2) {
                entry->line = bytesOf(b, e, strings);
            } else {
                entry->structuredMetadata.emplace_back();
                decodeLabelPair(b, e, &entry->structuredMetadata.back(), reader, strings);
            }
        } else {
            reader.skip(wireType);
        }
    }
    return !reader.failed() || outer.fail(reader.failure());
}

// What a push may still hold; a negative count once it holds too much.
struct Budget
{
    qint64 streams;
    qint64 entries;
    bool exceeded = false;
    bool take(qint64 *left)
    {
        if (*left > 0 && --*left == 0)
            *left = -1; // the next one is one too many
        else if (*left < 0)
            exceeded = true;
        return !exceeded;
    }
};

bool decodeStream(const char *begin, const char *end, PushStream *stream, WireReader &outer,
                  ProtobufStrings strings, Budget &budget)
{
    WireReader reader(begin, end);
    quint32 field = 0;
    int wireType = 0;
    while (!reader.atEnd() && reader.readTag(&field, &wireType)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field == 1 || field == 2) {
            if (!expectWireType(reader, wireType, LengthDelimited) || !reader.readBytes(&b, &e))
                break;
            if (field == 1) {
                stream->labels = QByteArray(b, e - b);
            } else {
                if (!budget.take(&budget.entries))
                    return outer.fail("too many entries");
                stream->entries.emplace_back();
                decodeEntry(b, e, &stream->entries.back(), reader, strings);
            }
        } else {
            reader.skip(wireType);
        }
    }
    return !reader.failed() || outer.fail(reader.failure());
}

} // namespace

bool decodeProtobufPush(const QByteArray &message, PushRequest *request, QString *error,
                        ProtobufStrings strings, const PushCaps &caps, bool *overCaps)
{
    Budget budget {caps.maxStreams, caps.maxEntries};
    WireReader reader(message.constData(), message.constData() + message.size());
    quint32 field = 0;
    int wireType = 0;
    while (!reader.atEnd() && reader.readTag(&field, &wireType)) {
        if (field == 1) {
            const char *b = nullptr;
            const char *e = nullptr;
            if (!expectWireType(reader, wireType, LengthDelimited) || !reader.readBytes(&b, &e))
                break;
            if (!budget.take(&budget.streams)) {
                reader.fail("too many streams");
                break;
            }
            request->streams.emplace_back();
            decodeStream(b, e, &request->streams.back(), reader, strings, budget);
        } else {
            reader.skip(wireType);
        }
    }
    if (overCaps)
        *overCaps = budget.exceeded;
    if (reader.failed()) {
        *error = QString::fromLatin1(reader.failure());
        return false;
    }
    return true;
}

} // namespace LokiReceiverInternal
