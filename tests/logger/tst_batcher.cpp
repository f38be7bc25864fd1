// SPDX-License-Identifier: MIT
#include "pipeline/batcher_p.h"

#include <QtTest/QtTest>

using namespace QLoki;
using namespace QLoki::detail;

static PendingEntry entry(Level level, const QString &line, const QVariantMap &fields = {},
                          qint64 ts = 1)
{
    PendingEntry e;
    e.level = level;
    e.line = line;
    e.fields = fields;
    e.timestampNs = ts;
    return e;
}

static Batcher makeBatcher(qint64 maxBytes = 1 << 20, LabelList staticLabels = {})
{
    return Batcher(Batcher::Context{QStringLiteral("demo"), QStringLiteral("staging"),
                                    std::move(staticLabels), LabelLimits(), maxBytes});
}

static LabelList labels(std::initializer_list<std::pair<const char *, const char *>> pairs)
{
    LabelList list;
    for (const auto &p : pairs)
        list.append({QString::fromUtf8(p.first), QString::fromUtf8(p.second)});
    return list;
}

class tst_Batcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonSdkFieldsBecomeLabelsAndMetadata()
    {
        const QList<PendingEntry> entries{entry(
            Level::Info, QStringLiteral("payment"),
            {{QStringLiteral("label_user_id"), QStringLiteral("12345")},
             {QStringLiteral("operation_type"), QStringLiteral("payment")},
             {QStringLiteral("amount"), 100.50},
             {QStringLiteral("currency"), QStringLiteral("USD")}},
            42)};
        PushBatch batch;
        QCOMPARE(makeBatcher().build(entries, &batch), 1);
        QCOMPARE(batch.streams.size(), 1);
        QCOMPARE(batch.streams[0].labels,
                 labels({{"app", "demo"}, {"environment", "staging"}, {"level", "info"},
                         {"user_id", "12345"}}));
        const WireEntry &e = batch.streams[0].entries.at(0);
        QCOMPARE(e.timestampNs, qint64(42));
        QCOMPARE(e.lineText(), QStringLiteral("payment"));
        QCOMPARE(e.metadataList(),
                 labels({{"amount", "100.5"}, {"currency", "USD"}, {"operation_type", "payment"}}));
    }

    void groupsByLabelSetKeepingOrder()
    {
        const QList<PendingEntry> entries{
            entry(Level::Info, QStringLiteral("a"), {}, 1),
            entry(Level::Error, QStringLiteral("b"), {}, 2),
            entry(Level::Info, QStringLiteral("c"), {}, 3),
            entry(Level::Info, QStringLiteral("d"), {{QStringLiteral("label_x"), 1}}, 4),
        };
        PushBatch batch;
        QCOMPARE(makeBatcher().build(entries, &batch), 4);
        QCOMPARE(batch.streams.size(), 3);
        QCOMPARE(batch.entryCount(), 4);
        QCOMPARE(batch.streams[0].entries.size(), 2);
        QCOMPARE(batch.streams[0].entries[0].lineText(), QStringLiteral("a"));
        QCOMPARE(batch.streams[0].entries[1].lineText(), QStringLiteral("c"));
        QCOMPARE(batch.streams[1].labels.at(2), qMakePair(QStringLiteral("level"), QStringLiteral("error")));
        QCOMPARE(batch.streams[2].labels.last(), qMakePair(QStringLiteral("x"), QStringLiteral("1")));
    }

    void explicitLabelsAndStaticLabels()
    {
        PendingEntry e = entry(Level::Warning, QStringLiteral("w"));
        e.explicitLabels = true;
        e.labels = {{QStringLiteral("component"), QStringLiteral("db")},
                    {QStringLiteral("region"), QStringLiteral("eu")}};
        e.fields = {{QStringLiteral("label_not_a_label"), QStringLiteral("kept as metadata")}};
        PushBatch batch;
        makeBatcher(1 << 20, labels({{"region", "us"}, {"team", "core"}})).build({e}, &batch);
        QCOMPARE(batch.streams[0].labels,
                 labels({{"app", "demo"}, {"component", "db"}, {"environment", "staging"},
                         {"level", "warning"}, {"region", "eu"}, {"team", "core"}}));
        QCOMPARE(batch.streams[0].entries[0].metadataList(),
                 labels({{"label_not_a_label", "kept as metadata"}}));
    }

    void reservedLabelCollisionIsKeptAsMetadata()
    {
        PushBatch batch;
        makeBatcher().build({entry(Level::Info, QStringLiteral("x"),
                                   {{QStringLiteral("label_level"), QStringLiteral("custom")}})},
                            &batch);
        QCOMPARE(batch.streams[0].labels.at(2), qMakePair(QStringLiteral("level"), QStringLiteral("info")));
        QCOMPARE(batch.streams[0].entries[0].metadataList(), labels({{"level", "custom"}}));
    }

    void cutsAtByteLimitButTakesAtLeastOne()
    {
        const QString big(600, QLatin1Char('x'));
        const QList<PendingEntry> entries{entry(Level::Info, big), entry(Level::Info, big),
                                          entry(Level::Info, big)};
        PushBatch batch;
        QCOMPARE(makeBatcher(1000).build(entries, &batch), 1);
        QCOMPARE(makeBatcher(1200).build(entries, &batch), 2);
        QCOMPARE(makeBatcher(10).build(entries, &batch), 1);
        QCOMPARE(batch.entryCount(), 1);
    }

    void wireEntryIsUtf8_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << QStringLiteral("hello");
        QTest::newRow("latin1") << QStringLiteral("d\u00e9j\u00e0");
        QTest::newRow("cjk") << QStringLiteral("\u65e5\u5fd7");
        QTest::newRow("emoji") << QString::fromUtf8("\xf0\x9f\x93\x9c log");
        QTest::newRow("empty") << QString();
    }
    void wireEntryIsUtf8()
    {
        QFETCH(QString, text);
        const WireEntry e(1, text, {{QStringLiteral("k"), text}});
        QCOMPARE(e.line().toByteArray(), text.toUtf8());
        QCOMPARE(e.utf8Size(), 2 * text.toUtf8().size() + 1);
        QCOMPARE(e.lineText(), text);
        QCOMPARE(e.metadataList(), LabelList({{QStringLiteral("k"), text}}));
    }

    // Found by fuzz_roundtrip under UBSan: the shorter way compared a null QString with an
    // empty one that is not null by memcmp() with a null pointer, which is undefined even
    // for 0 bytes (the sanitizer build of the test command reports it).
    void nullAndEmptyLabelValueResolveAlike()
    {
        const QString empty = QString::fromLatin1("", 0);
        QVERIFY(!empty.isNull());
        Batcher batcher = makeBatcher();
        const QueuedEntry first =
                batcher.resolve(entry(Level::Info, QStringLiteral("one"),
                                      {{QStringLiteral("label_a"), empty},
                                       {QStringLiteral("label_b"), QStringLiteral("x")}},
                                      1));
        const QueuedEntry second =
                batcher.resolve(entry(Level::Info, QStringLiteral("two"),
                                      {{QStringLiteral("label_a"), QString()},
                                       {QStringLiteral("label_b"), QStringLiteral("x")}},
                                      2));
        QCOMPARE(second.stream.data(), first.stream.data());
        QCOMPARE(first.stream->labels,
                 labels({{"app", "demo"},
                         {"b", "x"},
                         {"environment", "staging"},
                         {"level", "info"}}));
    }

    // Consecutive entries of one call site take a shorter way to their final form; it
    // must give exactly what the general one gives.
    void repeatedCallSiteResolvesAlike_data()
    {
        QTest::addColumn<QVariantMap>("fields");
        QTest::newRow("strings") << QVariantMap {
                {QStringLiteral("label_service"), QStringLiteral("checkout")},
                {QStringLiteral("order_id"), QStringLiteral("42")}};
        QTest::newRow("numbers") << QVariantMap {
                {QStringLiteral("label_region"), QStringLiteral("eu")},
                {QStringLiteral("amount"), 100.5},
                {QStringLiteral("big"), 1e21},
                {QStringLiteral("count"), 7},
                {QStringLiteral("neg"), qint64(-3)},
                {QStringLiteral("ok"), true},
                {QStringLiteral("small"), 0.0001f},
                {QStringLiteral("u"), 5u}};
        QTest::newRow("other types") << QVariantMap {
                {QStringLiteral("label_a"), QStringLiteral("x")},
                {QStringLiteral("list"), QStringList {QStringLiteral("p"), QStringLiteral("q")}},
                {QStringLiteral("text"), QStringLiteral("\u65e5 \"quoted\"")}};
        QTest::newRow("repaired name")
                << QVariantMap {{QStringLiteral("label_a"), QStringLiteral("x")},
                                {QStringLiteral("user-id"), QStringLiteral("7")}};
        QTest::newRow("labels map")
                << QVariantMap {{QStringLiteral("labels"),
                                 QVariantMap {{QStringLiteral("b"), QStringLiteral("y")}}},
                                {QStringLiteral("m"), QStringLiteral("v")}};
        QTest::newRow("label as number") << QVariantMap {
                {QStringLiteral("label_n"), 5}, {QStringLiteral("m"), QStringLiteral("v")}};
        QTest::newRow("no labels") << QVariantMap {{QStringLiteral("m"), QStringLiteral("v")}};
    }
    void repeatedCallSiteResolvesAlike()
    {
        QFETCH(QVariantMap, fields);
        LabelList callLabels;
        LabelList metadata;
        splitFields(fields, &callLabels, &metadata);
        Batcher batcher = makeBatcher();
        const QueuedEntry first =
                batcher.resolve(entry(Level::Info, QStringLiteral("one"), fields, 1));
        const QueuedEntry second =
                batcher.resolve(entry(Level::Info, QStringLiteral("two"), fields, 2));
        QCOMPARE(second.stream.data(), first.stream.data());
        QCOMPARE(first.entry.metadataList(), metadata);
        QCOMPARE(second.entry.metadataList(), metadata);
        QCOMPARE(second.entry.lineText(), QStringLiteral("two"));
        QCOMPARE(second.entry.timestampNs, qint64(2));
        // Another level is another stream.
        const QueuedEntry third =
                batcher.resolve(entry(Level::Error, QStringLiteral("3"), fields, 3));
        QVERIFY(third.stream.data() != first.stream.data());
        QCOMPARE(third.entry.metadataList(), metadata);
    }

    // A braced list's label values, in the encoding the call gave, meet the call site the
    // first entry left: a value that differs in one unit (ASCII, Latin-1 or UTF-8, at the
    // end or before a character beyond ASCII) is another stream, the same value the same.
    void bracedLabelValuesMeetTheirCallSite()
    {
        Batcher batcher = makeBatcher();
        const auto packed = [](std::initializer_list<LokiField> fields, qint64 ts) {
            PendingEntry e;
            e.level = Level::Info;
            e.timestampNs = ts;
            e.packed = PackedFields::pack(u"line", fields);
            return e;
        };
        const auto value = [](const QueuedEntry &q) { return q.stream->labels.value(0).second; };
        qint64 ts = 0;
        const QueuedEntry abc = batcher.resolve(packed({{"label_a", "abc"}}, ++ts));
        QCOMPARE(value(abc), QStringLiteral("abc"));
        const QueuedEntry abcAgain = batcher.resolve(packed({{"label_a", "abc"}}, ++ts));
        QCOMPARE(abcAgain.stream.data(), abc.stream.data());
        QCOMPARE(abcAgain.entry.lineText(), QStringLiteral("line"));
        const QueuedEntry abd = batcher.resolve(packed({{"label_a", "abd"}}, ++ts));
        QVERIFY(abd.stream.data() != abc.stream.data());
        QCOMPARE(value(abd), QStringLiteral("abd"));
        const QueuedEntry ab = batcher.resolve(packed({{"label_a", "ab"}}, ++ts));
        QCOMPARE(value(ab), QStringLiteral("ab"));
        const QueuedEntry latin =
                batcher.resolve(packed({{"label_a", QLatin1String("gr\xfc")}}, ++ts));
        QCOMPARE(value(latin), QString::fromUtf8("gr\xc3\xbc"));
        const QueuedEntry latinOther =
                batcher.resolve(packed({{"label_a", QLatin1String("gr\xfd")}}, ++ts));
        QCOMPARE(value(latinOther), QString::fromUtf8("gr\xc3\xbd"));
        const QueuedEntry utf8 = batcher.resolve(packed({{"label_a", "x\xc5\xbc"}}, ++ts));
        QCOMPARE(value(utf8), QString::fromUtf8("x\xc5\xbc"));
        const QueuedEntry utf8Again = batcher.resolve(packed({{"label_a", "x\xc5\xbc"}}, ++ts));
        QCOMPARE(utf8Again.stream.data(), utf8.stream.data());
        const QueuedEntry utf8Other = batcher.resolve(packed({{"label_a", "y\xc5\xbc"}}, ++ts));
        QCOMPARE(value(utf8Other), QString::fromUtf8("y\xc5\xbc"));
        // The same text as a QString given before meets the site an 8-bit one left.
        const QueuedEntry asString =
                batcher.resolve(packed({{"label_a", QStringLiteral("abc")}}, ++ts));
        QCOMPARE(value(asString), QStringLiteral("abc"));
    }
};

QTEST_GUILESS_MAIN(tst_Batcher)
#include "tst_batcher.moc"
