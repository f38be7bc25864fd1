// SPDX-License-Identifier: MIT
// What every example shares: where Loki is, and the closing report.
#pragma once

#include <QLoki/LokiStats>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>

#include <cstdio>

namespace example {

//! The Loki URL from --url, else LOKI_URL, else http://localhost:3100.
inline QUrl lokiUrl(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption url(QStringLiteral("url"),
                                 QStringLiteral("Loki URL (default: LOKI_URL, else "
                                                "http://localhost:3100)."),
                                 QStringLiteral("url"));
    parser.addOption(url);
    parser.process(app);
    if (parser.isSet(url))
        return QUrl::fromUserInput(parser.value(url));
    const QByteArray fromEnv = qgetenv("LOKI_URL");
    return QUrl::fromUserInput(fromEnv.isEmpty() ? QStringLiteral("http://localhost:3100")
                                                 : QString::fromLocal8Bit(fromEnv));
}

//! Prints \a what on stdout.
inline void say(const QString &what)
{
    std::printf("%s\n", what.toLocal8Bit().constData());
    std::fflush(stdout);
}

//! Prints how the entries fared; returns the exit status (0: all delivered).
inline int report(const LokiStats &stats)
{
    say(QStringLiteral("accepted %1, delivered %2, dropped %3, pending %4")
            .arg(stats.accepted())
            .arg(stats.delivered())
            .arg(stats.dropped())
            .arg(stats.pending()));
    if (!stats.lastError().isEmpty())
        say(QStringLiteral("last error: %1").arg(stats.lastError()));
    return stats.delivered() == stats.accepted() ? 0 : 1;
}

} // namespace example
