// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QSharedData>

namespace LokiReceiverInternal {

//! The values of LokiReceiver::Stats, with their defaults: the receiver's own code keeps
//! and reads these (plain, assignable, no function call per read).
struct StatValues
{
    quint64 pushRequests = 0;
    QMap<int, quint64> pushesByStatus;
    quint64 entriesAccepted = 0;
    quint64 entriesRejected = 0;
    QMap<QString, quint64> rejectedByReason;
    quint64 duplicatesIgnored = 0;
    quint64 entriesEvicted = 0;
    quint64 bytesReceived = 0;
    quint64 unauthorizedRequests = 0;
    quint64 tlsHandshakeFailures = 0;
    qint64 storedEntries = 0;
    qint64 streams = 0;
    qint64 storedBytes = 0;
};

} // namespace LokiReceiverInternal

struct LokiReceiverStatsData : public QSharedData, public LokiReceiverInternal::StatValues
{
    LokiReceiverStatsData() = default;
    explicit LokiReceiverStatsData(const LokiReceiverInternal::StatValues &values)
        : LokiReceiverInternal::StatValues(values)
    { }
};
