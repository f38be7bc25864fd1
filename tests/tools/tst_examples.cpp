// SPDX-License-Identifier: MIT
// Runs every example against an in-process receiver and checks what arrived.
#include "toolprocess.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtTest/QTest>

#include <limits>

using namespace Qt::StringLiterals;
using StringMap = QMap<QString, QString>;
using QueryCounts = QList<QPair<QString, int>>;

class TestExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runExample_data();
    void runExample();

private:
    LokiReceiver m_receiver;
};

void TestExamples::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void TestExamples::runExample_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("entries");
    QTest::addColumn<QueryCounts>("queries");
    QTest::addColumn<StringMap>("metadata"); // carried by at least one entry

    QTest::newRow("basic")
        << u"basic"_s << 2
        << QueryCounts{
               {u"{app=\"demo-cpp\", environment=\"staging\", user_id=\"12345\", "
                "action=\"login\", level=\"info\"} |= \"user login ok\""_s, 1},
               {u"{app=\"demo-cpp\", component=\"database\", error_code=\"DB001\", "
                "level=\"error\"} |= \"db connection failed\""_s, 1}}
        << StringMap();
    QTest::newRow("labels")
        << u"labels"_s << 1
        << QueryCounts{{u"{service=\"user-service\", version=\"1.0.0\"} |= \"system info\""_s,
                        1}}
        << StringMap();
    QTest::newRow("metadata")
        << u"metadata"_s << 1
        << QueryCounts{{u"{app=\"demo-cpp\", user_id=\"12345\"} |= \"payment\""_s, 1},
                       {u"{operation_type=\"payment\"}"_s, 0}} // metadata is not a label
        << StringMap{{u"operation_type"_s, u"payment"_s},
                     {u"amount"_s, u"100.5"_s},
                     {u"currency"_s, u"USD"_s}};
    QTest::newRow("custom-instance")
        << u"custom-instance"_s << 1
        << QueryCounts{{u"{app=\"custom-app\", environment=\"development\", "
                        "test_type=\"custom_sdk\"} |= \"custom sdk test\""_s, 1}}
        << StringMap();
    QTest::newRow("threads")
        << u"threads"_s << 50
        << QueryCounts{{u"{app=\"demo-cpp\", thread_id=\"0\"}"_s, 10},
                       {u"{app=\"demo-cpp\", thread_id=\"4\"}"_s, 10},
                       {u"{app=\"demo-cpp\"} |= \"thread 3 message 9\""_s, 1}}
        << StringMap();
    QTest::newRow("flush")
        << u"flush"_s << 3
        << QueryCounts{{u"{app=\"demo-cpp\"} |= \"before flush\""_s, 3},
                       {u"{app=\"demo-cpp\", level=\"warning\"}"_s, 1}}
        << StringMap();
}

void TestExamples::runExample()
{
    QFETCH(QString, name);
    QFETCH(int, entries);
    QFETCH(QueryCounts, queries);
    QFETCH(StringMap, metadata);

    m_receiver.reset();
    const QString program = QStringLiteral(QLOKI_EXAMPLE_DIR) + u"/example-"_s + name;
    const ToolRun run = runTool(program, {u"--url"_s, m_receiver.baseUrl().toString()});
    QVERIFY2(run.finished, run.describe().constData());
    QVERIFY2(run.exitCode == 0, run.describe().constData());
    const QByteArray delivered = "delivered " + QByteArray::number(entries);
    QVERIFY2(run.out.contains(delivered), run.describe().constData());

    QCOMPARE(m_receiver.entryCount(), entries);
    for (const auto &[logql, count] : queries) {
        QString error;
        const auto found = m_receiver.query(logql, 0, std::numeric_limits<qint64>::max(), 0,
                                            LokiReceiver::Direction::Backward, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(found.size() == count,
                 qPrintable(u"%1: %2 entries, expected %3"_s.arg(logql).arg(found.size()).arg(
                     count)));
    }
    if (!metadata.isEmpty()) {
        bool carried = false;
        const QList<LokiReceiver::Entry> stored = m_receiver.entries();
        for (const LokiReceiver::Entry &entry : stored) {
            bool all = true;
            for (auto it = metadata.cbegin(); it != metadata.cend(); ++it)
                all = all && entry.structuredMetadata.value(it.key()) == it.value();
            carried = carried || all;
        }
        QVERIFY2(carried, qPrintable(u"no entry carries the metadata %1"_s.arg(
                              QStringList(metadata.keys()).join(u", "_s))));
    }
}

QTEST_GUILESS_MAIN(TestExamples)
#include "tst_examples.moc"
