// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokitypes.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>
#include <QtCore/QString>

#include <array>

/*!
    A consistent snapshot of a logger's counters, taken under one lock.

    Every accepted entry is in exactly one of delivered, dropped or pending, so
    `accepted == delivered + dropped() + pending` holds in every snapshot.
*/
struct QLOKI_EXPORT LokiStats
{
    quint64 accepted = 0;   //!< entries taken by a logging call (after the level filter)
    quint64 delivered = 0;  //!< entries Loki acknowledged with 200 or 204
    std::array<quint64, QLoki::DropReasonCount> droppedBy{}; //!< dropped, by QLoki::DropReason
    quint64 pending = 0;    //!< accepted but neither delivered nor dropped yet (spooled included)
    quint64 spooled = 0;    //!< pending entries held in the disk spool (LokiConfig::spoolDirectory)
    //! Entries found in the spool at start, left by an earlier run. They are counted in
    //! accepted too, so the invariant holds across restarts.
    quint64 replayed = 0;
    quint64 buffered = 0;   //!< pending entries waiting for a retry or the next flush
    int inFlightBatches = 0; //!< pushes whose answer has not arrived yet
    quint64 batchesDelivered = 0; //!< pushes Loki acknowledged
    quint64 batchesFailed = 0; //!< failed tries, whether retried or not
    quint64 retries = 0;       //!< tries after the first one
    quint64 bytesSent = 0;     //!< request bodies of acknowledged pushes, as on the wire
    int capacity = 0;          //!< LokiConfig::bufferSize
    QString lastError;         //!< the last failure in words; empty after a success
    QDateTime nextRetry;       //!< when the next try is due; invalid when none is scheduled
    QLoki::State state = QLoki::State::Stopped; //!< the logger's state when the snapshot was taken

    //! All dropped entries, the sum of droppedBy.
    quint64 dropped() const;
    //! Entries dropped for \a reason.
    quint64 dropped(QLoki::DropReason reason) const
    { return droppedBy[static_cast<int>(reason)]; }
};
Q_DECLARE_METATYPE(LokiStats)
