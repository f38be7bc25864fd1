// SPDX-License-Identifier: MIT
#include "encoding/protobufencoder_p.h"

#include "encoding/labelstring_p.h"
#include "encoding/utf8_p.h"

#include <QtCore/QtAlgorithms>

#include <snappy-sinksource.h>
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

    The write pass goes to an Out: one contiguous buffer (serialize()), or pieces that
    snappy reads in turn (encode()), where lines and other long strings are not copied but
    read where the batch holds them, so that a push does not need the whole request twice.
*/
class Serializer
{
public:
    explicit Serializer(const PushBatch &batch) : m_batch(batch) { }

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

    //! Writes the request measured by measure() to \a out.
    template<typename Out>
    void write(Out &out)
    {
        m_next = 0;
        for (qsizetype i = 0; i < m_batch.streams.size(); ++i) {
            const WireStream &stream = m_batch.streams.at(i);
            out.tagged(PushRequestStreams, quint64(m_sizes[m_next++]));
            writeString(out, StreamLabels, m_labels.at(i));
            for (const WireEntry &entry : stream.entries) {
                out.tagged(StreamEntries, quint64(m_sizes[m_next++]));
                // Loki's own marshaller always writes the timestamp, even at the epoch.
                const Timestamp t = splitTimestamp(entry.timestampNs);
                out.tagged(EntryTimestamp, quint64(timestampSize(t)));
                if (t.seconds)
                    out.tagged(TimestampSeconds, quint64(t.seconds));
                if (t.nanos)
                    out.tagged(TimestampNanos, quint64(t.nanos));
                writeString(out, EntryLine, entry.line());
                entry.forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
                    out.tagged(EntryMetadata, quint64(m_sizes[m_next++]));
                    writeString(out, LabelPairName, name);
                    writeString(out, LabelPairValue, value);
                });
            }
        }
    }

private:
    qsizetype record(qsizetype size)
    {
        m_sizes.push_back(size);
        return size;
    }

    template<typename Out>
    static void writeString(Out &out, char tag, QByteArrayView s)
    {
        if (s.isEmpty())
            return;
        out.tagged(tag, quint64(s.size()));
        out.bytes(s);
    }

    const PushBatch &m_batch;
    std::vector<qsizetype> m_sizes;
    std::size_t m_next = 0;
    QList<QByteArray> m_labels;
};

//! Serializer output into one buffer of the measured size.
struct FlatOut
{
    char *at;
    void tagged(char tag, quint64 value)
    {
        *at++ = tag;
        at = writeVarint(at, value);
    }
    void bytes(QByteArrayView s)
    {
        std::memcpy(at, s.data(), std::size_t(s.size()));
        at += s.size();
    }
};

// Strings from this size on are read where the batch holds them; shorter ones are copied
// with the tags and lengths around them.
constexpr qsizetype ReferencedBytes = 256;

//! Serializer output as pieces: runs of tags, lengths and short strings copied into one
//! buffer, and long strings referenced. A first pass with \c counting set sizes the buffer.
struct PieceOut
{
    struct Piece
    {
        const char *data; //!< nullptr: \c offset into the copied bytes
        qsizetype offset;
        qsizetype size;
    };

    bool counting = true;
    qsizetype copiedSize = 0;
    std::size_t pieceCount = 0;
    QByteArray copied;
    std::vector<Piece> pieces;
    qsizetype runStart = 0;

    void tagged(char tag, quint64 value)
    {
        if (counting) {
            copiedSize += 1 + varintSize(value);
            return;
        }
        char *at = copied.data() + copiedSize;
        *at++ = tag;
        copiedSize = writeVarint(at, value) - copied.constData();
    }
    void bytes(QByteArrayView s)
    {
        if (s.size() < ReferencedBytes) {
            if (!counting)
                std::memcpy(copied.data() + copiedSize, s.data(), std::size_t(s.size()));
            copiedSize += s.size();
            return;
        }
        if (counting) {
            pieceCount += 2; // this one and the run before it
            return;
        }
        endRun();
        pieces.push_back({s.data(), 0, s.size()});
    }
    //! After the counting pass: sizes the buffer for the writing pass.
    void startWriting()
    {
        counting = false;
        copied = QByteArray(copiedSize, Qt::Uninitialized);
        pieces.reserve(pieceCount + 1);
        copiedSize = 0;
        runStart = 0;
    }
    void endRun()
    {
        if (copiedSize > runStart)
            pieces.push_back({nullptr, runStart, copiedSize - runStart});
        runStart = copiedSize;
    }
};

//! The pieces, in order, as snappy reads its input.
class PieceSource final : public snappy::Source
{
public:
    PieceSource(const PieceOut &out, qsizetype total)
        : m_out(out)
        , m_left(std::size_t(total))
    { }
    std::size_t Available() const override { return m_left; }
    const char *Peek(std::size_t *length) override
    {
        if (m_index >= m_out.pieces.size()) {
            *length = 0;
            return nullptr;
        }
        const PieceOut::Piece &piece = m_out.pieces[m_index];
        *length = std::size_t(piece.size - m_offset);
        const char *data = piece.data ? piece.data : m_out.copied.constData() + piece.offset;
        return data + m_offset;
    }
    void Skip(std::size_t n) override
    {
        m_left -= n;
        while (n > 0) {
            const std::size_t rest = std::size_t(m_out.pieces[m_index].size - m_offset);
            if (n < rest) {
                m_offset += qsizetype(n);
                return;
            }
            n -= rest;
            ++m_index;
            m_offset = 0;
        }
    }

private:
    const PieceOut &m_out;
    std::size_t m_left;
    std::size_t m_index = 0;
    qsizetype m_offset = 0;
};

// The body is held while its push is on the wire: one that compressed well gives the rest
// of snappy's worst-case reserve back (a small copy).
void fitCompressed(QByteArray *body, std::size_t compressedSize)
{
    body->resize(qsizetype(compressedSize));
    if (body->capacity() - body->size() > body->size() / 4)
        body->squeeze();
}

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
    Serializer serializer(batch);
    const qsizetype total = serializer.measure();
    PieceOut pieces;
    serializer.write(pieces);
    pieces.startWriting();
    serializer.write(pieces);
    pieces.endRun();
    PieceSource source(pieces, total);
    QByteArray out(qsizetype(snappy::MaxCompressedLength(std::size_t(total))), Qt::Uninitialized);
    snappy::UncheckedByteArraySink sink(out.data());
    fitCompressed(&out, snappy::Compress(&source, &sink));
    return out;
}

QByteArray ProtobufEncoder::serialize(const PushBatch &batch)
{
    Serializer serializer(batch);
    // Exactly the size: resize() of an empty array would reserve for growth.
    QByteArray out(serializer.measure(), Qt::Uninitialized);
    FlatOut flat {out.data()};
    serializer.write(flat);
    Q_ASSERT(flat.at == out.constData() + out.size());
    return out;
}

QByteArray ProtobufEncoder::compress(const QByteArray &data)
{
    QByteArray out(qsizetype(snappy::MaxCompressedLength(std::size_t(data.size()))),
                   Qt::Uninitialized);
    std::size_t compressedSize = 0;
    snappy::RawCompress(data.constData(), std::size_t(data.size()), out.data(), &compressedSize);
    fitCompressed(&out, compressedSize);
    return out;
}

} // namespace QLoki::detail
