// SPDX-License-Identifier: MIT
#include "transport/otlpanswer_p.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <optional>

namespace QLoki::detail {

namespace {

bool isProtobuf(const QByteArray &contentType)
{
    return contentType.split(';').constFirst().trimmed().toLower() == "application/x-protobuf";
}

bool isJson(const QByteArray &contentType)
{
    return contentType.split(';').constFirst().trimmed().toLower() == "application/json";
}

// Reads protobuf fields one after the other; stops (fails) at anything malformed.
class FieldReader
{
public:
    explicit FieldReader(QByteArrayView data)
        : m_p(data.data())
        , m_end(data.data() + data.size())
    { }

    bool atEnd() const { return m_p == m_end; }
    bool failed() const { return m_failed; }

    //! The next field: its number and wire type; false at the end or on an error.
    bool next(int *field, int *wireType)
    {
        if (atEnd() || m_failed)
            return false;
        const auto tag = varint();
        if (!tag)
            return false;
        *field = int(*tag >> 3);
        *wireType = int(*tag & 7);
        return true;
    }
    std::optional<quint64> varint()
    {
        quint64 v = 0;
        for (int shift = 0; shift < 64 && m_p != m_end; shift += 7) {
            const quint8 b = quint8(*m_p++);
            v |= quint64(b & 0x7F) << shift;
            if (b < 0x80)
                return v;
        }
        m_failed = true;
        return std::nullopt;
    }
    std::optional<QByteArrayView> bytes()
    {
        const auto n = varint();
        if (!n || *n > quint64(m_end - m_p)) {
            m_failed = true;
            return std::nullopt;
        }
        const QByteArrayView v(m_p, qsizetype(*n));
        m_p += *n;
        return v;
    }
    bool skip(int wireType)
    {
        switch (wireType) {
        case 0:
            return varint().has_value();
        case 1:
        case 5: {
            const qsizetype n = wireType == 1 ? 8 : 4;
            if (m_end - m_p < n)
                return !(m_failed = true);
            m_p += n;
            return true;
        }
        case 2:
            return bytes().has_value();
        default:
            m_failed = true;
            return false;
        }
    }

private:
    const char *m_p;
    const char *m_end;
    bool m_failed = false;
};

// The string field \a wanted (wire type 2) of a message; nullopt when absent or malformed.
std::optional<QByteArrayView> stringField(QByteArrayView message, int wanted)
{
    FieldReader r(message);
    int field = 0;
    int type = 0;
    std::optional<QByteArrayView> found;
    while (r.next(&field, &type)) {
        if (field == wanted && type == 2) {
            found = r.bytes();
        } else if (!r.skip(type)) {
            return std::nullopt;
        }
    }
    return r.failed() ? std::nullopt : found;
}

qint64 jsonInt(const QJsonValue &v)
{
    // proto3 JSON writes int64 as a string, and reads either.
    if (v.isString())
        return v.toString().toLongLong();
    return v.toInteger();
}

} // namespace

OtlpPartialSuccess readOtlpPartialSuccess(const QByteArray &body, const QByteArray &contentType)
{
    OtlpPartialSuccess result;
    if (body.isEmpty())
        return result;
    if (isJson(contentType)) {
        const QJsonObject response = QJsonDocument::fromJson(body).object();
        QJsonObject partial = response.value(QLatin1String("partialSuccess")).toObject();
        if (partial.isEmpty())
            partial = response.value(QLatin1String("partial_success")).toObject();
        QJsonValue rejected = partial.value(QLatin1String("rejectedLogRecords"));
        if (rejected.isUndefined())
            rejected = partial.value(QLatin1String("rejected_log_records"));
        QJsonValue message = partial.value(QLatin1String("errorMessage"));
        if (message.isUndefined())
            message = partial.value(QLatin1String("error_message"));
        result.rejected = qMax<qint64>(0, jsonInt(rejected));
        result.message = message.toString();
        return result;
    }
    // ExportLogsServiceResponse: partial_success = 1; ExportLogsPartialSuccess:
    // rejected_log_records = 1 (int64), error_message = 2.
    const auto partial = stringField(body, 1);
    if (!partial)
        return result;
    FieldReader r(*partial);
    int field = 0;
    int type = 0;
    while (r.next(&field, &type)) {
        if (field == 1 && type == 0) {
            const auto v = r.varint();
            if (v)
                result.rejected = qMax<qint64>(0, qint64(*v));
        } else if (field == 2 && type == 2) {
            const auto v = r.bytes();
            if (v)
                result.message = QString::fromUtf8(*v);
        } else if (!r.skip(type)) {
            break;
        }
    }
    if (r.failed())
        return {};
    return result;
}

QString otlpStatusMessage(const QByteArray &body, const QByteArray &contentType)
{
    if (isProtobuf(contentType)) {
        // google.rpc.Status: code = 1, message = 2, details = 3.
        const auto message = stringField(body, 2);
        return message ? QString::fromUtf8(*message) : QString();
    }
    if (isJson(contentType)) {
        const QJsonObject status = QJsonDocument::fromJson(body).object();
        return status.value(QLatin1String("message")).toString();
    }
    return QString();
}

} // namespace QLoki::detail
