// SPDX-License-Identifier: MIT
#include "pipeline/batcher_p.h"

#include "model/fieldvalue_p.h"

#include <QtCore/QVarLengthArray>

namespace QLoki::detail {

namespace {

// `context_for=<id>` on an entry of the context ring, `context_id=<id>` on the entry that
// shipped it; the id in 16 hex digits (LokiConfig::contextEntries()).
LabelList contextMetadata(const PendingEntry &entry)
{
    const QString id = QStringLiteral("%1").arg(entry.contextId, 16, 16, QLatin1Char('0'));
    if (entry.contextRole == PendingEntry::ContextRole::Context)
        return {{QStringLiteral("context_for"), id}};
    return {{QStringLiteral("context_id"), id}};
}

} // namespace

Batcher::Batcher(Context context)
    : m_context(std::move(context))
    , m_guard(m_context.maxLabelValues)
{
    for (int i = 0; i < int(m_reservedByLevel.size()); ++i) {
        m_reservedByLevel[i] = {
            {QStringLiteral("app"), m_context.appName},
            {QStringLiteral("environment"), m_context.environment},
            {QStringLiteral("level"), levelName(Level(i))},
        };
    }
}

StreamRef Batcher::intern(LabelList labels)
{
    auto it = m_streams.constFind(labels);
    if (it != m_streams.cend())
        return it.value();
    // Label sets are few by Loki's design; a caller that puts ids into labels must not
    // make this cache grow without bound (entries keep their own reference).
    if (m_streams.size() >= 1024)
        m_streams.clear();
    StreamRef ref(new StreamKey(labels));
    m_streams.insert(std::move(labels), ref);
    return ref;
}

const Batcher::CallSite *Batcher::findCallSite(int level, const LabelList &callLabels) const
{
    for (int i = 0; i < CallSiteCount; ++i) {
        const CallSite &site = m_callSites[(m_lastCallSite + i) % CallSiteCount];
        if (site.stream && site.level == level && site.callLabels == callLabels)
            return &site;
    }
    return nullptr;
}

bool Batcher::resolveQuickly(const PendingEntry &entry, QueuedEntry *out)
{
    if (entry.explicitLabels || entry.contextRole != PendingEntry::ContextRole::None)
        return false;
    const bool quick =
            entry.packed.isEmpty() ? resolveCommon(entry, out) : resolvePacked(entry, out);
    if (quick)
        out->seq = entry.seq;
    return quick;
}

QueuedEntry Batcher::resolve(const PendingEntry &entry)
{
    if (!entry.packed.isEmpty()) {
        QueuedEntry out;
        out.seq = entry.seq;
        if (!entry.explicitLabels && entry.contextRole == PendingEntry::ContextRole::None
            && resolvePacked(entry, &out))
            return out;
        // Else read as the QVariantMap of the same pairs, the general way.
        PendingEntry unpacked = entry;
        if (entry.packed.hasLine())
            unpacked.line = entry.packed.lineText();
        unpacked.fields = entry.packed.unpack();
        unpacked.packed = {};
        return resolve(unpacked);
    }
    QueuedEntry out;
    out.seq = entry.seq;
    // Entries of the context ring and their triggers are few: they take the general way,
    // which adds their id as metadata.
    if (entry.contextRole == PendingEntry::ContextRole::None && resolveCommon(entry, &out))
        return out;

    LabelList callLabels;
    LabelList metadata;
    if (entry.explicitLabels) {
        callLabels.reserve(entry.labels.size());
        for (auto it = entry.labels.cbegin(); it != entry.labels.cend(); ++it)
            callLabels.append({it.key(), it.value()});
        LabelList given;
        for (auto it = entry.fields.cbegin(); it != entry.fields.cend(); ++it)
            given.append({it.key(), renderValue(it.value())});
        // Sanitizes names and keeps two that repair to the same name apart.
        metadata = mergeMetadata({}, given);
    } else if (!entry.fields.isEmpty()) {
        splitFields(entry.fields, &callLabels, &metadata);
    }

    // Label values over the guard's budget travel as metadata under their name.
    LabelList demoted;
    if (m_guard.filter(&callLabels, &demoted, entry.timestampNs))
        metadata = mergeMetadata(std::move(metadata), demoted);

    const int level = int(entry.level);
    const CallSite *site = findCallSite(level, callLabels);
    if (!site) {
        CallSite &slot = m_callSites[m_nextCallSite];
        m_lastCallSite = m_nextCallSite;
        m_nextCallSite = (m_nextCallSite + 1) % CallSiteCount;
        LabelList overflow;
        LabelList labels = streamLabels(m_reservedByLevel[level], m_context.staticLabels,
                                        callLabels, m_context.limits, &overflow);
        slot.stream = intern(std::move(labels));
        slot.level = level;
        slot.callLabels = std::move(callLabels);
        slot.overflow = std::move(overflow);
        site = &slot;
    }
    if (!site->overflow.isEmpty())
        metadata = mergeMetadata(std::move(metadata), site->overflow);
    if (entry.contextRole != PendingEntry::ContextRole::None)
        metadata = mergeMetadata(std::move(metadata), contextMetadata(entry));
    out.stream = site->stream;
    if (m_context.typedMetadata && !metadata.isEmpty()) {
        // A value keeps its kind when it is still the field of that name as given; demoted
        // labels and renamed fields are text.
        QList<ValueKind> kinds;
        kinds.reserve(metadata.size());
        for (const auto &pair : metadata) {
            const auto field = entry.fields.constFind(pair.first);
            ValueKind kind = ValueKind::Text;
            if (field != entry.fields.cend()) {
                kind = valueKind(field.value());
                if (kind != ValueKind::Text && renderValue(field.value()) != pair.second)
                    kind = ValueKind::Text;
            }
            kinds.append(kind);
        }
        out.entry = WireEntry(entry.timestampNs, entry.line, metadata, &kinds);
        return out;
    }
    out.entry = WireEntry(entry.timestampNs, entry.line, metadata);
    return out;
}

int Batcher::build(const QueuedEntry *entries, qsizetype count, PushBatch *batch) const
{
    batch->streams.clear();
    // Streams are found by their shared key first (a pointer comparison; a batch has few
    // streams), by their labels only for a key not seen in this batch yet.
    QVarLengthArray<std::pair<const StreamKey *, int>, 16> byKey;
    QHash<LabelList, int> byLabels;
    qint64 bytes = 0;
    int taken = 0;

    for (qsizetype i = 0; i < count; ++i) {
        const QueuedEntry &entry = entries[i];
        const StreamKey *key = entry.stream.data();
        int stream = -1;
        for (const auto &known : byKey) {
            if (known.first == key) {
                stream = known.second;
                break;
            }
        }
        if (stream < 0) {
            const LabelList &labels = key->labels;
            auto found = byLabels.constFind(labels);
            if (found == byLabels.cend()) {
                stream = int(batch->streams.size());
                byLabels.insert(labels, stream);
                batch->streams.append(WireStream {labels, {}});
            } else {
                stream = found.value();
            }
            if (byKey.size() < 16) // beyond that, labels are the faster way
                byKey.append({key, stream});
        }
        const qint64 size = entry.entry.utf8Size();
        if (taken > 0 && bytes + size > m_context.maxBytes) {
            // This entry belongs to the next batch; a stream it alone opened goes too.
            if (batch->streams[stream].entries.isEmpty())
                batch->streams.removeLast();
            break;
        }
        bytes += size;
        ++taken;
        batch->streams[stream].entries.append(entry.entry);
    }
    return taken;
}

int Batcher::build(const QList<PendingEntry> &entries, PushBatch *batch)
{
    std::vector<QueuedEntry> resolved;
    resolved.reserve(std::size_t(entries.size()));
    for (const PendingEntry &e : entries)
        resolved.push_back(resolve(e));
    return build(resolved.data(), qsizetype(resolved.size()), batch);
}

} // namespace QLoki::detail
