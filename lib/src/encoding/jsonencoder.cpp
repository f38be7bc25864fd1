// SPDX-License-Identifier: MIT
#include "encoding/jsonencoder_p.h"

#include "encoding/gzip_p.h"
#include "encoding/utf8_p.h"

#include <QtCore/QtGlobal>

#include <cstring>

namespace QLoki::detail {

namespace {

// Printable ASCII other than '"' and '\\': what JSON takes as it is. A table lookup is
// measurably faster here than the four comparisons it replaces.
constexpr struct PlainTable
{
    bool plain[128] = {};
    constexpr PlainTable()
    {
        for (int c = 0x20; c < 0x80; ++c)
            plain[c] = c != '"' && c != '\\';
    }
    constexpr bool test(char16_t c) const { return plain[c]; }
} PlainAscii;

/*
    Appends to a QByteArray through a raw pointer. Capacity is checked once per string
    chunk rather than per character, so the inner loop is a plain copy for ASCII.
*/
class JsonWriter
{
public:
    explicit JsonWriter(qsizetype expectedSize)
    {
        m_buffer.resize(qMax<qsizetype>(expectedSize, 64));
        m_out = m_buffer.data();
        m_end = m_out + m_buffer.size();
    }

    void literal(const char *s, qsizetype n)
    {
        reserve(n);
        memcpy(m_out, s, std::size_t(n));
        m_out += n;
    }

    template<qsizetype N>
    void literal(const char (&s)[N])
    {
        literal(s, N - 1);
    }

    void timestamp(qint64 ns)
    {
        // Unsigned arithmetic keeps the minimum of qint64 representable.
        char digits[20];
        char *d = digits + sizeof digits;
        quint64 v = ns < 0 ? 0 - quint64(ns) : quint64(ns);
        do {
            *--d = char('0' + v % 10);
            v /= 10;
        } while (v);
        reserve(23);
        *m_out++ = '"';
        if (ns < 0)
            *m_out++ = '-';
        const qsizetype n = digits + sizeof digits - d;
        memcpy(m_out, d, std::size_t(n));
        m_out += n;
        *m_out++ = '"';
    }

    void string(QStringView s)
    {
        // A UTF-16 unit becomes at most 6 bytes (\u00XX); a chunk bounds the reservation
        // so that one large line does not double a buffer that was sized right.
        constexpr qsizetype Chunk = 4096;
        const char16_t *it = s.utf16();
        const char16_t *const end = it + s.size();
        reserve(1);
        *m_out++ = '"';
        while (it < end) {
            const char16_t *const chunkEnd = it + qMin(end - it, Chunk);
            reserve(6 * (chunkEnd - it));
            char *out = m_out;
            while (it < chunkEnd) {
                const char16_t c = *it;
                if (chunkEnd - it >= 4 && isPlain(c) && isPlain(it[1]) && isPlain(it[2])
                    && isPlain(it[3])) {
                    out[0] = char(c);
                    out[1] = char(it[1]);
                    out[2] = char(it[2]);
                    out[3] = char(it[3]);
                    out += 4;
                    it += 4;
                } else if (isPlain(c)) {
                    *out++ = char(c);
                    ++it;
                } else if (c >= 0x80) {
                    // A surrogate pair may cross chunkEnd: two units, four bytes, still
                    // inside the reservation.
                    out = Utf8::writeNonAscii(out, it, end);
                } else {
                    out = escape(out, c);
                    ++it;
                }
            }
            m_out = out;
        }
        reserve(1);
        *m_out++ = '"';
    }

    // UTF-8 that is valid already (see WireEntry): bytes from 0x80 up pass as they are.
    void utf8String(QByteArrayView s)
    {
        const char *it = s.data();
        const char *const end = it + s.size();
        reserve(2 + 6 * s.size());
        char *out = m_out;
        *out++ = '"';
        while (it < end) {
            const quint8 c = quint8(*it);
            if (end - it >= 4 && isPlainByte(c) && isPlainByte(quint8(it[1]))
                && isPlainByte(quint8(it[2])) && isPlainByte(quint8(it[3]))) {
                std::memcpy(out, it, 4);
                out += 4;
                it += 4;
            } else if (isPlainByte(c)) {
                *out++ = char(c);
                ++it;
            } else {
                out = escape(out, c);
                ++it;
            }
        }
        *out++ = '"';
        m_out = out;
    }

    QByteArray take()
    {
        m_buffer.truncate(m_out - m_buffer.constData());
        return std::move(m_buffer);
    }

private:
    static bool isPlain(char16_t c) { return c < 0x80 && PlainAscii.test(c); }
    static bool isPlainByte(quint8 c) { return c >= 0x80 || PlainAscii.test(c); }

    static char *escape(char *out, char16_t c)
    {
        static const char hex[] = "0123456789abcdef";
        *out++ = '\\';
        switch (c) {
        case u'"': *out++ = '"'; break;
        case u'\\': *out++ = '\\'; break;
        case u'\b': *out++ = 'b'; break;
        case u'\f': *out++ = 'f'; break;
        case u'\n': *out++ = 'n'; break;
        case u'\r': *out++ = 'r'; break;
        case u'\t': *out++ = 't'; break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0xF];
            break;
        }
        return out;
    }

    void reserve(qsizetype n)
    {
        if (m_end - m_out < n)
            grow(n);
    }

    void grow(qsizetype n)
    {
        const qsizetype used = m_out - m_buffer.constData();
        m_buffer.resize(qMax(m_buffer.size() * 2, used + n));
        m_out = m_buffer.data() + used;
        m_end = m_buffer.data() + m_buffer.size();
    }

    QByteArray m_buffer;
    char *m_out = nullptr;
    char *m_end = nullptr;
};

// Exact for ASCII without escapes, which is what log lines almost always are.
qsizetype expectedSize(const PushBatch &batch)
{
    qsizetype size = 16;
    for (const WireStream &stream : batch.streams) {
        size += 32;
        for (const auto &label : stream.labels)
            size += label.first.size() + label.second.size() + 6;
        for (const WireEntry &entry : stream.entries)
            size += entry.utf8Size() + 28
                    + (entry.hasMetadata() ? 3 + 6 * entry.metadataCount() : 0);
    }
    return size + size / 16;
}

void writeObject(JsonWriter &w, const LabelList &pairs)
{
    w.literal("{");
    bool first = true;
    for (const auto &pair : pairs) {
        if (!first)
            w.literal(",");
        first = false;
        w.string(pair.first);
        w.literal(":");
        w.string(pair.second);
    }
    w.literal("}");
}

} // namespace

JsonEncoder::JsonEncoder(Compression compression) : m_compression(compression) { }

QByteArray JsonEncoder::contentType() const
{
    return QByteArrayLiteral("application/json");
}

QByteArray JsonEncoder::contentEncoding() const
{
    return m_compression == Compression::Gzip ? QByteArrayLiteral("gzip") : QByteArray();
}

QByteArray JsonEncoder::encode(const PushBatch &batch) const
{
    QByteArray json = serialize(batch);
    if (m_compression == Compression::Gzip)
        return gzipCompress(json);
    return json;
}

QByteArray JsonEncoder::serialize(const PushBatch &batch)
{
    JsonWriter w(expectedSize(batch));
    w.literal("{\"streams\":[");
    bool firstStream = true;
    for (const WireStream &stream : batch.streams) {
        if (!firstStream)
            w.literal(",");
        firstStream = false;
        w.literal("{\"stream\":");
        writeObject(w, stream.labels);
        w.literal(",\"values\":[");
        bool firstEntry = true;
        for (const WireEntry &entry : stream.entries) {
            if (!firstEntry)
                w.literal(",");
            firstEntry = false;
            w.literal("[");
            w.timestamp(entry.timestampNs);
            w.literal(",");
            w.utf8String(entry.line());
            if (entry.hasMetadata()) {
                w.literal(",{");
                bool firstPair = true;
                entry.forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
                    if (!firstPair)
                        w.literal(",");
                    firstPair = false;
                    w.utf8String(name);
                    w.literal(":");
                    w.utf8String(value);
                });
                w.literal("}");
            }
            w.literal("]");
        }
        w.literal("]}");
    }
    w.literal("]}");
    return w.take();
}

} // namespace QLoki::detail
