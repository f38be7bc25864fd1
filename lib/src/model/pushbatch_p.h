// SPDX-License-Identifier: MIT
#pragma once

// The batch as it goes on the wire: streams of entries, labels already resolved,
// sanitized and sorted. Produced by the Batcher, consumed by the encoders.

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace QLoki::detail {

//! Name/value pairs, sorted by name, names unique.
using LabelList = QList<QPair<QString, QString>>;

/*!
    What a metadata value was before it became text. Loki's metadata is text only; OTLP's
    attributes keep numbers, booleans, lists and maps typed, so an entry resolved for OTLP
    keeps the kind beside the text (see WireEntry::forEachTypedMetadata()). List and Map
    values are the compact JSON text renderValue() writes.
*/
enum class ValueKind : quint8 { Text, Int, Double, Bool, List, Map };

/*!
    Immutable bytes and their reference count in one allocation with an 8-byte header
    (QByteArray's is 16, plus a terminating NUL): the storage of a buffered entry, where
    those bytes are a tenth of what the entry costs beyond its text.
*/
class SharedBytes
{
public:
    SharedBytes() = default;
    //! \a size uninitialised bytes, to be written through \a data before any copy is made.
    static SharedBytes allocate(qsizetype size, char **data)
    {
        SharedBytes b;
        void *memory = std::malloc(sizeof(Header) + std::size_t(size));
        if (!memory)
            qBadAlloc();
        b.d = new (memory) Header {{1}, qint32(size)};
        *data = reinterpret_cast<char *>(b.d + 1);
        return b;
    }
    static SharedBytes copy(const char *bytes, qsizetype size)
    {
        char *data = nullptr;
        SharedBytes b = allocate(size, &data);
        if (size > 0)
            std::memcpy(data, bytes, std::size_t(size));
        return b;
    }
    SharedBytes(const SharedBytes &other) noexcept
        : d(other.d)
    {
        if (d)
            d->ref.fetch_add(1, std::memory_order_relaxed);
    }
    SharedBytes(SharedBytes &&other) noexcept
        : d(std::exchange(other.d, nullptr))
    { }
    SharedBytes &operator=(SharedBytes other) noexcept
    {
        std::swap(d, other.d);
        return *this;
    }
    ~SharedBytes()
    {
        if (d && d->ref.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            d->~Header();
            std::free(d);
        }
    }

    const char *data() const { return d ? reinterpret_cast<const char *>(d + 1) : nullptr; }
    qsizetype size() const { return d ? d->size : 0; }

    friend bool operator==(const SharedBytes &a, const SharedBytes &b)
    {
        return a.size() == b.size()
                && (a.d == b.d || std::memcmp(a.data(), b.data(), std::size_t(a.size())) == 0);
    }

private:
    struct Header
    {
        std::atomic<int> ref;
        qint32 size;
    };
    Header *d = nullptr;
};

/*!
    One entry in its final form: the timestamp, and the line and structured metadata as
    UTF-8 in one allocation (the line, then each pair as name and value, each preceded by
    its length as a varint). This is what a buffered entry costs beyond its own bytes,
    and the encoders write from it without converting anything. Copies share the bytes.
    Lone surrogates of the UTF-16 input are U+FFFD here, so every body is valid UTF-8.
*/
class WireEntry
{
public:
    WireEntry() = default;
    //! Encodes \a line and \a metadata (sorted, unique names) as UTF-8; \a kinds, when
    //! given, holds the kind of each metadata value (kept only when one is not Text).
    WireEntry(qint64 timestampNs, QStringView line, const LabelList &metadata = {},
              const QList<ValueKind> *kinds = nullptr);

    //! An entry from its encoded form: the line, then the length-prefixed pairs.
    static WireEntry fromEncoded(qint64 timestampNs, SharedBytes data, qsizetype lineBytes,
                                 int metadataCount);

    qint64 timestampNs = 0; //!< Unix epoch nanoseconds

    QByteArrayView line() const { return QByteArrayView(m_data.data(), m_lineBytes); }
    int metadataCount() const { return m_metadataCount; }
    //! Bytes of the line and metadata as stored (with their length prefixes).
    qsizetype storageBytes() const { return m_data.size(); }
    //! The stored bytes themselves: the line, then the length-prefixed metadata pairs (and,
    //! when the entry was resolved with them, a byte per value for its kind).
    QByteArrayView storage() const { return QByteArrayView(m_data.data(), m_data.size()); }
    bool hasMetadata() const { return m_metadataCount > 0; }
    //! UTF-8 bytes of the line, names and values (what batch limits count).
    qsizetype utf8Size() const
    {
        qsizetype size = m_lineBytes;
        forEachMetadata([&size](QByteArrayView name, QByteArrayView value) {
            size += name.size() + value.size();
        });
        return size;
    }

    //! Calls \a f(QByteArrayView name, QByteArrayView value) for each metadata pair.
    template<typename F>
    void forEachMetadata(F &&f) const
    {
        const char *p = m_data.data() + m_lineBytes;
        for (int i = 0; i < m_metadataCount; ++i) {
            const qsizetype nameSize = readVarint(p);
            const QByteArrayView name(p, nameSize);
            p += nameSize;
            const qsizetype valueSize = readVarint(p);
            const QByteArrayView value(p, valueSize);
            p += valueSize;
            f(name, value);
        }
    }

    /*!
        Calls \a f(QByteArrayView name, QByteArrayView value, ValueKind kind) for each
        metadata pair. The kinds follow the pairs in the entry's bytes, one byte each, when
        the entry was resolved with them; otherwise every value is Text.
    */
    template<typename F>
    void forEachTypedMetadata(F &&f) const
    {
        const char *p = m_data.data() + m_lineBytes;
        for (int i = 0; i < m_metadataCount; ++i) {
            p += readVarint(p);
            p += readVarint(p);
        }
        const bool typed =
                m_metadataCount > 0 && p + m_metadataCount == m_data.data() + m_data.size();
        const char *kind = p;
        forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
            f(name, value, typed ? ValueKind(quint8(*kind++)) : ValueKind::Text);
        });
    }

    //! The line as text (for the spool and for tests).
    QString lineText() const;
    //! The metadata as text pairs (for the spool and for tests).
    LabelList metadataList() const;

    //! Replaces the line, keeping the metadata.
    void setLine(QByteArrayView utf8);
    //! Replaces the line and removes the metadata.
    void setLineWithoutMetadata(QByteArrayView utf8);

    //! The bytes writeVarint() takes for \a v.
    static int varintSize(quint64 v)
    {
        int n = 1;
        while (v >= 0x80) {
            v >>= 7;
            ++n;
        }
        return n;
    }
    //! Writes \a v as a varint (the length prefix of a name or value); returns the end.
    static char *writeVarint(char *out, quint64 v)
    {
        while (v >= 0x80) {
            *out++ = char(v | 0x80);
            v >>= 7;
        }
        *out++ = char(v);
        return out;
    }

    friend bool operator==(const WireEntry &a, const WireEntry &b)
    {
        return a.timestampNs == b.timestampNs && a.m_lineBytes == b.m_lineBytes
                && a.m_metadataCount == b.m_metadataCount && a.m_data == b.m_data;
    }
    friend bool operator!=(const WireEntry &a, const WireEntry &b) { return !(a == b); }

    //! Reads a varint written by writeVarint() and advances \a p past it.
    static qsizetype readVarint(const char *&p)
    {
        quint64 v = 0;
        int shift = 0;
        for (;;) {
            const quint8 b = quint8(*p++);
            v |= quint64(b & 0x7F) << shift;
            if (b < 0x80)
                return qsizetype(v);
            shift += 7;
        }
    }

private:
    SharedBytes m_data;
    qint32 m_lineBytes = 0;
    qint32 m_metadataCount = 0;
};

struct WireStream
{
    LabelList labels; //!< never empty
    QList<WireEntry> entries;
};

struct PushBatch
{
    QList<WireStream> streams;
    int entryCount() const
    {
        int n = 0;
        for (const WireStream &s : streams)
            n += int(s.entries.size());
        return n;
    }
};

} // namespace QLoki::detail
