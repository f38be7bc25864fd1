// SPDX-License-Identifier: MIT
// The receiver's OTLP/HTTP logs path, POST /otlp/v1/logs, as its HTTP handler runs it
// (receiverotlp.cpp): Ingestor::ingestOtlp() (Content-Encoding, OTLP protobuf or JSON,
// Loki 3's mapping, then validation and storage as any push), and the OTLP answer the
// handler makes of the result. The body limit is the HTTP front end's, before this path.
//
// An input is two bytes that set the request and the receiver up, then the body (before
// compression, unless said otherwise):
// - byte 0, the request:
//   bit 0: OTLP JSON (application/json), else protobuf (application/x-protobuf);
//   bits 1-2: 0 the body as it is, 1 gzip-compressed here, 2 deflate-compressed here,
//   3 taken as an already compressed body (gzip, or deflate with bit 3);
//   bit 3: the variant (zlib-wrapped deflate; deflate for 3; Content-Type and
//   Content-Encoding in capitals, with a charset parameter and padding);
//   bits 4-5: 0 as said, 1 no Content-Type, 2 Content-Type text/plain, 3 Content-Encoding br;
//   bit 6: no tenant; bit 7: unused.
// - byte 1, the receiver: bit 0 old samples accepted; bit 1 structured metadata disallowed;
//   bit 2 counting only; bit 3 the store file is written; bit 4 a store of 3 entries;
//   bit 5 small push limits (4 KiB inflated, 3 streams, 8 records); bit 6 small entry
//   limits (64-byte lines, 4 label names, 32-byte label values, 8 metadata pairs of 256
//   bytes in all); bit 7 an out-of-order window of 1 ms.
#include "fuzzsupport.h"
#include "pushharness.h"

#include "decompress_p.h"
#include "ingest_p.h"
#include "otlplogs_p.h"
#include "protowire_p.h"
#include "validator_p.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace LokiReceiverInternal;

namespace {

struct Request
{
    bool json = false;
    QByteArray body;
    QByteArray contentType;
    QByteArray contentEncoding;
    QByteArray tenant;
    //! The body before compression, when this harness knows it (else inflated here).
    QByteArray plain;
    bool plainKnown = true;
    bool encodingSupported = true;
    bool typeSupported = true;
};

Request makeRequest(quint8 how, const QByteArray &payload)
{
    Request r;
    r.json = how & 0x01;
    const bool variant = how & 0x08;
    r.plain = payload;
    PushHarness::Body body = PushHarness::compressed((how >> 1) & 3, variant, payload);
    r.body = std::move(body.bytes);
    r.contentEncoding = std::move(body.contentEncoding);
    r.plainKnown = body.plainKnown;
    const QByteArray type = r.json ? "application/json" : "application/x-protobuf";
    r.contentType = variant ? type.toUpper() + "; charset=utf-8" : type;
    if (variant && !r.contentEncoding.isEmpty())
        r.contentEncoding = ' ' + r.contentEncoding.toUpper() + ' ';
    switch ((how >> 4) & 3) {
    case 1:
        r.contentType.clear();
        r.typeSupported = false;
        break;
    case 2:
        r.contentType = "text/plain";
        r.typeSupported = false;
        break;
    case 3:
        r.contentEncoding = "br";
        r.encodingSupported = false;
        break;
    default:
        break;
    }
    if (!(how & 0x40))
        r.tenant = "tenant";
    return r;
}

qsizetype entryCount(const PushRequest &request)
{
    qsizetype count = 0;
    for (const PushStream &stream : request.streams)
        count += qsizetype(stream.entries.size());
    return count;
}

//! What the request comes to, found apart from the Ingestor.
struct Expected
{
    //! The status of a refusal of the whole body; 0 when it decodes.
    int status = 0;
    //! The records it holds, and those of them stamped with the time of decoding (no
    //! timestamp of their own: they are new entries at every push).
    qsizetype entries = 0;
    qsizetype stampedNow = 0;
};

PushRequest decode(const Request &r, const QByteArray &plain, const PushCaps &caps, bool *ok,
                   bool *overCaps)
{
    PushRequest request;
    QString error;
    *overCaps = false;
    *ok = r.json ? decodeOtlpJson(plain, &request, &error, caps, overCaps)
                 : decodeOtlpProtobuf(plain, &request, &error, caps, overCaps);
    FUZZ_CHECK(*ok ? error.isEmpty() && !*overCaps : *overCaps || !error.isEmpty(),
               "a decoder's result and its error disagree: " + error.toUtf8());
    return request;
}

Expected expect(const Request &r, const LimitValues &limits, qint64 startNs)
{
    Expected e;
    // In the Ingestor's order: Content-Encoding, inflating, Content-Type, decoding.
    if (!r.encodingSupported) {
        e.status = 400;
        return e;
    }
    const qint64 limit = limits.maxDecompressedBytes;
    QByteArray plain = r.plain;
    if (!r.plainKnown) {
        QString error;
        const Inflated inflated = r.contentEncoding.trimmed().toLower() == "gzip"
                ? gzipUncompress(r.body, &plain, &error, limit)
                : deflateUncompress(r.body, &plain, &error, limit);
        if (inflated != Inflated::Ok) {
            e.status = inflated == Inflated::TooLarge ? 413 : 400;
            return e;
        }
        FUZZ_CHECK(limit <= 0 || plain.size() <= limit, "inflated beyond the limit");
    } else if (!r.contentEncoding.isEmpty() && limit > 0 && plain.size() > limit) {
        e.status = 413; // the limit on inflated bytes, known here without inflating
        return e;
    }
    if (!r.typeSupported) {
        e.status = 415;
        return e;
    }
    const PushCaps caps {limits.maxStreamsPerPush, limits.maxEntriesPerPush};
    bool ok = false;
    bool overCaps = false;
    const PushRequest request = decode(r, plain, caps, &ok, &overCaps);
    // The caps refuse what holds more than they allow, and change nothing else.
    bool uncappedOk = false;
    bool uncappedOver = false;
    const PushRequest uncapped = decode(r, plain, {}, &uncappedOk, &uncappedOver);
    FUZZ_CHECK(uncappedOk == (ok || overCaps), "the push caps changed whether a body decodes");
    if (ok) {
        FUZZ_CHECK(qint64(request.streams.size()) <= caps.maxStreams
                           && qint64(entryCount(request)) <= caps.maxEntries,
                   "a body beyond the push caps decoded");
        FUZZ_CHECK(entryCount(request) == entryCount(uncapped)
                           && request.streams.size() == uncapped.streams.size(),
                   "the push caps changed what a body holds");
    }
    if (!ok) {
        e.status = overCaps ? 413 : 400;
        return e;
    }
    for (const PushStream &stream : request.streams) {
        FUZZ_CHECK(!stream.entries.empty(), "a decoded stream without entries");
        for (const PushEntry &entry : stream.entries)
            e.stampedNow += entry.timestampNs >= startNs ? 1 : 0;
    }
    e.entries = entryCount(request);
    return e;
}

QByteArray describe(const IngestResult &r)
{
    return "status " + QByteArray::number(r.status) + ", accepted " + QByteArray::number(r.accepted)
            + ", rejected " + QByteArray::number(r.rejected) + ", duplicates "
            + QByteArray::number(r.duplicates) + ": " + r.message.left(300);
}

void checkResult(const IngestResult &r)
{
    FUZZ_CHECK(r.status == 204 || r.status == 400 || r.status == 413 || r.status == 415,
               describe(r));
    FUZZ_CHECK((r.status == 204) == r.message.isEmpty(),
               "message and status disagree: " + describe(r));
    FUZZ_CHECK(r.status != 204 || r.rejected == 0, "204 with rejected entries: " + describe(r));
    FUZZ_CHECK(r.accepted >= 0 && r.rejected >= 0 && r.duplicates >= 0,
               "negative counts: " + describe(r));
}

// What was stored is within the limits: the stream's labels, the line, the metadata, the
// timestamp (between the oldest and the newest the clock allowed during the push).
void checkStored(const EntryStore &store, const LimitValues &limits, qint64 startNs, qint64 endNs)
{
    const qint64 maxAgeNs = qint64(limits.rejectOldSamplesMaxAge.count()) * 1000000;
    const qint64 graceNs = qint64(limits.creationGracePeriod.count()) * 1000000;
    for (const EntryStore::Entry &entry : store.entries()) {
        const EntryStore::Stream &stream = store.streams().at(entry.stream);
        FUZZ_CHECK(!stream.labels.empty()
                           && qsizetype(stream.labels.size()) <= limits.maxLabelNamesPerSeries,
                   "stored with " + QByteArray::number(qsizetype(stream.labels.size()))
                           + " labels: " + stream.key);
        for (const auto &[name, value] : stream.labels) {
            FUZZ_CHECK(name.size() <= limits.maxLabelNameLength
                               && value.size() <= limits.maxLabelValueLength,
                       "a stored label beyond the limits: " + stream.key);
        }
        FUZZ_CHECK(entry.line.size() <= limits.maxLineSize,
                   "a stored line of " + QByteArray::number(entry.line.size()) + " bytes");
        FUZZ_CHECK(entry.structuredMetadata.empty()
                           || (limits.allowStructuredMetadata
                               && metadataSize(entry.structuredMetadata)
                                       <= limits.maxStructuredMetadataSize
                               && qsizetype(entry.structuredMetadata.size())
                                       <= limits.maxStructuredMetadataCount),
                   "stored metadata beyond the limits");
        FUZZ_CHECK((!limits.rejectOldSamples || entry.timestampNs >= startNs - maxAgeNs)
                           && entry.timestampNs <= endNs + graceNs,
                   "stored with timestamp " + QByteArray::number(entry.timestampNs));
    }
}

// ExportLogsServiceResponse { partial_success = 1 { rejected_log_records = 1,
// error_message = 2 } } or google.rpc.Status { code = 1, message = 2 }: the fields of the
// message at the top, or of the one in field 1 (\a nested).
void readAnswer(const QByteArray &answer, bool nested, qint64 *number, QByteArray *text)
{
    WireReader r(answer.constData(), answer.constData() + answer.size());
    const char *b = answer.constData();
    const char *e = b + answer.size();
    if (nested && !r.atEnd()) {
        quint32 field = 0;
        int type = 0;
        FUZZ_CHECK(r.readTag(&field, &type) && field == 1 && type == LengthDelimited
                           && r.readBytes(&b, &e) && r.atEnd(),
                   "an ExportLogsServiceResponse that is not one: " + answer.toHex());
    } else if (nested) {
        return;
    }
    WireReader inner(b, e);
    quint32 field = 0;
    int type = 0;
    while (!inner.atEnd() && inner.readTag(&field, &type)) {
        const char *tb = nullptr;
        const char *te = nullptr;
        if (field == 1 && type == Varint) {
            *number = qint64(inner.readVarint());
        } else {
            FUZZ_CHECK(field == 2 && type == LengthDelimited && inner.readBytes(&tb, &te),
                       "an answer with an unknown field: " + answer.toHex());
            *text = QByteArray(tb, te - tb);
        }
    }
    FUZZ_CHECK(!inner.failed(), "an answer that does not decode: " + answer.toHex());
}

/*!
    The body the HTTP handler answers with: an ExportLogsServiceResponse for a stored push
    (its partial_success counting the records refused by validation), else a
    google.rpc.Status; in the request's encoding, saying what the result says.
*/
void checkAnswer(const IngestResult &result, bool json)
{
    const bool exported = result.status == 204 || (result.status == 400 && result.rejected > 0);
    const qint64 rejected = result.status == 204 ? 0 : result.rejected;
    const QByteArray answer = exported ? otlpExportResponse(json, rejected, result.message)
                                       : otlpStatus(json, 0, result.message);
    const QString message = QString::fromUtf8(result.message);
    if (json) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(answer, &error);
        FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject(),
                   "an answer that is not a JSON object: " + answer);
        const QJsonObject object = doc.object();
        if (exported && rejected == 0) {
            FUZZ_CHECK(object.isEmpty(), "a full success that says more: " + answer);
        } else if (exported) {
            const QJsonObject partial = object.value(QLatin1String("partialSuccess")).toObject();
            FUZZ_CHECK(partial.value(QLatin1String("rejectedLogRecords")).toString()
                                       == QString::number(rejected)
                               && partial.value(QLatin1String("errorMessage")).toString()
                                       == message,
                       "a partial success that says otherwise: " + answer);
        } else {
            FUZZ_CHECK(object.value(QLatin1String("message")).toString() == message,
                       "a status that says otherwise: " + answer);
        }
        return;
    }
    qint64 number = 0;
    QByteArray text;
    readAnswer(answer, exported, &number, &text);
    const QByteArray said = rejected > 0 || !exported ? result.message : QByteArray();
    FUZZ_CHECK(number == (exported ? rejected : 0) && text == said,
               "an answer that says otherwise: " + answer.toHex());
}

void run(const QByteArray &input)
{
    if (input.size() < 2)
        return;
    const auto setup = quint8(input.at(1));
    const Request request = makeRequest(quint8(input.at(0)), input.mid(2));
    const bool answersJson =
            request.contentType.split(';').constFirst().trimmed().toLower() == "application/json";

    LimitValues limits;
    limits.rejectOldSamples = !(setup & 0x01);
    limits.allowStructuredMetadata = !(setup & 0x02);
    if (setup & 0x20) {
        limits.maxDecompressedBytes = 4096;
        limits.maxStreamsPerPush = 3;
        limits.maxEntriesPerPush = 8;
    }
    if (setup & 0x40) {
        limits.maxLineSize = 64;
        limits.maxLabelNamesPerSeries = 4;
        limits.maxLabelValueLength = 32;
        limits.maxStructuredMetadataCount = 8;
        limits.maxStructuredMetadataSize = 256;
    }
    if (setup & 0x80)
        limits.outOfOrderWindow = std::chrono::milliseconds(1);
    EntryStore store;
    const bool smallStore = setup & 0x10;
    if (smallStore)
        store.setMaxEntries(3);
    Ingestor ingestor(&store);
    ingestor.setLimits(limits);
    const bool countingOnly = setup & 0x04;
    ingestor.setCountingOnly(countingOnly);
    QByteArray storeFile;
    QBuffer device(&storeFile);
    if (setup & 0x08) {
        device.open(QIODevice::WriteOnly);
        ingestor.setStoreDevice(&device);
    }

    const qint64 startNs = currentTimeNs();
    const IngestResult first = ingestor.ingestOtlp(request.body, request.contentType,
                                                   request.contentEncoding, request.tenant);
    checkResult(first);
    checkAnswer(first, answersJson);
    const Expected expected = expect(request, limits, startNs);
    if (expected.status != 0) {
        FUZZ_CHECK(first.status == expected.status && first.accepted == 0 && first.rejected == 0
                           && first.duplicates == 0,
                   "expected a refusal with status " + QByteArray::number(expected.status)
                           + ", got " + describe(first));
    } else {
        FUZZ_CHECK(first.status == 204 || first.status == 400, describe(first));
        FUZZ_CHECK(first.accepted + first.rejected + first.duplicates == expected.entries,
                   describe(first) + " for " + QByteArray::number(expected.entries)
                           + " records decoded");
    }
    if (countingOnly) {
        FUZZ_CHECK(store.entries().empty(), "counting only, yet entries were stored");
        return;
    }
    if (smallStore) {
        FUZZ_CHECK(store.entries().size() <= 3, "the store holds more than its limit");
    } else {
        FUZZ_CHECK(qsizetype(store.entries().size()) == first.accepted,
                   "the store gained " + QByteArray::number(qsizetype(store.entries().size()))
                           + " entries for " + describe(first));
    }
    checkStored(store, limits, startNs, currentTimeNs());
    if (device.isOpen())
        PushHarness::checkStoreFile(storeFile, first.accepted);

    // The same body again: a refusal is repeated word for word; what was stored is a
    // duplicate now (or, as in Loki, too far behind the stream's newest entry), but for
    // the records stamped with the time of this push.
    const qsizetype storedBefore = qsizetype(store.entries().size());
    const IngestResult second = ingestor.ingestOtlp(request.body, request.contentType,
                                                    request.contentEncoding, request.tenant);
    checkResult(second);
    if (expected.status != 0) {
        FUZZ_CHECK(second.status == first.status && second.message == first.message
                           && second.accepted == 0 && second.rejected == 0,
                   "a refused body was judged differently the second time: " + describe(second));
        return;
    }
    FUZZ_CHECK(second.accepted + second.rejected + second.duplicates == expected.entries,
               "the second push: " + describe(second));
    FUZZ_CHECK(second.rejected >= first.rejected,
               "the second push refused less: " + describe(second));
    if (!smallStore) {
        FUZZ_CHECK(second.accepted <= expected.stampedNow,
                   "a second push of the same body stored entries again: " + describe(second) + ", "
                           + QByteArray::number(expected.stampedNow)
                           + " records without a timestamp");
        FUZZ_CHECK(qsizetype(store.entries().size()) - storedBefore == second.accepted,
                   "the store gained other than the second push accepted");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(FuzzSupport::bytes(data, size));
    return 0;
}
