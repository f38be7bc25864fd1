// SPDX-License-Identifier: MIT
// A program that logs with the default configuration (only the URL set, and a spool where
// asked) and ends the way Qt applications end, to time the exit while Loki is down:
//   exitchild return URL COUNT          returns from main without running the event loop
//   exitchild quit URL COUNT            quits its event loop 100 ms after logging
//   exitchild spool URL COUNT DIR       the same, with a disk spool in DIR
// It prints the milliseconds from the end of logging to the end of main (the exit paths
// that run after main are timed by the caller).
#include <QLoki/Loki>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtCore/QUrl>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4)
        return 2;
    const QString mode = args.at(1);
    LokiConfig config;
    config.setAppName(QStringLiteral("exit-child"));
    config.setUrl(QUrl(args.at(2)));
    if (mode == QLatin1String("spool") && args.size() > 4)
        config.setSpoolDirectory(args.at(4));
    if (!Loki::init(config))
        return 3;
    const int count = args.at(3).toInt();
    for (int i = 0; i < count; ++i)
        Loki::info(QStringLiteral("exit entry %1").arg(i));
    if (mode == QLatin1String("return"))
        return 0;
    QTimer::singleShot(100, &app, &QCoreApplication::quit);
    return app.exec();
}
