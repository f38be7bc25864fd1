// SPDX-License-Identifier: MIT
#include "burstgenerator.h"
#include "consolelog.h"
#include "consoletest.h"
#include "consoletranslation.h"
#include "consolewindow.h"
#include "eventmodel.h"
#include "keyvaluetable.h"
#include "logquery.h"
#include "readbackpanel.h"
#include "receiverhost.h"
#include "secretstore.h"
#include "statebadge.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableWidget>

#include <memory>

using namespace Qt::StringLiterals;

using ConsoleTest::child;
using ConsoleTest::onReceiver;

namespace {

const QString AppName = u"console-test"_s;

QString number(quint64 value) { return QLocale().toString(value); }

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void sendEntryReachesReceiver();
    void secretIsRedactedAndCounted();
    void burstOfThousandIsDelivered();
    void failedPushesRetryThenOnline();
    void offlineDuringBurstLosesNothing();
    void readBackListsSentEntries();
    void zhCnTranslationLoads();
    void capturesQtMessages();
    void retryCountdownTicks();
    void externalLokiDisablesFaults();
    void settingsAreRemembered();

    void queryUrlEncodesEverything();
    void parseQueryAnswer();
    void eventsAreBounded();

private:
    //! Opens a fresh window on its built-in receiver, tuned for quick tests, and applies.
    void openWindow();
    void click(const QString &name);
    void setSpin(const QString &name, double value);
    QString valueText(const QString &key) const;
    QList<LokiReceiver::Entry> entriesWithLine(const QString &needle) const;
    LokiReceiver::Stats receiverStats() const;

    std::unique_ptr<ConsoleWindow> m_window;
    ConsoleTranslation m_plurals;
};

void TestConsole::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // The machine's keychain is left alone: secrets stay in this process.
    SecretStore::setKeychainAllowed(false);
    // English has no translation but its plural forms ("1 entry").
    m_plurals.install(QLocale(QLocale::English, QLocale::UnitedStates));
    QCoreApplication::setOrganizationName(u"QLoki"_s);
    QCoreApplication::setApplicationName(u"Loki Console Test"_s);
}

void TestConsole::init()
{
    openWindow();
    QVERIFY(m_window);
    QVERIFY(m_window->receiver()->isListening());
    QVERIFY(m_window->logger()->isInitialized());
}

void TestConsole::cleanup() { m_window.reset(); }

void TestConsole::openWindow()
{
    QVERIFY(ConsoleTest::openWindow(&m_window));
    child<QLineEdit>(m_window.get(), u"appNameEdit"_s)->setText(AppName);
    setSpin(u"flushIntervalSpin"_s, 0.2);
    setSpin(u"minBackoffSpin"_s, 100);
    setSpin(u"maxBackoffSpin"_s, 1);
    QSignalSpy applied(m_window.get(), &ConsoleWindow::applied);
    click(u"applyButton"_s);
    QCOMPARE(applied.size(), 1);
    QVERIFY2(applied.at(0).at(0).toBool(), qPrintable(m_window->logger()->errorString()));
}

void TestConsole::click(const QString &name) { QVERIFY(ConsoleTest::click(m_window.get(), name)); }

void TestConsole::setSpin(const QString &name, double value)
{
    ConsoleTest::setSpin(m_window.get(), name, value);
}

QString TestConsole::valueText(const QString &key) const
{
    QLabel *label = m_window->statusPanel()->valueLabel(key);
    return label ? label->text() : u"<no label %1>"_s.arg(key);
}

QList<LokiReceiver::Entry> TestConsole::entriesWithLine(const QString &needle) const
{
    QList<LokiReceiver::Entry> found;
    const auto all = onReceiver(m_window->receiver(), [](LokiReceiver &r) { return r.entries(); });
    for (const LokiReceiver::Entry &e : all) {
        if (e.line.contains(needle))
            found.append(e);
    }
    return found;
}

LokiReceiver::Stats TestConsole::receiverStats() const
{
    return onReceiver(m_window->receiver(), [](LokiReceiver &r) { return r.stats(); });
}

void TestConsole::sendEntryReachesReceiver()
{
    const QString message = u"form entry "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto *level = child<QComboBox>(m_window.get(), u"levelCombo"_s);
    QVERIFY(level);
    level->setCurrentIndex(level->findData(int(QLoki::Level::Warning)));
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(message);

    // Fill the tables as a user does: Add a row, type into it; remove one row again.
    auto *labels = child<KeyValueTable>(m_window.get(), u"labelsTable"_s);
    QVERIFY(labels);
    labels->setValues({});
    QTableWidget *labelRows = labels->table();
    for (const auto &[k, v] :
         {std::pair(u"component"_s, u"checkout"_s), std::pair(u"region"_s, u"eu-west"_s),
          std::pair(u"unwanted"_s, u"x"_s)}) {
        labels->findChild<QAbstractButton *>(u"addButton"_s)->click();
        const int row = labelRows->rowCount() - 1;
        labelRows->item(row, 0)->setText(k);
        labelRows->item(row, 1)->setText(v);
    }
    labelRows->selectRow(2);
    labels->findChild<QAbstractButton *>(u"removeButton"_s)->click();
    QCOMPARE(labelRows->rowCount(), 2);

    auto *metadata = child<KeyValueTable>(m_window.get(), u"metadataTable"_s);
    metadata->setValues({});
    metadata->findChild<QAbstractButton *>(u"addButton"_s)->click();
    metadata->table()->item(0, 0)->setText(u"order_id"_s);
    metadata->table()->item(0, 1)->setText(u"A-1042"_s);

    QSignalSpy sent(m_window.get(), &ConsoleWindow::entrySent);
    click(u"sendButton"_s);
    QVERIFY(sent.wait(5000));

    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(message).size(), 1, 10000);
    const LokiReceiver::Entry entry = entriesWithLine(message).constFirst();
    QCOMPARE(entry.line, message);
    QCOMPARE(entry.labels.value(u"app"_s), AppName);
    QCOMPARE(entry.labels.value(u"level"_s), u"warning"_s);
    QCOMPARE(entry.labels.value(u"component"_s), u"checkout"_s);
    QCOMPARE(entry.labels.value(u"region"_s), u"eu-west"_s);
    QVERIFY(!entry.labels.contains(u"unwanted"_s));
    QCOMPARE(entry.structuredMetadata.value(u"order_id"_s), u"A-1042"_s);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"delivered"_s), number(1), 5000);
}

// A password typed into the message is read back redacted, and the Counters panel counts it.
void TestConsole::secretIsRedactedAndCounted()
{
    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)
            ->setText(u"login "_s + tag + u" password=hunter2"_s);
    child<KeyValueTable>(m_window.get(), u"metadataTable"_s)->setValues({});
    QSignalSpy sent(m_window.get(), &ConsoleWindow::entrySent);
    click(u"sendButton"_s);
    QVERIFY(sent.wait(5000));

    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(tag).size(), 1, 10000);
    QCOMPARE(entriesWithLine(tag).constFirst().line,
             u"login "_s + tag + u" password=[REDACTED]"_s);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"redacted"_s), number(1), 5000);

    // Read back through the console as a user would: the line holds the replacement only.
    const QVariantList found =
            ConsoleTest::readBack(m_window.get(), u"{app=\"%1\"} |= \"%2\""_s.arg(AppName, tag));
    QVERIFY(!found.isEmpty());
    QCOMPARE(found.at(0).toInt(), 1);
    auto *results = child<QTableWidget>(m_window.get(), u"resultsTable"_s);
    QCOMPARE(results->rowCount(), 1);
    const QString shown = results->item(0, ReadBackPanel::Line)->text();
    QVERIFY2(shown.contains(u"password=[REDACTED]"_s), qPrintable(shown));
    QVERIFY2(!shown.contains(u"hunter2"_s), qPrintable(shown));
    results->scrollToItem(results->item(0, ReadBackPanel::Line)); // as a user would
    ConsoleTest::saveScreenshot(m_window.get(), u"console-redacted-readback"_s);
}

void TestConsole::burstOfThousandIsDelivered()
{
    const QString message = u"burst "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(message);
    setSpin(u"burstCountSpin"_s, 1000);
    setSpin(u"burstRateSpin"_s, 0);
    setSpin(u"burstThreadsSpin"_s, 4);
    QSignalSpy finished(m_window->burstGenerator(), &BurstGenerator::finished);
    click(u"burstStartButton"_s);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.at(0).at(0).toInt(), 1000);
    auto *progress = child<QProgressBar>(m_window.get(), u"burstProgress"_s);
    QCOMPARE(progress->value(), 1000);
    QCOMPARE(progress->maximum(), 1000);

    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"delivered"_s), number(1000), 20000);
    QCOMPARE(valueText(u"accepted"_s), number(1000));
    QCOMPARE(valueText(u"dropped_buffer_full"_s), number(0));
    QCOMPARE(entriesWithLine(message).size(), 1000);

    // Every delivered batch is a row of the events table, and together they hold 1,000.
    int delivered = 0;
    EventModel *events = m_window->eventModel();
    for (int row = 0; row < events->rowCount(); ++row) {
        if (events->event(row).kind == EventModel::Kind::Delivered)
            delivered += events->event(row).entries;
    }
    QCOMPARE(delivered, 1000);
}

void TestConsole::failedPushesRetryThenOnline()
{
    StateBadge *badge = m_window->statusPanel()->badge();
    QCOMPARE(badge->property("state").toString(), u"Online"_s);

    setSpin(u"failCountSpin"_s, 3);
    setSpin(u"failStatusSpin"_s, 503);
    click(u"failButton"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.failNextPushes(), 3, 5000);

    QList<QString> seen;
    QObject scope; // disconnects the recorder when the test returns
    connect(m_window->logger(), &LokiLogger::stateChanged, &scope,
            [&seen](QLoki::State s) { seen.append(QLoki::stateName(s)); });
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(u"retried entry"_s);
    click(u"sendButton"_s);

    QTRY_COMPARE_WITH_TIMEOUT(badge->property("state").toString(), u"Retrying"_s, 10000);
    QCOMPARE(badge->text(), StateBadge::displayName(QLoki::State::Retrying));
    QTRY_COMPARE_WITH_TIMEOUT(badge->property("state").toString(), u"Online"_s, 15000);
    QCOMPARE(badge->text(), StateBadge::displayName(QLoki::State::Online));
    QCOMPARE(seen, (QList<QString> {u"Retrying"_s, u"Online"_s}));

    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"retries"_s), number(3), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"delivered"_s), number(1), 5000);
    QCOMPARE(valueText(u"batchesFailed"_s), number(3));
    QCOMPARE(receiverStats().pushesByStatus().value(503), 3u);

    int retryRows = 0;
    for (int row = 0; row < m_window->eventModel()->rowCount(); ++row) {
        const EventModel::Event &e = m_window->eventModel()->event(row);
        if (e.kind == EventModel::Kind::Retrying && e.httpStatus == 503)
            ++retryRows;
    }
    QCOMPARE(retryRows, 3);
}

void TestConsole::offlineDuringBurstLosesNothing()
{
    const QString message = u"outage "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(message);
    setSpin(u"burstCountSpin"_s, 600);
    setSpin(u"burstRateSpin"_s, 200);
    setSpin(u"burstThreadsSpin"_s, 2);
    setSpin(u"offlineSecondsSpin"_s, 3);

    QProgressBar *gauge = m_window->statusPanel()->bufferGauge();
    int highest = 0;
    QObject scope;
    connect(gauge, &QProgressBar::valueChanged, &scope,
            [&highest](int value) { highest = qMax(highest, value); });

    QSignalSpy finished(m_window->burstGenerator(), &BurstGenerator::finished);
    click(u"burstStartButton"_s);
    click(u"goOfflineButton"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.down(), 5000);

    QTRY_VERIFY_WITH_TIMEOUT(gauge->value() > 0, 5000);
    QVERIFY(finished.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->receiver()->snapshot().faults.down(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"delivered"_s), number(600), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(gauge->value(), 0, 5000);
    QVERIFY2(highest > 100, qPrintable(QString::number(highest)));

    const LokiStats stats = m_window->logger()->stats();
    QCOMPARE(stats.accepted(), 600u);
    QCOMPARE(stats.delivered(), stats.accepted());
    QCOMPARE(stats.dropped(), 0u);
    QCOMPARE(valueText(u"accepted"_s), valueText(u"delivered"_s));
    QVERIFY(stats.retries() > 0);
    QCOMPARE(entriesWithLine(message).size(), 600);
}

void TestConsole::readBackListsSentEntries()
{
    auto *query = child<QLineEdit>(m_window.get(), u"queryEdit"_s);
    QVERIFY(query);
    QCOMPARE(query->text(), u"{app=\"%1\"}"_s.arg(AppName));

    // A '+' in the filter must reach the server as a plus, not as a space.
    const QString tag = u"c++ readback "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    child<KeyValueTable>(m_window.get(), u"metadataTable"_s)
            ->setValues({{u"trace_id"_s, u"t-7"_s}});
    child<KeyValueTable>(m_window.get(), u"labelsTable"_s)->setValues({{u"component"_s, u"db"_s}});
    for (int i = 1; i <= 3; ++i) {
        child<QLineEdit>(m_window.get(), u"messageEdit"_s)
                ->setText(tag + u" #"_s + QString::number(i));
        QSignalSpy sent(m_window.get(), &ConsoleWindow::entrySent);
        click(u"sendButton"_s);
        QVERIFY(sent.wait(5000));
    }
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(u"not this one"_s);
    click(u"sendButton"_s);
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(tag).size(), 3, 10000);

    const QVariantList found = ConsoleTest::readBack(
            m_window.get(), u"{app=\"%1\", component=\"db\"} |= \"%2\""_s.arg(AppName, tag));
    QVERIFY(!found.isEmpty());
    QCOMPARE(found.at(1).toString(), QString());
    QCOMPARE(found.at(0).toInt(), 3);

    QTableWidget *results = child<QTableWidget>(m_window.get(), u"resultsTable"_s);
    QCOMPARE(results->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        // Newest first.
        QCOMPARE(results->item(row, ReadBackPanel::Line)->text(),
                 tag + u" #"_s + QString::number(3 - row));
        const QString labels = results->item(row, ReadBackPanel::Labels)->text();
        QVERIFY2(labels.contains(u"component=\"db\""_s), qPrintable(labels));
        QVERIFY2(labels.contains(u"app=\"%1\""_s.arg(AppName)), qPrintable(labels));
        // Metadata arrives apart from the labels (categorize-labels).
        QVERIFY2(!labels.contains(u"trace_id"_s), qPrintable(labels));
        QCOMPARE(results->item(row, ReadBackPanel::Metadata)->text(), u"trace_id=\"t-7\""_s);
    }
}

void TestConsole::zhCnTranslationLoads()
{
    m_window.reset();
    ConsoleTranslation translation;
    QVERIFY(translation.install(QLocale(QLocale::Chinese, QLocale::China)));
    QCOMPARE(QCoreApplication::translate("SendPanel", "Send"), u"发送"_s);
    QCOMPARE(QCoreApplication::translate("StateBadge", "Retrying"), u"重试中"_s);

    openWindow();
    QCOMPARE(child<QAbstractButton>(m_window.get(), u"sendButton"_s)->text(), u"发送"_s);
    QCOMPARE(m_window->windowTitle(), u"Loki 控制台"_s);
    QCOMPARE(m_window->statusPanel()->badge()->text(), u"在线"_s);

    translation.remove();
    QCOMPARE(QCoreApplication::translate("SendPanel", "Send"), u"Send"_s);
    // English has no file of its own (only its plural forms).
    QVERIFY(!translation.install(QLocale(QLocale::English, QLocale::UnitedStates)));
}

void TestConsole::capturesQtMessages()
{
    auto *check = child<QCheckBox>(m_window.get(), u"captureQtMessagesCheck"_s);
    QVERIFY(check);
    QVERIFY(!check->isChecked());
    const QString uncaptured = QUuid::createUuid().toString(QUuid::WithoutBraces);
    qCInfo(lcConsole, "before capture %s", qPrintable(uncaptured));

    check->setChecked(true);
    const QString marker = QUuid::createUuid().toString(QUuid::WithoutBraces);
    qCWarning(lcConsole, "captured %s", qPrintable(marker));
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(marker).size(), 1, 10000);
    const LokiReceiver::Entry entry = entriesWithLine(marker).constFirst();
    QCOMPARE(entry.line, u"captured "_s + marker);
    QCOMPARE(entry.labels.value(u"category"_s), u"console"_s);
    QCOMPARE(entry.labels.value(u"level"_s), u"warning"_s);
    QCOMPARE(entry.labels.value(u"app"_s), AppName);

    check->setChecked(false);
    const QString after = QUuid::createUuid().toString(QUuid::WithoutBraces);
    qCInfo(lcConsole, "after capture %s", qPrintable(after));
    // A sent entry behind it shows that the sender has passed the point.
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(u"fence "_s + after);
    click(u"sendButton"_s);
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(u"fence "_s + after).size(), 1, 10000);
    QCOMPARE(entriesWithLine(after).size(), 1);
    QCOMPARE(entriesWithLine(uncaptured).size(), 0);
}

void TestConsole::retryCountdownTicks()
{
    setSpin(u"maxBackoffSpin"_s, 10);
    click(u"applyButton"_s);
    setSpin(u"rateLimitCountSpin"_s, 1);
    setSpin(u"retryAfterSpin"_s, 3);
    click(u"rateLimitButton"_s);
    click(u"sendButton"_s);

    StateBadge *badge = m_window->statusPanel()->badge();
    QLabel *countdown = m_window->statusPanel()->valueLabel(u"nextRetry"_s);
    QTRY_COMPARE_WITH_TIMEOUT(badge->property("state").toString(), u"Retrying"_s, 10000);
    const QString none = QCoreApplication::translate("StatusPanel", "none scheduled");
    QTRY_VERIFY_WITH_TIMEOUT(countdown->text() != none, 2000);
    const QString first = countdown->text();
    // The server's Retry-After (3 s) is honoured and counted down while waiting.
    const QLoki::State during = m_window->logger()->state();
    QCOMPARE(during, QLoki::State::Retrying);
    QTRY_VERIFY_WITH_TIMEOUT(countdown->text() != first
                                     && m_window->logger()->state() == QLoki::State::Retrying,
                             1500);
    QTRY_COMPARE_WITH_TIMEOUT(badge->property("state").toString(), u"Online"_s, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(countdown->text(), none, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"retries"_s), number(1), 2000);
}

void TestConsole::externalLokiDisablesFaults()
{
    QWidget *offline = child<QWidget>(m_window.get(), u"goOfflineButton"_s);
    QVERIFY(offline->isEnabled());
    const QUrl base = m_window->receiver()->baseUrl();
    child<QCheckBox>(m_window.get(), u"useExternalCheck"_s)->setChecked(true);
    auto *url = child<QLineEdit>(m_window.get(), u"urlEdit"_s);
    QVERIFY(!url->isReadOnly());
    url->setText(base.toString()); // the receiver, but as any Loki: by its URL
    click(u"applyButton"_s);
    QVERIFY(!m_window->isBuiltinActive());
    QVERIFY(!offline->isEnabled());
    QCOMPARE(m_window->logger()->config().pushUrl().toString(),
             base.toString() + u"/loki/api/v1/push"_s);

    const QString message = u"external "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(message);
    click(u"sendButton"_s);
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(message).size(), 1, 10000);

    child<QCheckBox>(m_window.get(), u"useExternalCheck"_s)->setChecked(false);
    QVERIFY(url->isReadOnly());
    QCOMPARE(url->text(), m_window->receiver()->pushUrl().toString());
    click(u"applyButton"_s);
    QVERIFY(m_window->isBuiltinActive());
    QVERIFY(offline->isEnabled());
}

void TestConsole::settingsAreRemembered()
{
    m_window.reset();
    QSettings().clear();
    const QString message = u"remembered "_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        ConsoleWindow window;
        QVERIFY(ConsoleTest::waitUntilReady(&window));
        window.findChild<QLineEdit *>(u"messageEdit"_s)->setText(message);
        window.findChild<QSpinBox *>(u"burstCountSpin"_s)->setValue(4321);
        window.findChild<QSpinBox *>(u"maxRetriesSpin"_s)->setValue(7);
        window.findChild<KeyValueTable *>(u"labelsTable"_s)->setValues({{u"team"_s, u"core"_s}});
        window.showTab(ConsoleWindow::Tab::Faults);
        window.show();
        QVERIFY(window.close());
    }
    ConsoleWindow again;
    QVERIFY(ConsoleTest::waitUntilReady(&again));
    QCOMPARE(again.findChild<QLineEdit *>(u"messageEdit"_s)->text(), message);
    QCOMPARE(again.findChild<QSpinBox *>(u"burstCountSpin"_s)->value(), 4321);
    QCOMPARE(again.findChild<QSpinBox *>(u"maxRetriesSpin"_s)->value(), 7);
    QCOMPARE(again.logger()->config().maxRetries(), 7);
    QCOMPARE(again.findChild<KeyValueTable *>(u"labelsTable"_s)->values(),
             (QMap<QString, QString> {{u"team"_s, u"core"_s}}));
    QCOMPARE(again.tabs()->currentIndex(), int(ConsoleWindow::Tab::Faults));
    QSettings().clear();
}

void TestConsole::queryUrlEncodesEverything()
{
    const QUrl url = LogQuery::queryUrl(QUrl(u"http://127.0.0.1:3100/loki/api/v1/push"_s),
                                        u"{app=\"a+b\"} |= \"x & y\""_s, 10, 20, 50);
    const QByteArray encoded = url.toEncoded();
    QCOMPARE(url.path(), u"/loki/api/v1/query_range"_s);
    QVERIFY2(encoded.contains("query=%7Bapp%3D%22a%2Bb%22%7D%20%7C%3D%20%22x%20%26%20y%22&"),
             encoded.constData());
    QVERIFY(encoded.endsWith("&start=10&end=20&limit=50&direction=backward"));
    QCOMPARE(LogQuery::baseUrlOf(QUrl(u"https://loki.example.com/prefix/"_s)),
             QUrl(u"https://loki.example.com/prefix"_s));
}

void TestConsole::parseQueryAnswer()
{
    const QByteArray json = R"({"status":"success","data":{"resultType":"streams","result":[
        {"stream":{"app":"a","level":"info"},"values":[
            ["1700000000000000001","first",{"structuredMetadata":{"user":"7"}}],
            ["1700000000000000003","third",{}]]},
        {"stream":{"app":"a","level":"error"},"values":[["1700000000000000002","second"]]}],
        "encodingFlags":["categorize-labels"]}})";
    QList<LogQuery::Row> rows;
    QString error;
    QVERIFY2(LogQuery::parse(json, &rows, &error), qPrintable(error));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).line, u"third"_s);
    QCOMPARE(rows.at(1).line, u"second"_s);
    QCOMPARE(rows.at(1).labels.value(u"level"_s), u"error"_s);
    QCOMPARE(rows.at(2).timestampNs, 1700000000000000001LL);
    QCOMPARE(rows.at(2).metadata.value(u"user"_s), u"7"_s);
    QVERIFY(!LogQuery::parse(R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
                             &rows, &error));
    QVERIFY(!LogQuery::parse("not json", &rows, &error));
}

void TestConsole::eventsAreBounded()
{
    EventModel model;
    model.setMaxRows(5);
    for (int i = 1; i <= 8; ++i)
        model.addDelivered(i, 100, 204, 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.event(0).entries, 8);
    QCOMPARE(model.event(4).entries, 4);
    model.addFailed(9, 503, u"boom"_s, true);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.data(model.index(0, EventModel::HttpStatus)).toString(), u"503"_s);
    QCOMPARE(model.data(model.index(0, EventModel::Error)).toString(), u"boom"_s);
}

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
