// SPDX-License-Identifier: MIT
#include "model/fields_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QTimeZone>
#include <QtCore/QUrl>
#include <QtTest/QTest>

#include <cmath>
#include <limits>

using QLoki::detail::LabelLimits;
using QLoki::detail::LabelList;
using Pair = QPair<QString, QString>;

namespace {

QString s(const char *latin1)
{
    return QString::fromUtf8(latin1);
}

Pair p(const char *name, const char *value)
{
    return {s(name), s(value)};
}

bool isSortedUnique(const LabelList &list)
{
    for (qsizetype i = 1; i < list.size(); ++i) {
        if (!(list[i - 1].first < list[i].first))
            return false;
    }
    return true;
}

} // namespace

class tst_Fields : public QObject
{
    Q_OBJECT

private slots:
    void renderValue_data();
    void renderValue();
    void renderValueLocalTime();
    void renderValueCustomMap();

    void isValidLabelName_data();
    void isValidLabelName();
    void sanitizeLabelName_data();
    void sanitizeLabelName();
    void sanitizeKeepsValidNameShared();

    void splitFields_data();
    void splitFields();
    void splitFieldsNullOutputs();

    void streamLabels_data();
    void streamLabels();
    void streamLabelsOverflowIsAppended();
    void streamLabelsManyLabels();

    void mergeMetadata_data();
    void mergeMetadata();

    void truncateUtf8_data();
    void truncateUtf8();
};

void tst_Fields::renderValue_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("string") << QVariant(s("hello")) << s("hello");
    QTest::newRow("empty string") << QVariant(QString()) << QString();
    QTest::newRow("int") << QVariant(42) << s("42");
    QTest::newRow("negative int") << QVariant(-7) << s("-7");
    QTest::newRow("qint64 max") << QVariant(std::numeric_limits<qint64>::max())
                                << s("9223372036854775807");
    QTest::newRow("quint64 max") << QVariant(std::numeric_limits<quint64>::max())
                                 << s("18446744073709551615");
    QTest::newRow("uint") << QVariant(4000000000u) << s("4000000000");
    QTest::newRow("double 100.50") << QVariant(100.50) << s("100.5");
    QTest::newRow("double 0.1") << QVariant(0.1) << s("0.1");
    QTest::newRow("double integral") << QVariant(5.0) << s("5");
    QTest::newRow("double negative") << QVariant(-2.25) << s("-2.25");
    QTest::newRow("double 1e6") << QVariant(1e6) << s("1000000");
    QTest::newRow("double 1e15") << QVariant(1e15) << s("1000000000000000");
    QTest::newRow("double 1e16") << QVariant(1e16) << s("1e+16");
    QTest::newRow("double 1e21") << QVariant(1e21) << s("1e+21");
    QTest::newRow("double 1.5e300") << QVariant(1.5e300) << s("1.5e+300");
    QTest::newRow("double 0.0001") << QVariant(0.0001) << s("0.0001");
    QTest::newRow("double 1e-5") << QVariant(1e-5) << s("1e-05");
    QTest::newRow("double 123.456e-3") << QVariant(0.123456) << s("0.123456");
    QTest::newRow("double third") << QVariant(1.0 / 3) << s("0.3333333333333333");
    QTest::newRow("double NaN") << QVariant(std::nan("")) << s("NaN");
    QTest::newRow("double +inf") << QVariant(std::numeric_limits<double>::infinity()) << s("+Inf");
    QTest::newRow("double -inf") << QVariant(-std::numeric_limits<double>::infinity()) << s("-Inf");
    QTest::newRow("float 0.1f") << QVariant(0.1f) << s("0.1");
    QTest::newRow("bool true") << QVariant(true) << s("true");
    QTest::newRow("bool false") << QVariant(false) << s("false");
    QTest::newRow("datetime utc")
        << QVariant(QDateTime(QDate(2024, 11, 24), QTime(1, 2, 3, 45), Qt::UTC))
        << s("2024-11-24T01:02:03.045Z");
    QTest::newRow("datetime offset")
        << QVariant(QDateTime(QDate(2024, 11, 24), QTime(1, 2, 3), Qt::OffsetFromUTC, 5400))
        << s("2024-11-24T01:02:03.000+01:30");
    QTest::newRow("datetime offset zero")
        << QVariant(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::OffsetFromUTC, 0))
        << s("2024-01-01T00:00:00.000Z");
    QTest::newRow("datetime invalid") << QVariant(QDateTime()) << QString();
    QTest::newRow("date") << QVariant(QDate(2024, 2, 29)) << s("2024-02-29");
    QTest::newRow("time") << QVariant(QTime(23, 59, 58, 7)) << s("23:59:58.007");
    QTest::newRow("bytes utf8") << QVariant(QByteArray("gr\xc3\xbc\xc3\x9f")) << s("grüß");
    QTest::newRow("bytes invalid") << QVariant(QByteArray("a\xff" "b"))
                                   << (s("a") + QChar(0xFFFD) + s("b"));
    // Found by fuzz_roundtrip: QString::fromUtf8() dropped the U+FEFF as a byte order mark.
    QTest::newRow("bytes starting with U+FEFF")
            << QVariant(QByteArray("\xef\xbb\xbfx")) << (QChar(0xFEFF) + s("x"));
    QTest::newRow("bytes cut in a character")
            << QVariant(QByteArray("x\xe2\x82")) << (s("x") + QChar(0xFFFD) + QChar(0xFFFD));
    QTest::newRow("url") << QVariant(QUrl(s("https://example.com/a?b=c")))
                         << s("https://example.com/a?b=c");
    QTest::newRow("string list") << QVariant(QStringList{s("a"), s("b\"c")})
                                 << s("[\"a\",\"b\\\"c\"]");
    QTest::newRow("variant list") << QVariant(QVariantList{1, 2.5, true, QVariant(), s("x")})
                                  << s("[1,2.5,true,null,\"x\"]");
    QTest::newRow("variant map nested")
        << QVariant(QVariantMap{{s("b"), QVariantMap{{s("c"), 1}}},
                                {s("a"), QVariantList{s("x")}},
                                {s("d"), QVariant(QDate(2024, 1, 2))}})
        << s("{\"a\":[\"x\"],\"b\":{\"c\":1},\"d\":\"2024-01-02\"}");
    QTest::newRow("variant hash") << QVariant(QVariantHash{{s("k"), false}})
                                  << s("{\"k\":false}");
    QTest::newRow("nested nan") << QVariant(QVariantList{std::nan("")}) << s("[\"NaN\"]");
    QTest::newRow("json object") << QVariant(QJsonObject{{s("a"), 1}}) << s("{\"a\":1}");
    QTest::newRow("json array") << QVariant(QJsonArray{1, s("b")}) << s("[1,\"b\"]");
    QTest::newRow("int list") << QVariant::fromValue(QList<int>{3, 4}) << s("[3,4]");
    QTest::newRow("null") << QVariant() << QString();
    QTest::newRow("nullptr") << QVariant::fromValue(nullptr) << QString();
    QTest::newRow("char") << QVariant::fromValue(QChar(u'x')) << s("x");
}

void tst_Fields::renderValue()
{
    QFETCH(QVariant, value);
    QFETCH(QString, expected);
    QCOMPARE(QLoki::detail::renderValue(value), expected);
}

void tst_Fields::renderValueLocalTime()
{
    // Whatever the machine's zone, local time must carry an explicit offset (or Z) and
    // denote the same instant.
    const QDateTime local(QDate(2024, 7, 1), QTime(12, 30, 0, 250), Qt::LocalTime);
    const QString text = QLoki::detail::renderValue(local);
    QVERIFY2(text.endsWith(QLatin1Char('Z')) || text.at(text.size() - 6) == QLatin1Char('+')
                 || text.at(text.size() - 6) == QLatin1Char('-'),
             qPrintable(text));
    QVERIFY(text.contains(s(".250")));
    QCOMPARE(QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch(),
             local.toMSecsSinceEpoch());
}

void tst_Fields::renderValueCustomMap()
{
    const QMap<QString, int> map{{s("b"), 2}, {s("a"), 1}};
    QCOMPARE(QLoki::detail::renderValue(QVariant::fromValue(map)), s("{\"a\":1,\"b\":2}"));
}

void tst_Fields::isValidLabelName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("simple") << s("app") << true;
    QTest::newRow("underscore") << s("_x") << true;
    QTest::newRow("single underscore") << s("_") << true;
    QTest::newRow("digits inside") << s("a1_B2") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("dash") << s("bad-name") << false;
    QTest::newRow("leading digit") << s("9lives") << false;
    QTest::newRow("reserved") << s("__name__") << false;
    QTest::newRow("unicode") << s("grüße") << false;
}

void tst_Fields::isValidLabelName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(QLoki::detail::isValidLabelName(name), valid);
}

void tst_Fields::sanitizeLabelName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("valid") << s("user_id") << s("user_id");
    QTest::newRow("dash") << s("bad-name") << s("bad_name");
    QTest::newRow("user-id") << s("user-id") << s("user_id");
    QTest::newRow("dot") << s("http.status") << s("http_status");
    QTest::newRow("space") << s("a b") << s("a_b");
    QTest::newRow("leading digit") << s("9lives") << s("_9lives");
    QTest::newRow("all digits") << s("42") << s("_42");
    QTest::newRow("reserved") << s("__name__") << s("_name__");
    QTest::newRow("many underscores") << s("____x") << s("_x");
    QTest::newRow("only underscores") << s("__") << s("_");
    QTest::newRow("reserved digit") << s("__9") << s("_9");
    QTest::newRow("empty") << QString() << s("_");
    QTest::newRow("unicode") << s("grüße") << s("gr__e");
    QTest::newRow("unicode leading") << s("über") << s("_ber");
    QTest::newRow("surrogate pair") << s("a\xf0\x9f\x98\x80z") << s("a_z");
    QTest::newRow("dash leading") << s("-x") << s("_x");
    QTest::newRow("dashes leading") << s("--x") << s("_x");
}

void tst_Fields::sanitizeLabelName()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    const QString result = QLoki::detail::sanitizeLabelName(name);
    QCOMPARE(result, expected);
    QVERIFY(QLoki::detail::isValidLabelName(result));
}

void tst_Fields::sanitizeKeepsValidNameShared()
{
    const QString name = s("component");
    const QString result = QLoki::detail::sanitizeLabelName(name);
    QCOMPARE(result.constData(), name.constData());
}

void tst_Fields::splitFields_data()
{
    QTest::addColumn<QVariantMap>("fields");
    QTest::addColumn<LabelList>("labels");
    QTest::addColumn<LabelList>("metadata");

    QTest::newRow("empty") << QVariantMap() << LabelList() << LabelList();
    // The Python SDK's README: logger.info("payment", user_id="12345", amount=100.50)
    QTest::newRow("python metadata")
        << QVariantMap{{s("user_id"), s("12345")}, {s("amount"), 100.50}}
        << LabelList() << LabelList{p("amount", "100.5"), p("user_id", "12345")};
    // logger.info("login", label_user_id="42") puts user_id on the stream.
    QTest::newRow("python label_ prefix")
        << QVariantMap{{s("label_user_id"), 42}, {s("action"), s("login")}}
        << LabelList{p("user_id", "42")} << LabelList{p("action", "login")};
    // logger.info("x", labels={"component": "auth", "region": "eu"})
    QTest::newRow("python labels map")
        << QVariantMap{{s("labels"), QVariantMap{{s("region"), s("eu")},
                                                 {s("component"), s("auth")}}},
                       {s("ok"), true}}
        << LabelList{p("component", "auth"), p("region", "eu")} << LabelList{p("ok", "true")};
    QTest::newRow("label_ wins over map")
        << QVariantMap{{s("labels"), QVariantMap{{s("a"), s("map")}, {s("z"), s("m")}}},
                       {s("label_a"), s("prefix")},
                       {s("label_b"), 1.5}}
        << LabelList{p("a", "prefix"), p("b", "1.5"), p("z", "m")} << LabelList();
    QTest::newRow("labels hash")
        << QVariantMap{{s("labels"), QVariantHash{{s("y"), 1}, {s("x"), 2}}}}
        << LabelList{p("x", "2"), p("y", "1")} << LabelList();
    QTest::newRow("labels QMap<QString,QString>")
        << QVariantMap{{s("labels"), QVariant::fromValue(QMap<QString, QString>{
                                         {s("team"), s("core")}})}}
        << LabelList{p("team", "core")} << LabelList();
    QTest::newRow("labels not a map is metadata")
        << QVariantMap{{s("labels"), s("plain")}} << LabelList()
        << LabelList{p("labels", "plain")};
    QTest::newRow("label names kept raw")
        << QVariantMap{{s("label_bad-name"), s("v")}} << LabelList{p("bad-name", "v")}
        << LabelList();
    QTest::newRow("metadata names sanitized")
        << QVariantMap{{s("http.status"), 200}, {s("9lives"), s("cat")}} << LabelList()
        << LabelList{p("_9lives", "cat"), p("http_status", "200")};
    QTest::newRow("metadata collision keeps both")
        << QVariantMap{{s("user-id"), s("1")}, {s("user_id"), s("2")}} << LabelList()
        << LabelList{p("user_id", "2"), p("user_id_", "1")};
    QTest::newRow("metadata collision same value")
        << QVariantMap{{s("user-id"), s("1")}, {s("user_id"), s("1")}} << LabelList()
        << LabelList{p("user_id", "1")};
    QTest::newRow("metadata nested map")
        << QVariantMap{{s("ctx"), QVariantMap{{s("a"), 1}}}} << LabelList()
        << LabelList{p("ctx", "{\"a\":1}")};
    QTest::newRow("metadata null") << QVariantMap{{s("n"), QVariant()}} << LabelList()
                                   << LabelList{p("n", "")};
}

void tst_Fields::splitFields()
{
    QFETCH(QVariantMap, fields);
    QFETCH(LabelList, labels);
    QFETCH(LabelList, metadata);

    LabelList outLabels{p("stale", "x")};
    LabelList outMetadata{p("stale", "y")};
    QLoki::detail::splitFields(fields, &outLabels, &outMetadata);
    QCOMPARE(outLabels, labels);
    QCOMPARE(outMetadata, metadata);
    QVERIFY(isSortedUnique(outLabels));
    QVERIFY(isSortedUnique(outMetadata));
}

void tst_Fields::splitFieldsNullOutputs()
{
    const QVariantMap fields{{s("label_a"), 1}, {s("b"), 2}};
    LabelList labels;
    QLoki::detail::splitFields(fields, &labels, nullptr);
    QCOMPARE(labels, (LabelList{p("a", "1")}));
    LabelList metadata;
    QLoki::detail::splitFields(fields, nullptr, &metadata);
    QCOMPARE(metadata, (LabelList{p("b", "2")}));
}

void tst_Fields::streamLabels_data()
{
    QTest::addColumn<LabelList>("staticLabels");
    QTest::addColumn<LabelList>("callLabels");
    QTest::addColumn<LabelList>("expected");
    QTest::addColumn<LabelList>("overflow");

    const LabelList none;
    QTest::newRow("reserved only") << none << none
                                   << LabelList{p("app", "demo"), p("environment", "prod"),
                                                p("level", "info")}
                                   << none;
    QTest::newRow("static and call")
        << LabelList{p("region", "eu")} << LabelList{p("component", "auth")}
        << LabelList{p("app", "demo"), p("component", "auth"), p("environment", "prod"),
                     p("level", "info"), p("region", "eu")}
        << none;
    QTest::newRow("call overrides static")
        << LabelList{p("region", "eu")} << LabelList{p("region", "us")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info"),
                     p("region", "us")}
        << none;
    QTest::newRow("call collides with reserved")
        << none << LabelList{p("level", "debug")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info")}
        << LabelList{p("level", "debug")};
    QTest::newRow("static collides with reserved")
        << LabelList{p("app", "other")} << none
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info")}
        << LabelList{p("app", "other")};
    QTest::newRow("static and call collide with reserved")
        << LabelList{p("app", "s")} << LabelList{p("app", "c")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info")}
        << LabelList{p("app", "c")};
    QTest::newRow("reserved-looking name sanitized")
        << none << LabelList{p("__level", "x")}
        << LabelList{p("_level", "x"), p("app", "demo"), p("environment", "prod"),
                     p("level", "info")}
        << none;
    QTest::newRow("names sanitized")
        << LabelList{p("http.status", "200")} << LabelList{p("bad-name", "v")}
        << LabelList{p("app", "demo"), p("bad_name", "v"), p("environment", "prod"),
                     p("http_status", "200"), p("level", "info")}
        << none;
    QTest::newRow("valid name beats repaired one")
        << none << LabelList{p("user-id", "repaired"), p("user_id", "valid")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info"),
                     p("user_id", "valid")}
        << LabelList{p("user_id", "repaired")};
    QTest::newRow("empty values dropped")
        << LabelList{p("region", "")} << LabelList{p("zone", "")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info")}
        << none;
    QTest::newRow("empty call value keeps static")
        << LabelList{p("region", "eu")} << LabelList{p("region", "")}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info"),
                     p("region", "eu")}
        << none;
    QTest::newRow("long value cut")
        << none << LabelList{{s("big"), QString(3000, QLatin1Char('x'))}}
        << LabelList{p("app", "demo"), {s("big"), QString(2048, QLatin1Char('x'))},
                     p("environment", "prod"), p("level", "info")}
        << none;
    // 2047 ASCII bytes plus a 2-byte character: the character does not fit.
    QTest::newRow("long value cut at character")
        << none << LabelList{{s("big"), QString(2047, QLatin1Char('x')) + QChar(0xFC)}}
        << LabelList{p("app", "demo"), {s("big"), QString(2047, QLatin1Char('x'))},
                     p("environment", "prod"), p("level", "info")}
        << none;
    // Found by fuzz_roundtrip: the protobuf encoder and the spool wrote a lone surrogate
    // as '?', the JSON encoder as U+FFFD; the label set is now repaired once, here.
    QTest::newRow("lone surrogate in a value is U+FFFD")
        << none
        << LabelList{{s("high"), s("a") + QChar(0xD800)}, {s("low"), QChar(0xDC00) + s("b")},
                     p("pair", "\xf0\x9f\x98\x80")}
        << LabelList{p("app", "demo"), p("environment", "prod"),
                     {s("high"), s("a") + QChar(QChar::ReplacementCharacter)}, p("level", "info"),
                     {s("low"), QChar(QChar::ReplacementCharacter) + s("b")},
                     p("pair", "\xf0\x9f\x98\x80")}
        << none;
    QTest::newRow("long name cut")
        << none << LabelList{{QString(1100, QLatin1Char('n')), s("v")}}
        << LabelList{p("app", "demo"), p("environment", "prod"), p("level", "info"),
                     {QString(1024, QLatin1Char('n')), s("v")}}
        << none;
}

void tst_Fields::streamLabels()
{
    QFETCH(LabelList, staticLabels);
    QFETCH(LabelList, callLabels);
    QFETCH(LabelList, expected);
    QFETCH(LabelList, overflow);

    const LabelList reserved{p("app", "demo"), p("environment", "prod"), p("level", "info")};
    LabelList outOverflow;
    const LabelList result = QLoki::detail::streamLabels(reserved, staticLabels, callLabels,
                                                         LabelLimits(), &outOverflow);
    QCOMPARE(result, expected);
    QCOMPARE(outOverflow, overflow);
    QVERIFY(isSortedUnique(result));
    for (const auto &pair : result)
        QVERIFY2(QLoki::detail::isValidLabelName(pair.first), qPrintable(pair.first));
}

void tst_Fields::streamLabelsOverflowIsAppended()
{
    LabelList overflow{p("existing", "1")};
    const LabelList result = QLoki::detail::streamLabels({p("level", "info")}, {},
                                                         {p("level", "x")}, LabelLimits(),
                                                         &overflow);
    QCOMPARE(result, (LabelList{p("level", "info")}));
    QCOMPARE(overflow, (LabelList{p("existing", "1"), p("level", "x")}));

    // A null overflow is allowed and changes nothing else.
    QCOMPARE(QLoki::detail::streamLabels({p("level", "info")}, {}, {p("level", "x")}),
             (LabelList{p("level", "info")}));
}

void tst_Fields::streamLabelsManyLabels()
{
    const LabelList reserved{p("app", "demo"), p("environment", "prod"), p("level", "info")};
    LabelList staticLabels;
    LabelList callLabels;
    for (int i = 0; i < 10; ++i)
        staticLabels.append({s("s%1").arg(i, 2, 10, QLatin1Char('0')), s("v")});
    for (int i = 0; i < 10; ++i)
        callLabels.append({s("c%1").arg(i, 2, 10, QLatin1Char('0')), s("w")});

    LabelList overflow;
    const LabelList result =
        QLoki::detail::streamLabels(reserved, staticLabels, callLabels, LabelLimits(), &overflow);
    QCOMPARE(result.size(), 15);
    QCOMPARE(overflow.size(), 23 - 15);
    QVERIFY(isSortedUnique(result));
    // The reserved labels always stay; the others are kept in name order:
    // c00..c09 and s00, s01 fit next to app, environment and level.
    for (const auto &r : reserved)
        QVERIFY(result.contains(r));
    QVERIFY(result.contains(p("c00", "w")));
    QVERIFY(result.contains(p("c09", "w")));
    QVERIFY(result.contains(p("s01", "v")));
    QVERIFY(!result.contains(p("s02", "v")));
    QCOMPARE(overflow.first(), p("s02", "v"));
    QCOMPARE(overflow.last(), p("s09", "v"));

    // Nothing is lost: every input pair is either a label or in the overflow.
    for (const LabelList *list : {&staticLabels, &callLabels})
        for (const auto &pair : *list)
            QVERIFY(result.contains(pair) != overflow.contains(pair));

    LabelLimits small;
    small.maxLabelNames = 2;
    overflow.clear();
    const LabelList tight = QLoki::detail::streamLabels(reserved, {}, {p("a", "1")}, small,
                                                        &overflow);
    QCOMPARE(tight, reserved);
    QCOMPARE(overflow, (LabelList{p("a", "1")}));
}

void tst_Fields::mergeMetadata_data()
{
    QTest::addColumn<LabelList>("metadata");
    QTest::addColumn<LabelList>("extra");
    QTest::addColumn<LabelList>("expected");

    QTest::newRow("nothing extra") << LabelList{p("a", "1")} << LabelList()
                                   << LabelList{p("a", "1")};
    QTest::newRow("into empty") << LabelList() << LabelList{p("level", "debug")}
                                << LabelList{p("level", "debug")};
    QTest::newRow("inserted in order") << LabelList{p("a", "1"), p("c", "3")}
                                       << LabelList{p("b", "2")}
                                       << LabelList{p("a", "1"), p("b", "2"), p("c", "3")};
    QTest::newRow("same pair once") << LabelList{p("a", "1")} << LabelList{p("a", "1")}
                                    << LabelList{p("a", "1")};
    QTest::newRow("clash renamed") << LabelList{p("level", "x")}
                                   << LabelList{p("level", "debug")}
                                   << LabelList{p("level", "x"), p("level_", "debug")};
    QTest::newRow("clash renamed twice")
        << LabelList{p("a", "1"), p("a_", "2")} << LabelList{p("a", "3")}
        << LabelList{p("a", "1"), p("a_", "2"), p("a__", "3")};
    QTest::newRow("extra names sanitized") << LabelList() << LabelList{p("bad-name", "v")}
                                           << LabelList{p("bad_name", "v")};
    // Found by fuzz_roundtrip: "-" repairs to "_", which was taken, and "_" + "_" made the
    // reserved name "__".
    QTest::newRow("clash on _ does not make the reserved __")
        << LabelList{p("_", "1")} << LabelList{p("-", "2"), p(".", "3")}
        << LabelList{p("_", "1"), p("_0", "2"), p("_0_", "3")};
}

void tst_Fields::mergeMetadata()
{
    QFETCH(LabelList, metadata);
    QFETCH(LabelList, extra);
    QFETCH(LabelList, expected);
    const LabelList result = QLoki::detail::mergeMetadata(metadata, extra);
    QCOMPARE(result, expected);
    QVERIFY(isSortedUnique(result));
    for (const auto &pair : result)
        QVERIFY2(QLoki::detail::isValidLabelName(pair.first), qPrintable(pair.first));
}

void tst_Fields::truncateUtf8_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("fits") << s("abc") << 3 << s("abc");
    QTest::newRow("ascii cut") << s("abcdef") << 4 << s("abcd");
    QTest::newRow("two-byte char kept") << s("aü") << 3 << s("aü");
    QTest::newRow("two-byte char dropped") << s("aaü") << 3 << s("aa");
    QTest::newRow("three-byte char dropped") << s("a€") << 3 << s("a");
    QTest::newRow("surrogate pair dropped") << s("ab\xf0\x9f\x98\x80") << 5 << s("ab");
    QTest::newRow("surrogate pair kept") << s("a\xf0\x9f\x98\x80") << 5
                                         << s("a\xf0\x9f\x98\x80");
    QTest::newRow("zero") << s("abc") << 0 << QString();
}

void tst_Fields::truncateUtf8()
{
    QFETCH(QString, text);
    QFETCH(int, maxBytes);
    QFETCH(QString, expected);
    const QString result = QLoki::detail::truncateUtf8(text, maxBytes);
    QCOMPARE(result, expected);
    QVERIFY(result.toUtf8().size() <= qMax(maxBytes, 0));
}

QTEST_GUILESS_MAIN(tst_Fields)
#include "tst_fields.moc"
