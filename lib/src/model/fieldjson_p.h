// SPDX-License-Identifier: MIT
#pragma once

// Field values as JSON: the containers and JSON types a field may hold, converted for
// renderValue() (fieldvalue_p.h), which writes them as compact JSON text.

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QMetaType>
#include <QtCore/QVariant>

namespace QLoki::detail {

//! True for lists Qt can iterate (QStringList, QVariantList, registered sequential
//! containers), not for QString and QByteArray.
bool isSequentialContainer(const QMetaType &type);
//! True for maps Qt can iterate (QVariantMap, QVariantHash, registered associative containers).
bool isAssociativeContainer(const QMetaType &type);

/*!
    \a value as JSON: numbers, bools and null keep their JSON type, JSON values are taken as
    they are, containers become arrays and objects (map keys rendered with renderValue()),
    everything else, and numbers JSON cannot hold (non-finite, beyond 2^63), becomes the
    string renderValue() gives.
*/
QJsonValue toJsonValue(const QVariant &value);
//! An associative container as a JSON object; see toJsonValue().
QJsonObject toJsonObject(const QVariant &value);
//! A sequential container as a JSON array; see toJsonValue().
QJsonArray toJsonArray(const QVariant &value);
//! Compact JSON text of \a value; a string as its contents, whole numbers without a point.
QString jsonText(const QJsonValue &value);

} // namespace QLoki::detail
