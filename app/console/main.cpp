// SPDX-License-Identifier: MIT
// qloki-console: send test logs to Loki and watch buffering, retries and delivery.
#include "consoletranslation.h"
#include "consolewindow.h"
#include "screenshottour.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QTextStream>
#include <QtWidgets/QApplication>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"QLoki"_s);
    QCoreApplication::setApplicationName(u"Loki Console"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(QLOKI_CONSOLE_VERSION));

    // The translation is chosen before the options are described, so that --help speaks
    // the same language as the window.
    const QStringList arguments = QCoreApplication::arguments();
    QLocale locale = QLocale::system();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if ((arg == u"--lang"_s || arg == u"-lang"_s) && i + 1 < arguments.size())
            locale = QLocale(arguments.at(i + 1));
        else if (arg.startsWith(u"--lang="_s))
            locale = QLocale(arg.mid(7));
    }
    if (locale != QLocale::system())
        QLocale::setDefault(locale);
    ConsoleTranslation translation;
    translation.install(locale);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QCoreApplication::translate("main", "Send test logs to Loki and watch delivery."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption langOption(
            u"lang"_s,
            QCoreApplication::translate("main", "Use the translation for LOCALE (e.g. zh_CN)."),
            QCoreApplication::translate("main", "LOCALE"));
    const QCommandLineOption screenshotOption(
            u"screenshot"_s,
            QCoreApplication::translate(
                    "main",
                    "Send a small burst, wait until it is delivered, save the window to FILE "
                    "(PNG) and quit."),
            QCoreApplication::translate("main", "FILE"));
    const QCommandLineOption tabOption(
            u"tab"_s,
            QCoreApplication::translate("main",
                                        "Start on tab NAME: connection, send, faults or readback."),
            QCoreApplication::translate("main", "NAME"));
    parser.addOption(langOption);
    parser.addOption(tabOption);
    parser.addOption(screenshotOption);
    parser.process(app);

    const bool screenshot = parser.isSet(screenshotOption);
    ConsoleWindow::Options options;
    // A screenshot shows the defaults, never the user's last session.
    options.useSettings = !screenshot;
    ConsoleWindow window(options);
    if (screenshot)
        window.resize(1200, 800);
    else if (!window.testAttribute(Qt::WA_Resized))
        window.resize(1200, 800);
    const QStringList tabNames = {u"connection"_s, u"send"_s, u"faults"_s, u"readback"_s};
    const qsizetype tab = tabNames.indexOf(parser.value(tabOption).toLower());
    if (parser.isSet(tabOption) && tab < 0) {
        QTextStream(stderr) << QCoreApplication::translate("main", "Unknown tab: %1")
                                       .arg(parser.value(tabOption))
                            << '\n';
        return 2;
    }
    if (tab >= 0)
        window.showTab(ConsoleWindow::Tab(tab));
    window.show();

    ScreenshotTour tour(&window, parser.value(screenshotOption));
    if (tab >= 0)
        tour.setTab(ConsoleWindow::Tab(tab));
    if (screenshot) {
        QObject::connect(&tour, &ScreenshotTour::finished, &app,
                         [](bool ok, const QString &message) {
                             QTextStream(stderr) << message << '\n';
                             QCoreApplication::exit(ok ? 0 : 1);
                         });
        tour.start();
    }
    return app.exec();
}
