// SPDX-License-Identifier: MIT
// Scenario "throughput": entries per second from the first call until Loki acknowledged the
// last, and the client's CPU per delivered entry, per wire format.
#include "benchsystem.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace std::chrono_literals;

namespace bench {

using Run = ThroughputRun;

namespace {

Run runOnce(BenchContext &ctx, QLoki::WireFormat format)
{
    return runThroughputOnce(ctx, ctx.corpus, format, true);
}

} // namespace

/*!
    One burst of ctx.options.throughputEntries entries from one thread, each with its fields
    written in the call as the README does (logger.info(line, {{"label_service", "checkout"},
    {"label_region", region}, {"order_id", id}, {"amount", amount}})). The default
    configuration but for the format (what is compared) and OverflowPolicy::Block: the burst
    waits for room instead of losing entries (DropOldest, the default, would drop most of
    it), so that what is measured is the rate at which every entry reaches Loki.
*/
ThroughputRun runThroughputOnce(BenchContext &ctx, const Corpus &corpus, QLoki::WireFormat format,
                                bool redactSecrets)
{
    Run r;
    const int entries = ctx.options.throughputEntries;
    LokiConfig config = benchConfig(ctx.receiver.baseUrl());
    config.setFormat(format);
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    if (!redactSecrets) // what the redaction scenario compares
        config.setRedactSecrets(false);
    LokiLogger logger;
    std::vector<qint64> latencies;
    QObject::connect(&logger, &LokiLogger::batchDelivered, &logger,
                     [&](int, qint64, int, qint64 latencyMs) { latencies.push_back(latencyMs); });
    if (!initLogger(logger, config))
        return r;
    const qint64 receivedBefore = ctx.receiver.acceptedTotal();
    const double receiverCpu0 = ctx.receiver.cpuSeconds();
    const double cpu0 = processCpuSeconds();
    const double callerCpu0 = threadCpuSeconds();
    const std::vector<ThreadSample> threads0 = threadSamples();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < entries; ++i) {
        const std::size_t k = std::size_t(i % corpus.size());
        usercalls::corpusMemberCall(logger, corpus.lines[k], corpus.regions[k], corpus.orderIds[k],
                                    corpus.amounts[k]);
    }
    const bool flushed = logger.flush(120s);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = processCpuSeconds();
    r.callerCpuSeconds = threadCpuSeconds() - callerCpu0;
    const std::vector<ThreadSample> threads1 = threadSamples();
    const auto named = [](const char *name) {
        return [name](const ThreadSample &t) { return t.name == name; };
    };
    const ThreadsDelta sender = threadsDelta(threads0, threads1, named(SenderThreadName));
    const ThreadsDelta network = threadsDelta(threads0, threads1, named(NetworkThreadName));
    const int self = currentThreadId();
    const ThreadsDelta caller = threadsDelta(
            threads0, threads1, [self](const ThreadSample &t) { return t.tid == self; });
    r.senderCpuSeconds = sender.cpuSeconds;
    r.networkCpuSeconds = network.cpuSeconds;
    r.clientSleeps = caller.voluntary + sender.voluntary + network.voluntary;
    r.receiverCpuSeconds = ctx.receiver.cpuSeconds() - receiverCpu0;
    const LokiStats s = logger.stats();
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.entriesPerSecond = double(s.delivered()) / r.seconds;
    r.cpuSeconds = cpu1 - cpu0;
    r.delivered = s.delivered();
    r.redacted = s.redacted();
    const qint64 receivedAfter = ctx.receiver.acceptedTotal();
    if (receivedBefore >= 0 && receivedAfter >= 0)
        r.receiverCounted = receivedAfter - receivedBefore;
    r.ok = flushed && s.delivered() == quint64(entries) && s.dropped() == 0
            && r.receiverCounted == entries;
    QCoreApplication::processEvents(); // the queued batchDelivered signals
    r.pushes = int(latencies.size());
    if (!latencies.empty()) {
        std::sort(latencies.begin(), latencies.end());
        r.latencyMsMedian = double(latencies[latencies.size() / 2]);
    }
    return r;
}

void runThroughput(BenchContext &ctx)
{
    ctx.results.beginSection("throughput");
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
    const int entries = ctx.options.throughputEntries;
    for (const auto &f : formats) {
        if (!formatWanted(ctx.options, QLoki::wireFormatName(f.format)))
            continue;
        std::vector<double> eps, cpuUs, callerCpuUs, senderCpuUs, networkCpuUs, receiverCpuUs,
                latency, sleepsPerPush;
        bool ok = true;
        for (int i = 0; i < ctx.options.repeat; ++i) {
            const Run r = runOnce(ctx, f.format);
            ok = ok && r.ok;
            const auto perEntry = [&r](double seconds) {
                return r.delivered ? 1e6 * seconds / double(r.delivered) : NAN;
            };
            eps.push_back(r.entriesPerSecond);
            cpuUs.push_back(perEntry(r.cpuSeconds));
            callerCpuUs.push_back(perEntry(r.callerCpuSeconds));
            senderCpuUs.push_back(perEntry(r.senderCpuSeconds));
            networkCpuUs.push_back(perEntry(r.networkCpuSeconds));
            receiverCpuUs.push_back(perEntry(r.receiverCpuSeconds));
            latency.push_back(r.latencyMsMedian);
            sleepsPerPush.push_back(r.pushes > 0 ? double(r.clientSleeps) / r.pushes : NAN);
            std::printf("3. Throughput %-9s run %d: %d entries in %.2f s = %s entries/s; client "
                        "CPU %.2f s (%.2f us/entry: the logging thread %.2f, the sender %.2f, "
                        "Qt's network thread %.2f), receiver CPU %.2f s; %d pushes answered "
                        "after %.0f ms (median), %.1f sleeps of the client's threads a push; "
                        "delivered %llu, receiver counted %lld%s\n",
                        f.key, i + 1, entries, r.seconds, grouped(r.entriesPerSecond).c_str(),
                        r.cpuSeconds, cpuUs.back(), callerCpuUs.back(), senderCpuUs.back(),
                        networkCpuUs.back(), r.receiverCpuSeconds, r.pushes, r.latencyMsMedian,
                        sleepsPerPush.back(), static_cast<unsigned long long>(r.delivered),
                        r.receiverCounted, r.ok ? "" : " (MISMATCH)");
            std::fflush(stdout);
        }
        ctx.ok = ctx.ok && ok;
        const std::string k = f.key;
        ctx.results.add(
                "throughput_eps_" + k, std::string("throughput ") + f.label, "entries/s", eps,
                f.format == QLoki::WireFormat::Protobuf ? Target::atLeast(1000000) : Target {},
                "grouped");
        ctx.results.add("client_cpu_us_per_entry_" + k,
                        std::string("client CPU per delivered entry ") + f.label, "us", cpuUs,
                        f.format == QLoki::WireFormat::Protobuf ? Target::atMost(0.6) : Target {},
                        "%.2f");
        ctx.results.add("logging_thread_cpu_us_per_entry_" + k,
                        std::string("  of which the logging thread, ") + f.label, "us", callerCpuUs,
                        {}, "%.2f");
        ctx.results.add("sender_thread_cpu_us_per_entry_" + k,
                        std::string("  of which the sender thread, ") + f.label, "us", senderCpuUs,
                        {}, "%.2f");
        ctx.results.add("network_thread_cpu_us_per_entry_" + k,
                        std::string("  of which Qt's network thread, ") + f.label, "us",
                        networkCpuUs, {}, "%.2f");
        ctx.results.add("client_sleeps_per_push_" + k,
                        std::string("sleeps of the logging, sender and network threads a push, ")
                                + f.label,
                        "", sleepsPerPush, {}, "%.1f");
        ctx.results.add("receiver_cpu_us_per_entry_" + k,
                        std::string("receiver CPU per entry ") + f.label, "us", receiverCpuUs, {},
                        "%.2f");
        ctx.results.add("push_latency_ms_" + k,
                        std::string("push answered after, median ") + f.label, "ms", latency, {},
                        "%.0f");
    }
}

} // namespace bench
