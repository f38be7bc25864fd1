// SPDX-License-Identifier: MIT
#include "logger/senderworker_p.h"

#include "integration/messagehandler_p.h"
#include "pipeline/entryqueue_p.h"
#include "pipeline/eventhandoff_p.h"
#include "pipeline/lineshaping_p.h"
#include "transport/otlpanswer_p.h"
#include "transport/refusal_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QLoggingCategory>
#include <QtCore/QThread>
#include <QtCore/QVersionNumber>
#include <QtNetwork/QNetworkAccessManager>

#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// The logger's own diagnostics; the message handler hook never feeds qloki.* back in.
Q_LOGGING_CATEGORY(lcSender, "qloki.sender", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCardinality, "qloki.cardinality", QtInfoMsg)

namespace QLoki::detail {

using Decision = DeliveryMachine::Decision;
using Fate = DeliveryMachine::Fate;
using Outcome = DeliveryMachine::Outcome;

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
        m_queue->statsHandled();
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
    case EntryQueue::ContextSpentEvent:
        m_queue->takeContextSpent(&m_contextSpent);
        m_contextSpent.clear(); // freed here, not in the calls that overwrote them
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

void SenderWorker::resolveQueued(int maxEntries)
{
    int left = maxEntries < 0 ? std::numeric_limits<int>::max() : maxEntries;
    bool drained = false;
    std::vector<QueuedEntry> resolved;
    while (left > 0) {
        // In slices, so that the queue's lock is never held for long.
        std::vector<PendingEntry> raw = m_queue->takeUnresolved(qMin(left, 256));
        if (raw.empty()) {
            drained = true;
            break;
        }
        left -= int(raw.size());
        resolved.clear();
        resolved.reserve(raw.size());
        // Secrets go here, before the entry takes the form that is encoded, spooled and sent.
        quint64 redacted = 0;
        const bool redacting = m_redactor.isActive();
        const bool down = m_state != State::Online;
        for (PendingEntry &entry : raw) {
            if (down)
                m_resolvedBytesWhileDown += entry.heldBytes();
            if (redacting && m_redactor.redactEntry(&entry))
                ++redacted;
            resolved.push_back(m_batcher.resolve(entry));
            // Freed at once, while the allocator's caches are warm: redactEntry() unpacked
            // the field list in place (a dozen allocations an entry, 256 entries a slice).
            entry = PendingEntry();
        }
        m_queue->putResolved(std::move(resolved));
        if (redacted > 0)
            m_queue->noteRedacted(redacted);
        noteDemotions();
        resolved = {};
        if (down)
            m_resolvedWhileDown += int(raw.size());
    }
#if defined(__GLIBC__)
    // During an outage the entries as the application made them (strings, field maps)
    // are freed here once resolved, but glibc keeps the freed pages of the application's
    // arena resident. Once the backlog is resolved they are handed back, so a long outage
    // costs the compact size only; not while behind, where it would only slow us down.
    // Large lines (a few hundred KiB each) come from the heap once glibc has raised its
    // mmap threshold, so a few MiB of them are handed back too.
    if (drained && (m_resolvedWhileDown >= 16384 || m_resolvedBytesWhileDown >= (8 << 20))) {
        m_resolvedWhileDown = 0;
        m_resolvedBytesWhileDown = 0;
        malloc_trim(0);
    }
#else
    Q_UNUSED(drained);
#endif
}

void SenderWorker::noteDemotions()
{
    CardinalityGuard &guard = m_batcher.cardinalityGuard();
    const QHash<QString, quint64> demotions = guard.takeDemotions();
    if (demotions.isEmpty())
        return;
    m_queue->noteDemoted(demotions);
    for (const QString &name : guard.takeNewlyDemotedNames()) {
        qCWarning(lcCardinality,
                  "label \"%s\" took more than %d values within the hour: its new values go as "
                  "structured metadata (keep ids out of labels; see LokiConfig::maxLabelValues)",
                  qUtf8Printable(name), m_config.maxLabelValues);
    }
}

void SenderWorker::postResolveSlice()
{
    if (!m_slicePosted) {
        m_slicePosted = true;
        QCoreApplication::postEvent(this, new QEvent(QEvent::Type(ResolveSliceEvent)));
    }
}

void SenderWorker::resolveSlice()
{
    // Small enough that the upload's next step waits some tens of microseconds at most.
    constexpr int SliceEntries = 128;
    if (!m_pusher || !m_pusher->isUploading() || m_state != State::Online)
        return;
    // The batch prepared next and the one after it.
    const int wanted = 2 * batchCap() - m_queue->resolvedCount();
    if (wanted <= 0 || m_queue->unresolvedCount() == 0)
        return;
    resolveQueued(qMin(wanted, SliceEntries));
    postResolveSlice();
}

void SenderWorker::onReachabilityChanged(QNetworkInformation::Reachability reachability)
{
    const bool reachable = reachability != QNetworkInformation::Reachability::Disconnected;
    apply(m_machine.reachabilityChanged(reachable, waiting()));
}

void SenderWorker::onPushFinished(const PushResult &result)
{
    MessageHandler::pushEnded();
    Outcome outcome = Outcome::Retryable;
    int refused = 0;
    RefusalCode code = RefusalCode::Other;
    QString error = result.error;
    switch (RetryPolicy::classify(result.httpStatus)) {
    case RetryPolicy::Verdict::Delivered:
        outcome = Outcome::Delivered;
        if (isOtlp(m_config.format)) {
            // OTLP/HTTP's 200 may still refuse records: its partial success counts them
            // (which ones is not said, so they are counted, never re-sent).
            const OtlpPartialSuccess partial =
                    readOtlpPartialSuccess(result.body, result.contentType);
            if (partial.rejected > 0) {
                outcome = Outcome::Refused;
                refused = int(qMin<qint64>(partial.rejected, m_wire.count));
                // Loki 3 gives its push API's reasons: the code is read from them.
                code = readRefusal(400, partial.message.toUtf8(), m_wire.batch).code;
                error = QStringLiteral("HTTP %1: partial success, %2 rejected: %3")
                                .arg(result.httpStatus)
                                .arg(partial.rejected)
                                .arg(partial.message);
            } else if (!partial.message.isEmpty()) {
                qCWarning(lcSender, "the OTLP endpoint accepted the batch with a warning: %s",
                          qUtf8Printable(partial.message));
            }
        }
        break;
    case RetryPolicy::Verdict::Retry:
        break;
    case RetryPolicy::Verdict::Split:
        if (m_wire.count > 1) {
            // Too large for the server (or a gateway): the same entries in halves.
            m_splitCap = qMax(1, m_wire.count / 2);
            outcome = Outcome::TooLarge;
            break;
        }
        Q_FALLTHROUGH();
    case RetryPolicy::Verdict::Reject: {
        const RefusalReading reading = readRefusal(result.httpStatus, result.body, m_wire.batch);
        if (reading.metadataDisallowed && m_config.metadataMode == MetadataMode::Auto
            && m_embed == MetadataMode::Structured && !isOtlp(m_config.format)) {
            // The only refusal a changed form can cure. The entries that carried metadata
            // go again with it in their lines; the others go again unchanged, so Loki,
            // which stored them, drops them as duplicates (same stream, time and line).
            startEmbedding(MetadataMode::Logfmt,
                           QStringLiteral("Loki refused structured metadata (%1)").arg(reading.reason));
            outcome = Outcome::Reshaped;
            break;
        }
        outcome = Outcome::Refused;
        refused = reading.refused;
        code = reading.code;
        break;
    }
    }
    if (m_prepared && outcome != Outcome::Delivered) {
        // A prepared batch follows only a delivered one; otherwise it goes back first (it
        // holds newer entries than the one on the wire).
        releasePrepared();
    }
    const Decision decision = m_machine.pushFinished(outcome, result.retryAfter, waiting());
    // State first: settling wakes flush() callers, who may read it at once.
    if (m_machine.state() == State::Online)
        setState(State::Online);
    if (outcome == Outcome::Refused) {
        // Loki's reason as a short code before its text: "line_too_long: HTTP 400: ...".
        PushResult named = result;
        named.error = refusalCodeName(code) + QStringLiteral(": ") + error;
        settle(decision.fate, named, refused, code);
    } else {
        settle(decision.fate, result, refused);
    }
    if (outcome == Outcome::Retryable)
        m_queue->noteError(error);
    apply(decision);
    if (!m_pusher->isBusy() && m_queue->queuedCount() == 0)
        m_splitCap = 0; // the backlog is gone: full batches again
}

void SenderWorker::settle(Fate fate, const PushResult &result, int refused, RefusalCode code)
{
    Wire wire = std::move(m_wire);
    m_wire = Wire();
    const int count = wire.count;
    const QString &error = result.error;
    scheduleStats();
    if (wire.fromSpool) {
        switch (fate) {
        case Fate::Settled: {
            const int acked = m_spool->acknowledge(wire.fromSpool);
            refused = qMin(refused, acked);
            m_queue->spoolRefused(acked, refused, result.bodyBytes, error, code);
            if (acked > refused)
                Q_EMIT batchDelivered(acked - refused, result.bodyBytes, result.httpStatus,
                                      result.latencyMs);
            if (refused > 0) {
                Q_EMIT batchFailed(refused, result.httpStatus, error, false);
                Q_EMIT entriesDropped(refused, DropReason::Rejected, error);
            }
            return;
        }
        case Fate::None:
            return;
        case Fate::Keep:
        case Fate::KeepOffline:
        case Fate::Spool:
        case Fate::Drop: // a spool is the offline buffer: its entries are never dropped here
            Q_EMIT batchFailed(count, result.httpStatus, error, true);
            return;
        }
        return;
    }

    switch (fate) {
    case Fate::None:
        return;
    case Fate::Settled:
        m_queue->completeRefused(count, refused, result.bodyBytes, error, code);
        if (count > refused)
            Q_EMIT batchDelivered(count - refused, result.bodyBytes, result.httpStatus,
                                  result.latencyMs);
        if (refused > 0) {
            Q_EMIT batchFailed(refused, result.httpStatus, error, false);
            Q_EMIT entriesDropped(refused, DropReason::Rejected, error);
        }
        return;
    case Fate::Spool:
        m_wire = std::move(wire);
        if (spoolWireBatch()) {
            Q_EMIT batchFailed(count, result.httpStatus, error, true);
            return;
        }
        wire = std::move(m_wire);
        m_wire = Wire();
        Q_FALLTHROUGH(); // the disk failed us: memory keeps them
    case Fate::Keep:
    case Fate::KeepOffline:
        m_queue->completeKept(std::move(wire.entries), error, fate == Fate::KeepOffline);
        Q_EMIT batchFailed(count, result.httpStatus, error, true);
        return;
    case Fate::Drop:
        m_queue->completeDropped(count, DropReason::RetriesExhausted, error);
        Q_EMIT batchFailed(count, result.httpStatus, error, false);
        Q_EMIT entriesDropped(count, DropReason::RetriesExhausted, error);
        return;
    }
}

void SenderWorker::startEmbedding(MetadataMode mode, const QString &why)
{
    m_embed = mode;
    qCWarning(lcSender, "%s; structured metadata is sent inside the lines (logfmt) from now on",
              qPrintable(why));
}

void SenderWorker::onBuildInfo(const QString &version)
{
    m_probing = false;
    QString text = version;
    if (text.startsWith(QLatin1Char('v')))
        text.remove(0, 1);
    qsizetype suffix = 0;
    const QVersionNumber number = QVersionNumber::fromString(text, &suffix);
    // Release builds report their version; others ("main-1a2b3c") are taken as current.
    if (!number.isNull() && number.segmentCount() >= 2
        && QVersionNumber::compare(number, QVersionNumber(2, 9)) < 0) {
        startEmbedding(MetadataMode::Logfmt,
                       QStringLiteral("Loki %1 predates structured metadata (2.9)").arg(version));
    }
    apply(m_machine.entriesWaiting(waiting()));
}

} // namespace QLoki::detail
