// SPDX-License-Identifier: MIT
// OTLP logs in JSON (the protobuf JSON mapping: camelCase or snake_case names, 64-bit
// integers as strings, ids in hex), read into the model that toPushRequest() maps to streams.
#include "otlplogs_p.h"
#include "otlplogsmodel_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace LokiReceiverInternal {

namespace Otlp {

namespace {

QJsonValue member(const QJsonObject &o, const char *camel, const char *snake)
{
    QJsonValue v = o.value(QLatin1String(camel));
    if (v.isUndefined() && snake)
        v = o.value(QLatin1String(snake));
    return v;
}

bool jsonUInt64(const QJsonValue &v, quint64 *out)
{
    if (v.isUndefined() || v.isNull()) {
        *out = 0;
        return true;
    }
    if (v.isString()) {
        bool ok = false;
        *out = v.toString().toULongLong(&ok);
        return ok;
    }
    if (v.isDouble()) {
        *out = quint64(v.toInteger());
        return true;
    }
    return false;
}

bool jsonAnyValue(const QJsonValue &json, AnyValue *out, QString *error, int depth);

// \a depth: that of the values, 1 for attributes (see MaxValueDepth).
bool jsonKeyValues(const QJsonValue &json, std::vector<KeyValue> *out, QString *error,
                   int depth = 1)
{
    if (json.isUndefined() || json.isNull())
        return true;
    if (!json.isArray()) {
        *error = QStringLiteral("attributes must be an array of key/value objects");
        return false;
    }
    for (const QJsonValue &item : json.toArray()) {
        const QJsonObject o = item.toObject();
        KeyValue kv;
        kv.key = o.value(QLatin1String("key")).toString().toUtf8();
        if (!jsonAnyValue(o.value(QLatin1String("value")), &kv.value, error, depth))
            return false;
        out->push_back(std::move(kv));
    }
    return true;
}

bool jsonAnyValue(const QJsonValue &json, AnyValue *out, QString *error, int depth)
{
    if (depth > MaxValueDepth) {
        *error = QString::fromLatin1(TooDeep);
        return false;
    }
    const QJsonObject o = json.toObject();
    QJsonValue v;
    if (!(v = member(o, "stringValue", "string_value")).isUndefined()) {
        out->type = AnyValue::String;
        out->text = v.toString().toUtf8();
    } else if (!(v = member(o, "boolValue", "bool_value")).isUndefined()) {
        out->type = AnyValue::Bool;
        out->boolean = v.toBool();
    } else if (!(v = member(o, "intValue", "int_value")).isUndefined()) {
        out->type = AnyValue::Int;
        quint64 i = 0;
        if (v.isString()) {
            bool ok = false;
            out->integer = v.toString().toLongLong(&ok);
            if (!ok) {
                *error = QStringLiteral("intValue \"%1\" is not an integer").arg(v.toString());
                return false;
            }
        } else if (jsonUInt64(v, &i)) {
            out->integer = v.toInteger();
        }
    } else if (!(v = member(o, "doubleValue", "double_value")).isUndefined()) {
        out->type = AnyValue::Double;
        const QString s = v.toString();
        if (!v.isString())
            out->real = v.toDouble();
        else if (s == QLatin1String("NaN"))
            out->real = std::nan("");
        else if (s == QLatin1String("Infinity"))
            out->real = HUGE_VAL;
        else if (s == QLatin1String("-Infinity"))
            out->real = -HUGE_VAL;
        else
            out->real = s.toDouble();
    } else if (!(v = member(o, "arrayValue", "array_value")).isUndefined()) {
        out->type = AnyValue::Array;
        for (const QJsonValue &item : v.toObject().value(QLatin1String("values")).toArray()) {
            AnyValue element;
            if (!jsonAnyValue(item, &element, error, depth + 1))
                return false;
            out->items.push_back(std::move(element));
        }
    } else if (!(v = member(o, "kvlistValue", "kvlist_value")).isUndefined()) {
        out->type = AnyValue::Map;
        if (!jsonKeyValues(v.toObject().value(QLatin1String("values")), &out->map, error,
                           depth + 1))
            return false;
    } else if (!(v = member(o, "bytesValue", "bytes_value")).isUndefined()) {
        out->type = AnyValue::Bytes;
        out->text = QByteArray::fromBase64(v.toString().toLatin1());
    }
    return true;
}

bool jsonId(const QJsonValue &v, int size, QByteArray *out, QString *error)
{
    const QString hex = v.toString();
    if (hex.isEmpty())
        return true;
    const QByteArray bytes = QByteArray::fromHex(hex.toLatin1());
    if (hex.size() != 2 * size || bytes.size() != size) {
        *error = QStringLiteral("invalid %1-byte id \"%2\"").arg(size).arg(hex);
        return false;
    }
    *out = bytes;
    return true;
}

} // namespace

} // namespace Otlp

bool decodeOtlpJson(const QByteArray &body, PushRequest *request, QString *error,
                    const PushCaps &caps, bool *overCaps)
{
    using namespace Otlp;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("failed to unmarshal OTLP JSON: %1").arg(parseError.errorString());
        return false;
    }
    Request otlp;
    for (const QJsonValue &rlValue :
         member(doc.object(), "resourceLogs", "resource_logs").toArray()) {
        const QJsonObject rl = rlValue.toObject();
        Resource resource;
        if (!jsonKeyValues(rl.value(QLatin1String("resource"))
                                   .toObject()
                                   .value(QLatin1String("attributes")),
                           &resource.attributes, error)) {
            return false;
        }
        for (const QJsonValue &slValue : member(rl, "scopeLogs", "scope_logs").toArray()) {
            const QJsonObject sl = slValue.toObject();
            const QJsonObject scopeObject = sl.value(QLatin1String("scope")).toObject();
            Scope scope;
            scope.name = scopeObject.value(QLatin1String("name")).toString().toUtf8();
            scope.version = scopeObject.value(QLatin1String("version")).toString().toUtf8();
            scope.droppedAttributes = quint32(
                    member(scopeObject, "droppedAttributesCount", "dropped_attributes_count")
                            .toInteger());
            if (!jsonKeyValues(scopeObject.value(QLatin1String("attributes")), &scope.attributes,
                               error))
                return false;
            for (const QJsonValue &recordValue :
                 member(sl, "logRecords", "log_records").toArray()) {
                const QJsonObject r = recordValue.toObject();
                Record record;
                if (!jsonUInt64(member(r, "timeUnixNano", "time_unix_nano"), &record.timeNs)
                    || !jsonUInt64(member(r, "observedTimeUnixNano", "observed_time_unix_nano"),
                                   &record.observedNs)) {
                    *error = QStringLiteral("timeUnixNano must be an integer (as a string)");
                    return false;
                }
                record.severityNumber = member(r, "severityNumber", "severity_number").toInt();
                record.severityText =
                        member(r, "severityText", "severity_text").toString().toUtf8();
                record.droppedAttributes =
                        quint32(member(r, "droppedAttributesCount", "dropped_attributes_count")
                                        .toInteger());
                record.flags = quint32(r.value(QLatin1String("flags")).toInteger());
                if (!jsonAnyValue(r.value(QLatin1String("body")), &record.body, error, 1)
                    || !jsonKeyValues(r.value(QLatin1String("attributes")), &record.attributes,
                                      error)
                    || !jsonId(member(r, "traceId", "trace_id"), 16, &record.traceId, error)
                    || !jsonId(member(r, "spanId", "span_id"), 8, &record.spanId, error)) {
                    return false;
                }
                scope.records.push_back(std::move(record));
            }
            resource.scopes.push_back(std::move(scope));
        }
        otlp.push_back(std::move(resource));
    }
    return toPushRequest(otlp, request, caps, overCaps);
}

} // namespace LokiReceiverInternal
