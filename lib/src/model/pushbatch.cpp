// SPDX-License-Identifier: MIT
#include "model/pushbatch_p.h"

#include "encoding/utf8_p.h"

#include <algorithm>

namespace QLoki::detail {

WireEntry::WireEntry(qint64 ns, QStringView line, const LabelList &metadata,
                     const QList<ValueKind> *kinds)
    : timestampNs(ns)
{
    const bool typed = kinds && kinds->size() == metadata.size()
            && std::any_of(kinds->cbegin(), kinds->cend(),
                           [](ValueKind k) { return k != ValueKind::Text; });
    const qsizetype lineBytes = Utf8::size(line);
    qsizetype total = lineBytes;
    for (const auto &pair : metadata) {
        const qsizetype name = Utf8::size(pair.first);
        const qsizetype value = Utf8::size(pair.second);
        total += varintSize(quint64(name)) + name + varintSize(quint64(value)) + value;
    }
    if (typed)
        total += metadata.size();
    char *begin = nullptr;
    SharedBytes data = SharedBytes::allocate(total, &begin);
    char *out = Utf8::write(begin, line);
    for (const auto &pair : metadata) {
        out = writeVarint(out, quint64(Utf8::size(pair.first)));
        out = Utf8::write(out, pair.first);
        out = writeVarint(out, quint64(Utf8::size(pair.second)));
        out = Utf8::write(out, pair.second);
    }
    if (typed) {
        for (ValueKind kind : *kinds)
            *out++ = char(kind);
    }
    Q_ASSERT(out == begin + total);
    Q_UNUSED(out);
    m_data = std::move(data);
    m_lineBytes = qint32(lineBytes);
    m_metadataCount = qint32(metadata.size());
}

WireEntry WireEntry::fromEncoded(qint64 ns, SharedBytes data, qsizetype lineBytes,
                                 int metadataCount)
{
    WireEntry e;
    e.timestampNs = ns;
    e.m_data = std::move(data);
    e.m_lineBytes = qint32(lineBytes);
    e.m_metadataCount = metadataCount;
    return e;
}

QString WireEntry::lineText() const { return Utf8::decode(line()); }

LabelList WireEntry::metadataList() const
{
    LabelList list;
    list.reserve(m_metadataCount);
    forEachMetadata([&list](QByteArrayView name, QByteArrayView value) {
        list.append({Utf8::decode(name), Utf8::decode(value)});
    });
    return list;
}

void WireEntry::setLine(QByteArrayView utf8)
{
    const qsizetype rest = m_data.size() - m_lineBytes;
    char *out = nullptr;
    SharedBytes data = SharedBytes::allocate(utf8.size() + rest, &out);
    if (!utf8.isEmpty())
        memcpy(out, utf8.data(), std::size_t(utf8.size()));
    if (rest > 0)
        memcpy(out + utf8.size(), m_data.data() + m_lineBytes, std::size_t(rest));
    m_data = std::move(data);
    m_lineBytes = qint32(utf8.size());
}

void WireEntry::setLineWithoutMetadata(QByteArrayView utf8)
{
    m_data = SharedBytes::copy(utf8.data(), utf8.size());
    m_lineBytes = qint32(utf8.size());
    m_metadataCount = 0;
}

} // namespace QLoki::detail
