// SPDX-License-Identifier: MIT
#include "pipeline/batcher_p.h"

#include "encoding/utf8_p.h"

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
    // Exactly what the encoders will write (a lone surrogate becomes 3-byte U+FFFD).
    return Utf8::size(s);
}

int Batcher::build(const QList<PendingEntry> &entries, PushBatch *batch) const
{
    batch->streams.clear();
    QHash<LabelList, int> streamIndex;
    qint64 bytes = 0;
    int taken = 0;
    LabelList callLabels;
    LabelList overflow;
    // Consecutive entries mostly share level and call labels (the same call site):
    // their stream is resolved once, not per entry.
    LabelList previousCall;
    int previousLevel = -1;
    int previousStream = -1;
    LabelList previousOverflow;

    for (const PendingEntry &entry : entries) {
        WireEntry wire;
        wire.timestampNs = entry.timestampNs;
        wire.line = entry.line;
        callLabels.clear();
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

        int stream = -1;
        if (previousStream >= 0 && int(entry.level) == previousLevel && callLabels == previousCall) {
            stream = previousStream;
            overflow = previousOverflow;
        } else {
            overflow.clear();
            LabelList labels = streamLabels(m_reservedByLevel[int(entry.level)],
                                            m_context.staticLabels, callLabels,
                                            m_context.limits, &overflow);
            auto found = streamIndex.constFind(labels);
            if (found == streamIndex.cend()) {
                stream = int(batch->streams.size());
                streamIndex.insert(labels, stream);
                batch->streams.append(WireStream{std::move(labels), {}});
            } else {
                stream = found.value();
            }
            previousStream = stream;
            previousLevel = int(entry.level);
            previousCall = callLabels;
            previousOverflow = overflow;
        }
        if (!overflow.isEmpty())
            wire.metadata = mergeMetadata(std::move(wire.metadata), overflow);

        qint64 size = utf8Length(wire.line);
        for (const auto &m : std::as_const(wire.metadata))
            size += utf8Length(m.first) + utf8Length(m.second);
        if (taken > 0 && bytes + size > m_context.maxBytes) {
            // This entry belongs to the next batch; a stream it alone opened goes too.
            if (batch->streams[stream].entries.isEmpty())
                batch->streams.removeLast();
            break;
        }
        bytes += size;
        ++taken;
        batch->streams[stream].entries.append(std::move(wire));
    }
    return taken;
}

} // namespace QLoki::detail
