// SPDX-License-Identifier: MIT
// A logger pushing OTLP/HTTP to the receiver's /otlp/v1/logs, stored as Loki 3 stores OTLP:
// every encoding, with labels, typed metadata and trace context, counted exactly and read
// back; and the records against a collector's /v1/logs address.
#include "receiverthread.h"

#include <QLoki/LokiLogger>

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtTest/QtTest>

using namespace std::chrono_literals;
using QLoki::WireFormat;

namespace {

const QString TraceId = QStringLiteral("0123456789abcdef0123456789abcdef");
const QString SpanId = QStringLiteral("00f067aa0ba902b7");

LokiConfig configFor(const QUrl &url, WireFormat format)
{
    LokiConfig c;
    c.setAppName(QStringLiteral("shop"));
    c.setUrl(url);
    c.setFormat(format);
    return c;
}

} // namespace

class tst_Otlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storedAsLoki3_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::newRow("otlp") << WireFormat::Otlp;
        QTest::newRow("otlp-json") << WireFormat::OtlpJson;
        QTest::newRow("otlp-gzip") << WireFormat::OtlpGzip;
        QTest::newRow("otlp-json-gzip") << WireFormat::OtlpJsonGzip;
    }
    void storedAsLoki3()
    {
        QFETCH(WireFormat, format);
        ReceiverThread receiver;
        LokiConfig config = configFor(receiver.baseUrl(), format);
        config.setStaticLabels({{QStringLiteral("component"), QStringLiteral("checkout")}});
        LokiLogger logger(config);
        constexpr int Count = 500; // within the default buffer of 1,000
        for (int i = 0; i < Count; ++i) {
            logger.info(QStringLiteral("order %1").arg(i),
                        {{QStringLiteral("trace_id"), TraceId},
                         {QStringLiteral("span_id"), SpanId},
                         {QStringLiteral("order"), i},
                         {QStringLiteral("amount"), 100.5},
                         {QStringLiteral("paid"), true},
                         {QStringLiteral("items"), QVariantList {1, QStringLiteral("two")}},
                         {QStringLiteral("label_region"), QStringLiteral("eu")}});
        }
        logger.error(QStringLiteral("payment failed"), {{QStringLiteral("code"), 502}});
        QVERIFY(logger.flush(10s));

        const LokiStats s = logger.stats();
        QCOMPARE(s.accepted(), quint64(Count + 1));
        QCOMPARE(s.delivered(), quint64(Count + 1));
        QCOMPARE(s.dropped(), quint64(0));
        QCOMPARE(receiver.count(), qint64(Count + 1));

        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), Count + 1);
        int orders = 0;
        for (const LokiReceiver::Entry &e : entries) {
            // Loki 3 indexes service.name and deployment.environment.name; the other
            // resource attributes (the logger's labels) become structured metadata.
            const QMap<QString, QString> labels {
                    {QStringLiteral("deployment_environment_name"), QStringLiteral("production")},
                    {QStringLiteral("service_name"), QStringLiteral("shop")}};
            QCOMPARE(e.labels, labels);
            const auto &m = e.structuredMetadata;
            QCOMPARE(m.value(QStringLiteral("component")), QStringLiteral("checkout"));
            QCOMPARE(m.value(QStringLiteral("scope_name")), QStringLiteral("qloki"));
            QCOMPARE(m.value(QStringLiteral("scope_version")), QString::fromLatin1(qlokiVersion()));
            QCOMPARE(m.value(QStringLiteral("observed_timestamp")), QString::number(e.timestampNs));
            if (e.line == QLatin1String("payment failed")) {
                QCOMPARE(m.value(QStringLiteral("severity_number")), QStringLiteral("17"));
                QCOMPARE(m.value(QStringLiteral("severity_text")), QStringLiteral("error"));
                QCOMPARE(m.value(QStringLiteral("code")), QStringLiteral("502"));
                QVERIFY(!m.contains(QStringLiteral("trace_id")));
                continue;
            }
            ++orders;
            QCOMPARE(m.value(QStringLiteral("severity_number")), QStringLiteral("9"));
            QCOMPARE(m.value(QStringLiteral("severity_text")), QStringLiteral("info"));
            QCOMPARE(m.value(QStringLiteral("region")), QStringLiteral("eu"));
            QCOMPARE(m.value(QStringLiteral("trace_id")), TraceId); // from the record's id
            QCOMPARE(m.value(QStringLiteral("span_id")), SpanId);
            QCOMPARE(m.value(QStringLiteral("order")), e.line.mid(6));
            QCOMPARE(m.value(QStringLiteral("amount")), QStringLiteral("100.5"));
            QCOMPARE(m.value(QStringLiteral("paid")), QStringLiteral("true"));
            QCOMPARE(m.value(QStringLiteral("items")), QStringLiteral("[1,\"two\"]"));
        }
        QCOMPARE(orders, Count);
        const auto stats = receiver.with([](LokiReceiver &r) { return r.stats(); });
        QCOMPARE(stats.pushesByStatus().value(200), stats.pushRequests());
        QCOMPARE(stats.pushesByStatus().value(204), quint64(0)); // no Loki push API
    }

    // The category of the message handler's entries names the scope.
    void categoryIsTheScope()
    {
        ReceiverThread receiver;
        LokiLogger logger(configFor(receiver.baseUrl(), WireFormat::Otlp));
        logger.log(QLoki::Level::Warning, QStringLiteral("slow"),
                   QVariantMap {{QStringLiteral("label_category"), QStringLiteral("app.net")}});
        QVERIFY(logger.flush(5s));
        const QList<LokiReceiver::Entry> entries = receiver.entries();
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries.first().structuredMetadata.value(QStringLiteral("scope_name")),
                 QStringLiteral("app.net"));
        QVERIFY(!entries.first().structuredMetadata.contains(QStringLiteral("category")));
    }

    // A collector's address ends in /v1/logs and is used as it is.
    void collectorAddressKept()
    {
        ReceiverThread receiver;
        const QUrl url = receiver.baseUrl().resolved(QUrl(QStringLiteral("/otlp/v1/logs")));
        LokiLogger logger(configFor(url, WireFormat::OtlpJson));
        QCOMPARE(logger.config().pushUrl(), url);
        logger.info(QStringLiteral("direct"));
        QVERIFY(logger.flush(5s));
        QCOMPARE(logger.stats().delivered(), quint64(1));
        QCOMPARE(receiver.count(), qint64(1));
    }

    // A server not written with Qt, as a collector: bench/plain_receiver.py (Python's
    // http.server) decodes every body, counts the records, and refuses one in ten through its
    // partial success. The client's counts and the server's agree exactly.
    void againstAServerNotWrittenWithQt_data()
    {
        QTest::addColumn<WireFormat>("format");
        QTest::newRow("otlp") << WireFormat::Otlp;
        QTest::newRow("otlp-json-gzip") << WireFormat::OtlpJsonGzip;
    }
    void againstAServerNotWrittenWithQt()
    {
        QFETCH(WireFormat, format);
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        QVERIFY2(!python.isEmpty(), "python3 is required (scripts/bootstrap.sh installs it)");
        QProcess server;
        server.start(python,
                     {QStringLiteral(QLOKI_SOURCE_DIR "/bench/plain_receiver.py"),
                      QStringLiteral("--port"), QStringLiteral("0"),
                      QStringLiteral("--otlp-reject"), QStringLiteral("10")});
        QVERIFY(server.waitForStarted());
        QByteArray banner;
        while (!banner.contains('\n') && server.waitForReadyRead(10000))
            banner += server.readAllStandardOutput();
        const qsizetype at = banner.indexOf("http://");
        QVERIFY2(at >= 0, banner.constData());
        const QUrl url(QString::fromLatin1(banner.mid(at).trimmed()) + QStringLiteral("/v1/logs"));

        {
            LokiLogger logger(configFor(url, format));
            QCOMPARE(logger.config().pushUrl(), url); // a collector's URL is kept
            for (int i = 0; i < 100; ++i) {
                logger.info(QStringLiteral("order %1").arg(i),
                            {{QStringLiteral("trace_id"), TraceId}, {QStringLiteral("order"), i}});
            }
            QVERIFY(logger.flush(10s));
            const LokiStats s = logger.stats();
            QCOMPARE(s.accepted(), quint64(100));
            QVERIFY(s.dropped(QLoki::DropReason::Rejected) >= 9);
            QCOMPARE(s.delivered() + s.dropped(QLoki::DropReason::Rejected), quint64(100));
            QCOMPARE(s.rejected(QLoki::RefusalCode::Other), s.dropped(QLoki::DropReason::Rejected));
            QVERIFY2(s.lastError().contains(QLatin1String("rejected by plain_receiver")),
                     qPrintable(s.lastError()));
            logger.shutdown();

            server.terminate(); // the server prints its counts on stderr as it stops
            QVERIFY(server.waitForFinished(10000));
            const QList<QByteArray> lines = server.readAllStandardError().trimmed().split('\n');
            const QJsonObject counts = QJsonDocument::fromJson(lines.last()).object();
            QCOMPARE(counts.value(QLatin1String("errors")).toInt(), 0);
            QCOMPARE(quint64(counts.value(QLatin1String("entries")).toInteger()), s.delivered());
            QCOMPARE(quint64(counts.value(QLatin1String("rejected")).toInteger()),
                     s.dropped(QLoki::DropReason::Rejected));
        }
    }

    // A 200 whose partial success rejects records: those are counted as rejected with the
    // server's words and never sent again; the others are delivered.
    void partialSuccessCountsRejected()
    {
        ReceiverThread receiver;
        receiver.with([](LokiReceiver &r) {
            LokiReceiver::Limits limits = r.limits();
            limits.setMaxLineSize(1024);
            r.setLimits(limits);
            return true;
        });
        LokiLogger logger(configFor(receiver.baseUrl(), WireFormat::Otlp));
        QSignalSpy failed(&logger, &LokiLogger::batchFailed);
        for (int i = 0; i < 10; ++i)
            logger.info(i % 5 == 0 ? QString(2000, QLatin1Char('x'))
                                   : QStringLiteral("ok %1").arg(i));
        QVERIFY(logger.flush(5s));
        const LokiStats s = logger.stats();
        QCOMPARE(s.delivered(), quint64(8));
        QCOMPARE(s.dropped(QLoki::DropReason::Rejected), quint64(2));
        QCOMPARE(s.rejected(QLoki::RefusalCode::LineTooLong), quint64(2));
        QVERIFY2(s.lastError().startsWith(
                         QLatin1String("line_too_long: HTTP 200: partial success, 2 rejected: ")),
                 qPrintable(s.lastError()));
        QCOMPARE(s.retries(), quint64(0));
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toInt(), 2);
        QCOMPARE(failed.first().at(3).toBool(), false); // never re-sent
        QCOMPARE(receiver.count(), qint64(8));
    }
};

QTEST_GUILESS_MAIN(tst_Otlp)
#include "tst_otlp.moc"
