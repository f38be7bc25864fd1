// SPDX-License-Identifier: MIT
#pragma once

// The protobuf wire format as the decoders read it (Loki's push request, OTLP's logs).

#include <QtCore/QtGlobal>

namespace LokiReceiverInternal {

enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

// Reads one message's fields from [begin, end); any read past the end or an invalid
// wire type marks the reader failed, and every later read returns nothing.
class WireReader
{
public:
    WireReader(const char *begin, const char *end)
        : m_p(begin)
        , m_end(end)
    { }

    bool atEnd() const { return m_p >= m_end || m_failed; }
    bool failed() const { return m_failed; }
    const char *failure() const { return m_failure; }

    bool readTag(quint32 *field, int *wireType)
    {
        const quint64 tag = readVarint();
        if (m_failed)
            return false;
        *field = quint32(tag >> 3);
        *wireType = int(tag & 7);
        if (*field == 0)
            return fail("proto: illegal tag 0");
        return true;
    }

    quint64 readVarint()
    {
        quint64 value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p >= m_end) {
                fail("unexpected EOF");
                return 0;
            }
            const auto byte = quint8(*m_p++);
            value |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        fail("proto: integer overflow");
        return 0;
    }

    // A length-delimited field's bytes as [begin, end).
    bool readBytes(const char **begin, const char **end)
    {
        const quint64 length = readVarint();
        if (m_failed)
            return false;
        if (length > quint64(m_end - m_p))
            return fail("unexpected EOF");
        *begin = m_p;
        *end = m_p + length;
        m_p += length;
        return true;
    }

    bool skip(int wireType)
    {
        const char *begin = nullptr;
        const char *end = nullptr;
        switch (wireType) {
        case Varint:
            readVarint();
            return !m_failed;
        case Fixed64:
            return advance(8);
        case LengthDelimited:
            return readBytes(&begin, &end);
        case Fixed32:
            return advance(4);
        default:
            return fail("proto: illegal wireType");
        }
    }

    //! A fixed64 (or double) field's value, little-endian.
    quint64 readFixed64() { return readFixed(8); }
    quint32 readFixed32() { return quint32(readFixed(4)); }

    bool fail(const char *message)
    {
        if (!m_failed)
            m_failure = message;
        m_failed = true;
        return false;
    }

private:
    quint64 readFixed(int size)
    {
        if (m_end - m_p < size) {
            fail("unexpected EOF");
            return 0;
        }
        quint64 v = 0;
        for (int i = 0; i < size; ++i)
            v |= quint64(quint8(m_p[i])) << (8 * i);
        m_p += size;
        return v;
    }

    bool advance(qsizetype count)
    {
        if (m_end - m_p < count)
            return fail("unexpected EOF");
        m_p += count;
        return true;
    }

    const char *m_p;
    const char *m_end;
    bool m_failed = false;
    const char *m_failure = "";
};

} // namespace LokiReceiverInternal
