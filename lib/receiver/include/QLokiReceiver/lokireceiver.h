// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/qlokireceiver_export.h>

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <chrono>
#include <limits>
#include <memory>

class LokiReceiverPrivate;

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
        that refusal (and counted under Loki's reason in Stats::rejectedByReason).
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

    //! Validation limits, with Loki's defaults.
    struct Limits
    {
        int maxLabelNamesPerSeries = 15; //!< most labels in one stream
        int maxLabelNameLength = 1024; //!< longest label name, in bytes
        int maxLabelValueLength = 2048; //!< longest label value, in bytes
        //! Bytes of one line (UTF-8); 0 means no limit.
        int maxLineSize = 256 * 1024;
        bool rejectOldSamples = true; //!< refuse entries older than rejectOldSamplesMaxAge
        std::chrono::milliseconds rejectOldSamplesMaxAge = std::chrono::hours(7 * 24); //!< see rejectOldSamples
        //! How far in the future an entry's timestamp may be.
        std::chrono::milliseconds creationGracePeriod = std::chrono::minutes(10);
        //! When false, each entry carrying structured metadata is refused as Loki 2.9 and
        //! 3.x refuse it with `allow_structured_metadata: false` (the others are stored).
        bool allowStructuredMetadata = true;
        /*!
            With allowStructuredMetadata false, answer as Loki 2.8, which does not know
            structured metadata, instead: a JSON push with a value's third element fails to
            parse as a whole (400 `loghttp.PushRequest.Streams: []*loghttp.Stream:
            unmarshalerDecoder: Value is not a string, ...`, nothing stored), and over
            protobuf the metadata is silently dropped (the entries are stored). A legacy
            switch, to test clients against both; off by default.
        */
        bool metadataAsLoki28 = false;
        //! Bytes of an entry's structured metadata (names and values), as Loki 3's
        //! `max_structured_metadata_size`; 0 means no limit.
        qint64 maxStructuredMetadataSize = 64 * 1024;
        //! Names in an entry's structured metadata, as Loki 3's
        //! `max_structured_metadata_entries_count`; 0 means no limit.
        int maxStructuredMetadataCount = 128;
        /*!
            How far an entry may be older than the newest entry accepted for its stream:
            Loki's unordered writes accept entries out of order within half of the
            ingester's `max_chunk_age` (2 h), and refuse older ones with `entry too far
            behind, entry timestamp is: ..., oldest acceptable timestamp is: ...`. 0 turns
            the window off.
        */
        std::chrono::milliseconds outOfOrderWindow = std::chrono::hours(1);

        // What the receiver takes in, so that it can be exposed: a request beyond these is
        // refused before it costs more than the limit.

        //! Bytes of a request body as sent, as Loki's `distributor.max_recv_msg_size`
        //! (100 MiB); larger ones are answered 413 from their Content-Length (or as their
        //! chunks arrive), without reading them. 0 means no limit.
        qint64 maxBodyBytes = 100 * 1024 * 1024;
        //! Bytes a push body may inflate to (gzip, deflate, snappy); beyond it the push is
        //! answered 413 and inflating stops there. Loki has no such limit on HTTP pushes;
        //! 64 MiB, 64 times Promtail's 1 MiB batches. 0 means no limit.
        qint64 maxDecompressedBytes = 64 * 1024 * 1024;
        //! Streams in one push; more are answered 413 (split the push). Loki's
        //! `max_global_streams_per_user` (5,000) bounds a tenant's streams anyway.
        int maxStreamsPerPush = 5000;
        //! Entries in one push; more are answered 413 (split the push), and decoding stops
        //! there. Loki bounds a push by its size only; 1,000,000 is 100 of Promtail's
        //! batches.
        qint64 maxEntriesPerPush = 1000000;
        //! Bytes the memory store holds (lines, structured metadata and a fixed cost per
        //! entry): the oldest entries are evicted beyond it, and streams left without
        //! entries are forgotten (see also setMaxStoredEntries()). 0 means no bound.
        qint64 maxStoredBytes = 512 * 1024 * 1024;
        //! The largest `limit` of a query, as Loki's `max_entries_limit_per_query` (5,000);
        //! a larger one is answered 400 `max entries limit per query exceeded, limit >
        //! max_entries_limit (N > 5000)`. 0 means no limit.
        int maxEntriesLimitPerQuery = 5000;
        //! Open connections; beyond them new ones wait to be accepted (as Go's
        //! netutil.LimitListener behind Loki's `server.http_conn_limit`, which is off by
        //! default there). 0 means no limit.
        int maxConnections = 1024;
        //! A connection without traffic for this long is closed, unless an answer is still
        //! due on it, as Loki's `server.http_server_idle_timeout` (120 s). 0 keeps idle
        //! connections open.
        std::chrono::milliseconds idleTimeout = std::chrono::seconds(120);
    };

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

    //! Counters since construction or the last reset().
    struct Stats
    {
        //! Push requests answered or dropped.
        quint64 pushRequests = 0;
        //! Push requests by the HTTP status answered; 0 counts dropped connections.
        QMap<int, quint64> pushesByStatus;
        //! Entries newly stored (or counted, in counting-only mode).
        quint64 entriesAccepted = 0;
        //! Entries refused, for any reason: validation, the out-of-order window, the
        //! injected refusals. A push that could not be decoded counts no entries.
        quint64 entriesRejected = 0;
        //! entriesRejected by Loki's reason, as its `loki_discarded_samples_total` names
        //! them (`line_too_long`, `greater_than_max_sample_age`, `too_far_behind`, ...).
        QMap<QString, quint64> rejectedByReason;
        //! Entries identical to a stored one (stream, timestamp, line) and ignored.
        quint64 duplicatesIgnored = 0;
        //! Stored entries evicted to stay within maxStoredEntries().
        quint64 entriesEvicted = 0;
        //! Push body bytes as received (before any decompression).
        quint64 bytesReceived = 0;
        //! Requests refused with 401 by the access checks, push and read requests alike
        //! (refused pushes are also in pushesByStatus).
        quint64 unauthorizedRequests = 0;
        //! HTTPS connections that ended before their TLS handshake completed: a client
        //! that does not trust the certificate, a missing or untrusted client certificate.
        quint64 tlsHandshakeFailures = 0;
        //! Entries currently stored.
        qint64 storedEntries = 0;
        //! Streams (label sets, per tenant) that hold stored entries.
        qint64 streams = 0;
        //! Bytes the store holds, as Limits::maxStoredBytes counts them.
        qint64 storedBytes = 0;
    };

    //! The current fault injection state.
    struct Faults
    {
        int failNextPushes = 0; //!< pushes still to be answered with failStatus
        int failStatus = 503; //!< HTTP status of injected failures
        //! Seconds sent in Retry-After with injected failures; -1 sends none.
        int retryAfterSeconds = -1;
        std::chrono::milliseconds responseDelay {0}; //!< delay of every push answer
        int dropNextConnections = 0; //!< push connections still to be closed unanswered
        bool down = false; //!< true while the receiver is down (goDown())
        //! Time left until the receiver comes back; -1 while down indefinitely.
        std::chrono::milliseconds downRemaining {0};
        //! The reason entries are refused for by refuseEntries(); meaningful while
        //! refusalsLeft is not 0.
        RefusalReason refusalReason = RefusalReason::LineTooLong;
        //! Entries (streams for RefusalReason::StreamLabels) still to refuse; -1 until
        //! cleared, 0 when none are.
        int refusalsLeft = 0;
        //! One of every this many entries (or streams) is refused.
        int refuseEvery = 1;
        //! Push bodies above this many bytes are answered 413; 0 when off.
        qint64 refuseBodiesAbove = 0;
        //! Time left of blockIngestion(); 0 when not blocked.
        std::chrono::milliseconds blockedRemaining {0};
        //! The status pushes are answered with while blocked.
        int blockStatus = 260;
        //! The tenant rate limit of setRateLimit() in bytes per second; 0 when off.
        qint64 rateLimit = 0;
        //! Its burst, in bytes.
        qint64 rateBurst = 0;
    };

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
       counted in Stats::tlsHandshakeFailures. Returns false and sets errorString() when TLS is not
       available, the certificate or key is empty, or the port cannot be bound. listen() serves
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
    //! Default 1,000,000; 0 means no bound. Limits::maxStoredBytes bounds it in bytes.
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
        entries (0: no limit; Limits::maxEntriesLimitPerQuery bounds only HTTP queries),
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
