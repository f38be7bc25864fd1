// SPDX-License-Identifier: MIT
// qloki-bench: what logging through QLoki costs the application, and how fast the sender
// ships it. One file per scenario (scenario.h lists them); the receiver is loki-receiver
// --counting-only in a process of its own, so that it is not what is measured.
#include "benchsystem.h"
#include "scenario.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>

#include <spdlog/version.h>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace bench;

namespace {

QString git(const QStringList &arguments)
{
#ifdef QLOKI_SOURCE_DIR
    QProcess process;
    process.start(QStringLiteral("git"),
                  QStringList {QStringLiteral("-C"), QStringLiteral(QLOKI_SOURCE_DIR)} + arguments);
    if (process.waitForFinished(10000) && process.exitCode() == 0)
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
#else
    Q_UNUSED(arguments);
#endif
    return {};
}

QJsonArray loadArray()
{
    QJsonArray a;
    for (const double v : loadAverage())
        a.append(v);
    return a;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qloki-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Measures QLoki: caller cost beside spdlog's async logger, the qDebug() hook, "
            "throughput and client CPU per entry per wire format, wire bytes, memory during an "
            "outage, CPU at 1,000 entries/s and idle wake-ups, the disk spool, a call kept in "
            "the context ring. Starts "
            "loki-receiver --counting-only as the server."));
    parser.addHelpOption();
    const QCommandLineOption json(
            QStringLiteral("json"),
            QStringLiteral("Write the run and its figures as JSON to <file>."),
            QStringLiteral("file"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("A shorter run to try the scenarios out: "
                                                  "a tenth of the calls and entries, one run "
                                                  "each, 3 s paced phases (idle is still "
                                                  "three flush intervals)."));
    const QCommandLineOption calls(QStringLiteral("calls"),
                                   QStringLiteral("Timed calls per thread in the caller, "
                                                  "qDebug and context scenarios (default "
                                                  "200000)."),
                                   QStringLiteral("n"));
    const QCommandLineOption entries(QStringLiteral("entries"),
                                     QStringLiteral("Entries of the throughput scenario "
                                                    "(default 1000000)."),
                                     QStringLiteral("n"));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Run only these scenarios, comma-separated: "
                                                 "caller, qdebug, throughput, wire, outage "
                                                 "(or memory), idle, spool, context, redaction."),
                                  QStringLiteral("list"));
    const QCommandLineOption formats(QStringLiteral("formats"),
                                     QStringLiteral("Wire formats of the throughput and wire "
                                                    "scenarios, comma-separated (default "
                                                    "json,json-gzip,protobuf,otlp,otlp-gzip,"
                                                    "otlp-json)."),
                                     QStringLiteral("list"));
    const QCommandLineOption repeat(QStringLiteral("repeat"),
                                    QStringLiteral("Runs of each scenario but the wire "
                                                   "bytes and the spool (measured once, without "
                                                   "a target); each figure is the median of "
                                                   "the runs (default 3, 1 with --quick; the "
                                                   "context scenario runs at least 5 times, "
                                                   "the redaction scenario 5 pairs)."),
                                    QStringLiteral("n"));
    const QCommandLineOption binary(QStringLiteral("receiver"),
                                    QStringLiteral("The loki-receiver binary to start."),
                                    QStringLiteral("path"));
    parser.addOptions({json, quick, calls, entries, only, formats, repeat, binary});
    parser.process(app);

    Options options;
    if (parser.isSet(quick)) {
        options.quick = true;
        options.repeat = 1;
        options.callsPerThread = 20000;
        options.warmupCalls = 2000;
        options.throughputEntries = 100000;
        options.wireEntries = 20000;
        options.outageEntries = 20000;
        options.largeLines = 300;
        options.pacedSeconds = 3;
    }
    if (parser.isSet(repeat))
        options.repeat = qMax(1, parser.value(repeat).toInt());
    if (parser.isSet(calls))
        options.callsPerThread = qMax(1, parser.value(calls).toInt());
    if (parser.isSet(entries))
        options.throughputEntries = qMax(1, parser.value(entries).toInt());
    options.formats = parser.value(formats).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.jsonFile = parser.value(json);
#ifdef LOKI_RECEIVER_BINARY
    options.receiverBinary = QStringLiteral(LOKI_RECEIVER_BINARY);
#endif
    if (parser.isSet(binary))
        options.receiverBinary = parser.value(binary);
    if (options.receiverBinary.isEmpty()) {
        std::fprintf(stderr, "no loki-receiver binary: pass --receiver\n");
        return 2;
    }

    // The outage scenario goes first: it reads memory per entry from RSS, which only means
    // that in a heap the other scenarios have not churned yet. After them, pages they left
    // resident took in the held entries without RSS growth (settled: 10 B per entry below
    // the line's own UTF-8 in one run).
    const struct
    {
        const char *name;
        std::function<void(BenchContext &)> run;
    } scenarios[] = {{"outage", runOutageMemory}, {"caller", runCallerCost},
                     {"qdebug", runQDebugHook},   {"throughput", runThroughput},
                     {"wire", runWireBytes},      {"idle", runIdleCpu},
                     {"spool", runSpool},         {"context", runContextCost},
                     {"redaction", runRedaction}};
    QStringList wanted = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
    // The outage scenario's earlier name.
    wanted.replaceInStrings(QRegularExpression(QStringLiteral("^memory$")),
                            QStringLiteral("outage"));
    for (const QString &name : wanted) {
        const bool known =
                std::any_of(std::begin(scenarios), std::end(scenarios),
                            [&](const auto &s) { return name == QLatin1String(s.name); });
        if (!known) {
            std::fprintf(stderr, "unknown scenario: %s\n", qPrintable(name));
            return 2;
        }
    }

    ReceiverProcess receiver;
    if (!receiver.start(options.receiverBinary)) {
        std::fprintf(stderr, "loki-receiver did not start\n");
        return 1;
    }

    Results results;
    const QJsonArray loadBefore = loadArray();
    const CallClock clock;
    const Corpus corpus = Corpus::requestLines(4096);
    const std::string date = utcNow();
    const QString commit = git({QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
    const bool dirty = !git({QStringLiteral("status"), QStringLiteral("--porcelain"),
                             QStringLiteral("--untracked-files=no")})
                                .isEmpty();
    results.setRun(QStringLiteral("date_utc"), QString::fromStdString(date));
    results.setRun(QStringLiteral("commit"), commit);
    results.setRun(QStringLiteral("commit_dirty"), dirty);
    results.setRun(QStringLiteral("machine_cpu"), QString::fromStdString(cpuModel()));
    results.setRun(QStringLiteral("nproc"), onlineCpus());
    results.setRun(QStringLiteral("qt"), QLatin1String(qVersion()));
    results.setRun(QStringLiteral("spdlog"),
                   QStringLiteral("%1.%2.%3")
                           .arg(SPDLOG_VER_MAJOR)
                           .arg(SPDLOG_VER_MINOR)
                           .arg(SPDLOG_VER_PATCH));
    results.setRun(QStringLiteral("compiler"), QStringLiteral(__VERSION__));
#ifdef QLOKI_BENCH_BUILD_TYPE
    results.setRun(QStringLiteral("build_type"), QStringLiteral(QLOKI_BENCH_BUILD_TYPE));
#endif
    results.setRun(QStringLiteral("clock"), QString::fromStdString(clock.name()));
    results.setRun(QStringLiteral("clock_resolution_ns"), clock.resolutionNs());
    results.setRun(QStringLiteral("clock_overhead_ns"), clock.overheadNs());
    results.setRun(QStringLiteral("quick"), options.quick);
    results.setRun(QStringLiteral("repeat"), options.repeat);
    results.setRun(QStringLiteral("scenarios"),
                   wanted.isEmpty() ? QStringLiteral("all") : wanted.join(QLatin1Char(',')));
    results.setRun(QStringLiteral("load_average_before"), loadBefore);

    std::printf("qloki-bench: %s, nproc %d, %s%s; commit %s%s; load average %.2f %.2f %.2f\n",
                cpuModel().c_str(), onlineCpus(), date.c_str(), options.quick ? " (--quick)" : "",
                commit.isEmpty() ? "unknown" : qPrintable(commit.left(12)),
                dirty ? " (with changes)" : "", loadBefore[0].toDouble(), loadBefore[1].toDouble(),
                loadBefore[2].toDouble());
    std::printf("clock: %s; resolution (smallest step) %.1f ns, %.1f ns per start/stop pair "
                "(subtracted from every sample)\nreceiver: loki-receiver --counting-only at %s\n\n",
                clock.name().c_str(), clock.resolutionNs(), clock.overheadNs(),
                qPrintable(receiver.baseUrl().toString()));
    std::fflush(stdout);

    BenchContext ctx {options, clock, corpus, receiver, results};
    for (const auto &s : scenarios) {
        if (wanted.isEmpty() || wanted.contains(QLatin1String(s.name))) {
            trimHeap();
            s.run(ctx);
        }
    }
    receiver.stop();
    const QJsonArray loadAfter = loadArray();
    results.setRun(QStringLiteral("load_average_after"), loadAfter);

    std::printf("\nqloki-bench%s | %s | nproc %d | %s | commit %s | load %.2f before, %.2f after\n",
                options.quick ? " --quick" : "", cpuModel().c_str(), onlineCpus(), date.c_str(),
                commit.isEmpty() ? "unknown" : qPrintable(commit.left(12)),
                loadBefore[0].toDouble(), loadAfter[0].toDouble());
    results.printTable();

    if (!options.jsonFile.isEmpty()) {
        if (!results.writeJson(options.jsonFile)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(options.jsonFile));
            return 1;
        }
        std::printf("\nfigures written to %s\n", qPrintable(options.jsonFile));
    }
    if (!ctx.ok)
        std::printf("\nsome entries were not delivered or counted as expected (see above)\n");
    return ctx.ok ? 0 : 1;
}
