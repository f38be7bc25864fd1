// SPDX-License-Identifier: MIT
// qDebug() and friends of an existing widgets app go to Loki (LOKI_URL, else
// http://localhost:3100) with three lines of setup, and still print as before.
#include <QLoki/Loki>

#include <QtCore/QLoggingCategory>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>
#include <QtWidgets/QWidget>

Q_LOGGING_CATEGORY(lcUi, "example.ui")

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);

    // The setup: an application name, init, the hook.
    LokiConfig config = LokiConfig::fromEnvironment();
    config.setAppName(QStringLiteral("widgets-app"));
    Loki::init(config);
    Loki::installMessageHandler();

    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *button = new QPushButton(QStringLiteral("Log in"));
    auto *status = new QLabel(QStringLiteral("Nothing sent yet"));
    layout->addWidget(button);
    layout->addWidget(status);

    // Becomes an info entry with the label category="example.ui".
    QObject::connect(button, &QPushButton::clicked, [] { qCInfo(lcUi) << "user login ok"; });
    QObject::connect(Loki::instance(), &LokiLogger::statsChanged, status,
                     [status](const LokiStats &stats) {
                         status->setText(QStringLiteral("%1 delivered, %2 pending")
                                                 .arg(stats.delivered())
                                                 .arg(stats.pending()));
                     });

    window.show();
    return app.exec();
}
