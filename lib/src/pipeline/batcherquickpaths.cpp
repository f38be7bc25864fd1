// SPDX-License-Identifier: MIT
// The Batcher's quick paths: an entry of a known call site, its fields given as a map or as a
// braced list, written straight into its encoded form without the detour through text pairs.
#include "pipeline/batcher_p.h"

#include "encoding/utf8_p.h"
#include "model/fieldvalue_p.h"

#include <QtCore/QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <type_traits>

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
        if (n <= 0) // nothing to copy, and memcpy() wants pointers (the scratch may be none yet)
            return;
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
    // Latin-1 as UTF-8: two bytes for each unit over 0x7F.
    void prefixedLatin1(QLatin1String s)
    {
        qsizetype size = s.size();
        for (const char c : s)
            size += uchar(c) >= 0x80 ? 1 : 0;
        ensure(10 + size);
        char *out = WireEntry::writeVarint(m_buffer.data.get() + m_used, quint64(size));
        for (const char c : s) {
            const auto u = uchar(c);
            if (u < 0x80) {
                *out++ = c;
            } else {
                *out++ = char(0xC0 | (u >> 6));
                *out++ = char(0x80 | (u & 0x3F));
            }
        }
        m_used = out - m_buffer.data.get();
    }
    // Text in the encoding the call gave; false for UTF-8 that is not valid (the general
    // way repairs it).
    bool prefixedAny(QAnyStringView s)
    {
        return s.visit([this](auto v) {
            using View = decltype(v);
            if constexpr (std::is_same_v<View, QStringView>) {
                prefixedText(v);
                return true;
            } else if constexpr (std::is_same_v<View, QLatin1String>) {
                prefixedLatin1(v);
                return true;
            } else {
                if (!v.isValidUtf8())
                    return false;
                prefixedBytes(reinterpret_cast<const char *>(v.data()), v.size());
                return true;
            }
        });
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

// A call's text, in whatever encoding it came, against a QString. 8-bit text that is ASCII
// (a label value given as a literal, mostly) is compared here, unit by unit; the rest by
// QtCore.
bool sameAny(QAnyStringView a, const QString &b)
{
    return a.visit([&b](auto v) {
        if constexpr (std::is_same_v<decltype(v), QStringView>) {
            return sameText(v, b);
        } else {
            if (v.size() != b.size())
                return v.size() > b.size() && QAnyStringView::equal(v, b); // UTF-8 runs longer
            const auto *bytes = reinterpret_cast<const uchar *>(v.data());
            const QChar *units = b.constData();
            for (qsizetype i = 0; i < v.size(); ++i) {
                if (bytes[i] >= 0x80)
                    return QAnyStringView::equal(v, b);
                if (bytes[i] != units[i].unicode())
                    return false;
            }
            return true;
        }
    });
}

// A key given in 8 bits (a C++ literal is UTF-8) that is ASCII, as Latin-1: then its
// UTF-8 is its bytes and it orders as the QString it makes.
bool asciiKey(QAnyStringView key, QLatin1String *out)
{
    return key.visit([out](auto v) {
        if constexpr (std::is_same_v<decltype(v), QStringView>) {
            return false;
        } else {
            const auto *p = reinterpret_cast<const char *>(v.data());
            for (qsizetype i = 0; i < v.size(); ++i) {
                if (uchar(p[i]) >= 0x80)
                    return false;
            }
            *out = QLatin1String(p, v.size());
            return true;
        }
    });
}

// ASCII keys compared as bytes, inline: their byte order is the order the map's QString keys
// take, and QLatin1String's operators call into QtCore for each comparison.
bool sameAscii(QLatin1String a, QLatin1String b)
{
    return a.size() == b.size()
            && (a.isEmpty() || std::memcmp(a.data(), b.data(), std::size_t(a.size())) == 0);
}

bool lessAscii(QLatin1String a, QLatin1String b)
{
    const qsizetype common = qMin(a.size(), b.size());
    const int order = common > 0 ? std::memcmp(a.data(), b.data(), std::size_t(common)) : 0;
    return order < 0 || (order == 0 && a.size() < b.size());
}

bool startsWithAscii(QLatin1String s, QLatin1String prefix)
{
    return s.size() >= prefix.size() && sameAscii(s.first(prefix.size()), prefix);
}

// isValidLabelName() of an ASCII name.
bool isValidAsciiName(QLatin1String name)
{
    if (name.isEmpty())
        return false;
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (!letter(name[0].toLatin1()) && name[0] != QLatin1Char('_'))
        return false;
    if (startsWithAscii(name, QLatin1String("__")))
        return false;
    for (const char c : name) {
        if (!letter(c) && !(c >= '0' && c <= '9') && c != '_')
            return false;
    }
    return true;
}

template<typename Number>
void prefixedNumber(ScratchWriter &w, Number value)
{
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    w.prefixedBytes(text, end - text);
}

} // namespace

// The common case without a detour through text pairs, in one pass over the fields: a
// known call site whose labels are strings and need no repair, metadata with valid names
// and values that are strings or numbers. Returns false, with \a out untouched, for
// anything else (the general way then handles it and learns the call site).
bool Batcher::resolveCommon(const PendingEntry &entry, QueuedEntry *out)
{
    constexpr QStringView labelPrefix = u"label_";
    constexpr QStringView labelsKey = u"labels";
    CallLabels labels;

    ScratchWriter w(m_scratch);
    w.text(entry.line);
    const qsizetype lineBytes = w.used();
    int metadataCount = 0;
    QVarLengthArray<quint8, 16> kinds;
    bool typed = false;
    if (entry.explicitLabels) {
        // Labels and metadata given apart (the message handler's entries): every field is
        // metadata, whatever its name.
        for (auto it = entry.labels.cbegin(); it != entry.labels.cend(); ++it)
            labels.append({it.key(), it.value()});
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
            labels.append({QStringView(key).sliced(labelPrefix.size()), stringOf(value)});
            continue;
        } else if (sameText(key, labelsKey) || !isValidLabelName(key)) {
            return false;
        }
        ++metadataCount;
        w.prefixedText(key);
        if (value.typeId() == QMetaType::QString) {
            w.prefixedText(stringOf(value));
            if (m_context.typedMetadata)
                kinds.append(quint8(ValueKind::Text));
            continue;
        }
        if (m_context.typedMetadata) {
            const ValueKind kind = valueKind(value);
            typed = typed || kind != ValueKind::Text;
            kinds.append(quint8(kind));
        }
        char number[FormattedNumberMax];
        const int n = formatNumberUtf8(value, number);
        if (n >= 0)
            w.prefixedBytes(number, n);
        else
            w.prefixedText(renderValue(value));
    }

    StreamRef stream = claimCallSite(int(entry.level), labels);
    if (!stream)
        return false;
    out->stream = std::move(stream);
    if (typed)
        w.bytes(reinterpret_cast<const char *>(kinds.constData()), kinds.size());
    out->entry = WireEntry::fromEncoded(entry.timestampNs, w.take(), lineBytes, metadataCount);
    return true;
}

// resolveCommon() for a braced field list, read in place: the same entry as the map of
// the same pairs would give, without the map. Keys must be ASCII and given once.
bool Batcher::resolvePacked(const PendingEntry &entry, QueuedEntry *out)
{
    constexpr QLatin1String labelPrefix("label_");
    struct Field
    {
        QLatin1String key;
        PackedFields::View value;
    };
    QVarLengthArray<Field, 8> fields;
    PackedFields::View view;
    for (qsizetype offset = 0; entry.packed.next(&offset, &view);) {
        QLatin1String key;
        if (!asciiKey(view.key, &key))
            return false;
        fields.append({key, view});
    }
    // In the order of the map's keys (a call lists a few fields: insertion sort).
    for (qsizetype i = 1; i < fields.size(); ++i) {
        for (qsizetype j = i; j > 0 && lessAscii(fields[j].key, fields[j - 1].key); --j)
            std::swap(fields[j], fields[j - 1]);
    }
    for (qsizetype i = 1; i < fields.size(); ++i) {
        if (sameAscii(fields[i].key, fields[i - 1].key))
            return false; // the map keeps the last: the general way decides
    }

    CallLabels labels;
    ScratchWriter w(m_scratch);
    if (entry.packed.hasLine())
        w.bytes(entry.packed.line().data(), entry.packed.lineSize);
    else
        w.text(entry.line);
    const qsizetype lineBytes = w.used();
    int metadataCount = 0;
    QVarLengthArray<quint8, 16> kinds; // for OTLP: what each value was (see ValueKind)
    bool typed = false;
    for (const Field &field : fields) {
        const PackedFields::View &f = field.value;
        if (startsWithAscii(field.key, labelPrefix)) {
            if (f.kind != LokiField::Kind::Text)
                return false;
            labels.append({field.key.sliced(labelPrefix.size()), f.text});
            continue;
        }
        if (sameAscii(field.key, QLatin1String("labels")) || !isValidAsciiName(field.key))
            return false;
        w.prefixedBytes(field.key.data(), field.key.size());
        switch (f.kind) {
        case LokiField::Kind::Text:
            if (!w.prefixedAny(f.text))
                return false;
            break;
        case LokiField::Kind::Bool:
            w.prefixedBytes(f.boolean ? "true" : "false", f.boolean ? 4 : 5);
            break;
        case LokiField::Kind::Int:
            prefixedNumber(w, f.integer);
            break;
        case LokiField::Kind::UInt:
            prefixedNumber(w, f.unsignedInteger);
            break;
        case LokiField::Kind::Double: {
            char number[FormattedNumberMax];
            w.prefixedBytes(number, formatDoubleUtf8(f.real, number));
            break;
        }
        case LokiField::Kind::ByteArray:
        case LokiField::Kind::Variant:
            return false;
        }
        ++metadataCount;
        if (m_context.typedMetadata) {
            ValueKind kind = ValueKind::Text;
            switch (f.kind) {
            case LokiField::Kind::Bool:
                kind = ValueKind::Bool;
                break;
            case LokiField::Kind::Int:
            case LokiField::Kind::UInt:
                kind = ValueKind::Int;
                break;
            case LokiField::Kind::Double:
                kind = ValueKind::Double;
                break;
            default:
                break;
            }
            typed = typed || kind != ValueKind::Text;
            kinds.append(quint8(kind));
        }
    }

    StreamRef stream = claimCallSite(int(entry.level), labels);
    if (!stream)
        return false;
    out->stream = std::move(stream);
    if (typed)
        w.bytes(reinterpret_cast<const char *>(kinds.constData()), kinds.size());
    out->entry = WireEntry::fromEncoded(entry.timestampNs, w.take(), lineBytes, metadataCount);
    return true;
}

StreamRef Batcher::claimCallSite(int level, const CallLabels &labels)
{
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
            same = sameAny(labels[j].value, pair.second) && sameAny(labels[j].name, pair.first);
        }
        if (same) {
            m_lastCallSite = index;
            return site.stream;
        }
    }
    return {};
}

} // namespace QLoki::detail
