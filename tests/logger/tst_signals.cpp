// SPDX-License-Identifier: MIT
// The logger in Qt's signal and slot wiring: level slots that take a QString, and any
// signal logged with its arguments as structured metadata.
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QDateTime>
#include <QtTest/QtTest>

#include <thread>

using namespace std::chrono_literals;

class Shop : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void problemFound(const QString &text);
    void paid(const QString &orderId, int cents, bool express);
    void shipped(const QStringList &items, const QDateTime &when);
};

namespace {

LokiConfig configFor(const QUrl &url)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("signals"));
    c.setUrl(url);
    c.setFlushInterval(100ms);
    c.setMetadataMode(QLoki::MetadataMode::Structured);
    return c;
}

} // namespace

class tst_Signals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void levelSlotsTakeAString()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        Shop shop;
        connect(&shop, &Shop::problemFound, &logger, qOverload<const QString &>(&LokiLogger::warning));
        // The string-based form works too: they are slots.
        QVERIFY(connect(&shop, SIGNAL(problemFound(QString)), &logger, SLOT(error(QString))));
        Q_EMIT shop.problemFound(QStringLiteral("stock is low"));
        QVERIFY(logger.flush(5s));
        const auto entries = receiver.entries();
        QCOMPARE(entries.size(), 2);
        QStringList levels;
        for (const auto &e : entries) {
            QCOMPARE(e.line, QStringLiteral("stock is low"));
            levels.append(e.labels.value(QStringLiteral("level")));
        }
        levels.sort();
        QCOMPARE(levels, (QStringList{QStringLiteral("error"), QStringLiteral("warning")}));
    }

    void anySignalWithItsArguments()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        Shop shop;
        QVERIFY(logger.logSignal(&shop, &Shop::paid, QLoki::Level::Info, QStringLiteral("payment")));
        QVERIFY(logger.logSignal(&shop, &Shop::shipped)); // the line is the signal's name
        Q_EMIT shop.paid(QStringLiteral("A-1042"), 10050, true);
        const QDateTime when(QDate(2026, 11, 24), QTime(12, 0), Qt::UTC);
        Q_EMIT shop.shipped({QStringLiteral("book"), QStringLiteral("pen")}, when);
        QVERIFY(logger.flush(5s));
        QMap<QString, LokiReceiver::Entry> byLine;
        for (const auto &e : receiver.entries())
            byLine.insert(e.line, e);
        QCOMPARE(byLine.size(), 2);
        const auto paid = byLine.value(QStringLiteral("payment")).structuredMetadata;
        QCOMPARE(paid.value(QStringLiteral("signal")), QStringLiteral("paid"));
        QCOMPARE(paid.value(QStringLiteral("orderId")), QStringLiteral("A-1042"));
        QCOMPARE(paid.value(QStringLiteral("cents")), QStringLiteral("10050"));
        QCOMPARE(paid.value(QStringLiteral("express")), QStringLiteral("true"));
        const auto shipped = byLine.value(QStringLiteral("shipped")).structuredMetadata;
        QCOMPARE(shipped.value(QStringLiteral("items")), QStringLiteral("[\"book\",\"pen\"]"));
        QCOMPARE(shipped.value(QStringLiteral("when")), QStringLiteral("2026-11-24T12:00:00.000Z"));
    }

    void signalFromAnotherThread()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        Shop shop;
        logger.logSignal(&shop, &Shop::problemFound, QLoki::Level::Error);
        std::thread([&shop] { Q_EMIT shop.problemFound(QStringLiteral("from a worker")); }).join();
        QVERIFY(logger.flush(5s));
        QCOMPARE(receiver.count(), qint64(1));
        QCOMPARE(receiver.entries().first().structuredMetadata.value(QStringLiteral("text")),
                 QStringLiteral("from a worker"));
    }

    void connectionEndsWithTheSender()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.pushUrl()));
        auto shop = std::make_unique<Shop>();
        const QMetaObject::Connection c = logger.logSignal(shop.get(), &Shop::problemFound);
        QVERIFY(c);
        shop.reset();
        QVERIFY(!QObject::disconnect(c)); // already gone with the sender
        QVERIFY(!logger.logSignal(nullptr, QMetaMethod()));
    }
};

QTEST_GUILESS_MAIN(tst_Signals)
#include "tst_signals.moc"
