// SPDX-License-Identifier: MIT
#include "soakshared.h"

#include <QLoki/LokiStats>

#include <QtCore/QFile>

#include <cerrno>
#include <cstring>
#include <new>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace soak {

static_assert(std::atomic<quint64>::is_always_lock_free && std::atomic<qint64>::is_always_lock_free
                      && std::atomic<quint32>::is_always_lock_free,
              "the shared block needs address-free atomics");
static_assert(DropReasons == QLoki::DropReasonCount, "StatsSlot has one counter per reason");

quint64 StatsSlot::droppedTotal() const
{
    quint64 n = 0;
    for (quint64 v : dropped)
        n += v;
    return n;
}

void StatsSlot::fill(const LokiStats &stats, qint64 nowMs)
{
    accepted = stats.accepted();
    delivered = stats.delivered();
    pending = stats.pending();
    spooled = stats.spooled();
    replayed = stats.replayed();
    buffered = stats.buffered();
    retries = stats.retries();
    batchesFailed = stats.batchesFailed();
    for (int i = 0; i < DropReasons; ++i)
        dropped[i] = stats.dropped(QLoki::DropReason(i));
    bytesHeld = stats.bytesHeld();
    capacity = stats.capacity();
    takenAtMs = nowMs;
    state = qint32(stats.state());
}

StatsSlot SharedBlock::latest() const
{
    const quint32 n = published.load(std::memory_order_acquire);
    if (n == 0)
        return StatsSlot();
    return snapshots[(n - 1) % 2];
}

void SharedBlock::publish(const StatsSlot &slot)
{
    const quint32 n = published.load(std::memory_order_relaxed);
    snapshots[n % 2] = slot;
    published.store(n + 1, std::memory_order_release);
}

SharedFile::~SharedFile() { close(); }

bool SharedFile::create(const QString &path)
{
    close();
    const int fd = ::open(QFile::encodeName(path).constData(),
                          O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::ftruncate(fd, sizeof(SharedBlock)) != 0) {
        m_error = QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    if (!map(fd, path))
        return false;
    // A fresh file reads as zeros; the objects are constructed over them once, here.
    m_block = new (m_block) SharedBlock();
    m_block->magic = SharedBlock::Magic;
    m_block->version = 1;
    return true;
}

bool SharedFile::open(const QString &path)
{
    close();
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        m_error = QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (!map(fd, path))
        return false;
    if (m_block->magic != SharedBlock::Magic) {
        m_error = QStringLiteral("%1: not a soak block").arg(path);
        close();
        return false;
    }
    return true;
}

bool SharedFile::map(int fd, const QString &path)
{
    void *p = ::mmap(nullptr, sizeof(SharedBlock), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    const int error = errno;
    ::close(fd);
    if (p == MAP_FAILED) {
        m_error = QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(error)));
        return false;
    }
    m_block = static_cast<SharedBlock *>(p);
    return true;
}

void SharedFile::close()
{
    if (m_block)
        ::munmap(m_block, sizeof(SharedBlock));
    m_block = nullptr;
}

} // namespace soak
