// SPDX-License-Identifier: MIT
#include "pipeline/entryqueue_p.h"

#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace QLoki;
using namespace QLoki::detail;

static PendingEntry entry(const QString &line)
{
    PendingEntry e;
    e.line = line;
    return e;
}

// The sender's side: resolves what callers appended (the line only), takes the front as
// the batch in flight, and gives it back when a push is to be tried again.
struct Sender
{
    explicit Sender(EntryQueue &queue)
        : q(queue)
    { }
    //! Resolves everything appended so far.
    void resolve()
    {
        std::vector<PendingEntry> raw = q.takeUnresolved(1 << 30);
        std::vector<QueuedEntry> resolved;
        for (const PendingEntry &e : raw)
            resolved.push_back(QueuedEntry {e.seq, {}, WireEntry(e.timestampNs, e.line)});
        q.putResolved(std::move(resolved));
    }
    QList<QueuedEntry> take(int n)
    {
        resolve();
        q.takeFront(n, &inFlight);
        return QList<QueuedEntry>(inFlight.begin(), inFlight.end());
    }
    void kept(const QString &error, bool retriesExhausted)
    {
        q.completeKept(std::move(inFlight), error, retriesExhausted);
        inFlight.clear();
    }
    EntryQueue &q;
    std::vector<QueuedEntry> inFlight;
};

static QString lineOf(const QueuedEntry &e) { return e.entry.lineText(); }

static void checkInvariant(const LokiStats &s)
{
    QCOMPARE(s.accepted(), s.delivered() + s.dropped() + s.pending());
}

class tst_EntryQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusesWhenNotAccepting()
    {
        EntryQueue q;
        QCOMPARE(q.push(entry(QStringLiteral("x")), 1), quint64(0));
        QCOMPARE(q.stats().accepted(), quint64(0));
    }

    void timestampsStrictlyIncrease()
    {
        EntryQueue q;
        q.configure(100, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        // The same clock reading three times, then a clock that went backwards.
        for (qint64 now : {1000, 1000, 1000, 10})
            q.push(entry(QStringLiteral("same")), now);
        const QList<QueuedEntry> taken = Sender(q).take(10);
        QCOMPARE(taken.size(), 4);
        QCOMPARE(taken[0].entry.timestampNs, qint64(1000));
        for (int i = 1; i < taken.size(); ++i)
            QCOMPARE(taken[i].entry.timestampNs, taken[i - 1].entry.timestampNs + 1);
    }

    void dropOldestKeepsNewest()
    {
        EntryQueue q;
        q.configure(3, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 5; ++i)
            q.push(entry(QString::number(i)), i + 1);
        const LokiStats s = q.stats();
        QCOMPARE(s.pending(), quint64(3));
        QCOMPARE(s.dropped(DropReason::BufferFull), quint64(2));
        checkInvariant(s);
        const QList<QueuedEntry> taken = Sender(q).take(10);
        QCOMPARE(lineOf(taken.first()), QStringLiteral("2"));
        QCOMPARE(lineOf(taken.last()), QStringLiteral("4"));
    }

    void dropOldestNeverTouchesInFlight()
    {
        EntryQueue q;
        q.configure(2, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        q.push(entry(QStringLiteral("a")), 1);
        q.push(entry(QStringLiteral("b")), 2);
        Sender sender(q);
        QCOMPARE(sender.take(1).size(), 1); // "a" is on the wire
        q.push(entry(QStringLiteral("c")), 3); // evicts "b", not "a"
        q.completeDelivered(1, 10);
        const QList<QueuedEntry> rest = sender.take(10);
        QCOMPARE(rest.size(), 1);
        QCOMPARE(lineOf(rest.first()), QStringLiteral("c"));
        const LokiStats s = q.stats();
        QCOMPARE(s.delivered(), quint64(1));
        QCOMPARE(s.dropped(DropReason::BufferFull), quint64(1));
        checkInvariant(s);
    }

    void dropNewestKeepsOldest()
    {
        EntryQueue q;
        q.configure(2, OverflowPolicy::DropNewest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 4; ++i)
            q.push(entry(QString::number(i)), i + 1);
        const QList<QueuedEntry> taken = Sender(q).take(10);
        QCOMPARE(taken.size(), 2);
        QCOMPARE(lineOf(taken.first()), QStringLiteral("0"));
        QCOMPARE(q.stats().dropped(DropReason::BufferFull), quint64(2));
        checkInvariant(q.stats());
    }

    void blockWaitsForRoom()
    {
        EntryQueue q;
        q.configure(1, OverflowPolicy::Block, 100, 1 << 20);
        q.setAccepting(true);
        q.push(entry(QStringLiteral("first")), 1);
        std::atomic<bool> returned{false};
        std::thread producer([&] {
            q.push(entry(QStringLiteral("second")), 2);
            returned = true;
        });
        // The producer cannot finish while the queue is full...
        QVERIFY(!q.waitResolved(2, false, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
        QVERIFY(!returned);
        // ...and does once the first entry is delivered.
        QCOMPARE(Sender(q).take(1).size(), 1);
        q.completeDelivered(1, 5);
        producer.join();
        QVERIFY(returned);
        const LokiStats s = q.stats();
        QCOMPARE(s.accepted(), quint64(2));
        QCOMPARE(s.dropped(), quint64(0));
        checkInvariant(s);
    }

    void wakesWhenABatchWaits()
    {
        // Counts the sender's wake-ups.
        struct Target : QObject
        {
            int wakes = 0;
            bool event(QEvent *e) override
            {
                if (e->type() == QEvent::Type(EntryQueue::WakeEvent)) {
                    ++wakes;
                    return true;
                }
                return QObject::event(e);
            }
        } target;
        EntryQueue q;
        // A batch is at most half the buffer: 5 entries, not 100.
        q.configure(10, OverflowPolicy::Block, 100, 1 << 20);
        q.setWakeTarget(&target);
        q.setAccepting(true);
        Sender sender(q);
        quint64 t = 0;
        for (int i = 0; i < 4; ++i)
            q.push(entry(QStringLiteral("a")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 0);
        q.push(entry(QStringLiteral("a")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 1);

        // A batch goes on the wire; the sender resolves what follows while it waits.
        q.wakeHandled();
        QCOMPARE(sender.take(5).size(), 5);
        for (int i = 0; i < 3; ++i)
            q.push(entry(QStringLiteral("b")), ++t);
        sender.resolve();
        QCOMPARE(q.unresolvedCount(), 0);
        q.push(entry(QStringLiteral("b")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 1); // 4 waiting
        // The fifth makes a batch, although only 2 of them are unresolved.
        q.push(entry(QStringLiteral("b")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 2);
        q.setWakeTarget(nullptr);
        checkInvariant(q.stats());
    }

    void blockedCallerReleasedWhenStopped()
    {
        EntryQueue q;
        q.configure(1, OverflowPolicy::Block, 100, 1 << 20);
        q.setAccepting(true);
        q.push(entry(QStringLiteral("first")), 1);
        quint64 seq = 99;
        std::thread producer([&] { seq = q.push(entry(QStringLiteral("second")), 2); });
        q.setAccepting(false);
        producer.join();
        QCOMPARE(seq, quint64(0));
        checkInvariant(q.stats());
    }

    void keptEntriesStayForRetry()
    {
        EntryQueue q;
        q.configure(10, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 3; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender sender(q);
        QCOMPARE(sender.take(3).size(), 3);
        sender.kept(QStringLiteral("HTTP 503"), false);
        QCOMPARE(q.stats().lastError(), QStringLiteral("HTTP 503"));
        const QList<QueuedEntry> again = sender.take(3);
        QCOMPARE(again.size(), 3);
        QCOMPARE(lineOf(again.first()), QStringLiteral("0"));
        q.completeDropped(3, DropReason::Rejected, QStringLiteral("HTTP 400"));
        const LokiStats s = q.stats();
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(3));
        QCOMPARE(s.pending(), quint64(0));
        checkInvariant(s);
    }

    // The sender may hold a second batch, prepared while the first is on the wire. When
    // the first fails, both go back in their order: nothing is lost or reordered.
    void twoBatchesGoBackInOrder()
    {
        EntryQueue q;
        q.configure(10, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 6; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender wire(q);
        Sender prepared(q);
        QCOMPARE(wire.take(2).size(), 2);
        QCOMPARE(prepared.take(2).size(), 2);
        LokiStats s = q.stats();
        QCOMPARE(s.pending(), quint64(6));
        QCOMPARE(s.buffered(), quint64(2));
        checkInvariant(s);
        // A flush waits for the oldest batch held.
        QVERIFY(!q.waitResolved(2, false, std::chrono::steady_clock::now()));
        q.releaseInFlight(std::move(prepared.inFlight)); // the newer one first
        wire.kept(QStringLiteral("HTTP 503"), false);
        Sender again(q);
        const QList<QueuedEntry> all = again.take(10);
        QCOMPARE(all.size(), 6);
        for (int i = 0; i < 6; ++i)
            QCOMPARE(lineOf(all[i]), QString::number(i));
        // Delivered ones leave from the oldest batch.
        Sender next(q);
        QCOMPARE(next.take(10).size(), 0);
        q.completeDelivered(6, 60);
        s = q.stats();
        QCOMPARE(s.delivered(), quint64(6));
        QCOMPARE(s.pending(), quint64(0));
        checkInvariant(s);
    }

    void secondBatchCompletesAfterFirst()
    {
        EntryQueue q;
        q.configure(10, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 4; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender wire(q);
        Sender prepared(q);
        wire.take(2);
        prepared.take(2);
        q.completeDelivered(2, 20);
        QVERIFY(q.waitResolved(3, false, std::chrono::steady_clock::now()));
        QVERIFY(!q.waitResolved(4, false, std::chrono::steady_clock::now()));
        LokiStats s = q.stats();
        QCOMPARE(s.delivered(), quint64(2));
        QCOMPARE(s.pending(), quint64(2));
        checkInvariant(s);
        q.completeDelivered(2, 20);
        s = q.stats();
        QCOMPARE(s.delivered(), quint64(4));
        QCOMPARE(s.pending(), quint64(0));
        checkInvariant(s);
    }

    void waitResolvedSettlesOnOfflineBuffer()
    {
        EntryQueue q;
        q.configure(10, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        const quint64 seq = q.push(entry(QStringLiteral("x")), 1);
        Sender sender(q);
        sender.take(1);
        sender.kept(QStringLiteral("down"), true);
        const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
        QVERIFY(!q.waitResolved(seq + 1, false, soon));
        QVERIFY(q.waitResolved(seq + 1, true, soon));
    }

    void spooledEntriesStayPending()
    {
        EntryQueue q;
        q.configure(10, OverflowPolicy::DropOldest, 100, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 4; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender(q).take(3);
        q.completeSpooled(3); // on disk now
        LokiStats s = q.stats();
        QCOMPARE(s.spooled(), quint64(3));
        QCOMPARE(s.pending(), quint64(4));
        QCOMPARE(s.buffered(), quint64(4));
        checkInvariant(s);
        // A flush is not done while the spool holds entries; a synchronous call is settled.
        const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
        QVERIFY(!q.waitResolved(2, false, soon));
        QVERIFY(q.waitResolved(2, true, soon));
        q.spoolDelivered(2, 100);
        q.spoolDropped(1, DropReason::BufferFull, QStringLiteral("spool full"));
        s = q.stats();
        QCOMPARE(s.spooled(), quint64(0));
        QCOMPARE(s.delivered(), quint64(2));
        QCOMPARE(s.dropped(DropReason::BufferFull), quint64(1));
        checkInvariant(s);
    }

    void replayedEntriesAreAccepted()
    {
        EntryQueue q;
        q.spoolReplayed(5);
        LokiStats s = q.stats();
        QCOMPARE(s.accepted(), quint64(5));
        QCOMPARE(s.replayed(), quint64(5));
        QCOMPARE(s.pending(), quint64(5));
        checkInvariant(s);
        q.spoolDelivered(5, 10);
        s = q.stats();
        QCOMPARE(s.delivered(), quint64(5));
        checkInvariant(s);
    }

    void concurrentProducersAreCountedExactly()
    {
        EntryQueue q;
        const int threads = 8, perThread = 5000;
        q.configure(1000, OverflowPolicy::DropOldest, 1 << 30, qint64(1) << 40);
        q.setAccepting(true);
        std::atomic<bool> done{false};
        // A consumer that delivers whatever is there while producers run.
        std::thread consumer([&] {
            Sender sender(q);
            while (!done || q.queuedCount() > 0) {
                const int n = int(sender.take(100).size());
                if (n > 0)
                    q.completeDelivered(n, n);
                const LokiStats s = q.stats();
                if (s.accepted() != s.delivered() + s.dropped() + s.pending())
                    qFatal("invariant broken");
            }
        });
        std::vector<std::thread> producers;
        for (int t = 0; t < threads; ++t) {
            producers.emplace_back([&q, t] {
                for (int i = 0; i < perThread; ++i)
                    q.push(entry(QStringLiteral("t%1 %2").arg(t).arg(i)), 1);
            });
        }
        for (auto &p : producers)
            p.join();
        done = true;
        consumer.join();
        const LokiStats s = q.stats();
        QCOMPARE(s.accepted(), quint64(threads * perThread));
        QCOMPARE(s.delivered() + s.dropped(), quint64(threads * perThread));
        QCOMPARE(s.pending(), quint64(0));
    }
};

QTEST_GUILESS_MAIN(tst_EntryQueue)
#include "tst_entryqueue.moc"
