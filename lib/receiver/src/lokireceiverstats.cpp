// SPDX-License-Identifier: MIT
#include "lokireceiverstats_p.h"

LokiReceiver::Stats::Stats()
    : d(new LokiReceiverStatsData)
{ }

LokiReceiver::Stats::Stats(const Stats &other) = default;
LokiReceiver::Stats::Stats(Stats &&other) noexcept = default;
LokiReceiver::Stats &LokiReceiver::Stats::operator=(const Stats &other) = default;
LokiReceiver::Stats &LokiReceiver::Stats::operator=(Stats &&other) noexcept = default;
LokiReceiver::Stats::~Stats() = default;

quint64 LokiReceiver::Stats::pushRequests() const { return d->pushRequests; }

LokiReceiver::Stats &LokiReceiver::Stats::setPushRequests(quint64 value)
{
    d->pushRequests = value;
    return *this;
}

QMap<int, quint64> LokiReceiver::Stats::pushesByStatus() const { return d->pushesByStatus; }

LokiReceiver::Stats &LokiReceiver::Stats::setPushesByStatus(const QMap<int, quint64> &value)
{
    d->pushesByStatus = value;
    return *this;
}

quint64 LokiReceiver::Stats::entriesAccepted() const { return d->entriesAccepted; }

LokiReceiver::Stats &LokiReceiver::Stats::setEntriesAccepted(quint64 value)
{
    d->entriesAccepted = value;
    return *this;
}

quint64 LokiReceiver::Stats::entriesRejected() const { return d->entriesRejected; }

LokiReceiver::Stats &LokiReceiver::Stats::setEntriesRejected(quint64 value)
{
    d->entriesRejected = value;
    return *this;
}

QMap<QString, quint64> LokiReceiver::Stats::rejectedByReason() const { return d->rejectedByReason; }

LokiReceiver::Stats &LokiReceiver::Stats::setRejectedByReason(const QMap<QString, quint64> &value)
{
    d->rejectedByReason = value;
    return *this;
}

quint64 LokiReceiver::Stats::duplicatesIgnored() const { return d->duplicatesIgnored; }

LokiReceiver::Stats &LokiReceiver::Stats::setDuplicatesIgnored(quint64 value)
{
    d->duplicatesIgnored = value;
    return *this;
}

quint64 LokiReceiver::Stats::entriesEvicted() const { return d->entriesEvicted; }

LokiReceiver::Stats &LokiReceiver::Stats::setEntriesEvicted(quint64 value)
{
    d->entriesEvicted = value;
    return *this;
}

quint64 LokiReceiver::Stats::bytesReceived() const { return d->bytesReceived; }

LokiReceiver::Stats &LokiReceiver::Stats::setBytesReceived(quint64 value)
{
    d->bytesReceived = value;
    return *this;
}

quint64 LokiReceiver::Stats::unauthorizedRequests() const { return d->unauthorizedRequests; }

LokiReceiver::Stats &LokiReceiver::Stats::setUnauthorizedRequests(quint64 value)
{
    d->unauthorizedRequests = value;
    return *this;
}

quint64 LokiReceiver::Stats::tlsHandshakeFailures() const { return d->tlsHandshakeFailures; }

LokiReceiver::Stats &LokiReceiver::Stats::setTlsHandshakeFailures(quint64 value)
{
    d->tlsHandshakeFailures = value;
    return *this;
}

qint64 LokiReceiver::Stats::storedEntries() const { return d->storedEntries; }

LokiReceiver::Stats &LokiReceiver::Stats::setStoredEntries(qint64 value)
{
    d->storedEntries = value;
    return *this;
}

qint64 LokiReceiver::Stats::streams() const { return d->streams; }

LokiReceiver::Stats &LokiReceiver::Stats::setStreams(qint64 value)
{
    d->streams = value;
    return *this;
}

qint64 LokiReceiver::Stats::storedBytes() const { return d->storedBytes; }

LokiReceiver::Stats &LokiReceiver::Stats::setStoredBytes(qint64 value)
{
    d->storedBytes = value;
    return *this;
}
