// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"
#include "model/lokiconfig_p.h"
#include "pipeline/batcher_p.h"
#include "pipeline/entryqueue_p.h"
#include "storage/spool_p.h"
#include "transport/pusher_p.h"
#include "transport/retrypolicy_p.h"

#include <QLoki/lokistats.h>

#include <QtCore/QEvent>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkInformation>

#include <future>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace QLoki::detail {

/*!
    Posted by the owner to stop a SenderWorker on its thread; the worker calls stop() and then
    fulfils \a done. A plain event and a std::promise rather than a blocking queued call: the
    same wait, but a hand-over that ThreadSanitizer can follow (Qt's own semaphore and its
    slot objects' reference counts are not instrumented).
*/
class StopEvent : public QEvent
{
public:
    static constexpr int Type = EntryQueue::SpillEvent + 1;
    explicit StopEvent(std::promise<void> *done)
        : QEvent(QEvent::Type(Type))
        , done(done)
    {
    }
    std::promise<void> *const done;
};

//! Posted by a SenderWorker to itself: resolve one slice of entries (see resolveSlice()).
constexpr int ResolveSliceEvent = StopEvent::Type + 1;

/*!
    The sender thread's side of a LokiLogger: cuts batches from the queue, encodes and
    pushes them one at a time, and applies the retry policy. Created on the owner thread,
    moved to the sender thread, then start() runs there; everything else happens there.
*/
class SenderWorker : public QObject
{
    Q_OBJECT
public:
    SenderWorker(const LokiConfigData &config, const PushTarget &target, EntryQueue *queue);
    ~SenderWorker() override;

    //! Creates the network access manager and timers in the sender thread.
    void start();
    //! Stops timers and abandons the push on the wire (its entries stay queued).
    void stop();
    /*!
        What the system says of the network. Offline suspends retries driven by the backoff
        timer (flush ticks still probe, so a wrong report delays delivery by at most one
        flush interval); coming back online retries at once instead of waiting out the
        backoff. Ignored for a loopback endpoint, which needs no network.
    */
    void onReachabilityChanged(QNetworkInformation::Reachability reachability);

Q_SIGNALS:
    void stateChanged(QLoki::State state);
    void batchDelivered(int entries, qint64 bytes, int httpStatus, qint64 latencyMs);
    void batchFailed(int entries, int httpStatus, const QString &error, bool willRetry);
    void entriesDropped(int count, QLoki::DropReason reason, const QString &detail);
    void statsChanged(const LokiStats &stats);

protected:
    bool event(QEvent *event) override;

private:
    //! Pushes the next batch when the wire is free: the prepared one, else one cut now.
    void sendNext();
    //! Resolves up to \a maxEntries unresolved entries of the queue (all when < 0).
    void resolveQueued(int maxEntries);
    //! Pushes m_batch; \a body is its encoded form when already known.
    void push(const QByteArray &body = QByteArray());
    //! Takes up to \a cap resolved entries as a batch ready to encode; false when none.
    bool cutBatch(int cap, std::vector<QueuedEntry> *entries, PushBatch *batch, int *count,
                  int *invalid);
    //! While a push is on the wire: resolves, cuts and encodes the next one. Called once
    //! the push's body is out (Pusher::uploaded()).
    void prepareNext();
    /*!
        While the body of a push is handed over (Pusher::isUploading()), this thread's event
        loop must stay free for it: entries for the batches after it are resolved meanwhile
        in slices, one posted event each, so the upload waits for one slice at most.
    */
    void resolveSlice();
    void postResolveSlice();
    //! Gives a prepared batch back to the queue.
    void releasePrepared();
    void onPushFinished(const PushResult &result);
    void handlePushResult(const PushResult &result);
    void onBuildInfo(const QString &version);
    void startEmbedding(MetadataMode mode, const QString &why);
    // The disk spool.
    void openSpool();
    //! Writes the in-flight batch to the spool; false (batch untouched) when it cannot.
    bool spoolInFlightBatch(int count, int invalid);
    void spoolFailed(const QString &error);
    void onSpoolPushFinished(const PushResult &result);
    void scheduleRetry(const PushResult &result);
    //! Moves everything queued in memory to the spool (during an outage, at shutdown).
    void spoolQueued();
    void noteSpoolOverflow();
    bool sendingFromSpool() const { return m_fromSpool > 0; }
    void setState(State state, const QDateTime &nextRetry = QDateTime());
    void scheduleStats();
    int batchCap() const;

    LokiConfigData m_config;
    PushTarget m_target;
    EntryQueue *m_queue;
    Batcher m_batcher;
    RetryPolicy m_policy;
    std::unique_ptr<PushEncoder> m_encoder;
    QNetworkAccessManager *m_manager = nullptr;
    Pusher *m_pusher = nullptr;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_statsTimer;
    PushBatch m_batch;         // the push on the wire, kept to re-send it in another form
    std::vector<QueuedEntry> m_inFlightEntries; // the entries m_batch was built from
    // The next push, cut and encoded while the one before is on the wire; sent when that
    // one is delivered, given back otherwise. So the encoding overlaps the round trip, one
    // push is on the wire at a time and streams stay in order.
    struct PreparedPush
    {
        PushBatch batch;
        std::vector<QueuedEntry> entries;
        QByteArray body;
        int count = 0;
        int invalid = 0;
        MetadataMode embed = MetadataMode::Structured;
    };
    std::optional<PreparedPush> m_prepared;
    int m_inFlight = 0;        // entries of the queue that m_batch stands for
    int m_invalid = 0;         // of those, refused before sending (line limit)
    MetadataMode m_embed = MetadataMode::Structured; // Logfmt/Json: metadata goes in lines
    bool m_probing = false;    // waiting for the server's version before the first push
    int m_failures = 0;        // consecutive failed tries of the front of the queue
    int m_splitCap = 0;        // batch size after a 413, until the backlog is sent
    bool m_flushRequested = false;
    bool m_unreachable = false;  // the system reports no network
    std::unique_ptr<Spool> m_spool; // open when configured and usable
    int m_fromSpool = 0;         // entries of m_batch peeked from the spool
    quint64 m_spoolOverflowSeen = 0;
    bool m_spoolFailureSaid = false;
    int m_resolvedWhileDown = 0; // entries resolved while not Online, since the last trim
    bool m_spillPending = false; // memory is half full: move it to disk once the wire is free
    bool m_slicePosted = false; // a ResolveSliceEvent is on its way
    State m_state = State::Online;
};

} // namespace QLoki::detail
