// SPDX-License-Identifier: MIT
#include "model/fieldjson_p.h"
#include "model/fieldvalue_p.h"

#include <QtCore/QAssociativeIterable>
#include <QtCore/QJsonDocument>
#include <QtCore/QSequentialIterable>

#include <cmath>
#include <limits>

namespace QLoki::detail {

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
        return renderValue(value.toDouble());
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Undefined:
        break;
    }
    return QString();
}

} // namespace QLoki::detail
