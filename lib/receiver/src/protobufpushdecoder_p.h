// SPDX-License-Identifier: MIT
#pragma once

#include "pushrequest_p.h"

#include <QtCore/QString>

namespace LokiReceiverInternal {

//! How the decoded request holds its strings.
enum class ProtobufStrings {
    Copy, //!< its own copies
    Borrow, //!< views of the message's bytes: cheaper, valid only while the message lives
};

/*!
    Decodes a serialized (already uncompressed) logproto.PushRequest with a minimal
    protobuf wire reader: PushRequest.streams = 1; Stream.labels = 1, entries = 2,
    hash = 3; Entry.timestamp = 1 (seconds = 1, nanos = 2), line = 2,
    structuredMetadata = 3 (name = 1, value = 2). Unknown fields are skipped as the
    wire format requires. Returns false and sets \a error for a malformed message. A
    message with more streams or entries than \a caps allow stops being decoded there:
    false, with \a overCaps set.
*/
bool decodeProtobufPush(const QByteArray &message, PushRequest *request, QString *error,
                        ProtobufStrings strings = ProtobufStrings::Copy, const PushCaps &caps = {},
                        bool *overCaps = nullptr);

} // namespace LokiReceiverInternal
