// SPDX-License-Identifier: MIT
// The delivery state machine as a table of (state, input) -> (next state, action), without
// sockets or timers; then a simulated outage that counts the pushes it allows.
#include "transport/deliverymachine_p.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <vector>

using namespace QLoki;
using namespace QLoki::detail;
using namespace std::chrono_literals;
using Machine = DeliveryMachine;
using Phase = Machine::Phase;
using Fate = Machine::Fate;
using Outcome = Machine::Outcome;
using Wake = Machine::Wake;
using Millis = std::chrono::milliseconds;

namespace {

enum class In {
    Start, Waiting, FlushTimer, Flush, RetryTimer, Started, Delivered, Retryable, Refused,
    TooLarge, Reshaped, Reachable, Unreachable, Drain, DrainSoon, Stop
};

// What waits: entries in memory (full batch or not), entries on disk.
struct W
{
    int memory = 0;
    bool full = false;
    qint64 spooled = 0;
};

// What a step must decide; unset fields are not checked.
struct Expect
{
    Phase phase = Phase::Online;
    bool push = false;
    std::optional<Fate> fate = std::nullopt;
    std::optional<Wake> wake = std::nullopt;
    std::optional<Millis> retryMin = std::nullopt; // a retry timer armed, at least this long ...
    std::optional<Millis> retryMax = std::nullopt; // ... and at most this long
    bool noRetry = false;           // no retry timer armed by this step
    bool spool = false;
    std::optional<bool> flushArmed = std::nullopt;
    std::optional<State> state = std::nullopt;
};

struct Step
{
    In in;
    W w;
    Expect expect;
};

using Script = QList<Step>;

Machine::Settings settings(bool spool = false, bool offlineBuffer = true)
{
    Machine::Settings s; // the defaults of LokiConfig
    s.flushInterval = 5000ms;
    s.maxRetries = 3;
    s.offlineBuffer = offlineBuffer;
    s.spool = spool;
    return s;
}

RetryPolicy policy(double jitter)
{
    RetryPolicy p(500ms, 30000ms, 3); // LokiConfig's defaults
    p.setRandom([jitter] { return jitter; });
    return p;
}

std::chrono::steady_clock::time_point g_now;
std::chrono::steady_clock::time_point fakeNow() { return g_now; }

Machine::Decision feed(Machine &m, const Step &step)
{
    const Machine::Waiting w {step.w.memory, step.w.full, step.w.spooled};
    switch (step.in) {
    case In::Start: return m.start(w);
    case In::Waiting: return m.entriesWaiting(w);
    case In::FlushTimer: return m.flushTimerFired(w);
    case In::Flush: return m.flushRequested(w);
    case In::RetryTimer: return m.retryTimerFired(w);
    case In::Started: m.pushStarted(); return {};
    case In::Delivered: return m.pushFinished(Outcome::Delivered, std::nullopt, w);
    case In::Retryable: return m.pushFinished(Outcome::Retryable, std::nullopt, w);
    case In::Refused: return m.pushFinished(Outcome::Refused, std::nullopt, w);
    case In::TooLarge: return m.pushFinished(Outcome::TooLarge, std::nullopt, w);
    case In::Reshaped: return m.pushFinished(Outcome::Reshaped, std::nullopt, w);
    case In::Reachable: return m.reachabilityChanged(true, w);
    case In::Unreachable: return m.reachabilityChanged(false, w);
    case In::Drain: return m.drain(g_now + 5000ms, w);
    case In::DrainSoon: return m.drain(g_now + 100ms, w);
    case In::Stop: return m.stop();
    }
    return {};
}

// Reaches the given phase the way a sender would, from a fresh start.
Script online() { return {{In::Start, {}, {Phase::Online, false, {}, Wake::FirstEntry}}}; }
Script pushing(W w = {1000, true})
{
    return online() + Script {{In::Waiting, w, {Phase::Online, true}}, {In::Started, {}, {Phase::Online}}};
}
Script retrying()
{
    return pushing() + Script {{In::Retryable, {}, {Phase::Retrying, false, Fate::Keep}}};
}
Script offline()
{
    Script s = retrying();
    for (int i = 0; i < 3; ++i) {
        s += {In::RetryTimer, {1000, true}, {Phase::Retrying, true}};
        s += {In::Started, {}, {Phase::Retrying}};
        s += {In::Retryable, {}, {i < 2 ? Phase::Retrying : Phase::Offline}};
    }
    return s;
}

} // namespace

Q_DECLARE_METATYPE(Script)
Q_DECLARE_METATYPE(Machine::Settings)

class tst_DeliveryMachine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void table_data()
    {
        QTest::addColumn<Machine::Settings>("settings");
        QTest::addColumn<Script>("script");
        const auto plain = settings();
        const auto withSpool = settings(true);
        const auto noOfflineBuffer = settings(false, false);
        const Expect stayOnline {Phase::Online};

        // --- Online --------------------------------------------------------------------
        QTest::newRow("online: a full batch is pushed at once") << plain
            << online() + Script {{In::Waiting, {500, true}, {Phase::Online, true}}};
        QTest::newRow("online: a partial batch arms the flush timer, wakes on a full one") << plain
            << online() + Script {{In::Waiting, {3}, {Phase::Online, false, {}, Wake::FullBatch, {}, {}, true, false, true}}};
        QTest::newRow("online: the flush timer pushes what waits") << plain
            << online() + Script {{In::Waiting, {3}, stayOnline}, {In::FlushTimer, {3}, {Phase::Online, true}}};
        QTest::newRow("online: the flush timer while a push runs: after it, the rest at once") << plain
            << pushing() + Script {{In::FlushTimer, {3}, {Phase::Online, false}},
                                   {In::Delivered, {3}, {Phase::Online, true, Fate::Settled}}};
        QTest::newRow("online: flush() pushes a partial batch") << plain
            << online() + Script {{In::Flush, {1}, {Phase::Online, true}}};
        QTest::newRow("online: flush() with nothing waiting does nothing") << plain
            << online() + Script {{In::Flush, {}, {Phase::Online, false, {}, Wake::FirstEntry}}};
        QTest::newRow("online: idle after delivery: no timer, wake on the first entry") << plain
            << pushing() + Script {{In::Delivered, {}, {Phase::Online, false, Fate::Settled, Wake::FirstEntry, {}, {}, true, false, false}}};
        QTest::newRow("online: delivered, a full batch waits: pushed at once") << plain
            << pushing() + Script {{In::Delivered, {600, true}, {Phase::Online, true, Fate::Settled}}};
        QTest::newRow("online: entries while a push runs start nothing") << plain
            << pushing() + Script {{In::Waiting, {1000, true}, {Phase::Online, false, {}, Wake::None}}};
        QTest::newRow("online: the spool's backlog is pushed") << withSpool
            << online() + Script {{In::Waiting, {0, false, 40}, {Phase::Online, true}}};

        // --- Retrying --------------------------------------------------------------------
        QTest::newRow("retrying: first failure waits 250-500 ms") << plain
            << pushing() + Script {{In::Retryable, {}, {Phase::Retrying, false, Fate::Keep, Wake::None, 250ms, 500ms}}};
        QTest::newRow("retrying: logging calls start no push") << plain
            << retrying() + Script {{In::Waiting, {1000, true}, {Phase::Retrying, false, {}, Wake::None, {}, {}, true}}};
        QTest::newRow("retrying: the flush timer starts no push") << plain
            << retrying() + Script {{In::FlushTimer, {1000, true}, {Phase::Retrying, false}}};
        QTest::newRow("retrying: the retry timer pushes") << plain
            << retrying() + Script {{In::RetryTimer, {1000, true}, {Phase::Retrying, true}}};
        QTest::newRow("retrying: flush() tries at once") << plain
            << retrying() + Script {{In::Flush, {10}, {Phase::Retrying, true}}};
        QTest::newRow("retrying: second failure waits 500-1000 ms") << plain
            << retrying() + Script {{In::RetryTimer, {1000, true}, {Phase::Retrying, true}},
                                    {In::Started, {}, {Phase::Retrying}},
                                    {In::Retryable, {}, {Phase::Retrying, false, Fate::Keep, {}, 500ms, 1000ms}}};
        QTest::newRow("retrying: delivered: online, the backlog at once") << plain
            << retrying() + Script {{In::RetryTimer, {1000, true}, {Phase::Retrying, true}},
                                    {In::Started, {}, {Phase::Retrying}},
                                    {In::Delivered, {500, true}, {Phase::Online, true, Fate::Settled}}};
        QTest::newRow("retrying: a refusal means the server is up") << plain
            << retrying() + Script {{In::RetryTimer, {1000, true}, {Phase::Retrying, true}},
                                    {In::Started, {}, {Phase::Retrying}},
                                    {In::Refused, {}, {Phase::Online, false, Fate::Settled, Wake::FirstEntry}}};
        QTest::newRow("retrying: the network coming back tries at once") << plain
            << retrying() + Script {{In::Reachable, {1000, true}, {Phase::Retrying, true}}};
        QTest::newRow("retrying: no network: the timer tries nothing, waits a probe interval") << plain
            << retrying() + Script {{In::Unreachable, {}, {Phase::Retrying}},
                                    {In::RetryTimer, {1000, true}, {Phase::Retrying, false, {}, {}, 5000ms, 30000ms}}};
        QTest::newRow("retrying: with a spool, the batch and what waits go to disk") << withSpool
            << pushing() + Script {{In::Retryable, {40}, {Phase::Retrying, false, Fate::Spool, {}, 250ms, 500ms, false, true}}};
        QTest::newRow("retrying: with a spool, new entries go to disk, not to the wire") << withSpool
            << pushing() + Script {{In::Retryable, {}, {Phase::Retrying, false, Fate::Spool}},
                                   {In::Waiting, {500, true, 100}, {Phase::Retrying, false, {}, Wake::None, {}, {}, true, true}}};

        // --- Offline ---------------------------------------------------------------------
        Script toOffline = offline();
        toOffline.last().expect = {Phase::Offline, false, Fate::KeepOffline, Wake::None, 5000ms, 5000ms};
        QTest::newRow("offline: retries spent: kept, one probe after a flush interval") << plain << toOffline;
        Script probes = offline();
        probes += {In::RetryTimer, {1000, true}, {Phase::Offline, true}};
        probes += {In::Started, {}, {Phase::Offline}};
        probes += {In::Retryable, {}, {Phase::Offline, false, Fate::KeepOffline, {}, 5000ms, 8000ms}};
        probes += {In::RetryTimer, {1000, true}, {Phase::Offline, true}};
        probes += {In::Started, {}, {Phase::Offline}};
        probes += {In::Retryable, {}, {Phase::Offline, false, Fate::KeepOffline, {}, 8000ms, 16000ms}};
        QTest::newRow("offline: probes keep doubling") << plain << probes;
        Script capped = offline();
        for (int i = 0; i < 6; ++i) {
            capped += {In::RetryTimer, {1000, true}, {Phase::Offline, true}};
            capped += {In::Started, {}, {Phase::Offline}};
            capped += {In::Retryable, {}, {Phase::Offline, false, Fate::KeepOffline, {}, 5000ms, 30000ms}};
        }
        QTest::newRow("offline: probes at most maxBackoff apart") << plain << capped;
        QTest::newRow("offline: logging calls start no push") << plain
            << offline() + Script {{In::Waiting, {1000, true}, {Phase::Offline, false, {}, Wake::None, {}, {}, true}}};
        QTest::newRow("offline: flush() tries at once") << plain
            << offline() + Script {{In::Flush, {1000, true}, {Phase::Offline, true}}};
        Script dropped = offline();
        dropped.last().expect = {Phase::Offline, false, Fate::Drop};
        QTest::newRow("offline: without the offline buffer the batch is dropped") << noOfflineBuffer << dropped;
        QTest::newRow("offline: nothing left to probe with: online") << plain
            << offline() + Script {{In::RetryTimer, {}, {Phase::Online, false, {}, Wake::FirstEntry}}};

        // --- Split and reshape -----------------------------------------------------------
        QTest::newRow("too large: the same entries again at once") << plain
            << pushing() + Script {{In::TooLarge, {}, {Phase::Online, true, Fate::Keep}}};
        QTest::newRow("reshaped: the same entries again at once") << plain
            << pushing() + Script {{In::Reshaped, {}, {Phase::Online, true, Fate::Keep}}};

        // --- Draining (exit) ---------------------------------------------------------------
        QTest::newRow("draining: a partial batch goes at once") << plain
            << online() + Script {{In::Drain, {3}, {Phase::Draining, true, {}, {}, {}, {}, false, false, {}, State::Online}}};
        QTest::newRow("draining: retrying without spool: one more try at once") << plain
            << retrying() + Script {{In::Drain, {1000, true}, {Phase::Draining, true, {}, {}, {}, {}, false, false, {}, State::Retrying}}};
        QTest::newRow("draining: retrying with a spool: what waits goes to disk, no try") << withSpool
            << pushing() + Script {{In::Retryable, {}, {Phase::Retrying, false, Fate::Spool}},
                                   {In::Drain, {40, false, 500}, {Phase::Draining, false, {}, {}, {}, {}, true, true}}};
        QTest::newRow("draining: a failure with a spool settles everything on disk") << withSpool
            << online() + Script {{In::Drain, {40}, {Phase::Draining, true}},
                                  {In::Started, {}, {Phase::Draining}},
                                  {In::Retryable, {40}, {Phase::Draining, false, Fate::Spool, {}, {}, {}, true, true}}};
        QTest::newRow("draining: a retry that fits before the deadline is armed") << plain
            << online() + Script {{In::Drain, {40}, {Phase::Draining, true}},
                                  {In::Started, {}, {Phase::Draining}},
                                  {In::Retryable, {}, {Phase::Draining, false, Fate::Keep, {}, 250ms, 500ms}}};
        QTest::newRow("draining: no retry past the deadline") << plain
            << online() + Script {{In::DrainSoon, {40}, {Phase::Draining, true}},
                                  {In::Started, {}, {Phase::Draining}},
                                  {In::Retryable, {}, {Phase::Draining, false, Fate::Keep, {}, {}, {}, true}}};
        QTest::newRow("draining: delivered: the rest at once") << plain
            << online() + Script {{In::Drain, {40}, {Phase::Draining, true}},
                                  {In::Started, {}, {Phase::Draining}},
                                  {In::Delivered, {5}, {Phase::Draining, true, Fate::Settled, {}, {}, {}, false, false, {}, State::Online}}};

        // --- Stopped ---------------------------------------------------------------------
        QTest::newRow("stopped: nothing starts") << plain
            << online() + Script {{In::Stop, {}, {Phase::Stopped}},
                                  {In::Waiting, {1000, true}, {Phase::Stopped}},
                                  {In::Flush, {1000, true}, {Phase::Stopped}}};
    }

    void table()
    {
        QFETCH(Machine::Settings, settings);
        QFETCH(Script, script);
        // Jitter at its widest: the lower bound of each delay (the upper one is checked with
        // jitterUpperBound below).
        Machine m(settings, policy(0.0));
        g_now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
        m.setClock(&fakeNow);
        for (int i = 0; i < script.size(); ++i) {
            const Step &step = script[i];
            const Machine::Decision d = feed(m, step);
            const Expect &e = step.expect;
            const QByteArray step_ = QByteArray::number(i + 1);
            const auto where = [&step_](const char *what, qint64 value = -1) {
                static QByteArray text;
                text = QByteArray("step ") + step_ + ": " + what;
                if (value >= 0)
                    text += ' ' + QByteArray::number(value);
                return text.constData();
            };
            QVERIFY2(m.phase() == e.phase, where("phase", int(m.phase())));
            if (step.in == In::Started)
                continue;
            QVERIFY2(d.push == e.push, where("push"));
            if (e.fate)
                QVERIFY2(d.fate == *e.fate, where("fate", int(d.fate)));
            if (e.wake)
                QVERIFY2(d.wake == *e.wake, where("wake", int(d.wake)));
            if (e.retryMin) {
                QVERIFY2(d.retryIn.has_value(), where("a retry timer"));
                QVERIFY2(*d.retryIn >= *e.retryMin && *d.retryIn <= *e.retryMax,
                         where("retry in", qint64(d.retryIn->count())));
            }
            if (e.noRetry)
                QVERIFY2(!d.retryIn.has_value(), where("no retry timer"));
            QVERIFY2(d.spool == e.spool, where("spool"));
            if (e.flushArmed) {
                const bool armed = d.flushIn.has_value();
                QVERIFY2(armed == *e.flushArmed || (!*e.flushArmed && d.stopFlushTimer), where("flush timer"));
            }
            if (e.state)
                QVERIFY2(m.state() == *e.state, where("state"));
        }
    }

    void jitterUpperBound()
    {
        Machine m(settings(), policy(0.999));
        Machine::Waiting full {1000, true, 0};
        m.start({});
        QVERIFY(m.entriesWaiting(full).push);
        m.pushStarted();
        const auto d = m.pushFinished(Outcome::Retryable, std::nullopt, {});
        QVERIFY(d.retryIn && *d.retryIn <= 500ms && *d.retryIn >= 490ms);
    }

    void retryAfterIsHonouredUpToMaxBackoff()
    {
        Machine m(settings(), policy(0.0));
        m.start({});
        QVERIFY(m.entriesWaiting({1000, true, 0}).push);
        m.pushStarted();
        auto d = m.pushFinished(Outcome::Retryable, 7000ms, {});
        QCOMPARE(d.retryIn.value(), 7000ms);
        QVERIFY(m.retryTimerFired({1000, true, 0}).push);
        m.pushStarted();
        d = m.pushFinished(Outcome::Retryable, 3600000ms, {});
        QCOMPARE(d.retryIn.value(), 30000ms);
    }

    // An outage of 20 s with entries logged at 50 per second (a full batch of 50 every
    // second, as loki-send --buffer-size 100 cuts them): the machine allows a handful of
    // tries, not one per logging call. Simulated time, the real backoff (jitter both ways).
    void outageCostsFewPushes_data()
    {
        QTest::addColumn<double>("jitter");
        QTest::newRow("shortest delays") << 0.0;
        QTest::newRow("longest delays") << 0.999;
    }
    void outageCostsFewPushes()
    {
        QFETCH(double, jitter);
        Machine m(settings(), policy(jitter));
        using namespace std::chrono;
        milliseconds now(0), retryAt(-1), flushAt(-1);
        int memory = 0, pushes = 0;
        const auto run = [&](const Machine::Decision &d) {
            if (d.stopRetryTimer)
                retryAt = -1ms;
            if (d.retryIn)
                retryAt = now + *d.retryIn;
            if (d.stopFlushTimer)
                flushAt = -1ms;
            if (d.flushIn)
                flushAt = now + *d.flushIn;
            if (d.push) {
                ++pushes;
                m.pushStarted();
                // Loki answers 503 at once; the batch goes back.
                const auto after = m.pushFinished(Outcome::Retryable, std::nullopt,
                                                  {memory, memory >= 50, 0});
                if (after.retryIn)
                    retryAt = now + *after.retryIn;
                if (after.stopFlushTimer)
                    flushAt = -1ms;
            }
        };
        run(m.start({}));
        for (now = 0ms; now < 18000ms; now += 20ms) {
            memory = qMin(100, memory + 1); // one entry per 20 ms, a buffer of 100
            run(m.entriesWaiting({memory, memory >= 50, 0}));
            if (retryAt >= 0ms && now >= retryAt) {
                retryAt = -1ms;
                run(m.retryTimerFired({memory, memory >= 50, 0}));
            }
            if (flushAt >= 0ms && now >= flushAt) {
                flushAt = -1ms;
                run(m.flushTimerFired({memory, memory >= 50, 0}));
            }
        }
        // 1 try, 3 retries (0.25-0.5, 0.5-1, 1-2 s), then a probe every 5 to 16 s.
        QVERIFY2(pushes >= 4 && pushes <= 8, QByteArray::number(pushes));
        QCOMPARE(m.phase(), Phase::Offline);
    }
};

QTEST_GUILESS_MAIN(tst_DeliveryMachine)
#include "tst_deliverymachine.moc"
