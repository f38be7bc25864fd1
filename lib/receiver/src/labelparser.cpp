// SPDX-License-Identifier: MIT
#include "labelparser_p.h"

#include <limits>

namespace LokiReceiverInternal {

namespace {

bool isIdentifierStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isIdentifierChar(char c) { return isIdentifierStart(c) || (c >= '0' && c <= '9'); }

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(QByteArray &out, uint codePoint)
{
    if (codePoint < 0x80) {
        out.append(char(codePoint));
    } else if (codePoint < 0x800) {
        out.append(char(0xc0 | (codePoint >> 6)));
        out.append(char(0x80 | (codePoint & 0x3f)));
    } else if (codePoint < 0x10000) {
        out.append(char(0xe0 | (codePoint >> 12)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3f)));
        out.append(char(0x80 | (codePoint & 0x3f)));
    } else {
        out.append(char(0xf0 | (codePoint >> 18)));
        out.append(char(0x80 | ((codePoint >> 12) & 0x3f)));
        out.append(char(0x80 | ((codePoint >> 6) & 0x3f)));
        out.append(char(0x80 | (codePoint & 0x3f)));
    }
}

// Length of the valid UTF-8 sequence starting at \a p (0 when invalid).
qsizetype utf8SequenceLength(const uchar *p, qsizetype available)
{
    const uchar c = p[0];
    qsizetype length = 0;
    uint minimum = 0;
    uint codePoint = 0;
    if (c >= 0xc2 && c <= 0xdf) {
        length = 2;
        minimum = 0x80;
        codePoint = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        length = 3;
        minimum = 0x800;
        codePoint = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        length = 4;
        minimum = 0x10000;
        codePoint = c & 0x07;
    } else {
        return 0;
    }
    if (available < length)
        return 0;
    for (qsizetype i = 1; i < length; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        codePoint = (codePoint << 6) | (p[i] & 0x3f);
    }
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
        return 0;
    return length;
}

const char hexDigits[] = "0123456789abcdef";

} // namespace

int Lexer::columnAt(qsizetype offset) const
{
    // Tokens come in order, so the column moves on from the last one asked for: the whole
    // input is walked once (an offset behind it, which only an error asks for, starts over).
    if (offset < m_columnOffset) {
        m_columnOffset = 0;
        m_column = 1;
    }
    for (; m_columnOffset < offset; ++m_columnOffset) {
        const char c = m_input.at(m_columnOffset);
        if (c == '\n')
            m_column = 1;
        else if ((uchar(c) & 0xc0) != 0x80)
            ++m_column;
    }
    return int(qMin<qint64>(m_column, std::numeric_limits<int>::max()));
}

Token Lexer::error(qsizetype offset, const QByteArray &message) const
{
    return Token {Token::Error, message, columnAt(offset), {}};
}

Token Lexer::readString(qsizetype start)
{
    const char quote = m_input.at(start);
    // Most strings have no escapes: they are a view of the input.
    for (qsizetype j = start + 1; j < m_input.size(); ++j) {
        const char c = m_input.at(j);
        if (c == quote) {
            m_pos = j + 1;
            return Token {
                    Token::String, {}, columnAt(start), m_input.sliced(start + 1, j - start - 1)};
        }
        if (quote != '`' && (c == '\\' || c == '\n'))
            break;
    }
    QByteArray value("");
    qsizetype i = start + 1;
    while (i < m_input.size()) {
        const char c = m_input.at(i);
        if (c == quote) {
            m_pos = i + 1;
            return Token {Token::String, value, columnAt(start), {}};
        }
        if (quote == '`') {
            value.append(c);
            ++i;
            continue;
        }
        if (c == '\n')
            break;
        if (c != '\\') {
            value.append(c);
            ++i;
            continue;
        }
        if (++i >= m_input.size())
            break;
        const char e = m_input.at(i++);
        switch (e) {
        case 'a':
            value.append('\a');
            break;
        case 'b':
            value.append('\b');
            break;
        case 'f':
            value.append('\f');
            break;
        case 'n':
            value.append('\n');
            break;
        case 'r':
            value.append('\r');
            break;
        case 't':
            value.append('\t');
            break;
        case 'v':
            value.append('\v');
            break;
        case '\\':
            value.append('\\');
            break;
        case '"':
            value.append('"');
            break;
        case '\'':
            value.append('\'');
            break;
        case 'x':
        case 'u':
        case 'U': {
            const int digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
            uint codePoint = 0;
            for (int k = 0; k < digits; ++k) {
                const int h = i < m_input.size() ? hexValue(m_input.at(i)) : -1;
                if (h < 0)
                    return error(i - 1, "invalid escape sequence");
                codePoint = codePoint * 16 + uint(h);
                ++i;
            }
            if (e == 'x')
                value.append(char(codePoint));
            else if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
                return error(i - 1, "escape sequence is an invalid Unicode code point");
            else
                appendUtf8(value, codePoint);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                uint code = uint(e - '0');
                for (int k = 0; k < 2; ++k) {
                    if (i >= m_input.size() || m_input.at(i) < '0' || m_input.at(i) > '7')
                        return error(i - 1, "invalid escape sequence");
                    code = code * 8 + uint(m_input.at(i++) - '0');
                }
                if (code > 255)
                    return error(i - 1, "octal escape value > 255");
                value.append(char(code));
                break;
            }
            return error(i - 1, "unknown escape sequence");
        }
    }
    m_pos = m_input.size();
    return error(start, "unterminated quoted string");
}

Token Lexer::next()
{
    while (m_pos < m_input.size()) {
        const char c = m_input.at(m_pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        ++m_pos;
    }
    const qsizetype start = m_pos;
    if (m_pos >= m_input.size()) {
        if (m_braceDepth > 0)
            return error(start, "unexpected end of input inside braces");
        return Token {Token::End, {}, columnAt(start), {}};
    }
    const char c = m_input.at(m_pos);
    const char following = m_pos + 1 < m_input.size() ? m_input.at(m_pos + 1) : '\0';
    const int column = columnAt(start);
    auto simple = [&](Token::Kind kind, int length) {
        m_pos += length;
        return Token {kind, {}, column, {}};
    };
    if (c == '{') {
        ++m_braceDepth;
        return simple(Token::LeftBrace, 1);
    }
    if (c == '}') {
        if (m_braceDepth == 0)
            return error(start, "unexpected right brace '}'");
        --m_braceDepth;
        return simple(Token::RightBrace, 1);
    }
    if (c == ',')
        return simple(Token::Comma, 1);
    if (c == '=')
        return following == '~' ? simple(Token::RegexMatch, 2) : simple(Token::Equal, 1);
    if (c == '!') {
        if (following == '=')
            return simple(Token::NotEqual, 2);
        if (following == '~')
            return simple(Token::RegexNotMatch, 2);
        QByteArray message = m_braceDepth > 0 ? "unexpected character after '!' inside braces: '"
                                              : "unexpected character after '!': '";
        return error(start + 1, message + following + '\'');
    }
    if (c == '|' && m_braceDepth == 0) {
        if (following == '=')
            return simple(Token::PipeExact, 2);
        if (following == '~')
            return simple(Token::PipeMatch, 2);
        return simple(Token::Pipe, 1);
    }
    if (c == '"' || c == '\'' || c == '`')
        return readString(start);
    if (isIdentifierStart(c)) {
        qsizetype end = m_pos + 1;
        while (end < m_input.size() && isIdentifierChar(m_input.at(end)))
            ++end;
        const Token token {Token::Identifier, {}, column, m_input.sliced(m_pos, end - m_pos)};
        m_pos = end;
        return token;
    }
    // Report the whole character, not one byte of it.
    qsizetype length = 1;
    while (m_pos + length < m_input.size() && (uchar(m_input.at(m_pos + length)) & 0xc0) == 0x80)
        ++length;
    const QByteArray character = m_input.sliced(m_pos, length).toByteArray();
    m_pos = m_input.size();
    if (m_braceDepth > 0)
        return error(start, "unexpected character inside braces: '" + character + '\'');
    return error(start, "unexpected character: '" + character + '\'');
}

QByteArray Lexer::describe(const Token &token)
{
    switch (token.kind) {
    case Token::End:
        return "end of input";
    case Token::Error:
        return token.text;
    case Token::LeftBrace:
        return "\"{\"";
    case Token::RightBrace:
        return "\"}\"";
    case Token::Comma:
        return "\",\"";
    case Token::Identifier:
        return "identifier \"" + token.value() + '"';
    case Token::String: {
        QByteArray out("string ");
        appendGoQuoted(out, token.valueView());
        return out;
    }
    case Token::Equal:
        return "\"=\"";
    case Token::NotEqual:
        return "\"!=\"";
    case Token::RegexMatch:
        return "\"=~\"";
    case Token::RegexNotMatch:
        return "\"!~\"";
    case Token::PipeExact:
        return "\"|=\"";
    case Token::PipeMatch:
        return "\"|~\"";
    case Token::Pipe:
        return "\"|\"";
    }
    return {};
}

bool parseLabelString(QByteArrayView text, LabelPairs *labels, QByteArray *error)
{
    Lexer lexer(text);
    auto fail = [&](const Token &token, const QByteArray &expected) {
        QByteArray message = "1:" + QByteArray::number(token.column) + ": parse error: ";
        if (token.kind == Token::Error)
            message += token.text;
        else
            message += "unexpected " + Lexer::describe(token) + expected;
        *error = message;
        return false;
    };
    labels->clear();
    Token token = lexer.next();
    if (token.kind != Token::LeftBrace)
        return fail(token, ", expected \"{\"");
    token = lexer.next();
    while (token.kind != Token::RightBrace) {
        if (token.kind != Token::Identifier)
            return fail(token, " in label set, expected label name");
        QByteArray name = token.value();
        token = lexer.next();
        if (token.kind != Token::Equal)
            return fail(token, " in label set, expected \"=\"");
        token = lexer.next();
        if (token.kind != Token::String)
            return fail(token, " in label set, expected string");
        labels->emplace_back(std::move(name), token.value());
        token = lexer.next();
        if (token.kind == Token::Comma)
            token = lexer.next();
        else if (token.kind != Token::RightBrace)
            return fail(token, " in label set, expected \",\" or \"}\"");
    }
    token = lexer.next();
    if (token.kind != Token::End)
        return fail(token, " after label set");
    return true;
}

void appendGoQuoted(QByteArray &out, QByteArrayView value)
{
    out.append('"');
    const auto *p = reinterpret_cast<const uchar *>(value.data());
    const qsizetype size = value.size();
    for (qsizetype i = 0; i < size;) {
        const uchar c = p[i];
        if (c >= 0x80) {
            const qsizetype length = utf8SequenceLength(p + i, size - i);
            if (length > 0) {
                out.append(reinterpret_cast<const char *>(p + i), length);
                i += length;
            } else {
                out.append("\\x").append(hexDigits[c >> 4]).append(hexDigits[c & 0xf]);
                ++i;
            }
            continue;
        }
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\a':
            out.append("\\a");
            break;
        case '\b':
            out.append("\\b");
            break;
        case '\f':
            out.append("\\f");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        case '\v':
            out.append("\\v");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                out.append("\\x").append(hexDigits[c >> 4]).append(hexDigits[c & 0xf]);
            else
                out.append(char(c));
        }
        ++i;
    }
    out.append('"');
}

QByteArray formatLabels(const LabelPairs &labels)
{
    QByteArray out;
    out.reserve(2 + qsizetype(labels.size()) * 16);
    out.append('{');
    bool first = true;
    for (const auto &[name, value] : labels) {
        if (!first)
            out.append(", ");
        first = false;
        out.append(name).append('=');
        appendGoQuoted(out, value);
    }
    out.append('}');
    return out;
}

void appendJsonEscaped(QByteArray &out, QByteArrayView value)
{
    const auto *p = reinterpret_cast<const uchar *>(value.data());
    const qsizetype size = value.size();
    qsizetype plainStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        const uchar c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(reinterpret_cast<const char *>(p + plainStart), i - plainStart);
        plainStart = i + 1;
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            out.append("\\u00").append(hexDigits[c >> 4]).append(hexDigits[c & 0xf]);
        }
    }
    out.append(reinterpret_cast<const char *>(p + plainStart), size - plainStart);
}

} // namespace LokiReceiverInternal
