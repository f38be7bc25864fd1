// SPDX-License-Identifier: MIT
#pragma once

// What an OTLP/HTTP server says in its answer: the partial success of a 200
// (ExportLogsServiceResponse) and the message of a refusal (google.rpc.Status), in
// protobuf or JSON as the answer's Content-Type says.

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace QLoki::detail {

struct OtlpPartialSuccess
{
    qint64 rejected = 0; //!< rejected_log_records
    QString message; //!< error_message (may be set with nothing rejected: a warning)
};

//! The partial_success of an ExportLogsServiceResponse \a body; empty for an empty body or
//! one that is no such message.
OtlpPartialSuccess readOtlpPartialSuccess(const QByteArray &body, const QByteArray &contentType);

//! The message of a google.rpc.Status \a body in protobuf (\a contentType
//! application/x-protobuf) or JSON with a "message"; empty for anything else.
QString otlpStatusMessage(const QByteArray &body, const QByteArray &contentType);

} // namespace QLoki::detail
