// SPDX-License-Identifier: MIT
#include "model/labelnames_p.h"

#include <QtCore/QVarLengthArray>

#include <algorithm>

namespace QLoki::detail {

namespace {

constexpr bool isAsciiLetter(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

constexpr bool isAsciiDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

constexpr bool isNameChar(char16_t c)
{
    return isAsciiLetter(c) || isAsciiDigit(c) || c == u'_';
}

bool nameLess(const QPair<QString, QString> &a, const QPair<QString, QString> &b)
{
    return a.first < b.first;
}

} // namespace

bool isValidLabelName(QStringView name)
{
    const qsizetype n = name.size();
    if (n == 0)
        return false;
    const char16_t first = name[0].unicode();
    if (!isAsciiLetter(first) && first != u'_')
        return false;
    if (first == u'_' && n > 1 && name[1] == u'_')
        return false;
    for (qsizetype i = 1; i < n; ++i) {
        if (!isNameChar(name[i].unicode()))
            return false;
    }
    return true;
}

QString sanitizeLabelName(const QString &name)
{
    if (isValidLabelName(name))
        return name;
    if (name.isEmpty())
        return QStringLiteral("_");

    QString out;
    out.reserve(name.size() + 1);
    const qsizetype n = name.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = name[i].unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < n && name[i + 1].isLowSurrogate())
            ++i; // one code point, one replacement
        out += isNameChar(c) ? QChar(c) : QLatin1Char('_');
    }
    if (isAsciiDigit(out[0].unicode()))
        out.prepend(QLatin1Char('_'));
    qsizetype underscores = 0;
    while (underscores < out.size() && out[underscores] == u'_')
        ++underscores;
    if (underscores > 1)
        out.remove(0, underscores - 1);
    return out;
}

QString truncateUtf8(const QString &text, int maxBytes)
{
    if (maxBytes <= 0)
        return QString();
    // No UTF-16 code unit takes more than 3 bytes in UTF-8 (a surrogate pair takes 4 for 2).
    if (text.size() * 3 <= maxBytes)
        return text;
    qsizetype bytes = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = text[i].unicode();
        int width = 3;
        int units = 1;
        if (c < 0x80)
            width = 1;
        else if (c < 0x800)
            width = 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < n && text[i + 1].isLowSurrogate()) {
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

LabelList mergeMetadata(LabelList metadata, const LabelList &extra)
{
    for (const auto &pair : extra) {
        QString name = sanitizeLabelName(pair.first);
        for (;;) {
            const auto pos = std::lower_bound(metadata.cbegin(), metadata.cend(),
                                              QPair<QString, QString>(name, QString()), nameLess);
            if (pos != metadata.cend() && pos->first == name) {
                if (pos->second == pair.second)
                    break;
                // "_" cannot take another '_': "__" is a reserved name.
                name += name == QLatin1String("_") ? QLatin1Char('0') : QLatin1Char('_');
                continue;
            }
            metadata.insert(pos - metadata.cbegin(), {name, pair.second});
            break;
        }
    }
    return metadata;
}

namespace {

enum Layer { StaticLayer = 0, CallLayer = 1, ReservedLayer = 2 };

struct Candidate
{
    QString name;
    const QString *value;
    int layer;
    bool repaired;
    int order;
};

} // namespace

// A lone surrogate as U+FFFD, as WireEntry and the JSON encoder write it in UTF-8 (where
// QString::toUtf8() writes '?'): a stream's labels are then the same text whichever way the
// stream travels, JSON, protobuf or the spool. Allocates only to repair.
static QString withoutLoneSurrogates(QString text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (c.isSurrogate())
            text[i] = QChar(QChar::ReplacementCharacter);
    }
    return text;
}

LabelList streamLabels(const LabelList &reserved, const LabelList &staticLabels,
                       const LabelList &callLabels, const LabelLimits &limits,
                       LabelList *overflow)
{
    QVarLengthArray<Candidate, 32> candidates;
    const auto collect = [&](const LabelList &list, int layer) {
        int order = 0;
        for (const auto &pair : list) {
            if (pair.second.isEmpty())
                continue;
            const bool valid = isValidLabelName(pair.first);
            Candidate c{valid ? pair.first : sanitizeLabelName(pair.first), &pair.second, layer,
                        !valid, order++};
            if (limits.maxNameLength > 0 && c.name.size() > limits.maxNameLength) {
                c.name.truncate(limits.maxNameLength);
                c.repaired = true;
            }
            candidates.append(std::move(c));
        }
    };
    collect(reserved, ReservedLayer);
    collect(staticLabels, StaticLayer);
    collect(callLabels, CallLayer);

    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        if (a.name != b.name)
            return a.name < b.name;
        if (a.layer != b.layer)
            return a.layer > b.layer;
        if (a.repaired != b.repaired)
            return !a.repaired;
        return a.order < b.order;
    });

    QVarLengthArray<const Candidate *, 32> kept;
    QVarLengthArray<const Candidate *, 8> lost;
    for (qsizetype i = 0; i < candidates.size();) {
        qsizetype end = i + 1;
        bool hasCall = candidates[i].layer == CallLayer;
        while (end < candidates.size() && candidates[end].name == candidates[i].name) {
            hasCall = hasCall || candidates[end].layer == CallLayer;
            ++end;
        }
        kept.append(&candidates[i]);
        for (qsizetype j = i + 1; j < end; ++j) {
            if (!(candidates[j].layer == StaticLayer && hasCall))
                lost.append(&candidates[j]);
        }
        i = end;
    }

    if (limits.maxLabelNames > 0 && kept.size() > limits.maxLabelNames) {
        int budget = limits.maxLabelNames;
        for (const Candidate *c : kept)
            budget -= c->layer == ReservedLayer ? 1 : 0;
        QVarLengthArray<const Candidate *, 32> within;
        for (const Candidate *c : kept) {
            if (c->layer == ReservedLayer) {
                within.append(c);
            } else if (budget > 0) {
                within.append(c);
                --budget;
            } else {
                lost.append(c);
            }
        }
        kept = std::move(within);
    }

    LabelList result;
    result.reserve(kept.size());
    for (const Candidate *c : kept) {
        QString value = limits.maxValueLength > 0
                ? truncateUtf8(*c->value, limits.maxValueLength)
                : *c->value;
        result.append({c->name, withoutLoneSurrogates(std::move(value))});
    }

    if (overflow && !lost.isEmpty()) {
        std::stable_sort(lost.begin(), lost.end(), [](const Candidate *a, const Candidate *b) {
            return a->name < b->name;
        });
        overflow->reserve(overflow->size() + lost.size());
        for (const Candidate *c : lost)
            overflow->append({c->name, *c->value});
    }
    return result;
}

} // namespace QLoki::detail
