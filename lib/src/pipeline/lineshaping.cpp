// SPDX-License-Identifier: MIT
#include "pipeline/lineshaping_p.h"

#include "model/fields_p.h"
#include "encoding/utf8_p.h"

namespace QLoki::detail {

bool hasMetadata(const PushBatch &batch)
{
    for (const WireStream &stream : batch.streams) {
        for (const WireEntry &entry : stream.entries) {
            if (!entry.metadata.isEmpty())
                return true;
        }
    }
    return false;
}

// Appends \a text in double quotes with Go-style escapes; logfmt and JSON agree on these.
static void appendQuoted(QString *out, QStringView text)
{
    *out += QLatin1Char('"');
    for (QChar c : text) {
        switch (c.unicode()) {
        case '"': *out += QLatin1String("\\\""); break;
        case '\\': *out += QLatin1String("\\\\"); break;
        case '\n': *out += QLatin1String("\\n"); break;
        case '\r': *out += QLatin1String("\\r"); break;
        case '\t': *out += QLatin1String("\\t"); break;
        default:
            if (c.unicode() < 0x20)
                *out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                *out += c; // the encoders write valid UTF-8 (lone surrogates become U+FFFD)
        }
    }
    *out += QLatin1Char('"');
}

QString logfmtValue(const QString &value)
{
    bool quote = value.isEmpty();
    for (QChar c : value) {
        if (c.unicode() <= ' ' || c == QLatin1Char('"') || c == QLatin1Char('=')
            || c == QLatin1Char('\\')) {
            quote = true;
            break;
        }
    }
    if (!quote)
        return value;
    QString out;
    out.reserve(value.size() + 2);
    appendQuoted(&out, value);
    return out;
}

void embedMetadata(PushBatch *batch, MetadataMode mode)
{
    if (mode != MetadataMode::Logfmt && mode != MetadataMode::Json)
        return;
    for (WireStream &stream : batch->streams) {
        for (WireEntry &entry : stream.entries) {
            if (entry.metadata.isEmpty())
                continue;
            QString line;
            if (mode == MetadataMode::Logfmt) {
                line = entry.line;
                for (const auto &pair : std::as_const(entry.metadata))
                    line += QLatin1Char(' ') + pair.first + QLatin1Char('=') + logfmtValue(pair.second);
            } else {
                line = QStringLiteral("{\"msg\":");
                appendQuoted(&line, entry.line);
                for (const auto &pair : std::as_const(entry.metadata)) {
                    line += QLatin1Char(',');
                    appendQuoted(&line, pair.first);
                    line += QLatin1Char(':');
                    appendQuoted(&line, pair.second);
                }
                line += QLatin1Char('}');
            }
            entry.line = line;
            entry.metadata.clear();
        }
    }
}

LineLimitResult applyLineLimit(PushBatch *batch, int maxBytes, LineLimitPolicy policy)
{
    LineLimitResult result;
    for (WireStream &stream : batch->streams) {
        for (auto it = stream.entries.begin(); it != stream.entries.end();) {
            const qint64 bytes = Utf8::size(it->line);
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
            QString marker = QStringLiteral("\u2026[truncated %1 bytes]").arg(bytes);
            const int room = qMax(0, maxBytes - int(Utf8::size(marker)));
            QString cut = truncateUtf8(it->line, room);
            marker = QStringLiteral("\u2026[truncated %1 bytes]")
                         .arg(bytes - Utf8::size(cut));
            it->line = cut + marker;
            ++result.truncated;
            ++it;
        }
    }
    batch->streams.removeIf([](const WireStream &s) { return s.entries.isEmpty(); });
    return result;
}

} // namespace QLoki::detail
