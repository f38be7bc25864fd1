// SPDX-License-Identifier: MIT
#include "transport/retrypolicy_p.h"

#include <QtTest/QtTest>

using namespace QLoki::detail;
using namespace std::chrono_literals;
using Verdict = RetryPolicy::Verdict;

class tst_RetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("verdict");
        QTest::newRow("200") << 200 << int(Verdict::Delivered);
        QTest::newRow("204") << 204 << int(Verdict::Delivered);
        QTest::newRow("260 ingestion blocked") << 260 << int(Verdict::Reject);
        QTest::newRow("network error") << 0 << int(Verdict::Retry);
        QTest::newRow("400") << 400 << int(Verdict::Reject);
        QTest::newRow("401") << 401 << int(Verdict::Reject);
        QTest::newRow("404") << 404 << int(Verdict::Reject);
        QTest::newRow("413") << 413 << int(Verdict::Split);
        QTest::newRow("429") << 429 << int(Verdict::Retry);
        QTest::newRow("500") << 500 << int(Verdict::Retry);
        QTest::newRow("503") << 503 << int(Verdict::Retry);
        QTest::newRow("504") << 504 << int(Verdict::Retry);
    }
    void classify()
    {
        QFETCH(int, status);
        QFETCH(int, verdict);
        QCOMPARE(int(RetryPolicy::classify(status)), verdict);
    }

    void backoffDoublesWithinJitter_data()
    {
        QTest::addColumn<double>("random");
        QTest::addColumn<QList<qint64>>("delays");
        // min 100 ms, max 1000 ms: bases 100, 200, 400, 800, 1000, 1000.
        QTest::newRow("lowest jitter") << 0.0 << QList<qint64>{50, 100, 200, 400, 500, 500};
        QTest::newRow("highest jitter") << 0.999999
                                        << QList<qint64>{99, 199, 399, 799, 999, 999};
    }
    void backoffDoublesWithinJitter()
    {
        QFETCH(double, random);
        QFETCH(QList<qint64>, delays);
        RetryPolicy p(100ms, 1000ms, 10);
        p.setRandom([random] { return random; });
        for (int i = 0; i < delays.size(); ++i)
            QCOMPARE(p.delay(i + 1).count(), delays[i]);
    }

    void hugeRetryCountDoesNotOverflow()
    {
        RetryPolicy p(500ms, 30000ms, 3);
        p.setRandom([] { return 0.5; });
        QCOMPARE(p.delay(10000).count(), qint64(22500));
    }

    void retryAfterWinsWhenLonger()
    {
        RetryPolicy p(100ms, 10000ms, 3);
        p.setRandom([] { return 0.0; });
        QCOMPARE(p.delay(1, 2000ms).count(), qint64(2000));
        QCOMPARE(p.delay(1, 10ms).count(), qint64(50));   // shorter: backoff stands
        QCOMPARE(p.delay(1, 60000ms).count(), qint64(10000)); // capped at maxBackoff
    }

    void parseRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("ms"); // -1: none
        QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
        QTest::newRow("spaces") << QByteArray(" 5 ") << qint64(5000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("negative") << QByteArray("-3") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("http date") << QByteArray("Wed, 21 Oct 2015 07:28:10 GMT") << qint64(10000);
        QTest::newRow("http date past") << QByteArray("Wed, 21 Oct 2015 07:27:00 GMT") << qint64(0);
    }
    void parseRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, ms);
        const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);
        const auto parsed = RetryPolicy::parseRetryAfter(value, now);
        if (ms < 0) {
            QVERIFY(!parsed);
        } else {
            QVERIFY(parsed);
            QCOMPARE(parsed->count(), ms);
        }
    }
};

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
