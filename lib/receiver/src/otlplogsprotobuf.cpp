// SPDX-License-Identifier: MIT
// OTLP logs in protobuf: ExportLogsServiceRequest read with the receiver's wire reader,
// field numbers from opentelemetry-proto (common/v1, resource/v1, logs/v1, collector/logs/v1).
#include "otlplogs_p.h"
#include "otlplogsmodel_p.h"
#include "protowire_p.h"

#include <cstring>

namespace LokiReceiverInternal {

namespace Otlp {

namespace {

// A length-delimited field's bytes; fails the reader on another wire type.
bool bytesField(WireReader &r, int wireType, const char **b, const char **e)
{
    if (wireType != LengthDelimited)
        return r.fail("proto: wrong wireType for field");
    return r.readBytes(b, e);
}

QByteArray stringField(WireReader &r, int wireType)
{
    const char *b = nullptr;
    const char *e = nullptr;
    return bytesField(r, wireType, &b, &e) ? QByteArray(b, e - b) : QByteArray();
}

bool readKeyValue(const char *begin, const char *end, KeyValue *kv, WireReader &outer, int depth);

// \a depth: the value's, 1 for a body or an attribute (see MaxValueDepth).
bool readAnyValue(const char *begin, const char *end, AnyValue *v, WireReader &outer, int depth)
{
    if (depth > MaxValueDepth)
        return outer.fail(TooDeep);
    WireReader r(begin, end);
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        switch (field) {
        case 1:
            v->type = AnyValue::String;
            v->text = stringField(r, type);
            break;
        case 2:
            v->type = AnyValue::Bool;
            v->boolean = r.readVarint() != 0;
            break;
        case 3:
            v->type = AnyValue::Int;
            v->integer = qint64(r.readVarint());
            break;
        case 4: {
            v->type = AnyValue::Double;
            const quint64 bits = r.readFixed64();
            std::memcpy(&v->real, &bits, 8);
            break;
        }
        case 5: // ArrayValue.values = 1
        case 6: { // KeyValueList.values = 1
            v->type = field == 5 ? AnyValue::Array : AnyValue::Map;
            if (!bytesField(r, type, &b, &e))
                break;
            WireReader list(b, e);
            quint32 f = 0;
            int t = 0;
            while (!list.atEnd() && list.readTag(&f, &t)) {
                const char *ib = nullptr;
                const char *ie = nullptr;
                if (f != 1) {
                    list.skip(t);
                } else if (bytesField(list, t, &ib, &ie)) {
                    if (field == 5) {
                        v->items.emplace_back();
                        readAnyValue(ib, ie, &v->items.back(), list, depth + 1);
                    } else {
                        v->map.emplace_back();
                        readKeyValue(ib, ie, &v->map.back(), list, depth + 1);
                    }
                }
            }
            if (list.failed())
                r.fail(list.failure());
            break;
        }
        case 7:
            v->type = AnyValue::Bytes;
            v->text = stringField(r, type);
            break;
        default:
            r.skip(type);
        }
    }
    if (r.failed())
        return outer.fail(r.failure());
    return true;
}

bool readKeyValue(const char *begin, const char *end, KeyValue *kv, WireReader &outer, int depth)
{
    WireReader r(begin, end);
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field == 1)
            kv->key = stringField(r, type);
        else if (field == 2 && bytesField(r, type, &b, &e))
            readAnyValue(b, e, &kv->value, r, depth);
        else if (field != 2)
            r.skip(type);
    }
    if (r.failed())
        return outer.fail(r.failure());
    return true;
}

void readAttribute(WireReader &r, int type, std::vector<KeyValue> *out)
{
    const char *b = nullptr;
    const char *e = nullptr;
    if (bytesField(r, type, &b, &e)) {
        out->emplace_back();
        readKeyValue(b, e, &out->back(), r, 1);
    }
}

void readRecord(const char *begin, const char *end, Record *record, WireReader &outer)
{
    WireReader r(begin, end);
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        switch (field) {
        case 1:
            record->timeNs = r.readFixed64();
            break;
        case 2:
            record->severityNumber = int(r.readVarint());
            break;
        case 3:
            record->severityText = stringField(r, type);
            break;
        case 5:
            if (bytesField(r, type, &b, &e))
                readAnyValue(b, e, &record->body, r, 1);
            break;
        case 6:
            readAttribute(r, type, &record->attributes);
            break;
        case 7:
            record->droppedAttributes = quint32(r.readVarint());
            break;
        case 8:
            record->flags = r.readFixed32();
            break;
        case 9:
            record->traceId = stringField(r, type);
            break;
        case 10:
            record->spanId = stringField(r, type);
            break;
        case 11:
            record->observedNs = r.readFixed64();
            break;
        default:
            r.skip(type);
        }
    }
    if (r.failed())
        outer.fail(r.failure());
}

void readScopeLogs(const char *begin, const char *end, Scope *scope, WireReader &outer)
{
    WireReader r(begin, end);
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field == 1 && bytesField(r, type, &b, &e)) {
            WireReader s(b, e); // InstrumentationScope
            quint32 f = 0;
            int t = 0;
            while (!s.atEnd() && s.readTag(&f, &t)) {
                if (f == 1)
                    scope->name = stringField(s, t);
                else if (f == 2)
                    scope->version = stringField(s, t);
                else if (f == 3)
                    readAttribute(s, t, &scope->attributes);
                else if (f == 4)
                    scope->droppedAttributes = quint32(s.readVarint());
                else
                    s.skip(t);
            }
            if (s.failed())
                r.fail(s.failure());
        } else if (field == 2 && bytesField(r, type, &b, &e)) {
            scope->records.emplace_back();
            readRecord(b, e, &scope->records.back(), r);
        } else if (field != 1 && field != 2) {
            r.skip(type);
        }
    }
    if (r.failed())
        outer.fail(r.failure());
}

void readResourceLogs(const char *begin, const char *end, Resource *resource, WireReader &outer)
{
    WireReader r(begin, end);
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field == 1 && bytesField(r, type, &b, &e)) {
            WireReader res(b, e); // Resource
            quint32 f = 0;
            int t = 0;
            while (!res.atEnd() && res.readTag(&f, &t)) {
                if (f == 1)
                    readAttribute(res, t, &resource->attributes);
                else
                    res.skip(t);
            }
            if (res.failed())
                r.fail(res.failure());
        } else if (field == 2 && bytesField(r, type, &b, &e)) {
            resource->scopes.emplace_back();
            readScopeLogs(b, e, &resource->scopes.back(), r);
        } else if (field != 1 && field != 2) {
            r.skip(type);
        }
    }
    if (r.failed())
        outer.fail(r.failure());
}

} // namespace

} // namespace Otlp

bool decodeOtlpProtobuf(const QByteArray &message, PushRequest *request, QString *error,
                        const PushCaps &caps, bool *overCaps)
{
    using namespace Otlp;
    Request otlp;
    WireReader r(message.constData(), message.constData() + message.size());
    quint32 field = 0;
    int type = 0;
    while (!r.atEnd() && r.readTag(&field, &type)) {
        const char *b = nullptr;
        const char *e = nullptr;
        if (field == 1 && bytesField(r, type, &b, &e)) {
            otlp.emplace_back();
            readResourceLogs(b, e, &otlp.back(), r);
        } else if (field != 1) {
            r.skip(type);
        }
    }
    if (r.failed()) {
        *error = QStringLiteral("failed to unmarshal OTLP protobuf: %1")
                         .arg(QString::fromLatin1(r.failure()));
        return false;
    }
    return toPushRequest(otlp, request, caps, overCaps);
}

} // namespace LokiReceiverInternal
