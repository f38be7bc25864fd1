// SPDX-License-Identifier: MIT
#include "encoding/pushencoder_p.h"

#include "encoding/jsonencoder_p.h"
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
    }
    return std::make_unique<JsonEncoder>(JsonEncoder::Compression::None);
}

} // namespace QLoki::detail
