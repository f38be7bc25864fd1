// SPDX-License-Identifier: MIT
#include "model/lokistats_p.h"

LokiStats LokiStatsPrivate::create(LokiStatsData &&data)
{
    LokiStats stats;
    static_cast<LokiStatsData &>(*stats.d) = std::move(data);
    return stats;
}

LokiStats::LokiStats()
    : d(new LokiStatsPrivate)
{
}

LokiStats::LokiStats(const LokiStats &other) = default;
LokiStats::LokiStats(LokiStats &&other) noexcept = default;
LokiStats::~LokiStats() = default;
LokiStats &LokiStats::operator=(const LokiStats &other) = default;

quint64 LokiStats::accepted() const
{
    return d->accepted;
}

quint64 LokiStats::delivered() const
{
    return d->delivered;
}

quint64 LokiStats::dropped() const
{
    quint64 n = 0;
    for (quint64 v : d->droppedBy)
        n += v;
    return n;
}

quint64 LokiStats::dropped(QLoki::DropReason reason) const
{
    // A reason from a later version of this library reads 0, not beyond the array.
    const auto index = std::size_t(reason);
    return index < d->droppedBy.size() ? d->droppedBy[index] : 0;
}

quint64 LokiStats::rejected(QLoki::RefusalCode code) const
{
    const auto index = std::size_t(code);
    return index < d->rejectedBy.size() ? d->rejectedBy[index] : 0;
}

QMap<QString, quint64> LokiStats::demotedLabels() const
{
    return d->demotedLabels;
}

quint64 LokiStats::redacted() const
{
    return d->redacted;
}

quint64 LokiStats::pending() const
{
    return d->pending;
}

quint64 LokiStats::spooled() const
{
    return d->spooled;
}

quint64 LokiStats::replayed() const
{
    return d->replayed;
}

quint64 LokiStats::buffered() const
{
    return d->buffered;
}

int LokiStats::inFlightBatches() const
{
    return d->inFlightBatches;
}

quint64 LokiStats::batchesDelivered() const
{
    return d->batchesDelivered;
}

quint64 LokiStats::batchesFailed() const
{
    return d->batchesFailed;
}

quint64 LokiStats::retries() const
{
    return d->retries;
}

quint64 LokiStats::bytesSent() const
{
    return d->bytesSent;
}

int LokiStats::capacity() const
{
    return d->capacity;
}

qint64 LokiStats::bytesHeld() const
{
    return d->bytesHeld;
}

qint64 LokiStats::capacityBytes() const
{
    return d->capacityBytes;
}

quint64 LokiStats::contextShipped() const
{
    return d->contextShipped;
}

quint64 LokiStats::contextOverwritten() const
{
    return d->contextOverwritten;
}

QString LokiStats::lastError() const
{
    return d->lastError;
}

QDateTime LokiStats::nextRetry() const
{
    return d->nextRetry;
}

QLoki::State LokiStats::state() const
{
    return d->state;
}
