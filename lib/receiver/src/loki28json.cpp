// SPDX-License-Identifier: MIT
#include "loki28json_p.h"

#include <QtCore/QStringBuilder>

namespace LokiReceiverInternal {

namespace {

// jsoniter's reader buffer (jsoniter.NewDecoder reads 512 bytes at a time).
constexpr qsizetype ReaderBuffer = 512;

// A lenient scanner over a body already known to be valid JSON.
class Scanner
{
public:
    explicit Scanner(const QByteArray &text)
        : m_text(text)
    { }

    qsizetype pos() const { return m_pos; }
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek()
    {
        skipSpace();
        return atEnd() ? '\0' : m_text.at(m_pos);
    }
    bool take(char c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    // The raw bytes between the quotes of a string (escapes left as they are).
    QByteArray string()
    {
        if (!take('"'))
            return {};
        const qsizetype start = m_pos;
        while (!atEnd() && m_text.at(m_pos) != '"')
            m_pos += m_text.at(m_pos) == '\\' ? 2 : 1;
        const QByteArray value = m_text.mid(start, m_pos - start);
        ++m_pos;
        return value;
    }
    void skipValue()
    {
        const char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            ++m_pos;
            while (!atEnd() && !take(close)) {
                if (c == '{') {
                    string();
                    take(':');
                }
                skipValue();
                take(',');
            }
        } else {
            while (!atEnd() && !QByteArrayView(",]} \t\r\n").contains(m_text.at(m_pos)))
                ++m_pos;
        }
    }

private:
    void skipSpace()
    {
        while (!atEnd() && QByteArrayView(" \t\r\n").contains(m_text.at(m_pos)))
            ++m_pos;
    }

    const QByteArray &m_text;
    qsizetype m_pos = 0;
};

// Whether a stream object's "values" hold a value with a third element that is not a
// string; the scanner ends after the object.
bool streamHasMetadata(Scanner &scanner)
{
    bool found = false;
    scanner.take('{');
    while (!scanner.atEnd() && !scanner.take('}')) {
        const QByteArray key = scanner.string();
        scanner.take(':');
        if (key == "values" && scanner.take('[')) {
            while (!scanner.atEnd() && !scanner.take(']')) {
                if (!scanner.take('[')) {
                    scanner.skipValue();
                } else {
                    for (int element = 0; !scanner.atEnd() && !scanner.take(']'); ++element) {
                        found = found || (element >= 2 && scanner.peek() != '"');
                        scanner.skipValue();
                        scanner.take(',');
                    }
                }
                scanner.take(',');
            }
        } else {
            scanner.skipValue();
        }
        scanner.take(',');
    }
    return found;
}

// The end (exclusive) of the first stream object with metadata, or -1.
qsizetype endOfFirstStreamWithMetadata(const QByteArray &body)
{
    Scanner scanner(body);
    if (!scanner.take('{'))
        return -1;
    while (!scanner.atEnd() && !scanner.take('}')) {
        const QByteArray key = scanner.string();
        scanner.take(':');
        if (key == "streams" && scanner.take('[')) {
            while (!scanner.atEnd() && !scanner.take(']')) {
                if (scanner.peek() == '{' && streamHasMetadata(scanner))
                    return scanner.pos();
                if (scanner.peek() != ',' && scanner.peek() != ']')
                    scanner.skipValue();
                scanner.take(',');
            }
        } else {
            scanner.skipValue();
        }
        scanner.take(',');
    }
    return -1;
}

} // namespace

QByteArray loki28MetadataParseError(const QByteArray &body)
{
    const qsizetype end = endOfFirstStreamWithMetadata(body);
    if (end <= 0)
        return {};
    // jsoniter's ReportError: its read position (head) within the buffer it holds, 10 bytes
    // around it and 50 bytes around it, cut to what the buffer holds.
    const qsizetype bufferStart = (end - 1) / ReaderBuffer * ReaderBuffer;
    const QByteArray buffer = body.mid(bufferStart, ReaderBuffer);
    const qsizetype head = end - bufferStart;
    const qsizetype peekStart = qMax<qsizetype>(0, head - 10);
    const qsizetype peekEnd = qMin(head + 10, buffer.size());
    const qsizetype contextStart = qMax<qsizetype>(0, head - 50);
    const qsizetype contextEnd = qMin(head + 50, buffer.size());
    return QByteArray("loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: Value "
                      "is not a string, error found in #")
            + QByteArray::number(head - peekStart) + " byte of ...|"
            + buffer.mid(peekStart, peekEnd - peekStart) + "|..., bigger context ...|"
            + buffer.mid(contextStart, contextEnd - contextStart) + "|...";
}

} // namespace LokiReceiverInternal
