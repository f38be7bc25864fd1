// SPDX-License-Identifier: MIT
#include "encoding/protobufencoder_p.h"

#include "encoding/labelstring_p.h"
#include "encoding/utf8_p.h"

#include <QtCore/QtAlgorithms>

#include <snappy.h>

#include <cstring>
#include <vector>

namespace QLoki::detail {

namespace {

// Tags: (field number << 3) | wire type; 0 = varint, 2 = length-delimited.
constexpr char PushRequestStreams = 0x0A;
constexpr char StreamLabels = 0x0A;
constexpr char StreamEntries = 0x12;
constexpr char EntryTimestamp = 0x0A;
constexpr char EntryLine = 0x12;
constexpr char EntryMetadata = 0x1A;
constexpr char TimestampSeconds = 0x08;
constexpr char TimestampNanos = 0x10;
constexpr char LabelPairName = 0x0A;
constexpr char LabelPairValue = 0x12;

constexpr qint64 NanosPerSecond = 1000000000;

int varintSize(quint64 v)
{
    return (64 - int(qCountLeadingZeroBits(v | 1)) + 6) / 7;
}

char *writeVarint(char *out, quint64 v)
{
    while (v >= 0x80) {
        *out++ = char(v | 0x80);
        v >>= 7;
    }
    *out++ = char(v);
    return out;
}

// Size of a length-delimited field with a one-byte tag; all tags here are below 16.
qsizetype fieldSize(qsizetype payload)
{
    return 1 + varintSize(quint64(payload)) + payload;
}

// Same, but proto3 leaves out an empty string.
qsizetype stringFieldSize(qsizetype utf8Size)
{
    return utf8Size ? fieldSize(utf8Size) : 0;
}

// google.protobuf.Timestamp wants nanos in [0, 1e9) also before the epoch, so the
// seconds round towards negative infinity.
struct Timestamp
{
    qint64 seconds;
    qint32 nanos;
};

Timestamp splitTimestamp(qint64 ns)
{
    qint64 seconds = ns / NanosPerSecond;
    qint64 nanos = ns % NanosPerSecond;
    if (nanos < 0) {
        --seconds;
        nanos += NanosPerSecond;
    }
    return {seconds, qint32(nanos)};
}

// int64 is encoded as its two's complement bit pattern: ten bytes when negative.
int timestampSize(Timestamp t)
{
    return (t.seconds ? 1 + varintSize(quint64(t.seconds)) : 0)
            + (t.nanos ? 1 + varintSize(quint64(t.nanos)) : 0);
}

/*
    Every nested message is preceded by its length, so the sizes are computed first. The
    size pass records the length of every message in the order the write pass needs them,
    which then consumes them front to back. Lines and metadata are UTF-8 already (see
    WireEntry), so their sizes are known and they are copied as they are.
*/
class Serializer
{
public:
    explicit Serializer(const PushBatch &batch) : m_batch(batch) { }

    QByteArray run()
    {
        const qsizetype total = measure();
        QByteArray out;
        out.resize(total);
        char *const begin = out.data();
        char *const end = write(begin);
        Q_ASSERT(end - begin == total);
        Q_UNUSED(end);
        return out;
    }

private:
    qsizetype record(qsizetype size)
    {
        m_sizes.push_back(size);
        return size;
    }

    qsizetype measure()
    {
        // Per entry: entry; per metadata pair: pair; per stream: stream.
        std::size_t count = 0;
        for (const WireStream &stream : m_batch.streams) {
            count += 1 + std::size_t(stream.entries.size());
            for (const WireEntry &entry : stream.entries)
                count += std::size_t(entry.metadataCount());
        }
        m_sizes.reserve(count);
        m_labels.reserve(m_batch.streams.size());

        qsizetype total = 0;
        for (const WireStream &stream : m_batch.streams) {
            const std::size_t streamSlot = m_sizes.size();
            record(0);
            m_labels.append(Utf8::encode(prometheusLabelString(stream.labels)));
            qsizetype streamSize = stringFieldSize(m_labels.constLast().size());
            for (const WireEntry &entry : stream.entries) {
                const std::size_t entrySlot = m_sizes.size();
                record(0);
                qsizetype entrySize = fieldSize(timestampSize(splitTimestamp(entry.timestampNs)));
                entrySize += stringFieldSize(entry.line().size());
                entry.forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
                    const qsizetype pairSize =
                            record(stringFieldSize(name.size()) + stringFieldSize(value.size()));
                    entrySize += fieldSize(pairSize);
                });
                m_sizes[entrySlot] = entrySize;
                streamSize += fieldSize(entrySize);
            }
            m_sizes[streamSlot] = streamSize;
            total += fieldSize(streamSize);
        }
        return total;
    }

    static char *writeString(char *out, char tag, QByteArrayView s)
    {
        if (s.isEmpty())
            return out;
        *out++ = tag;
        out = writeVarint(out, quint64(s.size()));
        std::memcpy(out, s.data(), std::size_t(s.size()));
        return out + s.size();
    }

    char *writeHeader(char *out, char tag)
    {
        *out++ = tag;
        return writeVarint(out, quint64(m_sizes[m_next++]));
    }

    char *write(char *out)
    {
        m_next = 0;
        for (qsizetype i = 0; i < m_batch.streams.size(); ++i) {
            const WireStream &stream = m_batch.streams.at(i);
            out = writeHeader(out, PushRequestStreams);
            out = writeString(out, StreamLabels, m_labels.at(i));
            for (const WireEntry &entry : stream.entries) {
                out = writeHeader(out, StreamEntries);
                // Loki's own marshaller always writes the timestamp, even at the epoch.
                const Timestamp t = splitTimestamp(entry.timestampNs);
                *out++ = EntryTimestamp;
                out = writeVarint(out, quint64(timestampSize(t)));
                if (t.seconds) {
                    *out++ = TimestampSeconds;
                    out = writeVarint(out, quint64(t.seconds));
                }
                if (t.nanos) {
                    *out++ = TimestampNanos;
                    out = writeVarint(out, quint64(t.nanos));
                }
                out = writeString(out, EntryLine, entry.line());
                entry.forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
                    out = writeHeader(out, EntryMetadata);
                    out = writeString(out, LabelPairName, name);
                    out = writeString(out, LabelPairValue, value);
                });
            }
        }
        return out;
    }

    const PushBatch &m_batch;
    std::vector<qsizetype> m_sizes;
    std::size_t m_next = 0;
    QList<QByteArray> m_labels;
};

} // namespace

QByteArray ProtobufEncoder::contentType() const
{
    return QByteArrayLiteral("application/x-protobuf");
}

QByteArray ProtobufEncoder::contentEncoding() const
{
    return {};
}

QByteArray ProtobufEncoder::encode(const PushBatch &batch) const
{
    return compress(serialize(batch));
}

QByteArray ProtobufEncoder::serialize(const PushBatch &batch)
{
    return Serializer(batch).run();
}

QByteArray ProtobufEncoder::compress(const QByteArray &data)
{
    QByteArray out;
    out.resize(qsizetype(snappy::MaxCompressedLength(std::size_t(data.size()))));
    std::size_t compressedSize = 0;
    snappy::RawCompress(data.constData(), std::size_t(data.size()), out.data(), &compressedSize);
    out.resize(qsizetype(compressedSize));
    return out;
}

} // namespace QLoki::detail
