// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiTypes>

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <functional>

/*!
    Splits standard input into entries as it is read, chunk by chunk, and never holds
    more than one line's worth of bytes (LokiConfig::maxLineBytes() plus one): a stream
    without a newline costs no more than the limit.

    A line is what ends at `\n` (a `\r` before it is dropped) or at the end of input;
    empty lines are skipped. A line longer than the limit is handled as the logger would
    handle it, but with the true length, which the logger never sees:
    - QLoki::LineLimitPolicy::Truncate: cut at a character boundary and ended with the
      logger's marker `…[truncated N bytes]` (N the bytes left out), within the limit;
    - QLoki::LineLimitPolicy::Reject: handed on one byte over the limit, so that the
      logger refuses it and counts it as dropped (DropReason::Invalid).
    The rest of such a line, up to its newline, is read and counted, never kept.
*/
class LineReader
{
public:
    using Sink = std::function<void(const QString &line)>;

    LineReader(int maxLineBytes, QLoki::LineLimitPolicy policy);

    //! Reads \a chunk; \a sink gets every line it completes, in order.
    void feed(QByteArrayView chunk, const Sink &sink);
    //! The end of input: \a sink gets the last line when it had no newline.
    void finish(const Sink &sink);

    //! Lines longer than the limit (cut or, with Reject, refused).
    quint64 linesCut() const { return m_linesCut; }
    //! Bytes of those lines that were not sent.
    quint64 bytesCut() const { return m_bytesCut; }
    //! Bytes held for the line being read; never more than the limit plus one.
    qsizetype bytesHeld() const { return m_line.size(); }

private:
    void endLine(const Sink &sink);

    const qsizetype m_maxBytes;
    const QLoki::LineLimitPolicy m_policy;
    QByteArray m_line;
    //! Bytes of the current line beyond what m_line holds.
    qint64 m_overflow = 0;
    //! The last byte of the current line, for a `\r` that m_line no longer holds.
    char m_last = 0;
    quint64 m_linesCut = 0;
    quint64 m_bytesCut = 0;
};
