// SPDX-License-Identifier: MIT
// Sends console.log() and qDebug() output and the Loki.info() calls of main.qml to Loki
// (LOKI_URL, else http://localhost:3100).
#include <QLoki/Loki>

#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);

    LokiConfig config = LokiConfig::fromEnvironment();
    config.setAppName(QStringLiteral("qml-app"));
    Loki::init(config);
    Loki::installMessageHandler();

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(QLOKI_QML_IMPORT_PATH));
    engine.load(QUrl(QStringLiteral("qrc:/main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
