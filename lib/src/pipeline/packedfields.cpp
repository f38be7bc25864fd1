// SPDX-License-Identifier: MIT
#include "encoding/utf8_p.h"
#include "model/pushbatch_p.h"
#include "packedfields_p.h"
#include "pipeline/threadlocal_p.h"

#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

namespace QLoki::detail {

namespace {

enum class Encoding : quint8 { Latin1, Utf8, Utf16 };

Encoding encodingOf(QAnyStringView text)
{
    return text.visit([](auto view) {
        using View = decltype(view);
        if constexpr (std::is_same_v<View, QStringView>)
            return Encoding::Utf16;
        else if constexpr (std::is_same_v<View, QLatin1String>)
            return Encoding::Latin1;
        else
            return Encoding::Utf8;
    });
}

// The header of a text: its length in code units and its encoding as one varint (length
// times four plus the encoding: a byte for up to 31 units, as keys and most values are).
// UTF-16 data starts at an even offset of the block (a padding byte before it where
// needed), so that it is read in place as char16_t: the block's own data is aligned.
quint64 textHeader(QAnyStringView text)
{
    return (quint64(text.size()) << 2) | quint64(encodingOf(text));
}

Encoding encodingIn(quint64 header) { return Encoding(header & 3); }

// The bytes of \a text written at offset \a at.
qsizetype textBytes(qsizetype at, QAnyStringView text)
{
    const quint64 header = textHeader(text);
    const qsizetype headerBytes = WireEntry::varintSize(header);
    const qsizetype pad = encodingIn(header) == Encoding::Utf16 ? ((at + headerBytes) & 1) : 0;
    return headerBytes + pad + text.size_bytes();
}

class Writer
{
public:
    explicit Writer(char *at)
        : m_begin(at)
        , m_at(at)
    { }

    void byte(quint8 value) { *m_at++ = char(value); }
    void skip(qsizetype size) { m_at += size; }
    template<typename T>
    void raw(T value)
    {
        std::memcpy(m_at, &value, sizeof value);
        m_at += sizeof value;
    }
    void bytes(const void *data, qsizetype size)
    {
        if (size > 0)
            std::memcpy(m_at, data, size_t(size));
        m_at += size;
    }
    void varint(quint64 value) { m_at = WireEntry::writeVarint(m_at, value); }
    void text(QAnyStringView text)
    {
        const quint64 header = textHeader(text);
        varint(header);
        if (encodingIn(header) == Encoding::Utf16 && ((m_at - m_begin) & 1))
            byte(0);
        bytes(text.data(), text.size_bytes());
    }

private:
    char *m_begin;
    char *m_at;
};

class Reader
{
public:
    Reader(const char *begin, const char *at, const char *end)
        : m_begin(begin)
        , m_at(at)
        , m_end(end)
    { }

    bool atEnd() const { return m_at >= m_end; }
    quint8 byte() { return quint8(*m_at++); }
    template<typename T>
    T raw()
    {
        T value;
        std::memcpy(&value, m_at, sizeof value);
        m_at += sizeof value;
        return value;
    }
    qsizetype varint() { return WireEntry::readVarint(m_at); }
    // The header of a text; moves to its data, past the padding before UTF-16.
    std::pair<Encoding, qsizetype> textHeader()
    {
        const auto header = quint64(varint());
        const Encoding encoding = encodingIn(header);
        const auto size = qsizetype(header >> 2);
        if (encoding == Encoding::Utf16)
            m_at += (m_at - m_begin) & 1;
        return {encoding, size};
    }
    QString text()
    {
        const QAnyStringView view = textView();
        return view.toString();
    }
    QAnyStringView textView()
    {
        const auto [encoding, size] = textHeader();
        const char *data = m_at;
        switch (encoding) {
        case Encoding::Latin1:
            m_at += size;
            return QLatin1String(data, size);
        case Encoding::Utf8:
            m_at += size;
            return QUtf8StringView(data, size);
        case Encoding::Utf16:
            m_at += size * qsizetype(sizeof(char16_t));
            return QStringView(reinterpret_cast<const char16_t *>(data), size);
        }
        return {};
    }
    QByteArrayView byteArrayView()
    {
        const qsizetype size = varint();
        const char *data = m_at;
        m_at += size;
        return QByteArrayView(data, size);
    }
    const char *at() const { return m_at; }
    QByteArray byteArray()
    {
        const qsizetype size = varint();
        const char *data = m_at;
        m_at += size;
        return QByteArray(data, size);
    }

private:
    const char *m_begin;
    const char *m_at;
    const char *m_end;
};

} // namespace

void PackedFields::dropLine()
{
    lineSize = -1;
    if (fieldsAt >= bytes.size()) {
        bytes.clear();
        fieldsAt = 0;
    }
}

bool PackedFields::next(qsizetype *offset, View *field) const
{
    *offset = qMax(*offset, qsizetype(fieldsAt));
    if (*offset >= bytes.size())
        return false;
    const char *const begin = bytes.constData();
    Reader r(begin, begin + *offset, begin + bytes.size());
    field->kind = LokiField::Kind(r.byte());
    field->key = r.textView();
    switch (field->kind) {
    case LokiField::Kind::Bool:
        field->boolean = r.byte() != 0;
        break;
    case LokiField::Kind::Int:
        field->integer = r.raw<qint64>();
        break;
    case LokiField::Kind::UInt:
        field->unsignedInteger = r.raw<quint64>();
        break;
    case LokiField::Kind::Double:
        field->real = r.raw<double>();
        break;
    case LokiField::Kind::Text:
        field->text = r.textView();
        break;
    case LokiField::Kind::ByteArray:
        field->byteArray = r.byteArrayView();
        break;
    case LokiField::Kind::Variant:
        field->variant = r.raw<qint32>();
        break;
    }
    *offset = r.at() - begin;
    return true;
}

namespace {

// Blocks this thread may fill again (see recycle()): the context ring's steady state makes
// a block per call and lets one go per call, so a full ring allocates none.
constexpr std::size_t RecycledMax = 32;
// A block is taken for a field list this much smaller at most, so that the queue's byte
// count (the size) stays close to what the block holds.
constexpr qsizetype RecycledSlack = 128;
struct RecycledBlocks
{
    std::vector<QByteArray> blocks;
};
using Recycled = PerThread<RecycledBlocks>;

} // namespace

void PackedFields::recycle(QByteArray &&bytes)
{
    QByteArray block = std::move(bytes);
    RecycledBlocks *const kept = Recycled::get();
    if (kept && block.isDetached() && block.capacity() > 0 && kept->blocks.size() < RecycledMax)
        kept->blocks.push_back(std::move(block));
}

PackedFields PackedFields::pack(std::initializer_list<LokiField> fields, bool recycled)
{
    return packLine(nullptr, fields, recycled);
}

PackedFields PackedFields::pack(QStringView line, std::initializer_list<LokiField> fields,
                                bool recycled)
{
    return packLine(&line, fields, recycled);
}

PackedFields PackedFields::packLine(const QStringView *line,
                                    std::initializer_list<LokiField> fields, bool recycled)
{
    PackedFields packed;
    if (fields.size() == 0 && !line)
        return packed;
    const qsizetype lineSize = line ? Utf8::size(*line) : 0;
    qsizetype size = lineSize;
    qsizetype variants = 0;
    for (const LokiField &field : fields) {
        size += 1;
        size += textBytes(size, field.key());
        switch (field.kind()) {
        case LokiField::Kind::Bool:
            size += 1;
            break;
        case LokiField::Kind::Int:
        case LokiField::Kind::UInt:
        case LokiField::Kind::Double:
            size += 8;
            break;
        case LokiField::Kind::Text:
            size += textBytes(size, field.textValue());
            break;
        case LokiField::Kind::ByteArray:
            size += WireEntry::varintSize(quint64(field.byteArrayValue().size()))
                    + field.byteArrayValue().size();
            break;
        case LokiField::Kind::Variant:
            size += qsizetype(sizeof(qint32));
            ++variants;
            break;
        }
    }
    RecycledBlocks *const kept = recycled ? Recycled::get() : nullptr;
    if (kept && !kept->blocks.empty()) {
        // The last block kept, or none: one that does not fit is freed, so that blocks of
        // another size never stay in the way.
        std::vector<QByteArray> &blocks = kept->blocks;
        const qsizetype room = blocks.back().capacity();
        if (room >= size && room <= size + RecycledSlack)
            packed.bytes = std::move(blocks.back());
        blocks.pop_back();
    }
    packed.bytes.resize(size); // within the capacity of a recycled block: no allocation
    if (variants > 0)
        packed.variants.reserve(variants);
    Writer w(packed.bytes.data());
    if (line) {
        Utf8::write(packed.bytes.data(), *line);
        w.skip(lineSize);
        packed.lineSize = packed.fieldsAt = qint32(lineSize);
    }
    for (const LokiField &field : fields) {
        w.byte(quint8(field.kind()));
        w.text(field.key());
        switch (field.kind()) {
        case LokiField::Kind::Bool:
            w.byte(field.boolValue() ? 1 : 0);
            break;
        case LokiField::Kind::Int:
            w.raw(field.intValue());
            break;
        case LokiField::Kind::UInt:
            w.raw(field.uintValue());
            break;
        case LokiField::Kind::Double:
            w.raw(field.doubleValue());
            break;
        case LokiField::Kind::Text:
            w.text(field.textValue());
            break;
        case LokiField::Kind::ByteArray: {
            const QByteArray &bytes = field.byteArrayValue();
            w.varint(quint64(bytes.size()));
            w.bytes(bytes.constData(), bytes.size());
            break;
        }
        case LokiField::Kind::Variant:
            w.raw(qint32(packed.variants.size()));
            packed.variants.append(field.variantValue());
            break;
        }
    }
    return packed;
}

QVariantMap PackedFields::unpack() const
{
    QVariantMap map;
    Reader r(bytes.constData(), bytes.constData() + fieldsAt, bytes.constData() + bytes.size());
    while (!r.atEnd()) {
        const auto kind = LokiField::Kind(r.byte());
        QString key = r.text();
        QVariant value;
        switch (kind) {
        case LokiField::Kind::Bool:
            value = QVariant(r.byte() != 0);
            break;
        case LokiField::Kind::Int:
            value = QVariant(r.raw<qint64>());
            break;
        case LokiField::Kind::UInt:
            value = QVariant(r.raw<quint64>());
            break;
        case LokiField::Kind::Double:
            value = QVariant(r.raw<double>());
            break;
        case LokiField::Kind::Text:
            value = QVariant(r.text());
            break;
        case LokiField::Kind::ByteArray:
            value = QVariant(r.byteArray());
            break;
        case LokiField::Kind::Variant:
            value = variants.value(r.raw<qint32>());
            break;
        }
        map.insert(std::move(key), std::move(value));
    }
    return map;
}

} // namespace QLoki::detail
