// SPDX-License-Identifier: MIT
#include "logger/senderworker_p.h"

#include "pipeline/entryqueue_p.h"

#include <QtCore/QEvent>
#include <QtNetwork/QNetworkAccessManager>

namespace QLoki::detail {

static LabelList toLabelList(const QMap<QString, QString> &map)
{
    LabelList list;
    list.reserve(map.size());
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        list.append({it.key(), it.value()});
    return list;
}

SenderWorker::SenderWorker(const LokiConfig &config, EntryQueue *queue)
    : m_config(config)
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
    connect(&m_retryTimer, &QTimer::timeout, this, &SenderWorker::sendNext);
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
    m_pusher->setTarget(m_config.pushUrl(), m_config.tenant, m_config.requestTimeout);
    connect(m_pusher, &Pusher::finished, this, &SenderWorker::onPushFinished);
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
    if (m_pusher && m_pusher->isBusy()) {
        m_pusher->abort();
        m_queue->releaseInFlight();
        m_inFlight = 0;
    }
    delete m_pusher;
    m_pusher = nullptr;
    delete m_manager;
    m_manager = nullptr;
}

bool SenderWorker::event(QEvent *event)
{
    switch (int(event->type())) {
    case EntryQueue::WakeEvent:
        m_queue->wakeHandled();
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
    default:
        return QObject::event(event);
    }
}

int SenderWorker::batchCap() const
{
    return m_splitCap > 0 ? m_splitCap : m_config.batchMaxEntries;
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
    if (!m_pusher || m_pusher->isBusy() || m_retryTimer.isActive())
        return;
    const QList<PendingEntry> entries = m_queue->takeFront(batchCap());
    if (entries.isEmpty()) {
        m_flushRequested = false;
        return;
    }
    PushBatch batch;
    m_inFlight = m_batcher.build(entries, &batch);
    m_queue->keepInFlight(m_inFlight);
    if (m_failures > 0)
        m_queue->noteRetry();
    m_pusher->push(m_encoder->encode(batch), m_encoder->contentType(),
                   m_encoder->contentEncoding());
    scheduleStats();
}

void SenderWorker::onPushFinished(const PushResult &result)
{
    const int count = m_inFlight;
    m_inFlight = 0;
    scheduleStats();

    switch (RetryPolicy::classify(result.httpStatus)) {
    case RetryPolicy::Verdict::Delivered:
        m_queue->completeDelivered(count, result.bodyBytes);
        m_failures = 0;
        m_splitCap = 0;
        setState(State::Online);
        Q_EMIT batchDelivered(count, result.bodyBytes, result.httpStatus, result.latencyMs);
        if (m_flushRequested || m_queue->queuedCount() >= batchCap())
            sendNext();
        return;

    case RetryPolicy::Verdict::Split:
        if (count > 1) {
            // Too large for the server (or a gateway): send the same entries in halves.
            m_queue->completeKept(result.error, false);
            m_splitCap = qMax(1, count / 2);
            Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
            sendNext();
            return;
        }
        Q_FALLTHROUGH();
    case RetryPolicy::Verdict::Reject:
        m_queue->completeDropped(count, DropReason::Rejected, result.error);
        m_failures = 0;
        Q_EMIT batchFailed(count, result.httpStatus, result.error, false);
        Q_EMIT entriesDropped(count, DropReason::Rejected, result.error);
        if (m_flushRequested || m_queue->queuedCount() >= batchCap())
            sendNext();
        return;

    case RetryPolicy::Verdict::Retry:
        break;
    }

    ++m_failures;
    if (m_failures <= m_policy.maxRetries()) {
        m_queue->completeKept(result.error, false);
        const auto delay = m_policy.delay(m_failures, result.retryAfter);
        m_retryTimer.start(delay);
        setState(State::Retrying, QDateTime::currentDateTimeUtc().addMSecs(delay.count()));
        Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
    } else if (m_config.enableOfflineBuffer) {
        // Kept in the offline buffer; tried again at every flush tick (or after the
        // server's Retry-After, whichever is later).
        m_queue->completeKept(result.error, true);
        QDateTime next = QDateTime::currentDateTimeUtc().addMSecs(m_config.flushInterval.count());
        if (result.retryAfter && *result.retryAfter > m_config.flushInterval) {
            m_retryTimer.start(*result.retryAfter);
            next = QDateTime::currentDateTimeUtc().addMSecs(result.retryAfter->count());
        }
        setState(State::Offline, next);
        Q_EMIT batchFailed(count, result.httpStatus, result.error, true);
    } else {
        m_queue->completeDropped(count, DropReason::RetriesExhausted, result.error);
        m_failures = 0;
        setState(State::Offline);
        Q_EMIT batchFailed(count, result.httpStatus, result.error, false);
        Q_EMIT entriesDropped(count, DropReason::RetriesExhausted, result.error);
    }
}

} // namespace QLoki::detail
