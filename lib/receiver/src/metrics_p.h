// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QByteArray>

namespace LokiReceiverInternal {

//! The counters in Prometheus' text exposition format, as `GET /metrics` answers.
QByteArray renderMetrics(const LokiReceiver::Stats &stats);

} // namespace LokiReceiverInternal
