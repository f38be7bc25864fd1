// SPDX-License-Identifier: MIT
// The block a soak client shares with its driver through a memory-mapped file: how many
// entries each producer has logged and the client's latest LokiStats. MAP_SHARED pages
// belong to the file, not to the process, so the driver reads them as the client left
// them, also after a SIGKILL.
#pragma once

#include <QtCore/QString>
#include <QtCore/QtGlobal>

#include <atomic>

class LokiStats;

namespace soak {

constexpr int MaxProducers = 16;
constexpr int DropReasons = 5; // QLoki::DropReasonCount, fixed here: the file layout

//! Where an entry came from: a logging call of the API, or a Qt message through the hook.
enum Source { ApiSource = 0, HookSource = 1, SourceCount = 2 };

//! One LokiStats snapshot, as plain numbers.
struct StatsSlot
{
    quint64 accepted = 0;
    quint64 delivered = 0;
    quint64 pending = 0;
    quint64 spooled = 0;
    quint64 replayed = 0;
    quint64 buffered = 0;
    quint64 retries = 0;
    quint64 batchesFailed = 0;
    quint64 dropped[DropReasons] = {};
    qint64 bytesHeld = 0;
    qint64 capacity = 0;
    qint64 takenAtMs = 0; //!< wall clock, ms since the epoch
    qint32 state = 0; //!< QLoki::State
    qint32 padding = 0;

    quint64 droppedTotal() const;
    void fill(const LokiStats &stats, qint64 nowMs);
};

struct SharedBlock
{
    static constexpr quint32 Magic = 0x4b414f53; // "SOAK"
    quint32 magic;
    quint32 version;
    std::atomic<qint64> pid;
    //! Entries whose logging call returned, per producer and source. Counted after the
    //! call, so an entry accepted in the instant of a SIGKILL may be one beyond.
    std::atomic<quint64> logged[MaxProducers][SourceCount];
    //! Slots are written alternately; this is 1 + the number of the last complete one
    //! (0: none yet), so a reader never sees a half-written snapshot as the latest.
    std::atomic<quint32> published;
    StatsSlot snapshots[2];
    //! 1 once the client shut its logger down (its last slot is its final count).
    std::atomic<quint32> finished;

    //! The last complete snapshot (all zero when none).
    StatsSlot latest() const;
    //! Writes \a slot as the next snapshot (one writer thread).
    void publish(const StatsSlot &slot);
};

/*!
    The file behind a SharedBlock, mapped into this process. The driver creates it (zeroed)
    before it starts a client; the client maps the same file to write it.
*/
class SharedFile
{
public:
    SharedFile() = default;
    ~SharedFile();
    SharedFile(const SharedFile &) = delete;
    SharedFile &operator=(const SharedFile &) = delete;

    //! Creates (or truncates) \a path and maps it; false with errorString() on failure.
    bool create(const QString &path);
    //! Maps the existing \a path.
    bool open(const QString &path);
    void close();
    SharedBlock *block() const { return m_block; }
    QString errorString() const { return m_error; }

private:
    bool map(int fd, const QString &path);
    SharedBlock *m_block = nullptr;
    QString m_error;
};

} // namespace soak
