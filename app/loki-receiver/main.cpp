// SPDX-License-Identifier: MIT
// loki-receiver: a Loki-compatible push receiver for trying out logging without Loki.
#include "options.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTextStream>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    // Only async-signal-safe work here: the event loop reads the pipe.
    const char byte = char(signalNumber);
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}

bool installSignalHandlers()
{
    if (::pipe(signalPipe) != 0)
        return false;
    for (int fd : signalPipe)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::fcntl(signalPipe[1], F_SETFL, O_NONBLOCK);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0
            && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

// The key file says nothing of its algorithm to QSslKey: try each.
QSslKey readKey(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray pem = file.readAll();
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    *error = QStringLiteral("%1 holds no unencrypted PEM private key").arg(path);
    return {};
}

QList<QSslCertificate> readCertificates(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    const QList<QSslCertificate> certificates =
            QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (certificates.isEmpty())
        *error = QStringLiteral("%1 holds no PEM certificate").arg(path);
    return certificates;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("loki-receiver"));
    QTextStream out(stdout);
    QTextStream err(stderr);

    ReceiverOptions options;
    if (const int usage = parseOptions(app, &options, err))
        return usage;

    QSslCertificate certificate;
    QSslKey key;
    QList<QSslCertificate> clientCas;
    if (!options.tlsCertificate.isEmpty()) {
        QString error;
        const QList<QSslCertificate> chain = readCertificates(options.tlsCertificate, &error);
        if (error.isEmpty())
            key = readKey(options.tlsKey, &error);
        if (error.isEmpty() && !options.tlsClientCa.isEmpty())
            clientCas = readCertificates(options.tlsClientCa, &error);
        if (!error.isEmpty()) {
            err << "loki-receiver: " << error << '\n';
            return 1;
        }
        certificate = chain.constFirst();
    }

    LokiReceiver receiver;
    if (!applyOptions(options, receiver)) {
        err << "loki-receiver: " << receiver.errorString() << '\n';
        return 1;
    }

    if (!installSignalHandlers()) {
        err << "loki-receiver: cannot install signal handlers\n";
        return 1;
    }
    QSocketNotifier signalNotifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [&] {
        char byte = 0;
        [[maybe_unused]] const auto bytes = ::read(signalPipe[0], &byte, 1);
        QCoreApplication::quit();
    });

    const bool listening = certificate.isNull()
            ? receiver.listen(options.address, options.port)
            : receiver.listenTls(certificate, key, options.address, options.port, clientCas);
    if (!listening) {
        err << "loki-receiver: cannot listen on " << options.address.toString() << ':'
            << options.port << ": " << receiver.errorString() << '\n';
        return 1;
    }
    out << receiver.baseUrl().toString() << Qt::endl;

    const bool verbose = !options.quiet;
    if (verbose) {
        QStringList notes;
        if (receiver.isCountingOnly())
            notes << QStringLiteral("counting only");
        if (!clientCas.isEmpty())
            notes << QStringLiteral("client certificate required");
        if (!receiver.requiredTenant().isEmpty())
            notes << QStringLiteral("tenant %1 required").arg(receiver.requiredTenant());
        if (receiver.hasBasicAuth())
            notes << QStringLiteral("basic auth required");
        if (receiver.hasBearerToken())
            notes << QStringLiteral("bearer token required");
        err << "loki-receiver: push to " << receiver.pushUrl().toString();
        if (!notes.isEmpty())
            err << " (" << notes.join(QStringLiteral(", ")) << ')';
        err << Qt::endl;
        QObject::connect(&receiver, &LokiReceiver::pushHandled, &app,
                         [&err](int status, int accepted) {
                             if (status != 204)
                                 err << "loki-receiver: push answered " << status << '\n';
                             else
                                 err << "loki-receiver: push stored " << accepted << " entries\n";
                             err.flush();
                         });
    }

    const int result = QCoreApplication::exec();
    receiver.close();
    if (verbose) {
        const LokiReceiver::Stats stats = receiver.stats();
        err << "loki-receiver: " << stats.pushRequests() << " pushes, " << stats.entriesAccepted()
            << " entries accepted, " << stats.entriesRejected() << " rejected, "
            << stats.duplicatesIgnored() << " duplicates" << Qt::endl;
    }
    return result;
}
