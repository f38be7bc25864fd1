// SPDX-License-Identifier: MIT
#include "pipeline/entryqueue_p.h"

#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

// In a thread of a test's own: fail (and return) without QTest's macros, which only work on
// the test's thread.
#define QVERIFY_OR_RETURN(cond)                                                                    \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            qWarning("%s:%d: %s failed", __FILE__, __LINE__, #cond);                               \
            return;                                                                                \
        }                                                                                          \
    } while (false)
#define QCOMPARE_OR_RETURN(a, b) QVERIFY_OR_RETURN((a) == (b))

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
    //! Resolves everything appended so far, slice by slice.
    void resolve()
    {
        for (;;) {
            std::vector<PendingEntry> raw = q.takeUnresolved(1 << 30);
            if (raw.empty())
                return;
            put(raw);
        }
    }
    //! Hands \a raw back resolved.
    void put(const std::vector<PendingEntry> &raw)
    {
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
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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

    // A block of fields the context ring let go is filled again by the next call of the
    // thread that freed it, when its size fits; a shared block or one far too large is not.
    void packedBlocksAreFilledAgain()
    {
        bool ok = false;
        std::thread([&ok] { // a thread of its own: nothing kept from other tests
            const auto fields = [](int n) {
                return PackedFields::pack({{"user_id", n}, {"name", "alice"}, {"amount", 1.5}},
                                          true);
            };
            PackedFields a = fields(1);
            const qsizetype size = a.bytes.size();
            const char *block = a.bytes.constData();
            PackedFields::recycle(std::move(a.bytes));
            // A block made as pack() makes one, between: had the block been freed, the
            // allocator would give it to this one.
            QByteArray between;
            between.resize(size);
            QVERIFY_OR_RETURN(between.constData() != block);
            const PackedFields b = fields(2);
            QCOMPARE_OR_RETURN(b.bytes.constData(), block);
            QCOMPARE_OR_RETURN(b.unpack().value(QStringLiteral("user_id")).toInt(), 2);
            QCOMPARE_OR_RETURN(b.unpack().value(QStringLiteral("name")).toString(),
                               QStringLiteral("alice"));

            // Shared: not taken.
            PackedFields c = fields(3);
            const QByteArray sharer = c.bytes;
            PackedFields::recycle(std::move(c.bytes));
            QVERIFY_OR_RETURN(fields(4).bytes.constData() != sharer.constData());

            // Far too large for the list: not taken, and not in the way of the next one.
            PackedFields big = PackedFields::pack({{"text", QString(4000, u'x')}});
            PackedFields::recycle(std::move(big.bytes));
            PackedFields small = fields(5);
            QVERIFY_OR_RETURN(small.bytes.capacity() < 1000);
            QCOMPARE_OR_RETURN(small.unpack().value(QStringLiteral("user_id")).toInt(), 5);
            const char *smallBlock = small.bytes.constData();
            PackedFields::recycle(std::move(small.bytes));
            QByteArray between2;
            between2.resize(size);
            QCOMPARE_OR_RETURN(fields(6).bytes.constData(), smallBlock);

            // Through the ring: what a full ring lets go serves the next calls.
            EntryQueue q;
            q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
            q.configureContext(16, Level::Error);
            q.setAccepting(true);
            QSet<const char *> blocks;
            for (int i = 0; i < 32; ++i) {
                PendingEntry e = entry(QStringLiteral("d%1").arg(i));
                e.level = Level::Debug;
                e.packed = fields(i);
                if (i < 16)
                    blocks.insert(e.packed.bytes.constData());
                q.keepForContext(std::move(e), 1000, false);
            }
            QByteArray between3; // not given a block the ring let go: the thread keeps them
            between3.resize(size);
            QVERIFY_OR_RETURN(!blocks.contains(between3.constData()));
            QVERIFY_OR_RETURN(blocks.contains(fields(99).bytes.constData()));
            ok = true;
        })
                .join();
        QVERIFY(ok);
    }

    // The ring lets overwritten entries go a chunk at a time, once a whole chunk is
    // overwritten: it holds at most capacity + chunkSize entries, and ships the last ones.
    void contextRingLetsGoWholeChunks()
    {
        ContextRing ring;
        QCOMPARE(ring.setCapacity(40), 0);
        const int chunk = ring.chunkSize();
        QVERIFY(chunk >= 1 && chunk <= 40);
        int letGo = 0;
        for (int i = 0; i < 1000; ++i) {
            PendingEntry e = entry(QStringLiteral("d%1").arg(i));
            ContextRing::Chunk out;
            QCOMPARE(ring.keep(std::move(e), false, &out), i >= 40);
            if (!out.empty()) {
                QCOMPARE(int(out.size()), chunk);
                QCOMPARE(out.front().entry.line, QStringLiteral("d%1").arg(letGo));
                letGo += int(out.size());
            }
            QCOMPARE(ring.size(), qMin(i + 1, 40));
            QVERIFY(i + 1 - letGo <= 40 + chunk); // in memory
            QVERIFY(i + 1 - letGo >= qMin(i + 1, 40));
        }
        ContextRing::Chunk overwritten;
        const std::vector<ContextRing::Slot> shipped = ring.takeAll(&overwritten);
        QCOMPARE(int(shipped.size()), 40);
        for (int k = 0; k < 40; ++k)
            QCOMPARE(shipped[std::size_t(k)].entry.line, QStringLiteral("d%1").arg(960 + k));
        QCOMPARE(letGo + int(overwritten.size()), 960);
        QVERIFY(ring.isEmpty());
        // A smaller capacity keeps the newest.
        for (int i = 0; i < 30; ++i) {
            ContextRing::Chunk out;
            ring.keep(entry(QStringLiteral("n%1").arg(i)), false, &out);
        }
        QCOMPARE(ring.setCapacity(8), 22);
        overwritten.clear();
        const std::vector<ContextRing::Slot> newest = ring.takeAll(&overwritten);
        QCOMPARE(int(newest.size()), 8);
        QCOMPARE(newest.front().entry.line, QStringLiteral("n22"));
        QCOMPARE(newest.back().entry.line, QStringLiteral("n29"));
    }

    // The context ring: kept entries are stamped from the queue's sequence but not
    // accepted; a trigger takes them in before itself, in order, with one id.
    void contextRingShipsBeforeItsTrigger()
    {
        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.configureContext(3, Level::Error);
        q.setAccepting(true);
        const auto at = [](Level level, const QString &line) {
            PendingEntry e = entry(line);
            e.level = level;
            return e;
        };
        for (int i = 0; i < 5; ++i)
            q.keepForContext(at(Level::Debug, QStringLiteral("d%1").arg(i)), 1000, false);
        q.push(at(Level::Warning, QStringLiteral("w")), 1000); // below the trigger
        LokiStats s = q.stats();
        QCOMPARE(s.accepted(), quint64(1));
        QCOMPARE(s.contextOverwritten(), quint64(2));
        q.push(at(Level::Error, QStringLiteral("e")), 10);
        q.push(at(Level::Critical, QStringLiteral("c")), 10); // the ring is empty: no id

        std::vector<PendingEntry> raw = q.takeUnresolved(100);
        QStringList lines;
        for (const PendingEntry &e : raw)
            lines.append(e.line);
        QCOMPARE(lines, QStringLiteral("w d2 d3 d4 e c").split(QLatin1Char(' ')));
        const quint64 id = raw[1].contextId;
        QVERIFY(id != 0);
        for (int i : {1, 2, 3}) {
            QCOMPARE(raw[std::size_t(i)].contextRole, PendingEntry::ContextRole::Context);
            QCOMPARE(raw[std::size_t(i)].contextId, id);
            QCOMPARE(raw[std::size_t(i)].level, Level::Debug);
        }
        QCOMPARE(raw[4].contextRole, PendingEntry::ContextRole::Trigger);
        QCOMPARE(raw[4].contextId, id);
        QCOMPARE(raw[5].contextRole, PendingEntry::ContextRole::None);
        QCOMPARE(raw[0].contextRole, PendingEntry::ContextRole::None);
        // Timestamps from one sequence: the kept ones keep theirs, older than the warning's.
        QVERIFY(raw[1].timestampNs < raw[2].timestampNs && raw[3].timestampNs < raw[0].timestampNs);
        QVERIFY(raw[4].timestampNs > raw[0].timestampNs);
        // Seqs in the order of acceptance.
        for (std::size_t i = 1; i < raw.size(); ++i)
            QCOMPARE(raw[i].seq, raw[i - 1].seq + 1);
        s = q.stats();
        QCOMPARE(s.accepted(), quint64(6));
        QCOMPARE(s.contextShipped(), quint64(3));
        checkInvariant(s);
        Sender(q).put(raw);
    }

    // The ring is sharded by thread: each thread keeps its entries under a lock of its own,
    // and a trigger ships the newest capacity() entries of all shards in timestamp order,
    // counting the older ones as overwritten; the shards of ended threads are shipped too.
    void contextShardsMergeByTimestamp()
    {
        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.configureContext(5, Level::Error);
        q.setAccepting(true);
        const auto keep = [&q](const QString &line) {
            PendingEntry e = entry(line);
            e.level = Level::Debug;
            q.keepForContext(std::move(e), 1000, false);
        };
        // Four threads in turns (each ends before the next starts), and this one between.
        int n = 0;
        for (int t = 0; t < 4; ++t) {
            std::thread([&] {
                for (int i = 0; i < 3; ++i)
                    keep(QStringLiteral("k%1").arg(n++));
            }).join();
            keep(QStringLiteral("k%1").arg(n++));
        }
        QCOMPARE(n, 16);
        QCOMPARE(q.stats().accepted(), quint64(0));
        PendingEntry trigger = entry(QStringLiteral("e"));
        trigger.level = Level::Error;
        q.push(std::move(trigger), 10);
        std::vector<PendingEntry> raw = q.takeUnresolved(100);
        QStringList lines;
        for (const PendingEntry &e : raw)
            lines.append(e.line);
        QCOMPARE(lines, QStringLiteral("k11 k12 k13 k14 k15 e").split(QLatin1Char(' ')));
        for (std::size_t i = 1; i < raw.size(); ++i)
            QVERIFY(raw[i].timestampNs > raw[i - 1].timestampNs);
        QCOMPARE(raw.back().contextRole, PendingEntry::ContextRole::Trigger);
        LokiStats s = q.stats();
        QCOMPARE(s.contextShipped(), quint64(5));
        QCOMPARE(s.contextOverwritten(), quint64(11));
        QCOMPARE(s.accepted(), quint64(6));
        Sender(q).put(raw);
        // Nothing is left in any shard: the next error ships no context.
        PendingEntry again = entry(QStringLiteral("e2"));
        again.level = Level::Error;
        q.push(std::move(again), 10);
        raw = q.takeUnresolved(100);
        QCOMPARE(int(raw.size()), 1);
        QCOMPARE(raw.front().contextRole, PendingEntry::ContextRole::None);
        Sender(q).put(raw);
        s = q.stats();
        QCOMPARE(s.contextOverwritten(), quint64(11)); // kept when the ended shards went
        checkInvariant(s);
    }

    // A thread that logs to a queue, which ends, and then to a new one (perhaps at the same
    // address) keeps to a shard of the new one; a call from a thread_local destructor,
    // after the thread's list of shards is gone, still reaches the ring.
    void contextShardsOutliveTheirQueueAndThread()
    {
        const auto debug = [](const QString &line) {
            PendingEntry e = entry(line);
            e.level = Level::Debug;
            return e;
        };
        const auto error = [](const QString &line) {
            PendingEntry e = entry(line);
            e.level = Level::Error;
            return e;
        };
        for (int round = 0; round < 3; ++round) {
            auto q = std::make_unique<EntryQueue>();
            q->configureContext(4, Level::Error);
            q->setAccepting(true);
            q->keepForContext(debug(QStringLiteral("old%1").arg(round)), 1000, false);
            q.reset();
            q = std::make_unique<EntryQueue>();
            q->configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
            q->configureContext(4, Level::Error);
            q->setAccepting(true);
            q->keepForContext(debug(QStringLiteral("new%1").arg(round)), 1000, false);
            q->push(error(QStringLiteral("e")), 10);
            const std::vector<PendingEntry> raw = q->takeUnresolved(100);
            QCOMPARE(int(raw.size()), 2);
            QCOMPARE(raw.front().line, QStringLiteral("new%1").arg(round));
        }

        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.configureContext(4, Level::Error);
        q.setAccepting(true);
        struct AtExit
        {
            EntryQueue *queue = nullptr;
            PendingEntry line;
            ~AtExit()
            {
                // The thread's recycled field blocks may be gone by now: none is taken.
                line.packed = PackedFields::pack({{"n", -1}, {"name", "alice"}}, true);
                queue->keepForContext(std::move(line), 1000, false);
            }
        };
        std::thread([&] {
            // Made before the thread's list of shards, so destroyed after it.
            static thread_local AtExit atExit;
            atExit.queue = &q;
            atExit.line = debug(QStringLiteral("at exit"));
            // Enough that the ring lets chunks go: the thread keeps their vector, and
            // their field blocks, for its next calls; the call at exit must not use them.
            for (int i = 0; i < 12; ++i) {
                PendingEntry e = debug(QStringLiteral("in the thread %1").arg(i));
                e.packed = PackedFields::pack({{"n", i}, {"name", "alice"}}, true);
                q.keepForContext(std::move(e), 1000, false);
            }
        }).join();
        q.push(error(QStringLiteral("e")), 10);
        const std::vector<PendingEntry> raw = q.takeUnresolved(100);
        QStringList lines;
        for (const PendingEntry &e : raw)
            lines.append(e.line);
        QCOMPARE(lines,
                 QStringLiteral("in the thread 9|in the thread 10|in the thread 11|at exit|e")
                         .split(QLatin1Char('|')));
    }

    void dropOldestKeepsNewest()
    {
        EntryQueue q;
        q.configure(3, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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
        q.configure(2, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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
        q.configure(2, qint64(1) << 30, OverflowPolicy::DropNewest, 1 << 20);
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
        q.configure(1, qint64(1) << 30, OverflowPolicy::Block, 1 << 20);
        q.setAccepting(true);
        q.push(entry(QStringLiteral("first")), 1);
        std::atomic<bool> returned {false};
        std::thread producer([&] {
            q.push(entry(QStringLiteral("second")), 2);
            returned = true;
        });
        // The producer cannot finish while the queue is full...
        QVERIFY(!q.waitResolved(2, EntryQueue::Until::Resolved,
                                std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
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

    void wakesOnlyAsArmed()
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
        q.configure(10, qint64(1) << 30, OverflowPolicy::Block, 1 << 20);
        q.setWakeTarget(&target);
        q.setAccepting(true);
        Sender sender(q);
        quint64 t = 0;
        // Not armed (the sender is retrying, say): no logging call wakes it.
        for (int i = 0; i < 8; ++i)
            q.push(entry(QStringLiteral("a")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 0);
        // Armed for a batch of 5 that already waits: at once, and once only.
        q.armWake(5);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 1);
        QCOMPARE(sender.take(8).size(), 8);
        q.completeDelivered(8, 8);

        // Armed for the first entry: the first call wakes, the next ones do not.
        q.armWake(1);
        q.push(entry(QStringLiteral("b")), ++t);
        q.push(entry(QStringLiteral("b")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 2);

        // Armed for a batch while one is on the wire: entries resolved ahead count too.
        QCOMPARE(sender.take(2).size(), 2);
        q.armWake(5);
        for (int i = 0; i < 3; ++i)
            q.push(entry(QStringLiteral("c")), ++t);
        sender.resolve();
        QCOMPARE(q.unresolvedCount(), 0);
        q.push(entry(QStringLiteral("c")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 2); // 4 waiting
        q.push(entry(QStringLiteral("c")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 3);
        q.push(entry(QStringLiteral("c")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.wakes, 3); // fired once; not armed again
        q.setWakeTarget(nullptr);
        checkInvariant(q.stats());
    }

    // The byte bound applies each overflow policy as the entry bound does.
    void byteBound_data()
    {
        QTest::addColumn<int>("policy");
        QTest::newRow("drop-oldest") << int(OverflowPolicy::DropOldest);
        QTest::newRow("drop-newest") << int(OverflowPolicy::DropNewest);
        QTest::newRow("block") << int(OverflowPolicy::Block);
    }
    void byteBound()
    {
        QFETCH(int, policy);
        EntryQueue q;
        // Room for 1000 entries but only 4 lines of 1,000 UTF-16 units (2,000 bytes held).
        q.configure(1000, 8000, OverflowPolicy(policy), 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 4; ++i)
            q.push(entry(QString(1000, QLatin1Char('a' + i))), i + 1);
        QCOMPARE(q.bytesHeld(), qint64(8000));
        if (OverflowPolicy(policy) == OverflowPolicy::Block) {
            std::atomic<bool> returned {false};
            std::thread producer([&] {
                q.push(entry(QString(1000, QLatin1Char('e'))), 5);
                returned = true;
            });
            QVERIFY(!q.waitResolved(5, EntryQueue::Until::Resolved,
                                    std::chrono::steady_clock::now()
                                            + std::chrono::milliseconds(50)));
            QVERIFY(!returned);
            // Resolved, the lines take half the room (UTF-8): the caller gets in.
            Sender(q).resolve();
            producer.join();
            QVERIFY(returned);
            QCOMPARE(q.stats().dropped(), quint64(0));
        } else {
            q.push(entry(QString(1000, QLatin1Char('e'))), 5);
            QCOMPARE(q.stats().dropped(DropReason::BufferFull), quint64(1));
            const QList<QueuedEntry> held = Sender(q).take(10);
            QCOMPARE(held.size(), 4);
            const QChar first = OverflowPolicy(policy) == OverflowPolicy::DropOldest
                    ? QLatin1Char('b')
                    : QLatin1Char('a');
            QCOMPARE(lineOf(held.first()).at(0), first);
        }
        QVERIFY(q.bytesHeld() <= 8000);
        checkInvariant(q.stats());
    }

    // The sender takes entries to resolve in slices of a sixteenth of the byte bound at
    // most, and at least one entry however large.
    void resolveSlicesAreBoundedInBytes_data()
    {
        QTest::addColumn<int>("lineUnits");
        QTest::addColumn<int>("perSlice");
        // A bound of 32,000 bytes: slices of 2,000.
        QTest::newRow("small entries") << 100 << 10; // 200 bytes each as logged
        QTest::newRow("an entry fills a slice") << 1000 << 1;
        QTest::newRow("an entry larger than a slice") << 3000 << 1;
    }
    void resolveSlicesAreBoundedInBytes()
    {
        QFETCH(int, lineUnits);
        QFETCH(int, perSlice);
        constexpr qint64 Bound = 32000;
        EntryQueue q;
        q.configure(1000, Bound, OverflowPolicy::DropNewest, 1 << 20);
        q.setAccepting(true);
        const int count = int(Bound / (2 * lineUnits));
        for (int i = 0; i < count; ++i)
            QVERIFY(q.push(entry(QString(lineUnits, QLatin1Char('x'))), i + 1) != 0);
        QCOMPARE(q.stats().dropped(), quint64(0));
        Sender sender(q);
        int resolved = 0;
        while (resolved < count) {
            const std::vector<PendingEntry> raw = q.takeUnresolved(256);
            QCOMPARE(int(raw.size()), qMin(perSlice, count - resolved));
            resolved += int(raw.size());
            sender.put(raw);
        }
        QVERIFY(q.takeUnresolved(256).empty());
        QCOMPARE(q.resolvedCount(), count);
        checkInvariant(q.stats());
    }

    // Regression: the sender took every unresolved entry at once to resolve them. DropOldest
    // counted those out to make room for new entries while they were still in memory, so
    // 1,000 lines of 1 MB logged during an outage held about twice the byte bound. Now what
    // is held, counted or being resolved, stays within the bound and one slice.
    void droppedWhileResolvingHoldsAtMostASlice()
    {
        constexpr qint64 Bound = 64000;
        EntryQueue q;
        q.configure(1000, Bound, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        const auto line = [](int i) { return QString(1000, QLatin1Char('a' + i % 26)); };
        int logged = 0;
        for (; logged < 32; ++logged) // 2,000 bytes each: the bound exactly
            q.push(entry(line(logged)), logged + 1);
        QCOMPARE(q.bytesHeld(), Bound);

        const std::vector<PendingEntry> slice = q.takeUnresolved(256);
        qint64 sliceBytes = 0;
        for (const PendingEntry &e : slice)
            sliceBytes += e.heldBytes();
        QVERIFY2(sliceBytes <= Bound / 16, QByteArray::number(sliceBytes).constData());
        // Meanwhile the callers go on: the oldest entries, those being resolved first, are
        // dropped, and the slice is still in memory until it is put back.
        for (; logged < 64; ++logged) {
            q.push(entry(line(logged)), logged + 1);
            QVERIFY(q.bytesHeld() <= Bound);
            QVERIFY(q.bytesHeld() + sliceBytes <= Bound + Bound / 16);
        }
        Sender sender(q);
        sender.put(slice);
        QCOMPARE(q.stats().dropped(DropReason::BufferFull), quint64(32));
        sender.resolve();
        const QList<QueuedEntry> held = sender.take(100);
        QCOMPARE(held.size(), 32);
        QCOMPARE(lineOf(held.first()), line(32)); // the newest 32 stay, in order
        QCOMPARE(lineOf(held.last()), line(63));
        checkInvariant(q.stats());
    }

    void entryLargerThanTheBoundIsDropped()
    {
        EntryQueue q;
        q.configure(1000, 1000, OverflowPolicy::Block, 1 << 20);
        q.setAccepting(true);
        QVERIFY(q.push(entry(QString(600, QLatin1Char('x'))), 1) != 0); // never blocks
        QCOMPARE(q.stats().dropped(DropReason::BufferFull), quint64(1));
        QCOMPARE(q.bytesHeld(), qint64(0));
        checkInvariant(q.stats());
    }

    void bytesFollowTheEntries()
    {
        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 10; ++i)
            q.push(entry(QString(100, QLatin1Char('x'))), i + 1);
        QCOMPARE(q.bytesHeld(), qint64(10 * 200)); // UTF-16 as logged
        Sender sender(q);
        sender.resolve();
        const qint64 resolved = q.bytesHeld();
        QVERIFY(resolved >= 10 * 100 && resolved < 10 * 200); // UTF-8 with length prefixes
        QCOMPARE(sender.take(4).size(), 4);
        QCOMPARE(q.bytesHeld(), resolved); // in flight still held
        sender.kept(QStringLiteral("503"), false);
        QCOMPARE(q.bytesHeld(), resolved);
        QCOMPARE(sender.take(4).size(), 4);
        q.completeDelivered(4, 400);
        QCOMPARE(q.bytesHeld(), resolved / 10 * 6);
        QCOMPARE(q.dropAll(DropReason::Shutdown), 6);
        QCOMPARE(q.bytesHeld(), qint64(0));
        checkInvariant(q.stats());
    }

    // Beyond the first LooseEntries, resolved entries wait packed in blocks. Each comes back
    // as it went in (seq, timestamp, stream, line, metadata with their kinds) and in order,
    // whether taken, dropped, or given back to the front in between; an entry larger than a
    // block too. Once nothing is packed, the next entries wait loose again.
    void packedBacklogGivesBackWhatWentIn()
    {
        const auto stream = [](const char *app) {
            return StreamRef(
                    new StreamKey(LabelList {{QStringLiteral("app"), QLatin1String(app)}}));
        };
        const StreamRef streams[] = {stream("a"), stream("b"), StreamRef()};
        const QList<ValueKind> kinds {ValueKind::Text, ValueKind::Int};
        const int n = ResolvedBacklog::LooseEntries + 3000;
        std::vector<QueuedEntry> made;
        qint64 ns = qint64(1) << 60;
        for (int i = 0; i < n; ++i) {
            ns += i % 100 == 0 ? qint64(1) << 40 : 1000 + i % 7; // now and then a large step
            QString line = QStringLiteral("entry %1 \u00e9").arg(i);
            if (i % 11 == 0)
                line.clear();
            else if (i % 997 == 0)
                line = QString(int(ResolvedBacklog::BlockBytes), QLatin1Char('x')); // > a block
            const LabelList metadata {{QStringLiteral("amount"), QString::number(i * 1.5)},
                                      {QStringLiteral("order_id"), QString::number(i)}};
            made.push_back(QueuedEntry {
                    quint64(10 + 3 * i), streams[i % 3],
                    i % 5 == 0 ? WireEntry(ns, line)
                               : WireEntry(ns, line, metadata, i % 2 ? &kinds : nullptr)});
        }
        ResolvedBacklog backlog;
        for (const QueuedEntry &e : made)
            backlog.pushBack(QueuedEntry(e));
        QCOMPARE(backlog.size(), n);
        QCOMPARE(backlog.packedCount(), n - ResolvedBacklog::LooseEntries);

        int next = 0; // the index in `made` of the front entry
        const auto checkFront = [&] { QCOMPARE(backlog.frontSeq(), made[std::size_t(next)].seq); };
        const auto dropAndCompare = [&](int count) {
            for (int i = 0; i < count; ++i, ++next) {
                checkFront();
                QCOMPARE(backlog.dropFront(), made[std::size_t(next)].heldBytes());
            }
        };
        std::vector<QueuedEntry> taken;
        const auto takeAndCompare = [&](int count) {
            taken.clear();
            for (int i = 0; i < count; ++i, ++next) {
                checkFront();
                taken.push_back(backlog.takeFront());
                const QueuedEntry &want = made[std::size_t(next)];
                QCOMPARE(taken.back().seq, want.seq);
                QCOMPARE(taken.back().stream.data(), want.stream.data());
                QVERIFY(taken.back().entry == want.entry);
                QCOMPARE(taken.back().entry.metadataList(), want.entry.metadataList());
            }
        };
        const auto giveBack = [&](int count) {
            for (int i = 0; i < count; ++i, --next)
                backlog.pushFront(std::move(taken[taken.size() - 1 - std::size_t(i)]));
        };
        takeAndCompare(10);
        giveBack(10);
        dropAndCompare(5); // from the loose front
        takeAndCompare(ResolvedBacklog::LooseEntries - 5); // the loose ones are gone
        QCOMPARE(backlog.packedCount(), backlog.size());
        takeAndCompare(200);
        giveBack(50); // 150 leave, 50 wait loose again
        takeAndCompare(60); // those 50, then packed ones
        dropAndCompare(7); // from the packed front
        // Packed behind loose ones: still in order.
        backlog.pushBack(QueuedEntry(made.back()));
        made.push_back(made.back());
        takeAndCompare(n + 1 - next);
        QVERIFY(backlog.empty());
        QCOMPARE(backlog.packedCount(), 0);

        // Nothing packed: loose again, then packed from scratch.
        for (int i = 0; i < ResolvedBacklog::LooseEntries + 2; ++i)
            backlog.pushBack(QueuedEntry(made[std::size_t(i)]));
        QCOMPARE(backlog.packedCount(), 2);
        next = 0;
        takeAndCompare(ResolvedBacklog::LooseEntries + 2);
        QVERIFY(backlog.empty());
    }

    // Through the queue: a backlog beyond the loose entries goes out in order, a failed
    // batch comes back to the front, and the bytes held follow the entries.
    void packedBacklogThroughTheQueue()
    {
        const int n = ResolvedBacklog::LooseEntries * 3;
        EntryQueue q;
        q.configure(n, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < n; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender sender(q);
        sender.resolve();
        const qint64 held = q.bytesHeld();
        QCOMPARE(sender.take(500).size(), 500);
        sender.kept(QStringLiteral("HTTP 503"), false);
        QCOMPARE(q.bytesHeld(), held);
        int next = 0;
        qint64 delivered = 0;
        while (next < n) {
            const QList<QueuedEntry> batch = sender.take(700);
            QVERIFY(!batch.isEmpty());
            qint64 bytes = 0;
            for (const QueuedEntry &e : batch) {
                QCOMPARE(lineOf(e), QString::number(next++));
                bytes += e.heldBytes();
            }
            q.completeDelivered(int(batch.size()), bytes);
            delivered += bytes;
            QCOMPARE(q.bytesHeld(), held - delivered);
        }
        QCOMPARE(q.resolvedCount(), 0);
        const LokiStats s = q.stats();
        QCOMPARE(s.delivered(), quint64(n));
        QCOMPARE(s.pending(), quint64(0));
        checkInvariant(s);
    }

    void refusalCountsStoredAndRefused()
    {
        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 10; ++i)
            q.push(entry(QStringLiteral("x")), i + 1);
        QCOMPARE(Sender(q).take(10).size(), 10);
        q.completeRefused(10, 1, 100, QStringLiteral("HTTP 400: line too long"));
        const LokiStats s = q.stats();
        QCOMPARE(s.delivered(), quint64(9));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(1));
        QCOMPARE(s.lastError(), QStringLiteral("HTTP 400: line too long"));
        checkInvariant(s);
    }

    void refusedInTheCallIsCounted()
    {
        EntryQueue q;
        q.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.refuseInCall(DropReason::Invalid); // not accepting: nothing counted
        QCOMPARE(q.stats().accepted(), quint64(0));
        q.setAccepting(true);
        q.refuseInCall(DropReason::Invalid);
        const LokiStats s = q.stats();
        QCOMPARE(s.accepted(), quint64(1));
        QCOMPARE(s.dropped(DropReason::Invalid), quint64(1));
        QCOMPARE(s.pending(), quint64(0));
        checkInvariant(s);
    }

    void blockedCallerReleasedWhenStopped()
    {
        EntryQueue q;
        q.configure(1, qint64(1) << 30, OverflowPolicy::Block, 1 << 20);
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
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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
        QVERIFY(!q.waitResolved(2, EntryQueue::Until::Resolved, std::chrono::steady_clock::now()));
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
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        for (int i = 0; i < 4; ++i)
            q.push(entry(QString::number(i)), i + 1);
        Sender wire(q);
        Sender prepared(q);
        wire.take(2);
        prepared.take(2);
        q.completeDelivered(2, 20);
        QVERIFY(q.waitResolved(3, EntryQueue::Until::Resolved, std::chrono::steady_clock::now()));
        QVERIFY(!q.waitResolved(4, EntryQueue::Until::Resolved, std::chrono::steady_clock::now()));
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
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
        q.setAccepting(true);
        const quint64 seq = q.push(entry(QStringLiteral("x")), 1);
        Sender sender(q);
        sender.take(1);
        sender.kept(QStringLiteral("down"), true);
        const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(10);
        QVERIFY(!q.waitResolved(seq + 1, EntryQueue::Until::Resolved, soon));
        QVERIFY(q.waitResolved(seq + 1, EntryQueue::Until::Settled, soon));
    }

    void spooledEntriesStayPending()
    {
        EntryQueue q;
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
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
        QVERIFY(!q.waitResolved(2, EntryQueue::Until::Resolved, soon));
        QVERIFY(q.waitResolved(2, EntryQueue::Until::Settled, soon));
        q.spoolDelivered(2, 100);
        q.spoolDropped(1, DropReason::BufferFull, QStringLiteral("spool full"));
        s = q.stats();
        QCOMPARE(s.spooled(), quint64(0));
        QCOMPARE(s.delivered(), quint64(2));
        QCOMPARE(s.dropped(DropReason::BufferFull), quint64(1));
        checkInvariant(s);
    }

    // With a spool, memory spills to disk once the entries waiting take half the room the
    // batch on the wire leaves, not when the buffer holds half its capacity with that batch
    // counted: the sender spills while a push is on the wire (a slow Loki keeps one there all
    // the time), and a full batch (half the buffer) alone would then send every entry through
    // the disk although Loki answers. Fewer than half the buffer may be left when a batch is
    // on the wire, so the threshold shrinks with the room.
    void spillCountsOnlyTheRoomTheWireLeaves()
    {
        struct Target : QObject
        {
            int spills = 0;
            bool event(QEvent *e) override
            {
                if (e->type() == QEvent::Type(EntryQueue::SpillEvent)) {
                    ++spills;
                    return true;
                }
                return QObject::event(e);
            }
        } target;
        EntryQueue q;
        q.configure(10, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20, 5);
        q.setWakeTarget(&target);
        q.setAccepting(true);
        quint64 t = 0;
        for (int i = 0; i < 5; ++i)
            q.push(entry(QStringLiteral("wire")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.spills, 1); // nothing in flight: 5 of 10
        q.spillHandled();
        Sender wire(q);
        QCOMPARE(wire.take(4).size(), 4); // room for 6 more, 1 of them taken
        q.push(entry(QStringLiteral("a")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.spills, 1); // 2 of 6
        q.push(entry(QStringLiteral("b")), ++t);
        QCoreApplication::sendPostedEvents(&target);
        QCOMPARE(target.spills, 2); // 3 of 6
        q.spillHandled();

        // As the sender spills: the batch on the wire first (the spool keeps the order of
        // time; its answer settles it there), then what waits.
        q.completeSpooled(4);
        Sender spill(q);
        QCOMPARE(spill.take(10).size(), 3);
        q.completeSpooled(3);
        q.spoolDelivered(4, 40);
        const LokiStats s = q.stats();
        QCOMPARE(s.delivered(), quint64(4));
        QCOMPARE(s.spooled(), quint64(3));
        QCOMPARE(s.dropped(), quint64(0));
        checkInvariant(s);
        q.setWakeTarget(nullptr);
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
        q.configure(1000, qint64(1) << 40, OverflowPolicy::DropOldest, qint64(1) << 40);
        q.setAccepting(true);
        std::atomic<bool> done {false};
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
