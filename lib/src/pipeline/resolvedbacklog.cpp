// SPDX-License-Identifier: MIT
#include "pipeline/resolvedbacklog_p.h"

#include <cstring>

namespace QLoki::detail {

namespace {

// Differences as varints: small either way (seq and timestamp only grow in the queue, but
// nothing here relies on it).
quint64 zigzag(qint64 v) { return (quint64(v) << 1) ^ quint64(v >> 63); }
qint64 unzigzag(quint64 v) { return qint64(v >> 1) ^ -qint64(v & 1); }

// The most a header takes: six varints of at most ten bytes.
constexpr int MaxHeaderBytes = 6 * 10;

} // namespace

ResolvedBacklog::~ResolvedBacklog() { clear(); }

quint64 ResolvedBacklog::frontSeq() const
{
    return m_loose.empty() ? readHeader(m_blocks.front()).seq : m_loose.front().seq;
}

void ResolvedBacklog::pushBack(QueuedEntry &&entry)
{
    if (m_packed == 0 && int(m_loose.size()) < LooseEntries)
        m_loose.push_back(std::move(entry));
    else
        pack(std::move(entry)); // behind the packed ones, to keep the order
}

void ResolvedBacklog::pushFront(QueuedEntry &&entry) { m_loose.push_front(std::move(entry)); }

QueuedEntry ResolvedBacklog::takeFront()
{
    if (!m_loose.empty()) {
        QueuedEntry e = std::move(m_loose.front());
        m_loose.pop_front();
        return e;
    }
    const Block &block = m_blocks.front();
    const Header h = readHeader(block);
    QueuedEntry e;
    e.seq = h.seq;
    if (h.stream > 0)
        e.stream = m_streams[h.stream - 1];
    e.entry = WireEntry::fromEncoded(
            h.timestampNs,
            SharedBytes::copy(block.data + block.read + h.headerBytes, h.storageBytes), h.lineBytes,
            h.metadataCount);
    advance(h);
    return e;
}

qint64 ResolvedBacklog::dropFront()
{
    if (!m_loose.empty()) {
        const qint64 bytes = m_loose.front().heldBytes();
        m_loose.pop_front();
        return bytes;
    }
    const Header h = readHeader(m_blocks.front());
    advance(h);
    return h.storageBytes;
}

void ResolvedBacklog::clear()
{
    m_loose.clear();
    clearPacked();
}

void ResolvedBacklog::clearPacked()
{
    for (const Block &block : m_blocks)
        std::free(block.data);
    m_blocks.clear();
    m_packed = 0;
    m_writeSeq = m_readSeq = 0;
    m_writeTimestampNs = m_readTimestampNs = 0;
    m_streams.clear();
    m_streamIndex.clear();
}

ResolvedBacklog::Header ResolvedBacklog::readHeader(const Block &block) const
{
    const char *const begin = block.data + block.read;
    const char *p = begin;
    Header h;
    h.seq = m_readSeq + quint64(unzigzag(quint64(WireEntry::readVarint(p))));
    h.timestampNs = m_readTimestampNs + unzigzag(quint64(WireEntry::readVarint(p)));
    h.stream = quint32(WireEntry::readVarint(p));
    h.lineBytes = WireEntry::readVarint(p);
    h.metadataCount = int(WireEntry::readVarint(p));
    h.storageBytes = WireEntry::readVarint(p);
    h.headerBytes = p - begin;
    return h;
}

void ResolvedBacklog::advance(const Header &h)
{
    Block &block = m_blocks.front();
    block.read += h.headerBytes + h.storageBytes;
    m_readSeq = h.seq;
    m_readTimestampNs = h.timestampNs;
    if (--m_packed == 0) {
        clearPacked();
    } else if (block.read == block.used) {
        std::free(block.data);
        m_blocks.pop_front();
    }
}

void ResolvedBacklog::pack(QueuedEntry &&entry)
{
    const QByteArrayView bytes = entry.entry.storage();
    char header[MaxHeaderBytes];
    char *h = header;
    h = WireEntry::writeVarint(h, zigzag(qint64(entry.seq - m_writeSeq)));
    h = WireEntry::writeVarint(h, zigzag(entry.entry.timestampNs - m_writeTimestampNs));
    h = WireEntry::writeVarint(h, streamIndex(entry.stream));
    h = WireEntry::writeVarint(h, quint64(entry.entry.line().size()));
    h = WireEntry::writeVarint(h, quint64(entry.entry.metadataCount()));
    h = WireEntry::writeVarint(h, quint64(bytes.size()));
    const qsizetype headerBytes = h - header;
    const qsizetype need = headerBytes + bytes.size();
    if (m_blocks.empty() || m_blocks.back().capacity - m_blocks.back().used < need) {
        Block block;
        block.capacity = qMax(BlockBytes, need);
        block.data = static_cast<char *>(std::malloc(std::size_t(block.capacity)));
        if (!block.data)
            qBadAlloc();
        m_blocks.push_back(block);
    }
    Block &block = m_blocks.back();
    std::memcpy(block.data + block.used, header, std::size_t(headerBytes));
    if (!bytes.isEmpty())
        std::memcpy(block.data + block.used + headerBytes, bytes.data(), std::size_t(bytes.size()));
    block.used += need;
    m_writeSeq = entry.seq;
    m_writeTimestampNs = entry.entry.timestampNs;
    ++m_packed;
    // \a entry keeps its own allocation: its owner frees it (outside the queue's lock).
}

quint32 ResolvedBacklog::streamIndex(const StreamRef &stream)
{
    if (!stream)
        return 0;
    const auto it = m_streamIndex.constFind(stream.data());
    if (it != m_streamIndex.cend())
        return it.value();
    m_streams.push_back(stream);
    const quint32 index = quint32(m_streams.size());
    m_streamIndex.insert(stream.data(), index);
    return index;
}

} // namespace QLoki::detail
