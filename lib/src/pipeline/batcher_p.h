// SPDX-License-Identifier: MIT
#pragma once

#include "model/fields_p.h"
#include "model/pushbatch_p.h"
#include "pipeline/cardinalityguard_p.h"
#include "pipeline/pendingentry_p.h"
#include "pipeline/queuedentry_p.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QVarLengthArray>

#include <array>
#include <memory>
#include <vector>

namespace QLoki::detail {

//! Where the Batcher writes an entry before it is copied to its own storage. Not zeroed
//! when it grows: a long line reserves three bytes per UTF-16 unit, of which it mostly
//! writes one, and pages never written cost no memory.
struct ScratchBuffer
{
    std::unique_ptr<char[]> data;
    qsizetype size = 0;
};

/*!
    Turns entries into pushes, in two steps. resolve() gives an entry its final form once:
    fields become stream labels and structured metadata, line and metadata become UTF-8.
    build() groups resolved entries by stream and cuts the batch when its bytes would
    exceed the limit. No threads, no I/O; resolve() keeps a cache of the last stream, so
    one Batcher belongs to one thread.
*/
class Batcher
{
public:
    struct Context
    {
        QString appName;
        QString environment;
        LabelList staticLabels;
        LabelLimits limits;
        qint64 maxBytes = 1 << 20;
        int maxLabelValues = 0; //!< per label name and hour; 0: no guard (CardinalityGuard)
        //! Keep each metadata value's kind beside its text (OTLP's typed attributes).
        bool typedMetadata = false;
    };

    explicit Batcher(Context context);

    //! The final form of \a entry (seq and timestamp kept).
    QueuedEntry resolve(const PendingEntry &entry);
    /*!
        resolve() by its quick paths only (a known call site, fields that need no repair):
        false, with \a out untouched and nothing learnt or counted, for an entry that needs
        the general way.
    */
    bool resolveQuickly(const PendingEntry &entry, QueuedEntry *out);

    /*!
        Builds \a batch from the first of the \a count \a entries and returns how many it
        took: at least one when \a count > 0, even if that one is over the limit.
    */
    int build(const QueuedEntry *entries, qsizetype count, PushBatch *batch) const;
    //! resolve() and build() in one (the tests' shorthand).
    int build(const QList<PendingEntry> &entries, PushBatch *batch);

    //! The cardinality guard's account (demotions since the last call, names to say once).
    CardinalityGuard &cardinalityGuard() { return m_guard; }

private:
    //! A call label on the quick paths: its name without `label_`, its value.
    struct CallLabel
    {
        QAnyStringView name;
        QAnyStringView value;
    };
    using CallLabels = QVarLengthArray<CallLabel, 8>;

    // The quick paths of resolve() and their call sites (batcherquickpaths.cpp).
    bool resolveCommon(const PendingEntry &entry, QueuedEntry *out);
    bool resolvePacked(const PendingEntry &entry, QueuedEntry *out);
    //! The stream of the known call site with these labels and no overflow (then the
    //! first one looked at next time), or null.
    StreamRef claimCallSite(int level, const CallLabels &labels);
    StreamRef intern(LabelList labels);

    Context m_context;
    std::array<LabelList, 5> m_reservedByLevel; // app, environment, level per Level
    // The streams of the last call sites: consecutive entries mostly come from a few
    // call sites (level and call labels), so their stream is resolved once, not per entry.
    struct CallSite
    {
        int level = -1;
        LabelList callLabels;
        LabelList overflow;
        StreamRef stream;
    };
    const CallSite *findCallSite(int level, const LabelList &callLabels) const;
    static constexpr int CallSiteCount = 16;
    std::array<CallSite, CallSiteCount> m_callSites;
    int m_nextCallSite = 0;
    int m_lastCallSite = 0;
    QHash<LabelList, StreamRef> m_streams;
    CardinalityGuard m_guard;
    ScratchBuffer m_scratch;
};

} // namespace QLoki::detail
