// SPDX-License-Identifier: MIT
#include "encoding/otlpmapping_p.h"

#include "encoding/utf8_p.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <charconv>
#include <cmath>
#include <limits>

namespace QLoki::detail::Otlp {

int severityNumber(Level level)
{
    switch (level) {
    case Level::Debug:
        return 5;
    case Level::Info:
        return 9;
    case Level::Warning:
        return 13;
    case Level::Error:
        return 17;
    case Level::Critical:
        return 21;
    }
    return 9;
}

QList<Resource> layout(const PushBatch &batch)
{
    static const QString app = QStringLiteral("app");
    static const QString environment = QStringLiteral("environment");
    static const QString levelLabel = QStringLiteral("level");
    static const QString category = QStringLiteral("category");

    QList<Resource> resources;
    QHash<QList<QPair<QByteArray, QByteArray>>, int> byAttributes;
    for (const WireStream &stream : batch.streams) {
        QList<QPair<QByteArray, QByteArray>> attributes;
        QList<QPair<QByteArray, QByteArray>> others;
        QByteArray scope = DefaultScope;
        Level level = Level::Info;
        QByteArray service;
        QByteArray env;
        for (const auto &label : stream.labels) {
            if (label.first == app)
                service = Utf8::encode(label.second);
            else if (label.first == environment)
                env = Utf8::encode(label.second);
            else if (label.first == levelLabel)
                parseLevel(label.second, &level);
            else if (label.first == category)
                scope = Utf8::encode(label.second);
            else
                others.append({Utf8::encode(label.first), Utf8::encode(label.second)});
        }
        if (!service.isEmpty())
            attributes.append({ServiceName, service});
        if (!env.isEmpty())
            attributes.append({EnvironmentName, env});
        attributes += others; // labels come sorted by name

        auto found = byAttributes.constFind(attributes);
        int r;
        if (found == byAttributes.cend()) {
            r = int(resources.size());
            byAttributes.insert(attributes, r);
            resources.append(Resource {attributes, {}});
        } else {
            r = found.value();
        }
        Resource &resource = resources[r];
        Scope *target = nullptr;
        for (Scope &s : resource.scopes) {
            if (s.name == scope) {
                target = &s;
                break;
            }
        }
        if (!target) {
            resource.scopes.append(Scope {scope, {}});
            target = &resource.scopes.last();
        }
        target->records.reserve(target->records.size() + stream.entries.size());
        for (const WireEntry &entry : stream.entries)
            target->records.append(Record {&entry, level});
    }
    return resources;
}

namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// An id is exactly 2 * size hex digits, not all zero (the data model's "invalid" id).
bool parseHexId(QByteArrayView text, int size, char *out)
{
    if (text.size() != 2 * size)
        return false;
    bool nonZero = false;
    for (int i = 0; i < size; ++i) {
        const int hi = hexDigit(text[2 * i]);
        const int lo = hexDigit(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = char(hi << 4 | lo);
        nonZero = nonZero || out[i] != 0;
    }
    return nonZero;
}

} // namespace

Ids idsOf(const WireEntry &entry)
{
    Ids ids;
    entry.forEachMetadata([&ids](QByteArrayView name, QByteArrayView value) {
        if (name == "trace_id")
            ids.hasTraceId = parseHexId(value, 16, ids.traceId);
        else if (name == "span_id")
            ids.hasSpanId = parseHexId(value, 8, ids.spanId);
    });
    return ids;
}

bool isIdPair(const Ids &ids, QByteArrayView name)
{
    return (ids.hasTraceId && name == "trace_id") || (ids.hasSpanId && name == "span_id");
}

std::optional<qint64> parseInt(QByteArrayView text)
{
    qint64 v = 0;
    const char *end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (res.ec != std::errc() || res.ptr != end || text.isEmpty())
        return std::nullopt;
    return v;
}

std::optional<double> parseDouble(QByteArrayView text)
{
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "+Inf")
        return std::numeric_limits<double>::infinity();
    if (text == "-Inf")
        return -std::numeric_limits<double>::infinity();
    double v = 0;
    const char *end = text.data() + text.size();
    const auto res = std::from_chars(text.data(), end, v);
    if (res.ec != std::errc() || res.ptr != end || text.isEmpty())
        return std::nullopt;
    return v;
}

std::optional<QJsonValue> parseJson(QByteArrayView text)
{
    QJsonParseError error;
    const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &error);
    if (error.error != QJsonParseError::NoError)
        return std::nullopt;
    if (doc.isArray())
        return QJsonValue(doc.array());
    return QJsonValue(doc.object());
}

QByteArray hex(const char *bytes, int size) { return QByteArray::fromRawData(bytes, size).toHex(); }

} // namespace QLoki::detail::Otlp
