// SPDX-License-Identifier: MIT
#include "metrics_p.h"

namespace LokiReceiverInternal {

namespace {

void appendMetric(QByteArray &out, const char *name, const char *type, const char *help,
                  qint64 value)
{
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(QByteArray::number(value)).append('\n');
}

} // namespace

QByteArray renderMetrics(const StatValues &stats)
{
    QByteArray out;
    out.append("# HELP loki_receiver_push_requests_total Push requests by the HTTP status "
               "answered (0: connection dropped on purpose).\n"
               "# TYPE loki_receiver_push_requests_total counter\n");
    for (auto it = stats.pushesByStatus.cbegin(); it != stats.pushesByStatus.cend(); ++it) {
        out.append("loki_receiver_push_requests_total{status=\"")
                .append(QByteArray::number(it.key()))
                .append("\"} ")
                .append(QByteArray::number(it.value()))
                .append('\n');
    }
    appendMetric(out, "loki_receiver_entries_accepted_total", "counter",
                 "Entries stored (or counted in counting-only mode).",
                 qint64(stats.entriesAccepted));
    appendMetric(out, "loki_receiver_entries_rejected_total", "counter",
                 "Entries refused, for any reason.", qint64(stats.entriesRejected));
    out.append("# HELP loki_receiver_discarded_samples_total Entries refused, by Loki's reason.\n"
               "# TYPE loki_receiver_discarded_samples_total counter\n");
    for (auto it = stats.rejectedByReason.cbegin(); it != stats.rejectedByReason.cend(); ++it) {
        out.append("loki_receiver_discarded_samples_total{reason=\"")
                .append(it.key().toUtf8())
                .append("\"} ")
                .append(QByteArray::number(it.value()))
                .append('\n');
    }
    appendMetric(out, "loki_receiver_duplicates_total", "counter",
                 "Entries ignored as duplicates of stored ones.", qint64(stats.duplicatesIgnored));
    appendMetric(out, "loki_receiver_evicted_total", "counter",
                 "Stored entries evicted to respect the store bound.",
                 qint64(stats.entriesEvicted));
    appendMetric(out, "loki_receiver_received_bytes_total", "counter",
                 "Push body bytes received, before decompression.", qint64(stats.bytesReceived));
    appendMetric(out, "loki_receiver_unauthorized_requests_total", "counter",
                 "Requests refused with 401 by the access checks.",
                 qint64(stats.unauthorizedRequests));
    appendMetric(out, "loki_receiver_tls_handshake_failures_total", "counter",
                 "HTTPS connections that ended before their TLS handshake completed.",
                 qint64(stats.tlsHandshakeFailures));
    appendMetric(out, "loki_receiver_stored_entries", "gauge", "Entries in the store.",
                 stats.storedEntries);
    appendMetric(out, "loki_receiver_streams", "gauge", "Streams (label sets) in the store.",
                 stats.streams);
    appendMetric(out, "loki_receiver_stored_bytes", "gauge",
                 "Bytes the store holds (lines, structured metadata, a fixed cost per entry).",
                 stats.storedBytes);
    return out;
}

} // namespace LokiReceiverInternal
