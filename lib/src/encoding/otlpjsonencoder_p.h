// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"

namespace QLoki::detail {

/*!
    OTLP/HTTP logs in OTLP's JSON encoding (application/json): the ExportLogsServiceRequest
    with lowerCamelCase field names, trace and span ids as hex (not base64), 64-bit integers
    as strings, enums as numbers, empty fields left out. Optionally gzip-compressed
    (Content-Encoding: gzip). Same mapping as OtlpEncoder (otlpmapping_p.h).
*/
class OtlpJsonEncoder final : public PushEncoder
{
public:
    enum class Compression { None, Gzip };

    explicit OtlpJsonEncoder(Compression compression = Compression::None);

    QByteArray contentType() const override;
    QByteArray contentEncoding() const override;
    QByteArray encode(const PushBatch &batch) const override;

    //! The JSON document before compression; always valid UTF-8.
    static QByteArray serialize(const PushBatch &batch);

private:
    Compression m_compression;
};

} // namespace QLoki::detail
