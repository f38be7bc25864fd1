// SPDX-License-Identifier: MIT
// Redaction of secrets end to end: from LokiLogger to a LokiReceiver on loopback, and
// through the disk spool, whose files must never hold a secret.
#undef QT_NO_CAST_FROM_ASCII
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace std::chrono_literals;

namespace {

const QString Secret = QStringLiteral("hunter2-Xq9");
const QString Redacted = QStringLiteral("[REDACTED]");

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName("redaction");
    c.setUrl(url);
    return c;
}

bool invariantHolds(const LokiStats &s)
{
    return s.accepted() == s.delivered() + s.dropped() + s.pending();
}

// Every byte of every file under \a dir.
QByteArray filesUnder(const QString &dir)
{
    QByteArray all;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly))
            all += file.readAll();
    }
    return all;
}

// Logs the entries of the end-to-end tests: three with a secret, two without.
void logMixed(LokiLogger &logger)
{
    logger.info("login user=bob password=" + Secret);
    logger.info("connect", {{"dsn", "postgres://app:" + Secret + "@db:5432/orders"}});
    logger.warning("token refreshed", {{"access_token", Secret}, {"user", "bob"}});
    logger.info("plain line one", {{"order_id", "42"}});
    logger.info("plain line two");
}

} // namespace

class tst_Redaction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The defaults: what the receiver stores has no secret; `redacted` counts entries.
    void storedEntriesAreRedacted()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.isInitialized());
        logMixed(logger);
        QVERIFY(logger.flush(20s));

        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(5));
        QCOMPARE(s.redacted(), quint64(3));
        QVERIFY(invariantHolds(s));
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 5);
        QMap<QString, LokiReceiver::Entry> byLine;
        for (const LokiReceiver::Entry &e : entries) {
            QVERIFY2(!e.line.contains(Secret), qPrintable(e.line));
            for (const QString &value : e.structuredMetadata)
                QVERIFY2(!value.contains(Secret), qPrintable(value));
            byLine.insert(e.line, e);
        }
        QVERIFY(byLine.contains("login user=bob password=[REDACTED]"));
        QCOMPARE(byLine.value("connect").structuredMetadata.value("dsn"),
                 QStringLiteral("postgres://app:[REDACTED]@db:5432/orders"));
        const auto refreshed = byLine.value("token refreshed").structuredMetadata;
        QCOMPARE(refreshed.value("access_token"), Redacted);
        QCOMPARE(refreshed.value("user"), QStringLiteral("bob"));
        QCOMPARE(byLine.value("plain line one").structuredMetadata.value("order_id"),
                 QStringLiteral("42"));
        QVERIFY(byLine.contains("plain line two"));
    }

    // With Loki down, the entries go to the disk spool at the exit: its files hold the
    // lines in plain text, but no secret; the next run delivers them redacted.
    // A braced list of literals (8-bit keys and values) is pre-checked in place: a clean one
    // stays packed, one with a secret name or shape is redacted.
    void bracedListOfLiterals()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info("a", {{"password", "swordfish-42"}, {"user", "bob"}});
        logger.info("b", {{"dsn", "https://app:swordfish-42@db/orders"}, {"n", 7}});
        logger.info("c", {{"user", "bob"}, {"n", 7}, {"ok", true}});
        QVERIFY(logger.flush(20s));
        QCOMPARE(logger.stats().redacted(), quint64(2));
        QMap<QString, QMap<QString, QString>> byLine;
        for (const LokiReceiver::Entry &e : receiver.entries())
            byLine.insert(e.line, e.structuredMetadata);
        QCOMPARE(byLine.value("a").value("password"), Redacted);
        QCOMPARE(byLine.value("a").value("user"), QStringLiteral("bob"));
        QCOMPARE(byLine.value("b").value("dsn"),
                 QStringLiteral("https://app:[REDACTED]@db/orders"));
        QCOMPARE(byLine.value("c").value("n"), QStringLiteral("7"));
        QCOMPARE(byLine.value("c").value("ok"), QStringLiteral("true"));
    }

    // Once its call site is known, an entry whose fields hold nothing to redact is encoded
    // first and its line checked as UTF-8: a line with a secret is still redacted (and the
    // entry encoded again), a clean one sent as it was; with or without fields, in any script.
    void lineCheckedOnceEncoded()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        constexpr int Calls = 5;
        for (int i = 0; i < Calls; ++i) {
            logger.info(QStringLiteral("login %1 password=hunter2-%1").arg(i),
                        {{"user", "bob"}, {"n", i}});
            logger.info(QStringLiteral("plain %1 status=200").arg(i), {{"user", "bob"}, {"n", i}});
            logger.info(QStringLiteral("Anmeldung %1 für Jürgen, password: geheim-%1").arg(i));
            logger.info(QStringLiteral("Größe %1 ok").arg(i));
        }
        QVERIFY(logger.flush(20s));
        QCOMPARE(logger.stats().redacted(), quint64(2 * Calls));
        QCOMPARE(receiver.count(), qint64(4 * Calls));
        int redacted = 0;
        for (const LokiReceiver::Entry &e : receiver.entries()) {
            QVERIFY2(!e.line.contains(QStringLiteral("hunter2"))
                             && !e.line.contains(QStringLiteral("geheim")),
                     qPrintable(e.line));
            if (e.line.contains(Redacted))
                ++redacted;
            else
                QVERIFY2(e.line.startsWith(QStringLiteral("plain "))
                                 || e.line.startsWith(QStringLiteral("Größe ")),
                         qPrintable(e.line));
        }
        QCOMPARE(redacted, 2 * Calls);
    }

    // The same for a braced list with values made at run time: once the call site is known,
    // its metadata names and values are checked in the bytes just encoded, with the line.
    // A secret in a value (also beyond ASCII, and after a value long enough for a two-byte
    // length prefix), a secret name, and a secret in a label value (which no known call site
    // has) are redacted; clean entries are sent as they were.
    void bracedFieldsCheckedOnceEncoded()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        constexpr int Calls = 4;
        const QString pad(200, u'x');
        const QString kelvin = QString(QChar(0x212A)); // folds to `k`: api_Key= is a secret key
        int secrets = 0;
        for (int i = 0; i < Calls; ++i) {
            const QString n = QString::number(i);
            const QString user = "u" + n;
            logger.info("plain " + n, {{"label_service", "checkout"}, {"user", user}, {"n", i}});
            logger.info("value " + n,
                        {{"label_service", "checkout"}, {"note", "password=s3cr3t" + n}});
            logger.info("name " + n, {{"label_service", "checkout"}, {"api_key", "k3y" + n}});
            logger.info(
                    "wide " + n,
                    {{"label_service", "checkout"}, {"note", "api_" + kelvin + "ey=s3cr3t" + n}});
            logger.info("long " + n,
                        {{"label_service", "checkout"}, {"blob", pad + " token=s3cr3t" + n}});
            logger.info("label " + n,
                        {{"label_auth", "Bearer s3cr3t" + n + "abcdef"}, {"user", user}});
            secrets += 5;
        }
        QVERIFY(logger.flush(20s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.redacted(), quint64(secrets));
        QCOMPARE(s.delivered(), quint64(6 * Calls));
        QVERIFY(invariantHolds(s));
        int plain = 0;
        for (const LokiReceiver::Entry &e : receiver.entries()) {
            for (const QString &value : e.structuredMetadata)
                QVERIFY2(!value.contains("s3cr3t") && !value.contains("k3y"), qPrintable(value));
            for (const QString &value : e.labels)
                QVERIFY2(!value.contains("s3cr3t"), qPrintable(value));
            if (e.line.startsWith("plain ")) {
                ++plain;
                QCOMPARE(e.structuredMetadata.value("user"), "u" + e.line.mid(6));
                QCOMPARE(e.structuredMetadata.value("n"), e.line.mid(6));
            } else if (e.line.startsWith("name ")) {
                QCOMPARE(e.structuredMetadata.value("api_key"), Redacted);
            } else if (e.line.startsWith("long ")) {
                QCOMPARE(e.structuredMetadata.value("blob"), pad + " token=" + Redacted);
            }
        }
        QCOMPARE(plain, Calls);
    }

    void spoolNeverHoldsTheSecret()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.goDown();
            return true;
        });
        {
            LokiConfig config = configFor(receiver.pushUrl());
            config.setSpoolDirectory(dir.path());
            // What is under test is the exit to the spool: no need to wait the default 5 s.
            config.setShutdownTimeout(200ms);
            LokiLogger first(config);
            QVERIFY(first.isInitialized());
            logMixed(first);
            first.shutdown();
            const LokiStats s = first.stats();
            QCOMPARE(s.spooled(), quint64(5));
            QCOMPARE(s.dropped(), quint64(0));
            QCOMPARE(s.redacted(), quint64(3));
            QVERIFY(invariantHolds(s));
        }
        const QByteArray onDisk = filesUnder(dir.path());
        QVERIFY(onDisk.contains("plain line two")); // lines are on disk as text...
        QVERIFY(onDisk.contains("password=[REDACTED]"));
        QVERIFY(!onDisk.contains(Secret.toUtf8())); // ...but not the secret

        QVERIFY(receiver.with([](LokiReceiver &r) { return r.comeBack(); }));
        LokiConfig config = configFor(receiver.pushUrl());
        config.setSpoolDirectory(dir.path());
        LokiLogger second(config);
        QVERIFY(second.flush(20s));
        QCOMPARE(second.stats().replayed(), quint64(5));
        QCOMPARE(second.stats().delivered(), quint64(5));
        QCOMPARE(second.stats().redacted(), quint64(0)); // redacted once, before the disk
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 5);
        for (const LokiReceiver::Entry &e : entries) {
            QVERIFY(!e.line.contains(Secret));
            for (const QString &value : e.structuredMetadata)
                QVERIFY(!value.contains(Secret));
        }
    }

    // Qt's own messages through the hook are redacted the same way.
    void qtMessagesThroughTheHook()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.isInitialized());
        QVERIFY(logger.installMessageHandler());
        qWarning("retrying with Authorization: Bearer %s", qPrintable(Secret));
        logger.uninstallMessageHandler();
        QVERIFY(logger.flush(20s));

        QCOMPARE(logger.stats().redacted(), quint64(1));
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().line,
                 QStringLiteral("retrying with Authorization: Bearer [REDACTED]"));
    }

    // The application's rules, after the built-in ones, with a capture and the default
    // replacement.
    void applicationRules()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setRedactions({{QRegularExpression("(customer-)\\d{6}"), "\\1######"},
                              {QRegularExpression("(?i)iban=\\w+"), QString()}});
        config.setRedactionReplacement("<hidden>");
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        logger.info("order of customer-123456 paid from IBAN=DE89370400440532013000",
                    {{"note", "customer-654321"}, {"secret", Secret}});
        logger.info("nothing to hide here");
        QVERIFY(logger.flush(20s));

        QCOMPARE(logger.stats().redacted(), quint64(1));
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).line, QStringLiteral("order of customer-###### paid from <hidden>"));
        QCOMPARE(entries.at(0).structuredMetadata.value("note"), QStringLiteral("customer-######"));
        QCOMPARE(entries.at(0).structuredMetadata.value("secret"), QStringLiteral("<hidden>"));
        QCOMPARE(entries.at(1).line, QStringLiteral("nothing to hide here"));
    }

    // redactSecrets false: the built-in set is off, the line arrives as logged.
    void builtInSetOff()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setRedactSecrets(false);
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        logMixed(logger);
        QVERIFY(logger.flush(20s));

        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(5));
        QCOMPARE(s.redacted(), quint64(0));
        bool seen = false;
        for (const LokiReceiver::Entry &e : receiver.entries())
            seen = seen || e.line == "login user=bob password=" + Secret;
        QVERIFY(seen);
    }
};

QTEST_GUILESS_MAIN(tst_Redaction)
#include "tst_redaction.moc"
