// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QtCore/QString>

namespace QLoki::detail {

/*!
    The label set in Prometheus form, as Loki's protobuf Stream.labels expects it and as
    Loki names a stream in its messages: `{app="demo", level="info"}`. Values are escaped
    like Go string literals (`\\`, `\"`, `\n`); names are valid label names and are written
    as they are. The pairs keep the order of \a labels (sorted by the batcher).
*/
QString prometheusLabelString(const LabelList &labels);

} // namespace QLoki::detail
