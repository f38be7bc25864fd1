// SPDX-License-Identifier: MIT
// The sender worker's reaction to the system's reachability reports, driven directly:
// no test can switch the machine's network off and on.
#include "logger/senderworker_p.h"
#include "pipeline/entryqueue_p.h"
#include "transport/pusher_p.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QElapsedTimer>
#include <QtTest/QtTest>

using namespace std::chrono_literals;
using namespace QLoki;
using namespace QLoki::detail;

class tst_Reachability : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        LokiReceiver receiver;
        EntryQueue queue;
        std::unique_ptr<SenderWorker> worker;

        Fixture()
        {
            QVERIFY(receiver.listen());
            LokiConfigData config;
            config.appName = QStringLiteral("reach");
            config.endpoints = {{QStringLiteral("loki"), receiver.pushUrl()}};
            config.minBackoff = 20s; // even with jitter, far longer than the test waits
            config.maxBackoff = 30s;
            config.maxRetries = 5;
            config.flushInterval = 60s;
            config.metadataMode = MetadataMode::Structured;
            QString error;
            const PushTarget target = PushTarget::fromConfig(config, &error);
            QVERIFY(error.isEmpty());
            queue.configure(100, qint64(1) << 30, OverflowPolicy::DropOldest, 1 << 20);
            worker = std::make_unique<SenderWorker>(config, target, &queue);
            queue.setWakeTarget(worker.get());
            queue.setAccepting(true);
            worker->start();
        }
        ~Fixture()
        {
            worker->stop();
            queue.setWakeTarget(nullptr);
        }
        void log(const QString &line)
        {
            PendingEntry e;
            e.line = line;
            queue.push(std::move(e), QDateTime::currentMSecsSinceEpoch() * 1000000);
            queue.requestFlush();
        }
    };

private Q_SLOTS:
    void backOnlineRetriesAtOnce()
    {
        Fixture f;
        f.receiver.goDown();
        f.log(QStringLiteral("waits for the network"));
        QTRY_COMPARE_WITH_TIMEOUT(f.queue.stats().state(), State::Retrying, 5000);
        f.worker->onReachabilityChanged(QNetworkInformation::Reachability::Disconnected);
        QVERIFY(f.receiver.comeBack());
        QElapsedTimer clock;
        clock.start();
        f.worker->onReachabilityChanged(QNetworkInformation::Reachability::Online);
        QTRY_COMPARE_WITH_TIMEOUT(f.queue.stats().delivered(), quint64(1), 3000);
        QVERIFY(clock.elapsed() < 2500); // the 10-20 s backoff was not waited out
        QCOMPARE(f.queue.stats().state(), State::Online);
    }

    void flushStillProbesWhileOffline()
    {
        Fixture f;
        f.receiver.goDown();
        f.log(QStringLiteral("no retry while offline"));
        QTRY_COMPARE_WITH_TIMEOUT(f.queue.stats().state(), State::Retrying, 5000);
        f.worker->onReachabilityChanged(QNetworkInformation::Reachability::Disconnected);
        QVERIFY(f.receiver.comeBack());
        // A flush still probes (and succeeds): offline reports never stop delivery for good.
        f.queue.requestFlush();
        QTRY_COMPARE_WITH_TIMEOUT(f.queue.stats().delivered(), quint64(1), 3000);
    }

    void unchangedReachabilityIsIgnored()
    {
        Fixture f;
        f.worker->onReachabilityChanged(QNetworkInformation::Reachability::Online);
        f.log(QStringLiteral("plain delivery"));
        QTRY_COMPARE_WITH_TIMEOUT(f.queue.stats().delivered(), quint64(1), 3000);
    }
};

QTEST_GUILESS_MAIN(tst_Reachability)
#include "tst_reachability.moc"
