// SPDX-License-Identifier: MIT
#pragma once

// LokiReceiver::Stats; included by lokireceiver.h, which declares it.

/*!
    The receiver's counters since construction or the last reset(), as a snapshot (an
    implicitly shared value class; LokiReceiver::stats() makes one).
*/
class QLOKIRECEIVER_EXPORT LokiReceiver::Stats
{
public:
    Stats();
    Stats(const Stats &other);
    Stats(Stats &&other) noexcept;
    Stats &operator=(const Stats &other);
    Stats &operator=(Stats &&other) noexcept;
    ~Stats();
    void swap(Stats &other) noexcept { d.swap(other.d); }

    //! Push requests answered or dropped.
    quint64 pushRequests() const;
    Stats &setPushRequests(quint64 value);

    //! Push requests by the HTTP status answered; 0 counts dropped connections.
    QMap<int, quint64> pushesByStatus() const;
    Stats &setPushesByStatus(const QMap<int, quint64> &value);

    //! Entries newly stored (or counted, in counting-only mode).
    quint64 entriesAccepted() const;
    Stats &setEntriesAccepted(quint64 value);

    //! Entries refused, for any reason: validation, the out-of-order window, the injected
    //! refusals. A push that could not be decoded counts no entries.
    quint64 entriesRejected() const;
    Stats &setEntriesRejected(quint64 value);

    //! entriesRejected by Loki's reason, as its `loki_discarded_samples_total` names them
    //! (`line_too_long`, `greater_than_max_sample_age`, `too_far_behind`, ...).
    QMap<QString, quint64> rejectedByReason() const;
    Stats &setRejectedByReason(const QMap<QString, quint64> &value);

    //! Entries identical to a stored one (stream, timestamp, line) and ignored.
    quint64 duplicatesIgnored() const;
    Stats &setDuplicatesIgnored(quint64 value);

    //! Stored entries evicted to stay within LokiReceiver::maxStoredEntries() and
    //! Limits::maxStoredBytes().
    quint64 entriesEvicted() const;
    Stats &setEntriesEvicted(quint64 value);

    //! Push body bytes as received (before any decompression).
    quint64 bytesReceived() const;
    Stats &setBytesReceived(quint64 value);

    //! Requests refused with 401 by the access checks, push and read requests alike
    //! (refused pushes are also in pushesByStatus).
    quint64 unauthorizedRequests() const;
    Stats &setUnauthorizedRequests(quint64 value);

    //! HTTPS connections that ended before their TLS handshake completed: a client that
    //! does not trust the certificate, a missing or untrusted client certificate.
    quint64 tlsHandshakeFailures() const;
    Stats &setTlsHandshakeFailures(quint64 value);

    //! Entries currently stored.
    qint64 storedEntries() const;
    Stats &setStoredEntries(qint64 value);

    //! Streams (label sets, per tenant) that hold stored entries.
    qint64 streams() const;
    Stats &setStreams(qint64 value);

    //! Bytes the store holds, as Limits::maxStoredBytes() counts them.
    qint64 storedBytes() const;
    Stats &setStoredBytes(qint64 value);

private:
    friend class LokiReceiver;
    friend class LokiReceiverPrivate;
    QSharedDataPointer<LokiReceiverStatsData> d;
};
Q_DECLARE_SHARED(LokiReceiver::Stats)
