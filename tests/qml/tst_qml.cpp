// SPDX-License-Identifier: MIT
#include "receiverthread.h"

#include <QLoki/Loki>

#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>
#include <QtTest/QtTest>

#include <memory>

namespace {

const LokiReceiver::Entry *entryWithLine(const QList<LokiReceiver::Entry> &entries,
                                         const QString &line)
{
    for (const LokiReceiver::Entry &entry : entries) {
        if (entry.line == line)
            return &entry;
    }
    return nullptr;
}

} // namespace

class tst_Qml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void stoppedBeforeInit();
    void initRejectsBadConfig();
    void initFromQml();
    void logWithFields();
    void propertiesFollowTheLogger();
    void stateFollowsFailures();
    void logLevels();
    void consoleLogThroughTheHook();

private:
    //! Creates an object from QML source that imports QLoki.
    std::unique_ptr<QObject> create(const QByteArray &body);

    ReceiverThread m_receiver;
    std::unique_ptr<QQmlEngine> m_engine;
};

std::unique_ptr<QObject> tst_Qml::create(const QByteArray &body)
{
    // QML is the engine's built-in module (QtObject, Component): unlike QtQml it needs no
    // QML module package installed.
    QQmlComponent component(m_engine.get());
    component.setData("import QML\nimport QLoki\n" + body, QUrl(QStringLiteral("tst_qml.qml")));
    std::unique_ptr<QObject> object(component.create());
    if (!object)
        qWarning().noquote() << component.errorString();
    return object;
}

void tst_Qml::initTestCase()
{
    m_engine = std::make_unique<QQmlEngine>();
    m_engine->addImportPath(QStringLiteral(QLOKI_QML_IMPORT_PATH));
}

void tst_Qml::cleanupTestCase()
{
    Loki::uninstallMessageHandler();
    m_engine.reset();
    Loki::shutdown();
}

void tst_Qml::stoppedBeforeInit()
{
    const auto object = create(R"(QtObject {
        property string state: Loki.state
        property int stateCode: Loki.stateCode
        property bool stopped: Loki.stateCode === Loki.Stopped
        property bool initialized: Loki.initialized
    })");
    QVERIFY(object);
    QCOMPARE(object->property("state").toString(), QStringLiteral("Stopped"));
    QCOMPARE(object->property("stateCode").toInt(), int(QLoki::State::Stopped));
    QCOMPARE(object->property("stopped").toBool(), true);
    QCOMPARE(object->property("initialized").toBool(), false);
}

void tst_Qml::initRejectsBadConfig()
{
    const auto object = create(R"(QtObject {
        function unknownKey() { return Loki.init({ appName: "tst-qml", colour: "red" }) }
        function noAppName() { return Loki.init({ url: "http://127.0.0.1:1" }) }
        property string errorString: Loki.errorString
    })");
    QVERIFY(object);
    QVariant ok;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "unknownKey", Q_RETURN_ARG(QVariant, ok)));
    QCOMPARE(ok.toBool(), false);
    QVERIFY2(object->property("errorString").toString().contains(QLatin1String("colour")),
             qPrintable(object->property("errorString").toString()));
    QVERIFY(QMetaObject::invokeMethod(object.get(), "noAppName", Q_RETURN_ARG(QVariant, ok)));
    QCOMPARE(ok.toBool(), false);
    QVERIFY(!object->property("errorString").toString().isEmpty());
    QVERIFY(!Loki::instance()->isInitialized());
}

void tst_Qml::initFromQml()
{
    const auto object = create(R"(QtObject {
        property url pushUrl
        function start() {
            return Loki.init({ appName: "tst-qml", environment: "test", url: pushUrl.toString(),
                               flushInterval: 0.1, minBackoff: 0.02, maxBackoff: 0.2,
                               requestTimeout: 2, maxRetries: 2 })
        }
        property string state: Loki.state
        property bool initialized: Loki.initialized
        property string errorString: Loki.errorString
    })");
    QVERIFY(object);
    object->setProperty("pushUrl", m_receiver.pushUrl());
    QVariant ok;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "start", Q_RETURN_ARG(QVariant, ok)));
    QVERIFY2(ok.toBool(), qPrintable(object->property("errorString").toString()));
    QCOMPARE(object->property("errorString").toString(), QString());
    QCOMPARE(object->property("initialized").toBool(), true);
    QCOMPARE(object->property("state").toString(), QStringLiteral("Online"));

    const LokiConfig config = Loki::instance()->config();
    QCOMPARE(config.appName(), QStringLiteral("tst-qml"));
    QCOMPARE(config.environment(), QStringLiteral("test"));
    QCOMPARE(config.pushUrl(), m_receiver.pushUrl());
    QCOMPARE(config.flushInterval(), std::chrono::milliseconds(100));
    QCOMPARE(config.maxRetries(), 2);
}

void tst_Qml::logWithFields()
{
    const auto object = create(R"(QtObject {
        function send() {
            Loki.info("from qml", { label_component: "ui", labels: { screen: "main" },
                                    user_id: 42, ratio: 0.5, tags: ["a", "b"] })
            return Loki.flush(5000)
        }
        property double delivered: Loki.delivered
        property double accepted: Loki.accepted
        property double pending: Loki.pending
    })");
    QVERIFY(object);
    const double deliveredBefore = object->property("delivered").toDouble();
    QSignalSpy deliveredSpy(object.get(), SIGNAL(deliveredChanged()));

    QVariant flushed;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "send", Q_RETURN_ARG(QVariant, flushed)));
    QCOMPARE(flushed.toBool(), true);
    // flush() refreshes the properties before it returns.
    QCOMPARE(object->property("delivered").toDouble(), deliveredBefore + 1);
    QCOMPARE(object->property("pending").toDouble(), 0.0);
    QVERIFY(deliveredSpy.count() >= 1);

    const auto entries = m_receiver.entries();
    const LokiReceiver::Entry *entry = entryWithLine(entries, QStringLiteral("from qml"));
    QVERIFY(entry);
    QCOMPARE(entry->labels.value(QStringLiteral("app")), QStringLiteral("tst-qml"));
    QCOMPARE(entry->labels.value(QStringLiteral("environment")), QStringLiteral("test"));
    QCOMPARE(entry->labels.value(QStringLiteral("level")), QStringLiteral("info"));
    QCOMPARE(entry->labels.value(QStringLiteral("component")), QStringLiteral("ui"));
    QCOMPARE(entry->labels.value(QStringLiteral("screen")), QStringLiteral("main"));
    QVERIFY(!entry->labels.contains(QStringLiteral("user_id")));
    QCOMPARE(entry->structuredMetadata.value(QStringLiteral("user_id")), QStringLiteral("42"));
    QCOMPARE(entry->structuredMetadata.value(QStringLiteral("ratio")), QStringLiteral("0.5"));
    QVERIFY(entry->structuredMetadata.contains(QStringLiteral("tags")));
    QVERIFY(!entry->structuredMetadata.contains(QStringLiteral("labels")));
}

void tst_Qml::propertiesFollowTheLogger()
{
    // Logging from C++ updates the QML properties through the logger's statsChanged().
    const auto object = create(R"(QtObject {
        property double delivered: Loki.delivered
        property double accepted: Loki.accepted
        property string summary: Loki.delivered + " of " + Loki.accepted
    })");
    QVERIFY(object);
    const double delivered = object->property("delivered").toDouble();
    const double accepted = object->property("accepted").toDouble();
    for (int i = 0; i < 3; ++i)
        Loki::info(QStringLiteral("from c++ %1").arg(i));
    QVERIFY(Loki::flush(std::chrono::seconds(5)));
    QTRY_COMPARE(object->property("delivered").toDouble(), delivered + 3);
    QCOMPARE(object->property("accepted").toDouble(), accepted + 3);
    QCOMPARE(object->property("summary").toString(),
             QStringLiteral("%1 of %2").arg(delivered + 3).arg(accepted + 3));
}

void tst_Qml::stateFollowsFailures()
{
    const auto object = create(R"(QtObject {
        property string state: Loki.state
        property bool offline: Loki.stateCode === Loki.Offline
        property double retries: Loki.retries
        property string lastError: Loki.lastError
        property var states: []
        onStateChanged: states.push(state)
    })");
    QVERIFY(object);
    QCOMPARE(object->property("state").toString(), QStringLiteral("Online"));
    const double retries = object->property("retries").toDouble();

    m_receiver.with([](LokiReceiver &r) {
        r.failNextPushes(1000, 503);
        return true;
    });
    Loki::warning(QStringLiteral("while loki is down"));
    QTRY_COMPARE_WITH_TIMEOUT(object->property("state").toString(), QStringLiteral("Offline"),
                              10000);
    QCOMPARE(object->property("offline").toBool(), true);
    QVERIFY(object->property("retries").toDouble() >= retries + 2);
    QVERIFY(object->property("lastError").toString().contains(QLatin1String("503")));

    m_receiver.with([](LokiReceiver &r) {
        r.clearFaults();
        return true;
    });
    QVERIFY(Loki::flush(std::chrono::seconds(5)));
    QTRY_COMPARE(object->property("state").toString(), QStringLiteral("Online"));
    QTRY_COMPARE(object->property("lastError").toString(), QString());
    const QStringList states = object->property("states").toStringList();
    QVERIFY2(states.contains(QStringLiteral("Offline")), qPrintable(states.join(u',')));
    QVERIFY(entryWithLine(m_receiver.entries(), QStringLiteral("while loki is down")));
}

void tst_Qml::logLevels()
{
    const auto object = create(R"(QtObject {
        function send() {
            Loki.debug("qml debug")
            Loki.warning("qml warning")
            Loki.error("qml error")
            Loki.critical("qml critical")
            const known = Loki.log("warn", "qml log warn", { label_via: "log" })
            const unknown = Loki.log("loud", "never sent")
            return known && !unknown && Loki.flush(5000)
        }
    })");
    QVERIFY(object);
    QVariant ok;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "send", Q_RETURN_ARG(QVariant, ok)));
    QCOMPARE(ok.toBool(), true);

    const auto entries = m_receiver.entries();
    const QList<QPair<QString, QString>> expected = {
            {QStringLiteral("qml debug"), QStringLiteral("debug")},
            {QStringLiteral("qml warning"), QStringLiteral("warning")},
            {QStringLiteral("qml error"), QStringLiteral("error")},
            {QStringLiteral("qml critical"), QStringLiteral("critical")},
            {QStringLiteral("qml log warn"), QStringLiteral("warning")},
    };
    for (const auto &[line, level] : expected) {
        const LokiReceiver::Entry *entry = entryWithLine(entries, line);
        QVERIFY2(entry, qPrintable(line));
        QCOMPARE(entry->labels.value(QStringLiteral("level")), level);
    }
    QCOMPARE(entryWithLine(entries, QStringLiteral("qml log warn"))
                     ->labels.value(QStringLiteral("via")),
             QStringLiteral("log"));
    QVERIFY(!entryWithLine(entries, QStringLiteral("never sent")));
}

void tst_Qml::consoleLogThroughTheHook()
{
    const auto object = create(R"(QtObject {
        function install(level) { return Loki.installMessageHandler(level) }
        function speak() {
            console.log("console log")
            console.info("console info")
            console.warn("console warn")
            console.error("console error")
            return Loki.flush(5000)
        }
        function uninstall() { Loki.uninstallMessageHandler() }
    })");
    QVERIFY(object);
    QVariant ok;
    QVERIFY(QMetaObject::invokeMethod(object.get(), "install", Q_RETURN_ARG(QVariant, ok),
                                      Q_ARG(QVariant, QStringLiteral("loud"))));
    QCOMPARE(ok.toBool(), false);
    QVERIFY(QMetaObject::invokeMethod(object.get(), "install", Q_RETURN_ARG(QVariant, ok),
                                      Q_ARG(QVariant, QStringLiteral("debug"))));
    QCOMPARE(ok.toBool(), true);
    QVERIFY(QMetaObject::invokeMethod(object.get(), "speak", Q_RETURN_ARG(QVariant, ok)));
    QCOMPARE(ok.toBool(), true);
    QVERIFY(QMetaObject::invokeMethod(object.get(), "uninstall"));

    // A QQmlEngine logs console.* in the category "qml" (a plain QJSEngine uses "js"):
    // console.log is QtDebugMsg, console.info QtInfoMsg, and so on.
    const auto entries = m_receiver.entries();
    const QList<QPair<QString, QString>> expected = {
            {QStringLiteral("console log"), QStringLiteral("debug")},
            {QStringLiteral("console info"), QStringLiteral("info")},
            {QStringLiteral("console warn"), QStringLiteral("warning")},
            {QStringLiteral("console error"), QStringLiteral("error")},
    };
    for (const auto &[line, level] : expected) {
        const LokiReceiver::Entry *entry = entryWithLine(entries, line);
        QVERIFY2(entry, qPrintable(line));
        QCOMPARE(entry->labels.value(QStringLiteral("level")), level);
        QCOMPARE(entry->labels.value(QStringLiteral("category")), QStringLiteral("qml"));
    }

    // Uninstalled: console.log goes to the console only.
    const auto after =
            create(R"(QtObject { Component.onCompleted: console.log("after uninstall") })");
    QVERIFY(after);
    QVERIFY(Loki::flush(std::chrono::seconds(5)));
    QVERIFY(!entryWithLine(m_receiver.entries(), QStringLiteral("after uninstall")));
}

QTEST_GUILESS_MAIN(tst_Qml)

#include "tst_qml.moc"
