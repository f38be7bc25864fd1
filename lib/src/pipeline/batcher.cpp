// SPDX-License-Identifier: MIT
#include "pipeline/batcher_p.h"

#include "encoding/utf8_p.h"

#include <QtCore/QVarLengthArray>

#include <cstring>

namespace QLoki::detail {

namespace {

// Writes UTF-8 into a growing scratch buffer; room is ensured before each piece.
class ScratchWriter
{
public:
    explicit ScratchWriter(ScratchBuffer &buffer)
        : m_buffer(buffer)
    { }

    void ensure(qsizetype n)
    {
        if (m_buffer.size - m_used >= n)
            return;
        const qsizetype size = qMax<qsizetype>(m_buffer.size * 2, m_used + n);
        std::unique_ptr<char[]> grown(new char[std::size_t(size)]); // not zeroed
        if (m_used > 0)
            std::memcpy(grown.get(), m_buffer.data.get(), std::size_t(m_used));
        m_buffer.data = std::move(grown);
        m_buffer.size = size;
    }
    void text(QStringView s)
    {
        ensure(3 * s.size());
        m_used = Utf8::write(m_buffer.data.get() + m_used, s) - m_buffer.data.get();
    }
    void bytes(const char *p, qsizetype n)
    {
        ensure(n);
        std::memcpy(m_buffer.data.get() + m_used, p, std::size_t(n));
        m_used += n;
    }
    // A length-prefixed piece: the length is known only once written, so the text goes
    // first and is moved behind its prefix (short metadata values: a few bytes).
    void prefixedText(QStringView s)
    {
        const qsizetype at = m_used;
        ensure(10 + 3 * s.size());
        m_used += 10;
        const qsizetype start = m_used;
        text(s);
        prefixAt(at, start);
    }
    void prefixedBytes(const char *p, qsizetype n)
    {
        ensure(10 + n);
        char *const begin = m_buffer.data.get();
        m_used = WireEntry::writeVarint(begin + m_used, quint64(n)) - begin;
        bytes(p, n);
    }
    SharedBytes take() const { return SharedBytes::copy(m_buffer.data.get(), m_used); }
    qsizetype used() const { return m_used; }

private:
    void prefixAt(qsizetype at, qsizetype start)
    {
        const qsizetype n = m_used - start;
        char prefix[10];
        const qsizetype p = WireEntry::writeVarint(prefix, quint64(n)) - prefix;
        std::memmove(m_buffer.data.get() + at + p, m_buffer.data.get() + start, std::size_t(n));
        std::memcpy(m_buffer.data.get() + at, prefix, std::size_t(p));
        m_used = at + p + n;
    }

    ScratchBuffer &m_buffer;
    qsizetype m_used = 0;
};

const QString &stringOf(const QVariant &v) { return *static_cast<const QString *>(v.constData()); }

// Equality without a call into QtCore: the same shared data (values copied from one
// string, which call labels mostly are) needs no comparison at all. An empty view may have
// no data at all (a null QString), and memcmp() wants pointers even for 0 bytes.
bool sameText(QStringView a, QStringView b)
{
    return a.size() == b.size()
            && (a.isEmpty() || a.utf16() == b.utf16()
                || std::memcmp(a.utf16(), b.utf16(), std::size_t(a.size()) * sizeof(char16_t))
                        == 0);
}

bool hasPrefix(QStringView s, QStringView prefix)
{
    return s.size() >= prefix.size() && sameText(s.first(prefix.size()), prefix);
}

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

QueuedEntry Batcher::resolve(const PendingEntry &entry)
{
    if (!entry.packed.isEmpty()) {
        // A braced field list: read as the QVariantMap of the same pairs.
        PendingEntry unpacked = entry;
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
    out.entry = WireEntry(entry.timestampNs, entry.line, metadata);
    return out;
}

// The common case without a detour through text pairs, in one pass over the fields: a
// known call site whose labels are strings and need no repair, metadata with valid names
// and values that are strings or numbers. Returns false, with \a out untouched, for
// anything else (the general way then handles it and learns the call site).
bool Batcher::resolveCommon(const PendingEntry &entry, QueuedEntry *out)
{
    constexpr QStringView labelPrefix = u"label_";
    constexpr QStringView labelsKey = u"labels";
    struct Label
    {
        QStringView name;
        const QString *value;
    };
    QVarLengthArray<Label, 8> labels;

    ScratchWriter w(m_scratch);
    w.text(entry.line);
    const qsizetype lineBytes = w.used();
    int metadataCount = 0;
    if (entry.explicitLabels) {
        // Labels and metadata given apart (the message handler's entries): every field is
        // metadata, whatever its name.
        for (auto it = entry.labels.cbegin(); it != entry.labels.cend(); ++it)
            labels.append({it.key(), &it.value()});
    }
    for (auto it = entry.fields.cbegin(); it != entry.fields.cend(); ++it) {
        const QString &key = it.key();
        const QVariant &value = it.value();
        if (entry.explicitLabels) {
            if (!isValidLabelName(key))
                return false;
        } else if (hasPrefix(key, labelPrefix)) {
            if (value.typeId() != QMetaType::QString)
                return false;
            labels.append({QStringView(key).sliced(labelPrefix.size()), &stringOf(value)});
            continue;
        } else if (sameText(key, labelsKey) || !isValidLabelName(key)) {
            return false;
        }
        ++metadataCount;
        w.prefixedText(key);
        if (value.typeId() == QMetaType::QString) {
            w.prefixedText(stringOf(value));
            continue;
        }
        char number[FormattedNumberMax];
        const int n = formatNumberUtf8(value, number);
        if (n >= 0)
            w.prefixedBytes(number, n);
        else
            w.prefixedText(renderValue(value));
    }

    const int level = int(entry.level);
    for (int i = 0; i < CallSiteCount; ++i) {
        const int index = (m_lastCallSite + i) % CallSiteCount;
        const CallSite &site = m_callSites[index];
        if (!site.stream || site.level != level || site.callLabels.size() != labels.size()
            || !site.overflow.isEmpty()) {
            continue;
        }
        bool same = true;
        for (qsizetype j = 0; same && j < labels.size(); ++j) {
            const auto &pair = site.callLabels.at(j);
            same = sameText(*labels[j].value, pair.second) && sameText(labels[j].name, pair.first);
        }
        if (!same)
            continue;
        m_lastCallSite = index;
        out->stream = site.stream;
        out->entry = WireEntry::fromEncoded(entry.timestampNs, w.take(), lineBytes, metadataCount);
        return true;
    }
    return false;
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
