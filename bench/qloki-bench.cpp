// SPDX-License-Identifier: MIT
// qloki-bench: what logging through QLoki costs the application, and how fast the sender
// ships it. Scenarios: per-call cost on 1, 2 and 4 threads beside spdlog's async logger,
// the qDebug() hook, throughput per wire format, memory per buffered entry during an
// outage, idle wake-ups and CPU at 1,000 entries/s. The receiver is loki-receiver
// --counting-only in a separate process, so it is not what is measured.
#include "benchsystem.h"

#include <QLoki/LokiConfig>
#include <QLoki/LokiLogger>
#include <QLoki/LokiStats>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QLoggingCategory>
#include <QtCore/QMetaEnum>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <spdlog/async.h>
#include <spdlog/async_logger.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <unistd.h>

using namespace std::chrono_literals;
using bench::Ticker;

namespace {

struct Options
{
    bool quick = false;
    int callsPerThread = 200000;
    int warmupCalls = 10000;
    int qdebugCalls = 200000;
    int throughputEntries = 1000000;
    int outageEntries = 1000000;
    double idleSeconds = 3.0;
    int throughputRepeats = 3; // the median run is reported
    QString jsonFile;
    QString receiverBinary;
};

// --- results ---------------------------------------------------------------------------

// The figures in the order they are written; a missing value is written as null.
class Figures
{
public:
    void set(const std::string &key, std::optional<double> value)
    {
        if (m_values.find(key) == m_values.end())
            m_order.push_back(key);
        m_values[key] = value;
    }
    void setText(const std::string &key, const std::string &text)
    {
        if (m_texts.find(key) == m_texts.end())
            m_textOrder.push_back(key);
        m_texts[key] = text;
    }
    std::optional<double> get(const std::string &key) const
    {
        const auto it = m_values.find(key);
        return it == m_values.end() ? std::nullopt : it->second;
    }
    bool writeJson(const QString &path) const
    {
        std::ofstream out(path.toStdString());
        if (!out)
            return false;
        out << "{\n";
        bool first = true;
        const auto sep = [&] {
            if (!first)
                out << ",\n";
            first = false;
        };
        for (const std::string &key : m_textOrder) {
            sep();
            out << "  \"" << key << "\": \"" << escaped(m_texts.at(key)) << '"';
        }
        for (const std::string &key : m_order) {
            sep();
            out << "  \"" << key << "\": ";
            const std::optional<double> v = m_values.at(key);
            if (v && std::isfinite(*v)) {
                char text[64];
                std::snprintf(text, sizeof text, "%.10g", *v);
                out << text;
            } else {
                out << "null";
            }
        }
        out << "\n}\n";
        return bool(out);
    }

private:
    static std::string escaped(const std::string &text)
    {
        std::string r;
        for (const char c : text) {
            if (c == '"' || c == '\\')
                r += '\\';
            if (static_cast<unsigned char>(c) >= 0x20)
                r += c;
        }
        return r;
    }
    std::vector<std::string> m_order;
    std::map<std::string, std::optional<double>> m_values;
    std::vector<std::string> m_textOrder;
    std::map<std::string, std::string> m_texts;
};

// --- the receiver ------------------------------------------------------------------------

class Receiver
{
public:
    bool start(const QString &binary)
    {
        const QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"),
                                     QStringLiteral("--quiet"), QStringLiteral("--max-entries"),
                                     QStringLiteral("0"), QStringLiteral("--counting-only")};
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(binary, arguments);
        if (m_process.waitForStarted(10000)) {
            while (!m_process.canReadLine() && m_process.waitForReadyRead(10000)) { }
            m_baseUrl = QUrl(QString::fromUtf8(m_process.readLine().trimmed()));
        }
        return m_baseUrl.isValid() && m_baseUrl.port() > 0;
    }
    void stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            m_process.waitForFinished(10000);
        }
    }
    QUrl baseUrl() const { return m_baseUrl; }

    //! CPU seconds (user + system) the receiver process has used (/proc/<pid>/stat).
    double cpuSeconds() const
    {
        std::ifstream in("/proc/" + std::to_string(m_process.processId()) + "/stat");
        std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // Fields after the command name (which may hold spaces) start at ") ";
        // utime and stime are fields 14 and 15, the 12th and 13th after it.
        const auto close = stat.rfind(')');
        if (close == std::string::npos)
            return 0;
        std::istringstream fields(stat.substr(close + 2));
        std::string field;
        double ticks = 0;
        for (int i = 1; i <= 13 && fields >> field; ++i) {
            if (i >= 12)
                ticks += std::stod(field);
        }
        return ticks / double(sysconf(_SC_CLK_TCK));
    }

    //! Entries the receiver accepted so far (its /metrics), or -1.
    qint64 acceptedTotal()
    {
        QNetworkRequest request(m_baseUrl.resolved(QUrl(QStringLiteral("/metrics"))));
        std::unique_ptr<QNetworkReply> reply(m_manager.get(request));
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        if (!reply->isFinished())
            loop.exec();
        const QByteArray body = reply->readAll();
        for (const QByteArray &line : body.split('\n')) {
            if (line.startsWith("loki_receiver_entries_accepted_total "))
                return line.mid(line.indexOf(' ') + 1).trimmed().toLongLong();
        }
        return -1;
    }

private:
    QProcess m_process;
    QUrl m_baseUrl;
    QNetworkAccessManager m_manager;
};

// --- what is logged ------------------------------------------------------------------------

// A set of distinct entries, cycled through, so that lines differ as in a real log and the
// compressors do not see one line repeated (4,096 lines of ~100 bytes span more than
// deflate's 32 KiB and snappy's 64 KiB windows).
struct Corpus
{
    std::vector<QString> lines;
    std::vector<QVariantMap> fields;
    // The values of the fields one by one, for calls that build their map.
    std::vector<QString> regions;
    std::vector<QString> orderIds;
    std::vector<double> amounts;
    // The same lines and values for spdlog.
    std::vector<std::string> utf8Lines;
    std::vector<std::string> utf8Regions;
    std::vector<std::string> utf8OrderIds;

    static Corpus make(int count)
    {
        static const char *const regionNames[] = {"eu-west-1", "us-east-1", "ap-south-1",
                                                  "sa-east-1"};
        Corpus c;
        std::uint32_t x = 2463534242u;
        const auto next = [&x] {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            return x;
        };
        for (int i = 0; i < count; ++i) {
            char text[160];
            // ~100 bytes, like a request log line.
            std::snprintf(text, sizeof text,
                          "GET /api/v1/orders/%08u/items served status=%u duration_ms=%u "
                          "user=u%06u trace=%08x",
                          next() % 100000000u, next() % 5 == 0 ? 404u : 200u, next() % 900u,
                          next() % 1000000u, next());
            c.utf8Lines.emplace_back(text);
            c.lines.push_back(QString::fromUtf8(text));
            c.utf8Regions.emplace_back(regionNames[i % 4]);
            c.regions.push_back(QString::fromLatin1(regionNames[i % 4]));
            c.utf8OrderIds.push_back(std::to_string(next() % 10000000u));
            c.orderIds.push_back(QString::fromStdString(c.utf8OrderIds.back()));
            c.amounts.push_back(double(next() % 100000u) / 100.0);
            c.fields.push_back(c.buildFields(std::size_t(i)));
        }
        return c;
    }
    //! The fields of entry \a k, in a new map: 2 stream labels, 2 metadata fields.
    QVariantMap buildFields(std::size_t k) const
    {
        return QVariantMap {{QStringLiteral("label_service"), QStringLiteral("checkout")},
                            {QStringLiteral("label_region"), regions[k]},
                            {QStringLiteral("order_id"), orderIds[k]},
                            {QStringLiteral("amount"), amounts[k]}};
    }
    int size() const { return int(lines.size()); }
};

// Bytes of \a s in UTF-8, counted without converting.
qint64 utf8Length(QStringView s)
{
    qint64 n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c < 0x80)
            n += 1;
        else if (c < 0x800)
            n += 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < s.size() && QChar::isLowSurrogate(s[i + 1].unicode()))
            n += 4, ++i;
        else
            n += 3;
    }
    return n;
}

LokiConfig baseConfig(const QUrl &receiver)
{
    LokiConfig config;
    config.setAppName(QStringLiteral("qloki-bench"));
    config.setEnvironment(QStringLiteral("bench"));
    config.setUrl(receiver);
    config.setFormat(QLoki::WireFormat::Protobuf);
    // The receiver takes structured metadata; Auto would ask /status/buildinfo first.
    config.setMetadataMode(QLoki::MetadataMode::Structured);
    return config;
}

bool initLogger(LokiLogger &logger, const LokiConfig &config)
{
    if (!logger.init(config)) {
        std::fprintf(stderr, "LokiLogger::init failed: %s\n", qPrintable(logger.errorString()));
        return false;
    }
    return true;
}

// --- timing many calls on many threads -----------------------------------------------------

struct CallTiming
{
    bench::Percentiles perCall;
    double wallSeconds = 0;
};

/*!
    Runs \a call(thread, i) \a calls times on each of \a threads threads, started together,
    after \a warmup untimed calls each; every call is timed on its own with the Ticker.
*/
template<typename Call>
CallTiming timeCalls(const Ticker &ticker, int threads, int calls, int warmup, Call call)
{
    std::vector<std::vector<std::uint32_t>> samples(static_cast<std::size_t>(threads));
    std::atomic<int> ready {0};
    std::atomic<int> warmed {0};
    std::atomic<bool> go {false};
    std::vector<std::thread> pool;
    std::atomic<std::uint64_t> firstStart {~std::uint64_t(0)};
    std::atomic<std::uint64_t> lastEnd {0};
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            std::vector<std::uint32_t> &s = samples[std::size_t(t)];
            s.assign(std::size_t(calls), 0); // touched before the clock runs
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire))
                std::this_thread::yield();
            for (int i = 0; i < warmup; ++i)
                call(t, i);
            // All threads enter the timed part together.
            warmed.fetch_add(1);
            while (warmed.load(std::memory_order_acquire) < threads)
                std::this_thread::yield();
            const std::uint64_t begin = Ticker::now();
            for (int i = 0; i < calls; ++i) {
                const std::uint64_t a = Ticker::now();
                call(t, warmup + i);
                const std::uint64_t b = Ticker::now();
                s[std::size_t(i)] = std::uint32_t(std::min<std::uint64_t>(b - a, 0xffffffffu));
            }
            const std::uint64_t end = Ticker::now();
            std::uint64_t cur = firstStart.load();
            while (begin < cur && !firstStart.compare_exchange_weak(cur, begin)) { }
            cur = lastEnd.load();
            while (end > cur && !lastEnd.compare_exchange_weak(cur, end)) { }
        });
    }
    while (ready.load() < threads)
        std::this_thread::yield();
    go.store(true, std::memory_order_release);
    for (std::thread &t : pool)
        t.join();
    std::vector<std::uint32_t> all;
    all.reserve(std::size_t(threads) * std::size_t(calls));
    for (const auto &s : samples)
        all.insert(all.end(), s.begin(), s.end());
    CallTiming r;
    r.perCall = bench::percentiles(std::move(all), ticker);
    r.wallSeconds = ticker.ns(double(lastEnd.load() - firstStart.load())) / 1e9;
    return r;
}

// --- scenario 1: caller cost -------------------------------------------------------------

struct CallerResult
{
    CallTiming qloki;
    CallTiming spdlog;
    bool allDelivered = false;
    quint64 dropped = 0;
};

/*!
    QLoki's info() and spdlog's info() on \a threads threads. With \a buildArgs the timed
    call also builds what an application builds for it: QLoki's field map, and for spdlog
    the same fields formatted into the line; else both loggers get prebuilt arguments.
*/
CallerResult callerScenario(const Options &options, const Ticker &ticker, const Corpus &corpus,
                            const QUrl &receiver, int threads, bool buildArgs = false)
{
    CallerResult r;
    const int perThread = options.callsPerThread + options.warmupCalls;
    const int total = threads * perThread;
    const int n = corpus.size();
    {
        LokiConfig config = baseConfig(receiver);
        // Room for every call: the caller never waits for the sender during the
        // measurement, while the sender delivers batches of 1,000 as they fill up.
        config.setBufferSize(qMax(total + 1000, 1000000));
        config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
        LokiLogger logger;
        if (!initLogger(logger, config))
            return r;
        r.qloki = timeCalls(ticker, threads, options.callsPerThread, options.warmupCalls,
                            [&](int t, int i) {
                                const auto k = std::size_t((i * 7 + t * 131) % n);
                                if (buildArgs)
                                    logger.info(corpus.lines[k], corpus.buildFields(k));
                                else
                                    logger.info(corpus.lines[k], corpus.fields[k]);
                            });
        r.allDelivered = logger.flush(60s);
        const LokiStats s = logger.stats();
        r.dropped = s.dropped();
        r.allDelivered = r.allDelivered && s.delivered() == quint64(total);
        QCoreApplication::processEvents();
    }
    {
        // spdlog's async logger as documented: a preallocated queue with a room for every
        // call (so it never blocks either), one worker thread, a sink that discards.
        auto pool = std::make_shared<spdlog::details::thread_pool>(std::size_t(total) + 1024, 1);
        auto logger = std::make_shared<spdlog::async_logger>(
                "bench", std::make_shared<spdlog::sinks::null_sink_mt>(), pool,
                spdlog::async_overflow_policy::block);
        r.spdlog = timeCalls(ticker, threads, options.callsPerThread, options.warmupCalls,
                             [&](int t, int i) {
                                 const auto k = std::size_t((i * 7 + t * 131) % n);
                                 if (buildArgs) {
                                     logger->info("{} service={} region={} order_id={} amount={}",
                                                  corpus.utf8Lines[k], "checkout",
                                                  corpus.utf8Regions[k], corpus.utf8OrderIds[k],
                                                  corpus.amounts[k]);
                                 } else {
                                     logger->info(corpus.utf8Lines[k]);
                                 }
                             });
        logger->flush();
    }
    return r;
}

// --- scenario 2: the qDebug() hook ---------------------------------------------------------

void discardMessage(QtMsgType, const QMessageLogContext &, const QString &) { }

struct QDebugResult
{
    CallTiming discard;
    CallTiming hook;
    bool allDelivered = false;
};

QDebugResult qdebugScenario(const Options &options, const Ticker &ticker, const Corpus &corpus,
                            const QUrl &receiver)
{
    QDebugResult r;
    const int n = corpus.size();
    // Debug output may be switched off by the system's logging rules; it is what is timed.
    QLoggingCategory::setFilterRules(QStringLiteral("default.debug=true"));
    const QtMessageHandler before = qInstallMessageHandler(discardMessage);
    const auto call = [&](int, int i) {
        qDebug("%s", corpus.utf8Lines[std::size_t(i % n)].c_str());
    };
    r.discard = timeCalls(ticker, 1, options.qdebugCalls, options.warmupCalls, call);
    {
        LokiConfig config = baseConfig(receiver);
        config.setBufferSize(qMax(options.qdebugCalls + options.warmupCalls + 1000, 1000000));
        config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
        LokiLogger logger;
        if (initLogger(logger, config) && logger.installMessageHandler(QLoki::Level::Debug)) {
            r.hook = timeCalls(ticker, 1, options.qdebugCalls, options.warmupCalls, call);
            logger.uninstallMessageHandler();
            r.allDelivered = logger.flush(60s)
                && logger.stats().delivered() == quint64(options.qdebugCalls + options.warmupCalls);
        }
        QCoreApplication::processEvents();
    }
    qInstallMessageHandler(before);
    return r;
}

// --- scenario 3: throughput ----------------------------------------------------------------

struct ThroughputResult
{
    double entriesPerSecond = 0;
    double wireBytesPerEntry = 0;
    double cpuSeconds = 0;
    double receiverCpuSeconds = 0;
    double seconds = 0;
    int batches = 0;
    double batchEntries = 0;   // mean entries per push
    double latencyMsMedian = 0; // request to answer, per push
    quint64 delivered = 0;
    qint64 receiverCounted = -1;
    bool ok = false;
};

ThroughputResult throughputScenario(const Options &options, const Corpus &corpus,
                                    Receiver &receiver, QLoki::WireFormat format)
{
    ThroughputResult r;
    const int n = corpus.size();
    LokiConfig config = baseConfig(receiver.baseUrl());
    config.setFormat(format);
    // The default batch size (1,000 entries); a buffer of 100,000 that makes the caller
    // wait (Block) rather than drop when the sender falls behind.
    config.setBufferSize(100000);
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    LokiLogger logger;
    std::vector<qint64> latencies;
    qint64 batchedEntries = 0;
    QObject::connect(&logger, &LokiLogger::batchDelivered, &logger,
                     [&](int entries, qint64, int, qint64 latencyMs) {
                         latencies.push_back(latencyMs);
                         batchedEntries += entries;
                     });
    if (!initLogger(logger, config))
        return r;
    const qint64 receivedBefore = receiver.acceptedTotal();
    const double receiverCpu0 = receiver.cpuSeconds();
    const double cpu0 = bench::processCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < options.throughputEntries; ++i)
        logger.info(corpus.lines[std::size_t(i % n)], corpus.fields[std::size_t(i % n)]);
    const bool flushed = logger.flush(120s);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = bench::processCpuSeconds();
    r.receiverCpuSeconds = receiver.cpuSeconds() - receiverCpu0;
    const LokiStats s = logger.stats();
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.entriesPerSecond = double(s.delivered()) / r.seconds;
    r.wireBytesPerEntry = s.delivered() ? double(s.bytesSent()) / double(s.delivered()) : 0;
    r.cpuSeconds = cpu1 - cpu0;
    r.delivered = s.delivered();
    const qint64 receivedAfter = receiver.acceptedTotal();
    if (receivedBefore >= 0 && receivedAfter >= 0)
        r.receiverCounted = receivedAfter - receivedBefore;
    r.ok = flushed && s.delivered() == quint64(options.throughputEntries) && s.dropped() == 0
        && r.receiverCounted == options.throughputEntries;
    QCoreApplication::processEvents(); // the queued batchDelivered signals
    r.batches = int(latencies.size());
    if (!latencies.empty()) {
        std::sort(latencies.begin(), latencies.end());
        r.latencyMsMedian = double(latencies[latencies.size() / 2]);
        r.batchEntries = double(batchedEntries) / double(latencies.size());
    }
    return r;
}

// --- scenario 4: memory per buffered entry ---------------------------------------------------

struct MemoryResult
{
    double growthPerEntry = 0;
    double growthUnsettledPerEntry = 0; // read right after the last call
    double settleSeconds = 0; // until RSS held still
    double utf8PerEntry = 0;     // line + field names and values
    double lineUtf8PerEntry = 0; // line only
    quint64 buffered = 0;
    bool ok = false;
};

MemoryResult memoryScenario(const Options &options, const Corpus &corpus)
{
    MemoryResult r;
    const int n = corpus.size();
    // Nothing listens on port 1: every push fails at once, and the retry waits an hour.
    LokiConfig config = baseConfig(QUrl(QStringLiteral("http://127.0.0.1:1")));
    config.setBufferSize(options.outageEntries);
    config.setFlushInterval(1h);
    config.setMinBackoff(1h);
    config.setMaxBackoff(1h);
    config.setShutdownTimeout(100ms);
    LokiLogger logger;
    if (!initLogger(logger, config))
        return r;
    // The entries are made as an application makes them: a line and an order id of their
    // own, a fresh field map per call (names and "checkout" are literals, the region one of
    // four shared strings, the amount a double).
    static const qint64 namesUtf8 = utf8Length(u"label_service") + utf8Length(u"label_region")
            + utf8Length(u"order_id") + utf8Length(u"amount");
    qint64 utf8 = 0;
    qint64 lineUtf8 = 0;
    std::this_thread::sleep_for(200ms);
    const std::int64_t rss0 = bench::residentBytes();
    for (int i = 0; i < options.outageEntries; ++i) {
        const std::size_t k = std::size_t(i % n);
        QString line = corpus.lines[k];
        line.detach();
        QString orderId = corpus.orderIds[k];
        orderId.detach();
        const QString amount = QString::number(corpus.amounts[k]);
        lineUtf8 += utf8Length(line);
        utf8 += utf8Length(line) + namesUtf8 + utf8Length(u"checkout")
            + utf8Length(corpus.regions[k]) + utf8Length(orderId) + utf8Length(amount);
        logger.info(line, QVariantMap {{QStringLiteral("label_service"), QStringLiteral("checkout")},
                                       {QStringLiteral("label_region"), corpus.regions[k]},
                                       {QStringLiteral("order_id"), orderId},
                                       {QStringLiteral("amount"), corpus.amounts[k]}});
    }
    // The sender turns what the callers made (strings, field maps) into the compact form
    // in the background and then hands the freed memory back: RSS is read once it holds
    // still (within 64 KiB over three reads 100 ms apart; at most 20 s).
    std::int64_t rss1 = bench::residentBytes();
    const auto settle0 = std::chrono::steady_clock::now();
    r.growthUnsettledPerEntry = double(rss1 - rss0) / double(options.outageEntries);
    for (int i = 0, still = 0; i < 200 && still < 3; ++i) {
        std::this_thread::sleep_for(100ms);
        const std::int64_t now = bench::residentBytes();
        still = std::abs(now - rss1) <= 64 * 1024 ? still + 1 : 0;
        rss1 = now;
    }
    // Less the three reads that found it still.
    r.settleSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - settle0).count() - 0.3;
    const LokiStats s = logger.stats();
    r.buffered = s.pending();
    r.growthPerEntry = double(rss1 - rss0) / double(options.outageEntries);
    r.utf8PerEntry = double(utf8) / double(options.outageEntries);
    r.lineUtf8PerEntry = double(lineUtf8) / double(options.outageEntries);
    r.ok = s.pending() == quint64(options.outageEntries) && s.dropped() == 0;
    logger.shutdown();
    QCoreApplication::processEvents();
    return r;
}

// --- scenario 5: idle and a steady 1,000 entries/s --------------------------------------------

struct IdleResult
{
    double wakeupsPerSecond = 0;
    double idleCpuPercent = 0;
    std::string wakeupsByThread;
    double cpuPercentAt1000 = 0;
    double pacingCpuPercent = 0;
    quint64 delivered1000 = 0;
    int threads = 0;
};

// Logs \a perSecond entries/s for \a seconds on the calling thread (or only paces when
// \a logger is null); returns the CPU percent of one core the process used meanwhile.
double pacedRun(LokiLogger *logger, const Corpus &corpus, int perSecond, double seconds)
{
    const int total = int(perSecond * seconds);
    const auto step = std::chrono::nanoseconds(1000000000 / perSecond);
    const double cpu0 = bench::processCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < total; ++i) {
        std::this_thread::sleep_until(t0 + step * i);
        if (logger) {
            const std::size_t k = std::size_t(i % corpus.size());
            logger->info(corpus.lines[k], corpus.fields[k]);
        }
    }
    std::this_thread::sleep_until(t0 + step * total);
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = bench::processCpuSeconds();
    return 100.0 * (cpu1 - cpu0) / std::chrono::duration<double>(t1 - t0).count();
}

IdleResult idleScenario(const Options &options, const Corpus &corpus, const QUrl &receiver)
{
    IdleResult r;
    // The defaults an application gets (flush every 5 s, batches of 1,000), after a few
    // entries were delivered so the connection is open.
    LokiConfig config = baseConfig(receiver);
    LokiLogger logger;
    if (!initLogger(logger, config))
        return r;
    for (int i = 0; i < 10; ++i)
        logger.info(corpus.lines[std::size_t(i)], corpus.fields[std::size_t(i)]);
    logger.flush(10s);
    QCoreApplication::processEvents();
    std::this_thread::sleep_for(500ms);

    const std::vector<bench::ThreadSwitches> before = bench::threadSwitches();
    const double cpu0 = bench::processCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(options.idleSeconds));
    const auto t1 = std::chrono::steady_clock::now();
    const double cpu1 = bench::processCpuSeconds();
    const std::vector<bench::ThreadSwitches> after = bench::threadSwitches();
    const double wall = std::chrono::duration<double>(t1 - t0).count();

    // Every thread but this one, which only sleeps (a switch of its own).
    std::int64_t others = 0;
    std::map<std::string, std::int64_t> byName;
    const int mainTid = int(getpid());
    for (const bench::ThreadSwitches &a : after) {
        if (a.tid == mainTid)
            continue;
        std::int64_t was = 0;
        for (const bench::ThreadSwitches &b : before) {
            if (b.tid == a.tid)
                was = b.switches;
        }
        byName[a.name] += a.switches - was;
        others += a.switches - was;
    }
    r.threads = int(after.size());
    r.wakeupsPerSecond = double(others) / wall;
    r.idleCpuPercent = 100.0 * (cpu1 - cpu0) / wall;
    for (const auto &[name, count] : byName) {
        if (count == 0)
            continue;
        char text[128];
        std::snprintf(text, sizeof text, "%s%s %.2f/s", r.wakeupsByThread.empty() ? "" : ", ",
                      name.c_str(), double(count) / wall);
        r.wakeupsByThread += text;
    }

    r.pacingCpuPercent = pacedRun(nullptr, corpus, 1000, options.idleSeconds);
    const quint64 delivered0 = logger.stats().delivered();
    r.cpuPercentAt1000 = pacedRun(&logger, corpus, 1000, options.idleSeconds);
    logger.flush(10s);
    r.delivered1000 = logger.stats().delivered() - delivered0;
    QCoreApplication::processEvents();
    return r;
}

// --- scenario 6: the disk spool ------------------------------------------------------------

struct SpoolResult
{
    std::string durability;
    double appendPerSecond = 0;
    double replayPerSecond = 0;
    qint64 replayed = 0;
    bool ok = false;
};

/*!
    Per durability setting: \a entries are logged while Loki is unreachable and shut down,
    which puts them all into the spool (timed from the first call until shutdown() returns);
    then a logger on the same directory delivers them to the receiver, asked to at once with
    flush() (timed until the receiver counted them all, at most 60 s).
*/
std::vector<SpoolResult> spoolScenario(int entries, const Corpus &corpus, Receiver &receiver)
{
    using Durability = QLoki::SpoolDurability;
    std::vector<SpoolResult> results;
    const int n = corpus.size();
    const QMetaEnum meta = QMetaEnum::fromType<Durability>();
    for (int d = 0; d < meta.keyCount(); ++d) {
        SpoolResult r;
        r.durability = meta.key(d);
        QTemporaryDir dir;
        {
            LokiConfig config = baseConfig(QUrl(QStringLiteral("http://127.0.0.1:1")));
            config.setSpoolDirectory(dir.path());
            config.setSpoolDurability(Durability(meta.value(d)));
            config.setBufferSize(entries + 1000);
            config.setShutdownTimeout(100ms);
            config.setMinBackoff(1h);
            config.setMaxBackoff(1h);
            LokiLogger logger;
            if (!initLogger(logger, config))
                return results;
            const auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < entries; ++i)
                logger.info(corpus.lines[std::size_t(i % n)], corpus.fields[std::size_t(i % n)]);
            logger.shutdown();
            const auto t1 = std::chrono::steady_clock::now();
            r.appendPerSecond = double(entries) / std::chrono::duration<double>(t1 - t0).count();
            QCoreApplication::processEvents();
        }
        {
            LokiConfig config = baseConfig(receiver.baseUrl());
            config.setSpoolDirectory(dir.path());
            config.setSpoolDurability(Durability(meta.value(d)));
            const qint64 before = receiver.acceptedTotal();
            const auto t0 = std::chrono::steady_clock::now();
            LokiLogger logger;
            if (!initLogger(logger, config))
                return results;
            // Asks for the spool now rather than at the first flush tick (5 s).
            logger.flush(60s);
            const auto deadline = t0 + 60s;
            while (std::chrono::steady_clock::now() < deadline) {
                r.replayed = receiver.acceptedTotal() - before;
                if (r.replayed >= entries)
                    break;
                std::this_thread::sleep_for(20ms);
            }
            const auto t1 = std::chrono::steady_clock::now();
            r.replayPerSecond = double(r.replayed) / std::chrono::duration<double>(t1 - t0).count();
            r.ok = r.replayed == entries;
            logger.shutdown();
            QCoreApplication::processEvents();
        }
        results.push_back(r);
    }
    return results;
}

// --- output ------------------------------------------------------------------------------------

void row(const char *figure, const std::string &value, const char *target = "",
         const char *status = "")
{
    std::printf("  %-44s %18s   %-22s %s\n", figure, value.c_str(), target, status);
}

std::string num(double v, const char *format = "%.1f")
{
    char text[64];
    std::snprintf(text, sizeof text, format, v);
    return text;
}

std::string grouped(double v)
{
    std::string digits = std::to_string(qint64(std::llround(v)));
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), 1, ',');
    return digits;
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qloki-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Measures QLoki: caller cost beside spdlog's async logger, the qDebug() hook, "
            "throughput per wire format, memory per buffered entry, idle wake-ups and CPU at "
            "1,000 entries/s. Starts loki-receiver --counting-only as the server."));
    parser.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Write the figures as one JSON object to <file>."),
                                  QStringLiteral("file"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("A shorter run: a tenth of the calls and "
                                                  "entries, 1 s idle phases."));
    const QCommandLineOption calls(QStringLiteral("calls"),
                                   QStringLiteral("Timed calls per thread in the caller scenario "
                                                  "(default 200000)."),
                                   QStringLiteral("n"));
    const QCommandLineOption entries(QStringLiteral("entries"),
                                     QStringLiteral("Entries of the throughput and memory "
                                                    "scenarios (default 1000000)."),
                                     QStringLiteral("n"));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Run only these scenarios, comma-separated: "
                                                 "caller, qdebug, throughput, memory, idle, "
                                                 "spool."),
                                  QStringLiteral("list"));
    const QCommandLineOption binary(QStringLiteral("receiver"),
                                    QStringLiteral("The loki-receiver binary to start."),
                                    QStringLiteral("path"));
    const QCommandLineOption formatsOption(
            QStringLiteral("formats"),
            QStringLiteral("Wire formats of the throughput scenario, comma-separated "
                           "(default json,json-gzip,protobuf)."),
            QStringLiteral("list"));
    const QCommandLineOption repeat(
            QStringLiteral("repeat"),
            QStringLiteral("Runs of the throughput scenario per wire format; the median run "
                           "(by entries/s) is reported (default 3, 1 with --quick)."),
            QStringLiteral("n"));
    parser.addOptions({json, quick, calls, entries, only, formatsOption, repeat, binary});
    parser.process(app);

    Options options;
    if (parser.isSet(quick)) {
        options.quick = true;
        options.callsPerThread = 20000;
        options.warmupCalls = 2000;
        options.qdebugCalls = 20000;
        options.throughputEntries = 100000;
        options.outageEntries = 100000;
        options.idleSeconds = 1.0;
        options.throughputRepeats = 1;
    }
    if (parser.isSet(repeat))
        options.throughputRepeats = qMax(1, parser.value(repeat).toInt());
    if (parser.isSet(calls))
        options.callsPerThread = qMax(1, parser.value(calls).toInt());
    if (parser.isSet(entries))
        options.throughputEntries = options.outageEntries = qMax(1, parser.value(entries).toInt());
    options.jsonFile = parser.value(json);
#ifdef LOKI_RECEIVER_BINARY
    options.receiverBinary = QStringLiteral(LOKI_RECEIVER_BINARY);
#endif
    if (parser.isSet(binary))
        options.receiverBinary = parser.value(binary);
    const QStringList scenarios = parser.isSet(only)
            ? parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts)
            : QStringList {QStringLiteral("caller"), QStringLiteral("qdebug"),
                           QStringLiteral("throughput"), QStringLiteral("memory"),
                           QStringLiteral("idle"), QStringLiteral("spool")};
    const auto runs = [&](const char *name) {
        return scenarios.contains(QLatin1String(name));
    };
    if (options.receiverBinary.isEmpty()) {
        std::fprintf(stderr, "no loki-receiver binary: pass --receiver\n");
        return 2;
    }

    Receiver receiver;
    if (!receiver.start(options.receiverBinary)) {
        std::fprintf(stderr, "loki-receiver did not start\n");
        return 1;
    }
    const QUrl pushUrl = receiver.baseUrl();

    const Ticker ticker;
    const Corpus corpus = Corpus::make(4096);
    Figures figures;
    const std::string date = bench::utcNow();
    const std::string cpu = bench::cpuModel();
    const int nproc = bench::onlineCpus();
    figures.setText("date_utc", date);
    figures.setText("machine_cpu", cpu);
    figures.setText("timer", ticker.name());
    figures.set("machine_nproc", nproc);
    figures.set("timer_overhead_ns", ticker.overheadNs());
    figures.set("timer_resolution_ns", ticker.resolutionNs());
    figures.set("quick", options.quick ? 1 : 0);
    bool ok = true;

    std::printf("qloki-bench: %s, nproc %d, %s%s\n", cpu.c_str(), nproc, date.c_str(),
                options.quick ? " (--quick)" : "");
    std::printf("timer: %s, resolution %.1f ns, overhead %.1f ns per read pair (subtracted); "
                "receiver: loki-receiver --counting-only at %s\n\n",
                ticker.name().c_str(), ticker.resolutionNs(), ticker.overheadNs(),
                qPrintable(pushUrl.toString()));

    // --- 1. caller cost
    if (runs("caller")) {
        std::printf("1. Caller cost: info(~100-byte line, 2 label_ fields, 2 metadata fields), "
                    "%d timed calls per thread after %d warm-up calls; QLoki: protobuf, "
                    "bufferSize >= all calls, OverflowPolicy::Block (never reached), sender "
                    "delivering; spdlog %d.%d.%d async_logger, null sink, queue >= all calls, "
                    "async_overflow_policy::block, same lines\n",
                    options.callsPerThread, options.warmupCalls, SPDLOG_VER_MAJOR,
                    SPDLOG_VER_MINOR, SPDLOG_VER_PATCH);
        for (const int threads : {1, 2, 4}) {
            const CallerResult r = callerScenario(options, ticker, corpus, pushUrl, threads);
            const std::string t = std::to_string(threads) + "t";
            figures.set("caller_ns_median_" + t, r.qloki.perCall.median);
            figures.set("caller_ns_p99_" + t, r.qloki.perCall.p99);
            figures.set("caller_ns_mean_" + t, r.qloki.perCall.mean);
            figures.set("spdlog_ns_median_" + t, r.spdlog.perCall.median);
            figures.set("spdlog_ns_p99_" + t, r.spdlog.perCall.p99);
            figures.set("caller_ratio_spdlog_" + t,
                        r.spdlog.perCall.median > 0 ? r.qloki.perCall.median / r.spdlog.perCall.median
                                                    : std::optional<double>());
            figures.set("caller_calls_per_s_" + t,
                        double(r.qloki.perCall.samples) / r.qloki.wallSeconds);
            figures.set("spdlog_calls_per_s_" + t,
                        double(r.spdlog.perCall.samples) / r.spdlog.wallSeconds);
            std::printf("   %dt: QLoki median %.0f ns, p99 %.0f ns, mean %.0f ns (%s calls/s); "
                        "spdlog median %.0f ns, p99 %.0f ns, mean %.0f ns (%s calls/s); "
                        "all delivered: %s, dropped %llu\n",
                        threads, r.qloki.perCall.median, r.qloki.perCall.p99, r.qloki.perCall.mean,
                        grouped(double(r.qloki.perCall.samples) / r.qloki.wallSeconds).c_str(),
                        r.spdlog.perCall.median, r.spdlog.perCall.p99, r.spdlog.perCall.mean,
                        grouped(double(r.spdlog.perCall.samples) / r.spdlog.wallSeconds).c_str(),
                        r.allDelivered ? "yes" : "NO", static_cast<unsigned long long>(r.dropped));
            std::fflush(stdout);
            ok = ok && r.allDelivered;
        }
        // The same on 1 thread with the arguments built inside the timed call.
        const CallerResult r = callerScenario(options, ticker, corpus, pushUrl, 1, true);
        figures.set("caller_ns_median_1t_built", r.qloki.perCall.median);
        figures.set("spdlog_ns_median_1t_formatted", r.spdlog.perCall.median);
        figures.set("caller_ratio_spdlog_1t_built",
                    r.spdlog.perCall.median > 0 ? r.qloki.perCall.median / r.spdlog.perCall.median
                                                : std::optional<double>());
        std::printf("   1t, arguments built in the call (QLoki: a new 4-field QVariantMap; spdlog: "
                    "the 4 fields formatted into the line): QLoki median %.0f ns, p99 %.0f ns; "
                    "spdlog median %.0f ns, p99 %.0f ns; all delivered: %s\n",
                    r.qloki.perCall.median, r.qloki.perCall.p99, r.spdlog.perCall.median,
                    r.spdlog.perCall.p99, r.allDelivered ? "yes" : "NO");
        std::fflush(stdout);
        ok = ok && r.allDelivered;
    }

    // --- 2. qDebug hook
    if (runs("qdebug")) {
        const QDebugResult r = qdebugScenario(options, ticker, corpus, pushUrl);
        figures.set("qdebug_discard_ns_median", r.discard.perCall.median);
        figures.set("qdebug_hook_ns_median", r.hook.perCall.median);
        figures.set("qdebug_hook_ns_p99", r.hook.perCall.p99);
        figures.set("qdebug_hook_ratio", r.discard.perCall.median > 0 && r.hook.perCall.samples
                            ? r.hook.perCall.median / r.discard.perCall.median
                            : std::optional<double>());
        std::printf("2. qDebug(\"%%s\", line): discarding handler median %.0f ns; with "
                    "installMessageHandler() (chaining to the discarding one) median %.0f ns, "
                    "p99 %.0f ns; all delivered: %s\n",
                    r.discard.perCall.median, r.hook.perCall.median, r.hook.perCall.p99,
                    r.allDelivered ? "yes" : "NO");
        std::fflush(stdout);
        ok = ok && r.allDelivered;
    }

    // --- 3. throughput
    if (runs("throughput")) {
        const struct
        {
            QLoki::WireFormat format;
            const char *key;
        } formats[] = {{QLoki::WireFormat::Json, "json"},
                       {QLoki::WireFormat::JsonGzip, "json_gzip"},
                       {QLoki::WireFormat::Protobuf, "protobuf"}};
        const QStringList wanted = parser.isSet(formatsOption)
                ? parser.value(formatsOption).split(QLatin1Char(','), Qt::SkipEmptyParts)
                : QStringList {};
        for (const auto &f : formats) {
            if (!wanted.isEmpty() && !wanted.contains(QLoki::wireFormatName(f.format)))
                continue;
            // The machine's noise moves a single run by ±15%: the median of a few is reported,
            // every run's rate beside it.
            std::vector<ThroughputResult> repeats;
            bool allOk = true;
            for (int i = 0; i < options.throughputRepeats; ++i) {
                repeats.push_back(throughputScenario(options, corpus, receiver, f.format));
                allOk = allOk && repeats.back().ok;
            }
            std::sort(repeats.begin(), repeats.end(), [](const auto &a, const auto &b) {
                return a.entriesPerSecond < b.entriesPerSecond;
            });
            std::string rates;
            for (const ThroughputResult &run : repeats)
                rates += (rates.empty() ? "" : ", ") + grouped(run.entriesPerSecond);
            ThroughputResult r = repeats[repeats.size() / 2];
            r.ok = allOk;
            const std::string k = f.key;
            figures.set("eps_" + k, r.entriesPerSecond);
            figures.set("wire_bytes_per_entry_" + k, r.wireBytesPerEntry);
            figures.set("cpu_seconds_" + k, r.cpuSeconds);
            figures.set("receiver_cpu_seconds_" + k, r.receiverCpuSeconds);
            figures.set("push_latency_ms_median_" + k, r.latencyMsMedian);
            std::printf("3. Throughput %-9s: %d entries in %.2f s = %s entries/s, %.1f wire "
                        "bytes/entry, client CPU %.2f s, receiver CPU %.2f s; %d pushes of %.0f "
                        "entries, answered after %.0f ms (median); delivered %llu, receiver "
                        "counted %lld%s\n",
                        f.key, options.throughputEntries, r.seconds,
                        grouped(r.entriesPerSecond).c_str(), r.wireBytesPerEntry, r.cpuSeconds,
                        r.receiverCpuSeconds, r.batches, r.batchEntries, r.latencyMsMedian,
                        static_cast<unsigned long long>(r.delivered), r.receiverCounted,
                        r.ok ? "" : " (MISMATCH)");
            if (repeats.size() > 1) {
                std::printf("   the median of %zu runs (entries/s: %s)\n", repeats.size(),
                            rates.c_str());
            }
            std::fflush(stdout);
            ok = ok && r.ok;
        }
    }

    // --- 4. memory
    if (runs("memory")) {
        const MemoryResult r = memoryScenario(options, corpus);
        figures.set("rss_growth_bytes_per_buffered_entry", r.growthPerEntry);
        figures.set("utf8_bytes_per_buffered_entry", r.utf8PerEntry);
        figures.set("line_utf8_bytes_per_buffered_entry", r.lineUtf8PerEntry);
        figures.set("rss_overhead_bytes_per_buffered_entry", r.growthPerEntry - r.utf8PerEntry);
        figures.set("rss_growth_unsettled_bytes_per_buffered_entry", r.growthUnsettledPerEntry);
        std::printf("4. Memory: %d entries buffered during an outage (bufferSize %d): RSS growth "
                    "%.1f bytes/entry; own UTF-8 %.1f bytes/entry (line %.1f + field names and "
                    "values); overhead %.1f bytes/entry; buffered %llu%s\n"
                    "   read once RSS held still, %.1f s after the last call; right after it, "
                    "while the sender was still compacting: %.1f bytes/entry\n",
                    options.outageEntries, options.outageEntries, r.growthPerEntry, r.utf8PerEntry,
                    r.lineUtf8PerEntry, r.growthPerEntry - r.utf8PerEntry,
                    static_cast<unsigned long long>(r.buffered), r.ok ? "" : " (MISMATCH)",
                    r.settleSeconds, r.growthUnsettledPerEntry);
        std::fflush(stdout);
        ok = ok && r.ok;
    }

    // --- 5. idle
    if (runs("idle")) {
        const IdleResult r = idleScenario(options, corpus, pushUrl);
        figures.set("idle_wakeups_per_s", r.wakeupsPerSecond);
        figures.set("idle_cpu_percent", r.idleCpuPercent);
        figures.set("cpu_percent_at_1000_eps", r.cpuPercentAt1000);
        figures.set("cpu_percent_pacing_only", r.pacingCpuPercent);
        figures.set("cpu_percent_at_1000_eps_net", r.cpuPercentAt1000 - r.pacingCpuPercent);
        std::printf("5. Idle %.0f s (%d threads): %.2f wake-ups/s (%s), CPU %.3f%%; at 1,000 "
                    "entries/s: CPU %.2f%% of one core (the pacing loop alone: %.2f%%), "
                    "delivered %llu\n",
                    options.idleSeconds, r.threads, r.wakeupsPerSecond,
                    r.wakeupsByThread.empty() ? "none" : r.wakeupsByThread.c_str(),
                    r.idleCpuPercent, r.cpuPercentAt1000, r.pacingCpuPercent,
                    static_cast<unsigned long long>(r.delivered1000));
        std::fflush(stdout);
    }

    // --- 6. spool
    if (runs("spool")) {
        // A tenth of the memory scenario's entries: 100,000 (10,000 with --quick).
        const int spoolEntries = qMax(1, options.outageEntries / 10);
        for (const SpoolResult &r : spoolScenario(spoolEntries, corpus, receiver)) {
            std::string key = r.durability;
            std::transform(key.begin(), key.end(), key.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            figures.set("spool_append_eps_" + key, r.appendPerSecond);
            figures.set("spool_replay_eps_" + key, r.replayPerSecond);
            std::printf("6. Spool %-6s: %d entries appended at %s entries/s (Loki unreachable, "
                        "until shutdown() returned), replayed at %s entries/s; receiver counted "
                        "%lld%s\n",
                        r.durability.c_str(), spoolEntries, grouped(r.appendPerSecond).c_str(),
                        grouped(r.replayPerSecond).c_str(), r.replayed, r.ok ? "" : " (MISMATCH)");
            std::fflush(stdout);
            ok = ok && r.ok;
        }
    }

    receiver.stop();

    // --- the table
    const auto value = [&](const char *key, const char *format = "%.1f") -> std::string {
        const std::optional<double> v = figures.get(key);
        return v ? num(*v, format) : std::string("-");
    };
    const auto met = [&](const char *key, auto predicate) -> const char * {
        const std::optional<double> v = figures.get(key);
        return v ? verdict(predicate(*v)) : "";
    };
    std::printf("\nqloki-bench%s | %s | nproc %d | %s\n", options.quick ? " --quick" : "",
                cpu.c_str(), nproc, date.c_str());
    std::printf("  %-44s %18s   %-22s %s\n", "figure", "value", "target", "");
    row("caller ns/call median, 1 thread", value("caller_ns_median_1t"));
    row("caller ns/call median, 2 threads", value("caller_ns_median_2t"));
    row("caller ns/call median, 4 threads", value("caller_ns_median_4t"));
    row("caller ns/call p99, 1 thread", value("caller_ns_p99_1t"));
    row("caller ns/call p99, 4 threads", value("caller_ns_p99_4t"), "< 5000",
        met("caller_ns_p99_4t", [](double v) { return v < 5000; }));
    row("spdlog async ns/call median, 1 thread", value("spdlog_ns_median_1t"));
    row("spdlog async ns/call median, 4 threads", value("spdlog_ns_median_4t"));
    row("ratio QLoki/spdlog, 1 thread", value("caller_ratio_spdlog_1t", "%.2f"), "<= 1.0",
        met("caller_ratio_spdlog_1t", [](double v) { return v <= 1.0; }));
    row("ratio QLoki/spdlog, 4 threads", value("caller_ratio_spdlog_4t", "%.2f"));
    row("caller ns median, 1t, map built per call", value("caller_ns_median_1t_built"));
    row("spdlog ns median, 1t, fields formatted", value("spdlog_ns_median_1t_formatted"));
    row("ratio, arguments built per call", value("caller_ratio_spdlog_1t_built", "%.2f"));
    row("qDebug ns median, discarding handler", value("qdebug_discard_ns_median"));
    row("qDebug ns median, QLoki hook", value("qdebug_hook_ns_median"));
    row("qDebug ratio hook/discard", value("qdebug_hook_ratio", "%.2f"));
    row("entries/s JSON", value("eps_json", "%.0f"));
    row("entries/s JSON+gzip", value("eps_json_gzip", "%.0f"));
    row("entries/s protobuf+snappy", value("eps_protobuf", "%.0f"), ">= 1000000",
        met("eps_protobuf", [](double v) { return v >= 1000000; }));
    row("wire bytes/entry JSON", value("wire_bytes_per_entry_json"));
    row("wire bytes/entry JSON+gzip", value("wire_bytes_per_entry_json_gzip"));
    {
        const std::optional<double> j = figures.get("wire_bytes_per_entry_json");
        const std::optional<double> p = figures.get("wire_bytes_per_entry_protobuf");
        const char *status = j && p && *j > 0 ? verdict(*p <= 0.3 * *j) : "";
        const std::string share = j && p && *j > 0 ? num(100.0 * *p / *j, "%.0f%% of JSON") : "";
        std::string target = "<= 30% of JSON";
        if (!share.empty())
            target += " (" + share + ")";
        row("wire bytes/entry protobuf+snappy", value("wire_bytes_per_entry_protobuf"),
            target.c_str(), status);
    }
    row("client CPU s JSON / JSON+gzip / protobuf",
        value("cpu_seconds_json", "%.2f") + " / " + value("cpu_seconds_json_gzip", "%.2f") + " / "
                + value("cpu_seconds_protobuf", "%.2f"));
    row("receiver CPU s JSON / JSON+gzip / protobuf",
        value("receiver_cpu_seconds_json", "%.2f") + " / "
                + value("receiver_cpu_seconds_json_gzip", "%.2f") + " / "
                + value("receiver_cpu_seconds_protobuf", "%.2f"));
    row("RSS growth bytes/buffered entry", value("rss_growth_bytes_per_buffered_entry"));
    row("own UTF-8 bytes/buffered entry", value("utf8_bytes_per_buffered_entry"));
    row("overhead bytes/buffered entry", value("rss_overhead_bytes_per_buffered_entry"), "<= 64",
        met("rss_overhead_bytes_per_buffered_entry", [](double v) { return v <= 64; }));
    row("idle wake-ups/s (all threads but main)", value("idle_wakeups_per_s", "%.2f"),
        "flush timer only");
    row("idle CPU % of one core", value("idle_cpu_percent", "%.3f"));
    row("CPU % of one core at 1,000 entries/s", value("cpu_percent_at_1000_eps", "%.2f"), "< 1%",
        met("cpu_percent_at_1000_eps", [](double v) { return v < 1.0; }));
    row("  of which the pacing loop alone", value("cpu_percent_pacing_only", "%.2f"));
    row("  net: logging and sending", value("cpu_percent_at_1000_eps_net", "%.2f"), "< 1%",
        met("cpu_percent_at_1000_eps_net", [](double v) { return v < 1.0; }));
    if (figures.get("spool_append_eps_flush") || figures.get("spool_append_eps_fsync")) {
        row("spool append entries/s Flush / Fsync",
            value("spool_append_eps_flush", "%.0f") + " / " + value("spool_append_eps_fsync", "%.0f"));
        row("spool replay entries/s Flush / Fsync",
            value("spool_replay_eps_flush", "%.0f") + " / " + value("spool_replay_eps_fsync", "%.0f"));
    } else {
        row("spool", "not measured");
    }

    if (!options.jsonFile.isEmpty()) {
        if (!figures.writeJson(options.jsonFile)) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(options.jsonFile));
            return 1;
        }
        std::printf("\nfigures written to %s\n", qPrintable(options.jsonFile));
    }
    if (!ok)
        std::printf("\nsome entries were not delivered or counted as expected (see above)\n");
    return ok ? 0 : 1;
}
