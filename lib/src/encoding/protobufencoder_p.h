// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"

namespace QLoki::detail {

/*!
    Loki's protobuf push body: a logproto.PushRequest, compressed with snappy's block
    format (not the framing format), sent as application/x-protobuf without a
    Content-Encoding header. Written by hand from the field numbers; no generated code.
*/
class ProtobufEncoder final : public PushEncoder
{
public:
    QByteArray contentType() const override;
    QByteArray contentEncoding() const override;
    QByteArray encode(const PushBatch &batch) const override;

    //! The PushRequest before compression.
    static QByteArray serialize(const PushBatch &batch);
    //! Snappy block compression of \a data, as encode() applies it.
    static QByteArray compress(const QByteArray &data);
};

} // namespace QLoki::detail
