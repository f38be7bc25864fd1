// SPDX-License-Identifier: MIT
#include "pipeline/batcher_p.h"

#include <QtCore/QHash>

namespace QLoki::detail {

Batcher::Batcher(Context context)
    : m_context(std::move(context))
{
    for (int i = 0; i < int(m_reservedByLevel.size()); ++i) {
        m_reservedByLevel[i] = {
            {QStringLiteral("app"), m_context.appName},
            {QStringLiteral("environment"), m_context.environment},
            {QStringLiteral("level"), levelName(Level(i))},
        };
    }
}

qint64 Batcher::utf8Length(const QString &s)
{
    qint64 n = 0;
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        // A surrogate pair is 4 bytes in UTF-8, 2 per half; a lone one becomes U+FFFD (3).
        n += u < 0x80 ? 1 : u < 0x800 ? 2 : c.isSurrogate() ? 2 : 3;
    }
    return n;
}

int Batcher::build(const QList<PendingEntry> &entries, PushBatch *batch) const
{
    batch->streams.clear();
    QHash<LabelList, int> streamIndex;
    qint64 bytes = 0;
    int taken = 0;
    LabelList callLabels;
    LabelList overflow;

    for (const PendingEntry &entry : entries) {
        WireEntry wire;
        wire.timestampNs = entry.timestampNs;
        wire.line = entry.line;
        callLabels.clear();
        overflow.clear();
        if (entry.explicitLabels) {
            for (auto it = entry.labels.cbegin(); it != entry.labels.cend(); ++it)
                callLabels.append({it.key(), it.value()});
            LabelList metadata;
            for (auto it = entry.fields.cbegin(); it != entry.fields.cend(); ++it)
                metadata.append({it.key(), renderValue(it.value())});
            // Sanitizes names and keeps two that repair to the same name apart.
            wire.metadata = mergeMetadata({}, metadata);
        } else if (!entry.fields.isEmpty()) {
            splitFields(entry.fields, &callLabels, &wire.metadata);
        }
        LabelList labels = streamLabels(m_reservedByLevel[int(entry.level)],
                                        m_context.staticLabels, callLabels, m_context.limits,
                                        &overflow);
        if (!overflow.isEmpty())
            wire.metadata = mergeMetadata(std::move(wire.metadata), overflow);

        qint64 size = utf8Length(wire.line);
        for (const auto &m : std::as_const(wire.metadata))
            size += utf8Length(m.first) + utf8Length(m.second);
        if (taken > 0 && bytes + size > m_context.maxBytes)
            break;
        bytes += size;
        ++taken;

        auto found = streamIndex.constFind(labels);
        if (found == streamIndex.cend()) {
            found = streamIndex.insert(labels, int(batch->streams.size()));
            batch->streams.append(WireStream{std::move(labels), {}});
        }
        batch->streams[found.value()].entries.append(std::move(wire));
    }
    return taken;
}

} // namespace QLoki::detail
