// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/qlokiglobal.h>

#include <QtCore/QAnyStringView>
#include <QtCore/QByteArray>
#include <QtCore/QLatin1String>
#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QVariant>

/*!
    One key and value of a logging call's braced field list, read exactly as the same pair
    in a QVariantMap would be (see LokiLogger::log()), without building the map:

    \code
    logger.info("payment", {{"label_component", "billing"}, {"user_id", id}, {"amount", 100.5}});
    \endcode

    A braced list of pairs binds to the `std::initializer_list<LokiField>` overloads of
    LokiLogger and of the Loki namespace before the QVariantMap ones, so such calls take
    this path as written. The call copies keys and values once into the entry, in one
    block: no map, no QVariant and no QString per field (a QVariant value is copied as it
    is). Values: bool, the integer types, float and double, `const char *` (UTF-8),
    QString, QStringView, QLatin1String, QByteArray, and anything a QVariant holds (dates,
    lists, maps...). As with QVariantMap, a key given twice keeps its last value.

    A LokiField only refers to its key and value: it lives in the argument list of one
    call, like QAnyStringView, and is not kept.
*/
class LokiField
{
public:
    //! What the value is; the order is part of the ABI.
    enum class Kind : quint8 { Bool, Int, UInt, Double, Text, ByteArray, Variant };

    LokiField(QAnyStringView key, bool value) noexcept
        : m_key(key)
        , m_kind(Kind::Bool)
    {
        m_number.boolean = value;
    }
    LokiField(QAnyStringView key, int value) noexcept
        : m_key(key)
        , m_kind(Kind::Int)
    {
        m_number.integer = value;
    }
    LokiField(QAnyStringView key, long value) noexcept
        : m_key(key)
        , m_kind(Kind::Int)
    {
        m_number.integer = value;
    }
    LokiField(QAnyStringView key, long long value) noexcept
        : m_key(key)
        , m_kind(Kind::Int)
    {
        m_number.integer = value;
    }
    LokiField(QAnyStringView key, unsigned int value) noexcept
        : m_key(key)
        , m_kind(Kind::UInt)
    {
        m_number.unsignedInteger = value;
    }
    LokiField(QAnyStringView key, unsigned long value) noexcept
        : m_key(key)
        , m_kind(Kind::UInt)
    {
        m_number.unsignedInteger = value;
    }
    LokiField(QAnyStringView key, unsigned long long value) noexcept
        : m_key(key)
        , m_kind(Kind::UInt)
    {
        m_number.unsignedInteger = value;
    }
    LokiField(QAnyStringView key, double value) noexcept
        : m_key(key)
        , m_kind(Kind::Double)
    {
        m_number.real = value;
    }
    //! \a value is UTF-8, as QString(const char *) reads it; null is an empty string.
    LokiField(QAnyStringView key, const char *value) noexcept
        : m_key(key)
        , m_text(QUtf8StringView(value))
        , m_kind(Kind::Text)
    { }
    LokiField(QAnyStringView key, const QString &value) noexcept
        : m_key(key)
        , m_text(value)
        , m_kind(Kind::Text)
    { }
    LokiField(QAnyStringView key, QStringView value) noexcept
        : m_key(key)
        , m_text(value)
        , m_kind(Kind::Text)
    { }
    LokiField(QAnyStringView key, QLatin1String value) noexcept
        : m_key(key)
        , m_text(value)
        , m_kind(Kind::Text)
    { }
    LokiField(QAnyStringView key, QUtf8StringView value) noexcept
        : m_key(key)
        , m_text(value)
        , m_kind(Kind::Text)
    { }
    LokiField(QAnyStringView key, char *value) noexcept
        : LokiField(key, static_cast<const char *>(value))
    { }
    //! Kept as bytes, as a QVariant holding a QByteArray is.
    LokiField(QAnyStringView key, const QByteArray &value) noexcept
        : m_key(key)
        , m_kind(Kind::ByteArray)
    {
        m_number.pointer = &value;
    }
    //! Any other value: dates, lists, maps, QJsonValue... (the QVariant is copied).
    LokiField(QAnyStringView key, const QVariant &value) noexcept
        : m_key(key)
        , m_kind(Kind::Variant)
    {
        m_number.pointer = &value;
    }
    //! Pointers other than `const char *` are refused rather than logged as `true`.
    template<typename T>
    LokiField(QAnyStringView key, T *value) = delete;

    QAnyStringView key() const noexcept { return m_key; }
    Kind kind() const noexcept { return m_kind; }
    bool boolValue() const noexcept { return m_number.boolean; }
    qint64 intValue() const noexcept { return m_number.integer; }
    quint64 uintValue() const noexcept { return m_number.unsignedInteger; }
    double doubleValue() const noexcept { return m_number.real; }
    //! The value of a Text field (Latin-1, UTF-8 or UTF-16, as given).
    QAnyStringView textValue() const noexcept { return m_text; }
    //! The value of a ByteArray field.
    const QByteArray &byteArrayValue() const noexcept
    {
        return *static_cast<const QByteArray *>(m_number.pointer);
    }
    //! The value of a Variant field.
    const QVariant &variantValue() const noexcept
    {
        return *static_cast<const QVariant *>(m_number.pointer);
    }

private:
    QAnyStringView m_key;
    QAnyStringView m_text;
    union {
        bool boolean;
        qint64 integer;
        quint64 unsignedInteger;
        double real;
        const void *pointer;
    } m_number {};
    Kind m_kind;
};
