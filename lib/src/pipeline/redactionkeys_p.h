// SPDX-License-Identifier: MIT
// The names of secrets: what a key is when it ends in a secret word (`password`, `api_key`,
// `X-Auth-Token`, …), read backwards from its end. Shared by the Redactor's pre-check
// (redactionrules.cpp, at each `=` or `:`) and Redactor::isSecretName() (redactionkeys.cpp);
// templates, so that the pre-check's hot loop reads keys inline, as UTF-16 units or bytes.
#pragma once

#include <QtCore/QtGlobal>

#include <array>

namespace QLoki::detail::redactionkeys {

// The text is read as UTF-16 units or as bytes (Latin-1, or UTF-8 that is ASCII): every
// shape is ASCII. Lowercase as the rules' caseless matching (PCRE2 in UTF mode) takes it:
// ASCII, and in UTF-16 the two letters beyond ASCII that match ASCII ones, U+017F LATIN
// SMALL LETTER LONG S for `s` and U+212A KELVIN SIGN for `k` (`paſſword=`, `api_Key=` match
// the key=value rule). Latin-1 has neither.
template<typename Char>
constexpr Char lower(Char c)
{
    if (c >= 'A' && c <= 'Z')
        return Char(c | 0x20);
    if constexpr (sizeof(Char) == 2) {
        if (c == 0x017F)
            return 's';
        if (c == 0x212A)
            return 'k';
    }
    return c;
}

// Letters, digits, `_`, `.`, `-`: what a key is made of.
constexpr std::array<bool, 128> keyCharTable()
{
    std::array<bool, 128> t {};
    for (int c = 0; c < 128; ++c) {
        t[std::size_t(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }
    return t;
}
inline constexpr std::array<bool, 128> keyChars = keyCharTable();

template<typename Char>
bool isKeyChar(Char c)
{
    return c < 128 && keyChars[c];
}

// The words a secret name ends in, once `_`, `-` and `.` are taken out and case ignored.
// The regular expression of the key=value rule is stricter (api[_.-]?key): this list finds
// a superset of what it matches.
struct Word
{
    const char *text;
    int size;
};
inline constexpr Word secretWords[] = {{"password", 8},    {"passwd", 6},      {"passphrase", 10},
                                       {"pwd", 3},         {"secret", 6},      {"token", 5},
                                       {"apikey", 6},      {"accesskey", 9},   {"secretkey", 9},
                                       {"privatekey", 10}, {"credential", 10}, {"credentials", 11}};
inline constexpr Word authorizationWord = {"authorization", 13};

enum class KeyKind { None, Secret, Authorization };

/*!
    The last characters of a key, lowercased, without `_`, `-` and `.`, in reverse order:
    read backwards from the end of the key, only as far as a secret word can reach.
*/
template<typename Char>
class ReversedKey
{
public:
    ReversedKey(const Char *text, qsizetype end)
        : m_text(text)
        , m_at(end)
    { }

    //! Reads up to \a size characters in all; false when the key ended before.
    bool readUpTo(int size)
    {
        while (n < size && m_at > 0 && isKeyChar(lower(m_text[m_at - 1]))) {
            const Char c = lower(m_text[--m_at]);
            if (c != '_' && c != '-' && c != '.')
                chars[n++] = char16_t(c);
        }
        return n >= size;
    }

    //! True when the key ends in \a word; reads one character at a time, only as far as
    //! the characters match.
    bool endsWith(Word word)
    {
        for (int k = 0; k < word.size; ++k) {
            if (!readUpTo(k + 1) || chars[k] != char16_t(word.text[word.size - 1 - k]))
                return false;
        }
        return true;
    }

    char16_t chars[authorizationWord.size];
    int n = 0;

private:
    const Char *m_text;
    qsizetype m_at;
};

// Letters and digits: a key's last two characters, when both are, are its last two
// without reading further (ReversedKey skips only `_`, `-` and `.`).
constexpr std::array<bool, 128> alnumTable()
{
    std::array<bool, 128> t {};
    for (int c = 0; c < 128; ++c)
        t[std::size_t(c)] =
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return t;
}
inline constexpr std::array<bool, 128> alnum = alnumTable();

// True when a key whose last two characters (lowercase, `_`, `-` and `.` taken out) are
// \a last and \a before may end in a secret word: d (password, passwd, pwd), e (passphrase),
// t (secret), n (token, authorization), y (…key), l (credential), s (credentials).
constexpr bool endsLikeSecretWord(char16_t last, char16_t before)
{
    return (last == 'd' && (before == 'r' || before == 'w')) || (last == 'e' && before == 's')
            || (last == 't' && before == 'e') || (last == 'n' && (before == 'e' || before == 'o'))
            || (last == 'y' && before == 'e') || (last == 'l' && before == 'a')
            || (last == 's' && before == 'l');
}

// What a key is, from its last characters in reverse (see ReversedKey). Most keys end in a
// letter no secret word ends in, and are told apart by that one letter; the others are
// compared with the words that end in theirs (indexes into secretWords).
template<typename Char>
KeyKind classifyKey(const Char *text, qsizetype end)
{
    // Most keys end in two ASCII letters or digits that no secret word ends in: told apart
    // here, without a branch per character (lowercase is `| 0x20` for both).
    if (end >= 2) {
        const Char last = text[end - 1];
        const Char before = text[end - 2];
        if (last < 128 && before < 128 && alnum[last] && alnum[before]
            && !endsLikeSecretWord(char16_t(last | 0x20), char16_t(before | 0x20))) {
            return KeyKind::None;
        }
    }
    // Built here, not passed by value: a copy of it through the stack stalls on store
    // forwarding, which cost more than the reading.
    ReversedKey<Char> key(text, end);
    // Two letters tell most keys apart; the words are read only for the others.
    if (!key.readUpTo(2))
        return KeyKind::None;
    const char16_t last = key.chars[0];
    if (!endsLikeSecretWord(last, key.chars[1]))
        return KeyKind::None;
    const auto is = [&key](Word word) { return key.endsWith(word); };
    switch (last) {
    case 'd':
        return is(secretWords[0]) || is(secretWords[1]) || is(secretWords[3]) ? KeyKind::Secret
                                                                              : KeyKind::None;
    case 'e':
        return is(secretWords[2]) ? KeyKind::Secret : KeyKind::None;
    case 't':
        return is(secretWords[4]) ? KeyKind::Secret : KeyKind::None;
    case 'n':
        if (is(authorizationWord))
            return KeyKind::Authorization;
        return is(secretWords[5]) ? KeyKind::Secret : KeyKind::None;
    case 'y': // ...key
        if (!key.readUpTo(3) || key.chars[2] != 'k')
            return KeyKind::None;
        return is(secretWords[6]) || is(secretWords[7]) || is(secretWords[8]) || is(secretWords[9])
                ? KeyKind::Secret
                : KeyKind::None;
    case 'l':
        return is(secretWords[10]) ? KeyKind::Secret : KeyKind::None;
    case 's':
        return is(secretWords[11]) ? KeyKind::Secret : KeyKind::None;
    default:
        return KeyKind::None;
    }
}

} // namespace QLoki::detail::redactionkeys
