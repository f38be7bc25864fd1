// SPDX-License-Identifier: MIT
// The read API: query_range (selectors, line filters, limit, direction, start/end,
// structured metadata merged or categorized), query, labels, label values, query().
#include "httphelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtTest/QtTest>

namespace {

// Three streams at 2024-11-24T00:00:00Z + n ns; "payment done" carries metadata.
const QByteArray Fixture = R"({"streams":[
 {"stream":{"app":"shop","level":"info"},"values":[
   ["1732406400000000001","user login ok"],
   ["1732406400000000003","payment done",{"user_id":"7"}],
   ["1732406400000000005","user logout"]]},
 {"stream":{"app":"shop","level":"error"},"values":[
   ["1732406400000000002","payment failed"],
   ["1732406400000000004","db timeout"]]},
 {"stream":{"app":"auth","level":"info"},"values":[
   ["1732406400000000006","token issued"]]}]})";

const QByteArray Start = "1732406400000000000";
const QByteArray End = "1732406400000000010";

// Result streams as Loki writes them.
const QByteArray ShopInfo = R"({"stream":{"app":"shop","level":"info"},"values":)";
const QByteArray ShopError = R"({"stream":{"app":"shop","level":"error"},"values":)";
const QByteArray ShopInfoUser =
        R"({"stream":{"app":"shop","level":"info","user_id":"7"},"values":)";
const QByteArray Auth = R"({"stream":{"app":"auth","level":"info"},"values":)";

QByteArray value(int n, const char *line)
{
    return "[\"173240640000000000" + QByteArray::number(n) + "\",\"" + line + "\"]";
}

QByteArray envelope(const QByteArray &result)
{
    return R"({"status":"success","data":{"resultType":"streams","result":)" + result
            + R"(,"stats":{}}})";
}

QByteArray encode(const QByteArray &value)
{
    return QUrl::toPercentEncoding(QString::fromUtf8(value));
}

} // namespace

class tst_ReceiverQuery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void queryRange_data();
    void queryRange();
    void badQuery_data();
    void badQuery();
    void categorizedMetadata();
    void defaultTimeRange();
    void formEncodedQuery();
    void instantQuery();
    void labels();
    void cppQuery();

private:
    QUrl url(const QByteArray &pathAndQuery) const
    {
        return QUrl::fromEncoded(m_receiver.baseUrl().toEncoded() + pathAndQuery);
    }
    QUrl queryRangeUrl(const QByteArray &query, const QByteArray &extra) const
    {
        return url("/loki/api/v1/query_range?query=" + encode(query) + extra);
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverQuery::initTestCase()
{
    LokiReceiver::Limits limits;
    limits.setRejectOldSamples(false);
    m_receiver.setLimits(limits);
    QVERIFY(m_receiver.listen());
    QCOMPARE(TestHttp::pushJson(m_manager, m_receiver.pushUrl(), Fixture).status, 204);
    QCOMPARE(m_receiver.entryCount(), 6);
}

void tst_ReceiverQuery::queryRange_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QByteArray>("result");

    const QByteArray range = "&start=" + Start + "&end=" + End;
    QTest::newRow("selector, backward by default") << QByteArray(R"({app="shop"})") << range
                                                   << "[" + ShopInfo + "[" + value(5, "user logout")
                    + "," + value(1, "user login ok") + "]}," + ShopError + "["
                    + value(4, "db timeout") + "," + value(2, "payment failed") + "]},"
                    + ShopInfoUser + "[" + value(3, "payment done") + "]}]";
    QTest::newRow("forward with limit")
            << QByteArray(R"({app="shop"})") << range + "&direction=forward&limit=2"
            << "[" + ShopInfo + "[" + value(1, "user login ok") + "]}," + ShopError + "["
                    + value(2, "payment failed") + "]}]";
    QTest::newRow("backward with limit")
            << QByteArray(R"({app="shop"})") << range + "&direction=backward&limit=1"
            << "[" + ShopInfo + "[" + value(5, "user logout") + "]}]";
    QTest::newRow("not equal") << QByteArray(R"({app="shop", level!="info"})") << range
                               << "[" + ShopError + "[" + value(4, "db timeout") + ","
                    + value(2, "payment failed") + "]}]";
    QTest::newRow("regex") << QByteArray(R"({level=~"err.*"})") << range
                           << "[" + ShopError + "[" + value(4, "db timeout") + ","
                    + value(2, "payment failed") + "]}]";
    QTest::newRow("regex is anchored") << QByteArray(R"({app=~"ho"})") << range << QByteArray("[]");
    QTest::newRow("regex with plus") << QByteArray(R"({app=~"a.+"})") << range
                                     << "[" + Auth + "[" + value(6, "token issued") + "]}]";
    QTest::newRow("not regex") << QByteArray(R"({level="info", app!~"sh.*"})") << range
                               << "[" + Auth + "[" + value(6, "token issued") + "]}]";
    QTest::newRow("missing label matches empty")
            << QByteArray(R"({app="auth", env=""})") << range
            << "[" + Auth + "[" + value(6, "token issued") + "]}]";
    QTest::newRow("line contains") << QByteArray(R"({app="shop"} |= "payment")") << range
                                   << "[" + ShopInfoUser + "[" + value(3, "payment done") + "]},"
                    + ShopError + "[" + value(2, "payment failed") + "]}]";
    QTest::newRow("line does not contain")
            << QByteArray(R"({app="shop"} != "payment")") << range
            << "[" + ShopInfo + "[" + value(5, "user logout") + "," + value(1, "user login ok")
                    + "]}," + ShopError + "[" + value(4, "db timeout") + "]}]";
    QTest::newRow("line matches") << QByteArray(R"q({app="shop"} |~ "log(in|out)")q") << range
                                  << "[" + ShopInfo + "[" + value(5, "user logout") + ","
                    + value(1, "user login ok") + "]}]";
    QTest::newRow("line does not match")
            << QByteArray(R"({app="shop"} !~ "^user")") << range
            << "[" + ShopError + "[" + value(4, "db timeout") + "," + value(2, "payment failed")
                    + "]}," + ShopInfoUser + "[" + value(3, "payment done") + "]}]";
    QTest::newRow("chained filters") << QByteArray(R"({app="shop"} |= "user" != "logout")") << range
                                     << "[" + ShopInfo + "[" + value(1, "user login ok") + "]}]";
    QTest::newRow("backtick string") << QByteArray("{app=`shop`} |~ `d[a-z]+ t`") << range
                                     << "[" + ShopError + "[" + value(4, "db timeout") + "]}]";
    QTest::newRow("start inclusive, end exclusive")
            << QByteArray(R"({app="shop"})")
            << QByteArray("&start=1732406400000000002&end=1732406400000000004")
            << "[" + ShopInfoUser + "[" + value(3, "payment done") + "]}," + ShopError + "["
                    + value(2, "payment failed") + "]}]";
    QTest::newRow("RFC3339 times") << QByteArray(R"({app="shop"})")
                                   << "&start=" + encode("2024-11-24T00:00:00.000000002Z")
                    + "&end=" + encode("2024-11-24T00:00:00.000000004Z")
                                   << "[" + ShopInfoUser + "[" + value(3, "payment done") + "]},"
                    + ShopError + "[" + value(2, "payment failed") + "]}]";
    QTest::newRow("seconds") << QByteArray(R"({app="auth"})")
                             << QByteArray("&start=1732406400&end=1732406401")
                             << "[" + Auth + "[" + value(6, "token issued") + "]}]";
    QTest::newRow("nothing in range")
            << QByteArray(R"({app="shop"})")
            << QByteArray("&start=1732406400000000006&end=1732406400000000010") << QByteArray("[]");
}

void tst_ReceiverQuery::queryRange()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, parameters);
    QFETCH(QByteArray, result);

    const TestHttp::Reply reply = TestHttp::get(m_manager, queryRangeUrl(query, parameters));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.contentType, QByteArray("application/json"));
    QCOMPARE(reply.body, envelope(result));
}

void tst_ReceiverQuery::badQuery_data()
{
    QTest::addColumn<QByteArray>("pathAndQuery");
    QTest::addColumn<QByteArray>("message");

    const QByteArray q = "/loki/api/v1/query_range?query=";
    QTest::newRow("no braces")
            << q + encode(R"(app="shop")")
            << QByteArray(
                       R"(parse error at line 1, col 1: syntax error: unexpected identifier "app", expecting {)");
    QTest::newRow("unterminated selector")
            << q + encode(R"({app="shop")")
            << QByteArray("parse error at line 1, col 12: unexpected end of input inside braces");
    QTest::newRow("bad character")
            << q + encode(R"({app.name="shop"})")
            << QByteArray("parse error at line 1, col 5: unexpected character inside braces: '.'");
    QTest::newRow("matches everything")
            << q + encode(R"({app=~".*"})")
            << QByteArray(
                       R"(parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will)");
    QTest::newRow("only negative matchers")
            << q + encode(R"({app!="shop"})")
            << QByteArray(
                       R"(parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will)");
    QTest::newRow("parser stage") << q + encode(R"({app="shop"} | json)")
                                  << QByteArray("parse error at line 1, col 14: only line filters "
                                                "(|=, !=, |~, !~) are supported by this receiver");
    QTest::newRow("bad regex") << q + encode(R"({app=~"("})")
                               << QByteArray("parse error : error parsing regexp: *");
    QTest::newRow("no query") << QByteArray("/loki/api/v1/query_range")
                              << QByteArray("query parameter is required");
    QTest::newRow("bad limit") << q + encode(R"({app="shop"})") + "&limit=-1"
                               << QByteArray("limit must be a positive value");
    QTest::newRow("bad direction") << q + encode(R"({app="shop"})") + "&direction=sideways"
                                   << QByteArray(R"(invalid direction "sideways")");
    QTest::newRow("bad start")
            << q + encode(R"({app="shop"})") + "&start=yesterday"
            << QByteArray(
                       R"(invalid parameter "start": cannot parse "yesterday" to a valid timestamp)");
    QTest::newRow("end before start")
            << q + encode(R"({app="shop"})") + "&start=20&end=10"
            << QByteArray("end timestamp must not be before or equal to start time");
}

void tst_ReceiverQuery::badQuery()
{
    QFETCH(QByteArray, pathAndQuery);
    QFETCH(QByteArray, message);

    const TestHttp::Reply reply = TestHttp::get(m_manager, url(pathAndQuery));
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.body.endsWith('\n'));
    const QByteArray line = reply.body.chopped(1);
    if (message.endsWith('*'))
        QVERIFY2(line.startsWith(message.chopped(1)), line.constData());
    else
        QCOMPARE(line, message);
}

void tst_ReceiverQuery::categorizedMetadata()
{
    const TestHttp::Reply reply = TestHttp::get(
            m_manager,
            queryRangeUrl(R"({app="shop"} |= "payment")", "&start=" + Start + "&end=" + End),
            {{"X-Loki-Response-Encoding-Flags", "categorize-labels"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(
            reply.body,
            R"({"status":"success","data":{"resultType":"streams","result":[)" + ShopInfo
                    + R"([["1732406400000000003","payment done",{"structuredMetadata":{"user_id":"7"}}]]},)"
                    + ShopError + "[" + value(2, "payment failed")
                    + R"(]}],"stats":{},"encodingFlags":["categorize-labels"]}})");
}

void tst_ReceiverQuery::defaultTimeRange()
{
    // The fixture lies in 2024: outside the default last hour.
    QCOMPARE(TestHttp::get(m_manager, queryRangeUrl(R"({app="shop"})", {})).body, envelope("[]"));

    LokiReceiver recent;
    QVERIFY(recent.listen());
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000 - 1000);
    QCOMPARE(TestHttp::pushJson(m_manager, recent.pushUrl(),
                                R"({"streams":[{"stream":{"app":"recent"},"values":[[")" + now
                                        + R"(","fresh"]]}]})")
                     .status,
             204);
    const QUrl query =
            QUrl::fromEncoded(recent.baseUrl().toEncoded()
                              + "/loki/api/v1/query_range?query=" + encode(R"({app="recent"})"));
    QCOMPARE(TestHttp::get(m_manager, query).body,
             envelope(R"([{"stream":{"app":"recent"},"values":[[")" + now + R"(","fresh"]]}])"));
    QCOMPARE(recent.query(QStringLiteral("{app=\"recent\"}")).size(), 1);
}

void tst_ReceiverQuery::formEncodedQuery()
{
    // '+' is a space in form encoding, in the URL as in a POST body.
    const QByteArray form =
            "query=%7Bapp%3D%22shop%22%7D+%7C%3D+%22user+login%22&start=" + Start + "&end=" + End;
    const QByteArray expected = envelope("[" + ShopInfo + "[" + value(1, "user login ok") + "]}]");
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/query_range?" + form)).body, expected);
    const TestHttp::Reply posted =
            TestHttp::post(m_manager, url("/loki/api/v1/query_range"), form,
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
    QCOMPARE(posted.status, 200);
    QCOMPARE(posted.body, expected);
}

void tst_ReceiverQuery::instantQuery()
{
    // Loki 3 refuses log queries at /query, after parsing them.
    const QByteArray path = "/loki/api/v1/query?query=" + encode(R"({app="auth"})");
    TestHttp::Reply reply = TestHttp::get(m_manager, url(path + "&time=1732406400000000006"));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body,
             QByteArray("log queries are not supported as an instant query type, please "
                        "change your query to a range query type\n"));
    reply = TestHttp::get(m_manager, url("/loki/api/v1/query?query=" + encode(R"({app="auth")")));
    QCOMPARE(reply.status, 400);
    QVERIFY(reply.body.startsWith("parse error at line 1, col 12"));
    // Loki 2 answered them.
    m_receiver.setBuildVersion(QStringLiteral("2.9.13"));
    QCOMPARE(TestHttp::get(m_manager, url(path + "&time=1732406400000000006")).body,
             envelope("[" + Auth + "[" + value(6, "token issued") + "]}]"));
    QCOMPARE(TestHttp::get(m_manager, url(path + "&time=1732406400000000005")).body,
             envelope("[]"));
    m_receiver.setBuildVersion(QStringLiteral("3.0.0"));
}

void tst_ReceiverQuery::labels()
{
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/labels")).body,
             QByteArray(R"({"status":"success","data":["app","level"]})"));
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/label/app/values")).body,
             QByteArray(R"({"status":"success","data":["auth","shop"]})"));
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/label/level/values")).body,
             QByteArray(R"({"status":"success","data":["error","info"]})"));
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/label/user_id/values")).body,
             QByteArray(R"({"status":"success","data":[]})"));
}

void tst_ReceiverQuery::cppQuery()
{
    const qint64 start = Start.toLongLong();
    const qint64 end = End.toLongLong();
    QString error;
    const auto entries = m_receiver.query(QStringLiteral("{app=\"shop\"} |= \"user\""), start, end,
                                          100, LokiReceiver::Direction::Forward, &error);
    QVERIFY(error.isEmpty());
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).line, QStringLiteral("user login ok"));
    QCOMPARE(entries.at(0).timestampNs, start + 1);
    QCOMPARE(entries.at(1).line, QStringLiteral("user logout"));
    QCOMPARE(entries.at(1).labels.value(QStringLiteral("level")), QStringLiteral("info"));

    const auto payment = m_receiver.query(QStringLiteral("{app=\"shop\"} |= \"done\""), start, end);
    QCOMPARE(payment.size(), 1);
    QCOMPARE(payment.at(0).structuredMetadata.value(QStringLiteral("user_id")),
             QStringLiteral("7"));

    QCOMPARE(m_receiver.query(QStringLiteral("{level=\"info\"}"), start, end, 0).size(), 4);
    QCOMPARE(m_receiver.query(QStringLiteral("{level=\"info\"}"), start, end, 2).size(), 2);
    QCOMPARE(m_receiver.query(QStringLiteral("{level=\"info\"}"), start, end, 1).constFirst().line,
             QStringLiteral("token issued"));

    QVERIFY(m_receiver
                    .query(QStringLiteral("{level=\"info\""), start, end, 100,
                           LokiReceiver::Direction::Backward, &error)
                    .isEmpty());
    QCOMPARE(
            error,
            QStringLiteral("parse error at line 1, col 14: unexpected end of input inside braces"));
}

QTEST_GUILESS_MAIN(tst_ReceiverQuery)
#include "tst_receiver_query.moc"
