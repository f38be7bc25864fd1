// SPDX-License-Identifier: MIT
#include "encoding/pushencoder_p.h"

#include "encoding/jsonencoder_p.h"
#include "encoding/otlpencoder_p.h"
#include "encoding/otlpjsonencoder_p.h"
#include "encoding/protobufencoder_p.h"

namespace QLoki::detail {

std::unique_ptr<PushEncoder> makeEncoder(WireFormat format)
{
    switch (format) {
    case WireFormat::Json:
        return std::make_unique<JsonEncoder>(JsonEncoder::Compression::None);
    case WireFormat::JsonGzip:
        return std::make_unique<JsonEncoder>(JsonEncoder::Compression::Gzip);
    case WireFormat::Protobuf:
        return std::make_unique<ProtobufEncoder>();
    case WireFormat::Otlp:
        return std::make_unique<OtlpEncoder>(OtlpEncoder::Compression::None);
    case WireFormat::OtlpGzip:
        return std::make_unique<OtlpEncoder>(OtlpEncoder::Compression::Gzip);
    case WireFormat::OtlpJson:
        return std::make_unique<OtlpJsonEncoder>(OtlpJsonEncoder::Compression::None);
    case WireFormat::OtlpJsonGzip:
        return std::make_unique<OtlpJsonEncoder>(OtlpJsonEncoder::Compression::Gzip);
    }
    return std::make_unique<JsonEncoder>(JsonEncoder::Compression::None);
}

} // namespace QLoki::detail
