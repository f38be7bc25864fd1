// SPDX-License-Identifier: MIT
// What Loki answers the SenderWorker: a push's answer settles its entries, and the server's
// build info decides how structured metadata is sent.
#include "logger/senderworker_p.h"

#include "integration/messagehandler_p.h"
#include "transport/otlpanswer_p.h"
#include "transport/refusal_p.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QVersionNumber>

Q_DECLARE_LOGGING_CATEGORY(lcSender)

namespace QLoki::detail {

using Decision = DeliveryMachine::Decision;
using Fate = DeliveryMachine::Fate;
using Outcome = DeliveryMachine::Outcome;

void SenderWorker::onPushFinished(const PushResult &result)
{
    MessageHandler::pushEnded();
    Outcome outcome = Outcome::Retryable;
    int refused = 0;
    RefusalCode code = RefusalCode::Other;
    QString error = result.error;
    switch (RetryPolicy::classify(result.httpStatus)) {
    case RetryPolicy::Verdict::Delivered:
        outcome = Outcome::Delivered;
        if (isOtlp(m_config.format)) {
            // OTLP/HTTP's 200 may still refuse records: its partial success counts them
            // (which ones is not said, so they are counted, never re-sent).
            const OtlpPartialSuccess partial =
                    readOtlpPartialSuccess(result.body, result.contentType);
            if (partial.rejected > 0) {
                outcome = Outcome::Refused;
                refused = int(qMin<qint64>(partial.rejected, m_wire.count));
                // Loki 3 gives its push API's reasons: the code is read from them.
                code = readRefusal(400, partial.message.toUtf8(), m_wire.batch).code;
                error = QStringLiteral("HTTP %1: partial success, %2 rejected: %3")
                                .arg(result.httpStatus)
                                .arg(partial.rejected)
                                .arg(partial.message);
            } else if (!partial.message.isEmpty()) {
                qCWarning(lcSender, "the OTLP endpoint accepted the batch with a warning: %s",
                          qUtf8Printable(partial.message));
            }
        }
        break;
    case RetryPolicy::Verdict::Retry:
        break;
    case RetryPolicy::Verdict::Split:
        if (m_wire.count > 1) {
            // Too large for the server (or a gateway): the same entries in halves.
            m_splitCap = qMax(1, m_wire.count / 2);
            outcome = Outcome::TooLarge;
            break;
        }
        Q_FALLTHROUGH();
    case RetryPolicy::Verdict::Reject: {
        const RefusalReading reading = readRefusal(result.httpStatus, result.body, m_wire.batch);
        if (reading.metadataDisallowed && m_config.metadataMode == MetadataMode::Auto
            && m_embed == MetadataMode::Structured && !isOtlp(m_config.format)) {
            // The only refusal a changed form can cure. The entries that carried metadata
            // go again with it in their lines; the others go again unchanged, so Loki,
            // which stored them, drops them as duplicates (same stream, time and line).
            startEmbedding(
                    MetadataMode::Logfmt,
                    QStringLiteral("Loki refused structured metadata (%1)").arg(reading.reason));
            outcome = Outcome::Reshaped;
            break;
        }
        outcome = Outcome::Refused;
        refused = reading.refused;
        code = reading.code;
        break;
    }
    }
    if (m_prepared && outcome != Outcome::Delivered) {
        // A prepared batch follows only a delivered one; otherwise it goes back first (it
        // holds newer entries than the one on the wire).
        releasePrepared();
    }
    const Decision decision = m_machine.pushFinished(outcome, result.retryAfter, waiting());
    // State first: settling wakes flush() callers, who may read it at once.
    if (m_machine.state() == State::Online)
        setState(State::Online);
    if (outcome == Outcome::Refused) {
        // Loki's reason as a short code before its text: "line_too_long: HTTP 400: ...".
        PushResult named = result;
        named.error = refusalCodeName(code) + QStringLiteral(": ") + error;
        settle(decision.fate, named, refused, code);
    } else {
        settle(decision.fate, result, refused);
    }
    if (outcome == Outcome::Retryable)
        m_queue->noteError(error);
    apply(decision);
    if (!m_pusher->isBusy() && m_queue->queuedCount() == 0)
        m_splitCap = 0; // the backlog is gone: full batches again
}

void SenderWorker::settle(Fate fate, const PushResult &result, int refused, RefusalCode code)
{
    Wire wire = std::move(m_wire);
    m_wire = Wire();
    const int count = wire.count;
    const QString &error = result.error;
    scheduleStats();
    if (wire.fromSpool) {
        switch (fate) {
        case Fate::Settled: {
            const int acked = m_spool->acknowledge(wire.fromSpool);
            refused = qMin(refused, acked);
            m_queue->spoolRefused(acked, refused, result.bodyBytes, error, code);
            if (acked > refused)
                Q_EMIT batchDelivered(acked - refused, result.bodyBytes, result.httpStatus,
                                      result.latencyMs);
            if (refused > 0) {
                Q_EMIT batchFailed(refused, result.httpStatus, error, false);
                Q_EMIT entriesDropped(refused, DropReason::Rejected, error);
            }
            return;
        }
        case Fate::None:
            return;
        case Fate::Keep:
        case Fate::KeepOffline:
        case Fate::Spool:
        case Fate::Drop: // a spool is the offline buffer: its entries are never dropped here
            Q_EMIT batchFailed(count, result.httpStatus, error, true);
            return;
        }
        return;
    }

    switch (fate) {
    case Fate::None:
        return;
    case Fate::Settled:
        m_queue->completeRefused(count, refused, result.bodyBytes, error, code);
        if (count > refused)
            Q_EMIT batchDelivered(count - refused, result.bodyBytes, result.httpStatus,
                                  result.latencyMs);
        if (refused > 0) {
            Q_EMIT batchFailed(refused, result.httpStatus, error, false);
            Q_EMIT entriesDropped(refused, DropReason::Rejected, error);
        }
        return;
    case Fate::Spool:
        m_wire = std::move(wire);
        if (spoolWireBatch()) {
            Q_EMIT batchFailed(count, result.httpStatus, error, true);
            return;
        }
        wire = std::move(m_wire);
        m_wire = Wire();
        Q_FALLTHROUGH(); // the disk failed us: memory keeps them
    case Fate::Keep:
    case Fate::KeepOffline:
        m_queue->completeKept(std::move(wire.entries), error, fate == Fate::KeepOffline);
        Q_EMIT batchFailed(count, result.httpStatus, error, true);
        return;
    case Fate::Drop:
        m_queue->completeDropped(count, DropReason::RetriesExhausted, error);
        Q_EMIT batchFailed(count, result.httpStatus, error, false);
        Q_EMIT entriesDropped(count, DropReason::RetriesExhausted, error);
        return;
    }
}

void SenderWorker::startEmbedding(MetadataMode mode, const QString &why)
{
    m_embed = mode;
    qCWarning(lcSender, "%s; structured metadata is sent inside the lines (logfmt) from now on",
              qPrintable(why));
}

void SenderWorker::onBuildInfo(const QString &version)
{
    m_probing = false;
    QString text = version;
    if (text.startsWith(QLatin1Char('v')))
        text.remove(0, 1);
    qsizetype suffix = 0;
    const QVersionNumber number = QVersionNumber::fromString(text, &suffix);
    // Release builds report their version; others ("main-1a2b3c") are taken as current.
    if (!number.isNull() && number.segmentCount() >= 2
        && QVersionNumber::compare(number, QVersionNumber(2, 9)) < 0) {
        startEmbedding(MetadataMode::Logfmt,
                       QStringLiteral("Loki %1 predates structured metadata (2.9)").arg(version));
    }
    apply(m_machine.entriesWaiting(waiting()));
}

} // namespace QLoki::detail
