// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"

namespace QLoki::detail {

/*!
    OTLP/HTTP logs in protobuf: an opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest,
    sent as application/x-protobuf, optionally gzip-compressed (Content-Encoding: gzip).
    Written by hand from the field numbers of the OTLP .proto files (common/v1, resource/v1,
    logs/v1), fields in field-number order as protoc writes them; no generated code. The
    mapping is Otlp::layout() (otlpmapping_p.h).
*/
class OtlpEncoder final : public PushEncoder
{
public:
    enum class Compression { None, Gzip };

    explicit OtlpEncoder(Compression compression = Compression::None);

    QByteArray contentType() const override;
    QByteArray contentEncoding() const override;
    QByteArray encode(const PushBatch &batch) const override;

    //! The ExportLogsServiceRequest before compression.
    static QByteArray serialize(const PushBatch &batch);

private:
    Compression m_compression;
};

} // namespace QLoki::detail
