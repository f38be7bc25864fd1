// SPDX-License-Identifier: MIT
// Written as an application writes its calls: string literals become QStrings.
#undef QT_NO_CAST_FROM_ASCII
#undef QT_NO_CAST_TO_ASCII

#include "receiverthread.h"

#include <QLoki/Loki>

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtTest/QtTest>

#include <functional>
#include <limits>
#include <type_traits>

using namespace std::chrono_literals;

namespace {

// The overload set of LokiLogger::info(), with the answer which one a call binds to: the
// braced lists of the README must take the LokiField path, maps the QVariantMap one.
enum class Bound { Map, List };
struct Probe
{
    Bound info(const QString &, const QVariantMap &) { return Bound::Map; }
    Bound info(const QString &, std::initializer_list<LokiField>) { return Bound::List; }
};

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("tst"));
    c.setEndpoints({{QStringLiteral("loki"), url}});
    return c;
}

struct Case
{
    const char *name;
    QVariantMap map;
    std::function<void(LokiLogger &, const QString &)> list;
};

} // namespace

class tst_FieldList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bracedListsBindToTheFieldPath()
    {
        Probe p;
        const int i = 7;
        const qint64 big = std::numeric_limits<qint64>::max();
        const QString text = QStringLiteral("text");
        // The README's quick start, as written.
        QCOMPARE(p.info("payment",
                        {{"label_component", "auth"},
                         {"label_action", "login"},
                         {"user_id", i},
                         {"amount", 100.5}}),
                 Bound::List);
        QCOMPARE(p.info("one", {{"label_user_id", "12345"}}), Bound::List);
        QCOMPARE(p.info("types",
                        {{"b", true},
                         {"n", big},
                         {"u", 3u},
                         {"f", 1.5f},
                         {"s", text},
                         {"v", QStringView(text)},
                         {"l", QLatin1String("latin")},
                         {"ba", QByteArray("x")},
                         {"d", QDateTime::currentDateTimeUtc()},
                         {"m", QVariantMap {{"k", 1}}},
                         {"sl", QStringList {"a"}}}),
                 Bound::List);
        QCOMPARE(p.info("empty", {}), Bound::List);
        const QVariantMap map {{"a", 1}};
        QCOMPARE(p.info("map", map), Bound::Map);
        QCOMPARE(p.info("map", QVariantMap {{"a", 1}}), Bound::Map);
        // A pointer other than a C string is refused rather than logged as `true`.
        static_assert(!std::is_constructible_v<LokiField, const char *, QObject *>);
        static_assert(std::is_constructible_v<LokiField, const char *, const char *>);
        static_assert(std::is_constructible_v<LokiField, QString, char *>);
    }

    // Every kind of value gives, through the braced list, the entry the same pairs in a
    // QVariantMap give: the same stream labels, metadata and line.
    void sameEntryAsTheMap()
    {
        const QDateTime when = QDateTime(QDate(2026, 12, 3), QTime(12, 0), Qt::UTC);
        const QString text = QStringLiteral("grüße");
        const char *utf8 = "żółw";
        const int i = -42;
        const std::vector<Case> cases = {
                {"readme",
                 {{"label_component", "auth"},
                  {"label_action", "login"},
                  {"user_id", 7},
                  {"amount", 100.5}},
                 [](LokiLogger &l, const QString &m) {
                     const int id = 7;
                     l.info(m,
                            {{"label_component", "auth"},
                             {"label_action", "login"},
                             {"user_id", id},
                             {"amount", 100.5}});
                 }},
                {"numbers",
                 {{"i", i},
                  {"big", std::numeric_limits<qint64>::max()},
                  {"u", std::numeric_limits<quint64>::max()},
                  {"f", 0.25},
                  {"neg", -1.0e-300},
                  {"t", true},
                  {"no", false}},
                 [&](LokiLogger &l, const QString &m) {
                     l.info(m,
                            {{"i", i},
                             {"big", std::numeric_limits<qint64>::max()},
                             {"u", std::numeric_limits<quint64>::max()},
                             {"f", 0.25f},
                             {"neg", -1.0e-300},
                             {"t", true},
                             {"no", false}});
                 }},
                {"strings",
                 {{"s", text},
                  {"view", text},
                  {"latin", QString("abc")},
                  {"utf8", QString::fromUtf8(utf8)},
                  {"empty", QString()},
                  {"bytes", QByteArray("raw\xff")}},
                 [&](LokiLogger &l, const QString &m) {
                     l.info(m,
                            {{"s", text},
                             {"view", QStringView(text)},
                             {"latin", QLatin1String("abc")},
                             {"utf8", utf8},
                             {"empty", static_cast<const char *>(nullptr)},
                             {"bytes", QByteArray("raw\xff")}});
                 }},
                {"variants",
                 {{"when", when},
                  {"list", QStringList {"a", "b"}},
                  {"map", QVariantMap {{"k", 1}}},
                  {"json", QJsonObject {{"j", 2}}}},
                 [&](LokiLogger &l, const QString &m) {
                     l.info(m,
                            {{"when", when},
                             {"list", QStringList {"a", "b"}},
                             {"map", QVariantMap {{"k", 1}}},
                             {"json", QJsonObject {{"j", 2}}}});
                 }},
                {"labels map and repairs",
                 {{"labels", QVariantMap {{"team", "core"}}},
                  {"label_bad-name", "x"},
                  {"bad key", 1},
                  {"", 2}},
                 [](LokiLogger &l, const QString &m) {
                     l.info(m,
                            {{"labels", QVariantMap {{"team", "core"}}},
                             {"label_bad-name", "x"},
                             {"bad key", 1},
                             {"", 2}});
                 }},
                {"key twice: the last wins",
                 {{"k", 2}},
                 [](LokiLogger &l, const QString &m) {
                     l.info(m, {{"k", 1}, {"k", 2}});
                 }},
                {"8-bit text: Latin-1, UTF-8 labels, broken UTF-8",
                 {{"label_animal", QString::fromUtf8(utf8)},
                  {"latin", QString::fromLatin1("gr\xfc\xdf")},
                  {"broken", QString::fromUtf8("bad \xff utf8")},
                  {"a_first", 0}},
                 [&](LokiLogger &l, const QString &m) {
                     l.info(m,
                            {{"label_animal", utf8},
                             {"latin", QLatin1String("gr\xfc\xdf")},
                             {"broken", "bad \xff utf8"},
                             {"a_first", 0}});
                 }},
                {"utf-16 and utf-8 keys",
                 {{"schlüssel", 1}, {"clé", 2}},
                 [](LokiLogger &l, const QString &m) {
                     l.info(m, {{u"schlüssel", 1}, {QString("clé"), 2}});
                 }},
        };

        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        QVERIFY(logger.isInitialized());
        for (std::size_t n = 0; n < cases.size(); ++n) {
            logger.info(QStringLiteral("map %1").arg(n), cases[n].map);
            cases[n].list(logger, QStringLiteral("list %1").arg(n));
        }
        QVERIFY(logger.flush(10s));
        QMap<QString, LokiReceiver::Entry> byLine;
        for (const LokiReceiver::Entry &e : receiver.entries())
            byLine.insert(e.line, e);
        QCOMPARE(byLine.size(), int(cases.size() * 2));
        for (std::size_t n = 0; n < cases.size(); ++n) {
            const LokiReceiver::Entry fromMap = byLine.value(QStringLiteral("map %1").arg(n));
            const LokiReceiver::Entry fromList = byLine.value(QStringLiteral("list %1").arg(n));
            QVERIFY2(fromList.labels == fromMap.labels, cases[n].name);
            QVERIFY2(fromList.structuredMetadata == fromMap.structuredMetadata, cases[n].name);
            QVERIFY2(!fromMap.structuredMetadata.isEmpty() || fromMap.labels.size() > 3,
                     cases[n].name);
        }
        // Spot checks that the fields were read, not only alike.
        const LokiReceiver::Entry readme = byLine.value(QStringLiteral("list 0"));
        QCOMPARE(readme.labels.value("component"), QStringLiteral("auth"));
        QCOMPARE(readme.structuredMetadata.value("user_id"), QStringLiteral("7"));
        QCOMPARE(readme.structuredMetadata.value("amount"), QStringLiteral("100.5"));
        QCOMPARE(byLine.value(QStringLiteral("list 2")).structuredMetadata.value("utf8"),
                 QString::fromUtf8(utf8));
        QCOMPARE(byLine.value(QStringLiteral("list 5")).structuredMetadata.value("k"),
                 QStringLiteral("2"));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(cases.size() * 2));
    }

    // A braced call's line travels in UTF-8 in its field block (one too long for that to be
    // sure of the line limit stays as given): it arrives as the same call with a map delivers
    // it, whatever the line (beyond ASCII, a lone surrogate, empty, near and over the limit)
    // and whatever way the sender takes (quick, general, redacted, the context ring's).
    void lineArrivesAsWithTheMap()
    {
        const QString pair = QString::fromUtf8("emoji \xf0\x9f\x98\x80 and gr\xc3\xbc\xc3\x9f"
                                               "e");
        const QString lone = QStringLiteral("lone ") + QChar(0xD800) + QStringLiteral(" high");
        const struct
        {
            const char *name;
            QString line;
            bool keyTwice; // falls off the quick path
        } cases[] = {
                {"ascii", QStringLiteral("user login ok"), false},
                {"beyond ascii", pair, false},
                {"lone surrogate", lone, false},
                {"empty", QString(), false},
                {"secret", QStringLiteral("login password=hunter2 ok"), false},
                {"general way", pair, true},
                {"near the limit (kept as given)", QString(400, QLatin1Char('n')), false},
                {"over the limit (cut)", QString(2000, QChar(0x00FC)), false},
        };
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMaxLineBytes(1024);
        config.setContextEntries(4);
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        const int n = int(std::size(cases));
        for (int i = 0; i < n; ++i) {
            logger.info(cases[i].line, QVariantMap {{"case", i}, {"form", "map"}});
            if (cases[i].keyTwice)
                logger.info(cases[i].line, {{"case", -1}, {"case", i}, {"form", "list"}});
            else
                logger.info(cases[i].line, {{"case", i}, {"form", "list"}});
        }
        // Kept by the context ring (below the minimum level) and shipped by an error.
        logger.debug(pair, {{"case", n}, {"form", "list"}});
        logger.error(QStringLiteral("boom"), {{"case", n + 1}, {"form", "list"}});
        QVERIFY(logger.flush(10s));

        QMap<QString, QString> lines; // "case/form" -> line
        for (const LokiReceiver::Entry &e : receiver.entries()) {
            lines.insert(e.structuredMetadata.value("case") + QLatin1Char('/')
                                 + e.structuredMetadata.value("form"),
                         e.line);
        }
        QCOMPARE(lines.size(), 2 * n + 2);
        for (int i = 0; i < n; ++i) {
            const QString fromMap = lines.value(QString::number(i) + QStringLiteral("/map"));
            const QString fromList = lines.value(QString::number(i) + QStringLiteral("/list"));
            QVERIFY2(fromList == fromMap, cases[i].name);
        }
        // And what that line is.
        QCOMPARE(lines.value("0/list"), QStringLiteral("user login ok"));
        QCOMPARE(lines.value("1/list"), pair);
        QCOMPARE(lines.value("2/list"), QStringLiteral("lone \uFFFD high"));
        QCOMPARE(lines.value("3/list"), QString());
        QVERIFY(!lines.value("4/list").contains(QStringLiteral("hunter2")));
        QVERIFY(lines.value("4/list").startsWith(QStringLiteral("login password=")));
        QCOMPARE(lines.value("6/list"), QString(400, QLatin1Char('n')));
        QVERIFY(lines.value("7/list").contains(QStringLiteral("[truncated ")));
        QVERIFY(lines.value("7/list").toUtf8().size() <= 1024);
        QCOMPARE(lines.value(QString::number(n) + QStringLiteral("/list")), pair);
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(2 * n + 2));
        QCOMPARE(s.dropped(), quint64(0));
    }

    // The global API takes the same path.
    void globalApi()
    {
        ReceiverThread receiver;
        QVERIFY(Loki::init(configFor(receiver.pushUrl())));
        Loki::info("user login ok", {{"label_user_id", "12345"}, {"attempt", 2}});
        Loki::error("failed", {{"code", 500u}});
        QVERIFY(Loki::flush(10s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).labels.value("user_id"), QStringLiteral("12345"));
        QCOMPARE(entries.at(0).structuredMetadata.value("attempt"), QStringLiteral("2"));
        QCOMPARE(entries.at(1).labels.value("level"), QStringLiteral("error"));
        QCOMPARE(entries.at(1).structuredMetadata.value("code"), QStringLiteral("500"));
        Loki::shutdown();
    }

    // Below the minimum level nothing is taken, and the accounting holds.
    void belowMinimumLevel()
    {
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.pushUrl());
        config.setMinimumLevel(QLoki::Level::Warning);
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        logger.debug("dropped quietly", {{"k", 1}});
        logger.warning("kept", {{"k", 1}});
        QVERIFY(logger.flush(10s));
        QCOMPARE(logger.stats().accepted(), quint64(1));
        QCOMPARE(receiver.count(), qint64(1));
    }
};

QTEST_MAIN(tst_FieldList)
#include "tst_fieldlist.moc"
