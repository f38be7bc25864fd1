// SPDX-License-Identifier: MIT
#undef QT_NO_CAST_FROM_ASCII
// Loki's refusals, explained: each reason Loki gives for refusing entries reaches the
// application as a short code beside Loki's text (batchFailed(), LokiStats::lastError())
// and is counted per code (LokiStats::rejected()), with the entries Loki stored delivered.
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtTest/QtTest>

Q_DECLARE_METATYPE(LokiReceiver::Limits)

using namespace std::chrono_literals;
using QLoki::DropReason;
using QLoki::RefusalCode;
using Reason = LokiReceiver::RefusalReason;

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("refusals"));
    c.setUrl(url);
    return c;
}

void expectRefusals(LokiLogger &logger, ReceiverThread &receiver, RefusalCode code, int refused,
                    int total)
{
    QSignalSpy failed(&logger, &LokiLogger::batchFailed);
    QVERIFY(logger.flush(15s));
    const LokiStats s = logger.stats();
    QCOMPARE(s.delivered(), quint64(total - refused));
    QCOMPARE(s.dropped(DropReason::Rejected), quint64(refused));
    QCOMPARE(s.rejected(code), quint64(refused));
    quint64 sum = 0;
    for (int c = 0; c < QLoki::RefusalCodeCount; ++c)
        sum += s.rejected(RefusalCode(c));
    QCOMPARE(sum, s.dropped(DropReason::Rejected));
    const QString prefix = QLoki::refusalCodeName(code) + QStringLiteral(": HTTP 400: ");
    QVERIFY2(s.lastError().startsWith(prefix), qPrintable(s.lastError()));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).toInt(), refused);
    QVERIFY2(failed.first().at(2).toString().startsWith(prefix),
             qPrintable(failed.first().at(2).toString()));
    QCOMPARE(receiver.count(), qint64(total - refused));
    QCOMPARE(s.accepted(), s.delivered() + s.dropped() + s.pending());
}

} // namespace

class tst_RefusalCodes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Loki's limits, broken for real by some entries of a push: Loki stores the others.
    void limitsBroken_data()
    {
        QTest::addColumn<LokiReceiver::Limits>("limits");
        QTest::addColumn<RefusalCode>("code");
        QTest::addColumn<int>("refused"); // of 10 entries; entries 2 and 7 break the limit

        const LokiReceiver::Limits defaults;
        QTest::newRow("line too long")
                << LokiReceiver::Limits(defaults).setMaxLineSize(64) << RefusalCode::LineTooLong << 2;
        QTest::newRow("metadata too large")
                << LokiReceiver::Limits(defaults).setMaxStructuredMetadataSize(64)
                << RefusalCode::MetadataTooLarge << 2;
        QTest::newRow("too many metadata labels")
                << LokiReceiver::Limits(defaults).setMaxStructuredMetadataCount(2)
                << RefusalCode::MetadataTooLarge << 2;
        // Entries 2 and 7 carry call labels: their stream has too many label names.
        QTest::newRow("labels") << LokiReceiver::Limits(defaults).setMaxLabelNamesPerSeries(4)
                                << RefusalCode::Labels << 2;
    }

    void limitsBroken()
    {
        QFETCH(LokiReceiver::Limits, limits);
        QFETCH(RefusalCode, code);
        QFETCH(int, refused);
        ReceiverThread receiver;
        receiver.with([limits](LokiReceiver &r) {
            r.setLimits(limits);
            return true;
        });
        LokiLogger logger(configFor(receiver.pushUrl()));
        for (int i = 0; i < 10; ++i) {
            if (i == 2 || i == 7) {
                logger.info(QStringLiteral("entry %1 ").arg(i) + QString(100, QLatin1Char('x')),
                            {{"label_a", "1"}, {"label_b", "2"}, {"user_id", i},
                             {"note", QString(100, QLatin1Char('n'))}, {"extra", true}});
            } else {
                logger.info(QStringLiteral("entry %1").arg(i), {{"user_id", i}});
            }
        }
        expectRefusals(logger, receiver, code, refused, 10);
    }

    // Reasons the receiver gives on request (fault injection), where its limits cannot
    // make them: 1 entry in 5 refused, the others stored.
    void injectedReasons_data()
    {
        QTest::addColumn<Reason>("reason");
        QTest::addColumn<RefusalCode>("code");

        QTest::newRow("too old") << Reason::TooOld << RefusalCode::TooOld;
        QTest::newRow("too new") << Reason::TooNew << RefusalCode::TooNew;
        QTest::newRow("too far behind") << Reason::TooFarBehind << RefusalCode::TooOld;
    }

    void injectedReasons()
    {
        QFETCH(Reason, reason);
        QFETCH(RefusalCode, code);
        ReceiverThread receiver;
        receiver.with([reason](LokiReceiver &r) {
            r.refuseEntries(reason, -1, 5);
            return true;
        });
        LokiLogger logger(configFor(receiver.pushUrl()));
        for (int i = 0; i < 10; ++i)
            logger.info(QStringLiteral("entry %1").arg(i), {{"user_id", i}});
        expectRefusals(logger, receiver, code, 2, 10);
    }

    // 260: the tenant's ingestion is blocked; nothing of the push was stored.
    void ingestionBlocked()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.blockIngestion(60s);
            return true;
        });
        LokiLogger logger(configFor(receiver.pushUrl()));
        for (int i = 0; i < 3; ++i)
            logger.info(QStringLiteral("blocked %1").arg(i));
        QVERIFY(logger.flush(15s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.rejected(RefusalCode::Blocked), quint64(3));
        QCOMPARE(s.dropped(DropReason::Rejected), quint64(3));
        QVERIFY2(s.lastError().startsWith(QStringLiteral("blocked: HTTP 260")),
                 qPrintable(s.lastError()));
        QCOMPARE(receiver.count(), qint64(0));
    }

    // A refusal Loki does not explain (here: credentials the server does not take).
    void unexplainedRefusal()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            r.setBasicAuth(QStringLiteral("user"), QStringLiteral("secret"));
            return true;
        });
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info(QStringLiteral("no credentials"));
        QVERIFY(logger.flush(15s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.rejected(RefusalCode::Other), quint64(1));
        QVERIFY2(s.lastError().startsWith(QStringLiteral("other: HTTP 401")),
                 qPrintable(s.lastError()));
    }

    void codeNames()
    {
        const QStringList expected = {
            QStringLiteral("line_too_long"),      QStringLiteral("too_old"),
            QStringLiteral("too_new"),            QStringLiteral("labels"),
            QStringLiteral("metadata_disallowed"), QStringLiteral("metadata_too_large"),
            QStringLiteral("rate_limited"),       QStringLiteral("blocked"),
            QStringLiteral("other")};
        QCOMPARE(expected.size(), QLoki::RefusalCodeCount);
        for (int c = 0; c < QLoki::RefusalCodeCount; ++c)
            QCOMPARE(QLoki::refusalCodeName(RefusalCode(c)), expected.at(c));
    }
};

QTEST_MAIN(tst_RefusalCodes)
#include "tst_refusalcodes.moc"
