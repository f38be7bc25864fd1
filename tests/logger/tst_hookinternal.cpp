// SPDX-License-Identifier: MIT
// What keeps the hook from looping: messages from a thread marked internal (every
// sender thread marks itself when it starts, see LokiLogger::init()) reach only the
// previous handler, never the logger, while other threads' messages still arrive.
#include "integration/messagehandler_p.h"
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtTest/QtTest>

#include <atomic>
#include <thread>

using namespace std::chrono_literals;

namespace {
std::atomic<int> g_previousCalls{0};
void countingHandler(QtMsgType, const QMessageLogContext &, const QString &)
{
    ++g_previousCalls;
}
} // namespace

class tst_HookInternal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void internalThreadsOnlyReachThePreviousHandler()
    {
        const QtMessageHandler original = qInstallMessageHandler(countingHandler);
        {
            ReceiverThread receiver;
            LokiConfig config;
            config.setAppName(QStringLiteral("internal"));
            config.setUrl(receiver.pushUrl());
            config.setFlushInterval(100ms);
            config.setMetadataMode(QLoki::MetadataMode::Structured);
            LokiLogger logger(config);
            QVERIFY(logger.installMessageHandler());
            g_previousCalls = 0;
            std::thread sender([] {
                QLoki::detail::MessageHandler::markInternalThread();
                for (int i = 0; i < 100; ++i)
                    qWarning("a warning on an internal thread %d", i);
            });
            sender.join();
            std::thread other([] { qWarning("a warning on an ordinary thread"); });
            other.join();
            QVERIFY(logger.flush(5s));
            QCOMPARE(g_previousCalls.load(), 101); // the console output is complete
            const auto entries = receiver.entries();
            QCOMPARE(entries.size(), 1);           // only the ordinary thread's message
            QCOMPARE(entries.first().line, QStringLiteral("a warning on an ordinary thread"));
            logger.uninstallMessageHandler();
        }
        qInstallMessageHandler(original);
    }
};

QTEST_GUILESS_MAIN(tst_HookInternal)
#include "tst_hookinternal.moc"
