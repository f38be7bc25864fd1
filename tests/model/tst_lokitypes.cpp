// SPDX-License-Identifier: MIT
#include <QLoki/lokitypes.h>

#include <QtCore/QMetaEnum>
#include <QtCore/QSet>
#include <QtTest/QTest>

using namespace QLoki;

class tst_LokiTypes : public QObject
{
    Q_OBJECT

private slots:
    void levelRoundTrip();
    void levelAliases_data();
    void levelAliases();
    void overflowPolicyRoundTrip();
    void wireFormatRoundTrip();
    void unknownNames();
    void namesAreDistinct();
};

namespace {

template<typename Enum>
QList<Enum> allValues()
{
    const QMetaEnum meta = QMetaEnum::fromType<Enum>();
    QList<Enum> values;
    for (int i = 0; i < meta.keyCount(); ++i)
        values.append(Enum(meta.value(i)));
    return values;
}

} // namespace

void tst_LokiTypes::levelRoundTrip()
{
    const QList<Level> levels = allValues<Level>();
    QCOMPARE(levels.size(), 5);
    for (Level level : levels) {
        Level parsed = Level::Debug;
        QVERIFY(parseLevel(levelName(level), &parsed));
        QCOMPARE(parsed, level);
        QCOMPARE(levelName(level), levelName(level).toLower());
    }
    QCOMPARE(levelName(Level::Warning), QStringLiteral("warning"));
}

void tst_LokiTypes::levelAliases_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Level>("level");
    QTest::newRow("warn") << QStringLiteral("warn") << Level::Warning;
    QTest::newRow("WARNING") << QStringLiteral("WARNING") << Level::Warning;
    QTest::newRow("trace") << QStringLiteral("trace") << Level::Debug;
    QTest::newRow("fatal") << QStringLiteral("fatal") << Level::Critical;
    QTest::newRow("padded") << QStringLiteral(" error ") << Level::Error;
}

void tst_LokiTypes::levelAliases()
{
    QFETCH(QString, name);
    QFETCH(Level, level);
    Level parsed = Level::Info;
    QVERIFY(parseLevel(name, &parsed));
    QCOMPARE(parsed, level);
}

void tst_LokiTypes::overflowPolicyRoundTrip()
{
    for (OverflowPolicy policy : allValues<OverflowPolicy>()) {
        OverflowPolicy parsed = OverflowPolicy::Block;
        QVERIFY(parseOverflowPolicy(overflowPolicyName(policy), &parsed));
        QCOMPARE(parsed, policy);
        QVERIFY(parseOverflowPolicy(overflowPolicyName(policy).toUpper(), &parsed));
        QCOMPARE(parsed, policy);
    }
    QCOMPARE(overflowPolicyName(OverflowPolicy::DropOldest), QStringLiteral("drop-oldest"));
}

void tst_LokiTypes::wireFormatRoundTrip()
{
    for (WireFormat format : allValues<WireFormat>()) {
        WireFormat parsed = WireFormat::Json;
        QVERIFY(parseWireFormat(wireFormatName(format), &parsed));
        QCOMPARE(parsed, format);
    }
    QCOMPARE(wireFormatName(WireFormat::JsonGzip), QStringLiteral("json-gzip"));
    QCOMPARE(wireFormatName(WireFormat::Otlp), QStringLiteral("otlp"));
    QCOMPARE(wireFormatName(WireFormat::OtlpJson), QStringLiteral("otlp-json"));
    QCOMPARE(wireFormatName(WireFormat::OtlpGzip), QStringLiteral("otlp-gzip"));
    QCOMPARE(wireFormatName(WireFormat::OtlpJsonGzip), QStringLiteral("otlp-json-gzip"));
}

void tst_LokiTypes::unknownNames()
{
    Level level = Level::Error;
    QVERIFY(!parseLevel(QStringLiteral("verbose"), &level));
    QCOMPARE(level, Level::Error); // untouched on failure
    QVERIFY(!parseLevel(QString(), nullptr));
    OverflowPolicy policy = OverflowPolicy::Block;
    QVERIFY(!parseOverflowPolicy(QStringLiteral("drop"), &policy));
    QCOMPARE(policy, OverflowPolicy::Block);
    WireFormat format = WireFormat::Json;
    QVERIFY(!parseWireFormat(QStringLiteral("xml"), &format));
    QCOMPARE(format, WireFormat::Json);
    // A null out-pointer only asks whether the name is known.
    QVERIFY(parseWireFormat(QStringLiteral("protobuf"), nullptr));
}

void tst_LokiTypes::namesAreDistinct()
{
    QSet<QString> reasons;
    const QList<DropReason> allReasons = allValues<DropReason>();
    QCOMPARE(allReasons.size(), DropReasonCount);
    for (DropReason reason : allReasons)
        reasons.insert(dropReasonName(reason));
    QCOMPARE(reasons.size(), DropReasonCount);
    QVERIFY(!reasons.contains(QStringLiteral("unknown")));
    QCOMPARE(dropReasonName(DropReason::BufferFull), QStringLiteral("buffer_full"));

    QSet<QString> states;
    for (State state : allValues<State>()) {
        QVERIFY(!stateName(state).isEmpty());
        states.insert(stateName(state));
    }
    QCOMPARE(states.size(), 4);
}

QTEST_GUILESS_MAIN(tst_LokiTypes)
#include "tst_lokitypes.moc"
