// SPDX-License-Identifier: MIT
#include "otlplogs_p.h"
#include "otlplogsmodel_p.h"

#include "labelparser_p.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace LokiReceiverInternal {

namespace Otlp {

namespace {

// Loki's default_resource_attributes_as_index_labels (Loki 3.x).
bool isIndexLabel(const QByteArray &name)
{
    static const char *const names[] = {"service.name",
                                        "service.namespace",
                                        "service.instance.id",
                                        "deployment.environment",
                                        "deployment.environment.name",
                                        "cloud.region",
                                        "cloud.availability_zone",
                                        "k8s.cluster.name",
                                        "k8s.namespace.name",
                                        "k8s.pod.name",
                                        "k8s.container.name",
                                        "container.name",
                                        "k8s.replicaset.name",
                                        "k8s.deployment.name",
                                        "k8s.statefulset.name",
                                        "k8s.daemonset.name",
                                        "k8s.cronjob.name",
                                        "k8s.job.name"};
    return std::any_of(std::begin(names), std::end(names),
                       [&name](const char *n) { return name == n; });
}

// Prometheus' label normalization, as Loki applies it to attribute names.
QByteArray normalize(const QByteArray &name)
{
    QByteArray out = name;
    for (char &c : out) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            c = '_';
    }
    if (!out.isEmpty() && out.at(0) >= '0' && out.at(0) <= '9')
        out.prepend("key_");
    else if (out.startsWith('_') && !out.startsWith("__"))
        out.prepend("key");
    return out;
}

QByteArray formatDouble(double d)
{
    if (std::isnan(d))
        return "NaN";
    if (std::isinf(d))
        return d > 0 ? "+Inf" : "-Inf";
    char buf[400];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    return QByteArray(buf, res.ptr - buf);
}

QJsonValue toJson(const AnyValue &v)
{
    switch (v.type) {
    case AnyValue::Empty:
        return QJsonValue::Null;
    case AnyValue::String:
        return QString::fromUtf8(v.text);
    case AnyValue::Bytes:
        return QString::fromLatin1(v.text.toBase64());
    case AnyValue::Bool:
        return v.boolean;
    case AnyValue::Int:
        return v.integer;
    case AnyValue::Double:
        return v.real;
    case AnyValue::Array: {
        QJsonArray array;
        for (const AnyValue &item : v.items)
            array.append(toJson(item));
        return array;
    }
    case AnyValue::Map: {
        QJsonObject object;
        for (const KeyValue &kv : v.map)
            object.insert(QString::fromUtf8(kv.key), toJson(kv.value));
        return object;
    }
    }
    return QJsonValue::Null;
}

// pcommon.Value.AsString(), as Loki writes a value into a label or metadata.
QByteArray asString(const AnyValue &v)
{
    switch (v.type) {
    case AnyValue::Empty:
        return QByteArray();
    case AnyValue::String:
        return v.text;
    case AnyValue::Bytes:
        return v.text.toBase64();
    case AnyValue::Bool:
        return v.boolean ? "true" : "false";
    case AnyValue::Int:
        return QByteArray::number(v.integer);
    case AnyValue::Double:
        return formatDouble(v.real);
    case AnyValue::Array:
        return QJsonDocument(toJson(v).toArray()).toJson(QJsonDocument::Compact);
    case AnyValue::Map:
        return QJsonDocument(toJson(v).toObject()).toJson(QJsonDocument::Compact);
    }
    return QByteArray();
}

// Loki's attributeToLabels(): maps flatten into <prefix>_<key>.
void attributeToLabels(const QByteArray &key, const AnyValue &v, const QByteArray &prefix,
                       LabelPairs *out)
{
    const QByteArray name = normalize(prefix.isEmpty() ? key : prefix + '_' + key);
    if (v.type == AnyValue::Map) {
        for (const KeyValue &kv : v.map)
            attributeToLabels(kv.key, kv.value, name, out);
        return;
    }
    out->emplace_back(name, asString(v));
}

} // namespace

bool toPushRequest(const Request &request, PushRequest *push, const PushCaps &caps, bool *overCaps)
{
    std::map<QByteArray, size_t> streamOf;
    qint64 records = 0;
    for (const Resource &resource : request) {
        LabelPairs labels;
        LabelPairs resourceMetadata;
        bool hasServiceName = false;
        for (const KeyValue &kv : resource.attributes) {
            if (isIndexLabel(kv.key)) {
                LabelPairs pairs;
                attributeToLabels(kv.key, kv.value, {}, &pairs);
                for (auto &pair : pairs) {
                    auto same = std::find_if(labels.begin(), labels.end(), [&pair](const auto &l) {
                        return l.first == pair.first;
                    });
                    if (same != labels.end())
                        same->second = pair.second;
                    else
                        labels.push_back(pair);
                }
                hasServiceName = hasServiceName
                        || (kv.key == "service.name" && !asString(kv.value).isEmpty());
            } else {
                attributeToLabels(kv.key, kv.value, {}, &resourceMetadata);
            }
        }
        if (!hasServiceName)
            labels.emplace_back("service_name", "unknown_service");
        std::sort(labels.begin(), labels.end());
        const QByteArray key = formatLabels(labels);
        auto found = streamOf.find(key);
        if (found == streamOf.end()) {
            found = streamOf.emplace(key, push->streams.size()).first;
            PushStream stream;
            stream.labels = key;
            push->streams.push_back(std::move(stream));
        }
        if (caps.maxStreams > 0 && qint64(push->streams.size()) > caps.maxStreams) {
            if (overCaps)
                *overCaps = true;
            return false;
        }
        for (const Scope &scope : resource.scopes) {
            LabelPairs scopeMetadata;
            for (const KeyValue &kv : scope.attributes)
                attributeToLabels(kv.key, kv.value, {}, &scopeMetadata);
            if (!scope.name.isEmpty())
                scopeMetadata.emplace_back("scope_name", scope.name);
            if (!scope.version.isEmpty())
                scopeMetadata.emplace_back("scope_version", scope.version);
            if (scope.droppedAttributes)
                scopeMetadata.emplace_back("scope_dropped_attributes_count",
                                           QByteArray::number(scope.droppedAttributes));
            records += qint64(scope.records.size());
            if (caps.maxEntries > 0 && records > caps.maxEntries) {
                if (overCaps)
                    *overCaps = true;
                return false;
            }
            std::vector<PushEntry> &entries = push->streams[found->second].entries;
            entries.reserve(entries.size() + scope.records.size());
            for (const Record &record : scope.records) {
                PushEntry entry;
                entry.timestampNs = qint64(record.timeNs               ? record.timeNs
                                                   : record.observedNs ? record.observedNs
                                                                       : quint64(currentTimeNs()));
                entry.line = asString(record.body);
                LabelPairs &m = entry.structuredMetadata;
                for (const KeyValue &kv : record.attributes)
                    attributeToLabels(kv.key, kv.value, {}, &m);
                if (record.timeNs && record.observedNs)
                    m.emplace_back("observed_timestamp", QByteArray::number(record.observedNs));
                if (record.severityNumber)
                    m.emplace_back("severity_number", QByteArray::number(record.severityNumber));
                if (!record.severityText.isEmpty())
                    m.emplace_back("severity_text", record.severityText);
                if (record.droppedAttributes)
                    m.emplace_back("dropped_attributes_count",
                                   QByteArray::number(record.droppedAttributes));
                if (record.flags)
                    m.emplace_back("flags", QByteArray::number(record.flags));
                if (!record.traceId.isEmpty()
                    && record.traceId.count('\0') != record.traceId.size())
                    m.emplace_back("trace_id", record.traceId.toHex());
                if (!record.spanId.isEmpty() && record.spanId.count('\0') != record.spanId.size())
                    m.emplace_back("span_id", record.spanId.toHex());
                m.insert(m.end(), resourceMetadata.begin(), resourceMetadata.end());
                m.insert(m.end(), scopeMetadata.begin(), scopeMetadata.end());
                entries.push_back(std::move(entry));
            }
        }
    }
    // A resource without records adds no stream.
    push->streams.erase(std::remove_if(push->streams.begin(), push->streams.end(),
                                       [](const PushStream &s) { return s.entries.empty(); }),
                        push->streams.end());
    return true;
}

} // namespace Otlp

QByteArray otlpExportResponse(bool json, qint64 rejected, const QByteArray &message)
{
    if (json) {
        if (rejected <= 0)
            return "{}";
        QJsonObject partial {{QLatin1String("rejectedLogRecords"), QString::number(rejected)},
                             {QLatin1String("errorMessage"), QString::fromUtf8(message)}};
        return QJsonDocument(QJsonObject {{QLatin1String("partialSuccess"), partial}})
                .toJson(QJsonDocument::Compact);
    }
    if (rejected <= 0)
        return QByteArray();
    // ExportLogsServiceResponse.partial_success = 1: rejected_log_records = 1, error_message = 2.
    auto varint = [](QByteArray *out, quint64 v) {
        while (v >= 0x80) {
            out->append(char(v | 0x80));
            v >>= 7;
        }
        out->append(char(v));
    };
    QByteArray partial;
    partial.append(char(0x08));
    varint(&partial, quint64(rejected));
    if (!message.isEmpty()) {
        partial.append(char(0x12));
        varint(&partial, quint64(message.size()));
        partial.append(message);
    }
    QByteArray out;
    out.append(char(0x0A));
    varint(&out, quint64(partial.size()));
    return out + partial;
}

QByteArray otlpStatus(bool json, int code, const QByteArray &message)
{
    if (json) {
        return QJsonDocument(QJsonObject {{QLatin1String("code"), code},
                                          {QLatin1String("message"), QString::fromUtf8(message)}})
                .toJson(QJsonDocument::Compact);
    }
    // google.rpc.Status: code = 1, message = 2.
    QByteArray out;
    auto varint = [&out](quint64 v) {
        while (v >= 0x80) {
            out.append(char(v | 0x80));
            v >>= 7;
        }
        out.append(char(v));
    };
    if (code) {
        out.append(char(0x08));
        varint(quint64(qint64(code)));
    }
    if (!message.isEmpty()) {
        out.append(char(0x12));
        varint(quint64(message.size()));
        out.append(message);
    }
    return out;
}

} // namespace LokiReceiverInternal
