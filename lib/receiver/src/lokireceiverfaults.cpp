// SPDX-License-Identifier: MIT
#include "lokireceiverfaults_p.h"

LokiReceiver::Faults::Faults()
    : d(new LokiReceiverFaultsData)
{ }

LokiReceiver::Faults::Faults(const Faults &other) = default;
LokiReceiver::Faults::Faults(Faults &&other) noexcept = default;
LokiReceiver::Faults &LokiReceiver::Faults::operator=(const Faults &other) = default;
LokiReceiver::Faults &LokiReceiver::Faults::operator=(Faults &&other) noexcept = default;
LokiReceiver::Faults::~Faults() = default;

int LokiReceiver::Faults::failNextPushes() const { return d->failNextPushes; }

LokiReceiver::Faults &LokiReceiver::Faults::setFailNextPushes(int value)
{
    d->failNextPushes = value;
    return *this;
}

int LokiReceiver::Faults::failStatus() const { return d->failStatus; }

LokiReceiver::Faults &LokiReceiver::Faults::setFailStatus(int value)
{
    d->failStatus = value;
    return *this;
}

int LokiReceiver::Faults::retryAfterSeconds() const { return d->retryAfterSeconds; }

LokiReceiver::Faults &LokiReceiver::Faults::setRetryAfterSeconds(int value)
{
    d->retryAfterSeconds = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Faults::responseDelay() const { return d->responseDelay; }

LokiReceiver::Faults &LokiReceiver::Faults::setResponseDelay(std::chrono::milliseconds value)
{
    d->responseDelay = value;
    return *this;
}

int LokiReceiver::Faults::dropNextConnections() const { return d->dropNextConnections; }

LokiReceiver::Faults &LokiReceiver::Faults::setDropNextConnections(int value)
{
    d->dropNextConnections = value;
    return *this;
}

bool LokiReceiver::Faults::down() const { return d->down; }

LokiReceiver::Faults &LokiReceiver::Faults::setDown(bool value)
{
    d->down = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Faults::downRemaining() const { return d->downRemaining; }

LokiReceiver::Faults &LokiReceiver::Faults::setDownRemaining(std::chrono::milliseconds value)
{
    d->downRemaining = value;
    return *this;
}

LokiReceiver::RefusalReason LokiReceiver::Faults::refusalReason() const { return d->refusalReason; }

LokiReceiver::Faults &LokiReceiver::Faults::setRefusalReason(LokiReceiver::RefusalReason value)
{
    d->refusalReason = value;
    return *this;
}

int LokiReceiver::Faults::refusalsLeft() const { return d->refusalsLeft; }

LokiReceiver::Faults &LokiReceiver::Faults::setRefusalsLeft(int value)
{
    d->refusalsLeft = value;
    return *this;
}

int LokiReceiver::Faults::refuseEvery() const { return d->refuseEvery; }

LokiReceiver::Faults &LokiReceiver::Faults::setRefuseEvery(int value)
{
    d->refuseEvery = value;
    return *this;
}

qint64 LokiReceiver::Faults::refuseBodiesAbove() const { return d->refuseBodiesAbove; }

LokiReceiver::Faults &LokiReceiver::Faults::setRefuseBodiesAbove(qint64 value)
{
    d->refuseBodiesAbove = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Faults::blockedRemaining() const
{
    return d->blockedRemaining;
}

LokiReceiver::Faults &LokiReceiver::Faults::setBlockedRemaining(std::chrono::milliseconds value)
{
    d->blockedRemaining = value;
    return *this;
}

int LokiReceiver::Faults::blockStatus() const { return d->blockStatus; }

LokiReceiver::Faults &LokiReceiver::Faults::setBlockStatus(int value)
{
    d->blockStatus = value;
    return *this;
}

qint64 LokiReceiver::Faults::rateLimit() const { return d->rateLimit; }

LokiReceiver::Faults &LokiReceiver::Faults::setRateLimit(qint64 value)
{
    d->rateLimit = value;
    return *this;
}

qint64 LokiReceiver::Faults::rateBurst() const { return d->rateBurst; }

LokiReceiver::Faults &LokiReceiver::Faults::setRateBurst(qint64 value)
{
    d->rateBurst = value;
    return *this;
}
