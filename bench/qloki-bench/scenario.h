// SPDX-License-Identifier: MIT
// What every scenario gets (options, clock, corpus, receiver, results) and the scenarios
// themselves, one file each.
#pragma once

#include "callclock.h"
#include "corpus.h"
#include "receiverprocess.h"
#include "results.h"

#include <QLoki/LokiConfig>

#include <QtCore/QStringList>

#include <cstdint>

class LokiLogger;

namespace bench {

struct Options
{
    bool quick = false;
    int repeat = 3; //!< runs of every scenario with a target; each figure is their median
    int callsPerThread = 200000; //!< timed calls per thread (caller, qDebug hook)
    int warmupCalls = 10000; //!< untimed calls before them
    int throughputEntries = 1000000;
    int wireEntries = 100000; //!< per format and corpus
    int outageEntries = 100000;
    int largeLines = 1000; //!< 1 MB lines logged in the second outage
    double pacedSeconds = 10; //!< CPU at 1,000 entries/s, and the pacing alone
    QStringList formats; //!< throughput and wire bytes; empty: all three
    QString jsonFile;
    QString receiverBinary;
};

struct BenchContext
{
    const Options &options;
    const CallClock &clock;
    const Corpus &corpus; //!< Corpus::requestLines(4096)
    ReceiverProcess &receiver;
    Results &results;
    bool ok = true; //!< false once a scenario lost or miscounted an entry
};

/*!
    The default configuration with what the defaults cannot know: the application's name
    and the URL. Scenarios pin further settings only where the setting is what they
    measure, and say so.
*/
LokiConfig benchConfig(const QUrl &url);
//! init() with a message on failure.
bool initLogger(LokiLogger &logger, const LokiConfig &config);
//! Loki::init() with a message on failure.
bool initGlobal(const LokiConfig &config);
//! Whether \a format ("json", "json-gzip", "protobuf") was asked for (--formats).
bool formatWanted(const Options &options, const QString &format);

//! The sender thread's name (its QThread's objectName, which Qt gives the system thread).
inline const char *const SenderThreadName = "qloki-sender";
//! The name the system gives QNetworkAccessManager's HTTP thread (15 characters at most).
inline const char *const NetworkThreadName = "QNetworkAccessM";

//! One burst of the throughput scenario (throughput.cpp).
struct ThroughputRun
{
    double entriesPerSecond = 0;
    double cpuSeconds = 0; //!< the whole process
    double callerCpuSeconds = 0; //!< the logging thread's
    double senderCpuSeconds = 0; //!< the sender thread's
    double networkCpuSeconds = 0; //!< Qt's HTTP thread's
    std::int64_t clientSleeps = 0; //!< voluntary context switches of the client's threads
    double receiverCpuSeconds = 0;
    double seconds = 0;
    int pushes = 0;
    double latencyMsMedian = 0;
    quint64 delivered = 0;
    quint64 redacted = 0; //!< LokiStats::redacted()
    qint64 receiverCounted = -1;
    bool ok = false;
};
//! ctx.options.throughputEntries entries of \a corpus in \a format, from the first call until
//! Loki acknowledged the last; \a redactSecrets false turns LokiConfig::redactSecrets() off.
ThroughputRun runThroughputOnce(BenchContext &ctx, const Corpus &corpus, QLoki::WireFormat format,
                                bool redactSecrets);

void runCallerCost(BenchContext &ctx);
void runQDebugHook(BenchContext &ctx);
void runThroughput(BenchContext &ctx);
void runWireBytes(BenchContext &ctx);
void runOutageMemory(BenchContext &ctx);
void runIdleCpu(BenchContext &ctx);
void runSpool(BenchContext &ctx);
void runContextCost(BenchContext &ctx);
void runRedaction(BenchContext &ctx);

} // namespace bench
