// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

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
};

/*!
    Reads `{"fail_next":5,"status":503,"retry_after":2,"delay_ms":100,"drop_next":1,
    "down_ms":5000,"down":true}`. Returns false and sets \a error for anything else.
*/
bool parseFaultChange(const QByteArray &json, FaultChange *change, QString *error);

//! The fault state as `GET /receiver/faults` answers it.
QByteArray faultsToJson(const LokiReceiver::Faults &faults);

} // namespace LokiReceiverInternal
