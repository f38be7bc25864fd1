// SPDX-License-Identifier: MIT
// The sender's redaction of secrets (Redactor with its built-in rules) on any line and a few
// metadata pairs, as a QVariantMap of fields, as labels and as a braced field list.
//
// An input is one byte of set-up, then the line, then up to three keys and values, each
// piece ended by a 0xff byte (the last by the end of the input):
// - bits 0-1: the replacement: [REDACTED], ***, <secret>, or none (secrets are removed);
// - bits 2-3: how the text is given: UTF-8, UTF-16 (native order; an odd last byte is
//   dropped), Latin-1, or UTF-8 made a QString before the field list is packed.
//
// What holds for any text:
// - redactText() says whether the text changed, and the pre-check (candidates()) never
//   misses: the built-in rules without it change exactly what they change with it (so a
//   line that candidates() lets through holds nothing the rules find);
// - with a replacement, redacted text stays as it is: the rules, with or without the
//   pre-check, find nothing more in it;
// - an entry's line and values are redacted as redactText() redacts them, a value named
//   like a secret is replaced whole, labels as metadata; a braced field list comes to the
//   same as the QVariantMap of the same pairs, and says so when it changed.
#include "fuzzsupport.h"

#include "pipeline/redactor_p.h"

#include <cstring>
#include <vector>

using namespace QLoki;
using namespace QLoki::detail;

namespace {

enum class Encoding { Utf8, Utf16, Latin1, Utf8AsQString };

// One piece of text: the caller's bytes, and the QString a field made of them reads as.
struct Piece
{
    QByteArray bytes;
    QString text;
};

Piece makePiece(const QByteArray &bytes, Encoding encoding)
{
    Piece p {bytes, {}};
    switch (encoding) {
    case Encoding::Utf16:
        p.bytes.chop(p.bytes.size() % 2);
        p.text.resize(p.bytes.size() / 2);
        std::memcpy(p.text.data(), p.bytes.constData(), size_t(p.bytes.size()));
        break;
    case Encoding::Latin1:
        p.text = QString::fromLatin1(p.bytes);
        break;
    case Encoding::Utf8:
    case Encoding::Utf8AsQString:
        p.text = QString::fromUtf8(p.bytes);
        break;
    }
    return p;
}

// The field a braced list makes of a key and a value given so.
LokiField field(const Piece &key, const Piece &value, Encoding encoding)
{
    switch (encoding) {
    case Encoding::Utf8:
        return {QUtf8StringView(key.bytes.constData(), key.bytes.size()),
                QUtf8StringView(value.bytes.constData(), value.bytes.size())};
    case Encoding::Latin1:
        return {QLatin1String(key.bytes.constData(), key.bytes.size()),
                QLatin1String(value.bytes.constData(), value.bytes.size())};
    case Encoding::Utf16:
    case Encoding::Utf8AsQString:
        break;
    }
    return {QStringView(key.text), QStringView(value.text)};
}

PackedFields pack(const std::vector<LokiField> &f)
{
    switch (f.size()) {
    case 0:
        return {};
    case 1:
        return PackedFields::pack({f[0]});
    case 2:
        return PackedFields::pack({f[0], f[1]});
    default:
        return PackedFields::pack({f[0], f[1], f[2]});
    }
}

QByteArray show(const QString &text)
{
    // UTF-16 units in hex as well: lone surrogates do not survive toUtf8().
    const QByteArray units(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
    return '"' + text.toUtf8().left(400) + "\" (UTF-16 " + units.left(400).toHex() + ')';
}

// redactText() on \a text, with its invariants; returns the redacted text.
QString checkText(const Redactor &redactor, const QString &text, bool idempotent)
{
    QString redacted = text;
    const bool changed = redactor.redactText(&redacted);
    FUZZ_CHECK(changed == (redacted != text),
               "redactText() says " + QByteArray(changed ? "changed" : "unchanged") + " for "
                       + show(text) + " -> " + show(redacted));
    QString unchecked = text;
    redactor.redactText(&unchecked, Redactor::AllFamilies);
    FUZZ_CHECK(Redactor::candidates(text) != 0 || unchecked == text,
               "candidates() is 0, yet the rules redact " + show(text) + " -> " + show(unchecked));
    FUZZ_CHECK(unchecked == redacted,
               "the pre-check (candidates() " + QByteArray::number(Redactor::candidates(text))
                       + ") missed a rule: " + show(text) + " -> " + show(redacted) + " instead of "
                       + show(unchecked));
    if (idempotent) {
        QString again = redacted;
        FUZZ_CHECK(!redactor.redactText(&again) && again == redacted,
                   "redacting twice changed " + show(redacted) + " -> " + show(again) + " (from "
                           + show(text) + ')');
        FUZZ_CHECK(!redactor.redactText(&again, Redactor::AllFamilies) && again == redacted,
                   "the rules find a secret in redacted text " + show(redacted) + " -> "
                           + show(again) + " (from " + show(text) + ')');
    }
    return redacted;
}

void run(const QByteArray &input)
{
    if (input.isEmpty())
        return;
    const auto setup = quint8(input.at(0));
    static const char *const replacements[] = {"[REDACTED]", "***", "<secret>", ""};
    const QString replacement = QString::fromLatin1(replacements[setup & 3]);
    const auto encoding = Encoding((setup >> 2) & 3);
    // Removing a secret without a trace may join what was around it into a new shape (the
    // word "Bearer" and the next word): only a replacement keeps redacted text as it is.
    const bool idempotent = !replacement.isEmpty();

    const QList<QByteArray> split = input.mid(1).split('\xff');
    std::vector<Piece> pieces;
    for (qsizetype i = 0; i < split.size() && i < 7; ++i)
        pieces.push_back(makePiece(split.at(i), encoding));
    while (pieces.size() % 2 == 0)
        pieces.push_back(makePiece({}, encoding)); // a key without a value
    const Redactor redactor(true, {}, replacement);

    const QString line = checkText(redactor, pieces[0].text, idempotent);
    QVariantMap fields;
    QMap<QString, QString> labels;
    std::vector<LokiField> list;
    for (size_t i = 1; i + 1 < pieces.size(); i += 2) {
        fields.insert(pieces[i].text, pieces[i + 1].text);
        labels.insert(pieces[i].text, pieces[i + 1].text);
        list.push_back(field(pieces[i], pieces[i + 1], encoding));
    }
    // What each value must become.
    QVariantMap expected;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        const QString value = it.value().toString();
        if (Redactor::isSecretName(it.key()))
            expected.insert(it.key(), value.isEmpty() ? value : replacement);
        else
            expected.insert(it.key(), checkText(redactor, value, idempotent));
    }
    const bool valuesChange = expected != fields;

    PendingEntry mapped;
    mapped.explicitLabels = true;
    mapped.line = pieces[0].text;
    mapped.fields = fields;
    mapped.labels = labels;
    const bool mappedChanged = redactor.redactEntry(&mapped);
    FUZZ_CHECK(mapped.line == line, "the entry's line " + show(mapped.line));
    FUZZ_CHECK(mapped.fields == expected, "the entry's fields were redacted otherwise");
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        FUZZ_CHECK(mapped.labels.value(it.key()) == it.value().toString(),
                   "the label " + show(it.key()) + " is " + show(mapped.labels.value(it.key())));
    }
    FUZZ_CHECK(mappedChanged == (line != pieces[0].text || valuesChange),
               "redactEntry() says " + QByteArray(mappedChanged ? "changed" : "unchanged"));

    PendingEntry packed;
    packed.line = pieces[0].text;
    packed.packed = pack(list);
    FUZZ_CHECK(packed.packed.unpack() == fields, "the field list does not read as its map");
    const bool packedChanged = redactor.redactEntry(&packed);
    const QVariantMap packedFields =
            packed.packed.isEmpty() ? packed.fields : packed.packed.unpack();
    FUZZ_CHECK(packedFields == expected,
               "the field list was redacted otherwise than its map (its pre-check missed?)");
    FUZZ_CHECK(packed.line == line && packedChanged == mappedChanged,
               "the field list's entry says "
                       + QByteArray(packedChanged ? "changed" : "unchanged"));

    if (idempotent) {
        FUZZ_CHECK(!redactor.redactEntry(&mapped) && mapped.fields == expected,
                   "redacting an entry twice changed it");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(FuzzSupport::bytes(data, size));
    return 0;
}
