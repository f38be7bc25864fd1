// SPDX-License-Identifier: MIT
#include "pushharness.h"

#include "decompress_p.h"
#include "fuzzsupport.h"
#include "ingest_p.h"
#include "jsonpushdecoder_p.h"
#include "protobufpushdecoder_p.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace LokiReceiverInternal;

namespace PushHarness {

Body compressed(int mode, bool variant, const QByteArray &payload)
{
    Body b;
    switch (mode) {
    case 0:
        b.bytes = payload;
        break;
    case 1:
        b.bytes = FuzzSupport::gzip(payload);
        b.contentEncoding = "gzip";
        break;
    case 2:
        b.bytes = FuzzSupport::deflate(payload, variant);
        b.contentEncoding = "deflate";
        break;
    default:
        b.bytes = payload;
        b.contentEncoding = variant ? "deflate" : "gzip";
        b.plainKnown = false;
        break;
    }
    return b;
}

namespace {

struct Request
{
    QByteArray body;
    QByteArray contentType;
    QByteArray contentEncoding;
    //! What the decoder is given, when this harness knows it (else decompressed here).
    QByteArray plain;
    bool plainKnown = true;
};

Request jsonRequest(quint8 mode, const QByteArray &payload)
{
    const bool variant = mode & 4;
    Request r;
    r.contentType = variant ? "application/json; charset=utf-8" : "application/json";
    r.plain = payload;
    Body body = compressed(mode & 3, variant, payload);
    r.body = std::move(body.bytes);
    r.contentEncoding = std::move(body.contentEncoding);
    r.plainKnown = body.plainKnown;
    return r;
}

Request protobufRequest(quint8 mode, const QByteArray &payload)
{
    Request r;
    r.contentType = "application/x-protobuf";
    r.plain = payload;
    switch (mode & 3) {
    case 0:
        r.body = FuzzSupport::snappy(payload);
        break;
    case 1:
        r.body = payload;
        r.plainKnown = false;
        break;
    case 2:
        r.body = FuzzSupport::gzip(FuzzSupport::snappy(payload));
        r.contentEncoding = "GZip";
        break;
    default:
        r.body = FuzzSupport::snappy(payload);
        r.contentEncoding = "snappy";
        r.contentType.clear();
        break;
    }
    return r;
}

// The decoder's view of the request, found independently of the Ingestor: the number of
// entries it holds, -1 when it does not decode, TooLarge when it inflates beyond \a limit.
constexpr qsizetype TooLarge = -2;
qsizetype entriesIn(Format format, const Request &r, qint64 limit, bool *hasMetadata)
{
    QString error;
    QByteArray plain = r.plain;
    if (!r.plainKnown) {
        const Inflated inflated = format == Format::Protobuf
                ? snappyUncompress(r.body, &plain, &error, limit)
                : (r.contentEncoding == "gzip" ? gzipUncompress(r.body, &plain, &error, limit)
                                               : deflateUncompress(r.body, &plain, &error, limit));
        if (inflated != Inflated::Ok)
            return inflated == Inflated::TooLarge ? TooLarge : -1;
    }
    PushRequest request;
    const bool ok = format == Format::Json ? decodeJsonPush(plain, &request, &error)
                                           : decodeProtobufPush(plain, &request, &error);
    FUZZ_CHECK(ok == error.isEmpty(),
               "a decoder's result and its error disagree: " + error.toUtf8());
    if (!ok)
        return -1;
    qsizetype entries = 0;
    *hasMetadata = false;
    for (const PushStream &stream : request.streams) {
        entries += qsizetype(stream.entries.size());
        for (const PushEntry &entry : stream.entries)
            *hasMetadata = *hasMetadata || !entry.structuredMetadata.empty();
    }
    return entries;
}

} // namespace

void checkStoreFile(const QByteArray &written, int accepted)
{
    FUZZ_CHECK(written.isEmpty() || written.endsWith('\n'), "the store file ends mid-line");
    FUZZ_CHECK(written.count('\n') == accepted,
               "the store file has " + QByteArray::number(written.count('\n')) + " lines for "
                       + QByteArray::number(accepted) + " entries");
    qsizetype start = 0;
    while (start < written.size()) {
        const qsizetype end = written.indexOf('\n', start);
        const QByteArray line = written.mid(start, end - start);
        start = end + 1;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(),
                   "a store file line is not a JSON object: " + line);
        const QJsonObject object = doc.object();
        FUZZ_CHECK(object.value(QLatin1String("stream")).isObject()
                           && object.value(QLatin1String("ts")).isString()
                           && object.value(QLatin1String("line")).isString(),
                   "a store file line lacks a field: " + line);
    }
}

void run(Format format, const QByteArray &input)
{
    if (input.isEmpty())
        return;
    const auto mode = quint8(input.at(0));
    const QByteArray payload = input.mid(1);
    const Request request =
            format == Format::Json ? jsonRequest(mode, payload) : protobufRequest(mode, payload);

    EntryStore store;
    const bool smallStore = mode & 0x80;
    if (smallStore)
        store.setMaxEntries(3);
    Ingestor ingestor(&store);
    LimitValues limits;
    limits.rejectOldSamples = !(mode & 0x08);
    limits.allowStructuredMetadata = !(mode & 0x10);
    ingestor.setLimits(limits);
    const bool countingOnly = mode & 0x20;
    ingestor.setCountingOnly(countingOnly);
    QByteArray storeFile;
    QBuffer device(&storeFile);
    if (mode & 0x40) {
        device.open(QIODevice::WriteOnly);
        ingestor.setStoreDevice(&device);
    }

    const IngestResult first =
            ingestor.ingest(request.body, request.contentType, request.contentEncoding, "tenant");
    FUZZ_CHECK(first.status == 204 || first.status == 400 || first.status == 413,
               "status " + QByteArray::number(first.status));
    FUZZ_CHECK((first.status == 204) == first.message.isEmpty(),
               "status " + QByteArray::number(first.status) + " with message '" + first.message
                       + '\'');
    FUZZ_CHECK(first.status != 204 || first.rejected == 0, "204 with rejected entries");
    FUZZ_CHECK(first.accepted >= 0 && first.rejected >= 0 && first.duplicates >= 0,
               "negative counts");

    bool hasMetadata = false;
    const qsizetype decoded =
            entriesIn(format, request, limits.maxDecompressedBytes, &hasMetadata);
    // Only as Loki 2.8 (metadataAsLoki28, not set here) does disallowed metadata fail a
    // JSON push whole; Loki 2.9 and 3.x, and the receiver by default, refuse those entries
    // one by one and store the others.
    const bool refusedWhole = format == Format::Json && !limits.allowStructuredMetadata
            && limits.metadataAsLoki28 && hasMetadata;
    if (decoded == TooLarge) {
        FUZZ_CHECK(first.status == 413 && first.accepted == 0,
                   "a body that inflates beyond the limit got status "
                           + QByteArray::number(first.status));
    } else if (decoded >= 0 && !refusedWhole) {
        FUZZ_CHECK(first.accepted + first.rejected + first.duplicates == decoded,
                   "accepted " + QByteArray::number(first.accepted) + " + rejected "
                           + QByteArray::number(first.rejected) + " + duplicates "
                           + QByteArray::number(first.duplicates)
                           + " != " + QByteArray::number(decoded) + " entries decoded");
    } else {
        FUZZ_CHECK(first.status == 400 && first.accepted == 0,
                   "a body that does not decode was accepted");
    }
    if (countingOnly) {
        FUZZ_CHECK(store.entries().empty(), "counting only, yet entries were stored");
        return;
    }
    if (smallStore) {
        FUZZ_CHECK(store.entries().size() <= 3, "the store holds more than its limit");
    } else {
        FUZZ_CHECK(qsizetype(store.entries().size()) == first.accepted,
                   "the store holds a different number of entries than were accepted");
    }
    if (device.isOpen())
        checkStoreFile(storeFile, first.accepted);

    // The same body again: what was stored is a duplicate now, or, as in Loki, refused as
    // too far behind when a later entry of its stream moved the stream's newest timestamp
    // beyond the out-of-order window; what was refused is refused again.
    const IngestResult second =
            ingestor.ingest(request.body, request.contentType, request.contentEncoding, "tenant");
    const bool wholeBodyRefused = first.status != 204 && first.accepted == 0
            && first.rejected == 0 && first.duplicates == 0;
    if (wholeBodyRefused) {
        FUZZ_CHECK(second.status == first.status && second.message == first.message,
                   "a refused body was judged differently the second time: " + second.message);
    } else {
        FUZZ_CHECK(second.rejected >= first.rejected
                           && (second.status == 204) == (second.rejected == 0),
                   "a second push of the same body was judged differently: status "
                           + QByteArray::number(second.status) + ", " + second.message);
    }
    if (!smallStore) {
        FUZZ_CHECK(second.accepted == 0
                           && second.duplicates + second.rejected
                                   == first.accepted + first.duplicates + first.rejected,
                   "a second push of the same body stored " + QByteArray::number(second.accepted)
                           + " entries again");
    }
}

} // namespace PushHarness
