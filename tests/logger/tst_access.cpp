// SPDX-License-Identifier: MIT
// Tenants, basic auth, bearer tokens and TLS, against a receiver that checks them as a
// gateway in front of Loki does.
#include "receiverthread.h"
#include "testcerts.h"

#include <QLoki/LokiLogger>

#include <QtTest/QtTest>

using namespace std::chrono_literals;
using QLoki::DropReason;

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("access"));
    c.setUrl(url);
    c.setMinBackoff(20ms);
    c.setMaxBackoff(100ms);
    c.setMaxRetries(1);
    c.setFlushInterval(100ms);
    c.setEnableOfflineBuffer(false);
    c.setMetadataMode(QLoki::MetadataMode::Structured);
    return c;
}

// Logs one entry and waits until it was delivered or dropped.
LokiStats logOne(LokiLogger &logger)
{
    logger.info(QStringLiteral("access check"));
    logger.flush(5s);
    return logger.stats();
}

} // namespace

class tst_Access : public QObject
{
    Q_OBJECT

    TestCerts::Set m_certs;

private Q_SLOTS:
    void initTestCase()
    {
        m_certs = TestCerts::generate();
        QVERIFY2(m_certs.isValid(), qPrintable(m_certs.errorString));
    }

    void tenant()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.setRequiredTenant(QStringLiteral("team-a")); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setTenant(QStringLiteral("team-a"));
        LokiLogger right(config);
        QCOMPARE(logOne(right).delivered(), quint64(1));
        QCOMPARE(receiver.entries().first().tenant, QStringLiteral("team-a"));

        config.setTenant(QString());
        LokiLogger none(config);
        const LokiStats s = logOne(none);
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(1)); // 401 is never retried
        QCOMPARE(s.retries(), quint64(0));
        QVERIFY2(s.lastError().startsWith(QLatin1String("other: HTTP 401")), qPrintable(s.lastError()));
    }

    void basicAuth_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("inUrl");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("right") << QStringLiteral("loki") << QStringLiteral("s3cret") << false << true;
        QTest::newRow("right, in the URL") << QStringLiteral("loki") << QStringLiteral("s3cret") << true << true;
        QTest::newRow("wrong password") << QStringLiteral("loki") << QStringLiteral("guess") << false << false;
        QTest::newRow("none") << QString() << QString() << false << false;
    }
    void basicAuth()
    {
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(bool, inUrl);
        QFETCH(bool, accepted);
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.setBasicAuth(QStringLiteral("loki"), QStringLiteral("s3cret"));
            return true;
        });
        QUrl url = receiver.pushUrl();
        LokiConfig config = configFor(url);
        if (inUrl) {
            url.setUserName(user);
            url.setPassword(password);
            config.setUrl(url);
        } else {
            config.setUsername(user);
            config.setPassword(password);
        }
        LokiLogger logger(config);
        const LokiStats s = logOne(logger);
        QCOMPARE(s.delivered(), quint64(accepted ? 1 : 0));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(accepted ? 0 : 1));
        // Credentials never reach an error string.
        if (!password.isEmpty())
            QVERIFY(!s.lastError().contains(password));
    }

    void bearerToken()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.setBearerToken(QStringLiteral("tok-123")); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setBearerToken(QStringLiteral("tok-123"));
        LokiLogger right(config);
        QCOMPARE(logOne(right).delivered(), quint64(1));
        config.setBearerToken(QStringLiteral("tok-999"));
        LokiLogger wrong(config);
        const LokiStats s = logOne(wrong);
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(1));
        QVERIFY(!s.lastError().contains(QLatin1String("tok-999")));
    }

    void extraHeadersAreSent()
    {
        // A header the receiver checks is the simplest proof: send the tenant as a plain
        // extra header.
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) { r.setRequiredTenant(QStringLiteral("t1")); return true; });
        LokiConfig config = configFor(receiver.pushUrl());
        config.setHeaders({{QStringLiteral("X-Scope-OrgID"), QStringLiteral("t1")}});
        LokiLogger logger(config);
        QCOMPARE(logOne(logger).delivered(), quint64(1));
    }

    void https_data()
    {
        QTest::addColumn<int>("caChoice");     // 0: none (system CAs), 1: test CA, 2: other CA
        QTest::addColumn<bool>("clientCert");
        QTest::addColumn<bool>("requireClientCert");
        QTest::addColumn<bool>("insecure");
        QTest::addColumn<bool>("delivered");
        QTest::newRow("test CA") << 1 << false << false << false << true;
        QTest::newRow("system CAs only") << 0 << false << false << false << false;
        QTest::newRow("wrong CA") << 2 << false << false << false << false;
        QTest::newRow("wrong CA, insecure") << 2 << false << false << true << true;
        QTest::newRow("mTLS with certificate") << 1 << true << true << false << true;
        QTest::newRow("mTLS without certificate") << 1 << false << true << false << false;
    }
    void https()
    {
        QFETCH(int, caChoice);
        QFETCH(bool, clientCert);
        QFETCH(bool, requireClientCert);
        QFETCH(bool, insecure);
        QFETCH(bool, delivered);
        ReceiverThread receiver;
        const TestCerts::Set &certs = m_certs;
        QVERIFY(receiver.with([&certs, requireClientCert](LokiReceiver &r) {
            return r.listenTls(certs.server.certificate, certs.server.key, QHostAddress::LocalHost,
                               0, requireClientCert ? QList<QSslCertificate>{certs.ca.certificate}
                                                    : QList<QSslCertificate>{});
        }));
        const QUrl url = receiver.pushUrl();
        QCOMPARE(url.scheme(), QStringLiteral("https"));
        LokiConfig config = configFor(url);
        if (caChoice == 1)
            config.setCaFile(certs.ca.certificatePath);
        else if (caChoice == 2)
            config.setCaFile(certs.otherCa.certificatePath);
        if (clientCert) {
            config.setClientCertificateFile(certs.client.certificatePath);
            config.setClientKeyFile(certs.client.keyPath);
        }
        config.setInsecureSkipTlsVerification(insecure);
        LokiLogger logger(config);
        QVERIFY2(logger.isInitialized(), qPrintable(logger.errorString()));
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        const LokiStats s = logOne(logger);
        QCOMPARE(s.delivered(), quint64(delivered ? 1 : 0));
        if (!delivered) {
            QCOMPARE(s.dropped(DropReason::RetriesExhausted), quint64(1));
            QTRY_VERIFY(!failed.isEmpty());
            // A clear error: names TLS (handshake or the server's refusal) and the host.
            const QString error = failed.first().at(2).toString();
            QVERIFY2(error.contains(QLatin1String("127.0.0.1")), qPrintable(error));
        }
    }

    void unreadableCertificateIsRefusedAtInit()
    {
        LokiConfig config = configFor(QUrl(QStringLiteral("https://127.0.0.1:1")));
        config.setCaFile(QStringLiteral("/nonexistent/ca.pem"));
        LokiLogger logger;
        QVERIFY(!logger.init(config));
        QVERIFY2(logger.errorString().contains(QLatin1String("caFile")), qPrintable(logger.errorString()));
    }
};

QTEST_GUILESS_MAIN(tst_Access)
#include "tst_access.moc"
