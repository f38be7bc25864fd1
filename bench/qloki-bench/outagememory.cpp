// SPDX-License-Identifier: MIT
// Scenario "outage": the memory entries cost while Loki is down. First per entry, against
// the bytes the queue holds for it, at the peak (the largest of reads 1 ms apart, while the
// sender has not compacted the backlog yet) and settled (RSS held still); then with lines of
// 1 MB, against the buffer's byte bound.
#include "benchsystem.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/Loki>

#include <QtCore/QCoreApplication>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <type_traits>

using namespace std::chrono_literals;

namespace bench {

namespace {

// The memory buffer's bound in bytes: 16 MiB, fixed in this version (not a LokiConfig
// option), beside bufferSize() in entries.
constexpr double BufferBoundBytes = 16.0 * 1024 * 1024;
// Nothing listens on port 1: every push fails at once.
const char *const DownUrl = "http://127.0.0.1:1";

// LokiStats::bytesHeld(), where this version of the library has it: the bytes the queue
// counts against its bound, read beside the bench's own count.
template<typename Stats, typename = void>
struct HasBytesHeld : std::false_type
{
};
template<typename Stats>
struct HasBytesHeld<Stats, std::void_t<decltype(std::declval<const Stats &>().bytesHeld())>>
    : std::true_type
{
};

template<typename Stats>
double statsBytesHeld(const Stats &stats)
{
    if constexpr (HasBytesHeld<Stats>::value)
        return double(stats.bytesHeld());
    else
        return NAN;
}

/*!
    Waits until RSS holds still (within 64 KiB over ten reads 100 ms apart: the sender is
    done compacting; at most 30 s) and returns it; \a seconds receives how long that took,
    less the ten reads.
*/
std::int64_t settledResident(double *seconds)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::int64_t rss = residentBytes();
    for (int i = 0, still = 0; i < 300 && still < 10; ++i) {
        std::this_thread::sleep_for(100ms);
        const std::int64_t now = residentBytes();
        still = std::abs(now - rss) <= 64 * 1024 ? still + 1 : 0;
        rss = now;
    }
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() - 1.0;
    return rss;
}

void perEntry(BenchContext &ctx)
{
    const Corpus &corpus = ctx.corpus;
    const int n = ctx.options.outageEntries;
    // Pinned: how many entries are held is what is measured (the default holds 1,000).
    LokiConfig config = benchConfig(QUrl(QString::fromLatin1(DownUrl)));
    config.setBufferSize(n);
    if (!initGlobal(config))
        return;
    const quint64 dropped0 = Loki::instance()->stats().dropped();
    std::this_thread::sleep_for(200ms);
    trimHeap();
    const std::int64_t rss0 = residentBytes();
    PeakResidentSampler sampler;
    sampler.start();
    // The bytes the queue holds for an entry once resolved: the line and each metadata pair
    // as UTF-8, names and values each after a varint length. The labels (service, region)
    // are the stream's, shared by its entries, and not counted.
    static const qint64 namesHeld = 2 + qint64(sizeof "order_id") - 1 + qint64(sizeof "amount") - 1;
    qint64 lineBytes = 0;
    qint64 heldBytes = 0;
    for (int i = 0; i < n; ++i) {
        const std::size_t k = std::size_t(i % corpus.size());
        // A line and an order id of the entry's own, as an application makes them.
        QString line = corpus.lines[k];
        line.detach();
        QString orderId = corpus.orderIds[k];
        orderId.detach();
        const qint64 utf8 = utf8Length(line);
        const qint64 amount = utf8Length(renderedDouble(corpus.amounts[k]));
        lineBytes += utf8;
        heldBytes += utf8 + namesHeld + varintLength(quint64(orderId.size())) + orderId.size()
                + varintLength(quint64(amount)) + amount;
        usercalls::outageCall(line, corpus.regions[k], orderId, corpus.amounts[k]);
    }
    const std::int64_t rssAfterCalls = residentBytes();
    double settleSeconds = 0;
    const std::int64_t rssSettled = settledResident(&settleSeconds);
    sampler.stop();
    const LokiStats s = Loki::instance()->stats();
    const double held = double(s.pending());
    const double line = double(lineBytes) / n;
    const double queue = double(heldBytes) / n;
    const double peak = double(sampler.peak() - rss0) / held;
    const double settled = double(rssSettled - rss0) / held;
    const quint64 dropped = s.dropped() - dropped0;
    const bool ok = s.pending() == quint64(n) && dropped == 0;
    ctx.ok = ctx.ok && ok;

    Results &r = ctx.results;
    r.add("outage_line_utf8_per_entry", "line UTF-8 per buffered entry", "B", {line});
    r.add("outage_held_bytes_per_entry", "bytes the queue holds per entry (line + metadata)", "B",
          {queue});
    // Added only where LokiStats counts them (a NaN run is left out).
    r.add("outage_stats_bytes_held_per_entry", "LokiStats::bytesHeld() per entry, settled", "B",
          {statsBytesHeld(s) / held});
    r.add("outage_rss_peak_per_entry", "RSS growth per buffered entry, peak", "B", {peak});
    r.add("outage_rss_settled_per_entry", "RSS growth per buffered entry, settled", "B", {settled});
    r.add("outage_peak_beyond_line", "peak RSS per entry beyond the line's UTF-8", "B",
          {peak - line}, Target::atMost(256));
    r.add("outage_settled_beyond_line", "settled RSS per entry beyond the line's UTF-8", "B",
          {settled - line}, Target::atMost(64));
    r.add("outage_settled_beyond_held", "settled RSS per entry beyond what the queue holds", "B",
          {settled - queue});
    r.add("outage_settle_s", "time until RSS held still after the last call", "s", {settleSeconds},
          {}, "%.1f");
    std::printf("5. Outage, %d entries logged with Loki down (bufferSize %d, Loki::info(line, "
                "{{\"label_service\", \"checkout\"}, {\"label_region\", region}, {\"order_id\", "
                "id}, {\"amount\", amount}})): held %llu, dropped %llu%s\n"
                "   per entry: line %.1f B UTF-8, the queue holds %.1f B (line + metadata as "
                "stored); RSS growth at the peak %.1f B (max of %d reads, 1 ms apart), right "
                "after the last call %.1f B, settled %.1f B (RSS held still from %.1f s after the "
                "last call)\n"
                "   beyond the line: peak %.1f B, settled %.1f B; beyond what the queue holds: "
                "settled %.1f B\n",
                n, n, static_cast<unsigned long long>(s.pending()),
                static_cast<unsigned long long>(dropped), ok ? "" : " (MISMATCH)", line, queue,
                peak, sampler.samples(), double(rssAfterCalls - rss0) / held, settled,
                settleSeconds, peak - line, settled - line, settled - queue);
    std::fflush(stdout);
    Loki::shutdown(); // Loki is down: waits shutdownTimeout (5 s), then drops what is pending
}

void largeLines(BenchContext &ctx)
{
    const int n = ctx.options.largeLines;
    // The default configuration: 1,000 entries, 16 MiB, lines cut to 256 KiB in the call.
    LokiConfig config = benchConfig(QUrl(QString::fromLatin1(DownUrl)));
    if (!initGlobal(config))
        return;
    const int maxLine = config.maxLineBytes();
    const quint64 dropped0 = Loki::instance()->stats().dropped();
    std::vector<QString> lines;
    for (int i = 0; i < 4; ++i)
        lines.push_back(QString(1000000, QLatin1Char(char('a' + i))));
    std::this_thread::sleep_for(200ms);
    trimHeap();
    const std::int64_t rss0 = residentBytes();
    PeakResidentSampler sampler;
    sampler.start();
    for (int i = 0; i < n; ++i)
        usercalls::lineOnly(lines[std::size_t(i % 4)]);
    double settleSeconds = 0;
    const std::int64_t rssSettled = settledResident(&settleSeconds);
    sampler.stop();
    const LokiStats s = Loki::instance()->stats();
    // The held lines as Loki would get them (UTF-8, cut); while an entry waits unresolved
    // the queue holds its line as UTF-16, twice that.
    const double heldBytes = double(s.pending()) * qMin(1000000, maxLine);
    const quint64 dropped = s.dropped() - dropped0;
    const double peak = double(sampler.peak() - rss0);
    const double settled = double(rssSettled - rss0);
    constexpr double MiB = 1024.0 * 1024.0;

    Results &r = ctx.results;
    r.add("outage_large_held_entries", "1 MB lines held at the end", "", {double(s.pending())}, {},
          "%.0f");
    r.add("outage_large_peak_mib", "peak RSS growth, 1 MB lines", "MiB", {peak / MiB});
    r.add("outage_large_settled_mib", "settled RSS growth, 1 MB lines", "MiB", {settled / MiB});
    r.add("outage_large_peak_per_bound", "peak RSS growth / the 16 MiB byte bound", "",
          {peak / BufferBoundBytes}, {}, "%.2f");
    r.add("outage_large_peak_per_held_byte", "peak RSS growth per byte of the held lines (UTF-8)",
          "", {peak / heldBytes}, {}, "%.2f");
    std::printf("5. Outage, %d lines of 1,000,000 bytes logged with Loki down (default "
                "configuration: cut to %d bytes in the call; the buffer holds at most 1,000 "
                "entries and 16 MiB): held %llu (%.1f MiB of lines in UTF-8), dropped %llu; RSS "
                "growth at the peak %.1f MiB (%.2f of the bound, %.2f per byte of the held "
                "lines), settled %.1f MiB after %.1f s\n",
                n, maxLine, static_cast<unsigned long long>(s.pending()), heldBytes / MiB,
                static_cast<unsigned long long>(dropped), peak / MiB, peak / BufferBoundBytes,
                peak / heldBytes, settled / MiB, settleSeconds);
    std::fflush(stdout);
    Loki::shutdown();
}

} // namespace

void runOutageMemory(BenchContext &ctx)
{
    ctx.results.beginSection("outage");
    perEntry(ctx);
    largeLines(ctx);
    QCoreApplication::processEvents();
}

} // namespace bench
