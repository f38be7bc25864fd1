// SPDX-License-Identifier: MIT
// The console against a Loki that wants credentials and speaks TLS: delivery and read back
// with them, what Apply says it found, where the secrets are kept, and LogQL quoting.
#include "accessbox.h"
#include "connectionpanel.h"
#include "consoletest.h"
#include "consoletranslation.h"
#include "consolewindow.h"
#include "logquery.h"
#include "readbackpanel.h"
#include "readycheck.h"
#include "secretstore.h"
#include "statuspanel.h"

#include "../logger/receiverthread.h"
#include "testcerts.h"

#include <QLoki/LokiLogger>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QStandardPaths>
#include <QtCore/QUuid>
#include <QtNetwork/QTcpServer>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ConsoleTest;

namespace {

enum class Access { Basic, Bearer, BasicWithClientCertificate };

const QString User = u"tenant-42"_s;
const QString Password = u"s3cret-p@ss"_s;
const QString Token = u"glc_token-0123456789"_s;

} // namespace

Q_DECLARE_METATYPE(Access)

class TestConsoleAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void deliversToAuthenticatedTlsLokiAndReadsBack_data();
    void deliversToAuthenticatedTlsLokiAndReadsBack();
    void applySaysWhatItFound_data();
    void applySaysWhatItFound();
    void secretsStayOutOfTheSettingsFile();
    void logqlStringsAreQuoted_data();
    void logqlStringsAreQuoted();

private:
    //! A receiver on its own thread serving HTTPS with the test server certificate,
    //! requiring \a access (and a client certificate of the test CA with mutual TLS).
    std::unique_ptr<ReceiverThread> tlsReceiver(Access access);
    //! Points the window at \a url, applies, and waits for the reachability check.
    bool applyAndCheck(const QString &url, bool *reachable);

    TestCerts::Set m_certs;
    std::unique_ptr<ConsoleWindow> m_window;
    ConsoleTranslation m_plurals;
};

void TestConsoleAccess::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    SecretStore::setKeychainAllowed(false);
    m_plurals.install(QLocale(QLocale::English, QLocale::UnitedStates));
    m_certs = TestCerts::generate();
    QVERIFY2(m_certs.isValid(), qPrintable(m_certs.errorString));
}

void TestConsoleAccess::init()
{
    QVERIFY(ConsoleTest::openWindow(&m_window));
}

void TestConsoleAccess::cleanup() { m_window.reset(); }

std::unique_ptr<ReceiverThread> TestConsoleAccess::tlsReceiver(Access access)
{
    auto receiver = std::make_unique<ReceiverThread>();
    const TestCerts::Credential server = m_certs.server;
    const QList<QSslCertificate> clientCas = access == Access::BasicWithClientCertificate
            ? QList<QSslCertificate> {m_certs.ca.certificate}
            : QList<QSslCertificate> {};
    const bool listening = receiver->with([&](LokiReceiver &r) {
        r.close();
        if (access == Access::Bearer)
            r.setBearerToken(Token);
        else
            r.setBasicAuth(User, Password);
        return r.listenTls(server.certificate, server.key, QHostAddress::LocalHost, 0, clientCas);
    });
    if (!listening)
        return nullptr;
    return receiver;
}

bool TestConsoleAccess::applyAndCheck(const QString &url, bool *reachable)
{
    QWidget *w = m_window.get();
    child<QCheckBox>(w, u"useExternalCheck"_s)->setChecked(true);
    child<QLineEdit>(w, u"urlEdit"_s)->setText(url);
    QSignalSpy applied(m_window.get(), &ConsoleWindow::applied);
    QSignalSpy checked(m_window.get(), &ConsoleWindow::connectionChecked);
    if (!click(w, u"applyButton"_s) || applied.size() != 1 || !applied.at(0).at(0).toBool())
        return false;
    if (!checked.wait(15000))
        return false;
    *reachable = checked.at(0).at(0).toBool();
    return true;
}

void TestConsoleAccess::deliversToAuthenticatedTlsLokiAndReadsBack_data()
{
    QTest::addColumn<Access>("access");
    QTest::newRow("basic auth") << Access::Basic;
    QTest::newRow("bearer token") << Access::Bearer;
    QTest::newRow("basic auth and client certificate") << Access::BasicWithClientCertificate;
}

// External-Loki mode against an HTTPS receiver that requires credentials: the entries
// arrive, and Read back finds them with the same credentials and CA.
void TestConsoleAccess::deliversToAuthenticatedTlsLokiAndReadsBack()
{
    QFETCH(Access, access);
    std::unique_ptr<ReceiverThread> receiver = tlsReceiver(access);
    QVERIFY(receiver);
    const QUrl base = receiver->baseUrl();
    QCOMPARE(base.scheme(), u"https"_s);

    QWidget *w = m_window.get();
    // A name that needs quoting in LogQL.
    const QString appName = u"shop \"eu\" \\ test"_s;
    child<QLineEdit>(w, u"appNameEdit"_s)->setText(appName);
    AccessBox *box = m_window->connectionPanel()->accessBox();
    if (access == Access::Bearer)
        box->setBearerToken(Token);
    else
        box->setBasicAuth(User, Password);
    if (access == Access::BasicWithClientCertificate) {
        box->setTls(m_certs.ca.certificatePath, m_certs.client.certificatePath,
                    m_certs.client.keyPath, false);
    } else {
        box->setTls(m_certs.ca.certificatePath, {}, {}, false);
    }
    bool reachable = false;
    QVERIFY(applyAndCheck(base.toString(), &reachable));
    const QString result = m_window->connectionPanel()->applyResult();
    QVERIFY2(reachable, qPrintable(result));
    QCOMPARE(result, u"Applied. Loki 3.0.0 answers at %1."_s.arg(base.toDisplayString()));
    QCOMPARE(m_window->logger()->config().pushUrl().scheme(), u"https"_s);

    const QString tag = QUuid::createUuid().toString(QUuid::WithoutBraces);
    for (int i = 1; i <= 3; ++i) {
        child<QLineEdit>(w, u"messageEdit"_s)->setText(u"tls %1 #%2"_s.arg(tag).arg(i));
        QSignalSpy sent(m_window.get(), &ConsoleWindow::entrySent);
        QVERIFY(click(w, u"sendButton"_s));
        QVERIFY(sent.wait(5000));
    }
    const auto stored = [&] {
        return receiver->with([&](LokiReceiver &r) {
            return r.query(u"{app=%1} |= %2"_s.arg(LogQuery::quoted(appName),
                                                   LogQuery::quoted(tag)))
                    .size();
        });
    };
    QTRY_COMPARE_WITH_TIMEOUT(stored(), qsizetype(3), 15000);
    const LokiReceiver::Stats stats = receiver->with([](LokiReceiver &r) { return r.stats(); });
    QCOMPARE(stats.unauthorizedRequests(), 0u);
    QCOMPARE(stats.tlsHandshakeFailures(), 0u);

    auto *query = child<QLineEdit>(w, u"queryEdit"_s);
    QCOMPARE(query->text(), u"{app=\"shop \\\"eu\\\" \\\\ test\"}"_s);
    m_window->showTab(ConsoleWindow::Tab::ReadBack);
    QSignalSpy done(m_window->readBackPanel(), &ReadBackPanel::queryFinished);
    QVERIFY(click(w, u"queryButton"_s));
    QVERIFY(done.wait(15000));
    QCOMPARE(done.at(0).at(1).toString(), QString());
    QCOMPARE(done.at(0).at(0).toInt(), 3);
    QTableWidget *results = child<QTableWidget>(w, u"resultsTable"_s);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(results->item(row, ReadBackPanel::Line)->text(),
                 u"tls %1 #%2"_s.arg(tag).arg(3 - row));
    }
    QCOMPARE(child<QLabel>(w, u"queryStatusLabel"_s)->text(), u"3 entries"_s);

    QTRY_COMPARE_WITH_TIMEOUT(m_window->logger()->stats().delivered(), 3u, 10000);
    m_window->sampleStats();
    QCOMPARE(m_window->statusPanel()->valueLabel(u"delivered"_s)->text(), u"3"_s);

    // Tall enough for the whole Connection tab, the Apply result included, and the tabs
    // wide enough for the lines read back.
    m_window->resize(1280, 1300);
    child<QSplitter>(w, u"mainSplitter"_s)->setSizes({700, 580});
    const QString row = QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-');
    saveScreenshot(m_window.get(), u"console-readback-"_s + row);
    m_window->showTab(ConsoleWindow::Tab::Connection);
    saveScreenshot(m_window.get(), u"console-connection-"_s + row);
}

void TestConsoleAccess::applySaysWhatItFound_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("reachable");
    QTest::addColumn<QString>("says");
    QTest::newRow("built-in receiver")
            << u"builtin"_s << true << u"Applied. Loki 3.0.0 answers at"_s;
    QTest::newRow("nobody listens") << u"closed port"_s << false << u"is unreachable: "_s;
    QTest::newRow("wrong password")
            << u"wrong password"_s << false << u"refused the credentials (HTTP 401)"_s;
    QTest::newRow("untrusted certificate") << u"no CA"_s << false << u"TLS handshake with"_s;
    QTest::newRow("insecure") << u"insecure"_s << true << u"Applied. Loki 3.0.0 answers at"_s;
}

// Apply says what it found at the URL, not "Applied." whatever happens.
void TestConsoleAccess::applySaysWhatItFound()
{
    QFETCH(QString, target);
    QFETCH(bool, reachable);
    QFETCH(QString, says);

    std::unique_ptr<ReceiverThread> receiver;
    QString url;
    AccessBox *box = m_window->connectionPanel()->accessBox();
    if (target == u"builtin"_s) {
        QSignalSpy checked(m_window.get(), &ConsoleWindow::connectionChecked);
        QVERIFY(click(m_window.get(), u"applyButton"_s));
        QVERIFY(checked.wait(10000));
        QCOMPARE(checked.at(0).at(0).toBool(), reachable);
    } else {
        if (target == u"closed port"_s) {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost));
            url = u"http://127.0.0.1:%1"_s.arg(probe.serverPort());
        } else {
            receiver = tlsReceiver(Access::Basic);
            QVERIFY(receiver);
            url = receiver->baseUrl().toString();
            box->setBasicAuth(User, target == u"wrong password"_s ? u"guess"_s : Password);
            box->setTls(target == u"wrong password"_s ? m_certs.ca.certificatePath : QString(), {},
                        {}, target == u"insecure"_s);
        }
        bool found = !reachable;
        QVERIFY(applyAndCheck(url, &found));
        QCOMPARE(found, reachable);
    }
    const QString result = m_window->connectionPanel()->applyResult();
    QVERIFY2(result.contains(says), qPrintable(result));
    QVERIFY2(result != u"Applied."_s, qPrintable(result));
    auto *label = child<QLabel>(m_window.get(), u"applyResultLabel"_s);
    QCOMPARE(label->property("problem").toBool(), !reachable);
    // No verification is never silent.
    auto *warning = child<QLabel>(m_window.get(), u"insecureWarningLabel"_s);
    QCOMPARE(warning->isVisibleTo(m_window->connectionPanel()), target == u"insecure"_s);
}

// The password and the token never reach the settings file; without a keychain they are
// kept for the session, and the window says so.
void TestConsoleAccess::secretsStayOutOfTheSettingsFile()
{
    m_window.reset();
    QSettings().clear();
    const QString password = u"pw-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString token = u"tk-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        ConsoleWindow window;
        QVERIFY(waitUntilReady(&window));
        AccessBox *box = window.connectionPanel()->accessBox();
        box->setBearerToken(token);
        box->setBasicAuth(u"someone"_s, password);
        box->setTls(m_certs.ca.certificatePath, {}, {}, false);
        QVERIFY(click(&window, u"applyButton"_s));
        QCOMPARE(window.logger()->config().password(), password);
        window.show();
        QVERIFY(window.close());
    }
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
    const QByteArray stored = file.readAll();
    QVERIFY(stored.contains("someone"));
    QVERIFY(stored.contains(QFileInfo(m_certs.ca.certificatePath).fileName().toUtf8()));
    QVERIFY(!stored.contains(password.toUtf8()));
    QVERIFY(!stored.contains(token.toUtf8()));

    ConsoleWindow again;
    QVERIFY(waitUntilReady(&again));
    QCOMPARE(child<QLineEdit>(&again, u"userEdit"_s)->text(), u"someone"_s);
    QCOMPARE(child<QLineEdit>(&again, u"passwordEdit"_s)->text(), password);
    QCOMPARE(child<QLineEdit>(&again, u"bearerTokenEdit"_s)->text(), token);
    QCOMPARE(child<QLineEdit>(&again, u"caFileEdit"_s)->text(), m_certs.ca.certificatePath);
    QCOMPARE(again.logger()->config().password(), password);
    QCOMPARE(again.connectionPanel()->accessBox()->secrets()->backend(),
             SecretStore::Backend::Session);
    QVERIFY(child<QLabel>(&again, u"secretStorageLabel"_s)
                    ->text()
                    .contains(u"this session only"_s));
    QSettings().clear();
}

void TestConsoleAccess::logqlStringsAreQuoted_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("literal");
    QTest::newRow("plain") << u"loki-console"_s << u"\"loki-console\""_s;
    QTest::newRow("quote") << u"say \"hi\""_s << u"\"say \\\"hi\\\"\""_s;
    QTest::newRow("backslash") << u"C:\\logs"_s << u"\"C:\\\\logs\""_s;
    QTest::newRow("selector breakout")
            << u"x\"} or {app=~\".*"_s << u"\"x\\\"} or {app=~\\\".*\""_s;
    QTest::newRow("newline and tab") << u"a\nb\tc"_s << u"\"a\\nb\\tc\""_s;
    QTest::newRow("control character") << u"bell\x07"_s << u"\"bell\\x07\""_s;
    QTest::newRow("unicode") << u"日志 ✓"_s << u"\"日志 ✓\""_s;
}

// Every value put into a query is a LogQL string literal that reads back as the value: the
// built-in receiver's parser (Loki's rules) finds the entry by it.
void TestConsoleAccess::logqlStringsAreQuoted()
{
    QFETCH(QString, value);
    QFETCH(QString, literal);
    QCOMPARE(LogQuery::quoted(value), literal);

    child<QLineEdit>(m_window.get(), u"appNameEdit"_s)->setText(value);
    QVERIFY(click(m_window.get(), u"applyButton"_s));
    QCOMPARE(child<QLineEdit>(m_window.get(), u"queryEdit"_s)->text(), u"{app="_s + literal + u'}');
    const QString line = QUuid::createUuid().toString(QUuid::WithoutBraces);
    child<QLineEdit>(m_window.get(), u"messageEdit"_s)->setText(line);
    QVERIFY(click(m_window.get(), u"sendButton"_s));
    const auto found = [&] {
        return onReceiver(m_window->receiver(), [literal, line](LokiReceiver &r) {
            const QList<LokiReceiver::Entry> entries = r.query(u"{app="_s + literal + u'}');
            return entries.size() == 1 ? entries.constFirst().line : QString();
        });
    };
    QTRY_COMPARE_WITH_TIMEOUT(found(), line, 10000);
}

QTEST_MAIN(TestConsoleAccess)
#include "tst_console_access.moc"
