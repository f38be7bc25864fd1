// SPDX-License-Identifier: MIT
// The console while its built-in receiver answers 503: a burst goes on, the logger goes
// Offline, and the Events panel shows each try there was, which are few.
#include "burstgenerator.h"
#include "consoletest.h"
#include "consoletranslation.h"
#include "consolewindow.h"
#include "eventmodel.h"
#include "secretstore.h"
#include "statebadge.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QDateTime>
#include <QtCore/QMutex>
#include <QtCore/QStandardPaths>
#include <QtWidgets/QLabel>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ConsoleTest;

namespace {

// The statuses the receiver answered and when, as its thread saw them.
struct PushLog
{
    QMutex mutex;
    QList<QPair<int, QDateTime>> pushes;

    int count(int status)
    {
        QMutexLocker lock(&mutex);
        return int(std::count_if(pushes.cbegin(), pushes.cend(),
                                 [status](const auto &push) { return push.first == status; }));
    }
    //! When the first push answered \a status came; invalid when none did.
    QDateTime first(int status)
    {
        QMutexLocker lock(&mutex);
        for (const auto &push : std::as_const(pushes)) {
            if (push.first == status)
                return push.second;
        }
        return {};
    }
};

} // namespace

class TestConsoleStorm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void retryStormShowsFewTries();

private:
    std::unique_ptr<ConsoleWindow> m_window;
    ConsoleTranslation m_plurals;
};

void TestConsoleStorm::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SecretStore::setKeychainAllowed(false);
    m_plurals.install(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestConsoleStorm::init() { QVERIFY(ConsoleTest::openWindow(&m_window)); }

void TestConsoleStorm::cleanup() { m_window.reset(); }

// Regression (issue 14): once its retries were spent, every logging call of a burst started
// a push, 325 failed tries in 20 s while the panel said Offline and "Next retry: in 0.8 s".
// Now a burst of 1,000 at 50/s into a receiver that answers 503 costs the retries and then a
// probe per backoff step (never sooner than the flush interval): with the console's
// defaults (flush interval 1 s, three retries from 0.5 s) about six tries in 20 s. The
// Events panel shows each of them, and the status agrees with the logger.
void TestConsoleStorm::retryStormShowsFewTries()
{
    auto log = std::make_shared<PushLog>();
    const bool connected = onReceiver(m_window->receiver(), [log](LokiReceiver &r) {
        QObject::connect(
                &r, &LokiReceiver::pushHandled, &r,
                [log](int status, int) {
                    QMutexLocker lock(&log->mutex);
                    log->pushes.append({status, QDateTime::currentDateTimeUtc()});
                },
                Qt::DirectConnection);
        return true;
    });
    QVERIFY(connected);

    QWidget *w = m_window.get();
    setSpin(w, u"failCountSpin"_s, 1000); // more than the outage can take
    setSpin(w, u"failStatusSpin"_s, 503);
    QVERIFY(click(w, u"failButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.failNextPushes(), 1000, 5000);

    setSpin(w, u"burstCountSpin"_s, 1000);
    setSpin(w, u"burstRateSpin"_s, 50);
    setSpin(w, u"burstThreadsSpin"_s, 1);
    QSignalSpy finished(m_window->burstGenerator(), &BurstGenerator::finished);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(click(w, u"burstStartButton"_s));
    // 20 s of logging at 50/s; the wait is the outage under test.
    QVERIFY(finished.wait(40000));
    const qint64 outageMs = clock.elapsed();

    // Offline, with the time of the next probe: what the logger says, counted down.
    StatusPanel *status = m_window->statusPanel();
    QTRY_COMPARE_WITH_TIMEOUT(status->badge()->state(), QLoki::State::Offline, 5000);
    QCOMPARE(status->badge()->text(), StateBadge::displayName(QLoki::State::Offline));
    m_window->sampleStats();
    QLabel *countdown = status->valueLabel(u"nextRetry"_s);
    QTRY_VERIFY_WITH_TIMEOUT(status->lastStats().nextRetry().isValid()
                                     && countdown->text().startsWith(u"in "_s),
                             10000);
    const QDateTime next = m_window->logger()->stats().nextRetry();
    QCOMPARE(status->lastStats().nextRetry(), next);
    const double seconds = QLocale().toDouble(countdown->text().mid(3).chopped(2));
    const qint64 leftMs = QDateTime::currentDateTimeUtc().msecsTo(next);
    QVERIFY2(qAbs(seconds * 1000 - leftMs) < 350, qPrintable(countdown->text()));
    // A probe, not a retry: no sooner than the flush interval (1 s) from now.
    QVERIFY2(leftMs > -350 && leftMs <= 30000, QByteArray::number(leftMs).constData());
    QCOMPARE(m_window->logger()->stats().accepted(), 1000u);
    QCOMPARE(m_window->logger()->stats().delivered(), 0u);

    // Every try the receiver answered is a row of the Events panel, and there are few.
    // Counted once Offline: a last retry may come after the burst (on a busy machine),
    // none before the probe.
    const int tries = log->count(503);
    EventModel *events = m_window->eventModel();
    const auto failedRows = [events] {
        int rows = 0;
        for (int row = 0; row < events->rowCount(); ++row) {
            const EventModel::Kind kind = events->event(row).kind;
            rows += kind == EventModel::Kind::Retrying || kind == EventModel::Kind::Failed;
        }
        return rows;
    };
    QTRY_COMPARE_WITH_TIMEOUT(failedRows(), tries, 5000);
    qInfo("%d tries in %lld ms of a burst of 1,000 at 50/s, all answered 503", tries, outageMs);
    QVERIFY2(tries >= 4, QByteArray::number(tries).constData()); // the first and its retries
    QVERIFY2(tries <= 10, QByteArray::number(tries).constData());
    QCOMPARE(log->count(204), 0);
    for (int row = 0; row < events->rowCount(); ++row) {
        if (events->event(row).kind != EventModel::Kind::Dropped)
            QCOMPARE(events->event(row).httpStatus, 503);
    }

    saveScreenshot(w, u"events-storm"_s);

    // When the receiver answers again, the probe comes when "Next retry" said, and the
    // whole burst arrives.
    QVERIFY(click(w, u"clearFaultsButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(log->first(204).isValid(), 45000);
    const qint64 offMs = next.msecsTo(log->first(204));
    QVERIFY2(offMs >= -50 && offMs < 400, QByteArray::number(offMs).constData());
    QCOMPARE(log->count(503), tries);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->logger()->stats().delivered(), 1000u, 30000);
    QCOMPARE(m_window->logger()->stats().dropped(), 0u);
}

QTEST_MAIN(TestConsoleStorm)
#include "tst_console_storm.moc"
