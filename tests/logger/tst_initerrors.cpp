// SPDX-License-Identifier: MIT
// LokiLogger::init()'s refusals: which one (error()) and why in words (errorString()).
// The refusal without a QCoreApplication needs a process of its own: tst_lokilogger.
#include <QLoki/LokiLogger>

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

namespace {

// Nothing listens on port 1: init() does not connect, and no test here pushes.
LokiConfig validConfig(const char *url = "http://127.0.0.1:1")
{
    return LokiConfig().setAppName(QStringLiteral("tst")).setUrl(QUrl(QString::fromLatin1(url)));
}

} // namespace

class tst_InitErrors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile garbage(m_dir.filePath(QStringLiteral("garbage.pem")));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("this file holds neither a certificate nor a key\n");
    }

    void errors_data()
    {
        QTest::addColumn<LokiConfig>("config");
        QTest::addColumn<LokiLogger::Error>("error");
        QTest::addColumn<QString>("fragment"); // of errorString(); empty: errorString() empty

        const QString garbage = m_dir.filePath(QStringLiteral("garbage.pem"));
        QTest::newRow("valid") << validConfig() << LokiLogger::NoError << QString();
        QTest::newRow("no appName") << LokiConfig() << LokiLogger::InvalidConfigurationError
                                    << QStringLiteral("appName");
        QTest::newRow("bufferSize 0")
                << validConfig().setBufferSize(0) << LokiLogger::InvalidConfigurationError
                << QStringLiteral("bufferSize is 0");
        QTest::newRow("caFile missing")
                << validConfig("https://127.0.0.1:1")
                           .setCaFile(m_dir.filePath(QStringLiteral("none")))
                << LokiLogger::InvalidConfigurationError << QStringLiteral("cannot be read");
        QTest::newRow("caFile without a certificate")
                << validConfig("https://127.0.0.1:1").setCaFile(garbage) << LokiLogger::TlsFileError
                << QStringLiteral("caFile \"%1\" holds no PEM certificate").arg(garbage);
        QTest::newRow("client certificate without one")
                << validConfig("https://127.0.0.1:1")
                           .setClientCertificateFile(garbage)
                           .setClientKeyFile(garbage)
                << LokiLogger::TlsFileError << QStringLiteral("clientCertificateFile");
    }

    void errors()
    {
        QFETCH(LokiConfig, config);
        QFETCH(LokiLogger::Error, error);
        QFETCH(QString, fragment);

        LokiLogger logger;
        QCOMPARE(logger.error(), LokiLogger::NoError);
        QCOMPARE(logger.init(config), error == LokiLogger::NoError);
        QCOMPARE(logger.isInitialized(), error == LokiLogger::NoError);
        QCOMPARE(logger.error(), error);
        if (fragment.isEmpty())
            QCOMPARE(logger.errorString(), QString());
        else
            QVERIFY2(logger.errorString().contains(fragment), qPrintable(logger.errorString()));
    }

    void errorHasNamesForQDebugAndQml()
    {
        const QMetaEnum e = QMetaEnum::fromType<LokiLogger::Error>();
        QCOMPARE(e.valueToKey(LokiLogger::NoError), "NoError");
        QCOMPARE(e.valueToKey(LokiLogger::InvalidConfigurationError), "InvalidConfigurationError");
        QCOMPARE(e.valueToKey(LokiLogger::NoApplicationError), "NoApplicationError");
        QCOMPARE(e.valueToKey(LokiLogger::TlsFileError), "TlsFileError");
    }

    void failedInitKeepsTheRunningLoggerAndSuccessClearsTheError()
    {
        LokiLogger logger;
        QVERIFY(logger.init(validConfig()));
        QVERIFY(!logger.init(LokiConfig()));
        QCOMPARE(logger.error(), LokiLogger::InvalidConfigurationError);
        QVERIFY(logger.isInitialized());
        QCOMPARE(logger.config(), validConfig());

        QVERIFY(logger.init(validConfig().setEnvironment(QStringLiteral("second"))));
        QCOMPARE(logger.error(), LokiLogger::NoError);
        QCOMPARE(logger.errorString(), QString());
        QCOMPARE(logger.config().environment(), QStringLiteral("second"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(tst_InitErrors)
#include "tst_initerrors.moc"
