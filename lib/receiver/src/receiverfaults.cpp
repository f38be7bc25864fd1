// SPDX-License-Identifier: MIT
// The receiver's fault injection: failing, delaying and dropping pushes, going down and
// coming back, and refusing as Loki refuses.
#include "lokireceiver_p.h"

#include "httpfrontend_p.h"

using namespace LokiReceiverInternal;

namespace {

// How often comeBack() is retried while the port cannot be bound again.
constexpr int ComeBackRetryMs = 100;

} // namespace

FaultValues LokiReceiverPrivate::faults() const
{
    FaultValues faults;
    faults.failNextPushes = failNext;
    faults.failStatus = failStatus;
    faults.retryAfterSeconds = retryAfter;
    faults.responseDelay = responseDelay;
    faults.dropNextConnections = dropNext;
    const IngestFaults &ingestFaults = ingestor.faults();
    if (const auto reason = ingestFaults.refusal()) {
        faults.refusalReason = *reason;
        faults.refusalsLeft = ingestFaults.refusalsLeft();
        faults.refuseEvery = ingestFaults.refuseEvery();
    }
    faults.refuseBodiesAbove = refuseBodiesAbove;
    const qint64 blockedNs = ingestFaults.blockedUntilNs() - currentTimeNs();
    faults.blockedRemaining =
            std::chrono::milliseconds(qMax<qint64>(0, (blockedNs + 999999) / 1000000));
    faults.blockStatus = ingestFaults.blockStatus();
    faults.rateLimit = ingestFaults.rateLimit();
    faults.rateBurst = ingestFaults.rateBurst();
    faults.down = down;
    if (down) {
        faults.downRemaining = std::chrono::milliseconds(
                comeBackTimer.isActive() ? qMax(0, comeBackTimer.remainingTime()) : -1);
    }
    return faults;
}

void LokiReceiverPrivate::goDownFor(qint64 ms)
{
    Q_Q(LokiReceiver);
    comeBackTimer.stop();
    const bool wasDown = down;
    down = true;
    if (http) {
        http->stopListening();
        // Let answers already written go out (the fault endpoint's own among them).
        http->closeConnections(true);
    }
    if (ms >= 0)
        comeBackTimer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
    if (!wasDown)
        Q_EMIT q->availabilityChanged(false);
}

bool LokiReceiverPrivate::listenAgain()
{
    Q_Q(LokiReceiver);
    comeBackTimer.stop();
    if (!down)
        return true;
    if (listening && http && !http->listen(address, port, &errorString)) {
        // The port may be taken for a moment; keep trying.
        comeBackTimer.start(ComeBackRetryMs);
        return false;
    }
    down = false;
    Q_EMIT q->availabilityChanged(true);
    return true;
}

void LokiReceiver::failNextPushes(int count, int httpStatus, int retryAfterSeconds)
{
    Q_D(LokiReceiver);
    d->failNext = qMax(0, count);
    d->failStatus = httpStatus;
    d->retryAfter = retryAfterSeconds;
}

void LokiReceiver::setResponseDelay(std::chrono::milliseconds delay)
{
    Q_D(LokiReceiver);
    d->responseDelay = qMax(std::chrono::milliseconds(0), delay);
}

void LokiReceiver::dropNextConnections(int count)
{
    Q_D(LokiReceiver);
    d->dropNext = qMax(0, count);
}

void LokiReceiver::goDown(std::chrono::milliseconds duration)
{
    Q_D(LokiReceiver);
    d->goDownFor(qMax<qint64>(0, duration.count()));
}

void LokiReceiver::goDown()
{
    Q_D(LokiReceiver);
    d->goDownFor(-1);
}

bool LokiReceiver::comeBack()
{
    Q_D(LokiReceiver);
    return d->listenAgain();
}

bool LokiReceiver::isDown() const
{
    Q_D(const LokiReceiver);
    return d->down;
}

LokiReceiver::Faults LokiReceiver::faults() const
{
    Q_D(const LokiReceiver);
    Faults faults;
    faults.d = new LokiReceiverFaultsData(d->faults());
    return faults;
}

void LokiReceiver::refuseEntries(RefusalReason reason, int count, int every)
{
    Q_D(LokiReceiver);
    d->ingestor.faults().refuse(reason, count, every);
}

void LokiReceiver::refuseBodiesAbove(qint64 bytes)
{
    Q_D(LokiReceiver);
    d->refuseBodiesAbove = qMax<qint64>(0, bytes);
}

void LokiReceiver::blockIngestion(std::chrono::milliseconds duration, int status)
{
    Q_D(LokiReceiver);
    const qint64 ms =
            qBound(qint64(0), qint64(duration.count()), qint64(100) * 365 * 24 * 3600 * 1000);
    d->ingestor.faults().block(currentTimeNs() + ms * 1000000, status);
}

void LokiReceiver::setRateLimit(qint64 bytesPerSecond, qint64 burstBytes)
{
    Q_D(LokiReceiver);
    d->ingestor.faults().setRateLimit(bytesPerSecond, burstBytes);
}

void LokiReceiver::clearFaults()
{
    Q_D(LokiReceiver);
    d->ingestor.faults().clear();
    d->refuseBodiesAbove = 0;
    d->failNext = 0;
    d->failStatus = 503;
    d->retryAfter = -1;
    d->responseDelay = std::chrono::milliseconds(0);
    d->dropNext = 0;
    d->listenAgain();
}
