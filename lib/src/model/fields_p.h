// SPDX-License-Identifier: MIT
#pragma once

// How the fields of a logging call become stream labels and structured metadata, and how
// label sets are repaired so that Loki accepts them. These functions run on the sender
// thread for every entry: they allocate only when something has to change.

#include "model/pushbatch_p.h"

#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QVariant>
#include <QtCore/QVariantMap>

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

//! Room formatNumberUtf8() needs.
constexpr int FormattedNumberMax = 64;

//! renderValue() of a number or bool written as UTF-8 at \a out (room for
//! FormattedNumberMax bytes), without allocating; returns the length, or -1 when
//! \a value holds another type.
int formatNumberUtf8(const QVariant &value, char *out);

/*!
    Splits the fields of a logging call as the Python SDK does:
    - `label_<name>` becomes the stream label `<name>`;
    - `labels`, when it holds a QVariantMap, QVariantHash or another associative container
      such as QMap<QString, QString>, gives one stream label per pair; a `label_<name>` key
      wins over a pair of the same name in it;
    - every other key becomes structured metadata.
    Values are rendered with renderValue(). Label names are passed on as given (streamLabels()
    repairs them, together with static labels); metadata names are repaired here with
    sanitizeLabelName() and, when two of them meet on the same name, the one that was already
    valid keeps it and the other gets `_` appended until it is unique (see mergeMetadata()
    for the name `_`). Both outputs are
    replaced, sorted by name and unique. Either may be null.
*/
void splitFields(const QVariantMap &fields, LabelList *labels, LabelList *metadata);

//! True when \a name is a Loki label name that is not reserved: `[a-zA-Z_][a-zA-Z0-9_]*`
//! and not starting with `__`.
bool isValidLabelName(QStringView name);

/*!
    Repairs a label (or metadata) name so that isValidLabelName() holds:
    1. every character (code point) outside `[a-zA-Z0-9_]` becomes `_`
       ("user-id" → "user_id", "http.status" → "http_status", "prix€" → "prix_");
    2. a leading digit gets a `_` in front ("9lives" → "_9lives");
    3. a leading run of two or more `_` is reduced to one, so the name is never one of
       Loki's reserved `__` names ("__name__" → "_name__");
    4. an empty name becomes "_".
    A valid name is returned unchanged without allocating.
*/
QString sanitizeLabelName(const QString &name);

//! Loki's default per-stream limits (see LOKI.md).
struct LabelLimits
{
    int maxLabelNames = 15;
    int maxNameLength = 1024;   //!< bytes; sanitized names are ASCII
    int maxValueLength = 2048;  //!< UTF-8 bytes
};

/*!
    The final label set of a stream, always one Loki accepts. The repairs, in order:
    1. Names are sanitized (sanitizeLabelName()) and cut to \a limits.maxNameLength.
    2. Pairs with an empty value are dropped, as Loki treats them as absent; so an empty
       call label does not remove the static label of the same name.
    3. Pairs that now share a name are resolved by precedence: \a reserved (app,
       environment, level) wins over everything, \a callLabels win over \a staticLabels.
       Within one of the lists a name that needed no repair wins over a repaired one,
       then the earlier pair wins.
       A static label overridden by a call label is replaced (that is what call labels are
       for). Every other loser, in particular a static or call label named like a reserved
       one, is appended to \a overflow.
    4. When more than \a limits.maxLabelNames names remain, the reserved ones are kept and
       the others are kept in name order up to the limit; the rest go to \a overflow.
    5. Values longer than \a limits.maxValueLength UTF-8 bytes are cut at a character
       boundary, and a lone surrogate in a value becomes U+FFFD (as in every body), so that
       a stream has the same labels in JSON, in protobuf and after the spool.
    \a overflow (may be null) receives pairs with repaired names and full values, in name
    order, meant for the entry's structured metadata (see mergeMetadata()); it is appended
    to, not cleared. The result is sorted by name with unique names; it is empty only when
    every input value is empty.
*/
LabelList streamLabels(const LabelList &reserved, const LabelList &staticLabels,
                       const LabelList &callLabels, const LabelLimits &limits = {},
                       LabelList *overflow = nullptr);

/*!
    \a metadata with the pairs of \a extra added (typically the overflow of streamLabels()).
    Names of \a extra are sanitized. A pair whose name and value are already present is
    skipped; a pair whose name is taken with another value gets `_` appended to its name
    until it is unique, so nothing is lost (the name `_` gets `0` instead: `__` would be
    reserved, and every name stays a valid one). \a metadata must be sorted with unique
    names; the result is too.
*/
LabelList mergeMetadata(LabelList metadata, const LabelList &extra);

//! \a text cut to at most \a maxBytes UTF-8 bytes without splitting a character.
//! Returns \a text itself when it fits.
QString truncateUtf8(const QString &text, int maxBytes);

} // namespace QLoki::detail
