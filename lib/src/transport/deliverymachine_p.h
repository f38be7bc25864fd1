// SPDX-License-Identifier: MIT
#pragma once

#include "transport/retrypolicy_p.h"

#include <QLoki/lokitypes.h>

#include <chrono>
#include <optional>

namespace QLoki::detail {

/*!
    When to push, when to wait and what to do with a batch that failed: the delivery
    decisions of a logger, as one small unit without sockets, timers or threads. The sender
    thread feeds it what happened (entries waiting, a timer fired, a push's outcome, the
    network came back, the exit began) and executes the Decision it returns.

    States:
    - Online: a full batch is pushed at once; a partial one when its oldest entry has waited
      flushInterval (the flush timer runs only while something waits), or on flush().
    - Retrying: a push failed; the same entries are tried again after the backoff delay.
      Logging calls never start a push here, and flush ticks do not either.
    - Offline: maxRetries are spent; one probe per backoff step (still doubling, at least
      flushInterval and at most max(flushInterval, maxBackoff) apart) until one succeeds.
      A server's Retry-After is honoured up to maxBackoff. The batch waits in the offline
      buffer (or the spool), or is dropped when the offline buffer is off.
    - Draining: the exit began: everything waiting is pushed without waiting for a full
      batch; with a spool, whatever cannot go now is written to disk and the exit is done.
      Retries continue only while they fit before the exit deadline.
    - Stopped: nothing happens any more.
    In Retrying and Offline, flush() and the network coming back (reachability) try at once.
*/
class DeliveryMachine
{
public:
    using Millis = std::chrono::milliseconds;
    using Clock = std::chrono::steady_clock;

    enum class Phase { Online, Retrying, Offline, Draining, Stopped };

    //! How a push ended, as RetryPolicy and the refusal reading classify it.
    enum class Outcome {
        Delivered,  //!< 200/204, or a 400 whose refused entries were counted
        Retryable,  //!< network error, timeout, 429, 5xx
        Refused,    //!< not retried (4xx, 260): the batch leaves as delivered/rejected
        TooLarge,   //!< 413 of a batch that can be split: the same entries again, in halves
        Reshaped    //!< refused for a form of the batch (metadata): the same entries again
    };

    //! What waits to be pushed when an input arrives.
    struct Waiting
    {
        int memory = 0;       //!< entries in memory, not on the wire
        bool full = false;    //!< a full batch waits (entries or bytes)
        qint64 spooled = 0;   //!< entries waiting in the disk spool
        bool any() const { return memory > 0 || spooled > 0; }
    };

    //! How the queue wakes the sender for new entries.
    enum class Wake { None, FirstEntry, FullBatch };

    //! What happens to the batch whose push just ended.
    enum class Fate { None, Settled, Keep, KeepOffline, Spool, Drop };

    struct Decision
    {
        bool push = false;                //!< push now: the spool's oldest first, else memory
        bool spool = false;               //!< move what waits in memory to the spool
        std::optional<Millis> retryIn;    //!< (re)arm the retry timer
        bool stopRetryTimer = false;
        std::optional<Millis> flushIn;    //!< arm the flush timer
        bool stopFlushTimer = false;
        Fate fate = Fate::None;           //!< for pushFinished(): the ended batch's fate
        Wake wake = Wake::None;           //!< arm the queue's wake-up like this
    };

    struct Settings
    {
        Millis flushInterval{5000};
        int maxRetries = 3;
        bool offlineBuffer = true;
        bool spool = false; //!< a disk spool is open
    };

    DeliveryMachine(const Settings &settings, const RetryPolicy &policy);

    //! The sender started: Online, pushing what an earlier run left in the spool.
    Decision start(const Waiting &w);
    //! New entries wait (the queue's wake-up), or the spool took some over.
    Decision entriesWaiting(const Waiting &w);
    Decision flushTimerFired(const Waiting &w);
    //! flush() was called.
    Decision flushRequested(const Waiting &w);
    Decision retryTimerFired(const Waiting &w);
    //! The sender put a push on the wire (after a Decision with push set).
    void pushStarted();
    //! The push ended; \a w is what waits besides its batch.
    Decision pushFinished(Outcome outcome, std::optional<Millis> retryAfter, const Waiting &w);
    Decision reachabilityChanged(bool reachable, const Waiting &w);
    //! The exit began; pushing is worth it until \a deadline.
    Decision drain(Clock::time_point deadline, const Waiting &w);
    Decision stop();

    Phase phase() const { return m_phase; }
    //! The state a user sees: Draining shows the state it began in.
    State state() const;
    bool isBusy() const { return m_busy; }
    int failures() const { return m_failures; }
    //! A push now would repeat a failed one (counted as a retry).
    bool isRetry() const { return m_failures > 0; }
    bool flushRequestPending() const { return m_flushRequested; }

    //! Whether a disk spool is open (it may fail to open after construction).
    void setSpool(bool open) { m_settings.spool = open; }
    //! Replaces the clock (for tests).
    void setClock(Clock::time_point (*now)()) { m_now = now; }

private:
    Decision next(const Waiting &w, Decision d);
    Millis backoff(std::optional<Millis> retryAfter) const;
    Millis probeDelay(std::optional<Millis> retryAfter) const;
    void arm(Decision *d, Millis delay);
    Decision failed(std::optional<Millis> retryAfter, const Waiting &w);

    Settings m_settings;
    RetryPolicy m_policy;
    Phase m_phase = Phase::Online;
    State m_shown = State::Online; // what Draining shows
    int m_failures = 0;
    bool m_busy = false;
    bool m_retryArmed = false;
    bool m_flushArmed = false;
    bool m_flushDue = false;       // the flush timer fired: push what waits, partial too
    bool m_flushRequested = false; // flush() or the exit: push what waits, partial too
    bool m_unreachable = false;
    Clock::time_point m_deadline{};
    Clock::time_point (*m_now)() = &Clock::now;
};

} // namespace QLoki::detail
