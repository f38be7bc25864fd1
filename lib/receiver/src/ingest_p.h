// SPDX-License-Identifier: MIT
#pragma once

#include "entrystore_p.h"
#include "pushrequest_p.h"

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QHash>

class QIODevice;

namespace LokiReceiverInternal {

//! What one push request came to.
struct IngestResult
{
    //! 204, or 400 with message.
    int status = 204;
    //! Loki's one-line reason for a 400 (the last one when several streams failed).
    QByteArray message;
    int accepted = 0;
    int rejected = 0;
    int duplicates = 0;
};

/*!
    Turns a push body into stored entries as Loki's distributor does: decode
    (Content-Encoding, then JSON or snappy+protobuf by Content-Type), parse and
    validate each stream's labels, validate each entry, store the valid ones (even
    when others in the same request fail), deduplicate.
*/
class Ingestor
{
public:
    explicit Ingestor(EntryStore *store)
        : m_store(store)
    { }

    void setLimits(const LokiReceiver::Limits &limits);
    const LokiReceiver::Limits &limits() const { return m_limits; }
    void setCountingOnly(bool countingOnly) { m_countingOnly = countingOnly; }
    bool isCountingOnly() const { return m_countingOnly; }
    //! Newly stored entries are appended to \a device as JSON lines (nullptr: none).
    void setStoreDevice(QIODevice *device) { m_storeDevice = device; }
    //! Forgets parsed label sets (after the store was cleared).
    void clearCache() { m_labelCache.clear(); }

    //! Ingests a push body for \a tenant (the request's X-Scope-OrgID, may be empty).
    IngestResult ingest(const QByteArray &body, const QByteArray &contentType,
                        const QByteArray &contentEncoding, const QByteArray &tenant = {});
    //! Ingests an already decoded request; \a fromJson selects JSON's handling of
    //! structured metadata that is not allowed.
    IngestResult ingest(PushRequest &request, bool fromJson, const QByteArray &tenant = {});

private:
    struct ParsedLabels
    {
        QByteArray error;
        LabelSet labels;
        QByteArray key;
    };

    const ParsedLabels &parseLabels(const QByteArray &labels);
    QByteArray validateEntry(const PushEntry &entry, const QByteArray &streamKey,
                             qint64 nowNs) const;
    void appendToStoreFile(QByteArray &out, const EntryStore::Stream &stream,
                           const PushEntry &entry) const;

    EntryStore *m_store;
    LokiReceiver::Limits m_limits;
    bool m_countingOnly = false;
    QIODevice *m_storeDevice = nullptr;
    QHash<QByteArray, ParsedLabels> m_labelCache;
};

} // namespace LokiReceiverInternal
