// SPDX-License-Identifier: MIT
// Scenario "wire": request body bytes per delivered entry, per wire format, for the bench's
// request lines and for ordinary application messages.
#include "scenario.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace std::chrono_literals;

namespace bench {

namespace {

/*!
    \a entries entries of \a corpus with the default configuration but the format and
    OverflowPolicy::Block (a burst that waited for room loses nothing; the default buffer of
    1,000 gives batches of 500). Bytes of the acknowledged bodies per delivered entry, or
    NaN when not every entry was delivered.
*/
double bytesPerEntry(BenchContext &ctx, const Corpus &corpus, QLoki::WireFormat format, int entries)
{
    LokiConfig config = benchConfig(ctx.receiver.baseUrl());
    config.setFormat(format);
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    LokiLogger logger;
    if (!initLogger(logger, config))
        return NAN;
    for (int i = 0; i < entries; ++i)
        logger.info(corpus.line(i), corpus.fieldMap(i));
    const bool flushed = logger.flush(60s);
    const LokiStats s = logger.stats();
    QCoreApplication::processEvents();
    if (!flushed || s.delivered() != quint64(entries)) {
        ctx.ok = false;
        return NAN;
    }
    return double(s.bytesSent()) / double(s.delivered());
}

} // namespace

void runWireBytes(BenchContext &ctx)
{
    ctx.results.beginSection("wire");
    const int entries = ctx.options.wireEntries;
    const Corpus messages = Corpus::applicationMessages(4096);
    const struct
    {
        const Corpus *corpus;
        const char *key;
        const char *label;
    } corpora[] = {{&ctx.corpus, "request", "request lines"},
                   {&messages, "messages", "application messages"}};
    const struct
    {
        QLoki::WireFormat format;
        const char *key;
        const char *label;
    } formats[] = {{QLoki::WireFormat::Json, "json", "JSON"},
                   {QLoki::WireFormat::JsonGzip, "json_gzip", "JSON+gzip"},
                   {QLoki::WireFormat::Protobuf, "protobuf", "protobuf+snappy"},
                   // OTLP/HTTP to the receiver's /otlp/v1/logs (Loki 3's endpoint)
                   {QLoki::WireFormat::Otlp, "otlp", "OTLP protobuf"},
                   {QLoki::WireFormat::OtlpGzip, "otlp_gzip", "OTLP protobuf+gzip"},
                   {QLoki::WireFormat::OtlpJson, "otlp_json", "OTLP JSON"}};
    for (const auto &c : corpora) {
        double json = NAN;
        double protobuf = NAN;
        std::string line;
        for (const auto &f : formats) {
            if (!formatWanted(ctx.options, QLoki::wireFormatName(f.format)))
                continue;
            const double bytes = bytesPerEntry(ctx, *c.corpus, f.format, entries);
            if (f.format == QLoki::WireFormat::Json)
                json = bytes;
            if (f.format == QLoki::WireFormat::Protobuf)
                protobuf = bytes;
            ctx.results.add(std::string("wire_bytes_") + c.key + "_" + f.key,
                            std::string("wire bytes per entry, ") + c.label + ", " + f.label, "B",
                            {bytes});
            line += (line.empty() ? "" : ", ") + std::string(f.label) + " "
                    + formatted("%.1f", bytes);
        }
        const bool request = c.corpus == &ctx.corpus;
        ctx.results.add(std::string("wire_protobuf_share_of_json_") + c.key,
                        std::string("protobuf+snappy bytes as % of JSON's, ") + c.label, "%",
                        {100.0 * protobuf / json}, request ? Target::atMost(30) : Target {},
                        "%.1f");
        std::printf("4. Wire bytes per entry, %d %s (labels service and region, metadata "
                    "order_id and amount): %s; protobuf is %.1f%% of JSON\n",
                    entries, c.label, line.c_str(), 100.0 * protobuf / json);
        std::fflush(stdout);
    }
}

} // namespace bench
