// SPDX-License-Identifier: MIT
// The receiver's HTTP surface: routing, the push endpoint with its faults, the read API
// and the fault endpoints.
#include "lokireceiver_p.h"

#include "faultstate_p.h"
#include "httpfrontend_p.h"
#include "metrics_p.h"
#include "queryapi_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtHttpServer/QHttpServerRequest>
#include <QtNetwork/QTcpSocket>

#include <set>

using namespace LokiReceiverInternal;

namespace {

using Method = QHttpServerRequest::Method;

const QByteArray JsonType = "application/json";

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status >= 200 && status < 300 ? "Success" : "Status";
    }
}

void abortLater(QTcpSocket *socket)
{
    // Not from inside QtHttpServer's readyRead handler, which still uses the socket.
    QMetaObject::invokeMethod(
            socket, [socket] { socket->abort(); }, Qt::QueuedConnection);
}

} // namespace

void LokiReceiverPrivate::respond(QTcpSocket *socket, int status, const QByteArray &body,
                                  const QByteArray &contentType, int retryAfter,
                                  const QByteArray &extraHeaders)
{
    QByteArray answer =
            "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (status != 204 && status != 304) {
        answer += "Content-Type: " + contentType
                + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    if (retryAfter >= 0)
        answer += "Retry-After: " + QByteArray::number(retryAfter) + "\r\n";
    answer += extraHeaders;
    answer += "\r\n";
    if (status != 204 && status != 304)
        answer += body;
    socket->write(answer);
}

void LokiReceiverPrivate::countPush(int status, int accepted)
{
    Q_Q(LokiReceiver);
    ++counters.pushRequests;
    ++counters.pushesByStatus[status];
    Q_EMIT q->pushHandled(status, accepted);
}

void LokiReceiverPrivate::answerPush(QTcpSocket *socket, int status, const QByteArray &body,
                                     int retryAfter, int accepted, const QByteArray &contentType)
{
    Q_Q(LokiReceiver);
    QPointer<QTcpSocket> guard(socket);
    auto answer = [this, guard, status, body, retryAfter, accepted, contentType] {
        // The client may have given up (or the receiver gone down) meanwhile.
        if (guard && guard->state() == QAbstractSocket::ConnectedState)
            respond(guard, status, body, contentType, retryAfter);
        countPush(status, accepted);
    };
    if (responseDelay.count() > 0)
        QTimer::singleShot(responseDelay, q, answer);
    else
        answer();
}

bool LokiReceiverPrivate::checkAccess(const QHttpServerRequest &request, QTcpSocket *socket,
                                      const QString &path)
{
    // Loki serves its build information without a tenant (a gateway still wants credentials).
    const bool checkTenant = path != QLatin1String("/loki/api/v1/status/buildinfo");
    const AccessPolicy::Verdict verdict = access.check(request.value("Authorization"),
                                                       request.value("X-Scope-OrgID"), checkTenant);
    if (verdict.allowed)
        return true;
    ++counters.unauthorizedRequests;
    respond(socket, 401, verdict.message + '\n', "text/plain; charset=utf-8", -1,
            verdict.challenge);
    if (path == QLatin1String("/loki/api/v1/push") || path == QLatin1String("/otlp/v1/logs")) {
        counters.bytesReceived += quint64(request.body().size());
        countPush(401, 0);
    }
    return false;
}

std::optional<QByteArray> LokiReceiverPrivate::visibleTenant() const
{
    if (access.tenant().isEmpty())
        return std::nullopt;
    return access.tenant();
}

bool LokiReceiverPrivate::isVisible(const EntryStore::Stream &stream) const
{
    return stream.entryCount > 0 && (access.tenant().isEmpty() || stream.tenant == access.tenant());
}

void LokiReceiverPrivate::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Q_Q(LokiReceiver);
    if (down) {
        // A request on a connection that was open when the receiver went down.
        abortLater(socket);
        return;
    }
    const QString path = request.url().path();
    // A chunked body is only known in full now (see HttpFrontend).
    const qint64 maxBody = ingestor.limits().maxBodyBytes;
    if (maxBody > 0 && request.body().size() > maxBody) {
        refuseBody(socket, path.toUtf8(), request.body().size());
        return;
    }
    const bool receiverPath = path.startsWith(QLatin1String("/receiver/"));
    if ((path.startsWith(QLatin1String("/loki/api/")) || path.startsWith(QLatin1String("/otlp/"))
         || receiverPath)
        && !checkAccess(request, socket, path)) {
        return;
    }
    if (receiverPath && !checkReceiverRequest(request, socket))
        return;
    const Method method = request.method();
    auto requireMethod = [&](std::initializer_list<Method> allowed) {
        if (std::find(allowed.begin(), allowed.end(), method) != allowed.end())
            return true;
        respond(socket, 405, "method not allowed\n");
        return false;
    };

    if (path == QLatin1String("/loki/api/v1/push")) {
        if (requireMethod({Method::Post}))
            handlePush(request, socket);
    } else if (path == QLatin1String("/otlp/v1/logs")) {
        if (requireMethod({Method::Post}))
            handleOtlpPush(request, socket);
    } else if (path == QLatin1String("/loki/api/v1/query_range")) {
        if (requireMethod({Method::Get, Method::Post}))
            handleQuery(request, socket, false);
    } else if (path == QLatin1String("/loki/api/v1/query")) {
        if (requireMethod({Method::Get, Method::Post}))
            handleQuery(request, socket, true);
    } else if (path == QLatin1String("/loki/api/v1/labels")
               || path == QLatin1String("/loki/api/v1/label")) {
        if (requireMethod({Method::Get, Method::Post}))
            handleLabels(request, socket);
    } else if (path.startsWith(QLatin1String("/loki/api/v1/label/"))
               && path.endsWith(QLatin1String("/values"))) {
        const qsizetype prefix = qsizetype(qstrlen("/loki/api/v1/label/"));
        const QString name = path.mid(prefix, path.size() - prefix - qsizetype(qstrlen("/values")));
        if (requireMethod({Method::Get, Method::Post}))
            handleLabelValues(request, socket, name.toUtf8());
    } else if (path == QLatin1String("/ready")) {
        respond(socket, 200, "ready\n");
    } else if (path == QLatin1String("/metrics")) {
        respond(socket, 200, renderMetrics(stats()), "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == QLatin1String("/loki/api/v1/status/buildinfo")) {
        const QJsonObject info {
                {QLatin1String("version"), buildVersion}, {QLatin1String("revision"), QString()},
                {QLatin1String("branch"), QString()},     {QLatin1String("buildUser"), QString()},
                {QLatin1String("buildDate"), QString()},  {QLatin1String("goVersion"), QString()}};
        respond(socket, 200, QJsonDocument(info).toJson(QJsonDocument::Compact), JsonType);
    } else if (path == QLatin1String("/receiver/faults")) {
        handleFaults(request, socket);
    } else if (path == QLatin1String("/receiver/reset")) {
        if (requireMethod({Method::Post})) {
            q->reset();
            respond(socket, 200, "{\"status\":\"success\"}", JsonType);
        }
    } else {
        respond(socket, 404, "404 page not found\n");
    }
}

bool LokiReceiverPrivate::checkReceiverRequest(const QHttpServerRequest &request,
                                               QTcpSocket *socket)
{
    // A browser's "simple" request (a form or text/plain POST without custom headers)
    // reaches any origin without a preflight: a POST must carry what such a request cannot.
    // Other methods (DELETE) are preflighted anyway; GET changes nothing.
    if (request.method() != Method::Post)
        return true;
    const QByteArray mediaType =
            request.value("Content-Type").split(';').constFirst().trimmed().toLower();
    if (mediaType == JsonType)
        return true;
    respond(socket, 415,
            "unsupported Content-Type \"" + request.value("Content-Type")
                    + "\": the /receiver/ endpoints take application/json\n");
    return false;
}

void LokiReceiverPrivate::refuseBody(QTcpSocket *socket, const QByteArray &path, qint64 size)
{
    respond(socket, 413, Refusal::bodyTooLarge(size, ingestor.limits().maxBodyBytes) + '\n',
            "text/plain; charset=utf-8", -1, "Connection: close\r\n");
    if (path == "/loki/api/v1/push" || path == "/otlp/v1/logs")
        countPush(413, 0);
}

void LokiReceiverPrivate::handlePush(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const QByteArray body = request.body();
    counters.bytesReceived += quint64(body.size());
    if (dropNext > 0) {
        --dropNext;
        abortLater(socket);
        countPush(0, 0);
        return;
    }
    if (failNext > 0) {
        --failNext;
        answerPush(socket, failStatus,
                   "injected failure (" + QByteArray::number(failStatus) + ")\n", retryAfter, 0);
        return;
    }
    if (refuseBodiesAbove > 0 && body.size() > refuseBodiesAbove) {
        answerPush(socket, 413, Refusal::bodyTooLarge(body.size(), refuseBodiesAbove) + '\n', -1,
                   0);
        return;
    }
    const IngestResult result =
            ingestor.ingest(body, request.value("Content-Type"), request.value("Content-Encoding"),
                            request.value("X-Scope-OrgID"));
    counters.entriesAccepted += quint64(result.accepted);
    counters.entriesRejected += quint64(result.rejected);
    for (int reason = 0; reason < DiscardReasonCount; ++reason) {
        if (const quint64 count = result.discarded[size_t(reason)])
            counters.rejectedByReason[QLatin1String(discardReasonName(DiscardReason(reason)))] +=
                    count;
    }
    counters.duplicatesIgnored += quint64(result.duplicates);
    answerPush(socket, result.status, result.status == 204 ? QByteArray() : result.message + '\n',
               result.retryAfter, result.accepted);
}

void LokiReceiverPrivate::handleQuery(const QHttpServerRequest &request, QTcpSocket *socket,
                                      bool instant)
{
    const FormFields parameters(request.method() == Method::Post
                                        ? request.body()
                                        : request.url().query(QUrl::FullyEncoded).toUtf8());
    QueryRequest query;
    QString error;
    if (!parseQueryRequest(parameters, instant, ingestor.limits().maxEntriesLimitPerQuery, &query,
                           &error)) {
        respond(socket, 400, error.toUtf8() + '\n');
        return;
    }
    // Loki 3 answers only metric queries at /query; every query this receiver reads is a
    // log query. Loki 2 still answered them (see setBuildVersion()).
    if (instant && !buildVersion.startsWith(QLatin1String("2."))
        && !buildVersion.startsWith(QLatin1String("1."))) {
        respond(socket, 400,
                "log queries are not supported as an instant query type, please change your "
                "query to a range query type\n");
        return;
    }
    query.tenant = visibleTenant();
    const bool categorize = request.value("X-Loki-Response-Encoding-Flags")
                                    .split(',')
                                    .contains(QByteArray("categorize-labels"));
    respond(socket, 200, streamsResponse(store, runQuery(store, query), categorize), JsonType);
}

void LokiReceiverPrivate::handleLabels(const QHttpServerRequest &, QTcpSocket *socket)
{
    std::set<QByteArray> names;
    for (const EntryStore::Stream &stream : store.streams()) {
        if (!isVisible(stream))
            continue;
        for (const auto &label : stream.labels)
            names.insert(label.first);
    }
    respond(socket, 200, stringListResponse(QList<QByteArray>(names.begin(), names.end())),
            JsonType);
}

void LokiReceiverPrivate::handleLabelValues(const QHttpServerRequest &, QTcpSocket *socket,
                                            const QByteArray &name)
{
    std::set<QByteArray> values;
    for (const EntryStore::Stream &stream : store.streams()) {
        if (!isVisible(stream))
            continue;
        for (const auto &label : stream.labels) {
            if (label.first == name)
                values.insert(label.second);
        }
    }
    respond(socket, 200, stringListResponse(QList<QByteArray>(values.begin(), values.end())),
            JsonType);
}

void LokiReceiverPrivate::handleFaults(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Q_Q(LokiReceiver);
    switch (request.method()) {
    case Method::Get:
        break;
    case Method::Delete:
        q->clearFaults();
        break;
    case Method::Post: {
        FaultChange change;
        QString error;
        if (!parseFaultChange(request.body(), &change, &error)) {
            respond(socket, 400, error.toUtf8() + '\n');
            return;
        }
        if (change.status)
            failStatus = *change.status;
        if (change.failNext)
            failNext = *change.failNext;
        if (change.retryAfter)
            retryAfter = *change.retryAfter;
        if (change.delayMs)
            responseDelay = std::chrono::milliseconds(*change.delayMs);
        if (change.dropNext)
            dropNext = *change.dropNext;
        if (change.refuseReason || change.refuseCount || change.refuseEvery) {
            IngestFaults &ingest = ingestor.faults();
            const FaultValues now = faults();
            ingest.refuse(change.refuseReason.value_or(now.refusalReason),
                          change.refuseCount.value_or(change.refuseReason ? -1 : now.refusalsLeft),
                          change.refuseEvery.value_or(change.refuseReason ? 1 : now.refuseEvery));
        }
        if (change.bodyLimit)
            refuseBodiesAbove = *change.bodyLimit;
        if (change.blockMs)
            q->blockIngestion(std::chrono::milliseconds(*change.blockMs),
                              change.blockStatus.value_or(260));
        else if (change.blockStatus)
            ingestor.faults().block(ingestor.faults().blockedUntilNs(), *change.blockStatus);
        if (change.rateLimit || change.rateBurst) {
            const qint64 rate = change.rateLimit.value_or(ingestor.faults().rateLimit());
            ingestor.faults().setRateLimit(rate, change.rateBurst.value_or(rate));
        }
        qint64 downFor = -2; // -2: stay up, -1: down until told, else milliseconds
        if (change.down)
            downFor = *change.down ? -1 : -2;
        if (change.downMs && *change.downMs > 0)
            downFor = *change.downMs;
        if (downFor != -2) {
            // Answer first; going down then closes the connection gracefully.
            FaultValues state = faults();
            state.down = true;
            state.downRemaining = std::chrono::milliseconds(downFor);
            respond(socket, 200, faultsToJson(state), JsonType);
            QTimer::singleShot(0, q, [this, downFor] { goDownFor(downFor); });
            return;
        }
        break;
    }
    default:
        respond(socket, 405, "method not allowed\n");
        return;
    }
    respond(socket, 200, faultsToJson(faults()), JsonType);
}
