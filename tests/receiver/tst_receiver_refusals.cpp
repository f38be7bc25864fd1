// SPDX-License-Identifier: MIT
// Refusals as Loki answers them: each stream and entry judged on its own, the valid
// entries stored (exactly once), Loki's words for each reason, several refusals grouped
// as Loki groups them, the counters and /metrics, in both wire formats, stored and counted.
#include "httphelper.h"
#include "refusaltest.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtTest/QtTest>

using namespace RefusalTest;

class tst_ReceiverRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void refusals_data();
    void refusals();
    void countingOnlyKeepsNoViews();

private:
    TestHttp::Reply push(const QByteArray &wire, const Push &push);

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverRefusals::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void tst_ReceiverRefusals::init()
{
    m_receiver.reset();
    m_receiver.setCountingOnly(false);
    m_receiver.setLimits(LokiReceiver::Limits());
}

TestHttp::Reply tst_ReceiverRefusals::push(const QByteArray &wire, const Push &push)
{
    if (wire == "json")
        return TestHttp::pushJson(m_manager, m_receiver.pushUrl(), jsonBody(push));
    return TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(), protobufBody(push));
}

void tst_ReceiverRefusals::refusals_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Push>("push");
    QTest::addColumn<bool>("allowMetadata");
    QTest::addColumn<int>("status");
    // The whole answer without its final newline; {TIME} stands for a time of arrival.
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QList<QByteArray>>("stored");
    QTest::addColumn<ReasonCounts>("rejected");

    const qint64 t = baseNs();
    const QByteArray longLine(262145, 'x');
    const QByteArray bigValue(70000, 'v');
    Pairs manyPairs;
    for (int i = 0; i < 129; ++i)
        manyPairs.append({"k" + QByteArray::number(i).rightJustified(3, '0'), "v"});
    Pairs sixteen;
    for (int i = 0; i < 16; ++i)
        sixteen.append({"l" + QByteArray::number(i).rightJustified(2, '0'), "v"});
    const QByteArray longName(1025, 'n');
    const QByteArray longValue(2049, 'v');
    const QList<QByteArray> both {"kept 1", "kept 2"};

    for (const QByteArray &wire : {QByteArray("json"), QByteArray("protobuf")}) {
        auto row = [&wire](const char *name) -> QTestData & {
            return QTest::newRow(QByteArray(wire + ": " + name).constData()) << wire;
        };
        row("all valid") << Push {{App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}} << true << 204
                         << QByteArray() << both << ReasonCounts();
        row("line too long")
                << Push {{App, {ok(t, "kept 1"), Value {t + 1, longLine, {}}, ok(t + 2, "kept 2")}}}
                << true << 400
                << "Max entry size '262144' bytes exceeded for stream '" + AppName
                        + "' while adding an entry with length '262145' bytes"
                << both << reasons({{"line_too_long", 1}});
        row("too old") << Push {{App,
                                 {ok(t, "kept 1"), ok(t - 8 * Day, "old"), ok(t + 1, "kept 2")}}}
                       << true << 400
                       << "entry for stream '" + AppName + "' has timestamp too old: "
                        + rfc3339(t - 8 * Day) + ", oldest acceptable timestamp is: {TIME}"
                       << both << reasons({{"greater_than_max_sample_age", 1}});
        row("too new") << Push {{App, {ok(t, "kept 1"), ok(t + Hour, "new"), ok(t + 1, "kept 2")}}}
                       << true << 400
                       << "entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                       << both << reasons({{"too_far_in_future", 1}});
        row("structured metadata disallowed")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", {{"user", "7"}}},
                           ok(t + 2, "kept 2")}}}
                << false << 400
                << "stream '" + AppName
                        + "' includes structured metadata, but this feature is disallowed. Please "
                          "see `limits_config.allow_structured_metadata` or contact your Loki "
                          "administrator to enable it."
                << both << reasons({{"disallowed_structured_metadata", 1}});
        row("structured metadata too large")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", {{"blob", bigValue}}},
                           ok(t + 2, "kept 2")}}}
                << true << 400
                << "stream '" + AppName
                        + "' has structured metadata too large: '70004' bytes, limit: '65536' "
                          "bytes. Please see `limits_config.max_structured_metadata_size` or "
                          "contact your Loki administrator to increase it."
                << both << reasons({{"structured_metadata_too_large", 1}});
        row("structured metadata too many")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", manyPairs}, ok(t + 2, "kept 2")}}}
                << true << 400
                << "stream '" + AppName
                        + "' has too many structured metadata labels: '129', limit: '128'. Please "
                          "see `limits_config.max_structured_metadata_entries_count` or contact "
                          "your Loki administrator to increase it."
                << both << reasons({{"structured_metadata_too_many", 1}});
        row("no labels: the stream refused once")
                << Push {{{}, {ok(t, "lost 1"), ok(t + 1, "lost 2")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400 << QByteArray("error at least one label pair is required per stream")
                << both << reasons({{"missing_labels", 2}});
        row("only an empty label value")
                << Push {{{{"app", ""}}, {ok(t, "lost")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400 << QByteArray("error at least one label pair is required per stream")
                << both << reasons({{"missing_labels", 1}});
        row("too many label names")
                << Push {{sixteen, {ok(t, "lost")}}, {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "entry for stream '" + labelText(sixteen) + "' has 16 label names; limit 15"
                << both << reasons({{"max_label_names_per_series", 1}});
        row("label name too long")
                << Push {{{{longName, "v"}}, {ok(t, "lost")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "stream '{" + longName + "=\"v\"}' has label name too long: '" + longName + '\''
                << both << reasons({{"label_name_too_long", 1}});
        row("label value too long") << Push {{{{"app", longValue}}, {ok(t, "lost")}},
                                             {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                                    << true << 400
                                    << "stream '{app=\"" + longValue
                        + "\"}' has label value too long: '" + longValue + '\''
                                    << both << reasons({{"label_value_too_long", 1}});
        row("invalid label name: the whole push refused")
                << Push {{App, {ok(t, "lost 1")}}, {{{"bad-name", "x"}}, {ok(t, "lost 2")}}} << true
                << 400
                << QByteArray(
                           R"(couldn't parse labels: 1:5: parse error: unexpected character inside braces: '-')")
                << QList<QByteArray>() << reasons({{"invalid_labels", 2}});
        row("too far behind: the ingester's answer")
                << Push {{App,
                          {ok(t, "kept 1"), ok(t - 2 * Hour, "behind"),
                           ok(t - 30 * Minute, "kept 2")}}}
                << true << 400
                << "entry with timestamp " + goTime(t - 2 * Hour)
                        + " ignored, reason: 'entry too far behind, entry timestamp is: "
                        + rfc3339(t - 2 * Hour)
                        + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                        + "',\nuser 'fake', total ignored: 1 out of 3 for stream: " + AppName
                << both << reasons({{"too_far_behind", 1}});
        row("one reason three times")
                << Push {{App,
                          {ok(t, "kept 1"), ok(t + Hour, "new"), ok(t + Hour, "new 2"),
                           ok(t + Hour, "new 3"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "3 errors like: entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                << both << reasons({{"too_far_in_future", 3}});
        row("two reasons, grouped by message")
                << Push {{App,
                          {Value {t, longLine, {}}, ok(t + 1, "kept 1"),
                           Value {t + 2, longLine, {}}, ok(t + Hour, "new")}},
                         {{}, {ok(t, "lost")}},
                         {{{"app", "s"}}, {ok(t + 3, "kept 2")}}}
                << true << 400
                << "2 errors like: Max entry size '262144' bytes exceeded for stream '" + AppName
                        + "' while adding an entry with length '262145' bytes; 1 errors like: "
                          "entry for stream '"
                        + AppName + "' has timestamp too new: " + rfc3339(t + Hour)
                        + "; 1 errors like: error at least one label pair is required per stream"
                << both
                << reasons({{"line_too_long", 2}, {"too_far_in_future", 1}, {"missing_labels", 1}});
        row("the ingester's answer replaces the distributor's")
                << Push {{App,
                          {Value {t, longLine, {}}, ok(t, "kept 1"), ok(t - 3 * Hour, "behind"),
                           ok(t + 1, "kept 2")}}}
                << true << 400
                << "entry with timestamp " + goTime(t - 3 * Hour)
                        + " ignored, reason: 'entry too far behind, entry timestamp is: "
                        + rfc3339(t - 3 * Hour)
                        + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                        + "',\nuser 'fake', total ignored: 1 out of 3 for stream: " + AppName
                << both << reasons({{"line_too_long", 1}, {"too_far_behind", 1}});
        row("every entry refused")
                << Push {{App, {ok(t + Hour, "new"), Value {t, longLine, {}}}}} << true << 400
                << "1 errors like: entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                        + "; 1 errors like: Max entry size '262144' bytes "
                          "exceeded for stream '"
                        + AppName + "' while adding an entry with length '262145' bytes"
                << QList<QByteArray>() << reasons({{"too_far_in_future", 1}, {"line_too_long", 1}});
    }
    // JSON objects cannot repeat a key.
    QTest::newRow("protobuf: duplicate label name")
            << QByteArray("protobuf")
            << Push {{{{"app", "a"}, {"app", "b"}}, {ok(t, "lost")}},
                     {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
            << true << 400
            << QByteArray(R"(stream '{app="a", app="b"}' has duplicate label name: 'app')") << both
            << reasons({{"duplicate_label_names", 1}});
}

void tst_ReceiverRefusals::refusals()
{
    QFETCH(QByteArray, wire);
    QFETCH(Push, push);
    QFETCH(bool, allowMetadata);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(QList<QByteArray>, stored);
    QFETCH(ReasonCounts, rejected);

    LokiReceiver::Limits limits;
    limits.setAllowStructuredMetadata(allowMetadata);
    quint64 rejectedTotal = 0;
    for (const quint64 count : rejected)
        rejectedTotal += count;

    // Stored, then counted only: both answer alike.
    for (const bool countingOnly : {false, true}) {
        m_receiver.reset();
        m_receiver.setCountingOnly(countingOnly);
        m_receiver.setLimits(limits);
        QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
        const TestHttp::Reply reply = this->push(wire, push);
        QVERIFY(reply.finished);
        QCOMPARE(reply.status, status);
        if (status == 204) {
            QCOMPARE(reply.body, QByteArray());
        } else {
            QVERIFY(reply.body.endsWith('\n'));
            QVERIFY2(answerPattern(answer)
                             .match(QString::fromUtf8(reply.body.chopped(1)))
                             .hasMatch(),
                     reply.body.constData());
        }
        QCOMPARE(handled.count(), 1);
        QCOMPARE(handled.at(0).at(1).toInt(), stored.size());

        const LokiReceiver::Stats stats = m_receiver.stats();
        QCOMPARE(stats.entriesAccepted(), quint64(stored.size()));
        QCOMPARE(stats.entriesRejected(), rejectedTotal);
        QCOMPARE(stats.rejectedByReason(), rejected);
        if (countingOnly) {
            QCOMPARE(m_receiver.entryCount(), 0);
            continue;
        }
        // Every valid entry stored, each exactly once.
        QList<QByteArray> lines;
        for (const LokiReceiver::Entry &entry : m_receiver.entries())
            lines.append(entry.line.toUtf8());
        std::sort(lines.begin(), lines.end());
        QList<QByteArray> expected = stored;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(lines, expected);

        const TestHttp::Reply metrics = TestHttp::get(
                m_manager, m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
        QVERIFY(metrics.body.contains(QByteArray("loki_receiver_entries_rejected_total "
                                                 + QByteArray::number(rejectedTotal) + '\n')));
        for (auto it = rejected.cbegin(); it != rejected.cend(); ++it) {
            const QByteArray line = "loki_receiver_discarded_samples_total{reason=\""
                    + it.key().toUtf8() + "\"} " + QByteArray::number(it.value()) + '\n';
            QVERIFY2(metrics.body.contains(line), line.constData());
        }
    }
}

void tst_ReceiverRefusals::countingOnlyKeepsNoViews()
{
    // Counting reads protobuf strings in place; refusals and counters must own what they
    // keep. Under AddressSanitizer a kept view of the freed message is a failure.
    m_receiver.setCountingOnly(true);
    LokiReceiver::Limits limits;
    limits.setMaxLineSize(4);
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    const Push refused {{App, {ok(t, "ok"), ok(t - 2 * Hour, "old"), ok(t + 1, "too long")}},
                        {{{"app", "x"}, {"app", "y"}}, {ok(t, "dup")}}};
    for (int round = 0; round < 3; ++round) {
        const TestHttp::Reply reply = push("protobuf", refused);
        QCOMPARE(reply.status, 400);
        QVERIFY2(
                reply.body.contains(QByteArray("total ignored: 1 out of 2 for stream: " + AppName)),
                reply.body.constData());
    }
    const LokiReceiver::Stats stats = m_receiver.stats();
    QCOMPARE(stats.entriesAccepted(), 3u);
    QCOMPARE(stats.entriesRejected(), 9u);
    QCOMPARE(stats.rejectedByReason(),
             reasons({{"line_too_long", 3}, {"too_far_behind", 3}, {"duplicate_label_names", 3}}));
}

QTEST_GUILESS_MAIN(tst_ReceiverRefusals)
#include "tst_receiver_refusals.moc"
