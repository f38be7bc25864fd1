// SPDX-License-Identifier: MIT
// Access checks as a gateway in front of Loki makes them: a required tenant, basic auth and a
// bearer token, answered with 401 and counted.
#include "httphelper.h"
#include "toolhelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtTest/QtTest>

namespace {

QByteArray nowNs() { return QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000); }

QByteArray body(const QByteArray &line, const QByteArray &app = "access")
{
    return R"({"streams":[{"stream":{"app":")" + app + R"("},"values":[[")" + nowNs() + R"(",")"
            + line + R"("]]}]})";
}

QByteArray basic(const QByteArray &userAndPassword)
{
    return "Basic " + userAndPassword.toBase64();
}

// A null value leaves the header out.
TestHttp::Headers headers(const QByteArray &authorization, const QByteArray &orgId)
{
    TestHttp::Headers result {{"Content-Type", "application/json"}};
    if (!authorization.isNull())
        result.append({"Authorization", authorization});
    if (!orgId.isNull())
        result.append({"X-Scope-OrgID", orgId});
    return result;
}

} // namespace

class tst_ReceiverAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void tenant_data();
    void tenant();
    void tenantSeesOnlyItsEntries();
    void tenantRecordedWithoutRequirement();
    void basicAuth_data();
    void basicAuth();
    void bearerToken_data();
    void bearerToken();
    void basicOrBearer();
    void checksCoverReadEndpoints();
    void openEndpoints();
    void refusalsCounted();
    void binaryAccessOptions();
    void binaryRejectsBadAccessOptions_data();
    void binaryRejectsBadAccessOptions();

private:
    QUrl url(const QByteArray &pathAndQuery) const
    {
        return QUrl::fromEncoded(m_receiver.baseUrl().toEncoded() + pathAndQuery);
    }
    QUrl queryUrl(const QByteArray &logql) const
    {
        return url("/loki/api/v1/query_range?direction=forward&query="
                   + QUrl::toPercentEncoding(QString::fromUtf8(logql)));
    }
    TestHttp::Reply push(const QByteArray &line, const QByteArray &authorization,
                         const QByteArray &orgId)
    {
        return TestHttp::post(m_manager, m_receiver.pushUrl(), body(line),
                              headers(authorization, orgId));
    }

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverAccess::initTestCase() { QVERIFY(m_receiver.listen()); }

void tst_ReceiverAccess::init()
{
    m_receiver.setRequiredTenant(QString());
    m_receiver.setBasicAuth(QString(), QString());
    m_receiver.setBearerToken(QString());
    m_receiver.reset();
    // Nothing learned by one test (credentials, connections) carries into the next.
    m_manager.clearAccessCache();
    m_manager.clearConnectionCache();
}

void tst_ReceiverAccess::tenant_data()
{
    QTest::addColumn<QByteArray>("orgId");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");

    QTest::newRow("missing") << QByteArray() << 401 << QByteArray("no org id\n");
    QTest::newRow("other tenant") << QByteArray(
            "team-b") << 401 << QByteArray("unauthorized: org id 'team-b' has no access here\n");
    QTest::newRow("other case") << QByteArray("Team-A") << 401
                                << QByteArray("unauthorized: org id 'Team-A' has no access here\n");
    QTest::newRow("right") << QByteArray("team-a") << 204 << QByteArray();
}

void tst_ReceiverAccess::tenant()
{
    QFETCH(QByteArray, orgId);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    QCOMPARE(m_receiver.requiredTenant(), QStringLiteral("team-a"));
    QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
    const TestHttp::Reply reply = push("tenant line", QByteArray(), orgId);
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, answer);
    QCOMPARE(reply.wwwAuthenticate, QByteArray()); // a tenant is no credential to ask for

    QCOMPARE(handled.count(), 1);
    QCOMPARE(handled.at(0).at(0).toInt(), status);
    const LokiReceiver::Stats stats = m_receiver.stats();
    QCOMPARE(stats.pushRequests(), 1u);
    QCOMPARE(stats.pushesByStatus().value(status), 1u);
    QCOMPARE(stats.unauthorizedRequests(), status == 401 ? 1u : 0u);
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 1 : 0);
    if (status == 204)
        QCOMPARE(m_receiver.entries().constFirst().tenant, QStringLiteral("team-a"));
}

void tst_ReceiverAccess::tenantSeesOnlyItsEntries()
{
    // Stored before the requirement, for another tenant and for none.
    QCOMPARE(push("of team b", QByteArray(), "team-b").status, 204);
    QCOMPARE(push("of nobody", QByteArray(), QByteArray()).status, 204);
    m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    QCOMPARE(push("of team a", QByteArray(), "team-a").status, 204);
    QCOMPARE(m_receiver.entryCount(), 3);

    const QUrl query = queryUrl(R"({app="access"})");
    TestHttp::Reply reply = TestHttp::get(m_manager, query, {{"X-Scope-OrgID", "team-a"}});
    QCOMPARE(reply.status, 200);
    QVERIFY2(reply.body.contains(R"("of team a")"), reply.body.constData());
    QVERIFY2(!reply.body.contains("of team b"), reply.body.constData());
    QVERIFY2(!reply.body.contains("of nobody"), reply.body.constData());

    reply = TestHttp::get(m_manager, query);
    QCOMPARE(reply.status, 401);
    QCOMPARE(reply.body, QByteArray("no org id\n"));
    reply = TestHttp::get(m_manager, query, {{"X-Scope-OrgID", "team-b"}});
    QCOMPARE(reply.status, 401);
    QVERIFY(!reply.body.contains("of team b"));

    // The label endpoints see the same.
    QCOMPARE(push("other app", QByteArray(), "team-a").status, 204);
    m_receiver.setRequiredTenant(QString());
    QCOMPARE(push("hidden app", QByteArray(), "team-b").status, 204);
    QCOMPARE(TestHttp::post(m_manager, m_receiver.pushUrl(), body("x", "hidden"),
                            headers(QByteArray(), "team-b"))
                     .status,
             204);
    m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    reply = TestHttp::get(m_manager, url("/loki/api/v1/label/app/values"),
                          {{"X-Scope-OrgID", "team-a"}});
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray(R"({"status":"success","data":["access"]})"));

    // The C++ API sees every tenant, each entry with its own.
    QStringList tenants;
    for (const LokiReceiver::Entry &entry : m_receiver.entries())
        tenants.append(entry.tenant);
    QCOMPARE(tenants,
             QStringList({QStringLiteral("team-b"), QString(), QStringLiteral("team-a"),
                          QStringLiteral("team-a"), QStringLiteral("team-b"),
                          QStringLiteral("team-b")}));
}

void tst_ReceiverAccess::tenantRecordedWithoutRequirement()
{
    // Without a required tenant every push is accepted; the same entry for two tenants is
    // stored twice (Loki deduplicates within a tenant), and a query sees both.
    const QByteArray sameBody = body("same line");
    for (const QByteArray &orgId : {QByteArray("one"), QByteArray("two"), QByteArray("two")}) {
        QCOMPARE(TestHttp::post(m_manager, m_receiver.pushUrl(), sameBody,
                                headers(QByteArray(), orgId))
                         .status,
                 204);
    }
    QCOMPARE(m_receiver.entryCount(), 2);
    QCOMPARE(m_receiver.stats().duplicatesIgnored(), 1u);
    QCOMPARE(m_receiver.entries().at(0).tenant, QStringLiteral("one"));
    QCOMPARE(m_receiver.entries().at(1).tenant, QStringLiteral("two"));
    const TestHttp::Reply reply = TestHttp::get(m_manager, queryUrl(R"({app="access"})"));
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body.count("same line"), 2);
}

void tst_ReceiverAccess::basicAuth_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");

    const QByteArray wrong("unauthorized: wrong user or password\n");
    const QByteArray required("unauthorized: basic auth is required\n");
    QTest::newRow("missing") << QByteArray() << 401 << required;
    QTest::newRow("wrong password") << basic("loki:secreT") << 401 << wrong;
    QTest::newRow("wrong user") << basic("Loki:secret") << 401 << wrong;
    QTest::newRow("password prefix") << basic("loki:secre") << 401 << wrong;
    QTest::newRow("no colon") << basic("lokisecret") << 401 << wrong;
    QTest::newRow("not base64") << QByteArray("Basic ***") << 401 << wrong;
    QTest::newRow("bearer instead") << QByteArray("Bearer secret") << 401 << required;
    QTest::newRow("right") << basic("loki:secret") << 204 << QByteArray();
    QTest::newRow("scheme in lower case")
            << "basic " + QByteArray("loki:secret").toBase64() << 204 << QByteArray();
}

void tst_ReceiverAccess::basicAuth()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    m_receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    QVERIFY(m_receiver.hasBasicAuth());
    const TestHttp::Reply reply = push("basic line", authorization, QByteArray());
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, answer);
    QCOMPARE(reply.wwwAuthenticate,
             status == 401 ? QByteArray(R"(Basic realm="loki")") : QByteArray());
    QVERIFY(!reply.body.contains("secret"));
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 1 : 0);
    QCOMPARE(m_receiver.stats().pushesByStatus().value(status), 1u);
}

void tst_ReceiverAccess::bearerToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");

    const QByteArray invalid("unauthorized: invalid bearer token\n");
    const QByteArray required("unauthorized: a bearer token is required\n");
    QTest::newRow("missing") << QByteArray() << 401 << required;
    QTest::newRow("wrong") << QByteArray("Bearer tok-xyz") << 401 << invalid;
    QTest::newRow("prefix") << QByteArray("Bearer tok-12") << 401 << invalid;
    QTest::newRow("longer") << QByteArray("Bearer tok-1234") << 401 << invalid;
    QTest::newRow("scheme only") << QByteArray("Bearer") << 401 << required;
    QTest::newRow("basic instead") << basic("tok:tok-123") << 401 << required;
    QTest::newRow("right") << QByteArray("Bearer tok-123") << 204 << QByteArray();
}

void tst_ReceiverAccess::bearerToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);

    m_receiver.setBearerToken(QStringLiteral("tok-123"));
    QVERIFY(m_receiver.hasBearerToken());
    const TestHttp::Reply reply = push("bearer line", authorization, QByteArray());
    QVERIFY(reply.finished);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, answer);
    QVERIFY(!reply.body.contains("tok-123"));
    QCOMPARE(m_receiver.entryCount(), status == 204 ? 1 : 0);
}

void tst_ReceiverAccess::basicOrBearer()
{
    m_receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    m_receiver.setBearerToken(QStringLiteral("tok-123"));
    QCOMPARE(push("a", basic("loki:secret"), QByteArray()).status, 204);
    QCOMPARE(push("b", "Bearer tok-123", QByteArray()).status, 204);
    const TestHttp::Reply refused = push("c", QByteArray(), QByteArray());
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.body, QByteArray("unauthorized: basic auth or a bearer token is required\n"));
    QCOMPARE(refused.wwwAuthenticate, QByteArray(R"(Basic realm="loki", Bearer realm="loki")"));
    QCOMPARE(push("d", basic("loki:tok-123"), QByteArray()).status, 401);
    QCOMPARE(m_receiver.entryCount(), 2);

    // Turning the checks off opens the receiver again.
    m_receiver.setBasicAuth(QString(), QStringLiteral("ignored"));
    m_receiver.setBearerToken(QString());
    QVERIFY(!m_receiver.hasBasicAuth());
    QVERIFY(!m_receiver.hasBearerToken());
    QCOMPARE(push("e", QByteArray(), QByteArray()).status, 204);
}

void tst_ReceiverAccess::checksCoverReadEndpoints()
{
    m_receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    QCOMPARE(push("readable", basic("loki:secret"), "team-a").status, 204);

    // The instant query endpoint answers log queries as Loki 2 did.
    m_receiver.setBuildVersion(QStringLiteral("2.9.0"));
    const QList<QByteArray> paths {"/loki/api/v1/query_range?query=%7Bapp%3D%22access%22%7D",
                                   "/loki/api/v1/query?query=%7Bapp%3D%22access%22%7D",
                                   "/loki/api/v1/labels", "/loki/api/v1/label/app/values"};
    for (const QByteArray &path : paths) {
        TestHttp::Reply reply = TestHttp::get(m_manager, url(path));
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.wwwAuthenticate, QByteArray(R"(Basic realm="loki")"));
        reply = TestHttp::get(m_manager, url(path), {{"Authorization", basic("loki:secret")}});
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.body, QByteArray("no org id\n"));
        reply = TestHttp::get(
                m_manager, url(path),
                {{"Authorization", basic("loki:secret")}, {"X-Scope-OrgID", "team-a"}});
        QCOMPARE(reply.status, 200);
        QVERIFY2(reply.body.contains("access") || reply.body.contains("app"),
                 reply.body.constData());
    }
    // Loki serves its build information without a tenant; the gateway still wants credentials.
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/status/buildinfo")).status, 401);
    QCOMPARE(TestHttp::get(m_manager, url("/loki/api/v1/status/buildinfo"),
                           {{"Authorization", basic("loki:secret")}})
                     .status,
             200);
    m_receiver.setBuildVersion(QStringLiteral("3.0.0"));
}

void tst_ReceiverAccess::openEndpoints()
{
    m_receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    m_receiver.setBearerToken(QStringLiteral("tok-123"));
    m_receiver.setRequiredTenant(QStringLiteral("team-a"));
    QCOMPARE(TestHttp::get(m_manager, url("/ready")).status, 200);
    QCOMPARE(TestHttp::get(m_manager, url("/metrics")).status, 200);
    QCOMPARE(m_receiver.stats().unauthorizedRequests(), 0u);
    // The fault endpoints change the receiver: they want the same credentials and tenant.
    QCOMPARE(TestHttp::get(m_manager, url("/receiver/faults")).status, 401);
    QCOMPARE(TestHttp::post(m_manager, url("/receiver/reset"), QByteArray(),
                            {{"Content-Type", "application/json"}})
                     .status,
             401);
    QCOMPARE(TestHttp::post(m_manager, url("/receiver/reset"), QByteArray(),
                            {{"Content-Type", "application/json"},
                             {"Authorization", "Bearer tok-123"},
                             {"X-Scope-OrgID", "team-a"}})
                     .status,
             200);
    QCOMPARE(m_receiver.stats().unauthorizedRequests(), 0u); // the reset zeroed it
}

void tst_ReceiverAccess::refusalsCounted()
{
    m_receiver.setBearerToken(QStringLiteral("tok-123"));
    QCOMPARE(push("a", QByteArray(), QByteArray()).status, 401);
    QCOMPARE(push("b", "Bearer nope", QByteArray()).status, 401);
    QCOMPARE(push("c", "Bearer tok-123", QByteArray()).status, 204);
    QCOMPARE(TestHttp::get(m_manager, queryUrl(R"({app="access"})")).status, 401);

    const LokiReceiver::Stats stats = m_receiver.stats();
    QCOMPARE(stats.pushRequests(), 3u);
    QCOMPARE(stats.pushesByStatus().value(401), 2u);
    QCOMPARE(stats.pushesByStatus().value(204), 1u);
    QCOMPARE(stats.unauthorizedRequests(), 3u);
    QCOMPARE(stats.entriesAccepted(), 1u);

    const TestHttp::Reply metrics = TestHttp::get(m_manager, url("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY2(metrics.body.contains("loki_receiver_push_requests_total{status=\"401\"} 2\n"),
             metrics.body.constData());
    QVERIFY2(metrics.body.contains("loki_receiver_unauthorized_requests_total 3\n"),
             metrics.body.constData());
    QVERIFY(!metrics.body.contains("tok-123"));
}

void tst_ReceiverAccess::binaryAccessOptions()
{
#ifndef LOKI_RECEIVER_BINARY
    QSKIP("loki-receiver is not built");
#else
    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(process, QStringLiteral(LOKI_RECEIVER_BINARY),
                                     {QStringLiteral("--port"), QStringLiteral("0"),
                                      QStringLiteral("--tenant"), QStringLiteral("team-a"),
                                      QStringLiteral("--bearer"), QStringLiteral("tok-123")},
                                     &url));
    const QString push = url.toString() + QStringLiteral("/loki/api/v1/push");
    const QStringList json {QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                            QStringLiteral("--data-binary"), QString::fromUtf8(body("from curl"))};
    const QString bearer = QStringLiteral("Authorization: Bearer tok-123");

    TestTools::CurlResult result = TestTools::curl(json + QStringList {push});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.body, QByteArray("unauthorized: a bearer token is required\n"));
    result = TestTools::curl(json + QStringList {QStringLiteral("-H"), bearer, push});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.body, QByteArray("no org id\n"));
    // Header names are case-insensitive.
    const QStringList both {QStringLiteral("-H"), bearer, QStringLiteral("-H"),
                            QStringLiteral("x-scope-orgid: team-a")};
    result = TestTools::curl(json + both + QStringList {push});
    QCOMPARE(result.status, 204);
    QCOMPARE(result.body, QByteArray());
    result = TestTools::curl(
            both
            + QStringList {QStringLiteral("-G"),
                           url.toString() + QStringLiteral("/loki/api/v1/query_range"),
                           QStringLiteral("--data-urlencode"),
                           QStringLiteral("query={app=\"access\"}")});
    QCOMPARE(result.status, 200);
    QVERIFY2(result.body.contains("from curl"), result.body.constData());

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray log = process.readAllStandardError();
    QVERIFY2(log.contains("(tenant team-a required, bearer token required)"), log.constData());
    QVERIFY2(log.contains("push answered 401"), log.constData());
    QVERIFY2(!log.contains("tok-123"), log.constData());
#endif
}

void tst_ReceiverAccess::binaryRejectsBadAccessOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("basic auth without colon")
            << QStringList {QStringLiteral("--basic-auth"), QStringLiteral("loki")};
    QTest::newRow("basic auth without user")
            << QStringList {QStringLiteral("--basic-auth"), QStringLiteral(":secret")};
    QTest::newRow("empty bearer") << QStringList {QStringLiteral("--bearer"), QString()};
    QTest::newRow("empty tenant") << QStringList {QStringLiteral("--tenant"), QString()};
}

void tst_ReceiverAccess::binaryRejectsBadAccessOptions()
{
#ifndef LOKI_RECEIVER_BINARY
    QSKIP("loki-receiver is not built");
#else
    QFETCH(QStringList, arguments);
    QProcess process;
    process.start(QStringLiteral(LOKI_RECEIVER_BINARY),
                  QStringList {QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    QVERIFY(!process.readAllStandardError().isEmpty());
#endif
}

QTEST_GUILESS_MAIN(tst_ReceiverAccess)
#include "tst_receiver_access.moc"
