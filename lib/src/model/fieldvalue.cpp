// SPDX-License-Identifier: MIT
#include "model/fieldjson_p.h"
#include "model/fieldvalue_p.h"

#include "encoding/utf8_p.h"

#include <QtCore/QDate>
#include <QtCore/QDateTime>
#include <QtCore/QDebug>
#include <QtCore/QJsonValue>
#include <QtCore/QTime>
#include <QtCore/QUrl>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace QLoki::detail {

namespace {

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

ValueKind valueKind(const QVariant &value)
{
    const QMetaType type = value.metaType();
    switch (type.id()) {
    case QMetaType::UnknownType:
    case QMetaType::Nullptr:
    case QMetaType::QString:
    case QMetaType::QChar:
    case QMetaType::Char:
    case QMetaType::QByteArray:
    case QMetaType::QUrl:
    case QMetaType::QDateTime:
    case QMetaType::QDate:
    case QMetaType::QTime:
        return ValueKind::Text;
    case QMetaType::Bool:
        return ValueKind::Bool;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::SChar:
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
    case QMetaType::UChar:
        return ValueKind::Int;
    case QMetaType::Double:
    case QMetaType::Float:
        return ValueKind::Double;
    case QMetaType::QJsonArray:
        return ValueKind::List;
    case QMetaType::QJsonObject:
        return ValueKind::Map;
    case QMetaType::QJsonValue: {
        const QJsonValue json = value.toJsonValue();
        return json.isArray()     ? ValueKind::List
                : json.isObject() ? ValueKind::Map
                                  : ValueKind::Text;
    }
    default:
        break;
    }
    if (isAssociativeContainer(type))
        return ValueKind::Map;
    if (isSequentialContainer(type))
        return ValueKind::List;
    return ValueKind::Text;
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

int formatDoubleUtf8(double value, char *out) { return formatFloatChars(value, out); }

} // namespace QLoki::detail
