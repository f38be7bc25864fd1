// SPDX-License-Identifier: MIT
#include "pipeline/lineshaping_p.h"

namespace QLoki::detail {

bool hasMetadata(const PushBatch &batch)
{
    for (const WireStream &stream : batch.streams) {
        for (const WireEntry &entry : stream.entries) {
            if (entry.hasMetadata())
                return true;
        }
    }
    return false;
}

// Appends \a text in double quotes with Go-style escapes; logfmt and JSON agree on these.
// The text is valid UTF-8 (see WireEntry): bytes from 0x80 up pass as they are.
static void appendQuoted(QByteArray *out, QByteArrayView text)
{
    static const char hex[] = "0123456789abcdef";
    *out += '"';
    for (const char ch : text) {
        const quint8 c = quint8(ch);
        switch (c) {
        case '"':
            *out += "\\\"";
            break;
        case '\\':
            *out += "\\\\";
            break;
        case '\n':
            *out += "\\n";
            break;
        case '\r':
            *out += "\\r";
            break;
        case '\t':
            *out += "\\t";
            break;
        default:
            if (c < 0x20) {
                const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
                out->append(escaped, sizeof escaped);
            } else {
                *out += char(c);
            }
        }
    }
    *out += '"';
}

void appendLogfmtValue(QByteArray *out, QByteArrayView value)
{
    bool quote = value.isEmpty();
    for (const char ch : value) {
        const quint8 c = quint8(ch);
        if (c <= ' ' || c == '"' || c == '=' || c == '\\') {
            quote = true;
            break;
        }
    }
    if (quote)
        appendQuoted(out, value);
    else
        out->append(value);
}

void embedMetadata(PushBatch *batch, MetadataMode mode)
{
    if (mode != MetadataMode::Logfmt && mode != MetadataMode::Json)
        return;
    for (WireStream &stream : batch->streams) {
        for (WireEntry &entry : stream.entries) {
            if (!entry.hasMetadata())
                continue;
            QByteArray line;
            line.reserve(entry.utf8Size() + 8 * entry.metadataCount() + 16);
            if (mode == MetadataMode::Logfmt) {
                line.append(entry.line());
                entry.forEachMetadata([&line](QByteArrayView name, QByteArrayView value) {
                    line += ' ';
                    line.append(name);
                    line += '=';
                    appendLogfmtValue(&line, value);
                });
            } else {
                line += "{\"msg\":";
                appendQuoted(&line, entry.line());
                entry.forEachMetadata([&line](QByteArrayView name, QByteArrayView value) {
                    line += ',';
                    appendQuoted(&line, name);
                    line += ':';
                    appendQuoted(&line, value);
                });
                line += '}';
            }
            entry.setLineWithoutMetadata(line);
        }
    }
}

// The length of the longest prefix of \a utf8 of at most \a maxBytes that does not split
// a character.
static qsizetype utf8Prefix(QByteArrayView utf8, qsizetype maxBytes)
{
    if (maxBytes >= utf8.size())
        return utf8.size();
    qsizetype n = qMax<qsizetype>(0, maxBytes);
    while (n > 0 && (quint8(utf8[n]) & 0xC0) == 0x80)
        --n;
    return n;
}

LineLimitResult applyLineLimit(PushBatch *batch, int maxBytes, LineLimitPolicy policy)
{
    LineLimitResult result;
    for (WireStream &stream : batch->streams) {
        for (auto it = stream.entries.begin(); it != stream.entries.end();) {
            const qint64 bytes = it->line().size();
            if (bytes <= maxBytes) {
                ++it;
                continue;
            }
            if (policy == LineLimitPolicy::Reject) {
                it = stream.entries.erase(it);
                ++result.rejected;
                continue;
            }
            // The marker names what was cut, so a reader knows the line is incomplete.
            QByteArray marker = QStringLiteral("\u2026[truncated %1 bytes]").arg(bytes).toUtf8();
            const int room = qMax(0, maxBytes - int(marker.size()));
            const qsizetype kept = utf8Prefix(it->line(), room);
            marker = QStringLiteral("\u2026[truncated %1 bytes]").arg(bytes - kept).toUtf8();
            QByteArray line;
            line.reserve(kept + marker.size());
            line.append(it->line().first(kept));
            line.append(marker);
            it->setLine(line);
            ++result.truncated;
            ++it;
        }
    }
    batch->streams.removeIf([](const WireStream &s) { return s.entries.isEmpty(); });
    return result;
}

// UTF-8 bytes of one UTF-16 unit at \a i of \a text, and how many units it takes (a lone
// surrogate becomes U+FFFD, three bytes, as WireEntry writes it).
static int utf8Bytes(QStringView text, qsizetype i, int *units)
{
    *units = 1;
    const char16_t c = text[i].unicode();
    if (c < 0x80)
        return 1;
    if (c < 0x800)
        return 2;
    if (QChar::isHighSurrogate(c) && i + 1 < text.size() && QChar::isLowSurrogate(text[i + 1].unicode())) {
        *units = 2;
        return 4;
    }
    return 3;
}

bool limitLine(QString *line, int maxBytes, LineLimitPolicy policy)
{
    if (surelyFits(line->size(), maxBytes))
        return true;
    const QStringView text(*line);
    qint64 total = 0;
    for (qsizetype i = 0; i < text.size();) {
        int units = 1;
        total += utf8Bytes(text, i, &units);
        i += units;
    }
    if (total <= maxBytes)
        return true;
    if (policy == LineLimitPolicy::Reject)
        return false;
    // The same marker as applyLineLimit(): it names the bytes cut.
    QString marker = QStringLiteral("\u2026[truncated %1 bytes]").arg(total);
    const qint64 room = qMax<qint64>(0, maxBytes - marker.toUtf8().size());
    qint64 kept = 0;
    qsizetype keptUnits = 0;
    while (keptUnits < text.size()) {
        int units = 1;
        const int bytes = utf8Bytes(text, keptUnits, &units);
        if (kept + bytes > room)
            break;
        kept += bytes;
        keptUnits += units;
    }
    marker = QStringLiteral("\u2026[truncated %1 bytes]").arg(total - kept);
    QString cut;
    cut.reserve(keptUnits + marker.size());
    cut.append(text.first(keptUnits));
    cut.append(marker);
    *line = std::move(cut);
    return true;
}

} // namespace QLoki::detail
