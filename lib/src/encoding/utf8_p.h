// SPDX-License-Identifier: MIT
#pragma once

// UTF-16 to UTF-8 straight into a caller's buffer. The encoders use these instead of
// QString::toUtf8() so that a batch is written in one pass without a temporary per string,
// and so that a lone surrogate always becomes U+FFFD: a body must stay valid UTF-8.

#include <QtCore/QByteArray>
#include <QtCore/QStringDecoder>
#include <QtCore/QStringView>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace QLoki::detail::Utf8 {

inline bool isHighSurrogate(char16_t c) { return (c & 0xFC00) == 0xD800; }
inline bool isLowSurrogate(char16_t c) { return (c & 0xFC00) == 0xDC00; }

/*!
    Writes the code point that starts at \a it (a unit >= 0x80) and advances \a it past
    it. A valid surrogate pair may end beyond \a it + 1 but never beyond \a end.
    Writes at most 4 bytes; at most 3 per consumed UTF-16 unit.
*/
inline char *writeNonAscii(char *out, const char16_t *&it, const char16_t *end)
{
    const char16_t c = *it++;
    if (c < 0x800) {
        *out++ = char(0xC0 | (c >> 6));
        *out++ = char(0x80 | (c & 0x3F));
        return out;
    }
    if ((c & 0xF800) != 0xD800) {
        *out++ = char(0xE0 | (c >> 12));
        *out++ = char(0x80 | ((c >> 6) & 0x3F));
        *out++ = char(0x80 | (c & 0x3F));
        return out;
    }
    if (isHighSurrogate(c) && it < end && isLowSurrogate(*it)) {
        const char32_t cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*it++) - 0xDC00);
        *out++ = char(0xF0 | (cp >> 18));
        *out++ = char(0x80 | ((cp >> 12) & 0x3F));
        *out++ = char(0x80 | ((cp >> 6) & 0x3F));
        *out++ = char(0x80 | (cp & 0x3F));
        return out;
    }
    // U+FFFD REPLACEMENT CHARACTER
    *out++ = char(0xEF);
    *out++ = char(0xBF);
    *out++ = char(0xBD);
    return out;
}

// Log text is nearly all ASCII: testing four units at once roughly halves the time
// spent on it, and plain reads keep the code independent of byte order. (Where SSE2 is
// there, sixteenAscii() goes first; this takes the last fifteen units.)
inline bool fourAscii(const char16_t *it)
{
    return ((it[0] | it[1] | it[2] | it[3]) & 0xFF80) == 0;
}

/*!
    Where the CPU has SSE2 (every x86-64): whether the sixteen units at \a it are ASCII, and
    if so their bytes in \a bytes. A line of log text takes a few such steps where four units
    at a time took a few dozen.
*/
#if defined(__SSE2__)
inline bool sixteenAscii(const char16_t *it, __m128i *bytes)
{
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(it));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(it + 8));
    const __m128i high = _mm_and_si128(_mm_or_si128(a, b), _mm_set1_epi16(short(0xFF80)));
    if (_mm_movemask_epi8(_mm_cmpeq_epi16(high, _mm_setzero_si128())) != 0xFFFF)
        return false;
    *bytes = _mm_packus_epi16(a, b); // each unit is below 0x80: its low byte
    return true;
}
#endif

/*!
    The bytes beyond one that the code point at \a it takes in UTF-8 (as write() writes it),
    and advances \a it past it.
*/
inline qsizetype extraBytes(const char16_t *&it, const char16_t *end)
{
    const char16_t c = *it++;
    if (c < 0x80)
        return 0;
    if (c < 0x800)
        return 1;
    if (isHighSurrogate(c) && it < end && isLowSurrogate(*it)) {
        ++it;
        return 2; // two units, four bytes
    }
    return 2; // BMP or replaced lone surrogate: three bytes
}

//! Number of bytes write() produces for \a s.
inline qsizetype size(QStringView s)
{
    const char16_t *it = s.utf16();
    const char16_t *const end = it + s.size();
    qsizetype n = s.size();
    while (it < end) {
#if defined(__SSE2__)
        __m128i bytes;
        if (end - it >= 16) {
            if (sixteenAscii(it, &bytes)) {
                it += 16;
                continue;
            }
            for (const char16_t *const blockEnd = it + 16; it < blockEnd;)
                n += extraBytes(it, end);
            continue;
        }
#endif
        if (end - it >= 4 && fourAscii(it))
            it += 4;
        else
            n += extraBytes(it, end);
    }
    return n;
}

//! Writes \a s as UTF-8 at \a out, which has room for size(s) bytes; returns the end.
inline char *write(char *out, QStringView s)
{
    const char16_t *it = s.utf16();
    const char16_t *const end = it + s.size();
    while (it < end) {
#if defined(__SSE2__)
        __m128i bytes;
        if (end - it >= 16) {
            if (sixteenAscii(it, &bytes)) {
                _mm_storeu_si128(reinterpret_cast<__m128i *>(out), bytes);
                out += 16;
                it += 16;
                continue;
            }
            // Not all ASCII: these sixteen one by one (a pair may end one unit beyond).
            for (const char16_t *const blockEnd = it + 16; it < blockEnd;) {
                if (*it < 0x80)
                    *out++ = char(*it++);
                else
                    out = writeNonAscii(out, it, end);
            }
            continue;
        }
#endif
        if (end - it >= 4 && fourAscii(it)) {
            out[0] = char(it[0]);
            out[1] = char(it[1]);
            out[2] = char(it[2]);
            out[3] = char(it[3]);
            out += 4;
            it += 4;
        } else if (*it < 0x80) {
            *out++ = char(*it++);
        } else {
            out = writeNonAscii(out, it, end);
        }
    }
    return out;
}

//! \a s as UTF-8 (QString::toUtf8() would write a lone surrogate as '?').
inline QByteArray encode(QStringView s)
{
    QByteArray out(size(s), Qt::Uninitialized);
    write(out.data(), s);
    return out;
}

/*!
    \a utf8 as text, each byte that is not part of a valid sequence as U+FFFD. Unlike
    QString::fromUtf8(), which drops a leading U+FEFF as a byte order mark, it keeps every
    character: text read back from UTF-8 (the spool, a QByteArray field) is the text written.
*/
inline QString decode(QByteArrayView utf8)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless
                                   | QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(utf8);
}

} // namespace QLoki::detail::Utf8
