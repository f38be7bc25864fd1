// SPDX-License-Identifier: MIT
#pragma once

#include "pushwriter.h"

#include <QtCore/QDateTime>
#include <QtCore/QMap>
#include <QtCore/QRegularExpression>

#include <initializer_list>
#include <utility>

// Pushes described once and sent as JSON or protobuf, and Loki's way of writing times, for
// the tests of refusals.
namespace RefusalTest {

using Pairs = QList<QPair<QByteArray, QByteArray>>;

struct Value
{
    qint64 timestampNs = 0;
    QByteArray line;
    Pairs metadata;
};

struct Stream
{
    Pairs labels;
    QList<Value> values;
};

using Push = QList<Stream>;
using ReasonCounts = QMap<QString, quint64>;

constexpr qint64 Second = 1000000000;
constexpr qint64 Minute = 60 * Second;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;

// Labels as Prometheus text, in the order given.
inline QByteArray labelText(const Pairs &labels)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < labels.size(); ++i)
        out += (i ? ", " : "") + labels.at(i).first + "=\"" + labels.at(i).second + '"';
    return out + '}';
}

inline QByteArray jsonObject(const Pairs &pairs)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < pairs.size(); ++i)
        out += (i ? "," : "") + ('"' + pairs.at(i).first + "\":\"" + pairs.at(i).second + '"');
    return out + '}';
}

inline QByteArray jsonBody(const Push &push)
{
    QByteArray out = R"({"streams":[)";
    for (qsizetype s = 0; s < push.size(); ++s) {
        out += (s ? "," : "")
                + (R"({"stream":)" + jsonObject(push.at(s).labels) + R"(,"values":[)");
        const QList<Value> &values = push.at(s).values;
        for (qsizetype v = 0; v < values.size(); ++v) {
            out += (v ? ",[\"" : "[\"") + QByteArray::number(values.at(v).timestampNs) + "\",\""
                    + values.at(v).line + '"';
            if (!values.at(v).metadata.isEmpty())
                out += ',' + jsonObject(values.at(v).metadata);
            out += ']';
        }
        out += "]}";
    }
    return out + "]}";
}

inline QByteArray protobufBody(const Push &push)
{
    QList<TestPush::Stream> streams;
    for (const Stream &stream : push) {
        TestPush::Stream out {labelText(stream.labels), {}};
        for (const Value &value : stream.values)
            out.entries.append({value.timestampNs, value.line, value.metadata});
        streams.append(out);
    }
    return TestPush::snappyCompress(TestPush::encodePushRequest(streams));
}

// The push's send time, a minute ago: inside every default limit.
inline qint64 baseNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000 - Minute; }

inline QByteArray rfc3339(qint64 timestampNs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"))
            .toUtf8();
}

// Go's time.Time.String() of a UTC time with whole milliseconds.
inline QByteArray goTime(qint64 timestampNs)
{
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000, Qt::UTC);
    QByteArray out = time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toUtf8();
    if (const int ms = time.time().msec()) {
        QByteArray fraction = QByteArray::number(ms).rightJustified(3, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        out += '.' + fraction;
    }
    return out + " +0000 UTC";
}

// {TIME} in an expected answer stands for an RFC3339 time taken when the push arrived.
inline QRegularExpression answerPattern(const QByteArray &expected)
{
    QString pattern = QRegularExpression::escape(QString::fromUtf8(expected));
    pattern.replace(QStringLiteral("\\{TIME\\}"),
                    QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

inline ReasonCounts reasons(std::initializer_list<std::pair<const char *, quint64>> counts)
{
    ReasonCounts out;
    for (const auto &[reason, count] : counts)
        out.insert(QString::fromLatin1(reason), count);
    return out;
}

inline const Pairs App {{"app", "r"}};
inline const QByteArray AppName = R"({app="r"})";

inline Value ok(qint64 t, const char *line) { return Value {t, line, {}}; }

} // namespace RefusalTest
