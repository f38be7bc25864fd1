// SPDX-License-Identifier: MIT
#include "roundtripmodel.h"

#include <QtCore/QVariant>

#include <algorithm>
#include <cstdlib>

namespace RoundTripModel {

namespace {

constexpr int MaxLabelNames = 15;
constexpr int MaxNameLength = 1024;
constexpr int MaxValueBytes = 2048;

bool isLetter(char16_t c) { return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z'); }
bool isDigit(char16_t c) { return c >= u'0' && c <= u'9'; }
bool isNameChar(char16_t c) { return isLetter(c) || isDigit(c) || c == u'_'; }
bool isHigh(char16_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool isLow(char16_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// sanitizeLabelName() as fields_p.h describes it.
QString sanitize(const QString &name)
{
    if (isValidName(name))
        return name;
    if (name.isEmpty())
        return QStringLiteral("_");
    QString out; // 1. each code point outside [a-zA-Z0-9_] becomes '_'
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        if (isHigh(c) && i + 1 < name.size() && isLow(name.at(i + 1).unicode()))
            ++i;
        out += isNameChar(c) ? QChar(c) : QLatin1Char('_');
    }
    if (isDigit(out.at(0).unicode())) // 2. a leading digit gets a '_' in front
        out.prepend(QLatin1Char('_'));
    qsizetype run = 0; // 3. a leading run of '_' is one '_'
    while (run < out.size() && out.at(run) == QLatin1Char('_'))
        ++run;
    if (run > 1)
        out.remove(0, run - 1);
    return out;
}

// renderValue() for the types the harness passes.
QString render(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString:
        return value.toString();
    case QMetaType::LongLong:
        return QString::number(value.toLongLong());
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::QByteArray:
        return fromUtf8(value.toByteArray());
    default:
        std::abort();
    }
}

// mergeMetadata(): names repaired; a pair already present is skipped, a name taken by
// another value gets '_' appended until it is free ("_" gets "0": "__" is reserved).
void merge(QMap<QString, QString> *metadata, const Pairs &extra)
{
    for (const auto &[rawName, value] : extra) {
        QString name = sanitize(rawName);
        while (metadata->contains(name) && metadata->value(name) != value)
            name += name == QLatin1String("_") ? QLatin1Char('0') : QLatin1Char('_');
        metadata->insert(name, value);
    }
}

// truncateUtf8(): at most \a maxBytes of UTF-8 without splitting a character (a lone
// surrogate counts as the three bytes of U+FFFD).
QString truncated(const QString &text, int maxBytes)
{
    int bytes = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        int width = c < 0x80 ? 1 : (c < 0x800 ? 2 : 3);
        int units = 1;
        if (isHigh(c) && i + 1 < text.size() && isLow(text.at(i + 1).unicode())) {
            width = 4;
            units = 2;
        }
        if (bytes + width > maxBytes)
            return text.left(i);
        bytes += width;
        i += units - 1;
    }
    return text;
}

enum Layer { Static = 0, CallLayer = 1, Reserved = 2 };

struct Candidate
{
    QString name;
    QString value;
    int layer;
    bool repaired;
    int order;
};

// streamLabels() as fields_p.h describes its five repairs; \a overflow receives the pairs
// that lost, by name.
Pairs streamLabels(const Pairs &reserved, const Pairs &staticLabels, const Pairs &callLabels,
                   Pairs *overflow)
{
    QList<Candidate> candidates;
    const auto collect = [&](const Pairs &list, int layer) {
        int order = 0;
        for (const auto &[name, value] : list) {
            if (value.isEmpty()) // 2. an empty value is no label
                continue;
            Candidate c {name, value, layer, false, order++};
            if (!isValidName(name)) { // 1. names sanitized and cut
                c.name = sanitize(name);
                c.repaired = true;
            }
            if (c.name.size() > MaxNameLength) {
                c.name.truncate(MaxNameLength);
                c.repaired = true;
            }
            candidates.append(c);
        }
    };
    collect(reserved, Reserved);
    collect(staticLabels, Static);
    collect(callLabels, CallLayer);

    // 3. one pair per name: reserved over call over static, unrepaired over repaired,
    // then the earlier one; a static label under a call label is replaced, other losers
    // overflow.
    QMap<QString, QList<Candidate>> byName;
    for (const Candidate &c : candidates)
        byName[c.name].append(c);
    QList<Candidate> kept;
    QList<Candidate> lost;
    for (auto &group : byName) {
        std::stable_sort(group.begin(), group.end(), [](const Candidate &a, const Candidate &b) {
            if (a.layer != b.layer)
                return a.layer > b.layer;
            if (a.repaired != b.repaired)
                return !a.repaired;
            return a.order < b.order;
        });
        const bool hasCall = std::any_of(group.cbegin(), group.cend(),
                                         [](const Candidate &c) { return c.layer == CallLayer; });
        kept.append(group.first());
        for (qsizetype i = 1; i < group.size(); ++i) {
            if (!(group.at(i).layer == Static && hasCall))
                lost.append(group.at(i));
        }
    }
    // 4. at most 15 names: the reserved ones, then the others in name order.
    if (kept.size() > MaxLabelNames) {
        int budget = MaxLabelNames
                - int(std::count_if(kept.cbegin(), kept.cend(),
                                    [](const Candidate &c) { return c.layer == Reserved; }));
        QList<Candidate> within;
        for (const Candidate &c : std::as_const(kept)) {
            if (c.layer == Reserved || budget-- > 0)
                within.append(c);
            else
                lost.append(c);
        }
        kept = within;
    }
    Pairs result; // 5. values cut to 2048 bytes
    for (const Candidate &c : std::as_const(kept))
        result.append({c.name, truncated(c.value, MaxValueBytes)});
    std::stable_sort(lost.begin(), lost.end(),
                     [](const Candidate &a, const Candidate &b) { return a.name < b.name; });
    for (const Candidate &c : std::as_const(lost))
        overflow->append({c.name, c.value});
    return result;
}

// appendQuoted() of lineshaping.cpp: JSON's and Go's common escapes.
QByteArray quoted(const QByteArray &text)
{
    QByteArray out("\"");
    for (const char ch : text) {
        const auto c = quint8(ch);
        if (c == '"')
            out += "\\\"";
        else if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20)
            out += "\\u00" + QByteArray::number(c, 16).rightJustified(2, '0');
        else
            out += char(c);
    }
    return out + '"';
}

// A logfmt value: quoted when empty or when it holds a space, a control character, '"',
// '=' or '\'.
QByteArray logfmtValue(const QByteArray &value)
{
    const bool quote = value.isEmpty() || std::any_of(value.cbegin(), value.cend(), [](char c) {
                           return quint8(c) <= ' ' || c == '"' || c == '=' || c == '\\';
                       });
    return quote ? quoted(value) : value;
}

// applyLineLimit() with Truncate: cut at a character boundary, then a marker naming the
// bytes cut, all within \a maxBytes.
QByteArray truncatedLine(const QByteArray &line, int maxBytes)
{
    const auto marker = [](qsizetype cut) -> QByteArray {
        return QByteArray("\xe2\x80\xa6[truncated ") + QByteArray::number(cut) + " bytes]";
    };
    qsizetype kept = qMax<qsizetype>(0, maxBytes - marker(line.size()).size());
    while (kept > 0 && (quint8(line.at(kept)) & 0xC0) == 0x80)
        --kept;
    return line.left(kept) + marker(line.size() - kept);
}

QString nameOfLevel(QLoki::Level level)
{
    static const char *const names[] = {"debug", "info", "warning", "error", "critical"};
    return QString::fromLatin1(names[int(level)]);
}

} // namespace

bool isValidName(const QString &name)
{
    if (name.isEmpty() || !(isLetter(name.at(0).unicode()) || name.at(0) == QLatin1Char('_')))
        return false;
    if (name.startsWith(QLatin1String("__")))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) { return isNameChar(c.unicode()); });
}

QByteArray utf8(const QString &text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (isHigh(char16_t(c)) && i + 1 < text.size() && isLow(text.at(i + 1).unicode()))
            c = 0x10000 + ((c - 0xD800) << 10) + (text.at(++i).unicode() - 0xDC00);
        else if (isHigh(char16_t(c)) || isLow(char16_t(c)))
            c = 0xFFFD;
        if (c < 0x80) {
            out += char(c);
        } else if (c < 0x800) {
            out += char(0xC0 | (c >> 6));
            out += char(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += char(0xE0 | (c >> 12));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        } else {
            out += char(0xF0 | (c >> 18));
            out += char(0x80 | ((c >> 12) & 0x3F));
            out += char(0x80 | ((c >> 6) & 0x3F));
            out += char(0x80 | (c & 0x3F));
        }
    }
    return out;
}

QString fromUtf8(const QByteArray &bytes)
{
    QString out;
    const auto *p = reinterpret_cast<const quint8 *>(bytes.constData());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        const quint8 b = p[i];
        int length = 0;
        char32_t c = 0;
        char32_t minimum = 0;
        if (b < 0x80) {
            length = 1;
            c = b;
        } else if (b >= 0xC0 && b < 0xE0) {
            length = 2;
            c = b & 0x1F;
            minimum = 0x80;
        } else if (b >= 0xE0 && b < 0xF0) {
            length = 3;
            c = b & 0x0F;
            minimum = 0x800;
        } else if (b >= 0xF0 && b < 0xF8) {
            length = 4;
            c = b & 0x07;
            minimum = 0x10000;
        }
        bool valid = length > 0 && i + length <= n;
        for (int k = 1; valid && k < length; ++k) {
            valid = (p[i + k] & 0xC0) == 0x80;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        valid = valid && c >= minimum && c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF);
        if (!valid) {
            out += QChar(0xFFFD);
            ++i;
            continue;
        }
        if (c >= 0x10000) {
            out += QChar(char16_t(0xD800 + ((c - 0x10000) >> 10)));
            out += QChar(char16_t(0xDC00 + ((c - 0x10000) & 0x3FF)));
        } else {
            out += QChar(char16_t(c));
        }
        i += length;
    }
    return out;
}

std::optional<Stored> expected(const Config &config, const Call &call)
{
    // The fields: splitFields(), or labels and metadata given apart.
    Pairs callLabels;
    QMap<QString, QString> metadata;
    if (call.explicitLabels) {
        for (auto it = call.labels.cbegin(); it != call.labels.cend(); ++it)
            callLabels.append({it.key(), it.value()});
        Pairs given;
        for (auto it = call.fields.cbegin(); it != call.fields.cend(); ++it)
            given.append({it.key(), render(it.value())});
        merge(&metadata, given);
    } else {
        Pairs repaired;
        QVariantMap labelMap;
        for (auto it = call.fields.cbegin(); it != call.fields.cend(); ++it) {
            if (it.key().startsWith(QLatin1String("label_")))
                callLabels.append({it.key().mid(6), render(it.value())});
            else if (it.key() == QLatin1String("labels")
                     && it.value().typeId() == QMetaType::QVariantMap)
                labelMap = it.value().toMap();
            else if (isValidName(it.key()))
                metadata.insert(it.key(), render(it.value()));
            else
                repaired.append({it.key(), render(it.value())});
        }
        // A label_<name> key wins over the same name in the map.
        const Pairs prefixed = callLabels;
        for (auto it = labelMap.cbegin(); it != labelMap.cend(); ++it) {
            if (std::none_of(prefixed.cbegin(), prefixed.cend(),
                             [&](const auto &pair) { return pair.first == it.key(); }))
                callLabels.append({it.key(), render(it.value())});
        }
        std::stable_sort(callLabels.begin(), callLabels.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        merge(&metadata, repaired);
    }

    const Pairs reserved {{QStringLiteral("app"), config.appName},
                          {QStringLiteral("environment"), config.environment},
                          {QStringLiteral("level"), nameOfLevel(call.level)}};
    Pairs overflow;
    const Pairs labels = streamLabels(reserved, config.staticLabels, callLabels, &overflow);
    merge(&metadata, overflow);

    Stored stored;
    for (const auto &[name, value] : labels)
        stored.labels.append({utf8(name), utf8(value)});
    stored.line = utf8(call.line);
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
        stored.metadata.append({utf8(it.key()), utf8(it.value())});

    // Metadata moved into the line for a server without structured metadata.
    if (!stored.metadata.isEmpty() && config.metadataMode == QLoki::MetadataMode::Logfmt) {
        for (const auto &[name, value] : std::as_const(stored.metadata))
            stored.line += ' ' + name + '=' + logfmtValue(value);
        stored.metadata.clear();
    } else if (!stored.metadata.isEmpty() && config.metadataMode == QLoki::MetadataMode::Json) {
        QByteArray line = "{\"msg\":" + quoted(stored.line);
        for (const auto &[name, value] : std::as_const(stored.metadata))
            line += ',' + quoted(name) + ':' + quoted(value);
        stored.line = line + '}';
        stored.metadata.clear();
    }

    if (stored.line.size() > config.maxLineBytes) {
        if (config.lineLimitPolicy == QLoki::LineLimitPolicy::Reject)
            return std::nullopt;
        stored.line = truncatedLine(stored.line, config.maxLineBytes);
    }
    return stored;
}

} // namespace RoundTripModel
