// SPDX-License-Identifier: MIT
// Bad input, asserted end to end: each case gets its documented repair, and the receiver,
// which validates as Loki does, accepts everything QLoki sends (not a single 400).
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtTest/QtTest>

using namespace std::chrono_literals;

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("bad"));
    c.setUrl(url);
    c.setFlushInterval(100ms);
    c.setMetadataMode(QLoki::MetadataMode::Structured);
    return c;
}

} // namespace

class tst_BadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void repairedAndAccepted_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<QVariantMap>("fields");
        QTest::addColumn<QString>("label");      // a label expected on the stored entry
        QTest::addColumn<QString>("labelValue");
        QTest::addColumn<QString>("metadata");   // a metadata name expected on it
        QTest::addColumn<QString>("metadataValue");

        QVariantMap hundred;
        for (int i = 0; i < 100; ++i)
            hundred.insert(QStringLiteral("label_l%1").arg(i, 3, 10, QLatin1Char('0')), i);
        QTest::newRow("100 labels: 15 kept, the rest as metadata")
            << QStringLiteral("many labels") << hundred << QStringLiteral("l000") << QStringLiteral("0")
            << QStringLiteral("l099") << QStringLiteral("99");
        QTest::newRow("dots and dashes in names")
            << QStringLiteral("dotted") << QVariantMap{{QStringLiteral("label_http.status-code"), 200}}
            << QStringLiteral("http_status_code") << QStringLiteral("200") << QString() << QString();
        QTest::newRow("non-ASCII letters in names")
            << QStringLiteral("accented") << QVariantMap{{QStringLiteral("label_r\u00e9gion"), QStringLiteral("eu")}}
            << QStringLiteral("r_gion") << QStringLiteral("eu") << QString() << QString();
        QTest::newRow("reserved __ names")
            << QStringLiteral("reserved") << QVariantMap{{QStringLiteral("label___name__"), QStringLiteral("x")}}
            << QStringLiteral("_name__") << QStringLiteral("x") << QString() << QString();
        QTest::newRow("empty label value is no label")
            << QStringLiteral("empty value") << QVariantMap{{QStringLiteral("label_team"), QString()}}
            << QStringLiteral("app") << QStringLiteral("bad") << QString() << QString();
        QTest::newRow("metadata name with a dash")
            << QStringLiteral("meta dash") << QVariantMap{{QStringLiteral("trace-id"), QStringLiteral("abc")}}
            << QStringLiteral("app") << QStringLiteral("bad") << QStringLiteral("trace_id") << QStringLiteral("abc");
        QTest::newRow("broken UTF-8 line")
            << QString::fromUtf8("caf\xc3 \xff end") << QVariantMap()
            << QStringLiteral("app") << QStringLiteral("bad") << QString() << QString();
        QTest::newRow("NUL bytes")
            << (QStringLiteral("a") + QChar(0) + QStringLiteral("b")) << QVariantMap()
            << QStringLiteral("app") << QStringLiteral("bad") << QString() << QString();
        QTest::newRow("empty message")
            << QString() << QVariantMap()
            << QStringLiteral("app") << QStringLiteral("bad") << QString() << QString();
        QTest::newRow("10 MiB line: truncated with a marker")
            << QString(10 * 1024 * 1024, QLatin1Char('z')) << QVariantMap()
            << QStringLiteral("app") << QStringLiteral("bad") << QString() << QString();
    }
    void repairedAndAccepted()
    {
        QFETCH(QString, message);
        QFETCH(QVariantMap, fields);
        QFETCH(QString, label);
        QFETCH(QString, labelValue);
        QFETCH(QString, metadata);
        QFETCH(QString, metadataValue);
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        logger.info(message, fields);
        QVERIFY(logger.flush(10s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(1));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.with(
                         [](LokiReceiver &r) { return r.stats().pushesByStatus().value(400); }),
                 quint64(0));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        const LokiReceiver::Entry &e = entries.first();
        QVERIFY(e.labels.size() <= 15);
        QCOMPARE(e.labels.value(label), labelValue);
        if (!metadata.isEmpty())
            QCOMPARE(e.structuredMetadata.value(metadata), metadataValue);
        if (message.size() > 256 * 1024) {
            QVERIFY(e.line.toUtf8().size() <= 256 * 1024);
            QVERIFY(e.line.contains(QLatin1String("[truncated ")));
        } else {
            QCOMPARE(e.line, message);
        }
    }
};

QTEST_GUILESS_MAIN(tst_BadInput)
#include "tst_badinput.moc"
