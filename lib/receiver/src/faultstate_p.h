// SPDX-License-Identifier: MIT
#pragma once

#include "lokireceiverfaults_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

namespace LokiReceiverInternal {

//! A fault change as posted to `/receiver/faults`; absent fields leave faults as they are.
struct FaultChange
{
    std::optional<int> failNext;
    std::optional<int> status;
    std::optional<int> retryAfter;
    std::optional<qint64> delayMs;
    std::optional<int> dropNext;
    std::optional<qint64> downMs;
    std::optional<bool> down;
    std::optional<LokiReceiver::RefusalReason> refuseReason;
    std::optional<int> refuseCount;
    std::optional<int> refuseEvery;
    std::optional<qint64> bodyLimit;
    std::optional<qint64> blockMs;
    std::optional<int> blockStatus;
    std::optional<qint64> rateLimit;
    std::optional<qint64> rateBurst;
};

/*!
    Reads `{"fail_next":5,"status":503,"retry_after":2,"delay_ms":100,"drop_next":1,
    "down_ms":5000,"down":true}` and Loki's refusals: `"refuse_reason":"line_too_long"`
    (`too_old`, `too_new`, `too_far_behind`, `labels`, `metadata_disallowed`,
    `metadata_too_large`) with `"refuse_count"` (-1: until cleared) and `"refuse_every"`,
    `"body_limit"` (bytes; 413 above, 0: off), `"block_ms"` with `"block_status"` (260),
    `"rate_limit"` with `"rate_burst"` (bytes per second and bytes; 0: off). Returns false
    and sets \a error for anything else.
*/
bool parseFaultChange(const QByteArray &json, FaultChange *change, QString *error);

//! The fault state as `GET /receiver/faults` answers it.
QByteArray faultsToJson(const FaultValues &faults);

} // namespace LokiReceiverInternal
