// SPDX-License-Identifier: MIT
#pragma once

#include "entrystore_p.h"
#include "ingestfaults_p.h"
#include "pushrequest_p.h"
#include "refusals_p.h"
#include "validator_p.h"

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QHash>

class QIODevice;

namespace LokiReceiverInternal {

//! What one push request came to.
struct IngestResult
{
    //! 204, or the refusal's status (400 for validation) with message.
    int status = 204;
    //! Loki's answer for a refusal, without the final newline.
    QByteArray message;
    //! Seconds for a Retry-After header; -1 for none.
    int retryAfter = -1;
    int accepted = 0;
    //! Entries refused, for any reason; the sum of discarded.
    int rejected = 0;
    int duplicates = 0;
    //! Refused entries by Loki's reason.
    DiscardCounts discarded {};

    void discard(DiscardReason reason, qint64 entries = 1)
    {
        discarded[size_t(reason)] += quint64(entries);
        rejected += int(entries);
    }
};

/*!
    Turns a push body into stored entries as Loki does: decode (Content-Encoding, then JSON
    or snappy+protobuf by Content-Type) and parse every stream's labels (one that does not
    parse fails the whole push, as in Loki's request parser); then, as Loki's distributor,
    check each stream's labels (a refusal covers the stream's entries) and each entry on
    its own, then a blocked ingestion and the tenant's rate limit (which refuse the whole
    push), and store the valid entries as Loki's ingester, which ignores entries outside a
    stream's out-of-order window. Injected refusals (IngestFaults) take their place among
    Loki's own. Refusals are answered together with Loki's words (see
    RefusalGroups, IgnoredEntries); the valid entries are stored all the same.
*/
class Ingestor
{
public:
    explicit Ingestor(EntryStore *store)
        : m_store(store)
    { }

    void setLimits(const LimitValues &limits);
    const LimitValues &limits() const { return m_validator.limits(); }
    void setCountingOnly(bool countingOnly);
    bool isCountingOnly() const { return m_countingOnly; }
    //! Newly stored entries are appended to \a device as JSON lines (nullptr: none).
    void setStoreDevice(QIODevice *device) { m_storeDevice = device; }
    //! Forgets checked label sets and stream state (after the store was cleared).
    void clearCache();
    //! The injected refusals, block and rate limit.
    IngestFaults &faults() { return m_faults; }
    const IngestFaults &faults() const { return m_faults; }

    //! Ingests a push body for \a tenant (the request's X-Scope-OrgID, may be empty).
    IngestResult ingest(const QByteArray &body, const QByteArray &contentType,
                        const QByteArray &contentEncoding, const QByteArray &tenant = {});
    /*!
        Ingests an OTLP/HTTP logs body (POST /otlp/v1/logs): Content-Encoding gzip, deflate
        or none; application/x-protobuf or application/json (else 415), mapped as Loki 3
        maps OTLP (see decodeOtlpProtobuf()), then as any push.
    */
    IngestResult ingestOtlp(const QByteArray &body, const QByteArray &contentType,
                            const QByteArray &contentEncoding, const QByteArray &tenant = {});
    //! Ingests an already decoded request.
    IngestResult ingest(PushRequest &request, const QByteArray &tenant = {});

private:
    //! The newest timestamp accepted for a stream, where the out-of-order window starts.
    qint64 &newestOf(const QByteArray &tenant, const StreamCheck &check, quint32 streamId);
    void store(PushRequest &request, const std::vector<std::shared_ptr<const StreamCheck>> &checks,
               const QByteArray &tenant, IngestResult *result, QByteArray *ignored);
    void appendToStoreFile(QByteArray &out, const EntryStore::Stream &stream,
                           const PushEntry &entry) const;

    EntryStore *m_store;
    Validator m_validator;
    bool m_countingOnly = false;
    QIODevice *m_storeDevice = nullptr;
    IngestFaults m_faults;
    //! Counting-only mode keeps no store: the newest timestamp per stream is kept here.
    QHash<QByteArray, qint64> m_countedNewest;
};

} // namespace LokiReceiverInternal
