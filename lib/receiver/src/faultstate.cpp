// SPDX-License-Identifier: MIT
#include "faultstate_p.h"

#include "ingestfaults_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>

namespace LokiReceiverInternal {

namespace {

bool readInteger(const QJsonObject &object, QLatin1String key, qint64 minimum, qint64 maximum,
                 std::optional<qint64> *value, QString *error)
{
    const QJsonValue json = object.value(key);
    if (json.isUndefined() || json.isNull())
        return true;
    const double number = json.toDouble(-1e300);
    if (!json.isDouble() || number != double(qint64(number)) || number < double(minimum)
        || number > double(maximum)) {
        *error = QStringLiteral("\"%1\" must be an integer from %2 to %3")
                         .arg(key)
                         .arg(minimum)
                         .arg(maximum);
        return false;
    }
    *value = qint64(number);
    return true;
}

} // namespace

bool parseFaultChange(const QByteArray &json, FaultChange *change, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("expected a JSON object such as {\"fail_next\":5,\"status\":503,"
                                "\"retry_after\":2,\"delay_ms\":100,\"drop_next\":1,"
                                "\"down_ms\":5000}");
        return false;
    }
    const QJsonObject object = document.object();
    static const QLatin1String known[] = {
            QLatin1String("fail_next"),    QLatin1String("status"),
            QLatin1String("retry_after"),  QLatin1String("delay_ms"),
            QLatin1String("drop_next"),    QLatin1String("down_ms"),
            QLatin1String("down"),         QLatin1String("refuse_reason"),
            QLatin1String("refuse_count"), QLatin1String("refuse_every"),
            QLatin1String("body_limit"),   QLatin1String("block_ms"),
            QLatin1String("block_status"), QLatin1String("rate_limit"),
            QLatin1String("rate_burst")};
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(std::begin(known), std::end(known), it.key()) == std::end(known)) {
            *error = QStringLiteral("unknown fault \"%1\"").arg(it.key());
            return false;
        }
    }
    std::optional<qint64> failNext, status, retryAfter, dropNext, refuseCount, refuseEvery,
            blockStatus;
    constexpr qint64 day = 24 * 3600 * 1000;
    constexpr qint64 terabyte = qint64(1) << 40;
    if (!readInteger(object, QLatin1String("fail_next"), 0, 1 << 30, &failNext, error)
        || !readInteger(object, QLatin1String("status"), 100, 599, &status, error)
        || !readInteger(object, QLatin1String("retry_after"), -1, 1 << 30, &retryAfter, error)
        || !readInteger(object, QLatin1String("delay_ms"), 0, day, &change->delayMs, error)
        || !readInteger(object, QLatin1String("drop_next"), 0, 1 << 30, &dropNext, error)
        || !readInteger(object, QLatin1String("down_ms"), 0, day, &change->downMs, error)
        || !readInteger(object, QLatin1String("refuse_count"), -1, 1 << 30, &refuseCount, error)
        || !readInteger(object, QLatin1String("refuse_every"), 1, 1 << 30, &refuseEvery, error)
        || !readInteger(object, QLatin1String("body_limit"), 0, terabyte, &change->bodyLimit, error)
        || !readInteger(object, QLatin1String("block_ms"), 0, 365 * day, &change->blockMs, error)
        || !readInteger(object, QLatin1String("block_status"), 200, 599, &blockStatus, error)
        || !readInteger(object, QLatin1String("rate_limit"), 0, terabyte, &change->rateLimit, error)
        || !readInteger(object, QLatin1String("rate_burst"), 0, terabyte, &change->rateBurst,
                        error)) {
        return false;
    }
    if (refuseCount)
        change->refuseCount = int(*refuseCount);
    if (refuseEvery)
        change->refuseEvery = int(*refuseEvery);
    if (blockStatus)
        change->blockStatus = int(*blockStatus);
    const QJsonValue reason = object.value(QLatin1String("refuse_reason"));
    if (!reason.isUndefined() && !reason.isNull()) {
        change->refuseReason = refusalReasonFromName(reason.toString().toUtf8());
        if (!change->refuseReason) {
            *error = QStringLiteral("\"refuse_reason\" must be one of line_too_long, too_old, "
                                    "too_new, too_far_behind, labels, metadata_disallowed, "
                                    "metadata_too_large");
            return false;
        }
    }
    if (failNext)
        change->failNext = int(*failNext);
    if (status)
        change->status = int(*status);
    if (retryAfter)
        change->retryAfter = int(*retryAfter);
    if (dropNext)
        change->dropNext = int(*dropNext);
    const QJsonValue down = object.value(QLatin1String("down"));
    if (!down.isUndefined() && !down.isNull()) {
        if (!down.isBool()) {
            *error = QStringLiteral("\"down\" must be true or false");
            return false;
        }
        change->down = down.toBool();
    }
    return true;
}

QByteArray faultsToJson(const FaultValues &faults)
{
    QJsonObject object {
            {QLatin1String("fail_next"), faults.failNextPushes},
            {QLatin1String("status"), faults.failStatus},
            {QLatin1String("retry_after"), faults.retryAfterSeconds},
            {QLatin1String("delay_ms"), qint64(faults.responseDelay.count())},
            {QLatin1String("drop_next"), faults.dropNextConnections},
            {QLatin1String("down"), faults.down},
            {QLatin1String("down_remaining_ms"), qint64(faults.downRemaining.count())},
            {QLatin1String("refuse_reason"),
             faults.refusalsLeft == 0
                     ? QJsonValue()
                     : QJsonValue(QString::fromLatin1(refusalReasonName(faults.refusalReason)))},
            {QLatin1String("refuse_count"), faults.refusalsLeft},
            {QLatin1String("refuse_every"), faults.refuseEvery},
            {QLatin1String("body_limit"), faults.refuseBodiesAbove},
            {QLatin1String("block_remaining_ms"), qint64(faults.blockedRemaining.count())},
            {QLatin1String("block_status"), faults.blockStatus},
            {QLatin1String("rate_limit"), faults.rateLimit},
            {QLatin1String("rate_burst"), faults.rateBurst},
    };
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace LokiReceiverInternal
