// SPDX-License-Identifier: MIT
// Loki's out-of-order window: an entry may trail its stream's newest by an hour
// (half the ingester's max_chunk_age), per stream and tenant; older ones are ignored with
// the ingester's answer.
#include "httphelper.h"
#include "refusaltest.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtTest/QtTest>

using namespace RefusalTest;

class tst_ReceiverOutOfOrder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void outOfOrderWindowAcrossPushes();
    void outOfOrderWindowOff();

private:
    TestHttp::Reply push(const QByteArray &wire, const Push &push);

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverOutOfOrder::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void tst_ReceiverOutOfOrder::init()
{
    m_receiver.reset();
    m_receiver.setLimits(LokiReceiver::Limits());
}

TestHttp::Reply tst_ReceiverOutOfOrder::push(const QByteArray &wire, const Push &push)
{
    if (wire == "json")
        return TestHttp::pushJson(m_manager, m_receiver.pushUrl(), jsonBody(push));
    return TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(), protobufBody(push));
}

void tst_ReceiverOutOfOrder::outOfOrderWindowAcrossPushes()
{
    const qint64 t = baseNs();
    QCOMPARE(push("protobuf", {{App, {ok(t, "newest")}}}).status, 204);
    // Within the hour behind the stream's newest entry, out of order is fine.
    QCOMPARE(push("protobuf", {{App, {ok(t - 59 * Minute, "late")}}}).status, 204);
    // Another stream has a window of its own; so has another tenant.
    QCOMPARE(push("json", {{{{"app", "other"}}, {ok(t - 3 * Hour, "first of its stream")}}}).status,
             204);
    Push behind {{App,
                  {ok(t - 61 * Minute, "behind 1"), ok(t - 62 * Minute, "behind 2"),
                   ok(t - 10 * Minute, "kept")}}};
    const TestHttp::Reply reply = push("json", behind);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body,
             "entry with timestamp " + goTime(t - 61 * Minute)
                     + " ignored, reason: 'entry too far behind, entry timestamp is: "
                     + rfc3339(t - 61 * Minute) + ", oldest acceptable timestamp is: "
                     + rfc3339(t - Hour) + "',\nentry with timestamp " + goTime(t - 62 * Minute)
                     + " ignored, reason: 'entry too far behind, entry timestamp is: "
                     + rfc3339(t - 62 * Minute)
                     + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                     + "',\nuser 'fake', total ignored: 2 out of 3 for stream: " + AppName + '\n');
    QCOMPARE(m_receiver.entryCount(), 4);
    QCOMPARE(m_receiver.stats().rejectedByReason(), reasons({{"too_far_behind", 2}}));

    // The tenant is named as Loki names it.
    const TestHttp::Reply tenant = TestHttp::post(
            m_manager, m_receiver.pushUrl(), jsonBody({{App, {ok(t, "a"), ok(t - 2 * Hour, "b")}}}),
            {{"Content-Type", "application/json"}, {"X-Scope-OrgID", "team-a"}});
    QCOMPARE(tenant.status, 400);
    QVERIFY2(tenant.body.endsWith(QByteArray(
                     "user 'team-a', total ignored: 1 out of 2 for stream: " + AppName + '\n')),
             tenant.body.constData());

    // More than ten ignored entries: the first ten are listed, all are counted.
    Push many {{App, {}}};
    for (int i = 0; i < 12; ++i)
        many[0].values.append(ok(t - 2 * Hour - i, "old"));
    const TestHttp::Reply listed = push("protobuf", many);
    QCOMPARE(listed.status, 400);
    QCOMPARE(listed.body.count("ignored, reason: 'entry too far behind"), 10);
    QVERIFY(listed.body.endsWith(
            QByteArray("total ignored: 12 out of 12 for stream: " + AppName + '\n')));
}

void tst_ReceiverOutOfOrder::outOfOrderWindowOff()
{
    LokiReceiver::Limits limits;
    QCOMPARE(limits.outOfOrderWindow(), std::chrono::milliseconds(std::chrono::hours(1)));
    limits.setOutOfOrderWindow(std::chrono::milliseconds(0));
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    QCOMPARE(push("protobuf", {{App, {ok(t, "newest"), ok(t - 5 * Day, "old but accepted")}}})
                     .status,
             204);
    QCOMPARE(m_receiver.entryCount(), 2);
}

QTEST_GUILESS_MAIN(tst_ReceiverOutOfOrder)
#include "tst_receiver_outoforder.moc"
