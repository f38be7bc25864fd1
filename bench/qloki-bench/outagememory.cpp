// SPDX-License-Identifier: MIT
// Scenario "outage": the memory entries cost while Loki is down. First per entry, against
// the line's UTF-8 and against the bytes the queue says it holds (LokiStats::bytesHeld()),
// at the peak (the largest of reads 1 ms apart, while the sender has not compacted the
// backlog yet) and settled (RSS held still); then with lines of 1 MB, against the buffer's
// byte bound (LokiConfig::bufferMaxBytes()).
#include "benchsystem.h"
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/Loki>

#include <QtCore/QCoreApplication>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

using namespace std::chrono_literals;

namespace bench {

namespace {

// Nothing listens on port 1: every push fails at once.
const char *const DownUrl = "http://127.0.0.1:1";
constexpr double MiB = 1024.0 * 1024.0;

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

//! The default logger's LokiStats::bytesHeld(), for the sampler's thread.
std::int64_t globalBytesHeld() { return Loki::instance()->stats().bytesHeld(); }

struct PerEntryRun
{
    double line = NAN; //!< the line's UTF-8 per entry
    double stored = NAN; //!< line and metadata as the queue stores them, by the bench's count
    double heldPeak = NAN; //!< bytesHeld() per entry at the RSS peak
    double heldSettled = NAN;
    double rssPeak = NAN; //!< RSS growth per entry
    double rssAfterCalls = NAN;
    double rssSettled = NAN;
    double settleSeconds = NAN;
    int samples = 0;
    quint64 held = 0;
    quint64 dropped = 0;
    bool ok = false;
};

/*!
    ctx.options.outageEntries entries of the corpus, each with a line and an order id of its
    own as an application makes them, logged with Loki down. Pinned: bufferSize and
    bufferMaxBytes, to hold every entry (how much memory held entries take is what is
    measured; the defaults hold at most 1,000 entries, too few to read per entry from RSS).
*/
PerEntryRun perEntryRun(BenchContext &ctx)
{
    PerEntryRun r;
    const Corpus &corpus = ctx.corpus;
    const int n = ctx.options.outageEntries;
    LokiConfig config = benchConfig(QUrl(QString::fromLatin1(DownUrl)));
    config.setBufferSize(n);
    config.setBufferMaxBytes(qint64(n) * 4096);
    if (!initGlobal(config))
        return r;
    const quint64 dropped0 = Loki::instance()->stats().dropped();
    std::this_thread::sleep_for(200ms);
    trimHeap();
    const std::int64_t rss0 = residentBytes();
    PeakResidentSampler sampler(globalBytesHeld);
    sampler.start();
    // What the queue stores for a resolved entry, counted by the bench: the line and each
    // metadata pair as UTF-8, names and values each after a varint length. The labels
    // (service, region) are the stream's, shared by its entries.
    static const qint64 namesStored =
            2 + qint64(sizeof "order_id") - 1 + qint64(sizeof "amount") - 1;
    qint64 lineBytes = 0;
    qint64 storedBytes = 0;
    for (int i = 0; i < n; ++i) {
        const std::size_t k = std::size_t(i % corpus.size());
        QString line = corpus.lines[k];
        line.detach();
        QString orderId = corpus.orderIds[k];
        orderId.detach();
        const qint64 utf8 = utf8Length(line);
        const qint64 amount = utf8Length(renderedDouble(corpus.amounts[k]));
        lineBytes += utf8;
        storedBytes += utf8 + namesStored + varintLength(quint64(orderId.size())) + orderId.size()
                + varintLength(quint64(amount)) + amount;
        usercalls::corpusCall(line, corpus.regions[k], orderId, corpus.amounts[k]);
    }
    const std::int64_t rssAfterCalls = residentBytes();
    double settleSeconds = 0;
    const std::int64_t rssSettled = settledResident(&settleSeconds);
    sampler.stop();
    const LokiStats s = Loki::instance()->stats();
    r.held = s.pending();
    r.dropped = s.dropped() - dropped0;
    r.ok = s.pending() == quint64(n) && r.dropped == 0;
    const double held = double(qMax<quint64>(1, s.pending()));
    r.line = double(lineBytes) / n;
    r.stored = double(storedBytes) / n;
    r.heldPeak = double(sampler.probeAtPeak()) / held;
    r.heldSettled = double(s.bytesHeld()) / held;
    r.rssPeak = double(sampler.peak() - rss0) / held;
    r.rssAfterCalls = double(rssAfterCalls - rss0) / held;
    r.rssSettled = double(rssSettled - rss0) / held;
    r.settleSeconds = settleSeconds;
    r.samples = sampler.samples();
    Loki::shutdown(); // Loki is down: waits shutdownTimeout (5 s), then drops what is pending
    QCoreApplication::processEvents();
    return r;
}

void perEntry(BenchContext &ctx)
{
    const int n = ctx.options.outageEntries;
    std::printf("5. Outage, %d entries logged with Loki down (bufferSize and bufferMaxBytes "
                "pinned to hold them all; Loki::info(line, {{\"label_service\", \"checkout\"}, "
                "{\"label_region\", region}, {\"order_id\", id}, {\"amount\", amount}})), "
                "per entry:\n",
                n);
    std::vector<double> line, heldPeak, heldSettled, rssPeak, rssSettled, peakBeyondLine,
            settledBeyondLine, peakBeyondHeld, settledBeyondHeld, settle;
    for (int i = 0; i < ctx.options.repeat; ++i) {
        const PerEntryRun r = perEntryRun(ctx);
        ctx.ok = ctx.ok && r.ok;
        line.push_back(r.line);
        heldPeak.push_back(r.heldPeak);
        heldSettled.push_back(r.heldSettled);
        rssPeak.push_back(r.rssPeak);
        rssSettled.push_back(r.rssSettled);
        peakBeyondLine.push_back(r.rssPeak - r.line);
        settledBeyondLine.push_back(r.rssSettled - r.line);
        peakBeyondHeld.push_back(r.rssPeak - r.heldPeak);
        settledBeyondHeld.push_back(r.rssSettled - r.heldSettled);
        settle.push_back(r.settleSeconds);
        std::printf("   run %d: held %llu, dropped %llu%s; line %.1f B UTF-8; bytesHeld() %.1f B "
                    "at the RSS peak, %.1f B settled (the bench counts %.1f B of line and "
                    "metadata as stored); RSS growth at the peak %.1f B (max of %d reads, 1 ms "
                    "apart), right after the last call %.1f B, settled %.1f B (RSS held still "
                    "%.1f s after the last call)\n",
                    i + 1, static_cast<unsigned long long>(r.held),
                    static_cast<unsigned long long>(r.dropped), r.ok ? "" : " (MISMATCH)", r.line,
                    r.heldPeak, r.heldSettled, r.stored, r.rssPeak, r.samples, r.rssAfterCalls,
                    r.rssSettled, r.settleSeconds);
        std::fflush(stdout);
    }
    Results &res = ctx.results;
    res.add("outage_line_utf8_per_entry", "line UTF-8 per buffered entry", "B", line);
    res.add("outage_bytes_held_peak_per_entry", "LokiStats::bytesHeld() per entry at the RSS peak",
            "B", heldPeak);
    res.add("outage_bytes_held_settled_per_entry", "LokiStats::bytesHeld() per entry, settled", "B",
            heldSettled);
    res.add("outage_rss_peak_per_entry", "RSS growth per buffered entry, peak", "B", rssPeak);
    res.add("outage_rss_settled_per_entry", "RSS growth per buffered entry, settled", "B",
            rssSettled);
    res.add("outage_peak_beyond_line", "peak RSS per entry beyond the line's UTF-8", "B",
            peakBeyondLine, Target::atMost(256));
    res.add("outage_settled_beyond_line", "settled RSS per entry beyond the line's UTF-8", "B",
            settledBeyondLine, Target::atMost(64));
    res.add("outage_peak_beyond_held", "peak RSS per entry beyond bytesHeld() at the peak", "B",
            peakBeyondHeld);
    res.add("outage_settled_beyond_held", "settled RSS per entry beyond bytesHeld()", "B",
            settledBeyondHeld);
    res.add("outage_settle_s", "time until RSS held still after the last call", "s", settle, {},
            "%.1f");
}

struct LargeRun
{
    double peak = NAN; //!< RSS growth, bytes
    double settled = NAN;
    double heldMax = NAN; //!< the largest bytesHeld() seen
    double bound = NAN; //!< capacityBytes()
    double settleSeconds = NAN;
    quint64 held = 0;
    quint64 droppedFull = 0;
    bool ok = false;
};

/*!
    ctx.options.largeLines lines of 1,000,000 bytes logged with Loki down and the default
    configuration (1,000 entries and 16 MiB, lines cut to 256 KiB in the call, DropOldest):
    every line is held or dropped as buffer_full.
*/
LargeRun largeRun(BenchContext &ctx, const std::vector<QString> &lines)
{
    LargeRun r;
    const int n = ctx.options.largeLines;
    if (!initGlobal(benchConfig(QUrl(QString::fromLatin1(DownUrl)))))
        return r;
    const LokiStats s0 = Loki::instance()->stats();
    std::this_thread::sleep_for(200ms);
    trimHeap();
    const std::int64_t rss0 = residentBytes();
    PeakResidentSampler sampler(globalBytesHeld);
    sampler.start();
    for (int i = 0; i < n; ++i)
        usercalls::lineOnly(lines[std::size_t(i % lines.size())]);
    double settleSeconds = 0;
    const std::int64_t rssSettled = settledResident(&settleSeconds);
    sampler.stop();
    const LokiStats s = Loki::instance()->stats();
    r.peak = double(sampler.peak() - rss0);
    r.settled = double(rssSettled - rss0);
    r.heldMax = double(sampler.probeMax());
    r.bound = double(s.capacityBytes());
    r.settleSeconds = settleSeconds;
    r.held = s.pending();
    r.droppedFull =
            s.dropped(QLoki::DropReason::BufferFull) - s0.dropped(QLoki::DropReason::BufferFull);
    r.ok = s.accepted() - s0.accepted() == quint64(n) && s.delivered() == s0.delivered()
            && s.dropped() - s0.dropped() == r.droppedFull && r.held + r.droppedFull == quint64(n);
    Loki::shutdown();
    QCoreApplication::processEvents();
    return r;
}

void largeLines(BenchContext &ctx)
{
    const int n = ctx.options.largeLines;
    std::vector<QString> lines;
    for (int i = 0; i < 4; ++i)
        lines.push_back(QString(1000000, QLatin1Char(char('a' + i))));
    std::printf("5. Outage, %d lines of 1,000,000 bytes logged with Loki down, default "
                "configuration (Loki::info(line)):\n",
                n);
    std::vector<double> peakMiB, settledMiB, perBound, perHeld, held;
    for (int i = 0; i < ctx.options.repeat; ++i) {
        const LargeRun r = largeRun(ctx, lines);
        ctx.ok = ctx.ok && r.ok;
        peakMiB.push_back(r.peak / MiB);
        settledMiB.push_back(r.settled / MiB);
        perBound.push_back(r.peak / r.bound);
        perHeld.push_back(r.heldMax > 0 ? r.peak / r.heldMax : NAN);
        held.push_back(double(r.held));
        std::printf("   run %d: held %llu, dropped as buffer_full %llu%s; bytesHeld() at most "
                    "%.1f MiB of the %.1f MiB bound; RSS growth at the peak %.1f MiB (%.2f of "
                    "the bound, %.2f per byte held), settled %.1f MiB after %.1f s\n",
                    i + 1, static_cast<unsigned long long>(r.held),
                    static_cast<unsigned long long>(r.droppedFull),
                    r.ok ? "" : " (NOT ALL ACCOUNTED FOR)", r.heldMax / MiB, r.bound / MiB,
                    r.peak / MiB, r.peak / r.bound, r.peak / r.heldMax, r.settled / MiB,
                    r.settleSeconds);
        std::fflush(stdout);
    }
    Results &res = ctx.results;
    const std::string lineCount = std::to_string(n);
    res.add("outage_large_held_entries", "1 MB lines held at the end, of " + lineCount, "", held,
            {}, "%.0f");
    res.add("outage_large_peak_mib", "peak RSS growth, " + lineCount + " lines of 1 MB", "MiB",
            peakMiB);
    res.add("outage_large_settled_mib", "settled RSS growth, " + lineCount + " lines of 1 MB",
            "MiB", settledMiB);
    res.add("outage_large_peak_per_held_byte",
            "peak RSS growth per buffered byte (largest bytesHeld())", "", perHeld, {}, "%.2f");
    res.add("outage_large_peak_per_bound", "peak RSS growth / bufferMaxBytes", "", perBound,
            Target::atMost(1.25), "%.2f");
}

} // namespace

void runOutageMemory(BenchContext &ctx)
{
    ctx.results.beginSection("outage");
    perEntry(ctx);
    largeLines(ctx);
}

} // namespace bench
