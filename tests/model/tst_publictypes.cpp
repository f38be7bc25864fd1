// SPDX-License-Identifier: MIT
// The public value classes as an application sees them (implicit sharing, equality,
// chained setters) and the version macros. Links the shared library, as applications do.
#include <QLoki/LokiConfig>
#include <QLoki/LokiStats>

#include <QtTest/QtTest>

#include <functional>

using namespace std::chrono_literals;

Q_DECLARE_METATYPE(std::function<void(LokiConfig &)>)

class tst_PublicTypes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void configCopiesAreIndependent()
    {
        LokiConfig a;
        a.setAppName(QStringLiteral("a"));
        LokiConfig b = a;
        QCOMPARE(b, a);
        b.setAppName(QStringLiteral("b")).setBufferSize(10);
        QCOMPARE(a.appName(), QStringLiteral("a"));
        QCOMPARE(a.bufferSize(), 1000);
        QCOMPARE(b.appName(), QStringLiteral("b"));
        QVERIFY(a != b);
        b.setAppName(QStringLiteral("a")).setBufferSize(1000);
        QCOMPARE(b, a);
    }

    void configMovesAndSwaps()
    {
        LokiConfig a = LokiConfig().setAppName(QStringLiteral("a"));
        LokiConfig b = LokiConfig().setAppName(QStringLiteral("b"));
        a.swap(b);
        QCOMPARE(a.appName(), QStringLiteral("b"));
        QCOMPARE(b.appName(), QStringLiteral("a"));
        LokiConfig c(std::move(a));
        QCOMPARE(c.appName(), QStringLiteral("b"));
        a = b; // a moved-from configuration can be assigned again
        QCOMPARE(a.appName(), QStringLiteral("a"));
        c = std::move(b);
        QCOMPARE(c.appName(), QStringLiteral("a"));
    }

    void settersChain()
    {
        const LokiConfig c = LokiConfig()
                                     .setAppName(QStringLiteral("demo"))
                                     .setUrl(QUrl(QStringLiteral("http://loki:3100")))
                                     .setFlushInterval(2s)
                                     .setFormat(QLoki::WireFormat::Json);
        QCOMPARE(c.appName(), QStringLiteral("demo"));
        QCOMPARE(c.pushUrl(), QUrl(QStringLiteral("http://loki:3100/loki/api/v1/push")));
        QCOMPARE(c.flushInterval(), 2000ms);
        QCOMPARE(c.format(), QLoki::WireFormat::Json);
        QCOMPARE(c.validate(), QStringList());
    }

    void setUrlIsEndpointsLoki()
    {
        const QUrl grafana(QStringLiteral("http://grafana:3000"));
        const QUrl loki(QStringLiteral("http://loki:3100"));
        LokiConfig c;
        QCOMPARE(c.url(), QUrl(QStringLiteral("http://localhost:3100/loki/api/v1/push")));
        c.setEndpoints({{QStringLiteral("grafana"), grafana}});
        QCOMPARE(c.url(), QUrl());
        c.setUrl(loki);
        QCOMPARE(c.url(), loki);
        QCOMPARE(c.endpoints().size(), 2);
        QCOMPARE(c.endpoints().value(QStringLiteral("grafana")), grafana);
        QCOMPARE(c.endpoints().value(QStringLiteral("loki")), loki);
    }

    // Every option takes part in operator==: a configuration that differs in one only is
    // not equal to the defaults, and equal again once the default is set back.
    void equalityCoversEveryOption_data()
    {
        using Change = std::function<void(LokiConfig &)>;
        QTest::addColumn<Change>("change");
        QTest::addColumn<Change>("reset");
        const LokiConfig d;
#define ROW(option, setter, value)                                                                 \
    QTest::newRow(#option) << Change([](LokiConfig &c) { c.setter(value); })                       \
                           << Change([d](LokiConfig &c) { c.setter(d.option()); })
        ROW(appName, setAppName, QStringLiteral("x"));
        ROW(environment, setEnvironment, QStringLiteral("x"));
        ROW(endpoints, setEndpoints, (QMap<QString, QUrl> {}));
        ROW(useSendBeacon, setUseSendBeacon, false);
        ROW(enableOfflineBuffer, setEnableOfflineBuffer, false);
        ROW(bufferSize, setBufferSize, 7);
        ROW(flushInterval, setFlushInterval, 7ms);
        ROW(maxRetries, setMaxRetries, 7);
        ROW(batchMaxEntries, setBatchMaxEntries, 7);
        ROW(batchMaxBytes, setBatchMaxBytes, 7);
        ROW(requestTimeout, setRequestTimeout, 7ms);
        ROW(minBackoff, setMinBackoff, 7ms);
        ROW(maxBackoff, setMaxBackoff, 7ms);
        ROW(shutdownTimeout, setShutdownTimeout, 7ms);
        ROW(staticLabels, setStaticLabels, (QMap<QString, QString> {{QStringLiteral("k"), {}}}));
        ROW(minimumLevel, setMinimumLevel, QLoki::Level::Error);
        ROW(overflowPolicy, setOverflowPolicy, QLoki::OverflowPolicy::Block);
        ROW(format, setFormat, QLoki::WireFormat::Json);
        ROW(tenant, setTenant, QStringLiteral("x"));
        ROW(metadataMode, setMetadataMode, QLoki::MetadataMode::Logfmt);
        ROW(spoolDirectory, setSpoolDirectory, QStringLiteral("x"));
        ROW(spoolMaxBytes, setSpoolMaxBytes, 7);
        ROW(spoolDurability, setSpoolDurability, QLoki::SpoolDurability::Fsync);
        ROW(username, setUsername, QStringLiteral("x"));
        ROW(password, setPassword, QStringLiteral("x"));
        ROW(bearerToken, setBearerToken, QStringLiteral("x"));
        ROW(headers, setHeaders, (QMap<QString, QString> {{QStringLiteral("k"), {}}}));
        ROW(caFile, setCaFile, QStringLiteral("x"));
        ROW(clientCertificateFile, setClientCertificateFile, QStringLiteral("x"));
        ROW(clientKeyFile, setClientKeyFile, QStringLiteral("x"));
        ROW(insecureSkipTlsVerification, setInsecureSkipTlsVerification, true);
        ROW(maxLineBytes, setMaxLineBytes, 7);
        ROW(lineLimitPolicy, setLineLimitPolicy, QLoki::LineLimitPolicy::Reject);
#undef ROW
    }

    void equalityCoversEveryOption()
    {
        using Change = std::function<void(LokiConfig &)>;
        QFETCH(Change, change);
        QFETCH(Change, reset);
        LokiConfig c;
        change(c);
        QVERIFY(c != LokiConfig());
        QVERIFY(!(c == LokiConfig()));
        reset(c);
        QCOMPARE(c, LokiConfig());
    }

    void statsDefaults()
    {
        const LokiStats s;
        QCOMPARE(s.accepted(), quint64(0));
        QCOMPARE(s.delivered(), quint64(0));
        QCOMPARE(s.dropped(), quint64(0));
        for (int r = 0; r < QLoki::DropReasonCount; ++r)
            QCOMPARE(s.dropped(QLoki::DropReason(r)), quint64(0));
        // A reason this library does not know (from a later version) reads 0.
        QCOMPARE(s.dropped(QLoki::DropReason(QLoki::DropReasonCount + 3)), quint64(0));
        QCOMPARE(s.pending(), quint64(0));
        QCOMPARE(s.capacity(), 0);
        QCOMPARE(s.lastError(), QString());
        QVERIFY(!s.nextRetry().isValid());
        QCOMPARE(s.state(), QLoki::State::Stopped);
    }

    void statsTravelInQVariant()
    {
        const QVariant v = QVariant::fromValue(LokiStats());
        QVERIFY(v.canConvert<LokiStats>());
        QCOMPARE(v.value<LokiStats>().state(), QLoki::State::Stopped);
        QCOMPARE(QMetaType::fromType<LokiStats>().name(), "LokiStats");
    }

    void versionMacros()
    {
        static_assert(QLOKI_VERSION_CHECK(2, 0, 0) == 0x020000);
        static_assert(QLOKI_VERSION_CHECK(2, 10, 3) == 0x020a03);
        static_assert(QLOKI_VERSION
                      == QLOKI_VERSION_CHECK(QLOKI_VERSION_MAJOR, QLOKI_VERSION_MINOR,
                                             QLOKI_VERSION_PATCH));
        static_assert(QLOKI_VERSION >= QLOKI_VERSION_CHECK(2, 0, 0));
#if !(QLOKI_VERSION >= QLOKI_VERSION_CHECK(2, 0, 0))
#error "QLOKI_VERSION is not usable in #if"
#endif
        QCOMPARE(QLatin1String(QLOKI_VERSION_STR),
                 QStringLiteral("%1.%2.%3")
                         .arg(QLOKI_VERSION_MAJOR)
                         .arg(QLOKI_VERSION_MINOR)
                         .arg(QLOKI_VERSION_PATCH));
        QCOMPARE(qlokiVersion(), QLOKI_VERSION_STR);
    }
};

QTEST_GUILESS_MAIN(tst_PublicTypes)
#include "tst_publictypes.moc"
