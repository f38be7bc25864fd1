// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"

namespace QLoki::detail {

/*!
    Loki's JSON push body, `{"streams":[{"stream":{...},"values":[["<ns>","<line>"],...]}]}`,
    with structured metadata as the third element of a value when an entry has any.
    Optionally gzip-compressed (Content-Encoding: gzip).
*/
class JsonEncoder final : public PushEncoder
{
public:
    enum class Compression { None, Gzip };

    explicit JsonEncoder(Compression compression = Compression::None);

    QByteArray contentType() const override;
    QByteArray contentEncoding() const override;
    QByteArray encode(const PushBatch &batch) const override;

    //! The JSON document before compression; always valid UTF-8.
    static QByteArray serialize(const PushBatch &batch);

private:
    Compression m_compression;
};

} // namespace QLoki::detail
