// SPDX-License-Identifier: MIT
#include "ingest_p.h"

#include "decompress_p.h"
#include "otlplogs_p.h"
#include "refusals_p.h"

namespace LokiReceiverInternal {

IngestResult Ingestor::ingestOtlp(const QByteArray &body, const QByteArray &contentType,
                                  const QByteArray &contentEncoding, const QByteArray &tenant)
{
    const LimitValues &limits = m_validator.limits();
    const qint64 inflateLimit = limits.maxDecompressedBytes;
    IngestResult result;
    QString error;
    QByteArray decoded;
    Inflated inflated = Inflated::Ok;
    const QByteArray encoding = contentEncoding.trimmed().toLower();
    if (encoding == "gzip") {
        inflated = gzipUncompress(body, &decoded, &error, inflateLimit);
    } else if (encoding == "deflate") {
        inflated = deflateUncompress(body, &decoded, &error, inflateLimit);
    } else if (encoding.isEmpty()) {
        decoded = body;
    } else {
        result.status = 400;
        result.message = "Content-Encoding \"" + contentEncoding + "\" not supported";
        return result;
    }
    if (inflated == Inflated::TooLarge) {
        result.status = 413;
        result.message = Refusal::decompressedTooLarge(inflateLimit);
        return result;
    }
    if (inflated != Inflated::Ok) {
        result.status = 400;
        result.message = error.toUtf8();
        return result;
    }

    const PushCaps caps {limits.maxStreamsPerPush, limits.maxEntriesPerPush};
    bool overCaps = false;
    const QByteArray mediaType = contentType.split(';').constFirst().trimmed().toLower();
    PushRequest request;
    bool ok = false;
    if (mediaType == "application/x-protobuf") {
        ok = decodeOtlpProtobuf(decoded, &request, &error, caps, &overCaps);
    } else if (mediaType == "application/json") {
        ok = decodeOtlpJson(decoded, &request, &error, caps, &overCaps);
    } else {
        result.status = 415;
        result.message = "unsupported content type \"" + contentType
                + "\": OTLP/HTTP takes application/x-protobuf or application/json";
        return result;
    }
    if (!ok) {
        result.status = overCaps ? 413 : 400;
        result.message =
                overCaps ? Refusal::pushTooLarge(caps.maxStreams, caps.maxEntries) : error.toUtf8();
        return result;
    }
    return ingest(request, tenant);
}

} // namespace LokiReceiverInternal
