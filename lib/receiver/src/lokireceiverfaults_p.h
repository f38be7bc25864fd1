// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QSharedData>

namespace LokiReceiverInternal {

//! The values of LokiReceiver::Faults, with their defaults: the receiver's own code keeps
//! and reads these (plain, assignable, no function call per read).
struct FaultValues
{
    int failNextPushes = 0;
    int failStatus = 503;
    int retryAfterSeconds = -1;
    std::chrono::milliseconds responseDelay {0};
    int dropNextConnections = 0;
    bool down = false;
    std::chrono::milliseconds downRemaining {0};
    LokiReceiver::RefusalReason refusalReason = LokiReceiver::RefusalReason::LineTooLong;
    int refusalsLeft = 0;
    int refuseEvery = 1;
    qint64 refuseBodiesAbove = 0;
    std::chrono::milliseconds blockedRemaining {0};
    int blockStatus = 260;
    qint64 rateLimit = 0;
    qint64 rateBurst = 0;
};

} // namespace LokiReceiverInternal

struct LokiReceiverFaultsData : public QSharedData, public LokiReceiverInternal::FaultValues
{
    LokiReceiverFaultsData() = default;
    explicit LokiReceiverFaultsData(const LokiReceiverInternal::FaultValues &values)
        : LokiReceiverInternal::FaultValues(values)
    { }
};
