// SPDX-License-Identifier: MIT
// HTTPS: the receiver with a test CA's server certificate (made at test time), clients that
// trust it or not, mutual TLS, and loki-receiver's TLS options through curl.
#include "httphelper.h"
#include "testcerts.h"
#include "toolhelper.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtTest/QtTest>

namespace {

QByteArray body(const QByteArray &line)
{
    return R"({"streams":[{"stream":{"app":"tls"},"values":[[")"
            + QByteArray::number(QDateTime::currentMSecsSinceEpoch() * 1000000) + R"(",")" + line
            + R"("]]}]})";
}

// Each request on its own manager: QNAM reuses connections (and TLS sessions) by host and
// port, whatever the TLS configuration, so one case must not ride on another's handshake.
TestHttp::Reply pushOver(const QUrl &url, const QSslConfiguration &tls, const QByteArray &line,
                         const TestHttp::Headers &extra = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest request = TestHttp::makeRequest(url, extra);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setSslConfiguration(tls);
    return TestHttp::finish(manager.post(request, body(line)), 10000);
}

TestHttp::Reply getOver(const QUrl &url, const QSslConfiguration &tls)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setSslConfiguration(tls);
    return TestHttp::finish(manager.get(request), 10000);
}

} // namespace

class tst_ReceiverTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void testCertificates();
    void testCertificatesWithoutOpenssl();
    void httpsPushAndQuery();
    void untrustedServer_data();
    void untrustedServer();
    void plainHttpToHttpsPort();
    void mutualTls_data();
    void mutualTls();
    void httpsWithBasicAuth();
    void curlLargeBodyOverTls();
    void downAndBackKeepsTls();
    void listenTlsRefusesMissingKey();
    void binaryHttpsWithBasicAuth();
    void binaryMutualTls();
    void binaryRejectsBadTlsOptions_data();
    void binaryRejectsBadTlsOptions();

private:
    TestCerts::Set m_certs;
};

void tst_ReceiverTls::initTestCase()
{
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend");
    m_certs = TestCerts::generate();
    QVERIFY2(m_certs.isValid(), qPrintable(m_certs.errorString));
}

void tst_ReceiverTls::testCertificates()
{
    // What the client team relies on: the chain verifies, the names are right.
    QCOMPARE(m_certs.server.certificate.issuerInfo(QSslCertificate::CommonName),
             QStringList {QStringLiteral("QLoki Test CA")});
    const auto names = m_certs.server.certificate.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::IpAddressEntry), QStringList {QStringLiteral("127.0.0.1")});
    QCOMPARE(names.values(QSsl::DnsEntry), QStringList {QStringLiteral("localhost")});
    QCOMPARE(m_certs.client.certificate.issuerInfo(QSslCertificate::CommonName),
             QStringList {QStringLiteral("QLoki Test CA")});
    QCOMPARE(m_certs.otherClient.certificate.issuerInfo(QSslCertificate::CommonName),
             QStringList {QStringLiteral("QLoki Other Test CA")});
    QVERIFY(m_certs.ca.certificate != m_certs.otherCa.certificate);
    for (const TestCerts::Credential *credential :
         {&m_certs.ca, &m_certs.server, &m_certs.client, &m_certs.otherCa, &m_certs.otherClient}) {
        QVERIFY(QFileInfo::exists(credential->certificatePath));
        QVERIFY(QFileInfo::exists(credential->keyPath));
        QVERIFY(!credential->key.isNull());
    }
}

void tst_ReceiverTls::testCertificatesWithoutOpenssl()
{
    // A missing openssl fails the caller's test with words, and says so on its own too.
    const QByteArray path = qgetenv("PATH");
    QTemporaryDir empty;
    QVERIFY(empty.isValid());
    qputenv("PATH", QFile::encodeName(empty.path()));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("openssl was not found")));
    const TestCerts::Set certs = TestCerts::generate();
    qputenv("PATH", path);
    QVERIFY(!certs.isValid());
    QVERIFY2(certs.errorString.contains(QStringLiteral("openssl was not found in PATH")),
             qPrintable(certs.errorString));
    QVERIFY(certs.server.certificate.isNull());
}

void tst_ReceiverTls::httpsPushAndQuery()
{
    LokiReceiver receiver;
    QVERIFY2(receiver.listenTls(m_certs.server.certificate, m_certs.server.key),
             qPrintable(receiver.errorString()));
    QVERIFY(receiver.isTls());
    QCOMPARE(receiver.baseUrl().scheme(), QStringLiteral("https"));
    QCOMPARE(receiver.baseUrl().host(), QStringLiteral("127.0.0.1"));
    QVERIFY(receiver.pushUrl().toString().startsWith(QStringLiteral("https://127.0.0.1:")));

    const QSslConfiguration trusting = TestCerts::clientConfiguration(m_certs.ca);
    const TestHttp::Reply pushed = pushOver(receiver.pushUrl(), trusting, "over tls");
    QVERIFY2(pushed.finished, "no answer");
    QCOMPARE(pushed.error, QNetworkReply::NoError);
    QCOMPARE(pushed.status, 204);
    QCOMPARE(receiver.entryCount(), 1);

    const TestHttp::Reply queried =
            getOver(QUrl::fromEncoded(receiver.baseUrl().toEncoded()
                                      + "/loki/api/v1/query_range?query=%7Bapp%3D%22tls%22%7D"),
                    trusting);
    QCOMPARE(queried.status, 200);
    QVERIFY2(queried.body.contains(R"("over tls")"), queried.body.constData());
    QCOMPARE(receiver.stats().tlsHandshakeFailures(), 0u);

    // listen() serves plain HTTP again.
    QVERIFY(receiver.listen());
    QVERIFY(!receiver.isTls());
    QCOMPARE(receiver.baseUrl().scheme(), QStringLiteral("http"));
}

void tst_ReceiverTls::untrustedServer_data()
{
    QTest::addColumn<bool>("otherCa");
    QTest::newRow("client trusts another CA") << true;
    QTest::newRow("client trusts the system CAs") << false;
}

void tst_ReceiverTls::untrustedServer()
{
    QFETCH(bool, otherCa);
    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key));
    const QSslConfiguration tls = otherCa ? TestCerts::clientConfiguration(m_certs.otherCa)
                                          : QSslConfiguration::defaultConfiguration();
    const TestHttp::Reply reply = pushOver(receiver.pushUrl(), tls, "never stored");
    QVERIFY2(reply.finished, "no answer");
    QCOMPARE(reply.error, QNetworkReply::SslHandshakeFailedError);
    QCOMPARE(reply.status, 0);
    QVERIFY2(!reply.errorString.isEmpty(), "no error string");
    QCOMPARE(receiver.entryCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.stats().tlsHandshakeFailures(), 1u, 10000);
    QCOMPARE(receiver.stats().pushRequests(), 0u);
}

void tst_ReceiverTls::plainHttpToHttpsPort()
{
    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key));
    QUrl plain = receiver.pushUrl();
    plain.setScheme(QStringLiteral("http"));
    QNetworkAccessManager manager;
    const TestHttp::Reply reply = TestHttp::pushJson(manager, plain, body("plain"));
    QVERIFY2(reply.finished, "no answer");
    QVERIFY(reply.error != QNetworkReply::NoError);
    QCOMPARE(reply.status, 0);
    QCOMPARE(receiver.entryCount(), 0);
    QCOMPARE(receiver.stats().pushRequests(), 0u);
    // QNAM tries a closed connection once more: one or two failed handshakes.
    QTRY_VERIFY_WITH_TIMEOUT(receiver.stats().tlsHandshakeFailures() >= 1u, 10000);
    QVERIFY(receiver.stats().tlsHandshakeFailures() <= 2u);
}

void tst_ReceiverTls::mutualTls_data()
{
    QTest::addColumn<int>("clientCertificate"); // 0 none, 1 from the CA, 2 from another CA
    QTest::addColumn<bool>("tls12Only");
    QTest::addColumn<QNetworkReply::NetworkError>("error");
    QTest::addColumn<QString>("reason");

    // With TLS 1.3 the client has finished its side of the handshake when the server refuses
    // its certificate; it reads the server's alert with its first read.
    QTest::newRow("no client certificate") << 0 << false << QNetworkReply::UnknownNetworkError
                                           << QStringLiteral("alert certificate required");
    QTest::newRow("client certificate from another CA")
            << 2 << false << QNetworkReply::UnknownNetworkError
            << QStringLiteral("alert unknown ca");
    // With TLS 1.2 the server refuses before the client's handshake completes.
    QTest::newRow("no client certificate, TLS 1.2")
            << 0 << true << QNetworkReply::SslHandshakeFailedError << QStringLiteral("alert");
    QTest::newRow("client certificate from another CA, TLS 1.2")
            << 2 << true << QNetworkReply::SslHandshakeFailedError
            << QStringLiteral("alert unknown ca");
    QTest::newRow("client certificate from the CA")
            << 1 << false << QNetworkReply::NoError << QString();
    QTest::newRow("client certificate from the CA, TLS 1.2")
            << 1 << true << QNetworkReply::NoError << QString();
}

void tst_ReceiverTls::mutualTls()
{
    QFETCH(int, clientCertificate);
    QFETCH(bool, tls12Only);
    QFETCH(QNetworkReply::NetworkError, error);
    QFETCH(QString, reason);

    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key,
                               QHostAddress::LocalHost, 0, {m_certs.ca.certificate}));
    const TestCerts::Credential *client = clientCertificate == 1 ? &m_certs.client
            : clientCertificate == 2                             ? &m_certs.otherClient
                                                                 : nullptr;
    QSslConfiguration tls = TestCerts::clientConfiguration(m_certs.ca, client);
    if (tls12Only)
        tls.setProtocol(QSsl::TlsV1_2);
    const TestHttp::Reply reply = pushOver(receiver.pushUrl(), tls, "mutual");
    QVERIFY2(reply.finished, "no answer");
    QCOMPARE(reply.error, error);
    if (error == QNetworkReply::NoError) {
        QCOMPARE(reply.status, 204);
        QCOMPARE(receiver.entryCount(), 1);
        QCOMPARE(receiver.stats().tlsHandshakeFailures(), 0u);
        return;
    }
    QVERIFY2(reply.errorString.contains(reason), qPrintable(reply.errorString));
    QCOMPARE(reply.status, 0);
    QCOMPARE(receiver.entryCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.stats().tlsHandshakeFailures(), 1u, 10000);
    QCOMPARE(receiver.stats().pushRequests(), 0u);
}

void tst_ReceiverTls::httpsWithBasicAuth()
{
    LokiReceiver receiver;
    receiver.setBasicAuth(QStringLiteral("loki"), QStringLiteral("secret"));
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key));
    const QSslConfiguration tls = TestCerts::clientConfiguration(m_certs.ca);
    const TestHttp::Reply refused = pushOver(receiver.pushUrl(), tls, "no credentials");
    QCOMPARE(refused.status, 401);
    QCOMPARE(refused.wwwAuthenticate, QByteArray(R"(Basic realm="loki")"));
    const TestHttp::Reply accepted =
            pushOver(receiver.pushUrl(), tls, "credentials",
                     {{"Authorization", "Basic " + QByteArray("loki:secret").toBase64()}});
    QCOMPARE(accepted.status, 204);
    QCOMPARE(receiver.entryCount(), 1);
}

void tst_ReceiverTls::curlLargeBodyOverTls()
{
    // The interim "100 Continue" (which QtHttpServer 6.4 does not send) works over TLS too:
    // the frontend peeks at decrypted bytes.
    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key));
    const qint64 base = QDateTime::currentMSecsSinceEpoch() * 1000000;
    QByteArray json = R"({"streams":[{"stream":{"app":"big"},"values":[)";
    const QByteArray line(1000, 'x');
    for (int i = 0; i < 1500; ++i)
        json += (i ? "," : "") + ("[\"" + QByteArray::number(base + i) + "\",\"" + line + "\"]");
    json += "]}]}";
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("body.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(json), json.size());
    file.close();

    const TestTools::CurlResult result = TestTools::curl(
            {QStringLiteral("-v"), QStringLiteral("--cacert"), m_certs.ca.certificatePath,
             QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
             QStringLiteral("--data-binary"), QLatin1Char('@') + file.fileName(),
             receiver.pushUrl().toString()});
    QCOMPARE(result.status, 204);
    QVERIFY2(result.error.contains("< HTTP/1.1 100 Continue"), result.error.constData());
    QVERIFY2(!result.error.contains("Done waiting for 100-continue"), result.error.constData());
    QCOMPARE(receiver.entryCount(), 1500);
}

void tst_ReceiverTls::downAndBackKeepsTls()
{
    LokiReceiver receiver;
    QVERIFY(receiver.listenTls(m_certs.server.certificate, m_certs.server.key));
    const QUrl push = receiver.pushUrl();
    receiver.goDown();
    QVERIFY(receiver.comeBack());
    QCOMPARE(receiver.pushUrl(), push);
    QCOMPARE(pushOver(push, TestCerts::clientConfiguration(m_certs.ca), "back").status, 204);
}

void tst_ReceiverTls::listenTlsRefusesMissingKey()
{
    LokiReceiver receiver;
    QVERIFY(!receiver.listenTls(m_certs.server.certificate, QSslKey()));
    QCOMPARE(receiver.errorString(), QStringLiteral("TLS needs a certificate and its private key"));
    QVERIFY(!receiver.isListening());
    QVERIFY(!receiver.listenTls(QSslCertificate(), m_certs.server.key));
}

void tst_ReceiverTls::binaryHttpsWithBasicAuth()
{
#ifndef LOKI_RECEIVER_BINARY
    QSKIP("loki-receiver is not built");
#else
    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(
            process, QStringLiteral(LOKI_RECEIVER_BINARY),
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-cert"),
             m_certs.server.certificatePath, QStringLiteral("--tls-key"), m_certs.server.keyPath,
             QStringLiteral("--basic-auth"), QStringLiteral("loki:s3cret:with:colons")},
            &url));
    QCOMPARE(url.scheme(), QStringLiteral("https"));
    const QString push = url.toString() + QStringLiteral("/loki/api/v1/push");
    const QStringList json {QStringLiteral("-H"), QStringLiteral("Content-Type: application/json"),
                            QStringLiteral("--data-binary"), QString::fromUtf8(body("via curl"))};
    const QStringList trustCa {QStringLiteral("--cacert"), m_certs.ca.certificatePath};
    const QStringList credentials {QStringLiteral("-u"), QStringLiteral("loki:s3cret:with:colons")};

    TestTools::CurlResult result = TestTools::curl(trustCa + json + QStringList {push});
    QCOMPARE(result.status, 401);
    QCOMPARE(result.body, QByteArray("unauthorized: basic auth is required\n"));
    result = TestTools::curl(trustCa + credentials + json + QStringList {push});
    QVERIFY2(result.exitCode == 0, result.error.constData());
    QCOMPARE(result.status, 204);
    // curl with the wrong CA: "SSL certificate problem", exit code 60.
    result = TestTools::curl(
            QStringList {QStringLiteral("--cacert"), m_certs.otherCa.certificatePath} + credentials
            + json + QStringList {push});
    QCOMPARE(result.exitCode, 60);
    QCOMPARE(result.status, 0);
    QVERIFY2(result.error.contains("certificate"), result.error.constData());
    result = TestTools::curl(
            trustCa + credentials
            + QStringList {QStringLiteral("-G"),
                           url.toString() + QStringLiteral("/loki/api/v1/query_range"),
                           QStringLiteral("--data-urlencode"),
                           QStringLiteral("query={app=\"tls\"}")});
    QCOMPARE(result.status, 200);
    QVERIFY2(result.body.contains("via curl"), result.body.constData());

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray log = process.readAllStandardError();
    QVERIFY2(log.contains("push to https://127.0.0.1:"), log.constData());
    QVERIFY2(log.contains("2 pushes, 1 entries accepted"), log.constData());
    QVERIFY2(!log.contains("s3cret"), log.constData());
#endif
}

void tst_ReceiverTls::binaryMutualTls()
{
#ifndef LOKI_RECEIVER_BINARY
    QSKIP("loki-receiver is not built");
#else
    QProcess process;
    QUrl url;
    QVERIFY(TestTools::startReceiver(process, QStringLiteral(LOKI_RECEIVER_BINARY),
                                     {QStringLiteral("--port"), QStringLiteral("0"),
                                      QStringLiteral("--quiet"), QStringLiteral("--tls-cert"),
                                      m_certs.server.certificatePath, QStringLiteral("--tls-key"),
                                      m_certs.server.keyPath, QStringLiteral("--tls-client-ca"),
                                      m_certs.ca.certificatePath},
                                     &url));
    const QStringList push {QStringLiteral("--cacert"),
                            m_certs.ca.certificatePath,
                            QStringLiteral("-H"),
                            QStringLiteral("Content-Type: application/json"),
                            QStringLiteral("--data-binary"),
                            QString::fromUtf8(body("mutual")),
                            url.toString() + QStringLiteral("/loki/api/v1/push")};

    TestTools::CurlResult result = TestTools::curl(push);
    QVERIFY2(result.exitCode != 0, "a client without a certificate got through");
    QCOMPARE(result.status, 0);
    QVERIFY2(result.error.contains("alert certificate required"), result.error.constData());
    result = TestTools::curl(QStringList {QStringLiteral("--cert"),
                                          m_certs.otherClient.certificatePath,
                                          QStringLiteral("--key"), m_certs.otherClient.keyPath}
                             + push);
    QVERIFY2(result.exitCode != 0, "a client of another CA got through");
    QCOMPARE(result.status, 0);
    QVERIFY2(result.error.contains("alert unknown ca"), result.error.constData());
    result = TestTools::curl(QStringList {QStringLiteral("--cert"), m_certs.client.certificatePath,
                                          QStringLiteral("--key"), m_certs.client.keyPath}
                             + push);
    QVERIFY2(result.exitCode == 0, result.error.constData());
    QCOMPARE(result.status, 204);

    process.terminate();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
#endif
}

void tst_ReceiverTls::binaryRejectsBadTlsOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    const QString cert = m_certs.server.certificatePath;
    const QString key = m_certs.server.keyPath;
    const QString tls = QStringLiteral("--tls-cert");
    const QString tlsKey = QStringLiteral("--tls-key");
    QTest::newRow("certificate without key")
            << QStringList {tls, cert} << 2 << QByteArray("--tls-cert and --tls-key go together");
    QTest::newRow("key without certificate")
            << QStringList {tlsKey, key} << 2 << QByteArray("--tls-cert and --tls-key go together");
    QTest::newRow("client CA without certificate")
            << QStringList {QStringLiteral("--tls-client-ca"), cert} << 2
            << QByteArray("--tls-client-ca needs --tls-cert");
    QTest::newRow("missing certificate file")
            << QStringList {tls, cert + QStringLiteral(".missing"), tlsKey, key} << 1
            << QByteArray("cannot read");
    QTest::newRow("key file is a certificate")
            << QStringList {tls, cert, tlsKey, cert} << 1
            << QByteArray("holds no unencrypted PEM private key");
    QTest::newRow("certificate file is a key")
            << QStringList {tls, key, tlsKey, key} << 1 << QByteArray("holds no PEM certificate");
}

void tst_ReceiverTls::binaryRejectsBadTlsOptions()
{
#ifndef LOKI_RECEIVER_BINARY
    QSKIP("loki-receiver is not built");
#else
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    QProcess process;
    process.start(QStringLiteral(LOKI_RECEIVER_BINARY),
                  QStringList {QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), exitCode);
    QVERIFY(process.readAllStandardOutput().isEmpty());
    const QByteArray error = process.readAllStandardError();
    QVERIFY2(error.contains(message), error.constData());
#endif
}

QTEST_GUILESS_MAIN(tst_ReceiverTls)
#include "tst_receiver_tls.moc"
