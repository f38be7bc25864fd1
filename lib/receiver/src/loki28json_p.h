// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>

namespace LokiReceiverInternal {

/*!
    Loki 2.8's answer to a JSON push (\a body, valid JSON) in which a value has a third
    element that is not a string, such as structured metadata: Loki 2.8 does not know
    structured metadata and fails to parse the whole request with
    `loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: Value is not a
    string, error found in #10 byte of ...|<excerpt>|..., bigger context ...|<excerpt>|...`.
    Returns an empty array when no value has such an element.

    The excerpts are those of jsoniter, which Loki 2.8 parses with: they surround the end of
    the first offending stream object within the 512-byte slice of the body its reader
    holds at that moment (assuming the body arrives in full slices).
*/
QByteArray loki28MetadataParseError(const QByteArray &body);

} // namespace LokiReceiverInternal
