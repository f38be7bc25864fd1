// SPDX-License-Identifier: MIT
// The receiver's OTLP/HTTP logs endpoint, POST /otlp/v1/logs, as Loki 3 serves it: the same
// faults and validation as a push, answered as OTLP/HTTP answers (an
// ExportLogsServiceResponse, its partial_success counting the refused records; a
// google.rpc.Status for a refused request), in the request's own encoding.
#include "lokireceiver_p.h"

#include "otlplogs_p.h"

#include <QtHttpServer/QHttpServerRequest>
#include <QtNetwork/QTcpSocket>

using namespace LokiReceiverInternal;

void LokiReceiverPrivate::handleOtlpPush(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QByteArray body = request.body();
    counters.bytesReceived += quint64(body.size());
    const QByteArray contentType = request.value("Content-Type");
    const bool json = contentType.split(';').constFirst().trimmed().toLower() == "application/json";
    const QByteArray answerType = json ? "application/json" : "application/x-protobuf";
    if (dropNext > 0) {
        --dropNext;
        QMetaObject::invokeMethod(
                socket, [socket] { socket->abort(); }, Qt::QueuedConnection);
        countPush(0, 0);
        return;
    }
    if (failNext > 0) {
        --failNext;
        answerPush(socket, failStatus,
                   otlpStatus(json, 0, "injected failure (" + QByteArray::number(failStatus) + ")"),
                   retryAfter, 0, answerType);
        return;
    }
    if (refuseBodiesAbove > 0 && body.size() > refuseBodiesAbove) {
        answerPush(socket, 413,
                   otlpStatus(json, 0, Refusal::bodyTooLarge(body.size(), refuseBodiesAbove)), -1,
                   0, answerType);
        return;
    }
    const IngestResult result = ingestor.ingestOtlp(
            body, contentType, request.value("Content-Encoding"), request.value("X-Scope-OrgID"));
    counters.entriesAccepted += quint64(result.accepted);
    counters.entriesRejected += quint64(result.rejected);
    for (int reason = 0; reason < DiscardReasonCount; ++reason) {
        if (const quint64 count = result.discarded[size_t(reason)])
            counters.rejectedByReason[QLatin1String(discardReasonName(DiscardReason(reason)))] +=
                    count;
    }
    counters.duplicatesIgnored += quint64(result.duplicates);
    if (result.status == 204 || (result.status == 400 && result.rejected > 0)) {
        // Stored, or some records refused by validation: OTLP's 200 with a partial success.
        answerPush(socket, 200,
                   otlpExportResponse(json, result.status == 204 ? 0 : result.rejected,
                                      result.message),
                   -1, result.accepted, answerType);
        return;
    }
    answerPush(socket, result.status, otlpStatus(json, 0, result.message), result.retryAfter,
               result.accepted, answerType);
}
