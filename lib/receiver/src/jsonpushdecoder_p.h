// SPDX-License-Identifier: MIT
#pragma once

#include "pushrequest_p.h"

#include <QtCore/QString>

namespace LokiReceiverInternal {

/*!
    Decodes Loki's JSON push body
    (`{"streams":[{"stream":{...},"values":[["<ns>","line",{metadata}],...]}]}`).
    Each stream's labels become the Prometheus form Loki builds from the JSON object
    (names sorted, values quoted as Go does), so that validation sees what Loki sees.
    Returns false and sets \a error for a malformed body, and for a body with more
    streams or entries than \a caps allow (with \a overCaps set).
*/
bool decodeJsonPush(const QByteArray &body, PushRequest *request, QString *error,
                    const PushCaps &caps = {}, bool *overCaps = nullptr);

} // namespace LokiReceiverInternal
