// SPDX-License-Identifier: MIT
#pragma once

// LokiReceiver::Limits; included by lokireceiver.h, which declares it.

/*!
    The receiver's limits, with Loki's defaults where Loki has them: what it validates
    (labels, lines, timestamps, structured metadata, the out-of-order window) and what it
    takes in (body sizes, pushes, the store, queries, connections). An implicitly shared
    value class: each getter is named after its limit, each setter returns the object, so
    that limits chain.

    \code
    receiver.setLimits(LokiReceiver::Limits().setMaxLineSize(16 * 1024).setRejectOldSamples(false));
    \endcode
*/
class QLOKIRECEIVER_EXPORT LokiReceiver::Limits
{
public:
    Limits();
    Limits(const Limits &other);
    Limits(Limits &&other) noexcept;
    Limits &operator=(const Limits &other);
    Limits &operator=(Limits &&other) noexcept;
    ~Limits();
    void swap(Limits &other) noexcept { d.swap(other.d); }

    //! Most label names in one stream, as Loki's `max_label_names_per_series` (15).
    int maxLabelNamesPerSeries() const;
    Limits &setMaxLabelNamesPerSeries(int value);

    //! Longest label name in bytes, as Loki's `max_label_name_length` (1024).
    int maxLabelNameLength() const;
    Limits &setMaxLabelNameLength(int value);

    //! Longest label value in bytes, as Loki's `max_label_value_length` (2048).
    int maxLabelValueLength() const;
    Limits &setMaxLabelValueLength(int value);

    //! Bytes of one line (UTF-8), as Loki's `max_line_size` (256 KiB); 0 means no limit.
    int maxLineSize() const;
    Limits &setMaxLineSize(int value);

    //! Whether entries older than rejectOldSamplesMaxAge() are refused, as Loki's
    //! `reject_old_samples` (on).
    bool rejectOldSamples() const;
    Limits &setRejectOldSamples(bool value);

    //! How old an entry may be while rejectOldSamples() is on, as Loki's
    //! `reject_old_samples_max_age` (7 days).
    std::chrono::milliseconds rejectOldSamplesMaxAge() const;
    Limits &setRejectOldSamplesMaxAge(std::chrono::milliseconds value);

    //! How far in the future an entry's timestamp may be, as Loki's `creation_grace_period`
    //! (10 minutes).
    std::chrono::milliseconds creationGracePeriod() const;
    Limits &setCreationGracePeriod(std::chrono::milliseconds value);

    //! When false, each entry carrying structured metadata is refused as Loki 2.9 and 3.x
    //! refuse it with `allow_structured_metadata: false` (the others are stored).
    bool allowStructuredMetadata() const;
    Limits &setAllowStructuredMetadata(bool value);

    /*!
        With allowStructuredMetadata false, answer as Loki 2.8, which does not know
        structured metadata, instead: a JSON push with a value's third element fails to
        parse as a whole (400 `loghttp.PushRequest.Streams: []*loghttp.Stream:
        unmarshalerDecoder: Value is not a string, ...`, nothing stored), and over protobuf
        the metadata is silently dropped (the entries are stored). A legacy switch, to test
        clients against both; off by default.
    */
    bool metadataAsLoki28() const;
    Limits &setMetadataAsLoki28(bool value);

    //! Bytes of an entry's structured metadata (names and values), as Loki 3's
    //! `max_structured_metadata_size`; 0 means no limit.
    qint64 maxStructuredMetadataSize() const;
    Limits &setMaxStructuredMetadataSize(qint64 value);

    //! Names in an entry's structured metadata, as Loki 3's
    //! `max_structured_metadata_entries_count`; 0 means no limit.
    int maxStructuredMetadataCount() const;
    Limits &setMaxStructuredMetadataCount(int value);

    /*!
        How far an entry may be older than the newest entry accepted for its stream: Loki's
        unordered writes accept entries out of order within half of the ingester's
        `max_chunk_age` (2 h), and refuse older ones with `entry too far behind, entry
        timestamp is: ..., oldest acceptable timestamp is: ...`. 0 turns the window off.
    */
    std::chrono::milliseconds outOfOrderWindow() const;
    Limits &setOutOfOrderWindow(std::chrono::milliseconds value);

    /*!
        Bytes of a request body as sent, as Loki's `distributor.max_recv_msg_size` (100
        MiB); larger ones are answered 413 from their Content-Length (or as their chunks
        arrive), without reading them. 0 means no limit.
    */
    qint64 maxBodyBytes() const;
    Limits &setMaxBodyBytes(qint64 value);

    /*!
        Bytes a push body may inflate to (gzip, deflate, snappy); beyond it the push is
        answered 413 and inflating stops there. Loki has no such limit on HTTP pushes; 64
        MiB, 64 times Promtail's 1 MiB batches. 0 means no limit.
    */
    qint64 maxDecompressedBytes() const;
    Limits &setMaxDecompressedBytes(qint64 value);

    //! Streams in one push; more are answered 413 (split the push). Loki's
    //! `max_global_streams_per_user` (5,000) bounds a tenant's streams anyway.
    int maxStreamsPerPush() const;
    Limits &setMaxStreamsPerPush(int value);

    //! Entries in one push; more are answered 413 (split the push), and decoding stops
    //! there. Loki bounds a push by its size only; 1,000,000 is 100 of Promtail's batches.
    qint64 maxEntriesPerPush() const;
    Limits &setMaxEntriesPerPush(qint64 value);

    /*!
        Bytes the memory store holds (lines, structured metadata and a fixed cost per
        entry): the oldest entries are evicted beyond it, and streams left without entries
        are forgotten (see also setMaxStoredEntries()). 0 means no bound.
    */
    qint64 maxStoredBytes() const;
    Limits &setMaxStoredBytes(qint64 value);

    /*!
        The largest `limit` of a query, as Loki's `max_entries_limit_per_query` (5,000); a
        larger one is answered 400 `max entries limit per query exceeded, limit >
        max_entries_limit (N > 5000)`. 0 means no limit.
    */
    int maxEntriesLimitPerQuery() const;
    Limits &setMaxEntriesLimitPerQuery(int value);

    /*!
        Open connections; beyond them new ones wait to be accepted (as Go's
        netutil.LimitListener behind Loki's `server.http_conn_limit`, which is off by
        default there). 0 means no limit.
    */
    int maxConnections() const;
    Limits &setMaxConnections(int value);

    /*!
        A connection without traffic for this long is closed, unless an answer is still due
        on it, as Loki's `server.http_server_idle_timeout` (120 s). 0 keeps idle connections
        open.
    */
    std::chrono::milliseconds idleTimeout() const;
    Limits &setIdleTimeout(std::chrono::milliseconds value);

    /*!
        Bytes of a request line and headers; beyond them the request is answered 431 and
        the connection closed, as they arrive. Go's http.Server, in front of Loki, allows
        1 MiB; the default here is 64 KiB, because QtHttpServer 6.4 reads a request head a
        byte at a time at a cost that grows faster than its length, holding the receiver's
        thread meanwhile (a 2 MiB query string took 200 to 400 ms). A longer LogQL query
        goes as a POST form (`application/x-www-form-urlencoded`), as Loki accepts it. 0
        means no limit.
    */
    qint64 maxHeaderBytes() const;
    Limits &setMaxHeaderBytes(qint64 value);

private:
    friend class LokiReceiver;
    friend class LokiReceiverPrivate;
    QSharedDataPointer<LokiReceiverLimitsData> d;
};
Q_DECLARE_SHARED(LokiReceiver::Limits)
