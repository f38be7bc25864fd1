// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokitypes.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QMap>
#include <QtCore/QString>

class LokiStatsPrivate;

/*!
    A consistent snapshot of a logger's counters, taken under one lock
    (LokiLogger::stats(), LokiLogger::statsChanged()).

    Every accepted entry is in exactly one of delivered, dropped or pending, so
    `accepted() == delivered() + dropped() + pending()` holds in every snapshot. An
    implicitly shared value class: copies are cheap, and later counters do not change
    its size. A default-constructed snapshot has every counter at 0 and the state Stopped.
*/
class QLOKI_EXPORT LokiStats
{
public:
    //! Every counter at 0, the state Stopped.
    LokiStats();
    //! A copy; it shares \a other's counters.
    LokiStats(const LokiStats &other);
    //! Takes \a other's counters; \a other can then only be assigned or destroyed.
    LokiStats(LokiStats &&other) noexcept;
    ~LokiStats();
    //! Copies \a other's counters.
    LokiStats &operator=(const LokiStats &other);
    QT_MOVE_ASSIGNMENT_OPERATOR_IMPL_VIA_PURE_SWAP(LokiStats)
    //! Swaps the counters of this snapshot and \a other.
    void swap(LokiStats &other) noexcept { d.swap(other.d); }

    //! Entries taken by a logging call (after the level filter), and context shipped.
    quint64 accepted() const;
    //! Entries Loki acknowledged with 200 or 204.
    quint64 delivered() const;
    //! All dropped entries, the sum over every QLoki::DropReason.
    quint64 dropped() const;
    //! Entries dropped for \a reason.
    quint64 dropped(QLoki::DropReason reason) const;
    //! Entries Loki refused with \a code; their sum is dropped(QLoki::DropReason::Rejected).
    quint64 rejected(QLoki::RefusalCode code) const;
    //! Accepted but neither delivered nor dropped yet (spooled included).
    quint64 pending() const;
    //! Pending entries held in the disk spool (LokiConfig::spoolDirectory()).
    quint64 spooled() const;
    //! Entries found in the spool at start, left by an earlier run. They are counted in
    //! accepted() too, so the invariant holds across restarts.
    quint64 replayed() const;
    //! Pending entries waiting for a retry or the next flush.
    quint64 buffered() const;
    //! Pushes whose answer has not arrived yet.
    int inFlightBatches() const;
    //! Pushes Loki acknowledged.
    quint64 batchesDelivered() const;
    //! Failed tries, whether retried or not.
    quint64 batchesFailed() const;
    //! Tries after the first one.
    quint64 retries() const;
    //! Request bodies of acknowledged pushes, as on the wire.
    quint64 bytesSent() const;
    //! LokiConfig::bufferSize().
    int capacity() const;
    //! Bytes the pending entries hold in memory, in flight included: their lines and
    //! metadata as held (UTF-16 until the sender thread has resolved them, UTF-8 after).
    //! What LokiConfig::bufferMaxBytes() bounds; the disk spool is not counted.
    qint64 bytesHeld() const;
    //! LokiConfig::bufferMaxBytes().
    qint64 capacityBytes() const;
    //! Entries whose label of that name was over LokiConfig::maxLabelValues(), and went
    //! as structured metadata instead, by label name.
    QMap<QString, quint64> demotedLabels() const;
    //! Entries of the context ring (LokiConfig::contextEntries()) shipped before the entries
    //! that triggered them; counted in accepted() from then on, like any other entry.
    quint64 contextShipped() const;
    //! Entries the context ring let go without shipping them: overwritten by newer ones once
    //! the ring was full, or cut by a smaller ring at the next init(). Never accepted, so
    //! neither dropped: the context ring only keeps the last LokiConfig::contextEntries().
    quint64 contextOverwritten() const;
    //! Entries whose line or metadata had a secret replaced (LokiConfig::redactSecrets(),
    //! LokiConfig::redactions()): entries, not secrets.
    quint64 redacted() const;
    //! The last failure in words; empty after a success.
    QString lastError() const;
    //! When the next try is due; invalid when none is scheduled.
    QDateTime nextRetry() const;
    //! The logger's state when the snapshot was taken.
    QLoki::State state() const;

private:
    friend class LokiStatsPrivate;
    QSharedDataPointer<LokiStatsPrivate> d;
};
Q_DECLARE_SHARED(LokiStats)
Q_DECLARE_METATYPE(LokiStats)
