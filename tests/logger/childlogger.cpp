// SPDX-License-Identifier: MIT
// A program that logs through the global API and returns from main without flushing:
// the library must deliver everything at exit.
#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc == 2 && qstrcmp(argv[1], "--no-app") == 0) {
        // Before any QCoreApplication: init() must refuse, in words.
        LokiConfig config;
        config.appName = QStringLiteral("child");
        LokiLogger logger;
        const bool started = logger.init(config);
        std::printf("%s\n", qPrintable(logger.errorString()));
        return started ? 1 : 0;
    }
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    LokiConfig config;
    config.appName = QStringLiteral("child");
    config.endpoints = {{QStringLiteral("loki"), QUrl(args.at(1))}};
    config.bufferSize = 100000;
    config.batchMaxEntries = 100000;                 // only the exit path may send
    config.flushInterval = std::chrono::seconds(60);
    config.shutdownTimeout = std::chrono::seconds(20);
    if (!Loki::init(config))
        return 3;
    const int count = args.at(2).toInt();
    for (int i = 0; i < count; ++i)
        Loki::info(QStringLiteral("child entry %1").arg(i), {{QStringLiteral("label_run"), QStringLiteral("exit")}});
    return 0;
}
