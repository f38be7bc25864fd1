// SPDX-License-Identifier: MIT
// The disk spool's side of the SenderWorker: opening it, and moving entries there.
#include "logger/senderworker_p.h"

#include "pipeline/lineshaping_p.h"
#include "storage/spoolentry_p.h"

#include <QtCore/QLoggingCategory>

#include <limits>

Q_DECLARE_LOGGING_CATEGORY(lcSender)

namespace QLoki::detail {

void SenderWorker::openSpool()
{
    if (m_config.spoolDirectory.isEmpty())
        return;
    SpoolOptions options;
    options.directory = m_config.spoolDirectory;
    options.maxBytes = m_config.spoolMaxBytes;
    options.segmentBytes = qMin(options.segmentBytes, qMax<qint64>(64 * 1024, options.maxBytes / 4));
    options.durability = m_config.spoolDurability == SpoolDurability::Fsync ? Durability::Fsync
                                                                            : Durability::Flush;
    auto spool = std::make_unique<Spool>();
    QString error;
    if (!spool->open(options, &error)) {
        spoolFailed(error);
        return;
    }
    m_spool = std::move(spool);
    m_machine.setSpool(true);
    m_spoolOverflowSeen = m_spool->stats().droppedOverflow;
    if (const qint64 left = m_spool->pendingEntries(); left > 0)
        m_queue->spoolReplayed(int(qMin<qint64>(left, std::numeric_limits<int>::max())));
}

void SenderWorker::spoolFailed(const QString &error)
{
    const QString text =
        QStringLiteral("disk spool not usable, entries stay in memory: %1").arg(error);
    m_queue->noteError(text);
    if (!m_spoolFailureSaid) {
        m_spoolFailureSaid = true;
        qCWarning(lcSender, "%s", qPrintable(text));
    }
}

bool SenderWorker::spoolWireBatch()
{
    QString error;
    if (!m_spool || !m_spool->append(spooledEntries(m_wire.batch), &error)) {
        if (m_spool)
            spoolFailed(error);
        return false;
    }
    m_queue->completeSpooled(m_wire.count);
    m_wire = Wire();
    noteSpoolOverflow();
    return true;
}

bool SenderWorker::spoolWireInFlight()
{
    if (m_wire.fromSpool > 0 || m_wire.count == 0)
        return true;
    // A batch from memory goes on the wire only while the spool is empty (it is drained
    // first), so this one becomes its front.
    if (m_spool->pendingEntries() > 0)
        return false;
    QString error;
    if (!m_spool->append(spooledEntries(m_wire.batch), &error)) {
        spoolFailed(error);
        return false;
    }
    m_queue->completeSpooled(m_wire.count);
    noteSpoolOverflow();
    m_wire.fromSpool = int(m_spool->peek(m_wire.count).size());
    m_wire.entries.clear();
    return true;
}

void SenderWorker::spoolQueued()
{
    resolveQueued(-1);
    std::vector<QueuedEntry> entries;
    while (m_spool) {
        if (m_queue->takeFront(batchCap(), &entries) == 0)
            return;
        PushBatch batch;
        const int taken = m_batcher.build(entries.data(), qsizetype(entries.size()), &batch);
        m_queue->keepInFlight(&entries, taken);
        QString error;
        if (!m_spool->append(spooledEntries(batch), &error)) {
            m_queue->releaseInFlight(std::move(entries));
            spoolFailed(error);
            return;
        }
        m_queue->completeSpooled(taken);
        noteSpoolOverflow();
    }
}

void SenderWorker::noteSpoolOverflow()
{
    const quint64 dropped = m_spool->stats().droppedOverflow;
    if (dropped <= m_spoolOverflowSeen)
        return;
    const int n = int(dropped - m_spoolOverflowSeen);
    m_spoolOverflowSeen = dropped;
    const QString why = QStringLiteral("disk spool full (%1 bytes): its oldest entries were dropped")
                            .arg(m_config.spoolMaxBytes);
    m_queue->spoolDropped(n, DropReason::BufferFull, why);
    Q_EMIT entriesDropped(n, DropReason::BufferFull, why);
}

} // namespace QLoki::detail
