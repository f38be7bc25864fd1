// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

namespace QLoki::detail {

/*!
    What a line looks like on the wire, applied to a whole batch on the sender thread:
    structured metadata moved into the line for servers that cannot take it, and lines
    over the limit repaired or refused. Pure functions.
*/

//! True when some entry of \a batch carries structured metadata.
bool hasMetadata(const PushBatch &batch);

/*!
    Moves each entry's metadata into its line (\a mode Logfmt or Json; other modes leave
    the batch alone). Logfmt: `message key=value key2="a b"` (values with spaces, quotes,
    `=` or control characters quoted with Go-style escapes). Json: `{"msg":"message",
    "key":"value"}`.
*/
void embedMetadata(PushBatch *batch, MetadataMode mode);

//! Appends the logfmt form of one UTF-8 value (quoted when needed) to \a out.
void appendLogfmtValue(QByteArray *out, QByteArrayView value);

struct LineLimitResult
{
    int truncated = 0;
    int rejected = 0;  //!< entries removed from the batch
};

/*!
    Applies \a maxBytes (UTF-8) to every line: Truncate cuts at a character boundary and
    appends `…[truncated N bytes]` so that the result fits; Reject removes the entry
    (streams left empty are removed too).
*/
LineLimitResult applyLineLimit(PushBatch *batch, int maxBytes, LineLimitPolicy policy);

//! A line of \a units UTF-16 units that fits \a maxBytes of UTF-8 whatever it holds (three
//! bytes at most per unit).
inline bool surelyFits(qsizetype units, int maxBytes) { return units * 3 <= qsizetype(maxBytes); }

/*!
    Applies \a maxBytes (UTF-8) to a line as it is logged, before it is queued: false when
    \a policy refuses it, else true, the line cut at a character boundary with the marker
    of applyLineLimit() when it was longer. Costs a comparison for a line that surelyFits().
*/
bool limitLine(QString *line, int maxBytes, LineLimitPolicy policy);

} // namespace QLoki::detail
