// SPDX-License-Identifier: MIT
#include "logger/senderworker_p.h"

#include "pipeline/entryqueue_p.h"
#include "pipeline/eventhandoff_p.h"
#include "pipeline/lineshaping_p.h"

#include <QtCore/QEvent>
#include <QtCore/QLoggingCategory>
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QVersionNumber>
#include <QtNetwork/QNetworkAccessManager>

#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// The logger's own diagnostics; the message handler hook never feeds qloki.* back in.
Q_LOGGING_CATEGORY(lcSender, "qloki.sender", QtInfoMsg)

namespace QLoki::detail {

static LabelList toLabelList(const QMap<QString, QString> &map)
{
    LabelList list;
    list.reserve(map.size());
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        list.append({it.key(), it.value()});
    return list;
}

SenderWorker::SenderWorker(const LokiConfigData &config, const PushTarget &target,
                           EntryQueue *queue)
    : m_config(config)
    , m_target(target)
    , m_queue(queue)
    , m_batcher(Batcher::Context{config.appName, config.environment,
                                 toLabelList(config.staticLabels), LabelLimits(),
                                 config.batchMaxBytes})
    , m_policy(config.minBackoff, config.maxBackoff, config.maxRetries)
    , m_encoder(makeEncoder(config.format))
    // Parented to us so that moveToThread() takes them along to the sender thread.
    , m_flushTimer(this)
    , m_retryTimer(this)
    , m_statsTimer(this)
{
    m_flushTimer.setTimerType(Qt::CoarseTimer);
    m_retryTimer.setSingleShot(true);
    m_statsTimer.setSingleShot(true);
    m_statsTimer.setInterval(100);
    connect(&m_flushTimer, &QTimer::timeout, this, &SenderWorker::sendNext);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        if (!m_unreachable)
            sendNext();
    });
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
    if (m_config.metadataMode == MetadataMode::Auto) {
        // Asked once: an old Loki drops protobuf metadata silently, so it must be known
        // before the first push rather than learned from a refusal.
        m_probing = true;
        m_pusher->probeBuildInfo();
    }
    openSpool();
    m_flushTimer.start(m_config.flushInterval);
    setState(State::Online);
    if (m_queue->queuedCount() > 0)
        scheduleStats();
}

void SenderWorker::stop()
{
    m_flushTimer.stop();
    m_retryTimer.stop();
    m_statsTimer.stop();
    releasePrepared(); // the newer of the two batches goes back first
    if (m_pusher && m_pusher->isBusy()) {
        m_pusher->abort();
        if (!sendingFromSpool())
            m_queue->releaseInFlight(std::move(m_inFlightEntries));
        m_inFlightEntries.clear();
        m_inFlight = m_invalid = m_fromSpool = 0;
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
        if (m_pusher && m_pusher->isBusy() && m_state == State::Online) {
            // Prepare the next batch while this one is on the wire, once its body is out.
            // The wake stays marked as posted until the push is answered, so callers post
            // no more meanwhile.
            if (!m_pusher->isUploading())
                resolveQueued(batchCap() - m_queue->resolvedCount());
            return true;
        }
        m_queue->wakeHandled();
        // Entries that wait for the network wait in their compact form.
        if (m_state != State::Online)
            resolveQueued(-1);
        // During an outage memory only fills up: move what waits there to disk.
        if (m_spool && m_state != State::Online && !m_pusher->isBusy())
            spoolQueued();
        sendNext();
        return true;
    case EntryQueue::FlushEvent:
        m_flushRequested = true;
        // A flush is a request to try now: cut a backoff wait short.
        m_retryTimer.stop();
        sendNext();
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
        if (m_spool && !m_pusher->isBusy())
            spoolQueued();
        else
            m_spillPending = m_spool != nullptr;
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

void SenderWorker::sendNext()
{
    if (!m_pusher || m_pusher->isBusy() || m_retryTimer.isActive() || m_probing)
        return;
    // The spool holds the oldest entries: it is drained first.
    if (m_spool && m_spool->pendingEntries() > 0) {
        const QList<SpooledEntry> entries = m_spool->peek(batchCap());
        if (!entries.isEmpty()) {
            m_batch = pushBatchOf(entries);
            m_fromSpool = int(entries.size());
            embedMetadata(&m_batch, m_embed);
            if (m_failures > 0)
                m_queue->noteRetry();
            push();
            return;
        }
    }
    for (;;) {
        QByteArray body;
        if (m_prepared) {
            PreparedPush prepared = std::move(*m_prepared);
            m_prepared.reset();
            m_batch = std::move(prepared.batch);
            m_inFlightEntries = std::move(prepared.entries);
            m_inFlight = prepared.count;
            m_invalid = prepared.invalid;
            body = std::move(prepared.body);
            if (prepared.embed != m_embed) {
                // The metadata mode changed since: the lines are shaped again.
                embedMetadata(&m_batch, m_embed);
                m_invalid +=
                        applyLineLimit(&m_batch, m_config.maxLineBytes, m_config.lineLimitPolicy)
                                .rejected;
                body.clear();
            }
        } else if (!cutBatch(batchCap(), &m_inFlightEntries, &m_batch, &m_inFlight, &m_invalid)) {
            m_flushRequested = false;
            m_splitCap = 0; // the backlog is gone: try full batches again
            return;
        }
        if (!m_batch.streams.isEmpty()) {
            if (m_failures > 0)
                m_queue->noteRetry();
            push(body);
            break;
        }
        // Nothing left to send: every entry of this batch was refused.
        m_queue->completeDelivered(m_inFlight, 0, m_invalid);
        m_inFlightEntries.clear();
        m_inFlight = m_invalid = 0;
        scheduleStats();
    }
}

bool SenderWorker::cutBatch(int cap, std::vector<QueuedEntry> *entries, PushBatch *batch,
                            int *count, int *invalid)
{
    if (const int resolved = m_queue->resolvedCount(); resolved < cap)
        resolveQueued(cap - resolved);
    if (m_queue->takeFront(cap, entries) == 0)
        return false;
    *batch = PushBatch();
    *count = m_batcher.build(entries->data(), qsizetype(entries->size()), batch);
    m_queue->keepInFlight(entries, *count);
    embedMetadata(batch, m_embed);
    *invalid = applyLineLimit(batch, m_config.maxLineBytes, m_config.lineLimitPolicy).rejected;
    if (*invalid > 0) {
        Q_EMIT entriesDropped(
                *invalid, DropReason::Invalid,
                QStringLiteral("line longer than %1 bytes").arg(m_config.maxLineBytes));
    }
    return true;
}

void SenderWorker::prepareNext()
{
    // Only in the plain case: delivering, no spool to drain first, no batch splitting.
    // Not while the push on the wire is still handing its body over: this thread's event
    // loop passes it to Qt's HTTP thread, and uploaded() calls again.
    if (m_prepared || !m_pusher || !m_pusher->isBusy() || m_pusher->isUploading()
        || m_state != State::Online || m_failures > 0 || m_spool || sendingFromSpool()
        || m_splitCap > 0) {
        return;
    }
    // Both batches together stay within half the buffer, as one alone does (batchCap()).
    const int cap = qMin(batchCap(), m_config.bufferSize / 2 - m_inFlight);
    // A partial batch waits for the flush interval, as it would without preparing.
    if (cap <= 0 || (!m_flushRequested && m_queue->queuedCount() < cap))
        return;
    PreparedPush next;
    if (!cutBatch(cap, &next.entries, &next.batch, &next.count, &next.invalid))
        return;
    next.embed = m_embed;
    if (!next.batch.streams.isEmpty())
        next.body = m_encoder->encode(next.batch);
    m_prepared = std::move(next);
    // And the one after is resolved meanwhile too.
    resolveQueued(batchCap() - m_queue->resolvedCount());
}

void SenderWorker::releasePrepared()
{
    if (!m_prepared)
        return;
    m_queue->releaseInFlight(std::move(m_prepared->entries));
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
        for (const PendingEntry &entry : raw)
            resolved.push_back(m_batcher.resolve(entry));
        m_queue->putResolved(std::move(resolved));
        resolved = {};
        if (m_state != State::Online)
            m_resolvedWhileDown += int(raw.size());
    }
#if defined(__GLIBC__)
    // During an outage the entries as the application made them (strings, field maps)
    // are freed here once resolved, but glibc keeps the freed pages of the application's
    // arena resident. Once the backlog is resolved they are handed back, so a long outage
    // costs the compact size only; not while behind, where it would only slow us down.
    if (drained && m_resolvedWhileDown >= 16384) {
        m_resolvedWhileDown = 0;
        malloc_trim(0);
    }
#else
    Q_UNUSED(drained);
#endif
}

void SenderWorker::push(const QByteArray &body)
{
    m_pusher->push(body.isEmpty() ? m_encoder->encode(m_batch) : body, m_encoder->contentType(),
                   m_encoder->contentEncoding());
    scheduleStats();
    postResolveSlice();
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
    const bool unreachable = reachability == QNetworkInformation::Reachability::Disconnected;
    if (unreachable == m_unreachable)
        return;
    m_unreachable = unreachable;
    if (!unreachable && m_retryTimer.isActive()) {
        // Back online: the reason for the backoff is gone.
        m_retryTimer.stop();
        sendNext();
    }
}

void SenderWorker::scheduleRetry(const PushResult &result)
{
    // With a spool the entries are safe on disk: after maxRetries they wait there
    // (Offline) and are tried at every flush tick.
    if (m_failures <= m_policy.maxRetries()) {
        const auto delay = m_policy.delay(m_failures, result.retryAfter);
        m_retryTimer.start(delay);
        setState(State::Retrying, QDateTime::currentDateTimeUtc().addMSecs(delay.count()));
        return;
    }
    QDateTime next = QDateTime::currentDateTimeUtc().addMSecs(m_config.flushInterval.count());
    if (result.retryAfter && *result.retryAfter > m_config.flushInterval) {
        m_retryTimer.start(*result.retryAfter);
        next = QDateTime::currentDateTimeUtc().addMSecs(result.retryAfter->count());
    }
    setState(State::Offline, next);
}

void SenderWorker::onSpoolPushFinished(const PushResult &result)
{
    const int count = m_fromSpool;
    m_fromSpool = 0;
    switch (RetryPolicy::classify(result.httpStatus)) {
    case RetryPolicy::Verdict::Delivered: {
        m_failures = 0;
        setState(State::Online);
        const int acked = m_spool->acknowledge(count);
        m_queue->spoolDelivered(acked, result.bodyBytes);
        Q_EMIT batchDelivered(acked, result.bodyBytes, result.httpStatus, result.latencyMs);
        sendNext(); // drain the backlog without waiting for the next tick
        return;
    }
    case RetryPolicy::Verdict::Split:
        if (count > 1) {
            m_splitCap = qMax(1, count / 2);
            Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
            sendNext();
            return;
        }
        Q_FALLTHROUGH();
    case RetryPolicy::Verdict::Reject: {
        const int removed = m_spool->acknowledge(count);
        m_queue->spoolDropped(removed, DropReason::Rejected, result.error);
        m_failures = 0;
        Q_EMIT batchFailed(removed, result.httpStatus, result.error, false);
        Q_EMIT entriesDropped(removed, DropReason::Rejected, result.error);
        sendNext();
        return;
    }
    case RetryPolicy::Verdict::Retry:
        ++m_failures;
        if (!m_pusher->isBusy())
            spoolQueued();
        m_queue->noteError(result.error);
        scheduleRetry(result);
        Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
        return;
    }
}

void SenderWorker::openSpool()
{
    if (m_config.spoolDirectory.isEmpty())
        return;
    SpoolOptions options;
    options.directory = m_config.spoolDirectory;
    options.maxBytes = m_config.spoolMaxBytes;
    options.segmentBytes = qMin(options.segmentBytes, qMax<qint64>(64 * 1024, options.maxBytes / 4));
    options.durability = m_config.spoolDurability == SpoolDurability::Fsync ? Durability::Fsync
                                                                            : Durability::Flush;
    auto spool = std::make_unique<Spool>();
    QString error;
    if (!spool->open(options, &error)) {
        spoolFailed(error);
        return;
    }
    m_spool = std::move(spool);
    m_spoolOverflowSeen = m_spool->stats().droppedOverflow;
    if (const qint64 left = m_spool->pendingEntries(); left > 0)
        m_queue->spoolReplayed(int(qMin<qint64>(left, std::numeric_limits<int>::max())));
}

void SenderWorker::spoolFailed(const QString &error)
{
    const QString text =
        QStringLiteral("disk spool not usable, entries stay in memory: %1").arg(error);
    m_queue->noteError(text);
    if (!m_spoolFailureSaid) {
        m_spoolFailureSaid = true;
        qCWarning(lcSender, "%s", qPrintable(text));
    }
}

bool SenderWorker::spoolInFlightBatch(int count, int invalid)
{
    QString error;
    if (!m_spool->append(spooledEntries(m_batch), &error)) {
        spoolFailed(error);
        return false;
    }
    m_queue->completeSpooled(count, invalid);
    m_inFlightEntries.clear();
    noteSpoolOverflow();
    return true;
}

void SenderWorker::spoolQueued()
{
    resolveQueued(-1);
    std::vector<QueuedEntry> entries;
    while (m_spool) {
        if (m_queue->takeFront(batchCap(), &entries) == 0)
            return;
        PushBatch batch;
        const int taken = m_batcher.build(entries.data(), qsizetype(entries.size()), &batch);
        m_queue->keepInFlight(&entries, taken);
        const LineLimitResult limit =
            applyLineLimit(&batch, m_config.maxLineBytes, m_config.lineLimitPolicy);
        QString error;
        if (!batch.streams.isEmpty() && !m_spool->append(spooledEntries(batch), &error)) {
            m_queue->releaseInFlight(std::move(entries));
            spoolFailed(error);
            return;
        }
        m_queue->completeSpooled(taken, limit.rejected);
        noteSpoolOverflow();
    }
}

void SenderWorker::noteSpoolOverflow()
{
    const quint64 dropped = m_spool->stats().droppedOverflow;
    if (dropped <= m_spoolOverflowSeen)
        return;
    const int n = int(dropped - m_spoolOverflowSeen);
    m_spoolOverflowSeen = dropped;
    const QString why = QStringLiteral("disk spool full (%1 bytes): its oldest entries were dropped")
                            .arg(m_config.spoolMaxBytes);
    m_queue->spoolDropped(n, DropReason::BufferFull, why);
    Q_EMIT entriesDropped(n, DropReason::BufferFull, why);
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
    sendNext();
}

void SenderWorker::onPushFinished(const PushResult &result)
{
    // Callers may wake us again (see the WakeEvent).
    m_queue->wakeHandled();
    handlePushResult(result);
    if (m_spillPending && m_spool && !m_pusher->isBusy()) {
        m_spillPending = false;
        spoolQueued();
    }
}

void SenderWorker::handlePushResult(const PushResult &result)
{
    const int count = m_inFlight;
    const int invalid = m_invalid;
    scheduleStats();
    // A prepared batch follows only a delivered one; otherwise it goes back to the queue
    // first (it holds newer entries than the one on the wire).
    if (m_prepared && RetryPolicy::classify(result.httpStatus) != RetryPolicy::Verdict::Delivered)
        releasePrepared();

    // Auto mode: a server that refuses structured metadata answers 400. Send the same
    // batch again with the metadata in its lines, and keep doing so from now on.
    if (result.httpStatus == 400 && m_config.metadataMode == MetadataMode::Auto
        && m_embed == MetadataMode::Structured && hasMetadata(m_batch)) {
        startEmbedding(MetadataMode::Logfmt,
                       QStringLiteral("Loki refused a push carrying structured metadata (%1)")
                           .arg(result.error));
        embedMetadata(&m_batch, m_embed);
        applyLineLimit(&m_batch, m_config.maxLineBytes, m_config.lineLimitPolicy);
        push();
        return;
    }
    if (sendingFromSpool()) {
        onSpoolPushFinished(result);
        return;
    }
    m_inFlight = m_invalid = 0;

    switch (RetryPolicy::classify(result.httpStatus)) {
    case RetryPolicy::Verdict::Delivered: {
        // State first: completing wakes flush() callers, who may read it at once.
        m_failures = 0;
        setState(State::Online);
        // A prepared push that goes out as it is goes on the wire first: the bookkeeping
        // below would only delay it. Not one with nothing to push (all its entries refused
        // by the line limit) or to be shaped again: that one completes in sendNext(), and the
        // queue answers for the oldest batch lent first, which is this one.
        std::vector<QueuedEntry> delivered = std::move(m_inFlightEntries);
        m_inFlightEntries.clear();
        if (m_prepared && !m_prepared->batch.streams.isEmpty() && m_prepared->embed == m_embed)
            sendNext();
        m_queue->completeDelivered(count, result.bodyBytes, invalid);
        delivered = {};
        Q_EMIT batchDelivered(count - invalid, result.bodyBytes, result.httpStatus,
                              result.latencyMs);
        if (m_prepared || m_flushRequested || m_queue->queuedCount() >= batchCap())
            sendNext();
        return;
    }

    case RetryPolicy::Verdict::Split:
        if (count > 1) {
            // Too large for the server (or a gateway): send the same entries in halves.
            m_queue->completeKept(std::move(m_inFlightEntries), result.error, false);
            m_inFlightEntries.clear();
            m_splitCap = qMax(1, count / 2);
            Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
            sendNext();
            return;
        }
        Q_FALLTHROUGH();
    case RetryPolicy::Verdict::Reject:
        m_queue->completeDropped(count, DropReason::Rejected, result.error, invalid);
        m_inFlightEntries.clear();
        m_failures = 0;
        Q_EMIT batchFailed(count - invalid, result.httpStatus, result.error, false);
        Q_EMIT entriesDropped(count - invalid, DropReason::Rejected, result.error);
        if (m_flushRequested || m_queue->queuedCount() >= batchCap())
            sendNext();
        return;

    case RetryPolicy::Verdict::Retry:
        break;
    }

    ++m_failures;
    if (m_spool && spoolInFlightBatch(count, invalid)) {
        spoolQueued(); // the outage keeps everything on disk, not in memory
        m_queue->noteError(result.error);
        scheduleRetry(result);
        Q_EMIT batchFailed(count - invalid, result.httpStatus, result.error, true);
        return;
    }
    if (m_failures <= m_policy.maxRetries()) {
        m_queue->completeKept(std::move(m_inFlightEntries), result.error, false);
        m_inFlightEntries.clear();
        const auto delay = m_policy.delay(m_failures, result.retryAfter);
        m_retryTimer.start(delay);
        setState(State::Retrying, QDateTime::currentDateTimeUtc().addMSecs(delay.count()));
        Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
    } else if (m_config.enableOfflineBuffer) {
        // Kept in the offline buffer; tried again at every flush tick (or after the
        // server's Retry-After, whichever is later).
        m_queue->completeKept(std::move(m_inFlightEntries), result.error, true);
        m_inFlightEntries.clear();
        QDateTime next = QDateTime::currentDateTimeUtc().addMSecs(m_config.flushInterval.count());
        if (result.retryAfter && *result.retryAfter > m_config.flushInterval) {
            m_retryTimer.start(*result.retryAfter);
            next = QDateTime::currentDateTimeUtc().addMSecs(result.retryAfter->count());
        }
        setState(State::Offline, next);
        Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
    } else {
        m_queue->completeDropped(count, DropReason::RetriesExhausted, result.error, invalid);
        m_inFlightEntries.clear();
        m_failures = 0;
        setState(State::Offline);
        Q_EMIT batchFailed(count - invalid, result.httpStatus, result.error, false);
        Q_EMIT entriesDropped(count - invalid, DropReason::RetriesExhausted, result.error);
    }
}

} // namespace QLoki::detail
