// SPDX-License-Identifier: MIT
#pragma once

// How the fields of a logging call become stream labels and structured metadata. These
// functions run on the sender thread for every entry: they allocate only when something has
// to change. Values are rendered by fieldvalue_p.h, names repaired by labelnames_p.h.

#include "model/fieldvalue_p.h"
#include "model/labelnames_p.h"
#include "model/pushbatch_p.h"

#include <QtCore/QVariantMap>

namespace QLoki::detail {

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
    valid keeps it and the other gets `_` appended until it is unique. Both outputs are
    replaced, sorted by name and unique. Either may be null.
*/
void splitFields(const QVariantMap &fields, LabelList *labels, LabelList *metadata);

} // namespace QLoki::detail
