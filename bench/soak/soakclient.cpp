// SPDX-License-Identifier: MIT
#include "soakclient.h"

#include "soakshared.h"

#include <QLoki/Loki>
#include <QLoki/LokiConfig>
#include <QLoki/LokiLogger>
#include <QLoki/LokiStats>

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcHook, "soak.hook")

namespace soak {
namespace {

using namespace std::chrono;

// The hook passes every message to the handler it found first; the soak's own messages
// stop there, so that a hundred lines a second do not fill the driver's log of stderr.
QtMessageHandler g_previousHandler = nullptr;

void quietHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "soak.hook") == 0)
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

int g_termPipe[2] = {-1, -1};

void onTerm(int)
{
    const char c = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_termPipe[1], &c, 1);
}

// About 120 bytes a line in all, as an application's line with some detail.
const QString Filler =
        QStringLiteral("payload=the quick brown fox jumps over the lazy dog 0123456789 abcdefghij");

QLoki::Level levelFor(quint64 seq)
{
    if (seq % 50 == 49)
        return QLoki::Level::Warning;
    if (seq % 7 == 6)
        return QLoki::Level::Debug;
    return QLoki::Level::Info;
}

class Client : public QObject
{
public:
    explicit Client(const ClientOptions &options)
        : m_options(options)
    { }
    ~Client() override { stopProducers(); }

    int start();

private:
    void produce(int index);
    void stopProducers();
    void publish();
    void writeStats(const char *kind);
    void finish();

    ClientOptions m_options;
    SharedFile m_shared;
    QFile m_stats;
    QTimer m_statsTimer;
    std::vector<std::thread> m_producers;
    std::atomic<bool> m_stop {false};
    qint64 m_startMs = 0;
    bool m_finishing = false;
};

int Client::start()
{
    m_startMs = QDateTime::currentMSecsSinceEpoch();
    if (!m_shared.open(m_options.sharedFile)) {
        std::fprintf(stderr, "soak client: %s\n", qPrintable(m_shared.errorString()));
        return 2;
    }
    m_shared.block()->pid.store(::getpid(), std::memory_order_relaxed);
    m_stats.setFileName(m_options.statsFile);
    if (!m_stats.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        std::fprintf(stderr, "soak client: %s: %s\n", qPrintable(m_options.statsFile),
                     qPrintable(m_stats.errorString()));
        return 2;
    }

    // As an application does it: the defaults, a spool, the hook.
    LokiConfig config;
    config.setAppName(QStringLiteral("qloki-soak"));
    config.setUrl(m_options.url);
    config.setSpoolDirectory(m_options.spoolDirectory);
    if (!Loki::init(config)) {
        std::fprintf(stderr, "soak client: init failed: %s\n",
                     qPrintable(Loki::instance()->errorString()));
        return 2;
    }
    g_previousHandler = qInstallMessageHandler(quietHandler);
    Loki::installMessageHandler();
    connect(Loki::instance(), &LokiLogger::statsChanged, this, [this] { publish(); });
    publish();
    writeStats("started");

    if (::pipe2(g_termPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return 2;
    auto *notifier = new QSocketNotifier(g_termPipe[0], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] { finish(); });
    std::signal(SIGTERM, onTerm);

    m_statsTimer.setInterval(1000);
    connect(&m_statsTimer, &QTimer::timeout, this, [this] {
        publish();
        writeStats("periodic");
    });
    m_statsTimer.start();

    if (m_options.rate <= 0) {
        // A run that only delivers what an earlier one left in the spool.
        QTimer::singleShot(0, this, [this] { finish(); });
    } else {
        for (int i = 0; i < m_options.producers; ++i)
            m_producers.emplace_back([this, i] { produce(i); });
    }
    return QCoreApplication::exec();
}

void Client::produce(int index)
{
    SharedBlock *block = m_shared.block();
    const double perSecond = double(m_options.rate) / m_options.producers;
    // Qt messages are interleaved with the API entries of the same thread.
    const int hookEvery = m_options.hookRate > 0 ? qMax(1, m_options.rate / m_options.hookRate) : 0;
    const QString thread = QStringLiteral("t%1").arg(index);
    const QString label = QStringLiteral("label_thread");
    const QString seqKey = QStringLiteral("seq");
    quint64 api = 0;
    quint64 hook = 0;
    auto start = steady_clock::now();
    quint64 base = 0;
    while (!m_stop.load(std::memory_order_relaxed)) {
        const double elapsed = duration<double>(steady_clock::now() - start).count();
        quint64 due = base + quint64(elapsed * perSecond);
        if (due > api + quint64(perSecond)) {
            // More than a second behind (the machine stalled us): go on at the rate from
            // here rather than in one burst that no application would make.
            base = api;
            start = steady_clock::now();
            due = api;
        }
        while (api < due && !m_stop.load(std::memory_order_relaxed)) {
            const QString line = QStringLiteral("soak id=%1:%2:a:%3 %4")
                                         .arg(m_options.run)
                                         .arg(index)
                                         .arg(api)
                                         .arg(Filler);
            Loki::log(levelFor(api), line, {{label, thread}, {seqKey, api}});
            block->logged[index][ApiSource].store(++api, std::memory_order_release);
            if (hookEvery > 0 && api % quint64(hookEvery) == 0) {
                const QByteArray text = QStringLiteral("soak id=%1:%2:q:%3 %4")
                                                .arg(m_options.run)
                                                .arg(index)
                                                .arg(hook)
                                                .arg(Filler)
                                                .toUtf8();
                switch (hook % 3) {
                case 0:
                    qCInfo(lcHook, "%s", text.constData());
                    break;
                case 1:
                    qCWarning(lcHook, "%s", text.constData());
                    break;
                default:
                    qCDebug(lcHook, "%s", text.constData());
                    break;
                }
                block->logged[index][HookSource].store(++hook, std::memory_order_release);
            }
        }
        std::this_thread::sleep_for(milliseconds(2));
    }
}

void Client::stopProducers()
{
    m_stop.store(true, std::memory_order_relaxed);
    for (std::thread &t : m_producers)
        t.join();
    m_producers.clear();
}

void Client::publish()
{
    StatsSlot slot;
    slot.fill(Loki::instance()->stats(), QDateTime::currentMSecsSinceEpoch());
    m_shared.block()->publish(slot);
}

void Client::writeStats(const char *kind)
{
    const LokiStats stats = Loki::instance()->stats();
    QJsonObject dropped;
    for (int i = 0; i < DropReasons; ++i)
        dropped.insert(QLoki::dropReasonName(QLoki::DropReason(i)),
                       qint64(stats.dropped(QLoki::DropReason(i))));
    quint64 logged = 0;
    for (int p = 0; p < m_options.producers; ++p) {
        for (int s = 0; s < SourceCount; ++s)
            logged += m_shared.block()->logged[p][s].load(std::memory_order_acquire);
    }
    const QJsonObject o {
            {QStringLiteral("kind"), QString::fromLatin1(kind)},
            {QStringLiteral("run"), m_options.run},
            {QStringLiteral("pid"), qint64(::getpid())},
            {QStringLiteral("t_ms"), QDateTime::currentMSecsSinceEpoch() - m_startMs},
            {QStringLiteral("logged"), qint64(logged)},
            {QStringLiteral("accepted"), qint64(stats.accepted())},
            {QStringLiteral("delivered"), qint64(stats.delivered())},
            {QStringLiteral("dropped"), dropped},
            {QStringLiteral("pending"), qint64(stats.pending())},
            {QStringLiteral("spooled"), qint64(stats.spooled())},
            {QStringLiteral("replayed"), qint64(stats.replayed())},
            {QStringLiteral("buffered"), qint64(stats.buffered())},
            {QStringLiteral("bytes_held"), stats.bytesHeld()},
            {QStringLiteral("retries"), qint64(stats.retries())},
            {QStringLiteral("state"), QLoki::stateName(stats.state())},
            {QStringLiteral("last_error"), stats.lastError()},
    };
    m_stats.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
}

void Client::finish()
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_statsTimer.stop();
    stopProducers();
    publish();
    writeStats("stopped");
    // The driver made the receiver healthy again: deliver everything, the spool included.
    const bool delivered = Loki::flush(seconds(m_options.drainSeconds));
    writeStats(delivered ? "flushed" : "flush_timeout");
    Loki::shutdown();
    publish();
    m_shared.block()->finished.store(1, std::memory_order_release);
    writeStats("final");
    QCoreApplication::exit(delivered ? 0 : 1);
}

} // namespace

int runClient(const ClientOptions &options)
{
    Client client(options);
    return client.start();
}

} // namespace soak
