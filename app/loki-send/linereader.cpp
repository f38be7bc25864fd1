// SPDX-License-Identifier: MIT
#include "linereader.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// The logger's own marker (LokiConfig::maxLineBytes()), so that a line cut here reads
// as one cut by the logger, but with the true count.
QString marker(qint64 bytesLeftOut) { return u"\u2026[truncated %1 bytes]"_s.arg(bytesLeftOut); }

bool isContinuationByte(char c) { return (uchar(c) & 0xC0) == 0x80; }

// The entry as the logger will keep it while it waits. The logger counts a waiting line
// against its byte bound by its length, so the string must not hold much more than that:
// appending to a full QString grows it to about twice its size, and QString::fromUtf8()
// reserves a character per byte, which text outside ASCII does not fill.
QString entryText(QByteArrayView utf8)
{
    QString text = QString::fromUtf8(utf8);
    if (text.capacity() - text.size() > text.size() / 16 + 16)
        text.squeeze();
    return text;
}

} // namespace

LineReader::LineReader(int maxLineBytes, QLoki::LineLimitPolicy policy)
    : m_maxBytes(qMax(1, maxLineBytes))
    , m_policy(policy)
{ }

void LineReader::feed(QByteArrayView chunk, const Sink &sink)
{
    while (!chunk.isEmpty()) {
        const qsizetype newline = chunk.indexOf('\n');
        const QByteArrayView part = newline < 0 ? chunk : chunk.first(newline);
        if (!part.isEmpty()) {
            // One byte more than the limit is kept, so that a `\r` ending a line of
            // exactly the limit can still be dropped.
            const qsizetype room = qMax<qsizetype>(0, m_maxBytes + 1 - m_line.size());
            const qsizetype taken = std::min(room, part.size());
            m_line.append(part.first(taken));
            m_overflow += part.size() - taken;
            m_last = part.back();
        }
        if (newline < 0)
            return;
        endLine(sink);
        chunk = chunk.sliced(newline + 1);
    }
}

void LineReader::finish(const Sink &sink)
{
    if (!m_line.isEmpty() || m_overflow > 0)
        endLine(sink);
}

void LineReader::endLine(const Sink &sink)
{
    qint64 total = m_line.size() + m_overflow;
    if (total > 0 && m_last == '\r') {
        --total;
        if (m_overflow == 0)
            m_line.chop(1);
    }
    if (total > m_maxBytes) {
        ++m_linesCut;
        if (m_policy == QLoki::LineLimitPolicy::Reject) {
            // Over the limit, so that the logger refuses the entry and counts it.
            m_bytesCut += quint64(total);
            sink(entryText(m_line.first(qMin(m_line.size(), m_maxBytes + 1))));
        } else {
            const qsizetype markerBytes = marker(total).toUtf8().size();
            qsizetype kept = qMax<qsizetype>(0, m_maxBytes - markerBytes);
            while (kept > 0 && isContinuationByte(m_line.at(kept)))
                --kept;
            m_bytesCut += quint64(total - kept);
            // The marker goes into the bytes, within the limit m_line has room for, so
            // that the line is converted once, to a string of its own size.
            m_line.truncate(kept);
            m_line.append(marker(total - kept).toUtf8());
            sink(entryText(m_line));
        }
    } else if (total > 0) {
        sink(entryText(m_line));
    }
    m_line.resize(0);
    m_overflow = 0;
    m_last = 0;
}
