// SPDX-License-Identifier: MIT
// Scenario "spool": entries written to the disk spool while Loki is unreachable, and
// replayed from it by the next logger, per durability setting.
#include "scenario.h"
#include "usercalls.h"

#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaEnum>
#include <QtCore/QTemporaryDir>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <thread>

using namespace std::chrono_literals;

namespace bench {

/*!
    Per durability: a tenth of the outage scenario's entries are logged while Loki is
    unreachable and the logger shut down, which puts them all into the spool (timed from
    the first call until shutdown() returned); then a logger on the same directory delivers
    them to the receiver, asked to at once with flush() (timed until the receiver counted
    them all, at most 60 s). Pinned: the spool directory and durability (what is measured),
    and for the first logger OverflowPolicy::Block, so that a caller faster than the disk
    waits for the entries before it to be spooled instead of dropping them: the append rate
    is the rate at which entries reach the disk.
*/
void runSpool(BenchContext &ctx)
{
    ctx.results.beginSection("spool");
    using Durability = QLoki::SpoolDurability;
    const Corpus &corpus = ctx.corpus;
    const int entries = qMax(1, ctx.options.outageEntries / 10);
    const QMetaEnum meta = QMetaEnum::fromType<Durability>();
    for (int d = 0; d < meta.keyCount(); ++d) {
        const auto durability = Durability(meta.value(d));
        std::string key = meta.key(d);
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        QTemporaryDir dir;
        double appendPerSecond = 0;
        quint64 spooledDropped = 0;
        {
            LokiConfig config = benchConfig(QUrl(QStringLiteral("http://127.0.0.1:1")));
            config.setSpoolDirectory(dir.path());
            config.setSpoolDurability(durability);
            config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
            LokiLogger logger;
            if (!initLogger(logger, config))
                return;
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < entries; ++i) {
                const std::size_t k = std::size_t(i % corpus.size());
                usercalls::corpusMemberCall(logger, corpus.lines[k], corpus.regions[k],
                                            corpus.orderIds[k], corpus.amounts[k]);
            }
            logger.shutdown();
            spooledDropped = logger.stats().dropped();
            const auto t1 = std::chrono::steady_clock::now();
            appendPerSecond = double(entries) / std::chrono::duration<double>(t1 - t0).count();
            QCoreApplication::processEvents();
        }
        qint64 replayed = 0;
        double replayPerSecond = 0;
        {
            LokiConfig config = benchConfig(ctx.receiver.baseUrl());
            config.setSpoolDirectory(dir.path());
            config.setSpoolDurability(durability);
            const qint64 before = ctx.receiver.acceptedTotal();
            const auto t0 = std::chrono::steady_clock::now();
            LokiLogger logger;
            if (!initLogger(logger, config))
                return;
            // Asks for the spool now rather than at the first flush (5 s).
            logger.flush(60s);
            const auto deadline = t0 + 60s;
            while (std::chrono::steady_clock::now() < deadline) {
                replayed = ctx.receiver.acceptedTotal() - before;
                if (replayed >= entries)
                    break;
                std::this_thread::sleep_for(20ms);
            }
            const auto t1 = std::chrono::steady_clock::now();
            replayPerSecond = double(replayed) / std::chrono::duration<double>(t1 - t0).count();
            logger.shutdown();
            QCoreApplication::processEvents();
        }
        const bool ok = replayed == entries && spooledDropped == 0;
        ctx.ok = ctx.ok && ok;
        ctx.results.add("spool_append_eps_" + key, std::string("spool append, ") + meta.key(d),
                        "entries/s", {appendPerSecond}, {}, "grouped");
        ctx.results.add("spool_replay_eps_" + key, std::string("spool replay, ") + meta.key(d),
                        "entries/s", {replayPerSecond}, {}, "grouped");
        std::printf("7. Spool %-6s: %d entries appended at %s entries/s (Loki unreachable, until "
                    "shutdown() returned), replayed at %s entries/s; receiver counted %lld%s\n",
                    meta.key(d), entries, grouped(appendPerSecond).c_str(),
                    grouped(replayPerSecond).c_str(), replayed, ok ? "" : " (MISMATCH)");
        std::fflush(stdout);
    }
}

} // namespace bench
