// SPDX-License-Identifier: MIT
// Refusals as Loki answers them: each stream and entry judged on its own, the valid
// entries stored (exactly once), Loki's words for each reason, several refusals grouped
// as Loki groups them, the ingester's out-of-order window, the counters and /metrics,
// and the Loki 2.8 legacy answer to structured metadata.
#include "httphelper.h"
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QDateTime>
#include <QtCore/QRegularExpression>
#include <QtTest/QtTest>

namespace {

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
QByteArray labelText(const Pairs &labels)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < labels.size(); ++i)
        out += (i ? ", " : "") + labels.at(i).first + "=\"" + labels.at(i).second + '"';
    return out + '}';
}

QByteArray jsonObject(const Pairs &pairs)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < pairs.size(); ++i)
        out += (i ? "," : "") + ('"' + pairs.at(i).first + "\":\"" + pairs.at(i).second + '"');
    return out + '}';
}

QByteArray jsonBody(const Push &push)
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

QByteArray protobufBody(const Push &push)
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
qint64 baseNs() { return QDateTime::currentMSecsSinceEpoch() * 1000000 - Minute; }

QByteArray rfc3339(qint64 timestampNs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampNs / 1000000, Qt::UTC)
            .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"))
            .toUtf8();
}

// Go's time.Time.String() of a UTC time with whole milliseconds.
QByteArray goTime(qint64 timestampNs)
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
QRegularExpression answerPattern(const QByteArray &expected)
{
    QString pattern = QRegularExpression::escape(QString::fromUtf8(expected));
    pattern.replace(QStringLiteral("\\{TIME\\}"),
                    QStringLiteral("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

ReasonCounts reasons(std::initializer_list<std::pair<const char *, quint64>> counts)
{
    ReasonCounts out;
    for (const auto &[reason, count] : counts)
        out.insert(QString::fromLatin1(reason), count);
    return out;
}

const Pairs App {{"app", "r"}};
const QByteArray AppName = R"({app="r"})";

Value ok(qint64 t, const char *line) { return Value {t, line, {}}; }

} // namespace

class tst_ReceiverRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void refusals_data();
    void refusals();
    void outOfOrderWindowAcrossPushes();
    void outOfOrderWindowOff();
    void metadataAsLoki28_data();
    void metadataAsLoki28();
    void countingOnlyKeepsNoViews();

private:
    TestHttp::Reply push(const QByteArray &wire, const Push &push);

    LokiReceiver m_receiver;
    QNetworkAccessManager m_manager;
};

void tst_ReceiverRefusals::initTestCase()
{
    QVERIFY2(m_receiver.listen(), qPrintable(m_receiver.errorString()));
}

void tst_ReceiverRefusals::init()
{
    m_receiver.reset();
    m_receiver.setCountingOnly(false);
    m_receiver.setLimits(LokiReceiver::Limits());
}

TestHttp::Reply tst_ReceiverRefusals::push(const QByteArray &wire, const Push &push)
{
    if (wire == "json")
        return TestHttp::pushJson(m_manager, m_receiver.pushUrl(), jsonBody(push));
    return TestHttp::pushProtobuf(m_manager, m_receiver.pushUrl(), protobufBody(push));
}

void tst_ReceiverRefusals::refusals_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Push>("push");
    QTest::addColumn<bool>("allowMetadata");
    QTest::addColumn<int>("status");
    // The whole answer without its final newline; {TIME} stands for a time of arrival.
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<QList<QByteArray>>("stored");
    QTest::addColumn<ReasonCounts>("rejected");

    const qint64 t = baseNs();
    const QByteArray longLine(262145, 'x');
    const QByteArray bigValue(70000, 'v');
    Pairs manyPairs;
    for (int i = 0; i < 129; ++i)
        manyPairs.append({"k" + QByteArray::number(i).rightJustified(3, '0'), "v"});
    Pairs sixteen;
    for (int i = 0; i < 16; ++i)
        sixteen.append({"l" + QByteArray::number(i).rightJustified(2, '0'), "v"});
    const QByteArray longName(1025, 'n');
    const QByteArray longValue(2049, 'v');
    const QList<QByteArray> both {"kept 1", "kept 2"};

    for (const QByteArray &wire : {QByteArray("json"), QByteArray("protobuf")}) {
        auto row = [&wire](const char *name) -> QTestData & {
            return QTest::newRow(QByteArray(wire + ": " + name).constData()) << wire;
        };
        row("all valid") << Push {{App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}} << true << 204
                         << QByteArray() << both << ReasonCounts();
        row("line too long")
                << Push {{App, {ok(t, "kept 1"), Value {t + 1, longLine, {}}, ok(t + 2, "kept 2")}}}
                << true << 400
                << "Max entry size '262144' bytes exceeded for stream '" + AppName
                        + "' while adding an entry with length '262145' bytes"
                << both << reasons({{"line_too_long", 1}});
        row("too old") << Push {{App,
                                 {ok(t, "kept 1"), ok(t - 8 * Day, "old"), ok(t + 1, "kept 2")}}}
                       << true << 400
                       << "entry for stream '" + AppName + "' has timestamp too old: "
                        + rfc3339(t - 8 * Day) + ", oldest acceptable timestamp is: {TIME}"
                       << both << reasons({{"greater_than_max_sample_age", 1}});
        row("too new") << Push {{App, {ok(t, "kept 1"), ok(t + Hour, "new"), ok(t + 1, "kept 2")}}}
                       << true << 400
                       << "entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                       << both << reasons({{"too_far_in_future", 1}});
        row("structured metadata disallowed")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", {{"user", "7"}}},
                           ok(t + 2, "kept 2")}}}
                << false << 400
                << "stream '" + AppName
                        + "' includes structured metadata, but this feature is disallowed. Please "
                          "see `limits_config.allow_structured_metadata` or contact your Loki "
                          "administrator to enable it."
                << both << reasons({{"disallowed_structured_metadata", 1}});
        row("structured metadata too large")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", {{"blob", bigValue}}},
                           ok(t + 2, "kept 2")}}}
                << true << 400
                << "stream '" + AppName
                        + "' has structured metadata too large: '70004' bytes, limit: '65536' "
                          "bytes. Please see `limits_config.max_structured_metadata_size` or "
                          "contact your Loki administrator to increase it."
                << both << reasons({{"structured_metadata_too_large", 1}});
        row("structured metadata too many")
                << Push {{App,
                          {ok(t, "kept 1"), Value {t + 1, "meta", manyPairs}, ok(t + 2, "kept 2")}}}
                << true << 400
                << "stream '" + AppName
                        + "' has too many structured metadata labels: '129', limit: '128'. Please "
                          "see `limits_config.max_structured_metadata_entries_count` or contact "
                          "your Loki administrator to increase it."
                << both << reasons({{"structured_metadata_too_many", 1}});
        row("no labels: the stream refused once")
                << Push {{{}, {ok(t, "lost 1"), ok(t + 1, "lost 2")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400 << QByteArray("error at least one label pair is required per stream")
                << both << reasons({{"missing_labels", 2}});
        row("only an empty label value")
                << Push {{{{"app", ""}}, {ok(t, "lost")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400 << QByteArray("error at least one label pair is required per stream")
                << both << reasons({{"missing_labels", 1}});
        row("too many label names")
                << Push {{sixteen, {ok(t, "lost")}}, {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "entry for stream '" + labelText(sixteen) + "' has 16 label names; limit 15"
                << both << reasons({{"max_label_names_per_series", 1}});
        row("label name too long")
                << Push {{{{longName, "v"}}, {ok(t, "lost")}},
                         {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "stream '{" + longName + "=\"v\"}' has label name too long: '" + longName + '\''
                << both << reasons({{"label_name_too_long", 1}});
        row("label value too long") << Push {{{{"app", longValue}}, {ok(t, "lost")}},
                                             {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
                                    << true << 400
                                    << "stream '{app=\"" + longValue
                        + "\"}' has label value too long: '" + longValue + '\''
                                    << both << reasons({{"label_value_too_long", 1}});
        row("invalid label name: the whole push refused")
                << Push {{App, {ok(t, "lost 1")}}, {{{"bad-name", "x"}}, {ok(t, "lost 2")}}} << true
                << 400
                << QByteArray(
                           R"(couldn't parse labels: 1:5: parse error: unexpected character inside braces: '-')")
                << QList<QByteArray>() << reasons({{"invalid_labels", 2}});
        row("too far behind: the ingester's answer")
                << Push {{App,
                          {ok(t, "kept 1"), ok(t - 2 * Hour, "behind"),
                           ok(t - 30 * Minute, "kept 2")}}}
                << true << 400
                << "entry with timestamp " + goTime(t - 2 * Hour)
                        + " ignored, reason: 'entry too far behind, entry timestamp is: "
                        + rfc3339(t - 2 * Hour)
                        + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                        + "',\nuser 'fake', total ignored: 1 out of 3 for stream: " + AppName
                << both << reasons({{"too_far_behind", 1}});
        row("one reason three times")
                << Push {{App,
                          {ok(t, "kept 1"), ok(t + Hour, "new"), ok(t + Hour, "new 2"),
                           ok(t + Hour, "new 3"), ok(t + 1, "kept 2")}}}
                << true << 400
                << "3 errors like: entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                << both << reasons({{"too_far_in_future", 3}});
        row("two reasons, grouped by message")
                << Push {{App,
                          {Value {t, longLine, {}}, ok(t + 1, "kept 1"),
                           Value {t + 2, longLine, {}}, ok(t + Hour, "new")}},
                         {{}, {ok(t, "lost")}},
                         {{{"app", "s"}}, {ok(t + 3, "kept 2")}}}
                << true << 400
                << "2 errors like: Max entry size '262144' bytes exceeded for stream '" + AppName
                        + "' while adding an entry with length '262145' bytes; 1 errors like: "
                          "entry for stream '"
                        + AppName + "' has timestamp too new: " + rfc3339(t + Hour)
                        + "; 1 errors like: error at least one label pair is required per stream"
                << both
                << reasons({{"line_too_long", 2}, {"too_far_in_future", 1}, {"missing_labels", 1}});
        row("the ingester's answer replaces the distributor's")
                << Push {{App,
                          {Value {t, longLine, {}}, ok(t, "kept 1"), ok(t - 3 * Hour, "behind"),
                           ok(t + 1, "kept 2")}}}
                << true << 400
                << "entry with timestamp " + goTime(t - 3 * Hour)
                        + " ignored, reason: 'entry too far behind, entry timestamp is: "
                        + rfc3339(t - 3 * Hour)
                        + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                        + "',\nuser 'fake', total ignored: 1 out of 3 for stream: " + AppName
                << both << reasons({{"line_too_long", 1}, {"too_far_behind", 1}});
        row("every entry refused")
                << Push {{App, {ok(t + Hour, "new"), Value {t, longLine, {}}}}} << true << 400
                << "1 errors like: entry for stream '" + AppName
                        + "' has timestamp too new: " + rfc3339(t + Hour)
                        + "; 1 errors like: Max entry size '262144' bytes "
                          "exceeded for stream '"
                        + AppName + "' while adding an entry with length '262145' bytes"
                << QList<QByteArray>() << reasons({{"too_far_in_future", 1}, {"line_too_long", 1}});
    }
    // JSON objects cannot repeat a key.
    QTest::newRow("protobuf: duplicate label name")
            << QByteArray("protobuf")
            << Push {{{{"app", "a"}, {"app", "b"}}, {ok(t, "lost")}},
                     {App, {ok(t, "kept 1"), ok(t + 1, "kept 2")}}}
            << true << 400
            << QByteArray(R"(stream '{app="a", app="b"}' has duplicate label name: 'app')") << both
            << reasons({{"duplicate_label_names", 1}});
}

void tst_ReceiverRefusals::refusals()
{
    QFETCH(QByteArray, wire);
    QFETCH(Push, push);
    QFETCH(bool, allowMetadata);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(QList<QByteArray>, stored);
    QFETCH(ReasonCounts, rejected);

    LokiReceiver::Limits limits;
    limits.allowStructuredMetadata = allowMetadata;
    quint64 rejectedTotal = 0;
    for (const quint64 count : rejected)
        rejectedTotal += count;

    // Stored, then counted only: both answer alike.
    for (const bool countingOnly : {false, true}) {
        m_receiver.reset();
        m_receiver.setCountingOnly(countingOnly);
        m_receiver.setLimits(limits);
        QSignalSpy handled(&m_receiver, &LokiReceiver::pushHandled);
        const TestHttp::Reply reply = this->push(wire, push);
        QVERIFY(reply.finished);
        QCOMPARE(reply.status, status);
        if (status == 204) {
            QCOMPARE(reply.body, QByteArray());
        } else {
            QVERIFY(reply.body.endsWith('\n'));
            QVERIFY2(answerPattern(answer)
                             .match(QString::fromUtf8(reply.body.chopped(1)))
                             .hasMatch(),
                     reply.body.constData());
        }
        QCOMPARE(handled.count(), 1);
        QCOMPARE(handled.at(0).at(1).toInt(), stored.size());

        const LokiReceiver::Stats stats = m_receiver.stats();
        QCOMPARE(stats.entriesAccepted, quint64(stored.size()));
        QCOMPARE(stats.entriesRejected, rejectedTotal);
        QCOMPARE(stats.rejectedByReason, rejected);
        if (countingOnly) {
            QCOMPARE(m_receiver.entryCount(), 0);
            continue;
        }
        // Every valid entry stored, each exactly once.
        QList<QByteArray> lines;
        for (const LokiReceiver::Entry &entry : m_receiver.entries())
            lines.append(entry.line.toUtf8());
        std::sort(lines.begin(), lines.end());
        QList<QByteArray> expected = stored;
        std::sort(expected.begin(), expected.end());
        QCOMPARE(lines, expected);

        const TestHttp::Reply metrics = TestHttp::get(
                m_manager, m_receiver.baseUrl().resolved(QUrl(QStringLiteral("/metrics"))));
        QVERIFY(metrics.body.contains(QByteArray("loki_receiver_entries_rejected_total "
                                                 + QByteArray::number(rejectedTotal) + '\n')));
        for (auto it = rejected.cbegin(); it != rejected.cend(); ++it) {
            const QByteArray line = "loki_receiver_discarded_samples_total{reason=\""
                    + it.key().toUtf8() + "\"} " + QByteArray::number(it.value()) + '\n';
            QVERIFY2(metrics.body.contains(line), line.constData());
        }
    }
}

void tst_ReceiverRefusals::outOfOrderWindowAcrossPushes()
{
    const qint64 t = baseNs();
    QCOMPARE(push("protobuf", {{App, {ok(t, "newest")}}}).status, 204);
    // Within the hour behind the stream's newest entry, out of order is fine.
    QCOMPARE(push("protobuf", {{App, {ok(t - 59 * Minute, "late")}}}).status, 204);
    // Another stream has a window of its own; so has another tenant.
    QCOMPARE(push("json", {{{{"app", "other"}}, {ok(t - 3 * Hour, "first of its stream")}}}).status,
             204);
    Push behind {{App,
                  {ok(t - 61 * Minute, "behind 1"), ok(t - 62 * Minute, "behind 2"),
                   ok(t - 10 * Minute, "kept")}}};
    const TestHttp::Reply reply = push("json", behind);
    QCOMPARE(reply.status, 400);
    QCOMPARE(reply.body,
             "entry with timestamp " + goTime(t - 61 * Minute)
                     + " ignored, reason: 'entry too far behind, entry timestamp is: "
                     + rfc3339(t - 61 * Minute) + ", oldest acceptable timestamp is: "
                     + rfc3339(t - Hour) + "',\nentry with timestamp " + goTime(t - 62 * Minute)
                     + " ignored, reason: 'entry too far behind, entry timestamp is: "
                     + rfc3339(t - 62 * Minute)
                     + ", oldest acceptable timestamp is: " + rfc3339(t - Hour)
                     + "',\nuser 'fake', total ignored: 2 out of 3 for stream: " + AppName + '\n');
    QCOMPARE(m_receiver.entryCount(), 4);
    QCOMPARE(m_receiver.stats().rejectedByReason, reasons({{"too_far_behind", 2}}));

    // The tenant is named as Loki names it.
    const TestHttp::Reply tenant = TestHttp::post(
            m_manager, m_receiver.pushUrl(), jsonBody({{App, {ok(t, "a"), ok(t - 2 * Hour, "b")}}}),
            {{"Content-Type", "application/json"}, {"X-Scope-OrgID", "team-a"}});
    QCOMPARE(tenant.status, 400);
    QVERIFY2(tenant.body.endsWith(QByteArray(
                     "user 'team-a', total ignored: 1 out of 2 for stream: " + AppName + '\n')),
             tenant.body.constData());

    // More than ten ignored entries: the first ten are listed, all are counted.
    Push many {{App, {}}};
    for (int i = 0; i < 12; ++i)
        many[0].values.append(ok(t - 2 * Hour - i, "old"));
    const TestHttp::Reply listed = push("protobuf", many);
    QCOMPARE(listed.status, 400);
    QCOMPARE(listed.body.count("ignored, reason: 'entry too far behind"), 10);
    QVERIFY(listed.body.endsWith(
            QByteArray("total ignored: 12 out of 12 for stream: " + AppName + '\n')));
}

void tst_ReceiverRefusals::outOfOrderWindowOff()
{
    LokiReceiver::Limits limits;
    QCOMPARE(limits.outOfOrderWindow, std::chrono::milliseconds(std::chrono::hours(1)));
    limits.outOfOrderWindow = std::chrono::milliseconds(0);
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    QCOMPARE(push("protobuf", {{App, {ok(t, "newest"), ok(t - 5 * Day, "old but accepted")}}})
                     .status,
             204);
    QCOMPARE(m_receiver.entryCount(), 2);
}

void tst_ReceiverRefusals::metadataAsLoki28_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<Push>("push");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("stored");
    QTest::addColumn<bool>("metadataStored");

    const qint64 t = 1732406400LL * Second;
    const Push withMetadata {
            {App, {ok(t, "kept"), Value {t + 1, "payment", {{"user_id", "12345"}}}}}};
    // The first offending stream object ends at byte 130 of the body; jsoniter reports up to
    // 10 bytes and up to 50 bytes on either side of that point.
    QTest::newRow("json: the whole push fails to parse")
            << QByteArray("json") << withMetadata << 400
            << QByteArray(
                       R"(loghttp.PushRequest.Streams: []*loghttp.Stream: unmarshalerDecoder: Value is not a string, error found in #10 byte of ...|12345"}]]}]}|..., bigger context ...|2406400000000001","payment",{"user_id":"12345"}]]}]}|...)")
            << 0 << false;
    QTest::newRow("json without metadata") << QByteArray("json") << Push {{App, {ok(t, "kept")}}}
                                           << 204 << QByteArray() << 1 << false;
    QTest::newRow("protobuf: the metadata silently dropped")
            << QByteArray("protobuf") << withMetadata << 204 << QByteArray() << 2 << false;
}

void tst_ReceiverRefusals::metadataAsLoki28()
{
    QFETCH(QByteArray, wire);
    QFETCH(Push, push);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    QFETCH(int, stored);
    QFETCH(bool, metadataStored);

    LokiReceiver::Limits limits;
    limits.rejectOldSamples = false;
    limits.allowStructuredMetadata = false;
    limits.metadataAsLoki28 = true;
    m_receiver.setLimits(limits);
    const TestHttp::Reply reply = this->push(wire, push);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, status == 204 ? QByteArray() : answer + '\n');
    QCOMPARE(m_receiver.entryCount(), qint64(stored));
    for (const LokiReceiver::Entry &entry : m_receiver.entries())
        QCOMPARE(!entry.structuredMetadata.isEmpty(), metadataStored);

    // The switch means nothing while metadata is allowed.
    limits.allowStructuredMetadata = true;
    m_receiver.setLimits(limits);
    m_receiver.clear();
    QCOMPARE(this->push(wire, push).status, 204);
    QCOMPARE(m_receiver.entryCount(), push.constFirst().values.size());
}

void tst_ReceiverRefusals::countingOnlyKeepsNoViews()
{
    // Counting reads protobuf strings in place; refusals and counters must own what they
    // keep. Under AddressSanitizer a kept view of the freed message is a failure.
    m_receiver.setCountingOnly(true);
    LokiReceiver::Limits limits;
    limits.maxLineSize = 4;
    m_receiver.setLimits(limits);
    const qint64 t = baseNs();
    const Push refused {{App, {ok(t, "ok"), ok(t - 2 * Hour, "old"), ok(t + 1, "too long")}},
                        {{{"app", "x"}, {"app", "y"}}, {ok(t, "dup")}}};
    for (int round = 0; round < 3; ++round) {
        const TestHttp::Reply reply = push("protobuf", refused);
        QCOMPARE(reply.status, 400);
        QVERIFY2(
                reply.body.contains(QByteArray("total ignored: 1 out of 2 for stream: " + AppName)),
                reply.body.constData());
    }
    const LokiReceiver::Stats stats = m_receiver.stats();
    QCOMPARE(stats.entriesAccepted, 3u);
    QCOMPARE(stats.entriesRejected, 9u);
    QCOMPARE(stats.rejectedByReason,
             reasons({{"line_too_long", 3}, {"too_far_behind", 3}, {"duplicate_label_names", 3}}));
}

QTEST_GUILESS_MAIN(tst_ReceiverRefusals)
#include "tst_receiver_refusals.moc"
