// SPDX-License-Identifier: MIT
#include "logger/senderworker_p.h"

#include "integration/messagehandler_p.h"
#include "pipeline/entryqueue_p.h"
#include "pipeline/eventhandoff_p.h"
#include "pipeline/lineshaping_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QLoggingCategory>
#include <QtCore/QThread>
#include <QtNetwork/QNetworkAccessManager>

// The logger's own diagnostics; the message handler hook never feeds qloki.* back in.
Q_LOGGING_CATEGORY(lcSender, "qloki.sender", QtInfoMsg)

namespace QLoki::detail {

using Decision = DeliveryMachine::Decision;

// While Loki is down, the sender compacts what waits once this many entries are unresolved:
// a wake-up per so many entries, each entry in the form the call made it for that long.
constexpr int CompactionEntries = 256;

static LabelList toLabelList(const QMap<QString, QString> &map)
{
    LabelList list;
    list.reserve(map.size());
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        list.append({it.key(), it.value()});
    return list;
}

static DeliveryMachine::Settings machineSettings(const LokiConfigData &config)
{
    DeliveryMachine::Settings s;
    s.flushInterval = config.flushInterval;
    s.maxRetries = config.maxRetries;
    s.offlineBuffer = config.enableOfflineBuffer;
    return s;
}

SenderWorker::SenderWorker(const LokiConfigData &config, const PushTarget &target,
                           EntryQueue *queue)
    : m_config(config)
    , m_target(target)
    , m_queue(queue)
    , m_batcher(Batcher::Context {
              config.appName, config.environment, toLabelList(config.staticLabels), LabelLimits(),
              config.batchMaxBytes, config.maxLabelValues, isOtlp(config.format)})
    , m_redactor(config.redactSecrets, config.redactions, config.redactionReplacement)
    , m_policy(config.minBackoff, config.maxBackoff, config.maxRetries)
    , m_machine(machineSettings(config), m_policy)
    , m_encoder(makeEncoder(config.format))
    // Parented to us so that moveToThread() takes them along to the sender thread.
    , m_flushTimer(this)
    , m_retryTimer(this)
    , m_statsTimer(this)
{
    m_flushTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_statsTimer.setSingleShot(true);
    m_statsTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this,
            [this] { apply(m_machine.flushTimerFired(waiting())); });
    connect(&m_retryTimer, &QTimer::timeout, this,
            [this] { apply(m_machine.retryTimerFired(waiting())); });
    if (config.metadataMode == MetadataMode::Logfmt || config.metadataMode == MetadataMode::Json)
        m_embed = config.metadataMode;

    // Reachability, where Qt has a backend for it. The backend object lives in the
    // application's thread, so it is loaded there (we are constructed on the owner thread).
    const QString host = target.url.host();
    const bool loopback = host == QLatin1String("localhost") || host.startsWith(QLatin1String("127."))
        || host == QLatin1String("::1");
    QCoreApplication *app = QCoreApplication::instance();
    if (!loopback && app && QThread::currentThread() == app->thread()
        && QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
                &SenderWorker::onReachabilityChanged);
    }
    connect(&m_statsTimer, &QTimer::timeout, this, [this] {
        // While the calls keep changing the counters, the tick comes again by itself: they
        // post nothing meanwhile (EntryQueue::takeStatsChanged()).
        const bool callsChanged = m_queue->takeStatsChanged();
        if (!callsChanged && !m_statsDue)
            return; // a tick after the last change: nothing to say
        m_statsDue = false;
        if (callsChanged)
            m_statsTimer.start();
        // Lines refused in the logging call are reported here, in the logger's signals.
        if (const int refused = m_queue->takeRefusedInCall(); refused > 0) {
            Q_EMIT entriesDropped(refused, DropReason::Invalid,
                                  QStringLiteral("line longer than %1 bytes").arg(m_config.maxLineBytes));
        }
        Q_EMIT statsChanged(m_queue->stats());
    });
}

SenderWorker::~SenderWorker() = default;

void SenderWorker::start()
{
    // The network access manager is created here so that its sockets live here.
    m_manager = new QNetworkAccessManager(this);
    m_pusher = new Pusher(m_manager, this);
    m_pusher->setTarget(m_target);
    connect(m_pusher, &Pusher::finished, this, &SenderWorker::onPushFinished);
    // The next push is prepared once this one's body is out (see Pusher::isUploading()).
    connect(m_pusher, &Pusher::uploaded, this, &SenderWorker::prepareNext);
    connect(m_pusher, &Pusher::buildInfo, this, &SenderWorker::onBuildInfo);
    if (m_config.metadataMode == MetadataMode::Auto && !isOtlp(m_config.format)) {
        // OTLP has no build info to ask and takes attributes anyway. Asked once: an old Loki drops
        // protobuf metadata silently, so it must be known before the first push rather than learned
        // from a refusal.
        m_probing = true;
        m_pusher->probeBuildInfo();
    }
    openSpool();
    setState(State::Online);
    apply(m_machine.start(waiting()));
    if (m_queue->queuedCount() > 0)
        scheduleStats();
}

void SenderWorker::stop()
{
    // The owner reports Stopped (shutdown()) or starts a successor (init()): no state here.
    m_machine.stop();
    m_flushTimer.stop();
    m_retryTimer.stop();
    m_statsTimer.stop();
    releasePrepared(); // the newer of the two batches goes back first
    if (m_pusher && m_pusher->isBusy()) {
        m_pusher->abort();
        MessageHandler::pushEnded();
        if (!m_wire.fromSpool)
            m_queue->releaseInFlight(std::move(m_wire.entries));
        m_wire = Wire();
    }
    if (m_spool) {
        // What is still pending survives on disk, for the next run.
        spoolQueued();
        m_spool->close();
        m_spool.reset();
    }
    delete m_pusher;
    m_pusher = nullptr;
    delete m_manager;
    m_manager = nullptr;
}

bool SenderWorker::event(QEvent *event)
{
    QLOKI_EVENT_DELIVERED(this);
    switch (int(event->type())) {
    case EntryQueue::WakeEvent:
        // Entries that wait for the network wait in their compact form.
        if (m_state != State::Online)
            resolveQueued(-1);
        apply(m_machine.entriesWaiting(waiting()));
        return true;
    case EntryQueue::FlushEvent:
        apply(m_machine.flushRequested(waiting()));
        return true;
    case DrainEvent::Type:
        apply(m_machine.drain(static_cast<DrainEvent *>(event)->deadline, waiting()));
        return true;
    case EntryQueue::StatsEvent:
        scheduleStats();
        return true;
    case ResolveSliceEvent:
        m_slicePosted = false;
        resolveSlice();
        return true;
    case StopEvent::Type:
        stop();
        static_cast<StopEvent *>(event)->done->set_value();
        return true;
    case EntryQueue::SpillEvent:
        m_queue->spillHandled();
        // Memory fills up (Loki is down, or answers slowly): what waits goes to disk now, also
        // while a push is on the wire (a batch from memory there goes first, to keep the
        // spool in the order of time).
        if (m_spool && spoolWireInFlight())
            spoolQueued();
        return true;
    default:
        return QObject::event(event);
    }
}

int SenderWorker::batchCap() const
{
    // At most half the buffer goes on the wire, so that DropOldest always finds an older
    // entry to drop that is not being pushed, and the newest entries survive an overflow.
    const int cap = m_splitCap > 0 ? m_splitCap : m_config.batchMaxEntries;
    return qMax(1, qMin(cap, m_config.bufferSize / 2));
}

DeliveryMachine::Waiting SenderWorker::waiting() const
{
    DeliveryMachine::Waiting w;
    const EntryQueue::Backlog backlog = m_queue->backlog();
    w.memory = backlog.entries;
    w.full = m_prepared.has_value() || backlog.entries >= batchCap()
            || backlog.bytes >= m_config.batchMaxBytes;
    if (m_spool)
        w.spooled = qMax<qint64>(0, m_spool->pendingEntries() - m_wire.fromSpool);
    return w;
}

void SenderWorker::scheduleStats()
{
    m_statsDue = true;
    if (!m_statsTimer.isActive())
        m_statsTimer.start();
}

void SenderWorker::setState(State state, const QDateTime &nextRetry)
{
    m_queue->setState(state, nextRetry);
    if (state != m_state) {
        m_state = state;
        Q_EMIT stateChanged(state);
    }
}

void SenderWorker::apply(const Decision &decision)
{
    if (decision.stopFlushTimer)
        m_flushTimer.stop();
    if (decision.flushIn)
        m_flushTimer.start(*decision.flushIn);
    if (decision.stopRetryTimer)
        m_retryTimer.stop();
    if (decision.retryIn)
        m_retryTimer.start(*decision.retryIn);
    // The console's "next retry" is the timer that will really start the next try.
    const QDateTime nextRetry = m_retryTimer.isActive()
            ? QDateTime::currentDateTimeUtc().addMSecs(m_retryTimer.remainingTime())
            : QDateTime();
    setState(m_machine.state(), nextRetry);
    if (decision.spool && m_spool && !m_pusher->isBusy())
        spoolQueued();
    if (decision.push) {
        if (startPush())
            return;
        // Nothing could go: the server's version is still being asked (onBuildInfo()
        // decides again), or what waited was dropped meanwhile: the next entry decides.
        m_queue->armWake(m_probing ? 0 : 1);
        return;
    }
    {
        switch (decision.wake) {
        case DeliveryMachine::Wake::None:
            m_queue->armWake(0);
            break;
        case DeliveryMachine::Wake::FirstEntry:
            m_queue->armWake(1);
            break;
        case DeliveryMachine::Wake::FullBatch:
            m_queue->armWake(batchCap());
            break;
        }
    }
    // No push starts before the retry timer, but what waits meanwhile is compacted in
    // bulk (event(): WakeEvent), so an outage costs each entry its compact size.
    const State state = m_machine.state();
    m_queue->armCompaction(state == State::Retrying || state == State::Offline
                                   ? CompactionEntries
                                   : 0);
}

bool SenderWorker::startPush()
{
    if (!m_pusher || m_pusher->isBusy() || m_probing)
        return false;
    QByteArray body;
    // The spool holds the oldest entries: it is drained first.
    if (m_spool && m_spool->pendingEntries() > 0) {
        const QList<SpooledEntry> entries = m_spool->peek(batchCap());
        if (!entries.isEmpty()) {
            m_wire = Wire();
            m_wire.batch = pushBatchOf(entries);
            m_wire.count = m_wire.fromSpool = int(entries.size());
            embedMetadata(&m_wire.batch, m_embed);
            applyLineLimit(&m_wire.batch, m_config.maxLineBytes, LineLimitPolicy::Truncate);
        }
    }
    if (!m_wire.fromSpool) {
        if (m_prepared && m_prepared->embed == m_embed) {
            m_wire = std::move(m_prepared->wire);
            body = std::move(m_prepared->body);
            m_prepared.reset();
        } else {
            releasePrepared(); // shaped for another metadata mode: cut again
            if (!cutBatch(batchCap(), &m_wire))
                return false;
        }
    }
    if (m_machine.isRetry())
        m_queue->noteRetry();
    m_machine.pushStarted();
    MessageHandler::pushStarted();
    m_queue->armWake(0); // a push is on the wire: the next is prepared when its body is out
    m_pusher->push(body.isEmpty() ? m_encoder->encode(m_wire.batch) : body,
                   m_encoder->contentType(), m_encoder->contentEncoding());
    scheduleStats();
    postResolveSlice();
    return true;
}

bool SenderWorker::cutBatch(int cap, Wire *wire)
{
    *wire = Wire();
    if (const int resolved = m_queue->resolvedCount(); resolved < cap)
        resolveQueued(cap - resolved);
    if (m_queue->takeFront(cap, &wire->entries) == 0)
        return false;
    wire->count = m_batcher.build(wire->entries.data(), qsizetype(wire->entries.size()),
                                  &wire->batch);
    m_queue->keepInFlight(&wire->entries, wire->count);
    embedMetadata(&wire->batch, m_embed);
    // Lines were fitted to the limit when logged; metadata moved into them may not fit.
    applyLineLimit(&wire->batch, m_config.maxLineBytes, LineLimitPolicy::Truncate);
    return true;
}

void SenderWorker::prepareNext()
{
    // Only in the plain case: delivering, no spool to drain first, no batch splitting.
    // Not while the push on the wire is still handing its body over: this thread's event
    // loop passes it to Qt's HTTP thread, and uploaded() calls again.
    if (m_prepared || !m_pusher || !m_pusher->isBusy() || m_pusher->isUploading()
        || m_machine.phase() != DeliveryMachine::Phase::Online || m_machine.isRetry() || m_spool
        || m_splitCap > 0) {
        return;
    }
    // Both batches together stay within half the buffer, as one alone does (batchCap()).
    const int cap = qMin(batchCap(), m_config.bufferSize / 2 - m_wire.count);
    // A partial batch waits for the flush interval, as it would without preparing.
    if (cap <= 0 || (!m_machine.flushRequestPending() && m_queue->queuedCount() < cap))
        return;
    PreparedPush next;
    if (!cutBatch(cap, &next.wire))
        return;
    next.embed = m_embed;
    next.body = m_encoder->encode(next.wire.batch);
    m_prepared = std::move(next);
    // And the one after is resolved meanwhile too.
    resolveQueued(batchCap() - m_queue->resolvedCount());
}

void SenderWorker::releasePrepared()
{
    if (!m_prepared)
        return;
    m_queue->releaseInFlight(std::move(m_prepared->wire.entries));
    m_prepared.reset();
}

void SenderWorker::onReachabilityChanged(QNetworkInformation::Reachability reachability)
{
    const bool reachable = reachability != QNetworkInformation::Reachability::Disconnected;
    apply(m_machine.reachabilityChanged(reachable, waiting()));
}

} // namespace QLoki::detail
