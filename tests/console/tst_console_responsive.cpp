// SPDX-License-Identifier: MIT
// The console's GUI thread under stress: Stop, Apply and closing with burst workers waiting
// for room, a receiver that does not answer its thread, and a "Next retry" that must be when
// the next try really starts.
#include "burstgenerator.h"
#include "consoletest.h"
#include "consoletranslation.h"
#include "consolewindow.h"
#include "readycheck.h"
#include "receiverhost.h"
#include "secretstore.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QMutex>
#include <QtCore/QStandardPaths>
#include <QtNetwork/QTcpServer>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;
using namespace ConsoleTest;

namespace {

// A URL nobody answers: a loopback port that was free a moment ago.
QString unreachableUrl()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return {};
    const quint16 port = probe.serverPort();
    probe.close();
    return u"http://127.0.0.1:%1"_s.arg(port);
}

// Pushes as the receiver's thread saw them: the HTTP status and when it answered.
struct PushLog
{
    QMutex mutex;
    QList<QPair<int, QDateTime>> pushes;

    int size()
    {
        QMutexLocker lock(&mutex);
        return int(pushes.size());
    }
    QPair<int, QDateTime> at(int i)
    {
        QMutexLocker lock(&mutex);
        return pushes.at(i);
    }
};

// Holds the built-in receiver's thread in a job until release() (or its destruction), and
// at most 5 s.
class ReceiverGate
{
public:
    explicit ReceiverGate(ReceiverHost *host)
    {
        std::shared_future<void> opened = m_gate.get_future().share();
        host->post([opened](LokiReceiver &) { opened.wait(); });
        m_safety = std::thread([this] {
            std::unique_lock lock(m_mutex);
            m_released.wait_for(lock, std::chrono::seconds(5), [this] { return m_done; });
            m_gate.set_value();
        });
    }
    ~ReceiverGate() { release(); }

    void release()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_released.notify_all();
        if (m_safety.joinable())
            m_safety.join();
    }

private:
    std::promise<void> m_gate;
    std::mutex m_mutex;
    std::condition_variable m_released;
    bool m_done = false;
    std::thread m_safety;
};

} // namespace

class TestConsoleResponsive : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void stopApplyAndCloseReturnInTime_data();
    void stopApplyAndCloseReturnInTime();
    void closeDuringBlockedBurstReturnsInTime();
    void guiNeverWaitsForABusyReceiver();
    void nextRetryIsWhenTheTryStarts();

private:
    //! Sends to \a url with \a policy and a buffer of 10 entries, which a burst fills at once.
    void applyExternal(const QString &url, QLoki::OverflowPolicy policy);
    //! Starts a burst of 1,000,000 entries on 4 threads, at full speed.
    void startLongBurst();

    std::unique_ptr<ConsoleWindow> m_window;
    ConsoleTranslation m_plurals;
};

void TestConsoleResponsive::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SecretStore::setKeychainAllowed(false);
    m_plurals.install(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestConsoleResponsive::init()
{
    QVERIFY(ConsoleTest::openWindow(&m_window));
    QVERIFY(m_window->logger()->isInitialized());
}

void TestConsoleResponsive::cleanup() { m_window.reset(); }

void TestConsoleResponsive::applyExternal(const QString &url, QLoki::OverflowPolicy policy)
{
    QWidget *w = m_window.get();
    child<QCheckBox>(w, u"useExternalCheck"_s)->setChecked(true);
    child<QLineEdit>(w, u"urlEdit"_s)->setText(url);
    auto *overflow = child<QComboBox>(w, u"overflowCombo"_s);
    overflow->setCurrentIndex(overflow->findData(int(policy)));
    setSpin(w, u"bufferSizeSpin"_s, 10);
    QSignalSpy applied(m_window.get(), &ConsoleWindow::applied);
    QVERIFY(click(w, u"applyButton"_s));
    QCOMPARE(applied.size(), 1);
    QVERIFY2(applied.at(0).at(0).toBool(), qPrintable(m_window->logger()->errorString()));
    QCOMPARE(m_window->logger()->config().overflowPolicy(), policy);
}

void TestConsoleResponsive::startLongBurst()
{
    setSpin(m_window.get(), u"burstCountSpin"_s, 1000000);
    setSpin(m_window.get(), u"burstRateSpin"_s, 0);
    setSpin(m_window.get(), u"burstThreadsSpin"_s, 4);
    QVERIFY(click(m_window.get(), u"burstStartButton"_s));
    QVERIFY(m_window->burstGenerator()->isRunning());
}

void TestConsoleResponsive::stopApplyAndCloseReturnInTime_data()
{
    QTest::addColumn<QLoki::OverflowPolicy>("policy");
    QTest::newRow("block") << QLoki::OverflowPolicy::Block;
    QTest::newRow("drop-oldest") << QLoki::OverflowPolicy::DropOldest;
    QTest::newRow("drop-newest") << QLoki::OverflowPolicy::DropNewest;
}

// The freeze: with "Block the caller" and a Loki nobody answers, the burst's workers wait
// in the full buffer for good; Stop joined them on the GUI thread and the window never
// repainted again. Now Stop returns at once, and Apply and closing within shutdownTimeout.
void TestConsoleResponsive::stopApplyAndCloseReturnInTime()
{
    QFETCH(QLoki::OverflowPolicy, policy);
    const QString url = unreachableUrl();
    QVERIFY(!url.isEmpty());
    applyExternal(url, policy);
    const qint64 deadlineMs = m_window->logger()->config().shutdownTimeout().count();
    BurstGenerator *burst = m_window->burstGenerator();
    startLongBurst();

    const bool blocks = policy == QLoki::OverflowPolicy::Block;
    if (blocks)
        QTRY_COMPARE_WITH_TIMEOUT(burst->waitingCalls(), 4, 10000);
    else
        QTRY_VERIFY_WITH_TIMEOUT(burst->sent() > 1000, 10000);

    const qint64 stopMs = timed([&] { QVERIFY(click(m_window.get(), u"burstStopButton"_s)); });
    qInfo("Stop returned after %lld ms", stopMs);
    QVERIFY2(stopMs < 500, QByteArray::number(stopMs).constData());
    auto *progress = child<QProgressBar>(m_window.get(), u"burstProgress"_s);
    if (blocks) {
        // The workers still wait for room, and the bar says so.
        QVERIFY(burst->isStopping());
        QVERIFY2(progress->text().contains(u"4 calls wait for room in the buffer"_s),
                 qPrintable(progress->text()));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(!burst->isRunning(), 5000);
    }

    const qint64 applyMs = timed([&] { QVERIFY(click(m_window.get(), u"applyButton"_s)); });
    qInfo("Apply returned after %lld ms (shutdownTimeout %lld ms)", applyMs, deadlineMs);
    QVERIFY2(applyMs <= deadlineMs + 500, QByteArray::number(applyMs).constData());
    QVERIFY(m_window->logger()->isInitialized());

    const qint64 closeMs = timed([&] {
        QVERIFY(m_window->close());
        m_window.reset();
    });
    qInfo("closing took %lld ms (shutdownTimeout %lld ms)", closeMs, deadlineMs);
    QVERIFY2(closeMs <= deadlineMs + 500, QByteArray::number(closeMs).constData());
}

// Closing while the workers wait in the full buffer, without Stop first.
void TestConsoleResponsive::closeDuringBlockedBurstReturnsInTime()
{
    const QString url = unreachableUrl();
    QVERIFY(!url.isEmpty());
    applyExternal(url, QLoki::OverflowPolicy::Block);
    const qint64 deadlineMs = m_window->logger()->config().shutdownTimeout().count();
    startLongBurst();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->burstGenerator()->waitingCalls(), 4, 10000);

    const LokiStats before = m_window->logger()->stats();
    const qint64 closeMs = timed([&] {
        QVERIFY(m_window->close());
        m_window.reset();
    });
    QVERIFY2(closeMs <= deadlineMs + 500, QByteArray::number(closeMs).constData());
    QVERIFY(before.accepted() >= 10);
}

// Every call the GUI makes to the built-in receiver is posted: with the receiver's thread
// held up, the fault buttons, Apply (and its check), the status bar and the Faults tab all
// return at once, and what they asked for happens once the receiver is free again.
void TestConsoleResponsive::guiNeverWaitsForABusyReceiver()
{
    // Holds the receiver's thread until released; at the latest after 5 s, so that a
    // window that does wait fails the timings below instead of hanging the test.
    ReceiverGate gate(m_window->receiver());
    QWidget *w = m_window.get();
    m_window->showTab(ConsoleWindow::Tab::Faults);
    QSignalSpy checked(m_window.get(), &ConsoleWindow::connectionChecked);
    for (const QString &button : {u"goOfflineButton"_s, u"failButton"_s, u"rateLimitButton"_s,
                                  u"latencyButton"_s, u"clearFaultsButton"_s, u"applyButton"_s}) {
        const qint64 ms = timed([&] { QVERIFY(click(w, button)); });
        QVERIFY2(ms < 300, qPrintable(u"%1: %2 ms"_s.arg(button).arg(ms)));
    }
    setSpin(w, u"failCountSpin"_s, 7);
    const qint64 lastMs = timed([&] { QVERIFY(click(w, u"failButton"_s)); });
    QVERIFY2(lastMs < 300, QByteArray::number(lastMs).constData());
    const qint64 sampleMs = timed([&] { m_window->sampleStats(); });
    QVERIFY2(sampleMs < 300, QByteArray::number(sampleMs).constData());
    QVERIFY(checked.isEmpty()); // the check waits for the receiver, not the window
    gate.release();

    QTRY_COMPARE_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.failNextPushes(), 7, 5000);
    QCOMPARE(m_window->receiver()->snapshot().faults.failStatus(), 503);
    QVERIFY(!m_window->receiver()->snapshot().faults.down());
    // The check came once the receiver could answer (what it found depends on whether the
    // outage had begun when its connection came, so only its arrival is asserted).
    QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, 10000);
}

// "Next retry" shows the time of the timer that starts the next try, and that try comes then.
void TestConsoleResponsive::nextRetryIsWhenTheTryStarts()
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
    // A first retry late enough to be read off the panel before it comes.
    setSpin(m_window.get(), u"minBackoffSpin"_s, 2000);
    setSpin(m_window.get(), u"maxBackoffSpin"_s, 10);
    QVERIFY(click(m_window.get(), u"applyButton"_s));
    setSpin(m_window.get(), u"failCountSpin"_s, 1);
    setSpin(m_window.get(), u"failStatusSpin"_s, 503);
    QVERIFY(click(m_window.get(), u"failButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->receiver()->snapshot().faults.failNextPushes(), 1, 5000);

    StatusPanel *status = m_window->statusPanel();
    QLabel *countdown = status->valueLabel(u"nextRetry"_s);
    QCOMPARE(countdown->text(), u"none scheduled"_s);
    QVERIFY(click(m_window.get(), u"sendButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(log->size(), 1, 10000);
    QCOMPARE(log->at(0).first, 503);
    QTRY_VERIFY_WITH_TIMEOUT(status->lastStats().nextRetry().isValid()
                                     && countdown->text().startsWith(u"in "_s),
                             5000);
    const QDateTime shown = status->lastStats().nextRetry();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // The countdown is the time to the retry, to a tenth of a second (plus the redraw).
    const double seconds = QLocale().toDouble(countdown->text().mid(3).chopped(2));
    QVERIFY2(qAbs(seconds * 1000 - now.msecsTo(shown)) < 350, qPrintable(countdown->text()));

    QTRY_COMPARE_WITH_TIMEOUT(log->size(), 2, 15000);
    QCOMPARE(log->at(1).first, 204);
    const qint64 offMs = shown.msecsTo(log->at(1).second);
    QVERIFY2(offMs >= -50 && offMs < 400, QByteArray::number(offMs).constData());
    QTRY_COMPARE_WITH_TIMEOUT(countdown->text(), u"none scheduled"_s, 5000);
}

QTEST_MAIN(TestConsoleResponsive)
#include "tst_console_responsive.moc"
