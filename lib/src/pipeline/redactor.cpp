// SPDX-License-Identifier: MIT
// The Redactor applied to text and entries; its built-in rules are in redactionbuiltins.cpp,
// their pre-check in redactionrules.cpp.
#include "pipeline/redactor_p.h"

#include "model/fieldvalue_p.h"

#include <QtCore/QAssociativeIterable>
#include <QtCore/QVarLengthArray>

#include <algorithm>
#include <utility>

namespace QLoki::detail {

Redactor::Redactor(bool builtIn, const QList<Redaction> &rules, const QString &replacement)
    : m_builtIn(builtIn)
    , m_replacement(replacement)
{
    if (m_builtIn)
        m_builtInRules = builtInRules();
    for (const Redaction &rule : rules) {
        // A pattern of its own: compiled and optimised here, matched on this thread only.
        QRegularExpression pattern(rule.pattern.pattern(), rule.pattern.patternOptions());
        if (!pattern.isValid() || pattern.pattern().isEmpty())
            continue;
        pattern.optimize();
        const bool literal = rule.replacement.isNull();
        m_rules.push_back({pattern, literal ? replacement : rule.replacement, literal});
    }
}

Redactor::~Redactor() = default;

bool Redactor::redactText(QString *text) const
{
    if (text->isEmpty())
        return false;
    return redactText(text, m_builtIn ? candidates(*text) : 0);
}

bool Redactor::redactText(QString *text, quint32 families) const
{
    if (text->isEmpty())
        return false;
    bool changed = false;
    // A replacement can join what was around a secret into a shape of another rule: once the
    // value of `"password":"a…/…"` is gone, `s://u:p…@host` around it is a URL with
    // credentials. What changed is read again, until nothing does, so that redacting
    // redacted text changes nothing (fuzz_redactor holds it).
    // With the pre-check, a rule that changed the text has the families read again at once,
    // so that the rules after it in the same pass are those AllFamilies would run: a rule the
    // change made possible (the URL of the example) runs in this pass, as without the
    // pre-check, not after the earlier rules ran again in the next.
    constexpr int MaxPasses = 8;
    const bool prechecked = families != AllFamilies;
    for (int pass = 0; m_builtIn && families != 0 && pass < MaxPasses; ++pass) {
        bool changedNow = false;
        for (const BuiltInRule &rule : m_builtInRules) {
            if ((families & rule.family)
                && apply(rule.pattern, rule.secretGroup, rule.accept, text)) {
                changedNow = true;
                if (prechecked)
                    families = candidates(*text);
            }
        }
        if (!changedNow)
            break;
        changed = true;
    }
    for (const UserRule &rule : m_rules)
        changed |= applyUser(rule, text);
    return changed;
}

bool Redactor::apply(const QRegularExpression &pattern, int group, bool (*accept)(QStringView),
                     QString *text) const
{
    QRegularExpressionMatchIterator it = pattern.globalMatch(*text);
    if (!it.hasNext())
        return false;
    const QStringView source(*text);
    QString out;
    qsizetype copied = 0;
    bool replaced = false;
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        const qsizetype start = match.capturedStart(group);
        const qsizetype end = match.capturedEnd(group);
        if (start < 0 || end <= start)
            continue;
        const QStringView secret = source.sliced(start, end - start);
        // Already redacted (by an earlier rule, or in a line logged twice): left as it is.
        // A value that stops before the end of the replacement (`[REDACTED` of
        // `password=[REDACTED]`, where `]` ends a bare value) is part of it.
        if (!m_replacement.isEmpty() && end - start <= m_replacement.size()
            && source.sliced(start).startsWith(m_replacement)) {
            continue;
        }
        if (accept && !accept(secret))
            continue;
        if (!replaced)
            out.reserve(text->size());
        replaced = true;
        out.append(source.sliced(copied, start - copied));
        out.append(m_replacement);
        copied = end;
    }
    if (!replaced)
        return false;
    out.append(source.sliced(copied));
    *text = std::move(out);
    return true;
}

bool Redactor::applyUser(const UserRule &rule, QString *text) const
{
    if (rule.literal)
        return apply(rule.pattern, 0, nullptr, text);
    // QString::replace() substitutes \1 … \99; it changes nothing without a match.
    if (!rule.pattern.match(*text).hasMatch())
        return false;
    text->replace(rule.pattern, rule.replacement);
    return true;
}

bool Redactor::redactValue(QStringView name, const QVariant &value, QVariant *out) const
{
    if (isSecretName(name)) {
        if (value.isNull() || !value.isValid())
            return false;
        const QString text = renderValue(value);
        if (text.isEmpty() || text == m_replacement)
            return false;
        *out = m_replacement;
        return true;
    }
    switch (value.typeId()) {
    case QMetaType::QString: {
        // Read in place: most values are short and clean, and pass the pre-check.
        const QString &held = *static_cast<const QString *>(value.constData());
        if (held.isEmpty() || (m_rules.empty() && (!m_builtIn || candidates(held) == 0)))
            return false;
        QString text = held;
        if (!redactText(&text))
            return false;
        *out = std::move(text);
        return true;
    }
    case QMetaType::QVariantMap: {
        const QVariantMap map = value.toMap();
        return redactMap(map, out);
    }
    case QMetaType::QVariantHash: {
        const QVariantHash hash = value.toHash();
        QVariantHash redacted;
        for (auto it = hash.cbegin(); it != hash.cend(); ++it) {
            QVariant v;
            if (redactValue(it.key(), it.value(), &v)) {
                if (redacted.isEmpty())
                    redacted = hash;
                redacted.insert(it.key(), v);
            }
        }
        if (redacted.isEmpty())
            return false;
        *out = redacted;
        return true;
    }
    // Values that cannot hold a secret.
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::SChar:
    case QMetaType::UChar:
    case QMetaType::QChar:
    case QMetaType::Double:
    case QMetaType::Float:
    case QMetaType::QDate:
    case QMetaType::QTime:
    case QMetaType::QDateTime:
        return false;
    default: {
        // Other associative containers (a QMap<QString, QString> as `labels`) stay maps.
        if (value.canView<QAssociativeIterable>() && value.canConvert<QVariantMap>())
            return redactMap(value.toMap(), out);
        // Anything else (byte arrays, lists, types with a debug stream) as it will be sent.
        QString text = renderValue(value);
        if (!redactText(&text))
            return false;
        *out = std::move(text);
        return true;
    }
    }
}

bool Redactor::redactMap(const QVariantMap &map, QVariant *out) const
{
    QVariantMap redacted;
    for (auto it = map.cbegin(); it != map.cend(); ++it) {
        QVariant v;
        if (redactValue(it.key(), it.value(), &v)) {
            if (redacted.isEmpty())
                redacted = map;
            redacted.insert(it.key(), v);
        }
    }
    if (redacted.isEmpty())
        return false;
    *out = redacted;
    return true;
}

bool Redactor::packedMayHoldSecrets(const PackedFields &packed) const
{
    if (!m_rules.empty())
        return true; // the application's rules have no pre-check
    // Keys and texts are read as they were packed: UTF-16, Latin-1 or UTF-8.
    const auto secretName = [](QAnyStringView key) {
        return key.visit([](auto v) { return isSecretName(v); });
    };
    const auto mayMatch = [](QAnyStringView text) {
        return text.visit([](auto v) { return candidates(v) != 0; });
    };
    PackedFields::View field;
    for (qsizetype offset = 0; packed.next(&offset, &field);) {
        if (secretName(field.key))
            return true;
        switch (field.kind) {
        case LokiField::Kind::Text:
            if (mayMatch(field.text))
                return true;
            break;
        case LokiField::Kind::ByteArray:
        case LokiField::Kind::Variant:
            return true; // read the general way
        default:
            break; // numbers and booleans have no secret's shape
        }
    }
    return false;
}

bool Redactor::checksWhenEncoded(const PendingEntry &entry) const
{
    // An empty replacement can leave a shape that a second pass takes (`token= token=x`):
    // then the call site's labels are no proof, and every entry goes the general way.
    return m_builtIn && m_rules.empty() && !m_replacement.isEmpty() && entry.labels.isEmpty()
            && (!entry.packed.isEmpty() || entry.fields.isEmpty());
}

bool Redactor::mayHoldSecrets(const WireEntry &entry)
{
    bool nonAscii = false;
    if (candidatesOfAscii(entry.storage(), &nonAscii) != 0)
        return true;
    const auto utf8 = [](QByteArrayView bytes) {
        return QUtf8StringView(bytes.data(), bytes.size());
    };
    // Beyond ASCII each text is read as UTF-8 on its own (the length prefixes are not text).
    bool found = nonAscii && candidates(utf8(entry.line())) != 0;
    entry.forEachMetadata([&](QByteArrayView name, QByteArrayView value) {
        found = found || isSecretName(utf8(name)) || (nonAscii && candidates(utf8(value)) != 0);
    });
    return found;
}

bool Redactor::redactEntry(PendingEntry *entry) const
{
    if (entry->packed.hasLine()) {
        entry->line = entry->packed.lineText();
        entry->packed.dropLine();
    }
    bool changed = redactText(&entry->line);
    if (!entry->packed.isEmpty()) {
        // A braced field list stays packed (and resolved in place) unless a field may hold
        // a secret.
        if (!packedMayHoldSecrets(entry->packed))
            return changed;
        entry->fields = entry->packed.unpack();
        entry->packed = {};
    }
    // Read without detaching: the map is mostly shared with the caller's, and mostly clean.
    QVarLengthArray<std::pair<QString, QVariant>, 4> fields;
    for (auto it = entry->fields.cbegin(); it != entry->fields.cend(); ++it) {
        QVariant v;
        if (redactValue(it.key(), it.value(), &v))
            fields.append({it.key(), std::move(v)});
    }
    for (auto &[key, v] : fields)
        entry->fields.insert(key, std::move(v));
    QVarLengthArray<std::pair<QString, QString>, 4> labels;
    for (auto it = entry->labels.cbegin(); it != entry->labels.cend(); ++it) {
        QVariant v;
        if (redactValue(it.key(), it.value(), &v))
            labels.append({it.key(), v.toString()});
    }
    for (auto &[key, v] : labels)
        entry->labels.insert(key, std::move(v));
    return changed || !fields.isEmpty() || !labels.isEmpty();
}

} // namespace QLoki::detail
