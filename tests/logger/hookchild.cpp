// SPDX-License-Identifier: MIT
// A program for tst_messagehandler that sends Qt's messages through the hook of the
// global logger:
//   hookchild fatal <push url>  logs, then ends with qFatal();
//   hookchild warning <push url> the same with qWarning() under QT_FATAL_WARNINGS=1;
//   hookchild exit <push url>   logs with and after a QCoreApplication, and during
//                               static destruction, below a handler installed on top of
//                               the hook.
#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>

#include <cstdio>
#include <optional>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif

namespace {

QtMessageHandler g_belowTop = nullptr;

void topHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    std::fprintf(stderr, "top: %s\n", qPrintable(message));
    g_belowTop(type, context, message);
}

struct LogsDuringStaticDestruction
{
    ~LogsDuringStaticDestruction() { qWarning("static destruction message"); }
};
LogsDuringStaticDestruction g_logsAtExit;

LokiConfig configFor(const char *url)
{
    LokiConfig config;
    config.setAppName(QStringLiteral("hookchild"));
    config.setUrl(QUrl(QString::fromLocal8Bit(url)));
    config.setBatchMaxEntries(10000); // only a flush may send
    config.setFlushInterval(std::chrono::seconds(60));
    return config;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const QByteArray mode = argv[1];
    if (mode == "fatal") {
#if defined(Q_OS_UNIX)
        const rlimit noCore{0, 0}; // the abort is expected: no core file
        setrlimit(RLIMIT_CORE, &noCore);
#endif
        QCoreApplication app(argc, argv);
        if (!Loki::init(configFor(argv[2])) || !Loki::installMessageHandler())
            return 3;
        qInfo("before fatal");
        qFatal("fatal entry");
    }
    if (mode == "warning") { // run with QT_FATAL_WARNINGS=1
#if defined(Q_OS_UNIX)
        const rlimit noCore{0, 0};
        setrlimit(RLIMIT_CORE, &noCore);
#endif
        QCoreApplication app(argc, argv);
        if (!Loki::init(configFor(argv[2])) || !Loki::installMessageHandler())
            return 3;
        qInfo("before fatal");
        qWarning("fatal entry");
        return 4; // not reached: Qt aborts after the warning
    }
    if (mode == "exit") {
        {
            QCoreApplication app(argc, argv);
            if (!Loki::init(configFor(argv[2])) || !Loki::installMessageHandler())
                return 3;
            qInfo("with application");
            g_belowTop = qInstallMessageHandler(topHandler);
            qInfo("below top");
        }
        // The application's destruction shut the logger down, which uninstalled the hook
        // but left it in the chain below topHandler, passing messages on; so it stays
        // during static destruction.
        qInfo("after application");
        return 0;
    }
    return 2;
}
