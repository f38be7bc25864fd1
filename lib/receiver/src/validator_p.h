// SPDX-License-Identifier: MIT
#pragma once

#include "labelparser_p.h"
#include "lokireceiverlimits_p.h"
#include "pushrequest_p.h"
#include "refusals_p.h"

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QHash>

#include <memory>

namespace LokiReceiverInternal {

//! Why an entry or a stream was refused, in Loki's words.
struct Verdict
{
    DiscardReason reason = DiscardReason::InvalidLabels;
    QByteArray message;
};

//! A stream's labels as checked: usable, refused as a stream, or not parsable at all.
struct StreamCheck
{
    enum State {
        Valid,
        //! The labels do not parse: Loki fails the whole push (message: the parse error).
        Unparsable,
        //! Every entry of the stream is refused.
        Refused,
    };
    State state = Valid;
    Verdict verdict;
    //! Sorted, without empty values (Valid only).
    LabelSet labels;
    //! formatLabels(labels): the stream's identity and its name in entry refusals.
    QByteArray key;
};

/*!
    Loki's distributor checks (pkg/distributor/validator.go): a stream's labels once per
    distinct label text (cached), then each entry, in Loki's order: too old, too new, line
    too long, structured metadata disallowed, too large, too many.
*/
class Validator
{
public:
    void setLimits(const LimitValues &limits);
    const LimitValues &limits() const { return m_limits; }
    //! Forgets checked label texts.
    void clearCache() { m_cache.clear(); }

    //! The check of \a labels; shared, so that it outlives the cache's next clean-up.
    std::shared_ptr<const StreamCheck> checkStream(const QByteArray &labels);

    //! The moment entries are judged against: computed once per push, as Loki does.
    struct Clock
    {
        qint64 oldestNs = 0; //!< older entries are refused (when rejectOldSamples)
        qint64 newestNs = 0; //!< newer entries are refused
    };
    Clock clockAt(qint64 nowNs) const;

    //! Checks one entry of a stream named \a streamKey; false (with \a verdict) if refused.
    bool checkEntry(const PushEntry &entry, const QByteArray &streamKey, const Clock &clock,
                    Verdict *verdict) const;

private:
    StreamCheck check(const QByteArray &labels) const;

    LimitValues m_limits;
    QHash<QByteArray, std::shared_ptr<const StreamCheck>> m_cache;
};

//! Bytes of an entry's structured metadata as Loki counts them (names and values).
qint64 metadataSize(const LabelPairs &metadata);

} // namespace LokiReceiverInternal
