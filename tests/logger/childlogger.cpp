// SPDX-License-Identifier: MIT
// A program that logs through the global API and returns from main without flushing:
// the library must deliver everything at exit.
#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaEnum>
#include <QtCore/QUrl>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc == 2 && qstrcmp(argv[1], "--no-app") == 0) {
        // Before any QCoreApplication: init() must refuse, by name and in words.
        LokiConfig config;
        config.setAppName(QStringLiteral("child"));
        LokiLogger logger;
        const bool started = logger.init(config);
        std::printf("%s\n%s\n", QMetaEnum::fromType<LokiLogger::Error>().valueToKey(logger.error()),
                    qPrintable(logger.errorString()));
        return started ? 1 : 0;
    }
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3)
        return 2;
    LokiConfig config;
    config.setAppName(QStringLiteral("child"));
    config.setUrl(QUrl(args.at(1)));
    config.setBufferSize(100000);
    config.setBatchMaxEntries(100000);                 // only the exit path may send
    config.setFlushInterval(std::chrono::seconds(60));
    config.setShutdownTimeout(std::chrono::seconds(20));
    if (!Loki::init(config))
        return 3;
    const int count = args.at(2).toInt();
    for (int i = 0; i < count; ++i)
        Loki::info(QStringLiteral("child entry %1").arg(i), {{QStringLiteral("label_run"), QStringLiteral("exit")}});
    return 0;
}
