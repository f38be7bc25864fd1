// SPDX-License-Identifier: MIT
// Any line, labels and metadata through QLoki's own pipeline (Batcher, metadata embedding,
// line limit, the JSON, gzip JSON and protobuf encoders) and into the receiver
// (Ingestor::ingest(), as the HTTP handler runs it, with Loki's validation). Every push is
// accepted, and every entry comes back as roundtripmodel.h says the documented repairs
// make it: labels, line and metadata byte for byte, the same from all three encoders.
#include "fuzzsupport.h"
#include "roundtripmodel.h"

#include "encoding/pushencoder_p.h"
#include "pipeline/batcher_p.h"
#include "pipeline/lineshaping_p.h"

#include "ingest_p.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <map>

using namespace QLoki;
using namespace QLoki::detail;
using namespace LokiReceiverInternal;
namespace Model = RoundTripModel;

namespace {

// 2024-11-24T00:00:00Z: entries are T0, T0 + 1, ... (old samples are accepted).
constexpr qint64 T0 = 1732406400LL * 1000000000LL;

// Text of every kind a caller may pass: names that are nearly valid, raw UTF-16 (lone
// surrogates included), decoded UTF-8 (broken sequences included), control characters.
QString takeText(FuzzedDataProvider &in, size_t maxLength)
{
    static const char alphabet[] = "abz_AZ09-. \"\\=\n\r\t{}";
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: {
        QString out;
        for (const char c : in.ConsumeBytes<char>(in.ConsumeIntegralInRange<size_t>(0, maxLength)))
            out += QLatin1Char(alphabet[quint8(c) % (sizeof alphabet - 1)]);
        return out;
    }
    case 1: {
        QString out;
        const size_t n = in.ConsumeIntegralInRange<size_t>(0, maxLength);
        for (size_t i = 0; i < n && in.remaining_bytes() > 0; ++i)
            out += QChar(in.ConsumeIntegral<char16_t>());
        return out;
    }
    case 2: {
        const std::string bytes = in.ConsumeRandomLengthString(maxLength);
        return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
    }
    default: {
        const std::string bytes = in.ConsumeRandomLengthString(maxLength);
        return QString::fromLatin1(bytes.data(), qsizetype(bytes.size()));
    }
    }
}

QVariant takeValue(FuzzedDataProvider &in)
{
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0:
        return in.ConsumeIntegral<qlonglong>();
    case 1:
        return in.ConsumeBool();
    case 2: {
        const std::string bytes = in.ConsumeRandomLengthString(64);
        return QByteArray(bytes.data(), qsizetype(bytes.size()));
    }
    default:
        return takeText(in, 64);
    }
}

// A key that becomes a label, the `labels` map, or metadata.
QString takeKey(FuzzedDataProvider &in)
{
    switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
        return QStringLiteral("label_") + takeText(in, 16);
    case 1:
        return QStringLiteral("labels");
    default:
        return takeText(in, 16);
    }
}

Model::Call takeCall(FuzzedDataProvider &in)
{
    Model::Call call;
    call.level = Level(in.ConsumeIntegralInRange(0, 4));
    call.explicitLabels = in.ConsumeBool();
    call.line = takeText(in, 1200);
    const int fields = in.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < fields; ++i) {
        const QString key = takeKey(in);
        // A map is a map of labels; given apart from labels it would be metadata in JSON.
        if (key == QLatin1String("labels") && !call.explicitLabels && in.ConsumeBool()) {
            QVariantMap map;
            const int pairs = in.ConsumeIntegralInRange(0, 4);
            for (int j = 0; j < pairs; ++j)
                map.insert(takeText(in, 16), takeValue(in));
            call.fields.insert(key, map);
        } else {
            call.fields.insert(key, takeValue(in));
        }
    }
    if (call.explicitLabels) {
        const int labels = in.ConsumeIntegralInRange(0, 4);
        for (int i = 0; i < labels; ++i)
            call.labels.insert(takeText(in, 16), takeText(in, 32));
    }
    return call;
}

Model::Config takeConfig(FuzzedDataProvider &in)
{
    Model::Config config;
    config.appName = takeText(in, 32);
    if (config.appName.trimmed().isEmpty()) // validate() requires one
        config.appName = QStringLiteral("app");
    config.environment = takeText(in, 32);
    const int statics = in.ConsumeIntegralInRange(0, 3);
    QMap<QString, QString> staticLabels;
    for (int i = 0; i < statics; ++i) {
        // validate() accepts only valid names that are not reserved.
        const QString name = takeText(in, 16);
        if (Model::isValidName(name) && name != QLatin1String("app")
            && name != QLatin1String("environment") && name != QLatin1String("level"))
            staticLabels.insert(name, takeText(in, 32));
    }
    for (auto it = staticLabels.cbegin(); it != staticLabels.cend(); ++it)
        config.staticLabels.append({it.key(), it.value()});
    const MetadataMode modes[] = {MetadataMode::Structured, MetadataMode::Logfmt,
                                  MetadataMode::Json};
    config.metadataMode = modes[in.ConsumeIntegralInRange(0, 2)];
    // The limit is as small as validate() allows, so that the line limit's repairs are
    // reached without lines of 256 KiB (the default), which would make each run slow.
    config.maxLineBytes = in.ConsumeIntegralInRange(1024, 1100);
    config.lineLimitPolicy = in.ConsumeBool() ? LineLimitPolicy::Reject : LineLimitPolicy::Truncate;
    return config;
}

QByteArray describe(const Model::Utf8Pairs &pairs)
{
    QByteArray out;
    for (const auto &[name, value] : pairs)
        out += name.toHex() + '=' + value.toHex() + ' ';
    return out;
}

QByteArray describe(const Model::Stored &s)
{
    return "labels " + describe(s.labels) + "\n  line " + s.line.toHex() + "\n  metadata "
            + describe(s.metadata);
}

// What one receiver stored, by timestamp.
std::map<qint64, Model::Stored> storedEntries(const EntryStore &store)
{
    std::map<qint64, Model::Stored> out;
    for (const EntryStore::Entry &e : store.entries()) {
        Model::Stored s;
        for (const auto &[name, value] : store.streams().at(e.stream).labels)
            s.labels.append({name, value});
        s.line = e.line;
        for (const auto &[name, value] : e.structuredMetadata)
            s.metadata.append({name, value});
        std::sort(s.metadata.begin(), s.metadata.end());
        FUZZ_CHECK(out.emplace(e.timestampNs, s).second, "an entry was stored twice");
    }
    return out;
}

bool operator==(const Model::Stored &a, const Model::Stored &b)
{
    return a.labels == b.labels && a.line == b.line && a.metadata == b.metadata;
}

// What the documentation promises of every stored entry, whatever the input.
void checkLimits(const Model::Stored &s, int maxLineBytes)
{
    FUZZ_CHECK(!s.labels.isEmpty() && s.labels.size() <= 15, describe(s));
    for (const auto &[name, value] : s.labels) {
        FUZZ_CHECK(Model::isValidName(QString::fromLatin1(name)) && name.size() <= 1024,
                   "label name " + name);
        FUZZ_CHECK(!value.isEmpty() && value.size() <= 2048, "label value " + value.toHex());
        FUZZ_CHECK(QByteArrayView(value).isValidUtf8(), "label value " + value.toHex());
    }
    FUZZ_CHECK(s.line.size() <= maxLineBytes, "line of " + QByteArray::number(s.line.size()));
    FUZZ_CHECK(QByteArrayView(s.line).isValidUtf8(), "line " + s.line.toHex());
    for (const auto &[name, value] : s.metadata) {
        FUZZ_CHECK(Model::isValidName(QString::fromLatin1(name)), "metadata name " + name);
        FUZZ_CHECK(QByteArrayView(value).isValidUtf8(), "metadata value " + value.toHex());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider in(data, size);
    const Model::Config config = takeConfig(in);
    QList<Model::Call> calls;
    const int count = in.ConsumeIntegralInRange(1, 3);
    for (int i = 0; i < count; ++i)
        calls.append(takeCall(in));

    // The sender thread's way: resolve, build, embed metadata, apply the line limit.
    LabelList staticLabels;
    for (const auto &pair : config.staticLabels)
        staticLabels.append(pair);
    Batcher batcher(Batcher::Context {config.appName, config.environment, staticLabels,
                                      LabelLimits(), qint64(1) << 20});
    std::vector<QueuedEntry> queued;
    for (int i = 0; i < count; ++i) {
        PendingEntry entry;
        entry.seq = quint64(i + 1);
        entry.timestampNs = T0 + i;
        entry.level = calls[i].level;
        entry.explicitLabels = calls[i].explicitLabels;
        entry.line = calls[i].line;
        entry.fields = calls[i].fields;
        entry.labels = calls[i].labels;
        // A braced call's line waits in UTF-8 in its field block where no line limit can
        // apply to it (LokiLogger::log()): every other call without fields goes that way.
        if (i % 2 == 1 && entry.fields.isEmpty() && !entry.explicitLabels
            && surelyFits(entry.line.size(), config.maxLineBytes)) {
            entry.packed = PackedFields::pack(QStringView(entry.line), {});
            entry.line.clear();
        }
        const QueuedEntry first = batcher.resolve(entry);
        // The second time the call site is known, and the shortcut may take it.
        const QueuedEntry again = batcher.resolve(entry);
        FUZZ_CHECK(again.entry == first.entry && again.stream->labels == first.stream->labels,
                   "resolving the same entry twice gave two results");
        queued.push_back(first);
    }

    const std::unique_ptr<PushEncoder> encoders[] = {makeEncoder(WireFormat::Json),
                                                     makeEncoder(WireFormat::JsonGzip),
                                                     makeEncoder(WireFormat::Protobuf)};
    std::map<qint64, Model::Stored> received[3];
    for (int e = 0; e < 3; ++e) {
        EntryStore store;
        Ingestor ingestor(&store);
        LokiReceiverInternal::LimitValues limits;
        limits.rejectOldSamples = false;
        ingestor.setLimits(limits);
        for (size_t offset = 0; offset < queued.size();) {
            PushBatch batch;
            offset += size_t(batcher.build(queued.data() + offset,
                                           qsizetype(queued.size() - offset), &batch));
            embedMetadata(&batch, config.metadataMode);
            applyLineLimit(&batch, config.maxLineBytes, config.lineLimitPolicy);
            const int entries = batch.entryCount();
            const QByteArray body = encoders[e]->encode(batch);
            const IngestResult result = ingestor.ingest(body, encoders[e]->contentType(),
                                                        encoders[e]->contentEncoding());
            FUZZ_CHECK(result.status == 204,
                       "the receiver refused a push (encoder " + QByteArray::number(e)
                               + "): " + result.message);
            FUZZ_CHECK(result.accepted == entries,
                       QByteArray::number(result.accepted) + " of " + QByteArray::number(entries)
                               + " entries accepted");
        }
        received[e] = storedEntries(store);
    }

    for (int i = 0; i < count; ++i) {
        const std::optional<Model::Stored> want = Model::expected(config, calls[i]);
        for (int e = 0; e < 3; ++e) {
            const auto got = received[e].find(T0 + i);
            if (!want) {
                FUZZ_CHECK(got == received[e].end(), "an entry over the line limit was sent");
                continue;
            }
            FUZZ_CHECK(got != received[e].end(), "an entry was lost");
            FUZZ_CHECK(got->second == *want,
                       "entry " + QByteArray::number(i) + " (encoder " + QByteArray::number(e)
                               + ")\n got  " + describe(got->second) + "\n want "
                               + describe(*want));
            checkLimits(got->second, config.maxLineBytes);
        }
    }
    return 0;
}
