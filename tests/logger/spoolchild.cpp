// SPDX-License-Identifier: MIT
// Logs N entries with a disk spool while Loki is unreachable, says "spooled N" once all
// of them are on disk, then waits to be killed (SIGKILL: no exit path runs).
#include <QLoki/LokiLogger>

#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4)
        return 2;
    LokiConfig config;
    config.setAppName(QStringLiteral("spoolchild"));
    config.setUrl(QUrl(args.at(1)));
    config.setSpoolDirectory(args.at(3));
    config.setBufferSize(200);
    config.setBatchMaxEntries(100);
    config.setOverflowPolicy(QLoki::OverflowPolicy::Block);
    config.setFlushInterval(std::chrono::milliseconds(100));
    config.setMinBackoff(std::chrono::milliseconds(50));
    config.setMaxBackoff(std::chrono::milliseconds(200));
    LokiLogger logger(config);
    if (!logger.isInitialized())
        return 3;
    const quint64 count = args.at(2).toULongLong();
    for (quint64 i = 0; i < count; ++i)
        logger.info(QStringLiteral("spooled entry %1").arg(i));
    bool said = false;
    QObject::connect(&logger, &LokiLogger::statsChanged, &app, [&](const LokiStats &s) {
        if (!said && s.spooled() == count) {
            said = true;
            std::printf("spooled %llu\n", static_cast<unsigned long long>(count));
            std::fflush(stdout);
        }
    });
    logger.flush(std::chrono::milliseconds(0)); // nudges the sender; the stats tell the rest
    return app.exec();
}
