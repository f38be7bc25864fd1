// SPDX-License-Identifier: MIT
// loki-receiver: a Loki-compatible push receiver for trying out logging without Loki.
#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QCommandLineParser>
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

bool readPositive(const QCommandLineParser &parser, const QString &option, qint64 *value,
                  QTextStream &err)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    *value = parser.value(option).toLongLong(&ok);
    if (ok && *value >= 0)
        return true;
    err << "loki-receiver: --" << option << " needs a number >= 0, not \"" << parser.value(option)
        << "\"\n";
    return false;
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

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "A Loki-compatible push receiver: accepts POST /loki/api/v1/push (JSON or "
            "protobuf), answers query_range, labels, /ready and /metrics, and takes faults "
            "on /receiver/faults; can check a tenant and credentials as a gateway does, and "
            "serve HTTPS. Prints the URL it listens on, then runs until SIGINT or SIGTERM."));
    parser.addHelpOption();
    const QCommandLineOption port(
            QStringLiteral("port"),
            QStringLiteral("Port to listen on (default 3100); 0 picks a free one."),
            QStringLiteral("port"), QStringLiteral("3100"));
    const QCommandLineOption bind(QStringLiteral("bind"),
                                  QStringLiteral("Address to listen on (default 127.0.0.1)."),
                                  QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption store(QStringLiteral("store"),
                                   QStringLiteral("Append accepted entries to this file as JSON "
                                                  "lines."),
                                   QStringLiteral("file"));
    const QCommandLineOption maxEntries(QStringLiteral("max-entries"),
                                        QStringLiteral("Entries kept in memory (oldest evicted; "
                                                       "0: no bound). Default 1000000."),
                                        QStringLiteral("count"));
    const QCommandLineOption maxLineSize(QStringLiteral("max-line-size"),
                                         QStringLiteral("Longest accepted line in bytes (0: no "
                                                        "limit). Default 262144."),
                                         QStringLiteral("bytes"));
    const QCommandLineOption maxLabelNames(QStringLiteral("max-label-names"),
                                           QStringLiteral("Label names per stream. Default 15."),
                                           QStringLiteral("count"));
    const QCommandLineOption noMetadata(QStringLiteral("no-structured-metadata"),
                                        QStringLiteral("Refuse each entry that carries "
                                                       "structured metadata, as Loki 2.9 and 3.x "
                                                       "do with allow_structured_metadata: "
                                                       "false."));
    const QCommandLineOption loki28Metadata(
            QStringLiteral("loki-2.8-metadata"),
            QStringLiteral("With --no-structured-metadata, answer as Loki 2.8 instead: a JSON "
                           "push with metadata fails to parse as a whole, protobuf metadata is "
                           "silently dropped."));
    const QCommandLineOption maxMetadataSize(
            QStringLiteral("max-structured-metadata-size"),
            QStringLiteral("Bytes of an entry's structured metadata (0: no limit). Default "
                           "65536."),
            QStringLiteral("bytes"));
    const QCommandLineOption maxMetadataCount(
            QStringLiteral("max-structured-metadata-count"),
            QStringLiteral("Names in an entry's structured metadata (0: no limit). Default 128."),
            QStringLiteral("count"));
    const QCommandLineOption outOfOrderWindow(
            QStringLiteral("out-of-order-window"),
            QStringLiteral("Seconds an entry may be older than its stream's newest (0: any). "
                           "Default 3600."),
            QStringLiteral("seconds"));
    const QCommandLineOption buildVersion(QStringLiteral("build-version"),
                                          QStringLiteral("Version reported by "
                                                         "/loki/api/v1/status/buildinfo."),
                                          QStringLiteral("version"));
    const QCommandLineOption countingOnly(QStringLiteral("counting-only"),
                                          QStringLiteral("Validate and count entries without "
                                                         "storing them (benchmarks)."));
    const QCommandLineOption quiet(QStringLiteral("quiet"),
                                   QStringLiteral("Print nothing but the URL line."));
    const QCommandLineOption tenant(QStringLiteral("tenant"),
                                    QStringLiteral("Require \"X-Scope-OrgID: <id>\" on push and "
                                                   "read requests (401 \"no org id\" without it); "
                                                   "reads see only this tenant's entries."),
                                    QStringLiteral("id"));
    const QCommandLineOption basicAuth(QStringLiteral("basic-auth"),
                                       QStringLiteral("Require HTTP basic auth on push and read "
                                                      "requests, as a gateway does."),
                                       QStringLiteral("user:password"));
    const QCommandLineOption bearer(QStringLiteral("bearer"),
                                    QStringLiteral("Require \"Authorization: Bearer <token>\" on "
                                                   "push and read requests (with --basic-auth: "
                                                   "either one)."),
                                    QStringLiteral("token"));
    const QCommandLineOption tlsCert(QStringLiteral("tls-cert"),
                                     QStringLiteral("Serve HTTPS with this PEM certificate (the "
                                                    "first in the file); needs --tls-key."),
                                     QStringLiteral("file"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QStringLiteral("The certificate's PEM private key "
                                                   "(unencrypted)."),
                                    QStringLiteral("file"));
    const QCommandLineOption tlsClientCa(QStringLiteral("tls-client-ca"),
                                         QStringLiteral("Require client certificates issued by "
                                                        "the CAs in this PEM file (mutual TLS)."),
                                         QStringLiteral("file"));
    parser.addOptions({port,
                       bind,
                       store,
                       maxEntries,
                       maxLineSize,
                       maxLabelNames,
                       noMetadata,
                       loki28Metadata,
                       maxMetadataSize,
                       maxMetadataCount,
                       outOfOrderWindow,
                       buildVersion,
                       countingOnly,
                       quiet,
                       tenant,
                       basicAuth,
                       bearer,
                       tlsCert,
                       tlsKey,
                       tlsClientCa});
    parser.process(app);

    qint64 portValue = 3100;
    qint64 maxEntriesValue = -1;
    qint64 maxLineSizeValue = -1;
    qint64 maxLabelNamesValue = -1;
    qint64 maxMetadataSizeValue = -1;
    qint64 maxMetadataCountValue = -1;
    qint64 outOfOrderWindowValue = -1;
    if (!readPositive(parser, port.names().constFirst(), &portValue, err)
        || !readPositive(parser, maxMetadataSize.names().constFirst(), &maxMetadataSizeValue, err)
        || !readPositive(parser, maxMetadataCount.names().constFirst(), &maxMetadataCountValue, err)
        || !readPositive(parser, outOfOrderWindow.names().constFirst(), &outOfOrderWindowValue, err)
        || !readPositive(parser, maxEntries.names().constFirst(), &maxEntriesValue, err)
        || !readPositive(parser, maxLineSize.names().constFirst(), &maxLineSizeValue, err)
        || !readPositive(parser, maxLabelNames.names().constFirst(), &maxLabelNamesValue, err)) {
        return 2;
    }
    if (parser.isSet(loki28Metadata) && !parser.isSet(noMetadata)) {
        err << "loki-receiver: --loki-2.8-metadata needs --no-structured-metadata\n";
        return 2;
    }
    if (portValue > 65535) {
        err << "loki-receiver: --port must be at most 65535\n";
        return 2;
    }
    const QHostAddress address(parser.value(bind));
    if (address.isNull()) {
        err << "loki-receiver: --bind needs an IP address, not \"" << parser.value(bind) << "\"\n";
        return 2;
    }

    const QString credentials = parser.value(basicAuth);
    const qsizetype colon = credentials.indexOf(QLatin1Char(':'));
    if (parser.isSet(basicAuth) && colon <= 0) {
        err << "loki-receiver: --basic-auth needs user:password with a user\n";
        return 2;
    }
    if (parser.isSet(bearer) && parser.value(bearer).isEmpty()) {
        err << "loki-receiver: --bearer needs a token\n";
        return 2;
    }
    if (parser.isSet(tenant) && parser.value(tenant).isEmpty()) {
        err << "loki-receiver: --tenant needs an id\n";
        return 2;
    }

    if (parser.isSet(tlsCert) != parser.isSet(tlsKey)) {
        err << "loki-receiver: --tls-cert and --tls-key go together\n";
        return 2;
    }
    if (parser.isSet(tlsClientCa) && !parser.isSet(tlsCert)) {
        err << "loki-receiver: --tls-client-ca needs --tls-cert and --tls-key\n";
        return 2;
    }
    QSslCertificate certificate;
    QSslKey key;
    QList<QSslCertificate> clientCas;
    if (parser.isSet(tlsCert)) {
        QString error;
        const QList<QSslCertificate> chain = readCertificates(parser.value(tlsCert), &error);
        if (error.isEmpty())
            key = readKey(parser.value(tlsKey), &error);
        if (error.isEmpty() && parser.isSet(tlsClientCa))
            clientCas = readCertificates(parser.value(tlsClientCa), &error);
        if (!error.isEmpty()) {
            err << "loki-receiver: " << error << '\n';
            return 1;
        }
        certificate = chain.constFirst();
    }

    LokiReceiver receiver;
    receiver.setRequiredTenant(parser.value(tenant));
    if (parser.isSet(basicAuth))
        receiver.setBasicAuth(credentials.left(colon), credentials.mid(colon + 1));
    receiver.setBearerToken(parser.value(bearer));
    LokiReceiver::Limits limits;
    if (maxLineSizeValue >= 0)
        limits.maxLineSize = int(qMin<qint64>(maxLineSizeValue, std::numeric_limits<int>::max()));
    if (maxLabelNamesValue >= 0)
        limits.maxLabelNamesPerSeries = int(qMin<qint64>(maxLabelNamesValue, 1 << 20));
    limits.allowStructuredMetadata = !parser.isSet(noMetadata);
    limits.metadataAsLoki28 = parser.isSet(loki28Metadata);
    if (maxMetadataSizeValue >= 0)
        limits.maxStructuredMetadataSize = maxMetadataSizeValue;
    if (maxMetadataCountValue >= 0)
        limits.maxStructuredMetadataCount =
                int(qMin<qint64>(maxMetadataCountValue, std::numeric_limits<int>::max()));
    if (outOfOrderWindowValue >= 0)
        limits.outOfOrderWindow =
                std::chrono::seconds(qMin<qint64>(outOfOrderWindowValue, 100LL * 365 * 24 * 3600));
    receiver.setLimits(limits);
    if (maxEntriesValue >= 0)
        receiver.setMaxStoredEntries(maxEntriesValue);
    receiver.setCountingOnly(parser.isSet(countingOnly));
    if (parser.isSet(buildVersion))
        receiver.setBuildVersion(parser.value(buildVersion));
    if (parser.isSet(store) && !receiver.setStoreFile(parser.value(store))) {
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
            ? receiver.listen(address, quint16(portValue))
            : receiver.listenTls(certificate, key, address, quint16(portValue), clientCas);
    if (!listening) {
        err << "loki-receiver: cannot listen on " << address.toString() << ':' << portValue << ": "
            << receiver.errorString() << '\n';
        return 1;
    }
    out << receiver.baseUrl().toString() << Qt::endl;

    const bool verbose = !parser.isSet(quiet);
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
        err << "loki-receiver: " << stats.pushRequests << " pushes, " << stats.entriesAccepted
            << " entries accepted, " << stats.entriesRejected << " rejected, "
            << stats.duplicatesIgnored << " duplicates" << Qt::endl;
    }
    return result;
}
