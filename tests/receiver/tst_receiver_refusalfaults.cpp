// SPDX-License-Identifier: MIT
// Refusals on request, as Loki refuses: entries refused for a chosen reason (the rest
// stored), 413 above a body size, ingestion blocked (260), a tenant rate limit (429), through
// the C++ API and over HTTP on /receiver/faults.
#include "httphelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

using namespace std::chrono_literals;
using Reason = LokiReceiver::RefusalReason;
using ReasonCounts = QMap<QString, quint64>;

namespace {

constexpr qint64 Second = 1000000000;

const TestHttp::Headers JsonHeaders {{"Content-Type", "application/json"}};

qint64 baseNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000 - 60 * Second; }

QByteArray rfc3339(qint64 timestampNs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"))
            .toUtf8();
}

QByteArray goTime(qint64 timestampNs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000, Qt::UTC);
    QByteArray out = time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toUtf8();
    if (const int ms = time.time().msec()) {
        QByteArray fraction = QByteArray::number(ms).rightJustified(3, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        out += '.' + fraction;
    }
    return out + " +0000 UTC";
}

// Stream {app="r"}: e0..e3 at t..t+3, each with metadata k=v; stream {app="s"}: s0, s1.
QByteArray fixture(qint64 t)
{
    QByteArray values;
    for (int i = 0; i < 4; ++i) {
        values += (i ? "," : "")
                + ("[\"" + QByteArray::number(t + i) + "\",\"e" + QByteArray::number(i)
                   + "\",{\"k\":\"v\"}]");
    }
    return "{\"streams\":[{\"stream\":{\"app\":\"r\"},\"values\":[" + values
            + "]},{\"stream\":{\"app\":\"s\"},\"values\":[[\"" + QByteArray::number(t)
            + "\",\"s0\"],[\"" + QByteArray::number(t + 1) + "\",\"s1\"]]}]}";
}

QByteArray simpleBody(const QByteArray &line, qint64 t)
{
    return R"({"streams":[{"stream":{"app":"q"},"values":[[")" + QByteArray::number(t) + R"(",")"
            + line + R"("]]}]})";
}

ReasonCounts reasons(const char *reason, quint64 count)
{
    return {{QString::fromLatin1(reason), count}};
}

QJsonObject json(const QByteArray &bytes) { return QJsonDocument::fromJson(bytes).object(); }

const QByteArray StreamR = R"({app="r"})";
const QByteArray StreamS = R"({app="s"})";

} // namespace

class tst_ReceiverRefusalFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void refuseEntries_data();
    void refuseEntries();
    void refuseBodiesAbove();
    void blockIngestion_data();
    void blockIngestion();
    void rateLimit();
    void rateLimitPerTenant();
    void refusalFaultsOverHttp();
    void badRefusalFaults_data();
    void badRefusalFaults();

private:
    TestHttp::Reply post(const QByteArray &body, const QByteArray &tenant = {})
    {
        TestHttp::Headers headers = JsonHeaders;
        if (!tenant.isEmpty())
            headers.append({"X-Scope-OrgID", tenant});
        return TestHttp::post(m_manager, m_receiver.pushUrl(), body, headers);
    }
    QUrl url(const char *path) const
    {
        return m_receiver.baseUrl().resolved(QUrl(QString::fromLatin1(path)));
    }
    QStringList storedLines() const
    {
        QStringList lines;
        for (const LokiReceiver::Entry &entry : m_receiver.entries())
            lines.append(entry.line);
        lines.sort();
        return lines;
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverRefusalFaults::initTestCase() { QVERIFY(m_receiver.listen()); }

void tst_ReceiverRefusalFaults::init()
{
    m_receiver.clearFaults();
    m_receiver.reset();
}

void tst_ReceiverRefusalFaults::refuseEntries_data()
{
    QTest::addColumn<bool>("overHttp");
    QTest::addColumn<qint64>("t");
    QTest::addColumn<Reason>("reason");
    QTest::addColumn<QByteArray>("reasonName");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("every");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QStringList>("stored");
    QTest::addColumn<ReasonCounts>("rejected");
    QTest::addColumn<int>("countLeft");

    const qint64 t = baseNs();
    auto tooLong = [](const QByteArray &stream) -> QByteArray {
        return "Max entry size '1' bytes exceeded for stream '" + stream
                + "' while adding an entry with length '2' bytes";
    };
    const QStringList all {QStringLiteral("e0"), QStringLiteral("e1"), QStringLiteral("e2"),
                           QStringLiteral("e3"), QStringLiteral("s0"), QStringLiteral("s1")};
    const QStringList butFirst = all.mid(1);
    for (const bool overHttp : {false, true}) {
        const char *via = overHttp ? "over HTTP: " : "API: ";
        auto row = [via](const char *name) -> QTestData & {
            return QTest::newRow(QByteArray(via + QByteArray(name)).constData());
        };
        // Every row's push carries the fixture at t.
        row("line too long, each entry")
                << overHttp << t << Reason::LineTooLong << QByteArray("line_too_long") << -1 << 1
                << "4 errors like: " + tooLong(StreamR) + "; 2 errors like: " + tooLong(StreamS)
                << QStringList() << reasons("line_too_long", 6) << -1;
        row("line too long, one in two")
                << overHttp << t << Reason::LineTooLong << QByteArray("line_too_long") << -1 << 2
                << "2 errors like: " + tooLong(StreamR) + "; 1 errors like: " + tooLong(StreamS)
                << QStringList {QStringLiteral("e0"), QStringLiteral("e2"), QStringLiteral("s0")}
                << reasons("line_too_long", 3) << -1;
        row("line too long, once")
                << overHttp << t << Reason::LineTooLong << QByteArray("line_too_long") << 1 << 1
                << tooLong(StreamR) << butFirst << reasons("line_too_long", 1) << 0;
        row("too old") << overHttp << t << Reason::TooOld << QByteArray("too_old") << 1 << 1
                       << "entry for stream '" + StreamR + "' has timestamp too old: " + rfc3339(t)
                        + ", oldest acceptable timestamp is: " + rfc3339(t + Second)
                       << butFirst << reasons("greater_than_max_sample_age", 1) << 0;
        row("too new") << overHttp << t << Reason::TooNew << QByteArray("too_new") << 1 << 1
                       << "entry for stream '" + StreamR + "' has timestamp too new: " + rfc3339(t)
                       << butFirst << reasons("too_far_in_future", 1) << 0;
        row("too far behind") << overHttp << t << Reason::TooFarBehind
                              << QByteArray("too_far_behind") << 1 << 1
                              << "entry with timestamp " + goTime(t)
                        + " ignored, reason: 'entry too far behind, entry timestamp is: "
                        + rfc3339(t) + ", oldest acceptable timestamp is: " + rfc3339(t + Second)
                        + "',\nuser 'fake', total ignored: 1 out of 4 for stream: " + StreamR
                              << butFirst << reasons("too_far_behind", 1) << 0;
        row("labels: a stream") << overHttp << t << Reason::StreamLabels << QByteArray("labels")
                                << 1 << 1
                                << "entry for stream '" + StreamR + "' has 1 label names; limit 0"
                                << QStringList {QStringLiteral("s0"), QStringLiteral("s1")}
                                << reasons("max_label_names_per_series", 4) << 0;
        row("metadata disallowed") << overHttp << t << Reason::StructuredMetadataDisallowed
                                   << QByteArray("metadata_disallowed") << 1 << 1
                                   << "stream '" + StreamR
                        + "' includes structured metadata, but this feature is disallowed. Please "
                          "see `limits_config.allow_structured_metadata` or contact your Loki "
                          "administrator to enable it."
                                   << butFirst << reasons("disallowed_structured_metadata", 1) << 0;
        row("metadata too large") << overHttp << t << Reason::StructuredMetadataTooLarge
                                  << QByteArray("metadata_too_large") << 1 << 1
                                  << "stream '" + StreamR
                        + "' has structured metadata too large: '2' bytes, limit: '1' bytes. "
                          "Please "
                          "see `limits_config.max_structured_metadata_size` or contact your Loki "
                          "administrator to increase it."
                                  << butFirst << reasons("structured_metadata_too_large", 1) << 0;
    }
}

void tst_ReceiverRefusalFaults::refuseEntries()
{
    QFETCH(bool, overHttp);
    QFETCH(qint64, t);
    QFETCH(Reason, reason);
    QFETCH(QByteArray, reasonName);
    QFETCH(int, count);
    QFETCH(int, every);
    QFETCH(QByteArray, answer);
    QFETCH(QStringList, stored);
    QFETCH(ReasonCounts, rejected);
    QFETCH(int, countLeft);

    if (overHttp) {
        const TestHttp::Reply set =
                TestHttp::post(m_manager, url("/receiver/faults"),
                               R"({"refuse_reason":")" + reasonName + R"(","refuse_count":)"
                                       + QByteArray::number(count) + R"(,"refuse_every":)"
                                       + QByteArray::number(every) + '}',
                               JsonHeaders);
        QCOMPARE(set.status, 200);
        QCOMPARE(json(set.body).value(QLatin1String("refuse_reason")).toString().toUtf8(),
                 reasonName);
    } else {
        m_receiver.refuseEntries(reason, count, every);
    }
    QCOMPARE(m_receiver.faults().refusalReason(), reason);
    QCOMPARE(m_receiver.faults().refusalsLeft(), count);
    QCOMPARE(m_receiver.faults().refuseEvery(), every);

    const TestHttp::Reply reply = post(fixture(t));
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body, answer + '\n');
    QCOMPARE(storedLines(), stored);
    quint64 total = 0;
    for (const quint64 n : rejected)
        total += n;
    QCOMPARE(m_receiver.stats().entriesRejected(), total);
    QCOMPARE(m_receiver.stats().rejectedByReason(), rejected);
    QCOMPARE(m_receiver.faults().refusalsLeft(), countLeft);

    // Once the refusals are used up or cleared, the same push is stored whole.
    m_receiver.clearFaults();
    m_receiver.clear();
    QCOMPARE(post(fixture(t)).status, 204);
    QCOMPARE(m_receiver.entryCount(), 6);
}

void tst_ReceiverRefusalFaults::refuseBodiesAbove()
{
    const qint64 t = baseNs();
    const QByteArray small = simpleBody("ok", t);
    const QByteArray large = simpleBody(QByteArray(200, 'x'), t + 1);
    m_receiver.refuseBodiesAbove(small.size());
    QCOMPARE(m_receiver.faults().refuseBodiesAbove(), qint64(small.size()));
    QCOMPARE(post(small).status, 204);
    const TestHttp::Reply refused = post(large);
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.body,
             "request body too large: " + QByteArray::number(large.size())
                     + " bytes, limit: " + QByteArray::number(small.size()) + " bytes\n");
    QCOMPARE(m_receiver.entryCount(), 1);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(413), 1u);

    // Over HTTP, and off again.
    QCOMPARE(TestHttp::post(m_manager, url("/receiver/faults"), R"({"body_limit":0})", JsonHeaders)
                     .status,
             200);
    QCOMPARE(m_receiver.faults().refuseBodiesAbove(), 0);
    QCOMPARE(post(large).status, 204);
    QCOMPARE(TestHttp::post(m_manager, url("/receiver/faults"), R"({"body_limit":10})", JsonHeaders)
                     .status,
             200);
    QCOMPARE(post(small).status, 413);
}

void tst_ReceiverRefusalFaults::blockIngestion_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("answered");
    QTest::newRow("Loki's default, 260") << 260 << 260;
    QTest::newRow("503") << 503 << 503;
    QTest::newRow("200: success, nothing stored") << 200 << 204;
}

void tst_ReceiverRefusalFaults::blockIngestion()
{
    QFETCH(int, status);
    QFETCH(int, answered);

    const qint64 t = baseNs();
    m_receiver.blockIngestion(60s, status);
    QVERIFY(m_receiver.faults().blockedRemaining() > 59s);
    QCOMPARE(m_receiver.faults().blockStatus(), status);
    const TestHttp::Reply blocked = post(simpleBody("blocked", t));
    QCOMPARE(blocked.status, answered);
    if (answered == 204) {
        QCOMPARE(blocked.body, QByteArray());
    } else {
        const QRegularExpression expected(
                QStringLiteral("ingestion blocked for user fake until "
                               "'\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ' "
                               "with status code '%1'\n")
                        .arg(status));
        QVERIFY2(expected.match(QString::fromUtf8(blocked.body)).hasMatch(),
                 blocked.body.constData());
    }
    QCOMPARE(m_receiver.entryCount(), 0);
    QCOMPARE(m_receiver.stats().rejectedByReason(), reasons("blocked_ingestion", 1));
    // Validation comes first: a push with nothing valid gets its 400.
    QCOMPARE(post(R"({"streams":[{"stream":{},"values":[[")" + QByteArray::number(t)
                  + R"(","x"]]}]})")
                     .status,
             400);
    // The tenant is named in the answer.
    if (answered != 204)
        QVERIFY(post(simpleBody("blocked", t), "team-a").body.contains("for user team-a until"));

    m_receiver.blockIngestion(0ms);
    QCOMPARE(m_receiver.faults().blockedRemaining(), 0ms);
    QCOMPARE(post(simpleBody("stored", t)).status, 204);
    QCOMPARE(m_receiver.entryCount(), 1);

    // Over HTTP.
    const TestHttp::Reply set = TestHttp::post(
            m_manager, url("/receiver/faults"),
            R"({"block_ms":60000,"block_status":)" + QByteArray::number(status) + '}', JsonHeaders);
    QCOMPARE(set.status, 200);
    QVERIFY(json(set.body).value(QLatin1String("block_remaining_ms")).toInteger() > 59000);
    QCOMPARE(post(simpleBody("blocked again", t)).status, answered);
    QCOMPARE(m_receiver.entryCount(), 1);
}

void tst_ReceiverRefusalFaults::rateLimit()
{
    const qint64 t = baseNs();
    m_receiver.setRateLimit(1000, 1500);
    QCOMPARE(m_receiver.faults().rateLimit(), 1000);
    QCOMPARE(m_receiver.faults().rateBurst(), 1500);
    // The bucket starts full: 1,500 bytes.
    QCOMPARE(post(simpleBody(QByteArray(1000, 'a'), t)).status, 204);
    const TestHttp::Reply limited = post(simpleBody(QByteArray(1000, 'b'), t + 1));
    QCOMPARE(limited.status, 429);
    QCOMPARE(
            limited.body,
            QByteArray("Ingestion rate limit exceeded for user fake (limit: 1000 bytes/sec) while "
                       "attempting to ingest '1' lines totaling '1000' bytes, reduce log volume or "
                       "contact your Loki administrator to see if the limit can be increased\n"));
    QCOMPARE(limited.retryAfter, QByteArray("1"));
    QCOMPARE(m_receiver.entryCount(), 1);
    QCOMPARE(m_receiver.stats().rejectedByReason(), reasons("rate_limited", 1));
    // Lines and structured metadata count; refused entries do not.
    const TestHttp::Reply mixed = post("{\"streams\":[{\"stream\":{\"app\":\"q\"},\"values\":[[\""
                                       + QByteArray::number(t + 2) + "\",\"" + QByteArray(592, 'x')
                                       + "\",{\"key\":\"value\"}],[\"1\",\"too old\"]]}]}");
    QCOMPARE(mixed.status, 429);
    QVERIFY2(mixed.body.contains("to ingest '1' lines totaling '600' bytes"),
             mixed.body.constData());
    // Larger than the burst: never, and no Retry-After.
    const TestHttp::Reply never = post(simpleBody(QByteArray(1600, 'c'), t + 3));
    QCOMPARE(never.status, 429);
    QCOMPARE(never.retryAfter, QByteArray());
    // Time itself is under test: the bucket refills at 1,000 bytes per second.
    // (QTRY_ evaluates its condition once more at the end: the flag keeps that from pushing.)
    bool stored = false;
    QTRY_VERIFY_WITH_TIMEOUT(
            stored || (stored = post(simpleBody(QByteArray(1000, 'd'), t + 4)).status == 204),
            5000);
    QCOMPARE(m_receiver.entryCount(), 2);

    m_receiver.setRateLimit(0, 0);
    QCOMPARE(post(simpleBody(QByteArray(100000, 'e'), t + 5)).status, 204);
}

void tst_ReceiverRefusalFaults::rateLimitPerTenant()
{
    const qint64 t = baseNs();
    const TestHttp::Reply set =
            TestHttp::post(m_manager, url("/receiver/faults"),
                           R"({"rate_limit":100,"rate_burst":100})", JsonHeaders);
    QCOMPARE(set.status, 200);
    QCOMPARE(json(set.body).value(QLatin1String("rate_limit")).toInt(), 100);
    QCOMPARE(post(simpleBody(QByteArray(100, 'a'), t), "team-a").status, 204);
    const TestHttp::Reply limited = post(simpleBody(QByteArray(100, 'b'), t + 1), "team-a");
    QCOMPARE(limited.status, 429);
    QVERIFY(limited.body.startsWith("Ingestion rate limit exceeded for user team-a (limit: 100 "
                                    "bytes/sec)"));
    // Each tenant has its own bucket.
    QCOMPARE(post(simpleBody(QByteArray(100, 'c'), t + 2), "team-b").status, 204);
    QCOMPARE(post(simpleBody(QByteArray(100, 'd'), t + 3)).status, 204);
    QCOMPARE(m_receiver.entryCount(), 3);
}

void tst_ReceiverRefusalFaults::refusalFaultsOverHttp()
{
    const TestHttp::Reply set = TestHttp::post(
            m_manager, url("/receiver/faults"),
            R"({"refuse_reason":"too_new","refuse_count":2,"body_limit":5000,"block_status":503,"rate_limit":4000000,"rate_burst":6000000})",
            JsonHeaders);
    QCOMPARE(set.status, 200);
    const QJsonObject state = json(TestHttp::get(m_manager, url("/receiver/faults")).body);
    QCOMPARE(state.value(QLatin1String("refuse_reason")).toString(), QStringLiteral("too_new"));
    QCOMPARE(state.value(QLatin1String("refuse_count")).toInt(), 2);
    QCOMPARE(state.value(QLatin1String("refuse_every")).toInt(), 1);
    QCOMPARE(state.value(QLatin1String("body_limit")).toInt(), 5000);
    QCOMPARE(state.value(QLatin1String("block_remaining_ms")).toInt(), 0);
    QCOMPARE(state.value(QLatin1String("block_status")).toInt(), 503);
    QCOMPARE(state.value(QLatin1String("rate_limit")).toInteger(), 4000000);
    QCOMPARE(state.value(QLatin1String("rate_burst")).toInteger(), 6000000);
    // The faults that were there keep working beside them.
    m_receiver.failNextPushes(1, 503, 3);
    QCOMPARE(post(simpleBody("x", baseNs())).status, 503);
    QCOMPARE(post(simpleBody("y", baseNs())).status, 400);
    QCOMPARE(m_receiver.faults().refusalsLeft(), 1);

    const TestHttp::Reply cleared = TestHttp::deleteResource(m_manager, url("/receiver/faults"));
    QCOMPARE(cleared.status, 200);
    const QJsonObject none = json(cleared.body);
    QVERIFY(none.value(QLatin1String("refuse_reason")).isNull());
    QCOMPARE(none.value(QLatin1String("refuse_count")).toInt(), 0);
    QCOMPARE(none.value(QLatin1String("body_limit")).toInt(), 0);
    QCOMPARE(none.value(QLatin1String("rate_limit")).toInt(), 0);
    QCOMPARE(post(simpleBody("z", baseNs())).status, 204);
}

void tst_ReceiverRefusalFaults::badRefusalFaults_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown reason")
            << QByteArray(R"({"refuse_reason":"bored"})")
            << QByteArray(
                       R"("refuse_reason" must be one of line_too_long, too_old, too_new, too_far_behind, labels, metadata_disallowed, metadata_too_large)");
    QTest::newRow("every 0")
            << QByteArray(R"({"refuse_reason":"too_new","refuse_every":0})")
            << QByteArray(R"("refuse_every" must be an integer from 1 to 1073741824)");
    QTest::newRow("block status 100")
            << QByteArray(R"({"block_ms":10,"block_status":100})")
            << QByteArray(R"("block_status" must be an integer from 200 to 599)");
    QTest::newRow("negative rate")
            << QByteArray(R"({"rate_limit":-5})")
            << QByteArray(R"("rate_limit" must be an integer from 0 to 1099511627776)");
}

void tst_ReceiverRefusalFaults::badRefusalFaults()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, message);
    const TestHttp::Reply reply =
            TestHttp::post(m_manager, url("/receiver/faults"), request, JsonHeaders);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body, message + '\n');
    QCOMPARE(m_receiver.faults().refusalsLeft(), 0);
    QCOMPARE(m_receiver.faults().blockedRemaining(), 0ms);
}

QTEST_GUILESS_MAIN(tst_ReceiverRefusalFaults)
#include "tst_receiver_refusalfaults.moc"
