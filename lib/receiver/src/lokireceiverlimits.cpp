// SPDX-License-Identifier: MIT
#include "lokireceiverlimits_p.h"

LokiReceiver::Limits::Limits()
    : d(new LokiReceiverLimitsData)
{ }

LokiReceiver::Limits::Limits(const Limits &other) = default;
LokiReceiver::Limits::Limits(Limits &&other) noexcept = default;
LokiReceiver::Limits &LokiReceiver::Limits::operator=(const Limits &other) = default;
LokiReceiver::Limits &LokiReceiver::Limits::operator=(Limits &&other) noexcept = default;
LokiReceiver::Limits::~Limits() = default;

int LokiReceiver::Limits::maxLabelNamesPerSeries() const { return d->maxLabelNamesPerSeries; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxLabelNamesPerSeries(int value)
{
    d->maxLabelNamesPerSeries = value;
    return *this;
}

int LokiReceiver::Limits::maxLabelNameLength() const { return d->maxLabelNameLength; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxLabelNameLength(int value)
{
    d->maxLabelNameLength = value;
    return *this;
}

int LokiReceiver::Limits::maxLabelValueLength() const { return d->maxLabelValueLength; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxLabelValueLength(int value)
{
    d->maxLabelValueLength = value;
    return *this;
}

int LokiReceiver::Limits::maxLineSize() const { return d->maxLineSize; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxLineSize(int value)
{
    d->maxLineSize = value;
    return *this;
}

bool LokiReceiver::Limits::rejectOldSamples() const { return d->rejectOldSamples; }

LokiReceiver::Limits &LokiReceiver::Limits::setRejectOldSamples(bool value)
{
    d->rejectOldSamples = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Limits::rejectOldSamplesMaxAge() const
{
    return d->rejectOldSamplesMaxAge;
}

LokiReceiver::Limits &
LokiReceiver::Limits::setRejectOldSamplesMaxAge(std::chrono::milliseconds value)
{
    d->rejectOldSamplesMaxAge = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Limits::creationGracePeriod() const
{
    return d->creationGracePeriod;
}

LokiReceiver::Limits &LokiReceiver::Limits::setCreationGracePeriod(std::chrono::milliseconds value)
{
    d->creationGracePeriod = value;
    return *this;
}

bool LokiReceiver::Limits::allowStructuredMetadata() const { return d->allowStructuredMetadata; }

LokiReceiver::Limits &LokiReceiver::Limits::setAllowStructuredMetadata(bool value)
{
    d->allowStructuredMetadata = value;
    return *this;
}

bool LokiReceiver::Limits::metadataAsLoki28() const { return d->metadataAsLoki28; }

LokiReceiver::Limits &LokiReceiver::Limits::setMetadataAsLoki28(bool value)
{
    d->metadataAsLoki28 = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxStructuredMetadataSize() const
{
    return d->maxStructuredMetadataSize;
}

LokiReceiver::Limits &LokiReceiver::Limits::setMaxStructuredMetadataSize(qint64 value)
{
    d->maxStructuredMetadataSize = value;
    return *this;
}

int LokiReceiver::Limits::maxStructuredMetadataCount() const
{
    return d->maxStructuredMetadataCount;
}

LokiReceiver::Limits &LokiReceiver::Limits::setMaxStructuredMetadataCount(int value)
{
    d->maxStructuredMetadataCount = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Limits::outOfOrderWindow() const
{
    return d->outOfOrderWindow;
}

LokiReceiver::Limits &LokiReceiver::Limits::setOutOfOrderWindow(std::chrono::milliseconds value)
{
    d->outOfOrderWindow = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxHeaderBytes() const { return d->maxHeaderBytes; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxHeaderBytes(qint64 value)
{
    d->maxHeaderBytes = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxBodyBytes() const { return d->maxBodyBytes; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxBodyBytes(qint64 value)
{
    d->maxBodyBytes = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxDecompressedBytes() const { return d->maxDecompressedBytes; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxDecompressedBytes(qint64 value)
{
    d->maxDecompressedBytes = value;
    return *this;
}

int LokiReceiver::Limits::maxStreamsPerPush() const { return d->maxStreamsPerPush; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxStreamsPerPush(int value)
{
    d->maxStreamsPerPush = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxEntriesPerPush() const { return d->maxEntriesPerPush; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxEntriesPerPush(qint64 value)
{
    d->maxEntriesPerPush = value;
    return *this;
}

qint64 LokiReceiver::Limits::maxStoredBytes() const { return d->maxStoredBytes; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxStoredBytes(qint64 value)
{
    d->maxStoredBytes = value;
    return *this;
}

int LokiReceiver::Limits::maxEntriesLimitPerQuery() const { return d->maxEntriesLimitPerQuery; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxEntriesLimitPerQuery(int value)
{
    d->maxEntriesLimitPerQuery = value;
    return *this;
}

int LokiReceiver::Limits::maxConnections() const { return d->maxConnections; }

LokiReceiver::Limits &LokiReceiver::Limits::setMaxConnections(int value)
{
    d->maxConnections = value;
    return *this;
}

std::chrono::milliseconds LokiReceiver::Limits::idleTimeout() const { return d->idleTimeout; }

LokiReceiver::Limits &LokiReceiver::Limits::setIdleTimeout(std::chrono::milliseconds value)
{
    d->idleTimeout = value;
    return *this;
}
