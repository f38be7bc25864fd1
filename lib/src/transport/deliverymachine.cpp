// SPDX-License-Identifier: MIT
#include "transport/deliverymachine_p.h"

namespace QLoki::detail {

DeliveryMachine::DeliveryMachine(const Settings &settings, const RetryPolicy &policy)
    : m_settings(settings)
    , m_policy(policy)
{
}

State DeliveryMachine::state() const
{
    switch (m_phase) {
    case Phase::Online:
        return State::Online;
    case Phase::Retrying:
        return State::Retrying;
    case Phase::Offline:
        return State::Offline;
    case Phase::Draining:
        return m_shown;
    case Phase::Stopped:
        break;
    }
    return State::Stopped;
}

void DeliveryMachine::arm(Decision *d, Millis delay)
{
    d->retryIn = delay;
    m_retryArmed = true;
}

DeliveryMachine::Millis DeliveryMachine::backoff(std::optional<Millis> retryAfter) const
{
    return m_policy.delay(m_failures, retryAfter);
}

DeliveryMachine::Millis DeliveryMachine::probeDelay(std::optional<Millis> retryAfter) const
{
    // The backoff goes on doubling past maxRetries, but a probe never comes sooner than a
    // flush tick would, and never later than the longer of the two.
    const Millis ceiling = qMax(m_settings.flushInterval, m_policy.maxBackoff());
    return qBound(m_settings.flushInterval, m_policy.delay(m_failures, retryAfter), ceiling);
}

DeliveryMachine::Decision DeliveryMachine::next(const Waiting &w, Decision d)
{
    d.wake = Wake::None;
    if (m_busy)
        return d;
    switch (m_phase) {
    case Phase::Online:
        if (w.spooled > 0 || w.full || ((m_flushDue || m_flushRequested) && w.memory > 0)) {
            d.push = true;
            return d;
        }
        if (w.memory > 0) {
            // A partial batch waits for its oldest entry's flush interval.
            if (!m_flushArmed) {
                m_flushArmed = true;
                d.flushIn = m_settings.flushInterval;
            }
            d.wake = Wake::FullBatch;
            return d;
        }
        // Nothing waits: no timer runs until the next entry comes.
        m_flushDue = m_flushRequested = false;
        if (m_flushArmed) {
            m_flushArmed = false;
            d.stopFlushTimer = true;
        }
        d.wake = Wake::FirstEntry;
        return d;
    case Phase::Draining:
        if (m_retryArmed)
            return d;
        if (w.any())
            d.push = true;
        else
            d.wake = Wake::FirstEntry;
        return d;
    case Phase::Retrying:
    case Phase::Offline:
        // Only the retry timer, flush() and the network coming back start a push here.
        if (m_settings.spool && w.memory > 0)
            d.spool = true;
        return d;
    case Phase::Stopped:
        break;
    }
    return d;
}

DeliveryMachine::Decision DeliveryMachine::start(const Waiting &w)
{
    m_phase = Phase::Online;
    return next(w, Decision());
}

DeliveryMachine::Decision DeliveryMachine::entriesWaiting(const Waiting &w)
{
    return next(w, Decision());
}

DeliveryMachine::Decision DeliveryMachine::flushTimerFired(const Waiting &w)
{
    m_flushArmed = false;
    if (m_phase != Phase::Online)
        return Decision();
    m_flushDue = true;
    return next(w, Decision());
}

DeliveryMachine::Decision DeliveryMachine::flushRequested(const Waiting &w)
{
    Decision d;
    if (m_phase == Phase::Stopped)
        return d;
    m_flushRequested = true;
    if ((m_phase == Phase::Retrying || m_phase == Phase::Offline) && !m_busy && w.any()) {
        // A flush is a request to try now: it cuts the wait short, once.
        if (m_retryArmed) {
            m_retryArmed = false;
            d.stopRetryTimer = true;
        }
        d.push = true;
        return d;
    }
    return next(w, d);
}

DeliveryMachine::Decision DeliveryMachine::retryTimerFired(const Waiting &w)
{
    m_retryArmed = false;
    Decision d;
    switch (m_phase) {
    case Phase::Online:
    case Phase::Stopped:
        return d;
    case Phase::Retrying:
    case Phase::Offline:
        if (m_unreachable) {
            // The system says there is no network: no try, but a wrong report must not
            // hold delivery back for longer than a probe's interval.
            arm(&d, probeDelay(std::nullopt));
            return d;
        }
        break;
    case Phase::Draining:
        break;
    }
    if (m_busy)
        return d;
    if (w.any()) {
        d.push = true;
        return d;
    }
    // Nothing left to try with (all of it dropped meanwhile): nothing says the server is
    // down any more.
    if (m_phase != Phase::Draining)
        m_phase = Phase::Online;
    m_failures = 0;
    return next(w, d);
}

void DeliveryMachine::pushStarted()
{
    m_busy = true;
    m_flushDue = false;
}

DeliveryMachine::Decision DeliveryMachine::failed(std::optional<Millis> retryAfter,
                                                  const Waiting &w)
{
    Decision d;
    ++m_failures;
    if (m_flushArmed) {
        m_flushArmed = false;
        d.stopFlushTimer = true;
    }
    if (m_phase == Phase::Draining) {
        m_shown = m_failures <= m_settings.maxRetries ? State::Retrying : State::Offline;
        if (m_settings.spool) {
            // At exit the disk settles it: the rest is written there, not tried again.
            d.fate = Fate::Spool;
            d.spool = w.memory > 0;
            return d;
        }
        d.fate = Fate::Keep;
        const Millis delay = backoff(retryAfter);
        if (m_now() + delay < m_deadline)
            arm(&d, delay);
        return d;
    }
    if (m_failures <= m_settings.maxRetries) {
        m_phase = Phase::Retrying;
        arm(&d, backoff(retryAfter));
        d.fate = Fate::Keep;
    } else {
        m_phase = Phase::Offline;
        arm(&d, probeDelay(retryAfter));
        d.fate = m_settings.offlineBuffer ? Fate::KeepOffline : Fate::Drop;
    }
    if (m_settings.spool) {
        // The outage keeps everything on disk, not in memory (the spool is the offline
        // buffer then).
        d.fate = Fate::Spool;
        d.spool = w.memory > 0;
    }
    return d;
}

DeliveryMachine::Decision DeliveryMachine::pushFinished(Outcome outcome,
                                                        std::optional<Millis> retryAfter,
                                                        const Waiting &w)
{
    m_busy = false;
    if (m_phase == Phase::Stopped)
        return Decision();
    Decision d;
    switch (outcome) {
    case Outcome::Retryable:
        return failed(retryAfter, w);
    case Outcome::TooLarge:
    case Outcome::Reshaped:
        // The server answered: it is up. The same entries go again at once, in another form.
        d.fate = Fate::Keep;
        break;
    case Outcome::Delivered:
    case Outcome::Refused:
        d.fate = Fate::Settled;
        break;
    }
    m_failures = 0;
    if (m_retryArmed) {
        m_retryArmed = false;
        d.stopRetryTimer = true;
    }
    if (m_phase == Phase::Draining)
        m_shown = State::Online;
    else
        m_phase = Phase::Online;
    if (outcome == Outcome::TooLarge || outcome == Outcome::Reshaped) {
        d.push = true;
        return d;
    }
    return next(w, d);
}

DeliveryMachine::Decision DeliveryMachine::reachabilityChanged(bool reachable, const Waiting &w)
{
    m_unreachable = !reachable;
    Decision d;
    if (reachable && (m_phase == Phase::Retrying || m_phase == Phase::Offline) && !m_busy
        && w.any()) {
        // Back online: the reason for the wait is gone.
        if (m_retryArmed) {
            m_retryArmed = false;
            d.stopRetryTimer = true;
        }
        d.push = true;
    }
    return d;
}

DeliveryMachine::Decision DeliveryMachine::drain(Clock::time_point deadline, const Waiting &w)
{
    Decision d;
    if (m_phase == Phase::Stopped)
        return d;
    if (m_phase != Phase::Draining)
        m_shown = state();
    m_phase = Phase::Draining;
    m_deadline = deadline;
    m_flushRequested = true;
    if (m_flushArmed) {
        m_flushArmed = false;
        d.stopFlushTimer = true;
    }
    if (m_failures > 0) {
        // Loki is not answering: with a disk at hand, what waits is settled there; without,
        // one more try at once (the backoff's patience is for a process that goes on).
        if (m_retryArmed) {
            m_retryArmed = false;
            d.stopRetryTimer = true;
        }
        if (m_settings.spool) {
            d.spool = w.memory > 0;
            return d;
        }
    }
    return next(w, d);
}

DeliveryMachine::Decision DeliveryMachine::stop()
{
    Decision d;
    m_phase = Phase::Stopped;
    d.stopRetryTimer = m_retryArmed;
    d.stopFlushTimer = m_flushArmed;
    m_retryArmed = m_flushArmed = false;
    return d;
}

} // namespace QLoki::detail
