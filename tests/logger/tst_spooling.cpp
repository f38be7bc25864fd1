// SPDX-License-Identifier: MIT
#include "childprocess.h"
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>

using namespace std::chrono_literals;
using QLoki::DropReason;

namespace {

LokiConfig spoolConfig(const QUrl &url, const QString &dir)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("spool"));
    c.setEndpoints({{QStringLiteral("loki"), url}});
    c.setSpoolDirectory(dir);
    c.setBufferSize(100);
    c.setBatchMaxEntries(50);
    // A burst from a tight loop outruns any disk; waiting for room (as loki-send does)
    // is what lets the spool take everything.
    c.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    c.setMinBackoff(20ms);
    c.setMaxBackoff(100ms);
    c.setFlushInterval(100ms);
    c.setShutdownTimeout(200ms);
    return c;
}

bool invariantHolds(const LokiStats &s)
{
    return s.accepted() == s.delivered() + s.dropped() + s.pending();
}

} // namespace

class tst_Spooling : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outageWithSmallMemoryBufferLosesNothing()
    {
        QTemporaryDir dir;
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiLogger logger(spoolConfig(receiver.pushUrl(), dir.path()));
        QVERIFY(logger.isInitialized());
        // Ten times the memory buffer: without the spool 900 would be dropped.
        for (int i = 0; i < 1000; ++i)
            logger.info(QStringLiteral("outage %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(logger.stats().spooled() > 0, 5000);
        LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(1000));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(invariantHolds(s));
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(20s));
        s = logger.stats();
        QCOMPARE(s.delivered(), quint64(1000));
        QCOMPARE(s.spooled(), quint64(0));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(1000));
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().duplicatesIgnored(); }),
                 quint64(0));
    }

    // A Loki that answers, but slowly, keeps a push on the wire all the time. With a spool,
    // what the memory buffer cannot hold meanwhile goes to disk, not to the overflow policy.
    // (Regression: memory spilled only while no push was on the wire, so a slow Loki made the
    // logger drop the oldest entries as buffer_full although a spool was configured.)
    void slowLokiSpillsInsteadOfDropping()
    {
        QTemporaryDir dir;
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.setResponseDelay(5s);
            return true;
        });
        LokiConfig config; // the defaults but the spool (1,000 entries in memory)
        config.setAppName(QStringLiteral("slow"));
        config.setUrl(receiver.pushUrl());
        config.setSpoolDirectory(dir.path());
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        const int capacity = logger.stats().capacity();
        // Three times the memory buffer while the first push waits for its answer, a tenth
        // at a time: after each, memory has room for the next tenth again. (Memory holds the
        // push on the wire, what waits, and what a spill has taken until the disk has it.)
        const auto inMemory = [&logger] {
            const LokiStats s = logger.stats();
            return s.pending() - s.spooled();
        };
        int logged = 0;
        while (logged < 3 * capacity) {
            for (int i = 0; i < capacity / 10; ++i)
                logger.info(QStringLiteral("slow %1").arg(logged++));
            QTRY_VERIFY_WITH_TIMEOUT(inMemory() <= quint64(capacity - capacity / 10), 3000);
            QCOMPARE(logger.stats().dropped(), quint64(0));
        }
        QVERIFY(logger.stats().spooled() > 0);
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().pushRequests(); }),
                 quint64(0));

        receiver.with([](LokiReceiver &r) {
            r.setResponseDelay(0s);
            return true;
        });
        QVERIFY(logger.flush(30s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(logged));
        QCOMPARE(s.dropped(), quint64(0));
        QVERIFY(invariantHolds(s));
        QCOMPARE(receiver.count(), qint64(logged));
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().duplicatesIgnored(); }),
                 quint64(0));
        // The spool kept the order of time.
        const auto entries = receiver.entries();
        for (int i = 0; i < logged; ++i)
            QCOMPARE(entries.at(i).line, QStringLiteral("slow %1").arg(i));
    }

    void restartReplaysWhatWasLeft()
    {
        QTemporaryDir dir;
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        {
            LokiLogger first(spoolConfig(receiver.pushUrl(), dir.path()));
            for (int i = 0; i < 500; ++i)
                first.info(QStringLiteral("first run %1").arg(i));
            first.shutdown(); // the deadline passes: what is pending goes to disk
            const LokiStats s = first.stats();
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.spooled(), quint64(500));
            QVERIFY(invariantHolds(s));
        }
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        LokiLogger second(spoolConfig(receiver.pushUrl(), dir.path()));
        second.info(QStringLiteral("second run"));
        QVERIFY(second.flush(20s));
        const LokiStats s = second.stats();
        QCOMPARE(s.replayed(), quint64(500));
        QCOMPARE(s.accepted(), quint64(501));
        QCOMPARE(s.delivered(), quint64(501));
        QVERIFY(invariantHolds(s));
        QCOMPARE(receiver.count(), qint64(501));
        // Entries keep their identity: the first run's lines arrive in order of time.
        const auto entries = receiver.entries();
        QCOMPARE(entries.first().line, QStringLiteral("first run 0"));
    }

    void unusableDirectoryFallsBackToMemory()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("not-a-directory"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        ReceiverThread receiver;
        LokiLogger logger(spoolConfig(receiver.pushUrl(), file + QStringLiteral("/spool")));
        QVERIFY(logger.isInitialized());
        QTRY_VERIFY(logger.stats().lastError().contains(QLatin1String("spool")));
        logger.info(QStringLiteral("still delivered"));
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(1));
    }

    void secondLoggerOnSameDirectoryIsRefused()
    {
        QTemporaryDir dir;
        ReceiverThread receiver;
        LokiLogger first(spoolConfig(receiver.pushUrl(), dir.path()));
        LokiLogger second(spoolConfig(receiver.pushUrl(), dir.path()));
        QTRY_VERIFY(second.stats().lastError().contains(QLatin1String("spool")));
        QVERIFY(first.stats().lastError().isEmpty());
    }

    void killedProcessLosesNothingThatWasSpooled()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        QTemporaryDir dir;
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        const int count = 5000;
        QProcess child;
        child.start(QStringLiteral(QLOKI_SPOOL_CHILD),
                    {receiver.pushUrl().toString(), QString::number(count), dir.path()});
        QVERIFY(child.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += child.readAllStandardOutput()).contains("spooled"), 30000);
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        LokiLogger restart(spoolConfig(receiver.pushUrl(), dir.path()));
        QVERIFY(restart.flush(30s));
        const LokiStats s = restart.stats();
        QCOMPARE(s.replayed(), quint64(count));
        QCOMPARE(s.delivered(), quint64(count));
        QCOMPARE(receiver.count(), qint64(count));
        QCOMPARE(receiver.with([](LokiReceiver &r) { return r.stats().duplicatesIgnored(); }),
                 quint64(0)); // exactly once
    }
};

QTEST_GUILESS_MAIN(tst_Spooling)
#include "tst_spooling.moc"
