// SPDX-License-Identifier: MIT
// The pre-check of the Redactor's built-in rules (redactionbuiltins.cpp): every shape a rule
// matches has an anchor that candidates() finds in one pass; a rule added there needs its
// anchor here too (tst_redactor and fuzz_redactor hold each secret to both).
#include "pipeline/redactionkeys_p.h"
#include "pipeline/redactor_p.h"

#include <array>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace QLoki::detail {

using namespace redactionkeys;

namespace {

// The characters at which candidates() looks closer; ASCII only (every shape is ASCII).
constexpr std::array<bool, 128> anchorTable()
{
    std::array<bool, 128> t {};
    for (char c : {'=', ':', 'J', '-', '_', 'I', 'b', 'B'})
        t[std::size_t(c)] = true;
    return t;
}
constexpr std::array<bool, 128> anchors = anchorTable();

template<typename Char>
bool isSpace(Char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// True when \a s at \a at starts with the lowercase ASCII \a word, ignoring case.
template<typename Char>
bool startsWithWord(const Char *s, qsizetype at, qsizetype n, const char *word)
{
    for (qsizetype k = 0; word[k]; ++k) {
        if (at + k >= n || lower(s[at + k]) != Char(word[k]))
            return false;
    }
    return true;
}

// True when \a s at \a at starts with \a word (exact case).
template<typename Char>
bool startsWithExact(const Char *s, qsizetype at, qsizetype n, const char *word)
{
    for (qsizetype k = 0; word[k]; ++k) {
        if (at + k >= n || s[at + k] != Char(word[k]))
            return false;
    }
    return true;
}

// True when \a s before \a at ends with \a word (exact case).
template<typename Char>
bool endsWithExact(const Char *s, qsizetype at, const char *word)
{
    const qsizetype len = qsizetype(std::char_traits<char>::length(word));
    if (at < len)
        return false;
    for (qsizetype k = 0; k < len; ++k) {
        if (s[at - len + k] != Char(word[k]))
            return false;
    }
    return true;
}

// The families a key that ends at \a end (before `=` or `:`) may start.
template<typename Char>
quint32 keyFamilies(const Char *s, qsizetype end)
{
    // Between the key and the separator: spaces, a closing quote, an escaping backslash.
    while (end > 0
           && (isSpace(s[end - 1]) || s[end - 1] == '"' || s[end - 1] == '\''
               || s[end - 1] == '\\')) {
        --end;
    }
    switch (classifyKey(s, end)) {
    case KeyKind::Secret:
        return Redactor::KeyValue;
    case KeyKind::Authorization:
        return Redactor::Authorization;
    case KeyKind::None:
        break;
    }
    return 0;
}

// After `://` at \a from: an `@` in the authority (before the path, query or fragment).
template<typename Char>
bool authorityHasAt(const Char *s, qsizetype from, qsizetype n)
{
    for (qsizetype k = from; k < n; ++k) {
        const Char c = s[k];
        if (c == '@')
            return true;
        if (isSpace(c) || c == '/' || c == '?' || c == '#')
            return false;
    }
    return false;
}

} // namespace

// The families the anchor at \a i may start (see anchorTable()).
namespace {

template<typename Char>
quint32 anchorFamilies(const Char *s, qsizetype n, qsizetype i)
{
    using R = Redactor;
    switch (s[i]) {
    case ':': {
        // `scheme://user:password@`; a key named like a secret may stand before `://` as
        // well (`token://…` is a key and its value to the key=value rule).
        const bool url =
                i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/' && authorityHasAt(s, i + 3, n);
        return (url ? quint32(R::UrlCredentials) : 0u) | keyFamilies(s, i);
    }
    case '=':
        return keyFamilies(s, i);
    case 'J': // eyJ: base64url of `{"`, how every JSON Web Token begins
        if (i >= 2 && s[i - 2] == 'e' && s[i - 1] == 'y')
            return R::Jwt;
        break;
    case '-':
        if (startsWithExact(s, i, n, "-----BEGIN"))
            return R::PrivateKey;
        if (i >= 4 && s[i - 4] == 'x' && s[i - 3] == 'o' && s[i - 2] == 'x')
            return R::CloudToken; // Slack: xoxb-, xoxp-, …
        break;
    case '_':
        // GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Stripe (sk_live_, rk_test_)
        if ((i >= 3 && s[i - 3] == 'g' && s[i - 2] == 'h') || endsWithExact(s, i, "github")
            || (i >= 2 && s[i - 1] == 'k' && (s[i - 2] == 's' || s[i - 2] == 'r'))) {
            return R::CloudToken;
        }
        break;
    case 'I': // AWS (AKIA, ASIA), Google (AIza)
        if ((i >= 2 && i + 1 < n && s[i - 2] == 'A' && (s[i - 1] == 'K' || s[i - 1] == 'S')
             && s[i + 1] == 'A')
            || (i >= 1 && i + 2 < n && s[i - 1] == 'A' && s[i + 1] == 'z' && s[i + 2] == 'a')) {
            return R::CloudToken;
        }
        break;
    case 'b':
    case 'B':
        if (startsWithWord(s, i, n, "bearer"))
            return R::Bearer;
        if (startsWithWord(s, i, n, "basic"))
            return R::Basic;
        break;
    default:
        break;
    }
    return 0;
}

#if defined(__SSE2__)
// Sixteen units from \a p as bytes: UTF-16 narrowed with unsigned saturation (a unit beyond
// Latin-1 becomes 0xFF, or 0 from U+8000).
template<typename Char>
__m128i narrowed(const Char *p)
{
    if constexpr (sizeof(Char) == 2) {
        return _mm_packus_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)),
                                _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 8)));
    } else {
        return _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    }
}
#endif

// A unit as the SSE2 pass sees it (narrowed()): Latin-1 as it is, beyond it 0xFF, from
// U+8000 0.
template<typename Char>
inline uchar narrowUnit(Char c)
{
    if constexpr (sizeof(Char) == 2)
        return c <= 0xff ? uchar(c) : c < 0x8000 ? uchar(0xff) : uchar(0);
    else
        return uchar(c);
}

/*!
    Whether units \a p and \a l (narrowed, \a l the last) may end a key before `=` or `:`:
    a letter or digit after what is neither (the key is one character, or follows a
    separator), two that a secret word ends in (classifyKey()'s first test), `_`, `.`, `-`,
    `+`, a space, a quote, a backslash or 0xFF (U+017F and U+212A fold to `s`, `k`).
*/
inline bool mayEndKey(uchar p, uchar l)
{
    const auto letterOrDigit = [](uchar c) { return c < 128 && alnum[c]; };
    if (letterOrDigit(l)) {
        return !letterOrDigit(p) || endsLikeSecretWord(char16_t(l | 0x20), char16_t(p | 0x20));
    }
    switch (l) {
    case '_':
    case '.':
    case '-':
    case '+':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '"':
    case '\'':
    case '\\':
    case 0xff:
        return true;
    default:
        return false;
    }
}

/*!
    One pass: sixteen units at a time are compared with the anchors at once (SSE2, which
    every x86-64 has), and only the units that may start a shape (see anchorFamilies()) are
    looked at closer. UTF-16 units are narrowed to bytes first with unsigned saturation: every
    unit beyond Latin-1 becomes 0xFF or 0, neither an anchor nor a letter. Each anchor is
    taken with the neighbour its shapes need, so that text made of one anchor (a separator
    line of `=` or `-`, a megabyte of `:`) costs no closer look per unit:
    - `=` and `:` after what may end a key: a letter or digit (but not two that no secret
      word ends in, as classifyKey() tells them apart first), `_`, `.`, `-`, `+`, a space, a
      quote or a backslash, or 0xFF (U+017F and U+212A fold to `s`, `k`); `:` before `/`
      (`scheme://`, whatever the scheme ends in);
    - `-` five units before `B` (`-----BEGIN`) or two after `x` (`xoxb-`);
    - `_` after `b` (`github_`) or `k` (`sk_`), or two after `h` (`ghp_`);
    - `J` after `y` (`eyJ`); `I` after `K`, `S` or `A` (`AKIA`, `ASIA`, `AIza`);
    - `b` or `B` before `e` or `a` (`bearer`, `basic`).
*/
template<typename Char>
quint32 scanCandidates(const Char *s, qsizetype n, bool *nonAscii = nullptr)
{
    static_assert(sizeof(Char) == 1 || sizeof(Char) == 2);
    quint32 found = 0;
    const auto closer = [&](qsizetype at) {
        const Char c = s[at];
        if (c < 128 && anchors[c])
            found |= anchorFamilies(s, n, at);
    };
    const auto oneAtATime = [&] {
        bool high = false;
        for (qsizetype i = 0; i < n; ++i) {
            high = high || s[i] >= 0x80;
            closer(i);
        }
        if (nonAscii)
            *nonAscii = high;
        return found;
    };
    // Short texts (most metadata values) one unit at a time: each closer look stays within
    // the text, so fewer than sixteen of them cost less than a block's comparisons.
    if (n < 16)
        return oneAtATime();
#if defined(__SSE2__)
    // The sixteen units from \a at as bytes; zeros for units past the end (no shape reaches
    // beyond the text, and a zero is neither an anchor nor a neighbour one needs).
    const auto block = [s, n](qsizetype at) {
        if (at + 16 > n) {
            Char padded[16] = {};
            for (qsizetype k = at; k < n; ++k)
                padded[k - at] = s[k];
            return narrowed(padded);
        }
        return narrowed(s + at);
    };
    const auto is = [](__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
    const auto any = [](auto... masks) {
        __m128i m = _mm_setzero_si128();
        ((m = _mm_or_si128(m, masks)), ...);
        return m;
    };
    // Signed comparisons: bytes from 0x80 are negative, below every bound here.
    const auto within = [](__m128i v, char low, char high) {
        return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(char(low - 1))),
                             _mm_cmpgt_epi8(_mm_set1_epi8(char(high + 1)), v));
    };
    const __m128i fold = _mm_set1_epi8(0x20);
    // The neighbours of each unit come from the blocks before and after, shifted.
    __m128i previous = _mm_setzero_si128();
    __m128i v = block(0);
    int high = 0; // bytes from 0x80 (read as UTF-8: beyond ASCII)
    for (qsizetype i = 0; i < n; i += 16) {
        const __m128i next = i + 16 < n ? block(i + 16) : _mm_setzero_si128();
        if constexpr (sizeof(Char) == 1)
            high |= _mm_movemask_epi8(v);
        // The anchors; their neighbours are read only for a block that has one.
        const __m128i keySeparator = _mm_or_si128(is(v, '='), is(v, ':'));
        const __m128i dash = is(v, '-');
        const __m128i underscore = is(v, '_');
        const __m128i j = is(v, 'J');
        const __m128i upperI = is(v, 'I');
        const __m128i b = is(_mm_or_si128(v, fold), 'b');
        const unsigned separators = unsigned(_mm_movemask_epi8(keySeparator));
        const bool others = _mm_movemask_epi8(any(dash, underscore, j, upperI, b)) != 0;
        // A few `=` or `:` (key=value text, the common case) are looked at one by one:
        // the units before each tell whether a key may end there. A block dense with them
        // (a line of `=`) takes the comparisons of all sixteen at once below.
        // (At most four bits set: four lowest cleared leave none. qPopulationCount() is a
        // call into libgcc where the target lacks POPCNT, as the x86-64 baseline does.)
        unsigned beyondFour = separators;
        for (int k = 0; k < 4; ++k)
            beyondFour &= beyondFour - 1;
        const bool fewSeparators = beyondFour == 0;
        if (fewSeparators) {
            for (unsigned mask = separators; mask; mask &= mask - 1) {
                const qsizetype at = i + qCountTrailingZeroBits(mask);
                const uchar l = at >= 1 ? narrowUnit(s[at - 1]) : uchar(0);
                const uchar p = at >= 2 ? narrowUnit(s[at - 2]) : uchar(0);
                if (mayEndKey(p, l)
                    || (s[at] == ':' && at + 1 < n && (narrowUnit(s[at + 1]) | 0x20) == '/')) {
                    closer(at);
                }
            }
        }
        if ((separators != 0 && !fewSeparators) || others) {
            const __m128i before = _mm_or_si128(_mm_slli_si128(v, 1), _mm_srli_si128(previous, 15));
            const __m128i before2 =
                    _mm_or_si128(_mm_slli_si128(v, 2), _mm_srli_si128(previous, 14));
            const __m128i after = _mm_or_si128(
                    _mm_or_si128(_mm_srli_si128(v, 1), _mm_slli_si128(next, 15)), fold);
            __m128i m = _mm_setzero_si128();
            if (!fewSeparators) {
                // A key's last two characters, lowercase: when both are letters or digits
                // and no secret word ends in them, the key is none (mayEndKey() for
                // sixteen units).
                const __m128i last = _mm_or_si128(before, fold);
                const __m128i lastButOne = _mm_or_si128(before2, fold);
                const __m128i alnumLast =
                        _mm_or_si128(within(last, 'a', 'z'), within(before, '0', '9'));
                const __m128i alnumLastButOne =
                        _mm_or_si128(within(lastButOne, 'a', 'z'), within(before2, '0', '9'));
                const auto ends = [&](char l, char p) {
                    return _mm_and_si128(is(last, l), is(lastButOne, p));
                };
                const __m128i secretEnding = any(ends('d', 'r'), ends('d', 'w'), ends('e', 's'),
                                                 ends('t', 'e'), ends('n', 'e'), ends('n', 'o'),
                                                 ends('y', 'e'), ends('l', 'a'), ends('s', 'l'));
                const __m128i keyEnd = any(
                        _mm_andnot_si128(alnumLastButOne, alnumLast), secretEnding, is(before, '_'),
                        is(before, '.'), is(before, '-'), is(before, '+'), is(before, ' '),
                        is(before, '\t'), is(before, '\r'), is(before, '\n'), is(before, '"'),
                        is(before, '\''), is(before, '\\'), is(before, char(0xff)));
                m = any(_mm_and_si128(keySeparator, keyEnd),
                        _mm_and_si128(is(v, ':'), is(after, '/')));
            }
            if (others) {
                const __m128i after5 = _mm_or_si128(_mm_srli_si128(v, 5), _mm_slli_si128(next, 11));
                m = any(m, _mm_and_si128(dash, _mm_or_si128(is(after5, 'B'), is(before2, 'x'))),
                        _mm_and_si128(underscore,
                                      any(is(before, 'b'), is(before, 'k'), is(before2, 'h'))),
                        _mm_and_si128(j, is(before, 'y')),
                        _mm_and_si128(upperI,
                                      any(is(before, 'K'), is(before, 'S'), is(before, 'A'))),
                        _mm_and_si128(b, _mm_or_si128(is(after, 'e'), is(after, 'a'))));
            }
            for (unsigned mask = unsigned(_mm_movemask_epi8(m)); mask; mask &= mask - 1)
                closer(i + qCountTrailingZeroBits(mask));
        }
        previous = v;
        v = next;
    }
    if (nonAscii)
        *nonAscii = high != 0;
    return found;
#else
    return oneAtATime();
#endif
}

} // namespace

quint32 Redactor::candidates(QStringView text) { return scanCandidates(text.utf16(), text.size()); }

quint32 Redactor::candidates(QLatin1StringView text)
{
    return scanCandidates(reinterpret_cast<const uchar *>(text.data()), text.size());
}

quint32 Redactor::candidatesOfAscii(QByteArrayView bytes, bool *nonAscii)
{
    return scanCandidates(reinterpret_cast<const uchar *>(bytes.data()), bytes.size(), nonAscii);
}

quint32 Redactor::candidates(QUtf8StringView text)
{
    // Beyond ASCII the letters that fold to ASCII ones are read in UTF-16 (see lower()); the
    // pass over the bytes tells whether there are any.
    bool nonAscii = false;
    const quint32 found =
            scanCandidates(reinterpret_cast<const uchar *>(text.data()), text.size(), &nonAscii);
    return nonAscii ? candidates(QStringView(text.toString())) : found;
}

} // namespace QLoki::detail
