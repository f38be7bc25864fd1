// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/qlokireceiver_export.h>

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <chrono>
#include <limits>
#include <memory>

class LokiReceiverPrivate;
struct LokiReceiverLimitsData;
struct LokiReceiverStatsData;
struct LokiReceiverFaultsData;

/*!
    A Loki-compatible push receiver: try logging without a Loki, test and benchmark
    clients against a server that answers as Loki does, and inject the faults a real
    deployment produces.

    It answers `POST /loki/api/v1/push` (JSON, optionally gzip- or deflate-encoded, and
    snappy-compressed protobuf), validates each stream and entry on its own with Loki's
    rules and messages (see Limits), stores the valid entries in a bounded memory store
    (identical stream, timestamp and line are silently deduplicated) and answers 204, or
    400 with Loki's words when any entry was refused (several refusals grouped as Loki
    groups them: `3 errors like: <message>; 1 errors like: <message>`), and serves
    `GET /loki/api/v1/query_range`, `/loki/api/v1/labels`,
    `/loki/api/v1/label/<name>/values`, `/loki/api/v1/status/buildinfo`, `/ready` and
    `/metrics` (`/loki/api/v1/query` refuses log queries as Loki 3 does, and answers them
    for a build version of 2.x). Faults are set through this API or over HTTP on
    `/receiver/faults` (GET, POST a JSON object, DELETE); `POST /receiver/reset` clears
    store and counters; a POST there must be `Content-Type: application/json` (415
    otherwise), which no web page can send to another origin without the browser asking
    first. It can check access as a gateway in front of Loki
    does (a tenant, basic auth, a bearer token; see setRequiredTenant()), and bounds what
    it takes in (see Limits) so that it can be exposed.

    The receiver lives in, and must be used from, the thread that created it (it needs
    that thread's event loop).

    \code
    LokiReceiver receiver;
    if (!receiver.listen())                      // 127.0.0.1, a free port
        qFatal("%s", qPrintable(receiver.errorString()));
    client.setUrl(receiver.pushUrl());
    receiver.failNextPushes(2, 503, 1);          // two 503s with "Retry-After: 1"
    QSignalSpy spy(&receiver, &LokiReceiver::pushHandled);
    ...
    const auto entries = receiver.query(QStringLiteral("{app=\"demo\"} |= \"login\""));
    \endcode
*/
class QLOKIRECEIVER_EXPORT LokiReceiver : public QObject
{
    Q_OBJECT

public:
    /*!
        What refuseEntries() refuses entries for, each answered with Loki's own words for
        that refusal (and counted under Loki's reason in Stats::rejectedByReason()).
    */
    enum class RefusalReason {
        LineTooLong, //!< `Max entry size '...' bytes exceeded ...` (`line_too_long`)
        TooOld, //!< `... has timestamp too old: ...` (`greater_than_max_sample_age`)
        TooNew, //!< `... has timestamp too new: ...` (`too_far_in_future`)
        //! The ingester's `entry too far behind ...` (`too_far_behind`)
        TooFarBehind,
        //! A stream-level refusal, `entry for stream '...' has N label names; limit N-1`
        //! (`max_label_names_per_series`): it covers every entry of the stream.
        StreamLabels,
        //! `... includes structured metadata, but this feature is disallowed ...`
        //! (`disallowed_structured_metadata`)
        StructuredMetadataDisallowed,
        //! `... has structured metadata too large: ...` (`structured_metadata_too_large`)
        StructuredMetadataTooLarge,
    };
    Q_ENUM(RefusalReason)

    //! The limits (validation, and what the receiver takes in); see setLimits(). Defined
    //! in <QLokiReceiver/lokireceiverlimits.h>.
    class Limits;

    //! One stored entry.
    struct Entry
    {
        QMap<QString, QString> labels; //!< the labels of the entry's stream
        qint64 timestampNs = 0; //!< nanoseconds since the Unix epoch
        QString line; //!< the log line
        QMap<QString, QString> structuredMetadata; //!< the entry's structured metadata
        //! The `X-Scope-OrgID` the entry was pushed with; empty when there was none.
        QString tenant;
    };

    //! Counters since construction or the last reset(); see stats(). Defined in
    //! <QLokiReceiver/lokireceiverstats.h>.
    class Stats;

    //! The fault injection state; see faults(). Defined in
    //! <QLokiReceiver/lokireceiverfaults.h>.
    class Faults;

    //! Order of query() results: newest first (Backward) or oldest first (Forward).
    enum class Direction { Backward, Forward };
    Q_ENUM(Direction)

    //! Constructs a receiver that does not listen yet; call listen() or listenTls().
    explicit LokiReceiver(QObject *parent = nullptr);
    //! Closes every connection and stops listening.
    ~LokiReceiver() override;

    /*!
        Starts listening on \a address and \a port (0 picks a free port). Returns false
        and sets errorString() when the port cannot be bound. Listening again after
        close() may pick another port.
    */
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    /*!
        Starts listening as listen() does, serving the same API over HTTPS with
        \a certificate and its private \a key (TLS 1.2 or later). With
        \a clientCaCertificates, clients must present a certificate issued by one of
        them (mutual TLS): a client without one, or with another, fails the handshake
        with a TLS alert (with TLS 1.3 the client reads the alert after its side of the
        handshake, on its first read; with TLS 1.2 during the handshake). Failed handshakes are
       counted in Stats::tlsHandshakeFailures(). Returns false and sets errorString() when TLS is
       not available, the certificate or key is empty, or the port cannot be bound. listen() serves
       plain HTTP again.

        \code
        receiver.listenTls(serverCertificate, serverKey);  // https://127.0.0.1:<port>
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({testCa});                   // the client trusts the test CA
        \endcode
    */
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key,
                   const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0,
                   const QList<QSslCertificate> &clientCaCertificates = {});
    //! Whether the receiver serves (or, while down, will serve) HTTPS.
    bool isTls() const;
    //! Stops listening and closes every connection; the store is kept.
    void close();
    //! Whether the receiver listens (false while down).
    bool isListening() const;
    //! The port listened on (also while down); 0 before listen().
    quint16 serverPort() const;
    //! The address listened on.
    QHostAddress serverAddress() const;
    //! `http://127.0.0.1:<port>`, `https://` with TLS (the listening address; loopback
    //! when bound to any).
    QUrl baseUrl() const;
    //! baseUrl() + `/loki/api/v1/push`.
    QUrl pushUrl() const;
    //! Why the last listen(), listenTls(), setStoreFile() or comeBack() failed.
    QString errorString() const;

    /*!
        Requires `X-Scope-OrgID: <tenant>` on push, read and `/receiver/` requests
        (`/loki/api/v1/` but for `status/buildinfo`, which Loki serves without a tenant). A request
        without the header is answered 401 `no org id`, as Loki with auth enabled does;
        one with another tenant 401 too. Read requests then see only this tenant's
        entries; entries stored for other tenants stay in the store (entries(), query()
        return them all). An empty \a tenant, the default, requires none.

        Every entry records the tenant it was pushed with (Entry::tenant) whether or not
        one is required; as in Loki, two tenants' equal entries are not duplicates.
    */
    void setRequiredTenant(const QString &tenant);
    //! The tenant set by setRequiredTenant(); empty when none is required.
    QString requiredTenant() const;

    /*!
        Requires HTTP basic auth with \a user and \a password on every `/loki/api/v1/`
        and `/receiver/` request, as a gateway in front of Loki does: a request without
        them or with others is answered 401 with `WWW-Authenticate: Basic realm="loki"`.
        An empty \a user, the default, turns the check off. `/ready` and `/metrics` stay
        open. With a bearer token set as well, either credential is accepted. The
        credentials never appear in answers or counters.
    */
    void setBasicAuth(const QString &user, const QString &password);
    //! Whether setBasicAuth() turned the basic auth check on.
    bool hasBasicAuth() const;

    /*!
        Requires `Authorization: Bearer <token>` on every `/loki/api/v1/` and
        `/receiver/` request; a request without it or with another token is answered 401. An empty
       \a token, the default, turns the check off. See setBasicAuth() for what stays open.
    */
    void setBearerToken(const QString &token);
    //! Whether setBearerToken() turned the bearer token check on.
    bool hasBearerToken() const;

    //! Sets the limits used from now on (the connection limits apply to new connections).
    void setLimits(const Limits &limits);
    //! The current limits.
    Limits limits() const;

    //! Bounds the memory store; the oldest entries (by arrival) are evicted and counted.
    //! Default 1,000,000; 0 means no bound. Limits::maxStoredBytes() bounds it in bytes.
    void setMaxStoredEntries(qint64 count);
    //! The bound set by setMaxStoredEntries().
    qint64 maxStoredEntries() const;

    //! Validates and counts entries without storing them (nor deduplicating or writing
    //! the store file): for benchmarks.
    void setCountingOnly(bool countingOnly);
    //! Whether the receiver only counts entries; see setCountingOnly().
    bool isCountingOnly() const;

    /*!
        Appends every newly stored entry to \a path as one JSON object per line
        (`{"stream":{...},"tenant":"...","ts":"<ns>","line":"...","structuredMetadata":{...}}`,
        the tenant and the metadata only when there are some).
        An empty path stops writing. Returns false and sets errorString() when the file
        cannot be opened.
    */
    bool setStoreFile(const QString &path);
    //! The file set by setStoreFile(); empty when none.
    QString storeFile() const;

    //! The version reported by `GET /loki/api/v1/status/buildinfo`; default "3.0.0".
    void setBuildVersion(const QString &version);
    //! The version set by setBuildVersion().
    QString buildVersion() const;

    //! Stored entries in arrival order.
    QList<Entry> entries() const;
    //! The number of stored entries.
    qint64 entryCount() const;
    //! Label sets of the streams that have stored entries (once per tenant).
    QList<QMap<QString, QString>> streams() const;

    /*!
        Runs a LogQL log query (a stream selector with `=`, `!=`, `=~`, `!~` and line
        filters `|=`, `!=`, `|~`, `!~`; regular expressions are RE2's, as Loki's are Go's)
        over entries with \a startNs <= timestamp < \a endNs. Returns at most \a limit
        entries (0: no limit; Limits::maxEntriesLimitPerQuery() bounds only HTTP queries),
        newest first for Direction::Backward. On a malformed query returns nothing and
        sets \a errorString when given.
    */
    QList<Entry> query(const QString &logql, qint64 startNs = 0,
                       qint64 endNs = std::numeric_limits<qint64>::max(), int limit = 100,
                       Direction direction = Direction::Backward,
                       QString *errorString = nullptr) const;

    //! Empties the store (counters are kept).
    void clear();
    //! Empties the store and zeroes the counters.
    void reset();
    //! A snapshot of the counters.
    Stats stats() const;

    //! Answers the next \a count pushes with \a httpStatus (nothing is stored), with a
    //! `Retry-After` header when \a retryAfterSeconds >= 0.
    void failNextPushes(int count, int httpStatus, int retryAfterSeconds = -1);
    //! Delays every push answer (the push itself is processed at once, as a Loki that
    //! stored the entries but answered late).
    void setResponseDelay(std::chrono::milliseconds delay);
    //! Reads the next \a count push requests and closes their connections unanswered.
    void dropNextConnections(int count);
    //! Stops accepting connections (clients get "connection refused") and closes open
    //! ones; listens again on the same port after \a duration.
    void goDown(std::chrono::milliseconds duration);
    //! Goes down until comeBack().
    void goDown();
    //! Listens again on the same port; returns false (see errorString()) if it cannot.
    bool comeBack();
    //! Whether the receiver is down (goDown()).
    bool isDown() const;

    /*!
        Refuses entries as Loki refuses them for \a reason, with Loki's words for it: one of
        every \a every entries that pass validation (1: each one), \a count of them (-1:
        until cleared, 0: stop). The other entries of the push are stored, and the push is
        answered 400 as Loki answers it. For RefusalReason::StreamLabels the unit is a
        stream, whose entries are all refused. The texts quote the entry's real stream,
        timestamp, length or size, with a limit just below it.

        \code
        receiver.refuseEntries(LokiReceiver::RefusalReason::LineTooLong, -1, 10); // 1 in 10
        \endcode
    */
    void refuseEntries(RefusalReason reason, int count = -1, int every = 1);
    //! Answers pushes whose body is larger than \a bytes with 413 `request body too large:
    //! N bytes, limit: M bytes` (nothing is stored), as a gateway's body limit; 0 turns it off.
    void refuseBodiesAbove(qint64 bytes);
    /*!
        Blocks ingestion for \a duration, as Loki's `blocked_ingestion_until`: pushes that
        carry valid entries are answered with \a status (Loki's default 260, a 2xx code) and
        `ingestion blocked for user <tenant> until '<time>' with status code '260'`, and
        nothing is stored (with status 200 Loki answers success: 204, nothing stored).
    */
    void blockIngestion(std::chrono::milliseconds duration, int status = 260);
    /*!
        Limits each tenant's ingestion to \a bytesPerSecond with a burst of \a burstBytes
        (at least the rate), as Loki's `ingestion_rate_mb` and `ingestion_burst_size_mb`
        (4 MB/s and 6 MB by default in Loki) do: a push whose valid entries (lines and
        structured metadata) exceed what the tenant's token bucket holds is answered 429
        `Ingestion rate limit exceeded for user <tenant> (limit: N bytes/sec) ...` and
        nothing of it is stored. Unlike Loki, the answer carries `Retry-After` with the
        seconds until the push would fit (none when it is larger than the burst). 0 turns
        the limit off.
    */
    void setRateLimit(qint64 bytesPerSecond, qint64 burstBytes);
    //! The current fault injection state.
    Faults faults() const;
    //! Clears every fault (the refusals, the body limit, the block and the rate limit too)
    //! and comes back if down.
    void clearFaults();

Q_SIGNALS:
    /*!
        Emitted once per push request, when it is answered: \a httpStatus is the status
        sent (0 when the connection was dropped on purpose) and \a entriesAccepted the
        number of entries newly stored (or counted).
    */
    void pushHandled(int httpStatus, int entriesAccepted);
    //! Emitted when the receiver goes down and when it listens again.
    void availabilityChanged(bool up);

private:
    Q_DECLARE_PRIVATE(LokiReceiver)
    std::unique_ptr<LokiReceiverPrivate> const d_ptr;
};

#include <QLokiReceiver/lokireceiverfaults.h>
#include <QLokiReceiver/lokireceiverlimits.h>
#include <QLokiReceiver/lokireceiverstats.h>
