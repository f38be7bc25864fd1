// SPDX-License-Identifier: MIT
#pragma once

// The text of a field value: one rendering for labels, metadata and lines. Runs on the
// sender thread for every value; numbers are written without allocating.

#include "model/pushbatch_p.h"

#include <QtCore/QString>
#include <QtCore/QVariant>

namespace QLoki::detail {

/*!
    The text of a field value, the same for labels, metadata and lines:
    - QString as is; QChar and char as the character;
    - integers in decimal; bool as "true"/"false";
    - double and float in the shortest form that reads back to the same number, written
      like Python's repr() without its trailing ".0": fixed notation when the decimal
      exponent is in [-4, 16), else scientific ("100.5", "5", "0.0001", "1e+21", "1e-05");
      NaN, infinities as "NaN", "+Inf", "-Inf" (Prometheus' spelling);
    - QDateTime as ISO 8601 with milliseconds and its UTC offset, UTC as "Z"
      ("2024-11-24T00:00:00.000Z", local time with its current offset); QDate as
      "yyyy-MM-dd", QTime as "HH:mm:ss.zzz"; invalid ones as "";
    - QByteArray decoded as UTF-8, invalid bytes as U+FFFD, a leading U+FEFF kept (where
      QString::fromUtf8() drops it as a byte order mark); QUrl as its string;
    - QJsonValue, QJsonObject, QJsonArray, QJsonDocument as compact JSON text (a JSON
      string as its contents);
    - lists (QStringList, QVariantList, any registered sequential container) as a compact
      JSON array, maps (QVariantMap, QVariantHash, any registered associative container) as
      a compact JSON object; nested values keep their JSON type where they have one
      (numbers, bools, null, arrays, objects) and are rendered with this function otherwise;
      non-finite doubles inside become the strings above;
    - null and invalid QVariants as "";
    - anything else: QVariant's own string conversion, else its debug output, else the type
      name.
*/
QString renderValue(const QVariant &value);

//! What renderValue() makes of \a value, as OTLP keeps it: integers (Int), floating point
//! (Double), bool, lists and maps (their JSON text), everything else Text.
ValueKind valueKind(const QVariant &value);

//! Room formatNumberUtf8() needs.
constexpr int FormattedNumberMax = 64;

//! renderValue() of a number or bool written as UTF-8 at \a out (room for
//! FormattedNumberMax bytes), without allocating; returns the length, or -1 when
//! \a value holds another type.
int formatNumberUtf8(const QVariant &value, char *out);
//! formatNumberUtf8() of a double, without a QVariant.
int formatDoubleUtf8(double value, char *out);

} // namespace QLoki::detail
