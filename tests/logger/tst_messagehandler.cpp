// SPDX-License-Identifier: MIT
#include "childprocess.h"
#include "receiverthread.h"

#include <QLoki/Loki>

#include <QtCore/QLoggingCategory>
#include <QtCore/QMutex>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using QLoki::Level;

Q_LOGGING_CATEGORY(lcHookTest, "hook.test")
Q_LOGGING_CATEGORY(lcOwn, "qloki.test")
Q_LOGGING_CATEGORY(lcLoad, "hook.load")
// Stands for Qt's network stack (qt.network.*), which runs pushes on threads of its own.
Q_LOGGING_CATEGORY(lcNetwork, "qt.network.hooktest")

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("tst"));
    c.setEnvironment(QStringLiteral("test"));
    c.setEndpoints({{QStringLiteral("loki"), url}});
    c.setMinBackoff(20ms);
    c.setMaxBackoff(200ms);
    c.setFlushInterval(100ms);
    c.setRequestTimeout(2s);
    return c;
}

// What a message handler was called with.
struct Captured
{
    QtMsgType type;
    QByteArray category;
    QByteArray file;
    int line;
    QByteArray function;
    QString message;
};

QMutex g_capturedMutex;
QList<Captured> g_captured;
std::atomic<int> g_loadCaptured{0}; // messages of hook.load are only counted

// The handler every test finds installed: it stands for the application's own handler
// (or Qt's default one) that the hook has to keep calling.
void capturingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (qstrcmp(context.category, "hook.load") == 0) {
        ++g_loadCaptured;
        return;
    }
    const QMutexLocker lock(&g_capturedMutex);
    g_captured.append({type, context.category, context.file, context.line, context.function,
                       message});
}

QList<Captured> captured()
{
    const QMutexLocker lock(&g_capturedMutex);
    return g_captured;
}

QStringList capturedMessages()
{
    QStringList lines;
    for (const Captured &c : captured())
        lines.append(c.message);
    return lines;
}

// A handler installed on top of the hook; it chains to what it replaced.
QtMessageHandler g_belowTop = nullptr;
std::atomic<int> g_topCalls{0};

void topHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    ++g_topCalls;
    g_belowTop(type, context, message);
}

QStringList lines(const QList<LokiReceiver::Entry> &entries)
{
    QStringList result;
    for (const auto &e : entries)
        result.append(e.line);
    return result;
}

// The children's console output is compared: Qt's default format, on stderr.
QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"QT_MESSAGE_PATTERN", "QT_LOGGING_RULES", "QT_FATAL_WARNINGS",
                             "QT_FATAL_CRITICALS"}) {
        env.remove(QString::fromLatin1(name));
    }
    env.insert(QStringLiteral("QT_FORCE_STDERR_LOGGING"), QStringLiteral("1"));
    return env;
}

LokiReceiver::Entry entryWithLine(const QList<LokiReceiver::Entry> &entries, const QString &line)
{
    for (const auto &e : entries) {
        if (e.line == line)
            return e;
    }
    return {};
}

} // namespace

class tst_MessageHandler : public QObject
{
    Q_OBJECT

private:
    QtMessageHandler m_testlibHandler = nullptr;

private Q_SLOTS:
    void init()
    {
        {
            const QMutexLocker lock(&g_capturedMutex);
            g_captured.clear();
        }
        m_testlibHandler = qInstallMessageHandler(capturingHandler);
    }

    void cleanup()
    {
        // Whatever a test did, the hook is gone again and the handler found is back.
        QVERIFY(qInstallMessageHandler(m_testlibHandler) == &capturingHandler);
        QLoggingCategory::setFilterRules(QString());
    }

    void notInstalledBeforeInit()
    {
        LokiLogger logger;
        QVERIFY(!logger.installMessageHandler());
        qWarning("not installed");
        QCOMPARE(capturedMessages(), QStringList{QStringLiteral("not installed")});
    }

    void levelsArrive_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("level");
        QTest::newRow("debug") << int(QtDebugMsg) << QStringLiteral("debug");
        QTest::newRow("info") << int(QtInfoMsg) << QStringLiteral("info");
        QTest::newRow("warning") << int(QtWarningMsg) << QStringLiteral("warning");
        QTest::newRow("critical") << int(QtCriticalMsg) << QStringLiteral("error");
    }

    void levelsArrive()
    {
        QFETCH(int, type);
        QFETCH(QString, level);
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        switch (QtMsgType(type)) {
        case QtDebugMsg:
            qDebug("a message");
            break;
        case QtInfoMsg:
            qInfo("a message");
            break;
        case QtWarningMsg:
            qWarning("a message");
            break;
        default:
            qCritical("a message");
            break;
        }
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(lines(entries), QStringList{QStringLiteral("a message")});
        QCOMPARE(entries.at(0).labels.value(QStringLiteral("level")), level);
        QCOMPARE(entries.at(0).labels.value(QStringLiteral("app")), QStringLiteral("tst"));
        // The default category is no label.
        QVERIFY(!entries.at(0).labels.contains(QStringLiteral("category")));
    }

    void categoryBecomesLabel()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        qCWarning(lcHookTest, "with category");
        qWarning("without category");
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 2);
        const auto with = entryWithLine(entries, QStringLiteral("with category"));
        QCOMPARE(with.labels.value(QStringLiteral("category")), QStringLiteral("hook.test"));
        QCOMPARE(with.labels.value(QStringLiteral("level")), QStringLiteral("warning"));
        const auto without = entryWithLine(entries, QStringLiteral("without category"));
        QCOMPARE(without.line, QStringLiteral("without category"));
        QVERIFY(!without.labels.contains(QStringLiteral("category")));
    }

    void filterRulesKeepWorking()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        QLoggingCategory::setFilterRules(QStringLiteral("hook.test.debug=false"));
        qCDebug(lcHookTest, "filtered out");
        qCInfo(lcHookTest, "let through");
        QVERIFY(logger.flush(5s));
        QCOMPARE(lines(receiver.entries()), QStringList{QStringLiteral("let through")});
        QCOMPARE(capturedMessages(), QStringList{QStringLiteral("let through")});

        QLoggingCategory::setFilterRules(QStringLiteral("hook.test.debug=true"));
        qCDebug(lcHookTest, "enabled again");
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(2));
        QCOMPARE(entryWithLine(receiver.entries(), QStringLiteral("enabled again"))
                     .labels.value(QStringLiteral("level")),
                 QStringLiteral("debug"));
    }

    void minimumLevel()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler(Level::Warning));
        qDebug("debug below");
        qInfo("info below");
        qWarning("warning sent");
        qCritical("critical sent");
        QVERIFY(logger.flush(5s));
        QStringList sent = lines(receiver.entries());
        sent.sort();
        QCOMPARE(sent, (QStringList{QStringLiteral("critical sent"), QStringLiteral("warning sent")}));
        // The previous handler still sees all of them, in order.
        QCOMPARE(capturedMessages(),
                 (QStringList{QStringLiteral("debug below"), QStringLiteral("info below"),
                              QStringLiteral("warning sent"), QStringLiteral("critical sent")}));

        // Installing again on the owner changes the minimum level.
        QVERIFY(logger.installMessageHandler(Level::Debug));
        qDebug("debug now sent");
        QVERIFY(logger.flush(5s));
        QVERIFY(lines(receiver.entries()).contains(QStringLiteral("debug now sent")));
    }

    void contextBecomesMetadata()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        const int line = __LINE__ + 1;
        qCInfo(lcHookTest, "with context");
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        const auto &metadata = entries.at(0).structuredMetadata;
        QCOMPARE(metadata.value(QStringLiteral("file")), QString::fromUtf8(__FILE__));
        QCOMPARE(metadata.value(QStringLiteral("line")), QString::number(line));
        QVERIFY2(metadata.value(QStringLiteral("function")).contains(QLatin1String("contextBecomesMetadata")),
                 qPrintable(metadata.value(QStringLiteral("function"))));
        QCOMPARE(metadata.value(QStringLiteral("thread")), QStringLiteral("main"));
        // Metadata is not a stream label.
        QVERIFY(!entries.at(0).labels.contains(QStringLiteral("file")));
        QVERIFY(!entries.at(0).labels.contains(QStringLiteral("thread")));
    }

    void previousHandlerGetsIdenticalArguments()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        // What the previous handler gets without the hook ...
        const auto emitAll = [] {
            qDebug("plain debug %d", 1);
            qInfo() << "streamed" << 42 << QStringLiteral("text");
            qCWarning(lcHookTest, "category warning");
            qCCritical(lcOwn, "own category");
            qCritical("unicode \xc3\xa4\xe2\x82\xac");
        };
        emitAll();
        const QList<Captured> without = captured();
        QCOMPARE(without.size(), 5);
        {
            const QMutexLocker lock(&g_capturedMutex);
            g_captured.clear();
        }
        // ... it gets unchanged with the hook, also for what is not sent.
        QVERIFY(logger.installMessageHandler(Level::Info));
        emitAll();
        const QList<Captured> with = captured();
        QCOMPARE(with.size(), without.size());
        for (int i = 0; i < with.size(); ++i) {
            QCOMPARE(with.at(i).type, without.at(i).type);
            QCOMPARE(with.at(i).category, without.at(i).category);
            QCOMPARE(with.at(i).function, without.at(i).function);
            QCOMPARE(with.at(i).file, without.at(i).file);
            QCOMPARE(with.at(i).line, without.at(i).line);
            QVERIFY(with.at(i).line != 0);
            QCOMPARE(with.at(i).message, without.at(i).message);
        }
        QVERIFY(logger.flush(5s));
        // Debug is below the minimum, qloki.* stays out.
        QStringList sent = lines(receiver.entries());
        sent.sort();
        QCOMPARE(sent, (QStringList{QStringLiteral("category warning"),
                                    QStringLiteral("streamed 42 \"text\""),
                                    QString::fromUtf8("unicode \xc3\xa4\xe2\x82\xac")}));
    }

    void uninstallRestoresPrevious()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        qWarning("sent");
        logger.uninstallMessageHandler();
        qWarning("not sent");
        QVERIFY(logger.flush(5s));
        QCOMPARE(lines(receiver.entries()), QStringList{QStringLiteral("sent")});
        QCOMPARE(capturedMessages(), (QStringList{QStringLiteral("sent"), QStringLiteral("not sent")}));
        // Exactly the handler found before is installed again.
        QVERIFY(qInstallMessageHandler(capturingHandler) == &capturingHandler);
        // Uninstalling twice, or from a logger that does not own the hook, changes nothing.
        logger.uninstallMessageHandler();
        LokiLogger other(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        other.uninstallMessageHandler();
        qWarning("still sent");
        QVERIFY(logger.flush(5s));
        QVERIFY(lines(receiver.entries()).contains(QStringLiteral("still sent")));
        logger.uninstallMessageHandler();
    }

    void uninstallBelowAnotherHandler()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        g_topCalls = 0;
        g_belowTop = qInstallMessageHandler(topHandler);
        qWarning("through both");
        logger.uninstallMessageHandler();
        // The handler on top stays, and the hook below it only passes messages on.
        qWarning("passed on");
        QCOMPARE(g_topCalls.load(), 2);
        QCOMPARE(capturedMessages(), (QStringList{QStringLiteral("through both"), QStringLiteral("passed on")}));
        QVERIFY(logger.flush(5s));
        QCOMPARE(lines(receiver.entries()), QStringList{QStringLiteral("through both")});

        // The application removes its handler; installing and uninstalling again then
        // restores the original handler.
        QVERIFY(qInstallMessageHandler(g_belowTop) == &topHandler);
        QVERIFY(logger.installMessageHandler());
        qWarning("hook again");
        logger.uninstallMessageHandler();
        QVERIFY(logger.flush(5s));
        QVERIFY(lines(receiver.entries()).contains(QStringLiteral("hook again")));
        QCOMPARE(g_topCalls.load(), 2);
    }

    void threadsArrive()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        std::thread plain([] { qInfo("from std::thread"); });
        plain.join();
        std::unique_ptr<QThread> named(QThread::create([] { qInfo("from QThread"); }));
        named->setObjectName(QStringLiteral("hook-worker"));
        named->start();
        QVERIFY(named->wait(5000));
        qInfo("from main");
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 3);
        const QString plainThread = entryWithLine(entries, QStringLiteral("from std::thread"))
                                        .structuredMetadata.value(QStringLiteral("thread"));
        QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]+$")).match(plainThread).hasMatch(),
                 qPrintable(plainThread));
        QCOMPARE(entryWithLine(entries, QStringLiteral("from QThread"))
                     .structuredMetadata.value(QStringLiteral("thread")),
                 QStringLiteral("hook-worker"));
        QCOMPARE(entryWithLine(entries, QStringLiteral("from main"))
                     .structuredMetadata.value(QStringLiteral("thread")),
                 QStringLiteral("main"));
    }

    void eightThreadsThroughQDebugExactCounts()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBufferSize(10000);
        LokiLogger logger(config);
        QVERIFY(logger.installMessageHandler());
        const int perThread = 500;
        const auto work = [perThread](int t) {
            for (int i = 0; i < perThread; ++i)
                qDebug("thread %d message %d", t, i);
        };
        std::vector<std::thread> plain;
        std::vector<std::unique_ptr<QThread>> qthreads;
        for (int t = 0; t < 4; ++t) {
            plain.emplace_back(work, t);
            qthreads.emplace_back(QThread::create(work, 4 + t));
            qthreads.back()->start();
        }
        for (auto &t : plain)
            t.join();
        for (auto &t : qthreads)
            QVERIFY(t->wait(10000));
        QVERIFY(logger.flush(10s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(8 * perThread));
        QCOMPARE(s.delivered(), quint64(8 * perThread));
        QCOMPARE(receiver.count(), qint64(8 * perThread));
    }

    void ownCategoriesAreNotSent()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        qCWarning(lcOwn, "own diagnostics");
        qCCritical(lcOwn, "own critical");
        qWarning("application warning");
        QVERIFY(logger.flush(5s));
        QCOMPARE(lines(receiver.entries()), QStringList{QStringLiteral("application warning")});
        QCOMPARE(capturedMessages(),
                 (QStringList{QStringLiteral("own diagnostics"), QStringLiteral("own critical"),
                              QStringLiteral("application warning")}));
    }

    void hookMovesBetweenLoggers()
    {
        ReceiverThread first;
        ReceiverThread second;
        LokiLogger a(configFor(first.pushUrl()));
        auto b = std::make_unique<LokiLogger>(configFor(second.pushUrl()));
        QVERIFY(a.installMessageHandler());
        qWarning("to a");
        QVERIFY(b->installMessageHandler());
        qWarning("to b");
        // a no longer owns the hook: its uninstall changes nothing.
        a.uninstallMessageHandler();
        qWarning("to b again");
        QVERIFY(a.flush(5s));
        QVERIFY(b->flush(5s));
        QCOMPARE(lines(first.entries()), QStringList{QStringLiteral("to a")});
        QStringList toB = lines(second.entries());
        toB.sort();
        QCOMPARE(toB, (QStringList{QStringLiteral("to b"), QStringLiteral("to b again")}));
        // Destroying the owner uninstalls; every message reached the previous handler once.
        b.reset();
        qWarning("after b");
        QCOMPARE(capturedMessages(),
                 (QStringList{QStringLiteral("to a"), QStringLiteral("to b"),
                              QStringLiteral("to b again"), QStringLiteral("after b")}));
    }

    void destroyingTheLoggerUninstalls()
    {
        ReceiverThread receiver;
        {
            LokiLogger logger(configFor(receiver.pushUrl()));
            QVERIFY(logger.installMessageHandler());
            qWarning("before destruction");
        }
        qWarning("after destruction");
        QCOMPARE(capturedMessages(),
                 (QStringList{QStringLiteral("before destruction"), QStringLiteral("after destruction")}));
        // The destructor delivered what the hook had sent.
        QTRY_COMPARE(lines(receiver.entries()), QStringList{QStringLiteral("before destruction")});

        // shutdown() uninstalls as well.
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        logger.shutdown();
        QVERIFY(qInstallMessageHandler(capturingHandler) == &capturingHandler);
    }

    // A thread that waits for room (OverflowPolicy::Block) holds no lock other threads need:
    // their messages still reach the previous handler and, from Qt's network stack (which
    // carries the pushes that make room), return at once, counted as dropped.
    void blockedCallerStallsNoOtherThread()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.goDown(); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setOverflowPolicy(QLoki::OverflowPolicy::Block); // what is under test
        config.setBufferSize(2);
        LokiLogger logger(config);
        QVERIFY(logger.installMessageHandler());
        std::atomic<bool> blockedReturned{false};
        std::thread blocked([&] {
            for (int i = 0; i < 3; ++i)
                qCWarning(lcHookTest, "fills %d", i);
            blockedReturned = true;
        });
        // On a failed check the threads are joined, not left running (std::terminate).
        std::thread network;
        const auto joinThreads = qScopeGuard([&] {
            if (network.joinable())
                network.join();
            if (blocked.joinable()) {
                logger.shutdown(); // releases a caller waiting for room
                blocked.join();
            }
        });
        QTRY_COMPARE(logger.stats().accepted(), quint64(2));
        QVERIFY(!blockedReturned);
        std::atomic<bool> networkReturned{false};
        network = std::thread([&] {
            qCWarning(lcNetwork, "from the network stack");
            networkReturned = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(networkReturned.load(), 2000);
        network.join();
        QVERIFY(capturedMessages().contains(QStringLiteral("from the network stack")));
        // A retry may be on the wire at that moment: then the message is not taken at all
        // (it is about that push); else it is taken without waiting and dropped in the call.
        // Either way the call decided before returning, and nothing else moved.
        const quint64 networkDropped = logger.stats().dropped(QLoki::DropReason::BufferFull);
        QVERIFY(networkDropped <= 1);
        QCOMPARE(logger.stats().accepted(), quint64(2) + networkDropped);
        QVERIFY(!blockedReturned);
        // Loki comes back: the pushes make room and the blocked caller goes on.
        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        QVERIFY(logger.flush(20s));
        QTRY_VERIFY_WITH_TIMEOUT(blockedReturned.load(), 20000);
        blocked.join();
        QVERIFY(logger.flush(20s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(3) + networkDropped);
        QCOMPARE(s.delivered(), quint64(3));
        QCOMPARE(s.dropped(QLoki::DropReason::BufferFull), networkDropped);
        logger.uninstallMessageHandler();
    }

    // What Qt's network stack says on its own threads while a push is on the wire is about
    // that push: it does not go to Loki, or each push would make the next.
    void networkMessagesDuringAPushDoNotFeedBack()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.setResponseDelay(1500ms); return true; });
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.installMessageHandler());
        logger.info(QStringLiteral("starts a push"));
        logger.flush(0ms);
        // The push is on the wire while the receiver holds its answer.
        QTRY_COMPARE(logger.stats().inFlightBatches(), 1);
        std::thread([] { qCWarning(lcNetwork, "during the push"); }).join();
        QVERIFY(logger.flush(10s));
        receiver.with([](LokiReceiver &r) { r.setResponseDelay(0ms); return true; });
        std::thread([] { qCWarning(lcNetwork, "no push on the wire"); }).join();
        QVERIFY(logger.flush(10s));
        QCOMPARE(lines(receiver.entries()),
                 (QStringList {QStringLiteral("starts a push"), QStringLiteral("no push on the wire")}));
        // The previous handler saw both, as always.
        QVERIFY(capturedMessages().contains(QStringLiteral("during the push")));
        logger.uninstallMessageHandler();
    }

    void destroyingTheLoggerWhileThreadsLog()
    {
        ReceiverThread receiver;
        auto logger = std::make_unique<LokiLogger>(configFor(receiver.pushUrl()));
        QVERIFY(logger->installMessageHandler());
        g_loadCaptured = 0;
        std::atomic<bool> destroyed{false};
        std::atomic<bool> stop{false};
        std::atomic<int> emitted{0};
        std::atomic<int> emittedAfter{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                while (!stop.load()) {
                    const bool after = destroyed.load();
                    qCDebug(lcLoad, "busy");
                    ++emitted;
                    if (after)
                        ++emittedAfter;
                }
            });
        }
        QTRY_VERIFY_WITH_TIMEOUT(receiver.count() > 100, 10000);
        logger.reset();
        destroyed = true;
        QTRY_VERIFY(emittedAfter.load() > 1000);
        stop = true;
        for (auto &thread : threads)
            thread.join();
        // Every message reached the previous handler, before and after the destruction,
        // and only what was logged before it reached the receiver.
        QCOMPARE(g_loadCaptured.load(), emitted.load());
        const qint64 delivered = receiver.count();
        QVERIFY(delivered > 100);
        QVERIFY(delivered <= emitted.load() - emittedAfter.load());
    }

    void fatalIsDeliveredBeforeAbort_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("level");
        QTest::newRow("qFatal") << QStringLiteral("fatal") << QStringLiteral("critical");
        QTest::newRow("QT_FATAL_WARNINGS") << QStringLiteral("warning") << QStringLiteral("warning");
    }

    void fatalIsDeliveredBeforeAbort()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        QFETCH(QString, mode);
        QFETCH(QString, level);
        ReceiverThread receiver;
        QProcess child;
        QProcessEnvironment env = childEnvironment();
        if (mode == QLatin1String("warning"))
            env.insert(QStringLiteral("QT_FATAL_WARNINGS"), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QStringLiteral(QLOKI_HOOK_CHILD), {mode, receiver.pushUrl().toString()});
        QVERIFY(child.waitForFinished(30000));
        const QByteArray errors = child.readAllStandardError();
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        QVERIFY2(errors.contains("fatal entry"), errors.constData());
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entryWithLine(entries, QStringLiteral("fatal entry")).labels.value(QStringLiteral("level")),
                 level);
        QCOMPARE(entryWithLine(entries, QStringLiteral("before fatal")).labels.value(QStringLiteral("level")),
                 QStringLiteral("info"));
    }

    void hookOutlivesApplicationAndStatics()
    {
        QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN();
        ReceiverThread receiver;
        QProcess child;
        child.setProcessEnvironment(childEnvironment());
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QStringLiteral(QLOKI_HOOK_CHILD), {QStringLiteral("exit"), receiver.pushUrl().toString()});
        QVERIFY(child.waitForFinished(30000));
        const QByteArray errors = child.readAllStandardError();
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        QStringList sent = lines(receiver.entries());
        sent.sort();
        QCOMPARE(sent, (QStringList{QStringLiteral("below top"), QStringLiteral("with application")}));
        // After the application and during static destruction the messages went through
        // the handler on top and the hook below it to Qt's default handler.
        QVERIFY2(errors.contains("top: below top\nbelow top\n"), errors.constData());
        QVERIFY2(errors.contains("top: after application\nafter application\n"), errors.constData());
        QVERIFY2(errors.contains("top: static destruction message\nstatic destruction message\n"),
                 errors.constData());
    }
};

QTEST_GUILESS_MAIN(tst_MessageHandler)
#include "tst_messagehandler.moc"
