// SPDX-License-Identifier: MIT
// The cardinality guard: a label fed with ids does not make a stream per id.
#undef QT_NO_CAST_FROM_ASCII
#include "receiverthread.h"

#include "pipeline/cardinalityguard_p.h"

#include <QLoki/LokiLogger>

#include <QtCore/QMutex>
#include <QtTest/QtTest>

using namespace std::chrono_literals;
using QLoki::detail::CardinalityGuard;
using QLoki::detail::LabelList;

namespace {

constexpr qint64 HourNs = 3600LL * 1000 * 1000 * 1000;

QMutex g_mutex;
QStringList g_warnings;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "qloki.cardinality") == 0) {
        QMutexLocker lock(&g_mutex);
        g_warnings.append(message);
        return;
    }
    g_previous(type, context, message);
}

LabelList pair(const QString &name, const QString &value) { return {{name, value}}; }

} // namespace

class tst_Cardinality : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // 1,000 distinct user ids as a label, with the defaults: at most 100 become streams,
    // the other 900 entries carry the id as structured metadata, and every entry arrives.
    void idsAsLabelsStayWithinTheBudget()
    {
        g_previous = qInstallMessageHandler(capture);
        const auto restore = qScopeGuard([] { qInstallMessageHandler(g_previous); });
        ReceiverThread receiver;
        LokiConfig config;
        config.setAppName("cardinality");
        config.setUrl(receiver.pushUrl());
        LokiLogger logger(config);
        QVERIFY(logger.isInitialized());
        for (int i = 0; i < 1000; ++i)
            logger.info(QStringLiteral("order %1").arg(i),
                        {{"label_user_id", QString::number(i)}, {"label_component", "shop"}});
        QVERIFY(logger.flush(20s));

        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(1000));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(s.demotedLabels().value("user_id"), quint64(900));
        QCOMPARE(s.demotedLabels().size(), 1); // component kept one value: never demoted
        QSet<QString> labelValues;
        int inMetadata = 0;
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1000);
        for (const LokiReceiver::Entry &e : entries) {
            QCOMPARE(e.labels.value("component"), QStringLiteral("shop"));
            const QString number = e.line.section(' ', 1);
            if (e.labels.contains("user_id")) {
                QCOMPARE(e.labels.value("user_id"), number);
                labelValues.insert(e.labels.value("user_id"));
            } else {
                QCOMPARE(e.structuredMetadata.value("user_id"), number);
                ++inMetadata;
            }
        }
        QCOMPARE(labelValues.size(), 100);
        QCOMPARE(inMetadata, 900);
        const auto streams = receiver.with([](LokiReceiver &r) { return r.stats().streams(); });
        QVERIFY2(streams <= 101, qPrintable(QString::number(streams)));
        // Said once, naming the label.
        QMutexLocker lock(&g_mutex);
        QCOMPARE(g_warnings.size(), 1);
        QVERIFY2(g_warnings.first().contains("\"user_id\""), qPrintable(g_warnings.first()));
    }

    void offWithZero()
    {
        ReceiverThread receiver;
        LokiConfig config;
        config.setAppName("cardinality");
        config.setUrl(receiver.pushUrl());
        config.setMaxLabelValues(0); // what is under test
        LokiLogger logger(config);
        for (int i = 0; i < 150; ++i)
            logger.info("order", {{"label_user_id", QString::number(i)}});
        QVERIFY(logger.flush(20s));
        QVERIFY(logger.stats().demotedLabels().isEmpty());
        QSet<QString> values;
        for (const LokiReceiver::Entry &e : receiver.entries())
            values.insert(e.labels.value("user_id"));
        QCOMPARE(values.size(), 150);
    }

    // The guard alone: the budget per name, values admitted stay admitted, the exempt
    // names, and a new hour.
    void guard()
    {
        CardinalityGuard guard(2);
        const qint64 t = 10 * HourNs;
        LabelList demoted;
        for (const QString v : {"a", "b"}) {
            LabelList l = pair("user", v);
            QVERIFY(!guard.filter(&l, &demoted, t));
            QCOMPARE(l.size(), 1);
        }
        LabelList c = {{"user", "c"}, {"team", "x"}};
        QVERIFY(guard.filter(&c, &demoted, t + 1));
        QCOMPARE(c, pair("team", "x"));
        QCOMPARE(demoted, pair("user", "c"));
        LabelList again = pair("user", "a"); // admitted before: stays a label
        QVERIFY(!guard.filter(&again, &demoted, t + 2));
        for (const QString name : {"app", "environment", "level", "category"}) {
            for (int i = 0; i < 5; ++i) {
                LabelList l = pair(name, QString::number(i));
                QVERIFY2(!guard.filter(&l, &demoted, t + 3), qPrintable(name));
            }
        }
        QCOMPARE(guard.takeDemotions().value("user"), quint64(1));
        QCOMPARE(guard.takeNewlyDemotedNames(), QStringList {"user"});
        QVERIFY(guard.takeDemotions().isEmpty());
        // The next hour starts with a fresh budget.
        LabelList d = pair("user", "d");
        QVERIFY(!guard.filter(&d, &demoted, t + HourNs));
        QCOMPARE(d, pair("user", "d"));
    }
};

QTEST_MAIN(tst_Cardinality)
#include "tst_cardinality.moc"
