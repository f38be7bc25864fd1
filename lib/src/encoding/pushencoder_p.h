// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QByteArray>

#include <memory>

namespace QLoki::detail {

/*!
    Turns one batch into the body of one push request. Implementations are pure and
    thread-safe: no event loop, no shared state.
*/
class PushEncoder
{
public:
    virtual ~PushEncoder() = default;
    //! Value of the Content-Type header.
    virtual QByteArray contentType() const = 0;
    //! Value of the Content-Encoding header; empty for none.
    virtual QByteArray contentEncoding() const = 0;
    //! The request body.
    virtual QByteArray encode(const PushBatch &batch) const = 0;
};

std::unique_ptr<PushEncoder> makeEncoder(WireFormat format);

//! Whether \a format pushes OpenTelemetry logs (OTLP/HTTP) rather than Loki's push API.
constexpr bool isOtlp(WireFormat format)
{
    return format == WireFormat::Otlp || format == WireFormat::OtlpJson
            || format == WireFormat::OtlpGzip || format == WireFormat::OtlpJsonGzip;
}

} // namespace QLoki::detail
