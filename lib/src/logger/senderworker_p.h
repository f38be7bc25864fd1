// SPDX-License-Identifier: MIT
#pragma once

#include "encoding/pushencoder_p.h"
#include "model/lokiconfig_p.h"
#include "pipeline/batcher_p.h"
#include "pipeline/entryqueue_p.h"
#include "pipeline/redactor_p.h"
#include "storage/spool_p.h"
#include "transport/deliverymachine_p.h"
#include "transport/pusher_p.h"
#include "transport/retrypolicy_p.h"

#include <QLoki/lokistats.h>

#include <QtCore/QEvent>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkInformation>

#include <chrono>
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
    static constexpr int Type = EntryQueue::LastEvent + 1;
    explicit StopEvent(std::promise<void> *done)
        : QEvent(QEvent::Type(Type))
        , done(done)
    {
    }
    std::promise<void> *const done;
};

//! Posted by a SenderWorker to itself: resolve one slice of entries (see resolveSlice()).
constexpr int ResolveSliceEvent = StopEvent::Type + 1;

//! Posted by the owner when the exit begins: push what waits until \a deadline (see
//! DeliveryMachine::drain()).
class DrainEvent : public QEvent
{
public:
    static constexpr int Type = ResolveSliceEvent + 1;
    explicit DrainEvent(std::chrono::steady_clock::time_point deadline)
        : QEvent(QEvent::Type(Type))
        , deadline(deadline)
    {
    }
    const std::chrono::steady_clock::time_point deadline;
};

/*!
    The sender thread's side of a LokiLogger: plumbing that executes what the
    DeliveryMachine decides. It cuts batches from the queue (or the spool), encodes and pushes
    them one at a time, and settles each push's entries as its answer says. Created on the
    owner thread, moved to the sender thread, then start() runs there; everything else
    happens there.
*/
class SenderWorker : public QObject
{
    Q_OBJECT
public:
    SenderWorker(const LokiConfigData &config, const PushTarget &target, EntryQueue *queue);
    ~SenderWorker() override;

    //! Creates the network access manager and timers in the sender thread.
    void start();
    //! Stops timers and abandons the push on the wire (its entries stay queued, or go to
    //! the spool).
    void stop();
    /*!
        What the system says of the network. Unreachable suspends tries driven by the
        backoff timer (a probe still goes out every probe interval, so a wrong report
        delays delivery by at most that); coming back tries at once. Ignored for a
        loopback endpoint, which needs no network.
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
    //! The push on the wire: its batch as sent and where its entries came from.
    struct Wire
    {
        PushBatch batch;
        std::vector<QueuedEntry> entries; // lent by the queue (empty for the spool)
        int count = 0;
        int fromSpool = 0;                // entries peeked from the spool
    };
    //! The next push, cut and encoded while the one before is on the wire; sent when that
    //! one is delivered, given back otherwise. So encoding overlaps the round trip, one push
    //! is on the wire at a time and streams stay in order.
    struct PreparedPush
    {
        Wire wire;
        QByteArray body;
        MetadataMode embed = MetadataMode::Structured;
    };

    DeliveryMachine::Waiting waiting() const;
    //! Executes \a decision (timers, spooling, pushing, how the queue wakes us).
    void apply(const DeliveryMachine::Decision &decision);
    //! Puts the next batch on the wire: the spool's oldest, the prepared one, or one cut now.
    bool startPush();
    //! Takes up to \a cap resolved entries as a batch ready to encode; false when none.
    bool cutBatch(int cap, Wire *wire);
    //! Resolves up to \a maxEntries unresolved entries of the queue (all when < 0).
    void resolveQueued(int maxEntries);
    //! While Loki is down: returns the memory of resolved callers' entries to the system
    //! after each 16,384 entries or 8 MiB resolved, or from 1,024 entries or 1 MiB on when
    //! \a drained (nothing waits to be resolved). glibc only; elsewhere nothing.
    void handBackFreedMemory(bool drained);
    //! Redacts \a entry (counted in \a redacted) and resolves it (see resolveQueued()).
    QueuedEntry redactAndResolve(PendingEntry &entry, quint64 *redacted);
    //! While a push is on the wire: cuts and encodes the next one (Pusher::uploaded()).
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
    //! Settles the ended push's entries as \a fate says.
    //! Publishes the cardinality guard's demotions to the stats, and says new names once.
    void noteDemotions();
    void settle(DeliveryMachine::Fate fate, const PushResult &result, int refused,
                RefusalCode code = RefusalCode::Other);
    void onBuildInfo(const QString &version);
    void startEmbedding(MetadataMode mode, const QString &why);
    // The disk spool.
    void openSpool();
    //! Writes the batch on the wire to the spool; false (batch untouched) when it cannot.
    bool spoolWireBatch();
    void spoolFailed(const QString &error);
    //! Moves everything queued in memory to the spool (during an outage, at shutdown).
    void spoolQueued();
    /*!
        Writes a batch from memory that is on the wire to the (then empty) spool, whose front
        it becomes: its answer settles it there. True when nothing from memory is on the wire
        (any more); false when it cannot be written.
    */
    bool spoolWireInFlight();
    void noteSpoolOverflow();
    void setState(State state, const QDateTime &nextRetry = QDateTime());
    void scheduleStats();
    int batchCap() const;

    LokiConfigData m_config;
    PushTarget m_target;
    EntryQueue *m_queue;
    Batcher m_batcher;
    Redactor m_redactor; // before resolving: nothing unredacted is encoded, spooled or sent
    RetryPolicy m_policy;
    DeliveryMachine m_machine;
    std::unique_ptr<PushEncoder> m_encoder;
    QNetworkAccessManager *m_manager = nullptr;
    Pusher *m_pusher = nullptr;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_statsTimer;
    bool m_statsDue = false; // this thread changed the counters since the last statsChanged()
    Wire m_wire;
    std::optional<PreparedPush> m_prepared;
    MetadataMode m_embed = MetadataMode::Structured; // Logfmt/Json: metadata goes in lines
    bool m_probing = false;    // waiting for the server's version before the first push
    int m_splitCap = 0;        // batch size after a 413, until the backlog is sent
    std::unique_ptr<Spool> m_spool; // open when configured and usable
    quint64 m_spoolOverflowSeen = 0;
    bool m_spoolFailureSaid = false;
    int m_resolvedWhileDown = 0; // entries resolved while not Online, since the last trim
    qint64 m_resolvedBytesWhileDown = 0; // and what they held as logged
    bool m_slicePosted = false; // a ResolveSliceEvent is on its way
    State m_state = State::Online;
};

} // namespace QLoki::detail
