// SPDX-License-Identifier: MIT
#pragma once

// Label names Loki accepts: the check, the repair of a name, and the final label set of a
// stream with its limits (what does not fit goes to structured metadata).

#include "model/pushbatch_p.h"

#include <QtCore/QString>
#include <QtCore/QStringView>

namespace QLoki::detail {

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
    reserved, and every name stays a valid one). \a metadata must be sorted with unique names;
    the result is too.
*/
LabelList mergeMetadata(LabelList metadata, const LabelList &extra);

//! \a text cut to at most \a maxBytes UTF-8 bytes without splitting a character.
//! Returns \a text itself when it fits.
QString truncateUtf8(const QString &text, int maxBytes);

} // namespace QLoki::detail
