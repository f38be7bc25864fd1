// SPDX-License-Identifier: MIT
// Context on error: entries below the minimum level wait in a ring, unaccepted, until an
// entry at the trigger level ships them, once, in order, with an id both carry.
#undef QT_NO_CAST_FROM_ASCII
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <algorithm>

using namespace std::chrono_literals;
using QLoki::Level;

namespace {

LokiConfig configFor(ReceiverThread &receiver)
{
    LokiConfig config;
    config.setAppName("context");
    config.setUrl(receiver.pushUrl());
    return config;
}

// What the receiver stored, oldest first.
QList<LokiReceiver::Entry> stored(ReceiverThread &receiver)
{
    QList<LokiReceiver::Entry> entries = receiver.entries();
    std::sort(entries.begin(), entries.end(),
              [](const auto &a, const auto &b) { return a.timestampNs < b.timestampNs; });
    return entries;
}

bool balanced(const LokiStats &s)
{
    return s.accepted() == s.delivered() + s.dropped() + s.pending();
}

// Holds every statsChanged() snapshot of a logger to the invariant.
struct InvariantWatch
{
    explicit InvariantWatch(LokiLogger *logger)
    {
        QObject::connect(logger, &LokiLogger::statsChanged, logger, [this](const LokiStats &s) {
            ++snapshots;
            if (!balanced(s))
                ++unbalanced;
        });
    }
    int snapshots = 0;
    int unbalanced = 0;
};

} // namespace

class tst_Context : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedOnceInOrder_data()
    {
        QTest::addColumn<Level>("trigger");
        QTest::addColumn<QStringList>("triggers"); // the lines that ship the ring, in order
        // Logged: four below the minimum (warning), a warning, an error, two below, a
        // critical, one below (never shipped).
        QTest::newRow("error (default)") << Level::Error << QStringList {"e1", "c1"};
        QTest::newRow("warning") << Level::Warning << QStringList {"w1", "e1", "c1"};
        QTest::newRow("critical") << Level::Critical << QStringList {"c1"};
    }

    void shippedOnceInOrder()
    {
        QFETCH(Level, trigger);
        QFETCH(QStringList, triggers);
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Warning);
        config.setContextEntries(200);
        config.setContextTriggerLevel(trigger);
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        InvariantWatch watch(&logger);

        const QStringList lines = {"d1", "i1", "d2", "i2", "w1", "e1", "d3", "d4", "c1", "d5"};
        const QList<Level> levels = {Level::Debug,    Level::Info,  Level::Debug, Level::Info,
                                     Level::Warning,  Level::Error, Level::Debug, Level::Debug,
                                     Level::Critical, Level::Debug};
        for (int i = 0; i < lines.size(); ++i)
            logger.log(levels[i], lines[i], {{"n", i}});
        QVERIFY(logger.flush(20s));

        // What should arrive: every entry at the minimum or above, and each entry below it
        // that a later trigger shipped, with the id of the first trigger after it.
        QMap<QString, QString> contextOf; // line below the minimum -> the trigger shipping it
        QSet<QString> shippers; // triggers that found the ring not empty
        QStringList waiting;
        for (int i = 0; i < lines.size(); ++i) {
            if (levels[i] < Level::Warning) {
                waiting.append(lines[i]);
            } else if (triggers.contains(lines[i]) && !waiting.isEmpty()) {
                for (const QString &line : std::as_const(waiting))
                    contextOf.insert(line, lines[i]);
                shippers.insert(lines[i]);
                waiting.clear();
            }
        }
        const QList<LokiReceiver::Entry> entries = stored(receiver);
        QStringList arrived;
        QMap<QString, QString> idOf; // trigger line -> its context_id
        for (const LokiReceiver::Entry &e : entries) {
            arrived.append(e.line);
            if (e.structuredMetadata.contains("context_id"))
                idOf.insert(e.line, e.structuredMetadata.value("context_id"));
        }
        QStringList expected;
        for (const QString &line : lines) {
            if (levels[lines.indexOf(line)] >= Level::Warning || contextOf.contains(line))
                expected.append(line);
        }
        // Once each, and in the order logged (timestamps taken when logged).
        QCOMPARE(arrived, expected);
        // An id on each trigger that found entries in the ring, none on the others.
        QCOMPARE(QSet<QString>(idOf.keyBegin(), idOf.keyEnd()), shippers);
        for (const LokiReceiver::Entry &e : entries) {
            const int n = e.structuredMetadata.value("n").toInt();
            QCOMPARE(e.line, lines[n]);
            QCOMPARE(e.labels.value("level"), QLoki::levelName(levels[n])); // its own level
            if (contextOf.contains(e.line)) {
                QCOMPARE(e.structuredMetadata.value("context_for"), idOf.value(contextOf[e.line]));
                QVERIFY(!e.structuredMetadata.contains("context_id"));
            } else {
                QVERIFY2(!e.structuredMetadata.contains("context_for"), qPrintable(e.line));
            }
            if (idOf.contains(e.line))
                QCOMPARE(idOf.value(e.line).size(), 16);
        }
        QCOMPARE(QSet<QString>(idOf.cbegin(), idOf.cend()).size(), idOf.size()); // ids differ

        const LokiStats s = logger.stats();
        QCOMPARE(s.contextShipped(), quint64(contextOf.size()));
        QCOMPARE(s.contextOverwritten(), quint64(0));
        QCOMPARE(s.accepted(), quint64(expected.size()));
        QCOMPARE(s.delivered(), quint64(expected.size()));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(balanced(s));
        QTRY_VERIFY_WITH_TIMEOUT(watch.snapshots > 0, 5000);
        QCOMPARE(watch.unbalanced, 0);
    }

    // The ring keeps the last N: what it overwrote is counted, neither accepted nor dropped.
    void overwrittenAreCounted()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(3);
        LokiLogger logger(config);
        for (int i = 0; i < 10; ++i)
            logger.debug(QStringLiteral("step %1").arg(i));
        QCOMPARE(logger.stats().accepted(), quint64(0)); // the ring is not accepted
        logger.error("failed");
        QVERIFY(logger.flush(20s));

        const QList<LokiReceiver::Entry> entries = stored(receiver);
        QStringList arrived;
        for (const auto &e : entries)
            arrived.append(e.line);
        QCOMPARE(arrived, (QStringList {"step 7", "step 8", "step 9", "failed"}));
        const LokiStats s = logger.stats();
        QCOMPARE(s.contextShipped(), quint64(3));
        QCOMPARE(s.contextOverwritten(), quint64(7));
        QCOMPARE(s.accepted(), quint64(4));
        QCOMPARE(s.delivered(), quint64(4));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(balanced(s));
    }

    // Without a trigger the ring ships nothing, counts nothing, and goes with the logger.
    void noTriggerShipsNothing()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(50);
        LokiLogger logger(config);
        for (int i = 0; i < 20; ++i)
            logger.debug(QStringLiteral("quiet %1").arg(i));
        logger.warning("not a trigger");
        QVERIFY(logger.flush(20s));
        QCOMPARE(receiver.count(), qint64(1));
        QVERIFY(!stored(receiver).first().structuredMetadata.contains("context_id"));
        logger.shutdown();
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(1));
        QCOMPARE(s.delivered(), quint64(1));
        QCOMPARE(s.dropped(), quint64(0)); // the ring was never accepted
        QCOMPARE(s.contextShipped(), quint64(0));
        QCOMPARE(s.contextOverwritten(), quint64(0));
    }

    // Off (the default): entries below the minimum are discarded by the call, uncounted.
    void offDiscardsBelowMinimum()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Warning);
        LokiLogger logger(config);
        QCOMPARE(logger.config().contextEntries(), 0);
        for (int i = 0; i < 10; ++i)
            logger.debug(QStringLiteral("gone %1").arg(i), {{"n", i}});
        logger.error("failed");
        QVERIFY(logger.flush(20s));
        const QList<LokiReceiver::Entry> entries = stored(receiver);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().line, QStringLiteral("failed"));
        QVERIFY(!entries.first().structuredMetadata.contains("context_id"));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(1));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(s.contextShipped(), quint64(0));
        QCOMPARE(s.contextOverwritten(), quint64(0));
    }

    // Under LineLimitPolicy::Reject a kept line over the limit is refused once shipped, as
    // it would have been in its call: counted, never sent.
    void refusedLineCountsWhenShipped()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(10);
        config.setLineLimitPolicy(QLoki::LineLimitPolicy::Reject);
        config.setMaxLineBytes(1024);
        LokiLogger logger(config);
        QSignalSpy dropped(&logger, &LokiLogger::entriesDropped);
        logger.debug("short");
        logger.debug(QString(2000, QLatin1Char('x')));
        logger.error("failed");
        QVERIFY(logger.flush(20s));
        QStringList arrived;
        for (const auto &e : stored(receiver))
            arrived.append(e.line);
        QCOMPARE(arrived, (QStringList {"short", "failed"}));
        const LokiStats s = logger.stats();
        QCOMPARE(s.contextShipped(), quint64(2));
        QCOMPARE(s.accepted(), quint64(3));
        QCOMPARE(s.dropped(QLoki::DropReason::Invalid), quint64(1));
        QVERIFY(balanced(s));
        QTRY_COMPARE_WITH_TIMEOUT(dropped.size(), 1, 5000);
        QCOMPARE(dropped.first().at(1).value<QLoki::DropReason>(), QLoki::DropReason::Invalid);
    }

    // Qt's messages below the hook's level go to the same ring, from any thread.
    void throughTheHook()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setContextEntries(100);
        LokiLogger logger(config);
        QVERIFY(logger.installMessageHandler(Level::Warning));
        const auto uninstall = qScopeGuard([&] { logger.uninstallMessageHandler(); });

        qDebug("opening %s", "settings.ini");
        qInfo("parsed %d keys", 12);
        QThread *worker = QThread::create([] { qDebug("worker started"); });
        worker->setObjectName("ctxworker");
        worker->start();
        QVERIFY(worker->wait(10000));
        delete worker;
        logger.debug("from the logger"); // at the logger's minimum: queued, not kept
        qWarning("disk almost full"); // at the hook's level, below the trigger
        qCritical("cannot save");
        QVERIFY(logger.flush(20s));

        const QList<LokiReceiver::Entry> entries = stored(receiver);
        QStringList arrived;
        for (const auto &e : entries)
            arrived.append(e.line);
        QCOMPARE(arrived,
                 (QStringList {"opening settings.ini", "parsed 12 keys", "worker started",
                               "from the logger", "disk almost full", "cannot save"}));
        const QString id = entries.last().structuredMetadata.value("context_id");
        QCOMPARE(id.size(), 16);
        QCOMPARE(entries.last().labels.value("level"), QStringLiteral("error"));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(entries[i].structuredMetadata.value("context_for"), id);
        QCOMPARE(entries[0].labels.value("level"), QStringLiteral("debug"));
        QCOMPARE(entries[1].labels.value("level"), QStringLiteral("info"));
        QCOMPARE(entries[0].structuredMetadata.value("thread"), QStringLiteral("main"));
        QCOMPARE(entries[2].structuredMetadata.value("thread"), QStringLiteral("ctxworker"));
        for (int i = 3; i < 5; ++i) {
            QVERIFY(!entries[i].structuredMetadata.contains("context_for"));
            QVERIFY(!entries[i].structuredMetadata.contains("context_id"));
        }
        const LokiStats s = logger.stats();
        QCOMPARE(s.contextShipped(), quint64(3));
        QCOMPARE(s.accepted(), quint64(6));
        QCOMPARE(s.delivered(), quint64(6));
        QVERIFY(balanced(s));
    }

    // A hook without a ring keeps its old behaviour: below its level, nothing is logged.
    void hookWithoutRing()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver));
        QVERIFY(logger.installMessageHandler(Level::Warning));
        const auto uninstall = qScopeGuard([&] { logger.uninstallMessageHandler(); });
        qDebug("not logged");
        qCritical("logged");
        QVERIFY(logger.flush(20s));
        const QList<LokiReceiver::Entry> entries = stored(receiver);
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().line, QStringLiteral("logged"));
        QCOMPARE(logger.stats().accepted(), quint64(1));
    }

    // A restart with a smaller ring keeps the newest entries; the others count as overwritten.
    void smallerRingAtRestart()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(10);
        LokiLogger logger(config);
        for (int i = 0; i < 8; ++i)
            logger.debug(QStringLiteral("kept %1").arg(i));
        QVERIFY(logger.init(config.setContextEntries(3)));
        QCOMPARE(logger.stats().contextOverwritten(), quint64(5));
        logger.error("failed");
        QVERIFY(logger.flush(20s));
        QStringList arrived;
        for (const auto &e : stored(receiver))
            arrived.append(e.line);
        QCOMPARE(arrived, (QStringList {"kept 5", "kept 6", "kept 7", "failed"}));
        QCOMPARE(logger.stats().contextShipped(), quint64(3));
    }

    // The hook learns of a ring that a restart of its owner turned on.
    void hookFollowsARestart()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        LokiLogger logger(config);
        QVERIFY(logger.installMessageHandler(Level::Warning));
        const auto uninstall = qScopeGuard([&] { logger.uninstallMessageHandler(); });
        qDebug("before the ring");
        QVERIFY(logger.init(config.setContextEntries(10)));
        qDebug("in the ring");
        qCritical("failed");
        QVERIFY(logger.flush(20s));
        QStringList arrived;
        for (const auto &e : stored(receiver))
            arrived.append(e.line);
        QCOMPARE(arrived, (QStringList {"in the ring", "failed"}));
    }

    // Under OverflowPolicy::Block the ring is shipped into a buffer that has to make room
    // first: the error's call waits, and nothing is lost.
    void blockingBufferShipsEverything()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
        config.setBufferSize(20);
        config.setContextEntries(15);
        LokiLogger logger(config);
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 15; ++i)
                logger.info(QStringLiteral("r%1 info %2").arg(round).arg(i));
            for (int i = 0; i < 15; ++i)
                logger.debug(QStringLiteral("r%1 debug %2").arg(round).arg(i));
            logger.error(QStringLiteral("r%1 failed").arg(round));
        }
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.contextShipped(), quint64(75));
        QCOMPARE(s.accepted(), quint64(5 * 31));
        QCOMPARE(s.delivered(), s.accepted());
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(5 * 31));
    }

    // Threads that only fill the ring: what it overwrites is let go a chunk at a time and
    // freed by whichever call let it go (entries other threads made), and the last entries
    // still ship, intact.
    void overwrittenEntriesAreFreedByTheCalls()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(8);
        LokiLogger logger(config);
        constexpr int Threads = 4;
        constexpr int PerThread = 2000;
        QList<QThread *> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.append(QThread::create([&logger, t] {
                for (int i = 0; i < PerThread; ++i)
                    logger.debug(QStringLiteral("t%1 kept %2").arg(t).arg(i), {{"n", i}});
            }));
            threads.last()->start();
        }
        for (QThread *thread : std::as_const(threads)) {
            QVERIFY(thread->wait(30000));
            delete thread;
        }
        logger.error(QStringLiteral("failed after the burst"));
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.contextOverwritten(), quint64(Threads * PerThread - 8));
        QCOMPARE(s.contextShipped(), quint64(8));
        QCOMPARE(s.accepted(), quint64(9));
        QCOMPARE(s.delivered(), quint64(9));
        QCOMPARE(receiver.count(), qint64(9));
        int kept = 0;
        for (const auto &e : receiver.entries()) {
            if (e.line.contains(QStringLiteral(" kept "))) {
                ++kept;
                QVERIFY(e.structuredMetadata.contains(QStringLiteral("n")));
                QVERIFY(e.structuredMetadata.contains(QStringLiteral("context_for")));
            }
        }
        QCOMPARE(kept, 8);
    }

    // Many threads keep and trigger at once: every kept entry is shipped at most once, and
    // the counts add up.
    void concurrentTriggers()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver);
        config.setMinimumLevel(Level::Info);
        config.setContextEntries(64);
        LokiLogger logger(config);
        InvariantWatch watch(&logger);
        constexpr int Threads = 4;
        constexpr int PerThread = 500;
        QList<QThread *> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.append(QThread::create([&logger, t] {
                for (int i = 0; i < PerThread; ++i) {
                    const QString line = QStringLiteral("t%1 %2").arg(t).arg(i);
                    if (i % 50 == 49)
                        logger.error(line);
                    else
                        logger.debug(line);
                }
            }));
            threads.last()->start();
        }
        for (QThread *thread : std::as_const(threads)) {
            QVERIFY(thread->wait(30000));
            delete thread;
        }
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        const quint64 errors = Threads * (PerThread / 50);
        QCOMPARE(s.accepted(), errors + s.contextShipped());
        // Every thread ends with an error, so the ring is empty: each kept entry was shipped
        // or overwritten.
        QCOMPARE(s.contextShipped() + s.contextOverwritten(),
                 quint64(Threads * PerThread) - errors);
        QCOMPARE(s.pending(), quint64(0));
        QVERIFY(balanced(s)); // some may have met a full buffer (DropOldest): counted there

        QSet<QString> lines;
        QMap<QString, int> perId;
        for (const auto &e : receiver.entries()) {
            QVERIFY2(!lines.contains(e.line), qPrintable(e.line)); // once each
            lines.insert(e.line);
            if (e.structuredMetadata.contains("context_for"))
                ++perId[e.structuredMetadata.value("context_for")];
        }
        QCOMPARE(quint64(lines.size()), s.delivered());
        QVERIFY(s.contextShipped() > 0);
        for (auto it = perId.cbegin(); it != perId.cend(); ++it)
            QVERIFY2(it.value() <= 64, qPrintable(it.key()));
        QCOMPARE(watch.unbalanced, 0);
    }
};

QTEST_MAIN(tst_Context)
#include "tst_context.moc"
