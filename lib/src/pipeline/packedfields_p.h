// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokifield.h>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QVariant>
#include <QtCore/QVariantMap>

#include <initializer_list>

namespace QLoki::detail {

/*!
    A logging call's braced field list, copied in one block so that the caller pays for no
    map, QVariant or QString per field; the sender thread unpacks it into the QVariantMap the
    same pairs would have made, so both call forms give the same entry.

    The logging call's line may lead the block, in UTF-8 (see lineSize): made on the
    caller's thread while the line is in its cache, it is half its UTF-16 in memory, the
    caller's string is not held (nor freed on the sender thread), and the sender reads one
    block instead of three places.

    Layout of `bytes` after the line, field after field (native byte order, read with
    memcpy): the kind
    (LokiField::Kind), the key as a varint of its length in code units and its encoding
    (length * 4 + encoding) and its data, then the value: one byte for Bool, 8 bytes for Int,
    UInt and Double, varint and data for Text as for the key, a varint length and the bytes
    for ByteArray, an index into `variants` for Variant.
*/
struct PackedFields
{
    QByteArray bytes;
    QList<QVariant> variants; //!< the Variant fields' values, copied (rare)
    //! The line's UTF-8 at the start of `bytes` (then PendingEntry::line is empty), or -1.
    //! 32 bits, as the line limit (an int) bounds a line packed here: the entry stays at 128
    //! bytes, four to a node of the queue's deque.
    qint32 lineSize = -1;
    qint32 fieldsAt = 0; //!< where the fields start in `bytes`

    //! Nothing packed: neither a line nor fields.
    bool isEmpty() const { return bytes.isEmpty() && lineSize < 0; }
    bool hasLine() const { return lineSize >= 0; }
    QByteArrayView line() const { return QByteArrayView(bytes.constData(), lineSize); }
    QString lineText() const { return QString::fromUtf8(line()); }
    //! Forgets the line (the caller took it as text); the fields stay where they are.
    void dropLine();
    //! What the block holds in memory, for the queue's byte bound.
    qint64 heldBytes() const { return bytes.size() + qint64(variants.size()) * 32; }

    //! \a recycled: fill a block recycle() kept on this thread, when one fits (the
    //! context ring's calls; the others never look).
    static PackedFields pack(std::initializer_list<LokiField> fields, bool recycled = false);
    //! The same, with \a line ahead of the fields in UTF-8 (a lone surrogate as U+FFFD, as
    //! the sender would write it).
    static PackedFields pack(QStringView line, std::initializer_list<LokiField> fields,
                             bool recycled = false);
    /*!
        Keeps \a bytes (a block of this type that nothing else shares) for the next
        pack() calls of this thread to fill again, up to a few blocks; else frees it.
    */
    static void recycle(QByteArray &&bytes);
    //! The map the same pairs make (a key given twice keeps its last value).
    QVariantMap unpack() const;

    //! One field, read in place: views into `bytes`, valid while the block lives.
    struct View
    {
        LokiField::Kind kind = LokiField::Kind::Bool;
        QAnyStringView key;
        QAnyStringView text; //!< Text
        QByteArrayView byteArray; //!< ByteArray
        bool boolean = false;
        qint64 integer = 0;
        quint64 unsignedInteger = 0;
        double real = 0;
        int variant = -1; //!< Variant: the index into `variants`
    };
    //! Reads the field at \a *offset (0 for the first: the line is skipped) and moves it to
    //! the next; false at the end. The fields come in call order, a key given twice twice.
    bool next(qsizetype *offset, View *field) const;

private:
    static PackedFields packLine(const QStringView *line, std::initializer_list<LokiField> fields,
                                 bool recycled);
};

} // namespace QLoki::detail
