// SPDX-License-Identifier: MIT
// The console's rows for context on error, the cardinality guard and Loki's refusals, driven
// through its window against its built-in receiver.
#include "consoletest.h"
#include "consolewindow.h"
#include "eventmodel.h"
#include "readbackpanel.h"
#include "receiverhost.h"
#include "secretstore.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QStandardPaths>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

using ConsoleTest::child;
using ConsoleTest::onReceiver;

namespace {

const QString AppName = u"console-context"_s;

} // namespace

class TestConsoleContext : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup() { m_window.reset(); }

    void contextIsOnByDefault();
    void errorBringsItsContext();
    void demotedLabelsAndRefusalsByCode();

private:
    void apply();
    void send(QLoki::Level level, const QString &message);
    QString valueText(const QString &key) const;
    QList<LokiReceiver::Entry> entriesWithLine(const QString &needle) const;

    std::unique_ptr<ConsoleWindow> m_window;
};

void TestConsoleContext::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SecretStore::setKeychainAllowed(false);
    QCoreApplication::setOrganizationName(u"QLoki"_s);
    QCoreApplication::setApplicationName(u"Loki Console Test"_s);
}

void TestConsoleContext::init()
{
    QVERIFY(ConsoleTest::openWindow(&m_window));
    child<QLineEdit>(m_window.get(), u"appNameEdit"_s)->setText(AppName);
    ConsoleTest::setSpin(m_window.get(), u"flushIntervalSpin"_s, 0.2);
}

void TestConsoleContext::apply()
{
    QSignalSpy applied(m_window.get(), &ConsoleWindow::applied);
    QVERIFY(ConsoleTest::click(m_window.get(), u"applyButton"_s));
    QCOMPARE(applied.size(), 1);
    QVERIFY2(applied.at(0).at(0).toBool(), qPrintable(m_window->logger()->errorString()));
}

void TestConsoleContext::send(QLoki::Level level, const QString &message)
{
    auto *combo = child<QComboBox>(m_window.get(), u"levelCombo"_s);
    QVERIFY(combo);
    combo->setCurrentIndex(combo->findData(int(level)));
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(message);
    QSignalSpy sent(m_window.get(), &ConsoleWindow::entrySent);
    QVERIFY(ConsoleTest::click(m_window.get(), u"sendButton"_s));
    QVERIFY(sent.wait(5000));
}

QString TestConsoleContext::valueText(const QString &key) const
{
    QLabel *label = m_window->statusPanel()->valueLabel(key);
    return label ? label->text() : u"<no label %1>"_s.arg(key);
}

QList<LokiReceiver::Entry> TestConsoleContext::entriesWithLine(const QString &needle) const
{
    QList<LokiReceiver::Entry> found;
    const auto all = onReceiver(m_window->receiver(), [](LokiReceiver &r) { return r.entries(); });
    for (const LokiReceiver::Entry &e : all) {
        if (e.line.contains(needle))
            found.append(e);
    }
    std::sort(found.begin(), found.end(),
              [](const auto &a, const auto &b) { return a.timestampNs < b.timestampNs; });
    return found;
}

void TestConsoleContext::contextIsOnByDefault()
{
    auto *spin = child<QSpinBox>(m_window.get(), u"contextEntriesSpin"_s);
    QVERIFY(spin);
    QCOMPARE(spin->value(), 200);
    QCOMPARE(m_window->logger()->config().contextEntries(), 200);
    QCOMPARE(m_window->logger()->config().minimumLevel(), QLoki::Level::Debug);
    // The ring has to fit into the buffer it is shipped into.
    ConsoleTest::setSpin(m_window.get(), u"bufferSizeSpin"_s, 50);
    QCOMPARE(spin->value(), 49);
    ConsoleTest::setSpin(m_window.get(), u"bufferSizeSpin"_s, 1);
    QCOMPARE(spin->value(), 0);
    QCOMPARE(spin->text(), u"off"_s);
    apply();
    QCOMPARE(m_window->logger()->config().contextEntries(), 0);
}

// Entries below the minimum level arrive only with the error after them, marked as its
// context; read back, they show the id both carry.
void TestConsoleContext::errorBringsItsContext()
{
    auto *minimum = child<QComboBox>(m_window.get(), u"minimumLevelCombo"_s);
    QVERIFY(minimum);
    minimum->setCurrentIndex(minimum->findData(int(QLoki::Level::Warning)));
    apply();
    QCOMPARE(m_window->logger()->config().minimumLevel(), QLoki::Level::Warning);

    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    send(QLoki::Level::Debug, u"loading profile %1"_s.arg(tag));
    send(QLoki::Level::Info, u"profile has 3 accounts %1"_s.arg(tag));
    send(QLoki::Level::Debug, u"connecting to bank API %1"_s.arg(tag));
    send(QLoki::Level::Warning, u"slow answer from bank API %1"_s.arg(tag));
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(tag).size(), 1, 10000); // the warning alone
    QCOMPARE(valueText(u"accepted"_s), QLocale().toString(1));
    send(QLoki::Level::Error, u"payment failed %1"_s.arg(tag));
    QTRY_COMPARE_WITH_TIMEOUT(entriesWithLine(tag).size(), 5, 10000);

    const QList<LokiReceiver::Entry> entries = entriesWithLine(tag);
    const QString id = entries.last().structuredMetadata.value(u"context_id"_s);
    QCOMPARE(entries.last().line, u"payment failed %1"_s.arg(tag));
    QCOMPARE(id.size(), 16);
    QStringList order;
    for (const auto &e : entries)
        order.append(e.line.section(u' ', 0, 0));
    QCOMPARE(order, (QStringList {u"loading"_s, u"profile"_s, u"connecting"_s, u"slow"_s,
                                  u"payment"_s}));
    for (int i : {0, 1, 2})
        QCOMPARE(entries[i].structuredMetadata.value(u"context_for"_s), id);
    QVERIFY(!entries[3].structuredMetadata.contains(u"context_for"_s));
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"contextShipped"_s), QLocale().toString(3), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"delivered"_s), QLocale().toString(5), 5000);

    // Read back: the context and the error, with their metadata.
    const QVariantList found =
            ConsoleTest::readBack(m_window.get(), u"{app=\"%1\"} |= \"%2\""_s.arg(AppName, tag));
    QVERIFY(!found.isEmpty());
    QCOMPARE(found.at(0).toInt(), 5);
    auto *results = child<QTableWidget>(m_window.get(), u"resultsTable"_s);
    QCOMPARE(results->rowCount(), 5);
    // Newest first: the error, then the warning, then its context.
    QVERIFY2(results->item(0, ReadBackPanel::Metadata)->text().contains(u"context_id"_s),
             qPrintable(results->item(0, ReadBackPanel::Metadata)->text()));
    for (int row = 2; row < 5; ++row) {
        const QString metadata = results->item(row, ReadBackPanel::Metadata)->text();
        QVERIFY2(metadata.contains(u"context_for=\"%1\""_s.arg(id)), qPrintable(metadata));
    }
    results->scrollToItem(results->item(0, ReadBackPanel::Metadata)); // as a user would
    ConsoleTest::saveScreenshot(m_window.get(), u"console-context-readback"_s);
}

// A label with too many values gets a row with a hint; Loki's refusals are counted by code,
// and a refused batch says its code in the Events panel.
void TestConsoleContext::demotedLabelsAndRefusalsByCode()
{
    apply();
    LokiLogger *logger = m_window->logger();
    for (int i = 0; i < 110; ++i)
        logger->info(u"order placed"_s, {{"label_user_id", QString::number(i)}});
    QVERIFY(logger->flush(10s));
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"demoted_user_id"_s), QLocale().toString(10), 5000);
    QLabel *hint = m_window->statusPanel()->hintLabel(u"demoted_user_id"_s);
    QVERIFY(hint);
    QVERIFY2(hint->text().contains(u"metadata"_s), qPrintable(hint->text()));
    QVERIFY2(hint->toolTip().contains(u"structured metadata"_s), qPrintable(hint->toolTip()));
    QVERIFY(!m_window->statusPanel()->valueLabel(u"rejected_line_too_long"_s)); // none yet

    onReceiver(m_window->receiver(), [](LokiReceiver &r) {
        r.refuseEntries(LokiReceiver::RefusalReason::LineTooLong, 2);
        return true;
    });
    send(QLoki::Level::Info, u"first refused"_s);
    send(QLoki::Level::Info, u"second refused"_s);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"rejected_line_too_long"_s), QLocale().toString(2),
                              10000);
    onReceiver(m_window->receiver(), [](LokiReceiver &r) {
        r.refuseEntries(LokiReceiver::RefusalReason::TooOld, 1);
        return true;
    });
    send(QLoki::Level::Info, u"too old"_s);
    QTRY_COMPARE_WITH_TIMEOUT(valueText(u"rejected_too_old"_s), QLocale().toString(1), 10000);
    QCOMPARE(valueText(u"dropped_rejected"_s), QLocale().toString(3));
    QVERIFY(!m_window->statusPanel()->valueLabel(u"rejected_other"_s)); // rows only for codes seen
    for (const QString &key :
         {u"rejected_line_too_long"_s, u"rejected_too_old"_s, u"demoted_user_id"_s}) {
        QVERIFY2(m_window->statusPanel()->valueLabel(key)->isVisible(), qPrintable(key));
    }
    QVERIFY(m_window->statusPanel()->hintLabel(u"demoted_user_id"_s)->isVisible());

    // The Events panel: each refused batch with its code.
    EventModel *events = m_window->eventModel();
    QMap<QString, int> refusedByCode; // entries of the failed batches, by the code shown
    for (int row = 0; row < events->rowCount(); ++row) {
        const EventModel::Event &e = events->event(row);
        if (e.kind == EventModel::Kind::Failed)
            refusedByCode[events->data(events->index(row, EventModel::Refusal)).toString()] +=
                    e.entries;
    }
    QCOMPARE(refusedByCode, (QMap<QString, int> {{u"line_too_long"_s, 2}, {u"too_old"_s, 1}}));
    ConsoleTest::saveScreenshot(m_window.get(), u"console-demoted-refusals"_s);
}

QTEST_MAIN(TestConsoleContext)
#include "tst_console_context.moc"
