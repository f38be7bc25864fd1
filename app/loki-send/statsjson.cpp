// SPDX-License-Identifier: MIT
#include "statsjson.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

QByteArray statsToJson(const LokiStats &stats, const SendReport &report)
{
    const auto number = [](quint64 value) { return QJsonValue(qint64(value)); };
    QJsonObject byReason;
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = static_cast<QLoki::DropReason>(r);
        byReason.insert(QLoki::dropReasonName(reason), number(stats.dropped(reason)));
    }
    QJsonObject byCode; // why Loki refused the entries counted as dropped "rejected"
    for (int c = 0; c < QLoki::RefusalCodeCount; ++c) {
        const auto code = static_cast<QLoki::RefusalCode>(c);
        byCode.insert(QLoki::refusalCodeName(code), number(stats.rejected(code)));
    }
    const double rate =
            report.elapsedSeconds > 0 ? double(stats.delivered()) / report.elapsedSeconds : 0.0;
    QJsonObject object {
            {u"accepted"_s, number(stats.accepted())},
            {u"delivered"_s, number(stats.delivered())},
            {u"dropped"_s, number(stats.dropped())},
            {u"dropped_by_reason"_s, byReason},
            {u"rejected_by_code"_s, byCode},
            {u"pending"_s, number(stats.pending())},
            {u"capacity"_s, stats.capacity()},
            {u"capacity_bytes"_s, stats.capacityBytes()},
            {u"bytes_held"_s, stats.bytesHeld()},
            {u"spooled"_s, number(stats.spooled())},
            {u"replayed"_s, number(stats.replayed())},
            {u"context_shipped"_s, number(stats.contextShipped())},
            {u"context_overwritten"_s, number(stats.contextOverwritten())},
            {u"redacted"_s, number(stats.redacted())},
            {u"retries"_s, number(stats.retries())},
            {u"batches_delivered"_s, number(stats.batchesDelivered())},
            {u"batches_failed"_s, number(stats.batchesFailed())},
            {u"bytes_sent"_s, number(stats.bytesSent())},
            {u"last_error"_s, stats.lastError()},
            {u"state"_s, QLoki::stateName(stats.state())},
            {u"elapsed_s"_s, report.elapsedSeconds},
            {u"entries_per_s"_s, rate},
            {u"caller_ns_per_call"_s, report.callerNsPerCall},
            {u"lines_cut"_s, number(report.linesCut)},
            {u"bytes_cut"_s, number(report.bytesCut)},
    };
    if (!report.interruptedBy.isEmpty())
        object.insert(u"interrupted_by"_s, report.interruptedBy);
    if (!report.readError.isEmpty())
        object.insert(u"read_error"_s, report.readError);
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}
