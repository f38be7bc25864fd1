// SPDX-License-Identifier: MIT
#include "model/fields_p.h"

#include "encoding/utf8_p.h"

#include <QtCore/QAssociativeIterable>
#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QDebug>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QSequentialIterable>
#include <QtCore/QTime>
#include <QtCore/QUrl>
#include <QtCore/QVarLengthArray>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

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

// std::to_chars gives the shortest digits that read back to the same value; only the
// layout (fixed or scientific) is chosen here, with Python's repr() thresholds.
template<typename Float>
int formatFloatChars(Float value, char *out)
{
    const auto copy = [out](const char *text) {
        const int n = int(std::strlen(text));
        std::memcpy(out, text, std::size_t(n));
        return n;
    };
    if (std::isnan(value))
        return copy("NaN");
    if (std::isinf(value))
        return copy(value > 0 ? "+Inf" : "-Inf");

    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    const char *end = res.ptr;
    const char *e = std::find(static_cast<const char *>(buf), end, 'e');
    int exponent = 0;
    const char *exponentStart = e + 1;
    if (exponentStart != end && *exponentStart == '+')
        ++exponentStart; // from_chars does not accept a plus sign
    std::from_chars(exponentStart, end, exponent);
    if (exponent < -4 || exponent >= 16) {
        std::memcpy(out, buf, std::size_t(end - buf));
        return int(end - buf);
    }

    const char *p = buf;
    char *o = out;
    if (*p == '-') {
        *o++ = '-';
        ++p;
    }
    char digits[32];
    int n = 0;
    for (; p != e; ++p) {
        if (*p != '.')
            digits[n++] = *p;
    }
    if (exponent >= 0) {
        const int intDigits = exponent + 1;
        for (int i = 0; i < intDigits; ++i)
            *o++ = i < n ? digits[i] : '0';
        if (n > intDigits) {
            *o++ = '.';
            for (int i = intDigits; i < n; ++i)
                *o++ = digits[i];
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -exponent - 1; ++i)
            *o++ = '0';
        for (int i = 0; i < n; ++i)
            *o++ = digits[i];
    }
    return int(o - out);
}

template<typename Float>
QString formatFloat(Float value)
{
    char buf[FormattedNumberMax];
    return QString::fromLatin1(buf, formatFloatChars(value, buf));
}

QString formatDateTime(QDateTime dt)
{
    if (!dt.isValid())
        return QString();
    // Qt writes no offset for local time; a fixed offset keeps the instant unambiguous.
    if (dt.timeSpec() != Qt::UTC) {
        const int offset = dt.offsetFromUtc();
        dt = offset == 0 ? dt.toUTC() : dt.toOffsetFromUtc(offset);
    }
    return dt.toString(Qt::ISODateWithMs);
}

bool isSequentialContainer(const QMetaType &type)
{
    switch (type.id()) {
    case QMetaType::QString:
    case QMetaType::QByteArray:
        return false; // Qt can view these as sequences of characters, which is not wanted
    default:
        return QMetaType::canView(type, QMetaType::fromType<QSequentialIterable>());
    }
}

bool isAssociativeContainer(const QMetaType &type)
{
    return QMetaType::canView(type, QMetaType::fromType<QAssociativeIterable>());
}

QJsonValue toJsonValue(const QVariant &value);

QJsonObject toJsonObject(const QVariant &value)
{
    QJsonObject object;
    switch (value.typeId()) {
    case QMetaType::QVariantMap: {
        const QVariantMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            object.insert(it.key(), toJsonValue(it.value()));
        return object;
    }
    case QMetaType::QVariantHash: {
        const QVariantHash hash = value.toHash();
        for (auto it = hash.cbegin(); it != hash.cend(); ++it)
            object.insert(it.key(), toJsonValue(it.value()));
        return object;
    }
    default:
        break;
    }
    const QAssociativeIterable iterable = value.value<QAssociativeIterable>();
    for (auto it = iterable.begin(); it != iterable.end(); ++it)
        object.insert(renderValue(it.key()), toJsonValue(it.value()));
    return object;
}

QJsonArray toJsonArray(const QVariant &value)
{
    if (value.typeId() == QMetaType::QStringList)
        return QJsonArray::fromStringList(value.toStringList());
    QJsonArray array;
    const QSequentialIterable iterable = value.value<QSequentialIterable>();
    for (const QVariant &item : iterable)
        array.append(toJsonValue(item));
    return array;
}

QJsonValue toJsonValue(const QVariant &value)
{
    const QMetaType type = value.metaType();
    switch (type.id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QJsonValue(QJsonValue::Null);
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::UInt:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return QJsonValue(value.toLongLong());
    case QMetaType::ULong:
    case QMetaType::ULongLong: {
        const qulonglong v = value.toULongLong();
        if (v <= qulonglong(std::numeric_limits<qint64>::max()))
            return QJsonValue(qint64(v));
        return renderValue(value);
    }
    case QMetaType::Double:
    case QMetaType::Float: {
        const double d = value.toDouble();
        if (std::isfinite(d))
            return d;
        return renderValue(value);
    }
    case QMetaType::QJsonValue:
        return value.toJsonValue();
    case QMetaType::QJsonObject:
        return value.toJsonObject();
    case QMetaType::QJsonArray:
        return value.toJsonArray();
    case QMetaType::QJsonDocument: {
        const QJsonDocument doc = value.toJsonDocument();
        if (doc.isArray())
            return doc.array();
        if (doc.isObject())
            return doc.object();
        return QJsonValue(QJsonValue::Null);
    }
    default:
        break;
    }
    if (isAssociativeContainer(type))
        return toJsonObject(value);
    if (isSequentialContainer(type))
        return toJsonArray(value);
    return renderValue(value);
}

QString jsonText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double:
        if (value.toDouble() == double(value.toInteger()))
            return QString::number(value.toInteger());
        return formatFloat(value.toDouble());
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

// A lone surrogate as U+FFFD, as WireEntry and the JSON encoder write it in UTF-8 (where
// QString::toUtf8() writes '?'): a stream's labels are then the same text whichever way the
// stream travels, JSON, protobuf or the spool. Allocates only to repair.
QString withoutLoneSurrogates(QString text)
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

bool nameLess(const QPair<QString, QString> &a, const QPair<QString, QString> &b)
{
    return a.first < b.first;
}

} // namespace

QString renderValue(const QVariant &value)
{
    QMetaType type = value.metaType(); // debugStream() is not const in Qt 6.4
    switch (type.id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
        return QString();
    case QMetaType::QString:
        return value.toString();
    case QMetaType::QChar:
        return QString(value.toChar());
    case QMetaType::Char:
        return QString(QChar::fromLatin1(value.value<char>()));
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
        return QString::number(value.toLongLong());
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return QString::number(value.toULongLong());
    case QMetaType::Double:
        return formatFloat(value.toDouble());
    case QMetaType::Float:
        return formatFloat(value.toFloat());
    case QMetaType::QDateTime:
        return formatDateTime(value.toDateTime());
    case QMetaType::QDate: {
        const QDate date = value.toDate();
        return date.isValid() ? date.toString(Qt::ISODate) : QString();
    }
    case QMetaType::QTime: {
        const QTime time = value.toTime();
        return time.isValid() ? time.toString(Qt::ISODateWithMs) : QString();
    }
    case QMetaType::QByteArray:
        return Utf8::decode(value.toByteArray());
    case QMetaType::QUrl:
        return value.toUrl().toString();
    case QMetaType::QJsonValue:
    case QMetaType::QJsonObject:
    case QMetaType::QJsonArray:
    case QMetaType::QJsonDocument:
        return jsonText(toJsonValue(value));
    default:
        break;
    }
    if (isAssociativeContainer(type))
        return jsonText(toJsonObject(value));
    if (isSequentialContainer(type))
        return jsonText(toJsonArray(value));
    if (QMetaType::canConvert(type, QMetaType::fromType<QString>()))
        return value.toString();
    if (type.hasRegisteredDebugStreamOperator()) {
        QString text;
        QDebug dbg(&text);
        dbg.noquote().nospace();
        type.debugStream(dbg, value.constData());
        return text;
    }
    return QString::fromLatin1(type.name());
}

int formatNumberUtf8(const QVariant &value, char *out)
{
    switch (value.typeId()) {
    case QMetaType::Double:
        return formatFloatChars(value.toDouble(), out);
    case QMetaType::Float:
        return formatFloatChars(value.toFloat(), out);
    case QMetaType::Bool:
        if (value.toBool()) {
            std::memcpy(out, "true", 4);
            return 4;
        }
        std::memcpy(out, "false", 5);
        return 5;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
        return int(std::to_chars(out, out + FormattedNumberMax, value.toLongLong()).ptr - out);
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return int(std::to_chars(out, out + FormattedNumberMax, value.toULongLong()).ptr - out);
    default:
        return -1;
    }
}

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

void splitFields(const QVariantMap &fields, LabelList *labels, LabelList *metadata)
{
    static const QString labelPrefix = QStringLiteral("label_");
    static const QString labelsKey = QStringLiteral("labels");

    LabelList outLabels;
    LabelList validMeta;
    LabelList repairedMeta;
    QVariant labelMap;

    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        const QString &key = it.key();
        if (key.startsWith(labelPrefix)) {
            // The map is sorted by key and all these keys share the prefix, so the
            // stripped names arrive sorted too.
            if (labels)
                outLabels.append({key.mid(labelPrefix.size()), renderValue(it.value())});
        } else if (key == labelsKey && isAssociativeContainer(it.value().metaType())) {
            labelMap = it.value();
        } else if (metadata) {
            if (isValidLabelName(key))
                validMeta.append({key, renderValue(it.value())});
            else
                repairedMeta.append({key, renderValue(it.value())});
        }
    }

    if (labels) {
        if (labelMap.isValid()) {
            const qsizetype fromPrefix = outLabels.size();
            const auto add = [&](const QString &name, const QVariant &value) {
                const auto end = outLabels.cbegin() + fromPrefix;
                const auto pos = std::lower_bound(outLabels.cbegin(), end,
                                                  QPair<QString, QString>(name, QString()),
                                                  nameLess);
                if (pos != end && pos->first == name)
                    return; // a label_<name> key wins over the map
                outLabels.append({name, renderValue(value)});
            };
            if (labelMap.typeId() == QMetaType::QVariantMap) {
                const QVariantMap map = labelMap.toMap();
                for (auto it = map.cbegin(); it != map.cend(); ++it)
                    add(it.key(), it.value());
            } else {
                const QAssociativeIterable iterable = labelMap.value<QAssociativeIterable>();
                for (auto it = iterable.begin(); it != iterable.end(); ++it)
                    add(renderValue(it.key()), it.value());
            }
            std::stable_sort(outLabels.begin(), outLabels.end(), nameLess);
            // Keys of other types can render to the same text; the first one is kept.
            const auto last = std::unique(outLabels.begin(), outLabels.end(),
                                          [](const auto &a, const auto &b) {
                                              return a.first == b.first;
                                          });
            outLabels.erase(last, outLabels.end());
        }
        *labels = std::move(outLabels);
    }
    if (metadata)
        *metadata = mergeMetadata(std::move(validMeta), repairedMeta);
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
