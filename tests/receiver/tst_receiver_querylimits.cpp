// SPDX-License-Identifier: MIT
// The read API under load and abuse: Loki's cap on a query's limit, the first entries
// selected without sorting every match, regular expressions on RE2 (linear time, Go's
// words for errors), a 1 MB selector answered at once (a linear lexer), and times at the
// edges of what nanoseconds hold.
#include "httphelper.h"
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

#include <algorithm>

using Direction = LokiReceiver::Direction;

namespace {

// 2024-11-24T00:00:00Z: the fixtures carry old timestamps, with old-sample rejection off.
constexpr qint64 T0 = 1732406400LL * 1000000000LL;

QByteArray encode(const QByteArray &value)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(value));
}

struct Pushed
{
    qint64 timestampNs;
    int arrival;
    QString line;
};

} // namespace

class tst_ReceiverQueryLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void queryLimitCapped_data();
    void queryLimitCapped();
    void firstEntriesSelected_data();
    void firstEntriesSelected();
    void regularExpressions_data();
    void regularExpressions();
    void megabyteSelector_data();
    void megabyteSelector();
    void extremeTimes_data();
    void extremeTimes();

private:
    TestHttp::Reply queryRange(const QByteArray &query, const QByteArray &extra)
    {
        return TestHttp::get(m_manager,
                             QUrl::fromEncoded(m_receiver.baseUrl().toEncoded()
                                               + "/loki/api/v1/query_range?query=" + encode(query)
                                               + extra));
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
    QList<Pushed> m_pushed;
};

void tst_ReceiverQueryLimits::initTestCase()
{
    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(false);
    limits.setOutOfOrderWindow(std::chrono::milliseconds(0));
    m_receiver.setLimits(limits);
    QVERIFY(m_receiver.listen());
    // 3,000 entries in three streams, timestamps shuffled with many ties (arrival breaks
    // them), and a few long lines for the regular expressions.
    QRandomGenerator random(20241124);
    QList<TestPush::Stream> streams {{"{app=\"top\", part=\"a\"}", {}},
                                     {"{app=\"top\", part=\"b\"}", {}},
                                     {"{app=\"top\", part=\"c\"}", {}}};
    for (int i = 0; i < 3000; ++i) {
        const qint64 t = T0 + random.bounded(500);
        const QByteArray line = "entry " + QByteArray::number(i);
        streams[i % 3].entries.append({t, line, {}});
    }
    // Pushed stream by stream: arrival is stream a's entries, then b's, then c's.
    int arrival = 0;
    for (const TestPush::Stream &stream : streams) {
        for (const TestPush::Entry &entry : stream.entries)
            m_pushed.append({entry.timestampNs, arrival++, QString::fromUtf8(entry.line)});
        QCOMPARE(TestHttp::pushProtobuf(
                         m_manager, m_receiver.pushUrl(),
                         TestPush::snappyCompress(TestPush::encodePushRequest({stream})))
                         .status,
                 204);
    }
    const QByteArray longLine = QByteArray(30000, 'a') + 'b';
    QCOMPARE(TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(),
                                    TestPush::snappyCompress(TestPush::encodePushRequest(
                                            {{"{app=\"re\", level=\"Info\"}",
                                              {{T0, longLine, {}},
                                               {T0 + 1, "User logged in", {}},
                                               {T0 + 2, "line\nwith a break", {}}}}})))
                     .status,
             204);
    QCOMPARE(m_receiver.entryCount(), 3003);
}

void tst_ReceiverQueryLimits::queryLimitCapped_data()
{
    QTest::addColumn<int>("maxLimit");
    QTest::addColumn<QByteArray>("limit");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("Loki's default, at it") << 5000 << QByteArray("5000") << 200 << QByteArray();
    QTest::newRow("Loki's default, above it")
            << 5000 << QByteArray("5001") << 400
            << QByteArray("max entries limit per query exceeded, limit > max_entries_limit (5001 "
                          "> 5000)\n");
    QTest::newRow("a lower cap") << 10 << QByteArray("11") << 400
                                 << QByteArray("max entries limit per query exceeded, limit > "
                                               "max_entries_limit (11 > 10)\n");
    QTest::newRow("the default limit under a low cap")
            << 99 << QByteArray() << 400
            << QByteArray("max entries limit per query exceeded, limit > max_entries_limit (100 "
                          "> 99)\n");
    QTest::newRow("no cap") << 0 << QByteArray("100000") << 200 << QByteArray();
}

void tst_ReceiverQueryLimits::queryLimitCapped()
{
    QFETCH(int, maxLimit);
    QFETCH(QByteArray, limit);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    LokiReceiver::Limits limits = m_receiver.limits();
    QCOMPARE(LokiReceiver::Limits().maxEntriesLimitPerQuery(), 5000);
    limits.setMaxEntriesLimitPerQuery(maxLimit);
    m_receiver.setLimits(limits);
    const QByteArray range =
            "&start=" + QByteArray::number(T0) + "&end=" + QByteArray::number(T0 + 1000);
    const TestHttp::Reply reply = queryRange(
            R"({app="top"})", range + (limit.isEmpty() ? QByteArray() : "&limit=" + limit));
    QCOMPARE(reply.status, status);
    if (status == 400)
        QCOMPARE(reply.body, answer);
    else
        QCOMPARE(reply.body.count("\"entry "), qMin(3000, limit.toInt()));
    limits.setMaxEntriesLimitPerQuery(5000);
    m_receiver.setLimits(limits);
}

void tst_ReceiverQueryLimits::firstEntriesSelected_data()
{
    QTest::addColumn<Direction>("direction");
    QTest::addColumn<int>("limit");
    for (const int limit : {1, 7, 250, 2999, 3000, 0}) {
        QTest::addRow("backward, limit %d", limit) << Direction::Backward << limit;
        QTest::addRow("forward, limit %d", limit) << Direction::Forward << limit;
    }
}

void tst_ReceiverQueryLimits::firstEntriesSelected()
{
    QFETCH(Direction, direction);
    QFETCH(int, limit);

    // The reference: every match sorted (ties by arrival, later first going backward).
    QList<Pushed> expected = m_pushed;
    const bool forward = direction == Direction::Forward;
    std::sort(expected.begin(), expected.end(), [forward](const Pushed &a, const Pushed &b) {
        if (a.timestampNs != b.timestampNs)
            return forward ? a.timestampNs < b.timestampNs : a.timestampNs > b.timestampNs;
        return forward ? a.arrival < b.arrival : a.arrival > b.arrival;
    });
    if (limit > 0)
        expected = expected.mid(0, limit);

    const auto entries =
            m_receiver.query(QStringLiteral("{app=\"top\"}"), T0, T0 + 1000, limit, direction);
    QCOMPARE(entries.size(), expected.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QCOMPARE(entries.at(i).timestampNs, expected.at(i).timestampNs);
        QCOMPARE(entries.at(i).line, expected.at(i).line);
    }

    // Over HTTP, the same entries (grouped by stream in the answer).
    if (limit > 0 && limit <= 5000) {
        const TestHttp::Reply reply = queryRange(
                R"({app="top"})",
                "&start=" + QByteArray::number(T0) + "&end=" + QByteArray::number(T0 + 1000)
                        + "&limit=" + QByteArray::number(limit)
                        + (forward ? "&direction=forward" : "&direction=backward"));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.body.count("\"entry "), expected.size());
        for (const Pushed &pushed : std::as_const(expected))
            QVERIFY(reply.body.contains(QByteArray('"' + pushed.line.toUtf8() + '"')));
    }
}

void tst_ReceiverQueryLimits::regularExpressions_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("status");
    // The lines found, in order; for a 400, the whole answer.
    QTest::addColumn<QByteArray>("answer");

    // Backtracking engines take exponential time on these; RE2 takes linear time.
    QTest::newRow("nested repetition, no match")
            << QByteArray(R"({app="re"} |~ "^(a|aa)+$")") << 200 << QByteArray();
    QTest::newRow("nested repetition in a selector")
            << QByteArray(R"({app=~"(t|to)+p", part=~"(a|b)+"} |~ "^((entry )+)+1$")") << 200
            << QByteArray("entry 1");
    QTest::newRow("case-insensitive flag") << QByteArray(R"({app="re"} |~ "(?i)user LOGGED")")
                                           << 200 << QByteArray("User logged in");
    QTest::newRow("label regex anchored")
            << QByteArray(R"({app="re", level=~"Inf"})") << 200 << QByteArray();
    QTest::newRow("dot does not cross lines")
            << QByteArray(R"({app="re"} |~ "line.with")") << 200 << QByteArray();
    QTest::newRow("not matching") << QByteArray(R"({app="re"} !~ "a+b|User")") << 200
                                  << QByteArray("line\\nwith a break");
    QTest::newRow("Go's words: missing paren")
            << QByteArray(R"q({app="re"} |~ "(")q") << 400
            << QByteArray("parse error : error parsing regexp: missing closing ): `(`\n");
    QTest::newRow("Go's words: nested repetition")
            << QByteArray(R"({app="re"} |~ "a**")") << 400
            << QByteArray("parse error : error parsing regexp: invalid nested repetition "
                          "operator: `**`\n");
    QTest::newRow("Go's words: Perl lookahead")
            << QByteArray(R"q({app="re"} |~ "(?=x)")q") << 400
            << QByteArray("parse error : error parsing regexp: invalid or unsupported Perl "
                          "syntax: `(?=`\n");
    QTest::newRow("Go's words: class range")
            << QByteArray(R"({app=~"[z-a]"})") << 400
            << QByteArray("parse error : error parsing regexp: invalid character class range: "
                          "`z-a`\n");
}

void tst_ReceiverQueryLimits::regularExpressions()
{
    QFETCH(QByteArray, query);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    QElapsedTimer timer;
    timer.start();
    const TestHttp::Reply reply = queryRange(
            query, "&start=" + QByteArray::number(T0) + "&end=" + QByteArray::number(T0 + 1000));
    QCOMPARE(reply.status, status);
    if (status == 400) {
        QCOMPARE(reply.body, answer);
        return;
    }
    if (answer.isEmpty())
        QVERIFY2(!reply.body.contains("\"values\""), reply.body.constData());
    else {
        const QByteArray value = "\",\"" + answer + "\"]";
        QVERIFY2(reply.body.contains(value), reply.body.constData());
    }
    // Linear time: a 30,000-character line is matched in milliseconds, not years.
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void tst_ReceiverQueryLimits::megabyteSelector_data()
{
    QTest::addColumn<QByteArray>("matcher");
    QTest::addColumn<QByteArray>("answerStart");
    QTest::newRow("empty matchers")
            << QByteArray(R"(a="")") << QByteArray("parse error : queries require at least one");
    QTest::newRow("equal matchers")
            << QByteArray(R"(app="top")") << QByteArray("{\"status\":\"success\"");
    QTest::newRow("broken at the end")
            << QByteArray(R"(a="x")") << QByteArray("parse error at line 1, col ");
}

void tst_ReceiverQueryLimits::megabyteSelector()
{
    QFETCH(QByteArray, matcher);
    QFETCH(QByteArray, answerStart);

    QByteArray selector = "{";
    while (selector.size() < 1024 * 1024)
        selector += matcher + ',';
    selector.chop(1);
    selector += QTest::currentDataTag() == QByteArray("broken at the end") ? "," : "}";
    const QByteArray form = "query=" + encode(selector) + "&start=" + QByteArray::number(T0)
            + "&end=" + QByteArray::number(T0 + 1000) + "&limit=1";
    QElapsedTimer timer;
    timer.start();
    const TestHttp::Reply reply = TestHttp::post(
            m_manager,
            QUrl::fromEncoded(m_receiver.baseUrl().toEncoded() + "/loki/api/v1/query_range"), form,
            {{"Content-Type", "application/x-www-form-urlencoded"}});
    const qint64 elapsed = timer.elapsed();
    QVERIFY2(reply.body.startsWith(answerStart), reply.body.left(200).constData());
    qInfo("a %lld-byte selector answered in %lld ms", qint64(selector.size()), elapsed);
    // Answered at once (the quadratic lexer took minutes); the bound leaves room for
    // sanitizer builds on a busy machine.
    QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
}

void tst_ReceiverQueryLimits::extremeTimes_data()
{
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<int>("status");
    QTest::newRow("largest seconds") << QByteArray("&start=9999999999") << 400;
    QTest::newRow("negative seconds") << QByteArray("&start=-999999999&end=0") << 200;
    QTest::newRow("largest nanoseconds") << QByteArray("&start=0&end=9223372036854775807") << 200;
    QTest::newRow("beyond nanoseconds") << QByteArray("&end=99999999999999999999") << 400;
    QTest::newRow("huge decimal") << QByteArray("&start=1e300") << 400;
    QTest::newRow("negative huge decimal") << QByteArray("&start=-1e300&end=0") << 400;
    QTest::newRow("not a number") << QByteArray("&start=nan") << 400;
    QTest::newRow("infinity") << QByteArray("&end=inf") << 400;
    QTest::newRow("year 9999") << QByteArray("&end=9999-12-31T23:59:59Z") << 400;
    QTest::newRow("year 2262, in range") << QByteArray("&start=0&end=2262-01-01T00:00:00Z") << 200;
    QTest::newRow("start by default an hour before the earliest end")
            << QByteArray("&end=-9223372036854775807") << 200;
    QTest::newRow("instant time at the edge")
            << QByteArray("&time=9223372036854775807&instant") << 400;
}

void tst_ReceiverQueryLimits::extremeTimes()
{
    QFETCH(QByteArray, parameters);
    QFETCH(int, status);

    const bool instant = parameters.endsWith("&instant");
    const QByteArray path =
            instant ? "/loki/api/v1/query?query=" : "/loki/api/v1/query_range?query=";
    const TestHttp::Reply reply = TestHttp::get(
            m_manager,
            QUrl::fromEncoded(m_receiver.baseUrl().toEncoded() + path + encode(R"({app="top"})")
                              + (instant ? parameters.chopped(8) : parameters)));
    QCOMPARE(reply.status, status);
    if (status == 400 && !instant)
        QVERIFY2(reply.body.contains("to a valid timestamp"), reply.body.constData());
}

QTEST_GUILESS_MAIN(tst_ReceiverQueryLimits)
#include "tst_receiver_querylimits.moc"
