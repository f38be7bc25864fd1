// SPDX-License-Identifier: MIT
#pragma once

// LokiReceiver::Faults; included by lokireceiver.h, which declares it.

/*!
    The fault injection state, as a snapshot (an implicitly shared value class;
    LokiReceiver::faults() makes one).
*/
class QLOKIRECEIVER_EXPORT LokiReceiver::Faults
{
public:
    Faults();
    Faults(const Faults &other);
    Faults(Faults &&other) noexcept;
    Faults &operator=(const Faults &other);
    Faults &operator=(Faults &&other) noexcept;
    ~Faults();
    void swap(Faults &other) noexcept { d.swap(other.d); }

    //! Pushes still to be answered with failStatus() (LokiReceiver::failNextPushes()).
    int failNextPushes() const;
    Faults &setFailNextPushes(int value);

    //! The HTTP status of injected failures.
    int failStatus() const;
    Faults &setFailStatus(int value);

    //! Seconds sent in Retry-After with injected failures; -1 sends none.
    int retryAfterSeconds() const;
    Faults &setRetryAfterSeconds(int value);

    //! The delay of every push answer (LokiReceiver::setResponseDelay()).
    std::chrono::milliseconds responseDelay() const;
    Faults &setResponseDelay(std::chrono::milliseconds value);

    //! Push connections still to be closed unanswered (LokiReceiver::dropNextConnections()).
    int dropNextConnections() const;
    Faults &setDropNextConnections(int value);

    //! Whether the receiver is down (LokiReceiver::goDown()).
    bool down() const;
    Faults &setDown(bool value);

    //! Time left until the receiver comes back; -1 while down indefinitely.
    std::chrono::milliseconds downRemaining() const;
    Faults &setDownRemaining(std::chrono::milliseconds value);

    //! The reason entries are refused for by refuseEntries(); meaningful while refusalsLeft
    //! is not 0.
    RefusalReason refusalReason() const;
    Faults &setRefusalReason(RefusalReason value);

    //! Entries (streams for RefusalReason::StreamLabels) still to refuse; -1 until cleared,
    //! 0 when none are.
    int refusalsLeft() const;
    Faults &setRefusalsLeft(int value);

    //! One of every this many entries (or streams) is refused.
    int refuseEvery() const;
    Faults &setRefuseEvery(int value);

    //! Push bodies above this many bytes are answered 413; 0 when off.
    qint64 refuseBodiesAbove() const;
    Faults &setRefuseBodiesAbove(qint64 value);

    //! Time left of blockIngestion(); 0 when not blocked.
    std::chrono::milliseconds blockedRemaining() const;
    Faults &setBlockedRemaining(std::chrono::milliseconds value);

    //! The status pushes are answered with while blocked.
    int blockStatus() const;
    Faults &setBlockStatus(int value);

    //! The tenant rate limit of setRateLimit() in bytes per second; 0 when off.
    qint64 rateLimit() const;
    Faults &setRateLimit(qint64 value);

    //! Its burst, in bytes.
    qint64 rateBurst() const;
    Faults &setRateBurst(qint64 value);

private:
    friend class LokiReceiver;
    friend class LokiReceiverPrivate;
    QSharedDataPointer<LokiReceiverFaultsData> d;
};
Q_DECLARE_SHARED(LokiReceiver::Faults)
