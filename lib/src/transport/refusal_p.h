// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace QLoki::detail {

//! Why Loki refused entries (public: counted in LokiStats::rejected()).
using QLoki::RefusalCode;
using QLoki::refusalCodeName;

/*!
    What a refusal (an HTTP 4xx other than 413/429, or 260) did to a batch, read from Loki's
    answer and the batch itself.

    Loki validates each stream and each entry of a push on its own: it stores the valid ones
    and answers 400 with the reasons, grouped as `N errors like: <message>` where several
    entries failed alike (Loki 2.9 names only the last failure). Each reason Loki gives names
    the stream and the limit it applied, so the refused entries are the batch's entries that
    break that limit: lines longer than the limit, timestamps older than the oldest
    acceptable one, every entry of a stream whose labels were refused, entries carrying
    structured metadata where it is disallowed. Where a message names a count (`N errors
    like`, `total ignored: N`), at least that many are counted. A body that names no reason
    Loki is known to give (a parse error, a gateway's page, 401/403/404 and 260) refuses the
    whole batch: nothing is taken as stored that may not have been.
*/
struct RefusalReading
{
    int refused = 0;           //!< entries of the batch counted as refused
    bool exact = false;        //!< refused was read from the reasons (else: the whole batch)
    //! Loki refused structured metadata as such (2.9+: disallowed for the tenant; 2.8: the
    //! JSON push failed to parse at a value's third element). Those entries may be sent again
    //! with their metadata in the line.
    bool metadataDisallowed = false;
    RefusalCode code = RefusalCode::Other; //!< of the first reason
    QString reason;            //!< Loki's text (first line, bounded), for lastError
};

/*!
    Reads the answer \a body of HTTP \a status to the push of \a batch (the batch as it was
    sent: metadata in its lines when it was embedded).
*/
RefusalReading readRefusal(int status, const QByteArray &body, const PushBatch &batch);

} // namespace QLoki::detail
