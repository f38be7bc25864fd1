// SPDX-License-Identifier: MIT
// What the console says: progress bars that name what they count, the buffer in entries and
// in bytes, whole sentences with plural forms, in English and in Simplified Chinese.
#include "burstgenerator.h"
#include "consoletest.h"
#include "consoletranslation.h"
#include "consolewindow.h"
#include "receiverhost.h"
#include "secretstore.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QXmlStreamReader>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ConsoleTest;

namespace {

struct NumerusMessage
{
    QString context;
    QString source;
};

// The messages with a count in a .ts file of the source tree.
QList<NumerusMessage> numerusMessages(const QString &path)
{
    QList<NumerusMessage> found;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return found;
    QXmlStreamReader xml(&file);
    QString context;
    bool numerus = false;
    while (!xml.atEnd()) {
        if (!xml.readNextStartElement())
            continue;
        if (xml.name() == u"name"_s) {
            context = xml.readElementText();
        } else if (xml.name() == u"message"_s) {
            numerus = xml.attributes().value(u"numerus"_s) == u"yes"_s;
        } else if (xml.name() == u"source"_s && numerus) {
            found.append({context, xml.readElementText()});
        }
    }
    return found;
}

QString translate(const NumerusMessage &message, int n)
{
    return QCoreApplication::translate(message.context.toUtf8().constData(),
                                       message.source.toUtf8().constData(), nullptr, n);
}

} // namespace

class TestConsoleText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void progressBarsSayWhatTheyCount();
    void bufferGaugesShowEntriesAndBytes();
    void faultSentencesAreWhole();
    void everyCountHasItsPluralForms_data();
    void everyCountHasItsPluralForms();
    void chineseCountsAndSentences();

private:
    std::unique_ptr<ConsoleWindow> m_window;
    ConsoleTranslation m_translation;
};

void TestConsoleText::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SecretStore::setKeychainAllowed(false);
    QVERIFY(!m_translation.install(QLocale(QLocale::English, QLocale::UnitedStates)));
}

void TestConsoleText::init()
{
    QVERIFY(ConsoleTest::openWindow(&m_window));
}

void TestConsoleText::cleanup() { m_window.reset(); }

// No "0 of 1" before a burst: each bar names what it counts, with its plural form.
void TestConsoleText::progressBarsSayWhatTheyCount()
{
    auto *progress = child<QProgressBar>(m_window.get(), u"burstProgress"_s);
    QCOMPARE(progress->text(), u"No burst yet"_s);
    QProgressBar *gauge = m_window->statusPanel()->bufferGauge();
    QCOMPARE(gauge->text(), u"0 of %1 entries"_s.arg(QLocale().toString(1000)));

    const auto burst = [&](int count) {
        setSpin(m_window.get(), u"burstCountSpin"_s, count);
        QSignalSpy finished(m_window->burstGenerator(), &BurstGenerator::finished);
        QVERIFY(click(m_window.get(), u"burstStartButton"_s));
        QVERIFY(finished.wait(10000));
    };
    burst(1);
    QCOMPARE(progress->text(), u"1 of 1 entry logged"_s);
    burst(3);
    QCOMPARE(progress->text(), u"3 of 3 entries logged"_s);

    setSpin(m_window.get(), u"bufferSizeSpin"_s, 1);
    QVERIFY(click(m_window.get(), u"applyButton"_s));
    m_window->sampleStats();
    QCOMPARE(gauge->text(), u"0 of 1 entry"_s);
}

// While Loki is away the buffer fills, in entries and in bytes (LokiStats::bytesHeld()
// against capacityBytes()), and both gauges drain when it comes back.
void TestConsoleText::bufferGaugesShowEntriesAndBytes()
{
    QProgressBar *entries = m_window->statusPanel()->bufferGauge();
    QProgressBar *bytes = m_window->statusPanel()->bufferBytesGauge();
    QCOMPARE(bytes->value(), 0);
    // Away until the faults are cleared below.
    setSpin(m_window.get(), u"offlineSecondsSpin"_s, 600);
    QVERIFY(click(m_window.get(), u"goOfflineButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.down(), 5000);

    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(QString(100000, u'x'));
    setSpin(m_window.get(), u"burstCountSpin"_s, 50);
    setSpin(m_window.get(), u"burstThreadsSpin"_s, 1);
    QSignalSpy finished(m_window->burstGenerator(), &BurstGenerator::finished);
    QVERIFY(click(m_window.get(), u"burstStartButton"_s));
    QVERIFY(finished.wait(10000));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->logger()->stats().buffered(), 50u, 5000);
    m_window->sampleStats();
    const LokiStats held = m_window->statusPanel()->lastStats();
    QCOMPARE(held.delivered(), 0u);
    QCOMPARE(entries->value(), 50);
    // As held: an encoded batch waiting for a retry may take far less than its lines.
    QVERIFY(held.bytesHeld() > 0);
    QVERIFY(held.capacityBytes() > held.bytesHeld());
    const QLocale locale;
    QCOMPARE(bytes->text(),
             u"%1 of %2"_s.arg(locale.formattedDataSize(held.bytesHeld()),
                               locale.formattedDataSize(held.capacityBytes())));
    QCOMPARE(bytes->value(), int(held.bytesHeld() * 1000 / held.capacityBytes()));
    QVERIFY(bytes->value() > 0);

    QVERIFY(click(m_window.get(), u"clearFaultsButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->logger()->stats().delivered(), 50u, 30000);
    m_window->sampleStats();
    QCOMPARE(entries->value(), 0);
    QCOMPARE(bytes->value(), 0);
}

// The fault boxes describe what their button will do in one sentence, with the numbers of
// their fields, instead of fragments around the spin boxes.
void TestConsoleText::faultSentencesAreWhole()
{
    QWidget *w = m_window.get();
    setSpin(w, u"failCountSpin"_s, 1);
    setSpin(w, u"failStatusSpin"_s, 500);
    QCOMPARE(child<QLabel>(w, u"failSentenceLabel"_s)->text(),
             u"The next push is answered with HTTP 500."_s);
    setSpin(w, u"failCountSpin"_s, 3);
    QCOMPARE(child<QLabel>(w, u"failSentenceLabel"_s)->text(),
             u"The next 3 pushes are answered with HTTP 500."_s);
    setSpin(w, u"offlineSecondsSpin"_s, 1);
    QCOMPARE(child<QLabel>(w, u"offlineSentenceLabel"_s)->text(),
             u"The receiver refuses connections for 1 second, then comes back."_s);
    setSpin(w, u"rateLimitCountSpin"_s, 2);
    setSpin(w, u"retryAfterSpin"_s, 4);
    QCOMPARE(child<QLabel>(w, u"rateLimitSentenceLabel"_s)->text(),
             u"The next 2 pushes are answered with 429 and Retry-After: 4 s."_s);

    // What the receiver does now, also as sentences with their plural forms.
    QVERIFY(click(w, u"failButton"_s));
    auto *now = child<QLabel>(w, u"faultsStatusLabel"_s);
    QTRY_COMPARE_WITH_TIMEOUT(now->text(), u"the next 3 pushes get 500"_s, 5000);
}

void TestConsoleText::everyCountHasItsPluralForms_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    const QList<NumerusMessage> messages =
            numerusMessages(QStringLiteral(QLOKI_TRANSLATIONS_DIR "/qloki_console_zh_CN.ts"));
    QVERIFY(messages.size() >= 10);
    for (const NumerusMessage &m : messages)
        QTest::newRow(qPrintable(m.source)) << m.context << m.source;
}

// Every message that counts has English singular and plural forms: no "1 entries", no
// "push(es)" on screen.
void TestConsoleText::everyCountHasItsPluralForms()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    const NumerusMessage message {context, source};
    const QString one = translate(message, 1);
    const QString two = translate(message, 2);
    QVERIFY2(!one.contains(u"(s)"_s) && !one.contains(u"(es)"_s), qPrintable(one));
    QVERIFY2(!two.contains(u"(s)"_s) && !two.contains(u"(es)"_s), qPrintable(two));
    QVERIFY2(!one.contains(u"%Ln"_s) && !two.contains(u"%Ln"_s), qPrintable(one + u" / "_s + two));
    if (source.contains(u"entries"_s)) {
        QVERIFY2(one.contains(u"entry"_s) && !one.contains(u"entries"_s), qPrintable(one));
        QVERIFY2(two.contains(u"entries"_s), qPrintable(two));
    }
}

void TestConsoleText::chineseCountsAndSentences()
{
    m_window.reset();
    ConsoleTranslation chinese;
    QVERIFY(chinese.install(QLocale(QLocale::Chinese, QLocale::China)));
    // Every message with a count is translated.
    const QList<NumerusMessage> messages =
            numerusMessages(QStringLiteral(QLOKI_TRANSLATIONS_DIR "/qloki_console_zh_CN.ts"));
    for (const NumerusMessage &m : messages) {
        const QString text = translate(m, 3);
        QVERIFY2(text != m.source && !text.contains(u"%Ln"_s), qPrintable(m.source));
    }
    init();
    auto *progress = child<QProgressBar>(m_window.get(), u"burstProgress"_s);
    QCOMPARE(progress->text(), u"尚无突发"_s);
    setSpin(m_window.get(), u"failCountSpin"_s, 3);
    setSpin(m_window.get(), u"failStatusSpin"_s, 503);
    QCOMPARE(child<QLabel>(m_window.get(), u"failSentenceLabel"_s)->text(),
             u"接下来的 3 次推送将以 HTTP 503 应答。"_s);
    m_window.reset();
    chinese.remove();
    QVERIFY(!m_translation.install(QLocale(QLocale::English, QLocale::UnitedStates)));
}

QTEST_MAIN(TestConsoleText)
#include "tst_console_text.moc"
