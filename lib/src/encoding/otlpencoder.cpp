// SPDX-License-Identifier: MIT
#include "encoding/otlpencoder_p.h"

#include "encoding/gzip_p.h"
#include "encoding/otlpmapping_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

#include <cstring>
#include <vector>

namespace QLoki::detail {

namespace {

// Tags: (field number << 3) | wire type; 0 varint, 1 fixed64, 2 length-delimited.
namespace Tag {
constexpr char RequestResourceLogs = 0x0A; // ExportLogsServiceRequest.resource_logs = 1
constexpr char ResourceLogsResource = 0x0A; // ResourceLogs.resource = 1
constexpr char ResourceLogsScopeLogs = 0x12; // ResourceLogs.scope_logs = 2
constexpr char ResourceAttributes = 0x0A; // Resource.attributes = 1
constexpr char ScopeLogsScope = 0x0A; // ScopeLogs.scope = 1
constexpr char ScopeLogsRecords = 0x12; // ScopeLogs.log_records = 2
constexpr char ScopeName = 0x0A; // InstrumentationScope.name = 1
constexpr char ScopeVersion = 0x12; // InstrumentationScope.version = 2
constexpr char RecordTime = 0x09; // LogRecord.time_unix_nano = 1, fixed64
constexpr char RecordSeverityNumber = 0x10; // severity_number = 2
constexpr char RecordSeverityText = 0x1A; // severity_text = 3
constexpr char RecordBody = 0x2A; // body = 5
constexpr char RecordAttributes = 0x32; // attributes = 6
constexpr char RecordTraceId = 0x4A; // trace_id = 9
constexpr char RecordSpanId = 0x52; // span_id = 10
constexpr char RecordObservedTime = 0x59; // observed_time_unix_nano = 11, fixed64
constexpr char KeyValueKey = 0x0A; // KeyValue.key = 1
constexpr char KeyValueValue = 0x12; // KeyValue.value = 2
constexpr char AnyString = 0x0A; // AnyValue.string_value = 1
constexpr char AnyBool = 0x10; // bool_value = 2
constexpr char AnyInt = 0x18; // int_value = 3
constexpr char AnyDouble = 0x21; // double_value = 4, fixed64
constexpr char AnyArray = 0x2A; // array_value = 5
constexpr char AnyKvlist = 0x32; // kvlist_value = 6
constexpr char ListValues = 0x0A; // ArrayValue.values = 1, KeyValueList.values = 1
} // namespace Tag

/*
    A nested message's length precedes it, and is known only once the message is written:
    end() moves the message up behind its length (a few bytes, one move per nesting level,
    a small cost beside gzip or the network).
*/
class ProtoWriter
{
public:
    explicit ProtoWriter(qsizetype expected) { m_out.reserve(expected); }

    void begin(char tag)
    {
        m_out.append(tag);
        m_open.push_back(m_out.size());
    }
    void end()
    {
        const qsizetype start = m_open.back();
        m_open.pop_back();
        char prefix[10];
        const qsizetype n = WireEntry::writeVarint(prefix, quint64(m_out.size() - start)) - prefix;
        m_out.insert(start, prefix, n);
    }
    void varint(char tag, quint64 v)
    {
        m_out.append(tag);
        char buf[10];
        m_out.append(buf, WireEntry::writeVarint(buf, v) - buf);
    }
    void fixed64(char tag, quint64 v)
    {
        m_out.append(tag);
        char buf[8];
        for (int i = 0; i < 8; ++i)
            buf[i] = char(v >> (8 * i));
        m_out.append(buf, 8);
    }
    //! A length-delimited field, written also when empty (oneof members, repeated keys).
    void bytes(char tag, QByteArrayView s)
    {
        m_out.append(tag);
        char buf[10];
        m_out.append(buf, WireEntry::writeVarint(buf, quint64(s.size())) - buf);
        m_out.append(s.data(), s.size());
    }
    //! A singular proto3 string: left out when empty.
    void string(char tag, QByteArrayView s)
    {
        if (!s.isEmpty())
            bytes(tag, s);
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
    std::vector<qsizetype> m_open;
};

void writeJson(ProtoWriter &w, const QJsonValue &v);

void writeKeyValue(ProtoWriter &w, char tag, QByteArrayView key, const QJsonValue &v)
{
    w.begin(tag);
    w.bytes(Tag::KeyValueKey, key);
    w.begin(Tag::KeyValueValue);
    writeJson(w, v);
    w.end();
    w.end();
}

// The AnyValue's fields for a JSON value (inside an open AnyValue).
void writeJson(ProtoWriter &w, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return; // an empty AnyValue
    case QJsonValue::Bool:
        w.varint(Tag::AnyBool, v.toBool() ? 1 : 0);
        return;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        const qint64 i = v.toInteger(std::numeric_limits<qint64>::min());
        if (i != std::numeric_limits<qint64>::min() || d == double(i)) {
            w.varint(Tag::AnyInt, quint64(i));
        } else {
            quint64 bits;
            std::memcpy(&bits, &d, 8);
            w.fixed64(Tag::AnyDouble, bits);
        }
        return;
    }
    case QJsonValue::String:
        w.bytes(Tag::AnyString, v.toString().toUtf8());
        return;
    case QJsonValue::Array: {
        w.begin(Tag::AnyArray);
        for (const QJsonValue &item : v.toArray()) {
            w.begin(Tag::ListValues);
            writeJson(w, item);
            w.end();
        }
        w.end();
        return;
    }
    case QJsonValue::Object: {
        w.begin(Tag::AnyKvlist);
        const QJsonObject object = v.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            writeKeyValue(w, Tag::ListValues, it.key().toUtf8(), it.value());
        w.end();
        return;
    }
    }
}

// The AnyValue's fields for a metadata value of \a kind; text when it does not read as one.
void writeValue(ProtoWriter &w, QByteArrayView text, ValueKind kind)
{
    switch (kind) {
    case ValueKind::Int:
        if (const auto i = Otlp::parseInt(text)) {
            w.varint(Tag::AnyInt, quint64(*i));
            return;
        }
        break;
    case ValueKind::Double:
        if (const auto d = Otlp::parseDouble(text)) {
            quint64 bits;
            std::memcpy(&bits, &*d, 8);
            w.fixed64(Tag::AnyDouble, bits);
            return;
        }
        break;
    case ValueKind::Bool:
        if (text == "true" || text == "false") {
            w.varint(Tag::AnyBool, text == "true" ? 1 : 0);
            return;
        }
        break;
    case ValueKind::List:
    case ValueKind::Map:
        if (const auto json = Otlp::parseJson(text)) {
            writeJson(w, *json);
            return;
        }
        break;
    case ValueKind::Text:
        break;
    }
    w.bytes(Tag::AnyString, text);
}

void writeRecord(ProtoWriter &w, const Otlp::Record &record)
{
    const WireEntry &entry = *record.entry;
    const Otlp::Ids ids = Otlp::idsOf(entry);
    w.begin(Tag::ScopeLogsRecords);
    if (entry.timestampNs)
        w.fixed64(Tag::RecordTime, quint64(entry.timestampNs));
    w.varint(Tag::RecordSeverityNumber, quint64(Otlp::severityNumber(record.level)));
    w.string(Tag::RecordSeverityText, levelName(record.level).toLatin1());
    w.begin(Tag::RecordBody);
    w.bytes(Tag::AnyString, entry.line());
    w.end();
    entry.forEachTypedMetadata([&](QByteArrayView name, QByteArrayView value, ValueKind kind) {
        if (Otlp::isIdPair(ids, name))
            return;
        w.begin(Tag::RecordAttributes);
        w.bytes(Tag::KeyValueKey, name);
        w.begin(Tag::KeyValueValue);
        writeValue(w, value, kind);
        w.end();
        w.end();
    });
    if (ids.hasTraceId)
        w.bytes(Tag::RecordTraceId, QByteArrayView(ids.traceId, 16));
    if (ids.hasSpanId)
        w.bytes(Tag::RecordSpanId, QByteArrayView(ids.spanId, 8));
    // The logger observes the event as it happens: both times are the one taken in the call.
    if (entry.timestampNs)
        w.fixed64(Tag::RecordObservedTime, quint64(entry.timestampNs));
    w.end();
}

} // namespace

OtlpEncoder::OtlpEncoder(Compression compression)
    : m_compression(compression)
{ }

QByteArray OtlpEncoder::contentType() const { return QByteArrayLiteral("application/x-protobuf"); }

QByteArray OtlpEncoder::contentEncoding() const
{
    return m_compression == Compression::Gzip ? QByteArrayLiteral("gzip") : QByteArray();
}

QByteArray OtlpEncoder::encode(const PushBatch &batch) const
{
    const QByteArray body = serialize(batch);
    return m_compression == Compression::Gzip ? gzipCompress(body) : body;
}

QByteArray OtlpEncoder::serialize(const PushBatch &batch)
{
    qsizetype expected = 0;
    for (const WireStream &stream : batch.streams) {
        for (const WireEntry &entry : stream.entries)
            expected += 64 + entry.storageBytes() + 4 * entry.metadataCount();
    }
    ProtoWriter w(expected);
    const QByteArray version(qlokiVersion());
    for (const Otlp::Resource &resource : Otlp::layout(batch)) {
        w.begin(Tag::RequestResourceLogs);
        w.begin(Tag::ResourceLogsResource);
        for (const auto &attribute : resource.attributes) {
            w.begin(Tag::ResourceAttributes);
            w.bytes(Tag::KeyValueKey, attribute.first);
            w.begin(Tag::KeyValueValue);
            w.bytes(Tag::AnyString, attribute.second);
            w.end();
            w.end();
        }
        w.end();
        for (const Otlp::Scope &scope : resource.scopes) {
            w.begin(Tag::ResourceLogsScopeLogs);
            w.begin(Tag::ScopeLogsScope);
            w.string(Tag::ScopeName, scope.name);
            w.string(Tag::ScopeVersion, version);
            w.end();
            for (const Otlp::Record &record : scope.records)
                writeRecord(w, record);
            w.end();
        }
        w.end();
    }
    return w.take();
}

} // namespace QLoki::detail
