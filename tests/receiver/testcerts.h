// SPDX-License-Identifier: MIT
#pragma once

// Certificates for TLS tests, made at test time with the openssl command-line tool in a
// temporary directory, so that no key is ever committed and none expires in the tree.
// Header-only, Qt Core and Network only: usable from any test folder with
// `target_include_directories(<test> PRIVATE ${PROJECT_SOURCE_DIR}/tests/receiver)`.
//
//     const TestCerts::Set certs = TestCerts::generate();
//     QVERIFY2(certs.isValid(), qPrintable(certs.errorString));
//     receiver.listenTls(certs.server.certificate, certs.server.key);
//     request.setSslConfiguration(TestCerts::clientConfiguration(certs.ca));

#include <QtCore/QDebug>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>

#include <memory>

namespace TestCerts {

//! A certificate and its private key (EC P-256), as PEM files and loaded.
struct Credential
{
    QString certificatePath;
    QString keyPath;
    QSslCertificate certificate;
    QSslKey key;
};

struct Set
{
    //! Holds the files; removed with the last copy of the Set.
    std::shared_ptr<QTemporaryDir> directory;
    //! A CA ("QLoki Test CA") that signed server and client.
    Credential ca;
    //! For 127.0.0.1 and localhost (subjectAltName IP:127.0.0.1, DNS:localhost; serverAuth).
    Credential server;
    //! A client certificate (CN qloki-test-client; clientAuth).
    Credential client;
    //! An unrelated CA ("QLoki Other Test CA"), for "wrong CA" tests.
    Credential otherCa;
    //! A client certificate signed by otherCa, for "client from another CA" tests.
    Credential otherClient;
    //! Empty on success; otherwise what failed (openssl missing, a command's output).
    QString errorString;

    bool isValid() const { return errorString.isEmpty(); }
};

namespace Detail {

inline constexpr char OpenSslConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

// Runs openssl; on failure returns the reason.
inline QString run(const QString &openssl, const QString &directory, const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(directory);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl, arguments);
    if (!process.waitForStarted(10000))
        return QStringLiteral("cannot start %1: %2").arg(openssl, process.errorString());
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished(5000);
        return QStringLiteral("openssl %1 did not finish within 30 s").arg(arguments.join(u' '));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        return QStringLiteral("openssl %1 failed (exit code %2): %3")
                .arg(arguments.join(u' '))
                .arg(process.exitCode())
                .arg(QString::fromLocal8Bit(process.readAll()).trimmed());
    }
    return {};
}

inline QString load(Credential *credential)
{
    QFile certificate(credential->certificatePath);
    QFile key(credential->keyPath);
    if (!certificate.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1 or %2").arg(certificate.fileName(), key.fileName());
    credential->certificate = QSslCertificate(certificate.readAll(), QSsl::Pem);
    credential->key = QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (credential->certificate.isNull() || credential->key.isNull())
        return QStringLiteral("cannot load %1 or %2").arg(certificate.fileName(), key.fileName());
    return {};
}

inline QStringList newKeyArguments(const QString &keyFile)
{
    return {QStringLiteral("-newkey"),
            QStringLiteral("ec"),
            QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"),
            QStringLiteral("-nodes"),
            QStringLiteral("-keyout"),
            keyFile};
}

// A self-signed CA certificate named name.crt/name.key.
inline QString makeCa(const QString &openssl, const QString &directory, const QString &name,
                      const QString &commonName, Credential *credential)
{
    credential->certificatePath = directory + u'/' + name + QStringLiteral(".crt");
    credential->keyPath = directory + u'/' + name + QStringLiteral(".key");
    QString error =
            run(openssl, directory,
                QStringList {QStringLiteral("req"), QStringLiteral("-x509"),
                             QStringLiteral("-config"), QStringLiteral("openssl.cnf")}
                        + newKeyArguments(credential->keyPath)
                        + QStringList {QStringLiteral("-out"), credential->certificatePath,
                                       QStringLiteral("-days"), QStringLiteral("2"),
                                       QStringLiteral("-subj"), QStringLiteral("/CN=") + commonName,
                                       QStringLiteral("-extensions"), QStringLiteral("ca_ext")});
    return error.isEmpty() ? load(credential) : error;
}

// A certificate named name.crt/name.key signed by issuer, with the extensions section.
inline QString makeSigned(const QString &openssl, const QString &directory, const QString &name,
                          const QString &commonName, const QString &extensions,
                          const Credential &issuer, Credential *credential)
{
    credential->certificatePath = directory + u'/' + name + QStringLiteral(".crt");
    credential->keyPath = directory + u'/' + name + QStringLiteral(".key");
    const QString request = directory + u'/' + name + QStringLiteral(".csr");
    QString error =
            run(openssl, directory,
                QStringList {QStringLiteral("req"), QStringLiteral("-new"),
                             QStringLiteral("-config"), QStringLiteral("openssl.cnf")}
                        + newKeyArguments(credential->keyPath)
                        + QStringList {QStringLiteral("-out"), request, QStringLiteral("-subj"),
                                       QStringLiteral("/CN=") + commonName});
    if (!error.isEmpty())
        return error;
    const QString serial = QString::number(QRandomGenerator::global()->bounded(1, 1 << 30));
    error = run(openssl, directory,
                {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), request,
                 QStringLiteral("-CA"), issuer.certificatePath, QStringLiteral("-CAkey"),
                 issuer.keyPath, QStringLiteral("-set_serial"), serial, QStringLiteral("-days"),
                 QStringLiteral("2"), QStringLiteral("-out"), credential->certificatePath,
                 QStringLiteral("-extfile"), QStringLiteral("openssl.cnf"),
                 QStringLiteral("-extensions"), extensions});
    return error.isEmpty() ? load(credential) : error;
}

} // namespace Detail

/*!
    Generates a fresh Set: two CAs, a server and a client certificate from the first, a
    client certificate from the second; EC P-256 keys, valid for two days. Takes well under
    a second. On failure, errorString says why (and a warning is printed): a test should
    fail then, never skip, so that a missing openssl does not pass unnoticed.
*/
inline Set generate()
{
    Set set;
    auto fail = [&set](const QString &error) {
        set.errorString = QStringLiteral("TestCerts: ") + error;
        qWarning().noquote() << set.errorString;
        return set;
    };
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        return fail(QStringLiteral("openssl was not found in PATH; the TLS tests need the "
                                   "openssl command-line tool (Debian package openssl)"));
    }
    set.directory = std::make_shared<QTemporaryDir>();
    if (!set.directory->isValid())
        return fail(QStringLiteral("no temporary directory: ") + set.directory->errorString());
    const QString dir = set.directory->path();
    QFile config(dir + QStringLiteral("/openssl.cnf"));
    if (!config.open(QIODevice::WriteOnly) || config.write(Detail::OpenSslConfig) < 0)
        return fail(QStringLiteral("cannot write ") + config.fileName());
    config.close();

    QString error = Detail::makeCa(openssl, dir, QStringLiteral("ca"),
                                   QStringLiteral("QLoki Test CA"), &set.ca);
    if (error.isEmpty()) {
        error = Detail::makeSigned(openssl, dir, QStringLiteral("server"),
                                   QStringLiteral("localhost"), QStringLiteral("server_ext"),
                                   set.ca, &set.server);
    }
    if (error.isEmpty()) {
        error = Detail::makeSigned(openssl, dir, QStringLiteral("client"),
                                   QStringLiteral("qloki-test-client"),
                                   QStringLiteral("client_ext"), set.ca, &set.client);
    }
    if (error.isEmpty()) {
        error = Detail::makeCa(openssl, dir, QStringLiteral("other-ca"),
                               QStringLiteral("QLoki Other Test CA"), &set.otherCa);
    }
    if (error.isEmpty()) {
        error = Detail::makeSigned(openssl, dir, QStringLiteral("other-client"),
                                   QStringLiteral("qloki-other-client"),
                                   QStringLiteral("client_ext"), set.otherCa, &set.otherClient);
    }
    if (!error.isEmpty())
        return fail(error);
    return set;
}

/*!
    A client TLS configuration that trusts only \a ca (not the system's CAs) and, when
    \a client is given, presents that certificate and key (mutual TLS).
*/
inline QSslConfiguration clientConfiguration(const Credential &ca,
                                             const Credential *client = nullptr)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({ca.certificate});
    if (client) {
        configuration.setLocalCertificate(client->certificate);
        configuration.setPrivateKey(client->key);
    }
    return configuration;
}

} // namespace TestCerts
