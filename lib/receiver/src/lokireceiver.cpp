// SPDX-License-Identifier: MIT
#include "lokireceiver_p.h"

#include "httpfrontend_p.h"
#include "logql_p.h"
#include "queryapi_p.h"

#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

using namespace LokiReceiverInternal;

namespace {

QMap<QString, QString> toMap(const LabelPairs &pairs)
{
    QMap<QString, QString> map;
    for (const auto &[name, value] : pairs)
        map.insert(QString::fromUtf8(name), QString::fromUtf8(value));
    return map;
}

} // namespace

LokiReceiverPrivate::LokiReceiverPrivate(LokiReceiver *q)
    : q_ptr(q)
{
    comeBackTimer.setSingleShot(true);
    comeBackTimer.setTimerType(Qt::PreciseTimer);
}

LokiReceiverPrivate::~LokiReceiverPrivate() = default;

LokiReceiver::Entry LokiReceiverPrivate::toEntry(const EntryStore &store,
                                                 const EntryStore::Entry &entry)
{
    LokiReceiver::Entry out;
    const EntryStore::Stream &stream = store.streams()[entry.stream];
    out.labels = toMap(stream.labels);
    out.tenant = QString::fromUtf8(stream.tenant);
    out.timestampNs = entry.timestampNs;
    out.line = QString::fromUtf8(entry.line);
    out.structuredMetadata = toMap(entry.structuredMetadata);
    return out;
}

StatValues LokiReceiverPrivate::stats() const
{
    StatValues stats = counters;
    stats.entriesEvicted = quint64(store.evictedCount());
    stats.storedEntries = qint64(store.entries().size());
    stats.streams = store.streamCount();
    stats.storedBytes = store.bytes();
    return stats;
}

LokiReceiver::LokiReceiver(QObject *parent)
    : QObject(parent)
    , d_ptr(std::make_unique<LokiReceiverPrivate>(this))
{
    Q_D(LokiReceiver);
    d->http = new HttpFrontend([d](const QHttpServerRequest &request,
                                   QTcpSocket *socket) { d->handleRequest(request, socket); },
                               this);
    d->http->setHandshakeFailureHandler([d] { ++d->counters.tlsHandshakeFailures; });
    d->http->setBodyRefusalHandler([d](QTcpSocket *socket, const QByteArray &path, qint64 size) {
        d->refuseBody(socket, path, size);
    });
    const LimitValues &defaults = *d->limits.d;
    d->store.setMaxBytes(defaults.maxStoredBytes);
    d->http->setConnectionLimits(defaults.maxBodyBytes, defaults.maxConnections,
                                 defaults.idleTimeout, defaults.maxHeaderBytes);
    connect(&d->comeBackTimer, &QTimer::timeout, this, [d] { d->listenAgain(); });
}

LokiReceiver::~LokiReceiver()
{
    Q_D(LokiReceiver);
    d->comeBackTimer.stop();
    delete d->http;
    d->http = nullptr;
}

bool LokiReceiver::listen(const QHostAddress &address, quint16 port)
{
    Q_D(LokiReceiver);
    d->http->setTlsConfiguration(std::nullopt);
    return d->listenOn(address, port);
}

bool LokiReceiver::listenTls(const QSslCertificate &certificate, const QSslKey &key,
                             const QHostAddress &address, quint16 port,
                             const QList<QSslCertificate> &clientCaCertificates)
{
    Q_D(LokiReceiver);
    if (!QSslSocket::supportsSsl()) {
        d->errorString = QStringLiteral("TLS is not available: no TLS backend could be loaded");
        return false;
    }
    if (certificate.isNull() || key.isNull()) {
        d->errorString = QStringLiteral("TLS needs a certificate and its private key");
        return false;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate);
    tls.setPrivateKey(key);
    tls.setProtocol(QSsl::SecureProtocols);
    if (clientCaCertificates.isEmpty()) {
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    } else {
        // Only these CAs, not the system's, vouch for clients.
        tls.setCaCertificates(clientCaCertificates);
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        // Refuse inside the handshake, with an alert the client sees, rather than after it
        // (both are OpenSSL backend options; Debian's Qt uses that backend).
        tls.setMissingCertificateIsFatal(true);
        tls.setHandshakeMustInterruptOnError(true);
    }
    d->http->setTlsConfiguration(tls);
    return d->listenOn(address, port);
}

bool LokiReceiver::isTls() const
{
    Q_D(const LokiReceiver);
    return d->http->isTls();
}

bool LokiReceiverPrivate::listenOn(const QHostAddress &bindAddress, quint16 bindPort)
{
    comeBackTimer.stop();
    down = false;
    if (!http->listen(bindAddress, bindPort, &errorString)) {
        listening = false;
        return false;
    }
    errorString.clear();
    address = bindAddress;
    port = http->serverPort();
    listening = true;
    return true;
}

void LokiReceiver::close()
{
    Q_D(LokiReceiver);
    d->comeBackTimer.stop();
    d->http->stopListening();
    d->http->closeConnections(false);
    d->listening = false;
    d->down = false;
}

bool LokiReceiver::isListening() const
{
    Q_D(const LokiReceiver);
    return d->listening && !d->down;
}

quint16 LokiReceiver::serverPort() const
{
    Q_D(const LokiReceiver);
    return d->listening ? d->port : 0;
}

QHostAddress LokiReceiver::serverAddress() const
{
    Q_D(const LokiReceiver);
    return d->address;
}

QUrl LokiReceiver::baseUrl() const
{
    Q_D(const LokiReceiver);
    if (!d->listening)
        return {};
    QHostAddress host = d->address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(d->http->isTls() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(d->port);
    return url;
}

QUrl LokiReceiver::pushUrl() const
{
    QUrl url = baseUrl();
    if (!url.isEmpty())
        url.setPath(QStringLiteral("/loki/api/v1/push"));
    return url;
}

QString LokiReceiver::errorString() const
{
    Q_D(const LokiReceiver);
    return d->errorString;
}

void LokiReceiver::setRequiredTenant(const QString &tenant)
{
    Q_D(LokiReceiver);
    d->access.setTenant(tenant.toUtf8());
}

QString LokiReceiver::requiredTenant() const
{
    Q_D(const LokiReceiver);
    return QString::fromUtf8(d->access.tenant());
}

void LokiReceiver::setBasicAuth(const QString &user, const QString &password)
{
    Q_D(LokiReceiver);
    d->access.setBasicAuth(user.toUtf8(), password.toUtf8());
}

bool LokiReceiver::hasBasicAuth() const
{
    Q_D(const LokiReceiver);
    return d->access.hasBasicAuth();
}

void LokiReceiver::setBearerToken(const QString &token)
{
    Q_D(LokiReceiver);
    d->access.setBearerToken(token.toUtf8());
}

bool LokiReceiver::hasBearerToken() const
{
    Q_D(const LokiReceiver);
    return d->access.hasBearerToken();
}

void LokiReceiver::setLimits(const Limits &limits)
{
    Q_D(LokiReceiver);
    d->limits = limits;
    const LimitValues &values = *limits.d;
    d->ingestor.setLimits(values);
    d->store.setMaxBytes(values.maxStoredBytes);
    d->http->setConnectionLimits(values.maxBodyBytes, values.maxConnections, values.idleTimeout,
                                 values.maxHeaderBytes);
}

LokiReceiver::Limits LokiReceiver::limits() const
{
    Q_D(const LokiReceiver);
    return d->limits;
}

void LokiReceiver::setMaxStoredEntries(qint64 count)
{
    Q_D(LokiReceiver);
    d->store.setMaxEntries(count);
}

qint64 LokiReceiver::maxStoredEntries() const
{
    Q_D(const LokiReceiver);
    return d->store.maxEntries();
}

void LokiReceiver::setCountingOnly(bool countingOnly)
{
    Q_D(LokiReceiver);
    d->ingestor.setCountingOnly(countingOnly);
}

bool LokiReceiver::isCountingOnly() const
{
    Q_D(const LokiReceiver);
    return d->ingestor.isCountingOnly();
}

bool LokiReceiver::setStoreFile(const QString &path)
{
    Q_D(LokiReceiver);
    d->ingestor.setStoreDevice(nullptr);
    d->storeFile.close();
    d->storeFile.setFileName(path);
    if (path.isEmpty())
        return true;
    if (!d->storeFile.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        d->errorString = QStringLiteral("cannot open %1: %2").arg(path, d->storeFile.errorString());
        d->storeFile.setFileName(QString());
        return false;
    }
    d->ingestor.setStoreDevice(&d->storeFile);
    return true;
}

QString LokiReceiver::storeFile() const
{
    Q_D(const LokiReceiver);
    return d->storeFile.fileName();
}

void LokiReceiver::setBuildVersion(const QString &version)
{
    Q_D(LokiReceiver);
    d->buildVersion = version;
}

QString LokiReceiver::buildVersion() const
{
    Q_D(const LokiReceiver);
    return d->buildVersion;
}

QList<LokiReceiver::Entry> LokiReceiver::entries() const
{
    Q_D(const LokiReceiver);
    QList<Entry> out;
    out.reserve(qsizetype(d->store.entries().size()));
    for (const EntryStore::Entry &entry : d->store.entries())
        out.append(LokiReceiverPrivate::toEntry(d->store, entry));
    return out;
}

qint64 LokiReceiver::entryCount() const
{
    Q_D(const LokiReceiver);
    return qint64(d->store.entries().size());
}

QList<QMap<QString, QString>> LokiReceiver::streams() const
{
    Q_D(const LokiReceiver);
    QList<QMap<QString, QString>> out;
    for (const EntryStore::Stream &stream : d->store.streams()) {
        if (stream.entryCount > 0)
            out.append(toMap(stream.labels));
    }
    return out;
}

QList<LokiReceiver::Entry> LokiReceiver::query(const QString &logql, qint64 startNs, qint64 endNs,
                                               int limit, Direction direction,
                                               QString *errorString) const
{
    Q_D(const LokiReceiver);
    QueryRequest request;
    QString error;
    if (!parseLogQuery(logql.toUtf8(), &request.query, &error)) {
        if (errorString)
            *errorString = error;
        return {};
    }
    if (errorString)
        errorString->clear();
    request.startNs = startNs;
    request.endNs = endNs;
    request.limit = qMax(0, limit);
    request.forward = direction == Direction::Forward;
    QList<Entry> out;
    for (const EntryStore::Entry *entry : runQuery(d->store, request))
        out.append(LokiReceiverPrivate::toEntry(d->store, *entry));
    return out;
}

void LokiReceiver::clear()
{
    Q_D(LokiReceiver);
    d->store.clear(false);
    d->ingestor.clearCache();
}

void LokiReceiver::reset()
{
    Q_D(LokiReceiver);
    d->store.clear(true);
    d->ingestor.clearCache();
    d->counters = StatValues();
}

LokiReceiver::Stats LokiReceiver::stats() const
{
    Q_D(const LokiReceiver);
    Stats stats;
    stats.d = new LokiReceiverStatsData(d->stats());
    return stats;
}
