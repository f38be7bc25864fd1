// SPDX-License-Identifier: MIT
// The SenderWorker's resolve path: entries of the queue take their final form (redacted,
// resolved by the Batcher), in slices while a push's body is handed over.
#include "logger/senderworker_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QLoggingCategory>

#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// The cardinality guard's notices; the message handler hook never feeds qloki.* back in.
Q_LOGGING_CATEGORY(lcCardinality, "qloki.cardinality", QtInfoMsg)

namespace QLoki::detail {

void SenderWorker::resolveQueued(int maxEntries)
{
    int left = maxEntries < 0 ? std::numeric_limits<int>::max() : maxEntries;
    std::vector<QueuedEntry> resolved;
    while (left > 0) {
        // In slices, so that the queue's lock is never held for long.
        std::vector<PendingEntry> raw = m_queue->takeUnresolved(qMin(left, 256));
        if (raw.empty()) {
            handBackFreedMemory(true);
            break;
        }
        left -= int(raw.size());
        resolved.clear();
        resolved.reserve(raw.size());
        // Secrets go here, before the entry takes the form that is encoded, spooled and sent.
        quint64 redacted = 0;
        const bool redacting = m_redactor.isActive();
        const bool down = m_state != State::Online;
        for (PendingEntry &entry : raw) {
            if (down)
                m_resolvedBytesWhileDown += entry.heldBytes();
            resolved.push_back(redacting ? redactAndResolve(entry, &redacted)
                                         : m_batcher.resolve(entry));
            // Freed at once, while the allocator's caches are warm: redactEntry() unpacked
            // the field list in place (a dozen allocations an entry, 256 entries a slice).
            entry = PendingEntry();
        }
        m_queue->putResolved(std::move(resolved), redacted);
        noteDemotions();
        resolved = {};
        if (down) {
            m_resolvedWhileDown += int(raw.size());
            handBackFreedMemory(false);
        }
    }
}

void SenderWorker::handBackFreedMemory(bool drained)
{
#if defined(__GLIBC__)
    // During an outage the entries as the application made them (strings, field maps)
    // are freed here once resolved, but glibc keeps the freed pages of the application's
    // arena resident, while their compact form takes new ones. They are handed back every
    // 16,384 entries (or 8 MiB) resolved, so that a burst logged while Loki is down costs
    // little more than its compact size even while the sender catches up (a burst of
    // 100,000 entries held both forms at once until the end), and once nothing waits to
    // be resolved, from 1,024 entries (or 1 MiB) on: at 1,000 entries a second, a trim a
    // second. Large lines (a few hundred KiB each) come from the heap once glibc has
    // raised its mmap threshold, so a few MiB of them are handed back too.
    const int entries = drained ? 1024 : 16384;
    const qint64 bytes = drained ? (1 << 20) : (8 << 20);
    if (m_resolvedWhileDown >= entries || m_resolvedBytesWhileDown >= bytes) {
        m_resolvedWhileDown = 0;
        m_resolvedBytesWhileDown = 0;
        malloc_trim(0);
    }
#else
    Q_UNUSED(drained);
#endif
}

QueuedEntry SenderWorker::redactAndResolve(PendingEntry &entry, quint64 *redacted)
{
    // An entry on a quick path of the Batcher is checked as the bytes just encoded (in
    // cache, half those of the UTF-16 the call made, in one pass): only one the check flags
    // is redacted, and resolved again.
    QueuedEntry quick;
    if (m_redactor.checksWhenEncoded(entry) && m_batcher.resolveQuickly(entry, &quick)
        && !Redactor::mayHoldSecrets(quick.entry)) {
        return quick;
    }
    if (m_redactor.redactEntry(&entry))
        ++*redacted;
    return m_batcher.resolve(entry);
}

void SenderWorker::noteDemotions()
{
    CardinalityGuard &guard = m_batcher.cardinalityGuard();
    const QHash<QString, quint64> demotions = guard.takeDemotions();
    if (demotions.isEmpty())
        return;
    m_queue->noteDemoted(demotions);
    for (const QString &name : guard.takeNewlyDemotedNames()) {
        qCWarning(lcCardinality,
                  "label \"%s\" took more than %d values within the hour: its new values go as "
                  "structured metadata (keep ids out of labels; see LokiConfig::maxLabelValues)",
                  qUtf8Printable(name), m_config.maxLabelValues);
    }
}

void SenderWorker::postResolveSlice()
{
    if (!m_slicePosted) {
        m_slicePosted = true;
        QCoreApplication::postEvent(this, new QEvent(QEvent::Type(ResolveSliceEvent)));
    }
}

void SenderWorker::resolveSlice()
{
    // Small enough that the upload's next step waits some tens of microseconds at most.
    constexpr int SliceEntries = 128;
    if (!m_pusher || !m_pusher->isUploading() || m_state != State::Online)
        return;
    // The batch prepared next and the one after it.
    const int wanted = 2 * batchCap() - m_queue->resolvedCount();
    if (wanted <= 0 || m_queue->unresolvedCount() == 0)
        return;
    resolveQueued(qMin(wanted, SliceEntries));
    postResolveSlice();
}

} // namespace QLoki::detail
