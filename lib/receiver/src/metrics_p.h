// SPDX-License-Identifier: MIT
#pragma once

#include "lokireceiverstats_p.h"

#include <QtCore/QByteArray>

namespace LokiReceiverInternal {

//! The counters in Prometheus' text exposition format, as `GET /metrics` answers.
QByteArray renderMetrics(const StatValues &stats);

} // namespace LokiReceiverInternal
