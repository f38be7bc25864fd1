// SPDX-License-Identifier: MIT
#include "encoding/otlpjsonencoder_p.h"

#include "encoding/gzip_p.h"
#include "encoding/otlpmapping_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

#include <charconv>
#include <cmath>

namespace QLoki::detail {

namespace {

class JsonOut
{
public:
    explicit JsonOut(qsizetype expected) { m_out.reserve(expected); }

    void raw(QByteArrayView s) { m_out.append(s.data(), s.size()); }
    //! A JSON string of valid UTF-8: bytes from 0x80 up pass as they are.
    void string(QByteArrayView s)
    {
        static const char digits[] = "0123456789abcdef";
        m_out.append('"');
        const char *run = s.data();
        const char *const end = s.data() + s.size();
        for (const char *p = run; p != end; ++p) {
            const auto c = quint8(*p);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            m_out.append(run, p - run);
            run = p + 1;
            switch (c) {
            case '"':
                m_out.append("\\\"", 2);
                break;
            case '\\':
                m_out.append("\\\\", 2);
                break;
            case '\n':
                m_out.append("\\n", 2);
                break;
            case '\r':
                m_out.append("\\r", 2);
                break;
            case '\t':
                m_out.append("\\t", 2);
                break;
            default: {
                const char escaped[6] = {'\\', 'u', '0', '0', digits[c >> 4], digits[c & 15]};
                m_out.append(escaped, 6);
            }
            }
        }
        m_out.append(run, end - run);
        m_out.append('"');
    }
    //! A 64-bit integer as OTLP's JSON writes it: a string.
    void int64(qint64 v)
    {
        char buf[24];
        m_out.append('"');
        m_out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf);
        m_out.append('"');
    }
    void number(qint64 v)
    {
        char buf[24];
        m_out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf);
    }
    //! A double: shortest digits; non-finite ones as proto3 JSON's strings.
    void real(double d)
    {
        if (std::isnan(d)) {
            raw("\"NaN\"");
        } else if (std::isinf(d)) {
            raw(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            char buf[32];
            m_out.append(buf, std::to_chars(buf, buf + sizeof buf, d).ptr - buf);
        }
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};

void writeJson(JsonOut &out, const QJsonValue &v);

void writeKeyValue(JsonOut &out, QByteArrayView key, const QJsonValue &v)
{
    out.raw("{\"key\":");
    out.string(key);
    out.raw(",\"value\":");
    writeJson(out, v);
    out.raw("}");
}

// An AnyValue object for a JSON value.
void writeJson(JsonOut &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out.raw("{}");
        return;
    case QJsonValue::Bool:
        out.raw(v.toBool() ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
        return;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        const qint64 i = v.toInteger(std::numeric_limits<qint64>::min());
        if (i != std::numeric_limits<qint64>::min() || d == double(i)) {
            out.raw("{\"intValue\":");
            out.int64(i);
        } else {
            out.raw("{\"doubleValue\":");
            out.real(d);
        }
        out.raw("}");
        return;
    }
    case QJsonValue::String:
        out.raw("{\"stringValue\":");
        out.string(v.toString().toUtf8());
        out.raw("}");
        return;
    case QJsonValue::Array: {
        out.raw("{\"arrayValue\":{\"values\":[");
        bool first = true;
        for (const QJsonValue &item : v.toArray()) {
            if (!first)
                out.raw(",");
            first = false;
            writeJson(out, item);
        }
        out.raw("]}}");
        return;
    }
    case QJsonValue::Object: {
        out.raw("{\"kvlistValue\":{\"values\":[");
        const QJsonObject object = v.toObject();
        bool first = true;
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!first)
                out.raw(",");
            first = false;
            writeKeyValue(out, it.key().toUtf8(), it.value());
        }
        out.raw("]}}");
        return;
    }
    }
}

// An AnyValue object for a metadata value of \a kind; text when it does not read as one.
void writeValue(JsonOut &out, QByteArrayView text, ValueKind kind)
{
    switch (kind) {
    case ValueKind::Int:
        if (const auto i = Otlp::parseInt(text)) {
            out.raw("{\"intValue\":");
            out.int64(*i);
            out.raw("}");
            return;
        }
        break;
    case ValueKind::Double:
        if (const auto d = Otlp::parseDouble(text)) {
            out.raw("{\"doubleValue\":");
            out.real(*d);
            out.raw("}");
            return;
        }
        break;
    case ValueKind::Bool:
        if (text == "true" || text == "false") {
            out.raw(text == "true" ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
            return;
        }
        break;
    case ValueKind::List:
    case ValueKind::Map:
        if (const auto json = Otlp::parseJson(text)) {
            writeJson(out, *json);
            return;
        }
        break;
    case ValueKind::Text:
        break;
    }
    out.raw("{\"stringValue\":");
    out.string(text);
    out.raw("}");
}

void writeRecord(JsonOut &out, const Otlp::Record &record)
{
    const WireEntry &entry = *record.entry;
    const Otlp::Ids ids = Otlp::idsOf(entry);
    out.raw("{");
    if (entry.timestampNs) {
        out.raw("\"timeUnixNano\":");
        out.int64(entry.timestampNs);
        out.raw(",\"observedTimeUnixNano\":");
        out.int64(entry.timestampNs);
        out.raw(",");
    }
    out.raw("\"severityNumber\":");
    out.number(Otlp::severityNumber(record.level));
    out.raw(",\"severityText\":");
    out.string(levelName(record.level).toLatin1());
    out.raw(",\"body\":{\"stringValue\":");
    out.string(entry.line());
    out.raw("}");
    bool first = true;
    entry.forEachTypedMetadata([&](QByteArrayView name, QByteArrayView value, ValueKind kind) {
        if (Otlp::isIdPair(ids, name))
            return;
        out.raw(first ? ",\"attributes\":[" : ",");
        first = false;
        out.raw("{\"key\":");
        out.string(name);
        out.raw(",\"value\":");
        writeValue(out, value, kind);
        out.raw("}");
    });
    if (!first)
        out.raw("]");
    if (ids.hasTraceId) {
        out.raw(",\"traceId\":\"");
        out.raw(Otlp::hex(ids.traceId, 16));
        out.raw("\"");
    }
    if (ids.hasSpanId) {
        out.raw(",\"spanId\":\"");
        out.raw(Otlp::hex(ids.spanId, 8));
        out.raw("\"");
    }
    out.raw("}");
}

} // namespace

OtlpJsonEncoder::OtlpJsonEncoder(Compression compression)
    : m_compression(compression)
{ }

QByteArray OtlpJsonEncoder::contentType() const { return QByteArrayLiteral("application/json"); }

QByteArray OtlpJsonEncoder::contentEncoding() const
{
    return m_compression == Compression::Gzip ? QByteArrayLiteral("gzip") : QByteArray();
}

QByteArray OtlpJsonEncoder::encode(const PushBatch &batch) const
{
    const QByteArray body = serialize(batch);
    return m_compression == Compression::Gzip ? gzipCompress(body) : body;
}

QByteArray OtlpJsonEncoder::serialize(const PushBatch &batch)
{
    qsizetype expected = 32;
    for (const WireStream &stream : batch.streams) {
        for (const WireEntry &entry : stream.entries)
            expected += 200 + 2 * entry.storageBytes() + 48 * entry.metadataCount();
    }
    JsonOut out(expected);
    const QByteArray version(qlokiVersion());
    out.raw("{\"resourceLogs\":[");
    bool firstResource = true;
    for (const Otlp::Resource &resource : Otlp::layout(batch)) {
        out.raw(firstResource ? "{\"resource\":{\"attributes\":["
                              : ",{\"resource\":{\"attributes\":[");
        firstResource = false;
        bool first = true;
        for (const auto &attribute : resource.attributes) {
            if (!first)
                out.raw(",");
            first = false;
            out.raw("{\"key\":");
            out.string(attribute.first);
            out.raw(",\"value\":{\"stringValue\":");
            out.string(attribute.second);
            out.raw("}}");
        }
        out.raw("]},\"scopeLogs\":[");
        bool firstScope = true;
        for (const Otlp::Scope &scope : resource.scopes) {
            out.raw(firstScope ? "{\"scope\":{\"name\":" : ",{\"scope\":{\"name\":");
            firstScope = false;
            out.string(scope.name);
            out.raw(",\"version\":");
            out.string(version);
            out.raw("},\"logRecords\":[");
            bool firstRecord = true;
            for (const Otlp::Record &record : scope.records) {
                if (!firstRecord)
                    out.raw(",");
                firstRecord = false;
                writeRecord(out, record);
            }
            out.raw("]}");
        }
        out.raw("]}");
    }
    out.raw("]}");
    return out.take();
}

} // namespace QLoki::detail
