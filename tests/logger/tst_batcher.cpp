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
        QCOMPARE(e.line, QStringLiteral("payment"));
        QCOMPARE(e.metadata, labels({{"amount", "100.5"}, {"currency", "USD"},
                                     {"operation_type", "payment"}}));
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
        QCOMPARE(batch.streams[0].entries[0].line, QStringLiteral("a"));
        QCOMPARE(batch.streams[0].entries[1].line, QStringLiteral("c"));
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
        QCOMPARE(batch.streams[0].entries[0].metadata,
                 labels({{"label_not_a_label", "kept as metadata"}}));
    }

    void reservedLabelCollisionIsKeptAsMetadata()
    {
        PushBatch batch;
        makeBatcher().build({entry(Level::Info, QStringLiteral("x"),
                                   {{QStringLiteral("label_level"), QStringLiteral("custom")}})},
                            &batch);
        QCOMPARE(batch.streams[0].labels.at(2), qMakePair(QStringLiteral("level"), QStringLiteral("info")));
        QCOMPARE(batch.streams[0].entries[0].metadata, labels({{"level", "custom"}}));
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

    void utf8Length_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("ascii") << QStringLiteral("hello");
        QTest::newRow("latin1") << QStringLiteral("d\u00e9j\u00e0");
        QTest::newRow("cjk") << QStringLiteral("\u65e5\u5fd7");
        QTest::newRow("emoji") << QString::fromUtf8("\xf0\x9f\x93\x9c log");
        QTest::newRow("empty") << QString();
    }
    void utf8Length()
    {
        QFETCH(QString, text);
        QCOMPARE(Batcher::utf8Length(text), qint64(text.toUtf8().size()));
    }
};

QTEST_GUILESS_MAIN(tst_Batcher)
#include "tst_batcher.moc"
