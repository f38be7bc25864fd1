// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokistats.h>

#include <QtCore/QMap>
#include <QtCore/QSharedData>

#include <array>

/*!
    The counters of a LokiStats as plain fields: what EntryQueue counts in, under its lock.
    See the accessors in lokistats.h for what each one means.
*/
struct LokiStatsData
{
    quint64 accepted = 0;
    quint64 delivered = 0;
    std::array<quint64, QLoki::DropReasonCount> droppedBy{}; //!< by QLoki::DropReason
    std::array<quint64, QLoki::RefusalCodeCount> rejectedBy{}; //!< by QLoki::RefusalCode
    quint64 pending = 0;
    quint64 spooled = 0;
    quint64 replayed = 0;
    quint64 buffered = 0;
    int inFlightBatches = 0;
    quint64 batchesDelivered = 0;
    quint64 batchesFailed = 0;
    quint64 retries = 0;
    quint64 bytesSent = 0;
    int capacity = 0;
    qint64 bytesHeld = 0;
    qint64 capacityBytes = 0;
    quint64 contextShipped = 0;
    quint64 contextOverwritten = 0;
    QString lastError;
    QMap<QString, quint64> demotedLabels;
    quint64 redacted = 0;
    QDateTime nextRetry;
    QLoki::State state = QLoki::State::Stopped;
};

class LokiStatsPrivate : public QSharedData, public LokiStatsData
{
public:
    //! A snapshot holding \a data.
    static LokiStats create(LokiStatsData &&data);
};
