// SPDX-License-Identifier: MIT
#include "jsonpushdecoder_p.h"

#include "labelparser_p.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace LokiReceiverInternal {

namespace {

// Qt's JSON reader drops a U+FEFF at the start of any string as a byte order mark, where
// Loki keeps it. Written as the escape \ufeff it is kept (and outside a string it is refused,
// as Loki refuses it). One right after a backslash stays: an invalid escape either way.
QByteArray escapeByteOrderMarks(const QByteArray &body)
{
    const QByteArrayView mark("\xEF\xBB\xBF");
    qsizetype at = body.indexOf(mark);
    if (at < 0)
        return body;
    QByteArray out;
    out.reserve(body.size() + 16);
    qsizetype copied = 0;
    for (; at >= 0; at = body.indexOf(mark, at + mark.size())) {
        qsizetype backslashes = 0;
        while (at - backslashes > 0 && body.at(at - backslashes - 1) == '\\')
            ++backslashes;
        if (backslashes % 2 != 0)
            continue;
        out.append(body.constData() + copied, at - copied).append("\\ufeff");
        copied = at + mark.size();
    }
    out.append(body.constData() + copied, body.size() - copied);
    return out;
}

bool parseTimestamp(const QString &text, qint64 *timestampNs)
{
    bool ok = false;
    *timestampNs = text.toLongLong(&ok);
    return ok;
}

} // namespace

bool decodeJsonPush(const QByteArray &body, PushRequest *request, QString *error,
                    const PushCaps &caps, bool *overCaps)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(escapeByteOrderMarks(body), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("error parsing push request: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("error parsing push request: expected a JSON object");
        return false;
    }
    const QJsonValue streams = document.object().value(QLatin1String("streams"));
    if (streams.isUndefined() || streams.isNull())
        return true;
    if (!streams.isArray()) {
        *error = QStringLiteral("error parsing push request: \"streams\" must be an array");
        return false;
    }
    const QJsonArray streamArray = streams.toArray();
    auto tooMany = [&] {
        if (overCaps)
            *overCaps = true;
        *error = QStringLiteral("too many streams or entries");
        return false;
    };
    if (caps.maxStreams > 0 && streamArray.size() > caps.maxStreams)
        return tooMany();
    qint64 entries = 0;
    request->streams.reserve(size_t(streamArray.size()));
    for (const QJsonValue &streamValue : streamArray) {
        if (!streamValue.isObject()) {
            *error = QStringLiteral("error parsing push request: a stream must be an object");
            return false;
        }
        const QJsonObject streamObject = streamValue.toObject();
        PushStream stream;
        LabelPairs labels;
        const QJsonValue labelsValue = streamObject.value(QLatin1String("stream"));
        if (!labelsValue.isUndefined() && !labelsValue.isNull()) {
            if (!labelsValue.isObject()) {
                *error = QStringLiteral("error parsing push request: \"stream\" must be an object "
                                        "of string values");
                return false;
            }
            const QJsonObject labelObject = labelsValue.toObject();
            // QJsonObject iterates in key order, as Go's labels.FromMap() sorts.
            for (auto it = labelObject.begin(); it != labelObject.end(); ++it) {
                if (!it.value().isString()) {
                    *error = QStringLiteral("error parsing push request: label \"%1\" must be a "
                                            "string")
                                     .arg(it.key());
                    return false;
                }
                labels.emplace_back(it.key().toUtf8(), it.value().toString().toUtf8());
            }
        }
        stream.labels = formatLabels(labels);

        const QJsonValue values = streamObject.value(QLatin1String("values"));
        if (!values.isUndefined() && !values.isNull() && !values.isArray()) {
            *error = QStringLiteral("error parsing push request: \"values\" must be an array");
            return false;
        }
        const QJsonArray valueArray = values.toArray();
        entries += valueArray.size();
        if (caps.maxEntries > 0 && entries > caps.maxEntries)
            return tooMany();
        stream.entries.reserve(size_t(valueArray.size()));
        for (const QJsonValue &value : valueArray) {
            const QJsonArray tuple = value.toArray();
            if (!value.isArray() || tuple.size() < 2 || tuple.size() > 3) {
                *error = QStringLiteral("error parsing push request: a value must be "
                                        "[\"<timestamp>\", \"<line>\"] or "
                                        "[\"<timestamp>\", \"<line>\", {<structured metadata>}]");
                return false;
            }
            PushEntry entry;
            if (!tuple.at(0).isString() || !tuple.at(1).isString()) {
                *error = QStringLiteral("error parsing push request: Value is not a string");
                return false;
            }
            const QString timestamp = tuple.at(0).toString();
            if (!parseTimestamp(timestamp, &entry.timestampNs)) {
                *error = QStringLiteral("error parsing push request: strconv.ParseInt: parsing "
                                        "\"%1\": invalid syntax")
                                 .arg(timestamp);
                return false;
            }
            entry.line = tuple.at(1).toString().toUtf8();
            if (tuple.size() == 3) {
                if (!tuple.at(2).isObject()) {
                    *error = QStringLiteral("error parsing push request: structured metadata "
                                            "must be an object of string values");
                    return false;
                }
                const QJsonObject metadata = tuple.at(2).toObject();
                for (auto it = metadata.begin(); it != metadata.end(); ++it) {
                    if (!it.value().isString()) {
                        *error = QStringLiteral("error parsing push request: structured "
                                                "metadata \"%1\" must be a string")
                                         .arg(it.key());
                        return false;
                    }
                    entry.structuredMetadata.emplace_back(it.key().toUtf8(),
                                                          it.value().toString().toUtf8());
                }
            }
            stream.entries.push_back(std::move(entry));
        }
        request->streams.push_back(std::move(stream));
    }
    return true;
}

} // namespace LokiReceiverInternal
