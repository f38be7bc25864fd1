// SPDX-License-Identifier: MIT
#pragma once

#include <QLokiReceiver/lokireceiver.h>

#include <QtCore/QSharedData>

namespace LokiReceiverInternal {

//! The values of LokiReceiver::Limits, with their defaults: the receiver's own code keeps
//! and reads these (plain, assignable, no function call per read).
struct LimitValues
{
    int maxLabelNamesPerSeries = 15;
    int maxLabelNameLength = 1024;
    int maxLabelValueLength = 2048;
    int maxLineSize = 256 * 1024;
    bool rejectOldSamples = true;
    std::chrono::milliseconds rejectOldSamplesMaxAge = std::chrono::hours(7 * 24);
    std::chrono::milliseconds creationGracePeriod = std::chrono::minutes(10);
    bool allowStructuredMetadata = true;
    bool metadataAsLoki28 = false;
    qint64 maxStructuredMetadataSize = 64 * 1024;
    int maxStructuredMetadataCount = 128;
    std::chrono::milliseconds outOfOrderWindow = std::chrono::hours(1);
    qint64 maxBodyBytes = 100 * 1024 * 1024;
    qint64 maxDecompressedBytes = 64 * 1024 * 1024;
    int maxStreamsPerPush = 5000;
    qint64 maxEntriesPerPush = 1000000;
    qint64 maxStoredBytes = 512 * 1024 * 1024;
    int maxEntriesLimitPerQuery = 5000;
    int maxConnections = 1024;
    std::chrono::milliseconds idleTimeout = std::chrono::seconds(120);
    qint64 maxHeaderBytes = 64 * 1024;
};

} // namespace LokiReceiverInternal

struct LokiReceiverLimitsData : public QSharedData, public LokiReceiverInternal::LimitValues
{
    LokiReceiverLimitsData() = default;
    explicit LokiReceiverLimitsData(const LokiReceiverInternal::LimitValues &values)
        : LokiReceiverInternal::LimitValues(values)
    { }
};
