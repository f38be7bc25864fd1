// SPDX-License-Identifier: MIT
#include <QLoki/lokiconfig.h>

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace std::chrono_literals;

Q_DECLARE_METATYPE(LokiConfig)

namespace {

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

LokiConfig validConfig()
{
    LokiConfig c;
    c.setAppName(s("demo"));
    return c;
}

const char *const allVariables[] = {
    "LOKI_URL", "LOKI_APP_NAME", "LOKI_ENVIRONMENT", "LOKI_TENANT", "LOKI_USE_SEND_BEACON",
    "LOKI_ENABLE_OFFLINE_BUFFER", "LOKI_BUFFER_SIZE", "LOKI_FLUSH_INTERVAL", "LOKI_MAX_RETRIES",
    "LOKI_BATCH_MAX_ENTRIES", "LOKI_BATCH_MAX_BYTES", "LOKI_REQUEST_TIMEOUT", "LOKI_MIN_LEVEL",
    "LOKI_OVERFLOW", "LOKI_FORMAT", "LOKI_LABELS", "LOKI_CONTEXT_ENTRIES",
    "LOKI_CONTEXT_TRIGGER_LEVEL"};

// One option of a configuration as a comparable value, so that tables can name options.
QVariant optionValue(const LokiConfig &c, const QString &name)
{
    if (name == QLatin1String("appName")) return c.appName();
    if (name == QLatin1String("environment")) return c.environment();
    if (name == QLatin1String("url")) return c.endpoints().value(s("loki")).toString();
    if (name == QLatin1String("tenant")) return c.tenant();
    if (name == QLatin1String("useSendBeacon")) return c.useSendBeacon();
    if (name == QLatin1String("enableOfflineBuffer")) return c.enableOfflineBuffer();
    if (name == QLatin1String("bufferSize")) return c.bufferSize();
    if (name == QLatin1String("flushIntervalMs")) return qint64(c.flushInterval().count());
    if (name == QLatin1String("maxRetries")) return c.maxRetries();
    if (name == QLatin1String("batchMaxEntries")) return c.batchMaxEntries();
    if (name == QLatin1String("batchMaxBytes")) return c.batchMaxBytes();
    if (name == QLatin1String("requestTimeoutMs")) return qint64(c.requestTimeout().count());
    if (name == QLatin1String("minBackoffMs")) return qint64(c.minBackoff().count());
    if (name == QLatin1String("maxBackoffMs")) return qint64(c.maxBackoff().count());
    if (name == QLatin1String("shutdownTimeoutMs")) return qint64(c.shutdownTimeout().count());
    if (name == QLatin1String("minimumLevel")) return QLoki::levelName(c.minimumLevel());
    if (name == QLatin1String("contextEntries")) return c.contextEntries();
    if (name == QLatin1String("contextTriggerLevel"))
        return QLoki::levelName(c.contextTriggerLevel());
    if (name == QLatin1String("overflowPolicy"))
        return QLoki::overflowPolicyName(c.overflowPolicy());
    if (name == QLatin1String("format")) return QLoki::wireFormatName(c.format());
    if (name == QLatin1String("staticLabels")) {
        QStringList pairs;
        const QMap<QString, QString> labels = c.staticLabels();
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            pairs.append(it.key() + QLatin1Char('=') + it.value());
        return pairs.join(QLatin1Char(','));
    }
    qFatal("unknown option in test table");
    return {};
}

} // namespace

class tst_LokiConfig : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void defaults();

    void validate_data();
    void validate();
    void validateReportsEveryProblem();

    void pushUrl_data();
    void pushUrl();
    void otlpPushUrl_data();
    void otlpPushUrl();

    void environment_data();
    void environment();
    void environmentIgnoresEmptyAndKeepsOtherOptions();
    void fromEnvironmentCombined();

    void json();
    void jsonRedactions();
    void jsonErrors_data();
    void jsonErrors();
    void jsonFile();
    void jsonFileMissing();
    void jsonFileInvalid();
};

void tst_LokiConfig::init()
{
    for (const char *name : allVariables)
        qunsetenv(name);
}

void tst_LokiConfig::cleanup()
{
    init();
}

void tst_LokiConfig::defaults()
{
    // The Python SDK's defaults.
    const LokiConfig c;
    QCOMPARE(c.appName(), QString());
    QCOMPARE(c.environment(), s("production"));
    QCOMPARE(c.endpoints().size(), 1);
    QCOMPARE(c.endpoints().value(s("loki")), QUrl(s("http://localhost:3100/loki/api/v1/push")));
    QCOMPARE(c.pushUrl(), QUrl(s("http://localhost:3100/loki/api/v1/push")));
    QCOMPARE(c.useSendBeacon(), true);
    QCOMPARE(c.enableOfflineBuffer(), true);
    QCOMPARE(c.bufferSize(), 1000);
    QCOMPARE(c.flushInterval(), std::chrono::milliseconds(5s));
    QCOMPARE(c.maxRetries(), 3);
    // QLoki's own.
    QCOMPARE(c.minimumLevel(), QLoki::Level::Debug);
    QCOMPARE(c.overflowPolicy(), QLoki::OverflowPolicy::DropOldest);
    QVERIFY(c.staticLabels().isEmpty());
    QVERIFY(c.tenant().isEmpty());
    QCOMPARE(c.contextEntries(), 0); // the context ring is off
    QCOMPARE(c.contextTriggerLevel(), QLoki::Level::Error);
    // Redaction of secrets: on, with no rules of the application's.
    QCOMPARE(c.redactSecrets(), true);
    QVERIFY(c.redactions().isEmpty());
    QCOMPARE(c.redactionReplacement(), s("[REDACTED]"));

    // The defaults lack only the application name.
    QCOMPARE(c.validate().size(), 1);
    QVERIFY(c.validate().first().contains(s("appName")));
    QCOMPARE(validConfig().validate(), QStringList());
}

void tst_LokiConfig::validate_data()
{
    QTest::addColumn<LokiConfig>("config");
    // Fragments that the one expected error must contain; empty: no error.
    QTest::addColumn<QStringList>("fragments");

    const QStringList none;
    QTest::newRow("valid") << validConfig() << none;
    {
        LokiConfig c = validConfig();
        c.setAppName(QString());
        QTest::newRow("empty appName") << c << QStringList{s("appName"), s("empty")};
        c.setAppName(s("  "));
        QTest::newRow("blank appName") << c << QStringList{s("appName"), s("empty")};
    }
    {
        LokiConfig c = validConfig();
        c.setEndpoints({{s("other"), QUrl(s("http://x:3100"))}});
        QTest::newRow("no loki endpoint") << c << QStringList{s("endpoints"), s("\"loki\"")};
        c.setUrl(QUrl());
        QTest::newRow("empty loki endpoint") << c << QStringList{s("endpoints[\"loki\"]"),
                                                                 s("empty")};
        c.setUrl(QUrl(s("http://exa mple.com/"), QUrl::StrictMode));
        QTest::newRow("invalid URL") << c << QStringList{s("endpoints[\"loki\"]"),
                                                         s("not a valid URL")};
        c.setUrl(QUrl(s("ftp://host:3100")));
        QTest::newRow("ftp scheme") << c << QStringList{s("ftp://host:3100"), s("\"ftp\""),
                                                        s("http and https")};
        c.setUrl(QUrl(s("localhost:3100")));
        QTest::newRow("host as scheme") << c << QStringList{s("\"localhost\""),
                                                            s("http and https")};
        c.setUrl(QUrl(s("loki.example.com/push")));
        QTest::newRow("no scheme") << c << QStringList{s("loki.example.com/push"),
                                                       s("no scheme")};
        c.setUrl(QUrl(s("http:///loki/api/v1/push")));
        QTest::newRow("no host") << c << QStringList{s("endpoints[\"loki\"]"), s("no host")};
        c.setUrl(QUrl(s("ftp://user:secret@host")));
        QTest::newRow("password not shown") << c << QStringList{s("ftp://user@host")};
        c.setUrl(QUrl(s("https://logs.example.com")));
        QTest::newRow("https ok") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setBufferSize(0);
        QTest::newRow("bufferSize 0") << c << QStringList{s("bufferSize is 0"), s("at least 1")};
        c.setBufferSize(1);
        QTest::newRow("bufferSize 1") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setContextEntries(-1);
        QTest::newRow("contextEntries -1") << c << QStringList{s("contextEntries is -1"),
                                                               s("0 or more")};
        c.setContextEntries(200);
        QTest::newRow("contextEntries 200") << c << none;
        c.setBufferSize(200);
        QTest::newRow("contextEntries = bufferSize")
                << c << QStringList{s("contextEntries (200)"), s("bufferSize (200)")};
        c.setContextEntries(0);
        c.setBufferSize(1);
        QTest::newRow("contextEntries 0, bufferSize 1") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setFlushInterval(0ms);
        QTest::newRow("flushInterval 0") << c << QStringList{s("flushInterval is 0 ms")};
        c.setFlushInterval(-5ms);
        QTest::newRow("flushInterval negative") << c << QStringList{s("flushInterval is -5 ms")};
    }
    {
        LokiConfig c = validConfig();
        c.setMaxRetries(-1);
        QTest::newRow("maxRetries -1") << c << QStringList{s("maxRetries is -1")};
        c.setMaxRetries(0);
        QTest::newRow("maxRetries 0") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setBatchMaxEntries(0);
        QTest::newRow("batchMaxEntries 0") << c << QStringList{s("batchMaxEntries is 0")};
    }
    {
        LokiConfig c = validConfig();
        c.setBatchMaxBytes(1023);
        QTest::newRow("batchMaxBytes 1023") << c << QStringList{s("batchMaxBytes is 1023"),
                                                                s("1 KiB")};
        c.setBatchMaxBytes(1024);
        QTest::newRow("batchMaxBytes 1024") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setRequestTimeout(0ms);
        QTest::newRow("requestTimeout 0") << c << QStringList{s("requestTimeout is 0 ms")};
    }
    {
        LokiConfig c = validConfig();
        c.setMinBackoff(0ms);
        QTest::newRow("minBackoff 0") << c << QStringList{s("minBackoff is 0 ms")};
        c.setMinBackoff(31s);
        QTest::newRow("minBackoff > maxBackoff")
            << c << QStringList{s("minBackoff (31000 ms)"), s("maxBackoff (30000 ms)")};
        c.setMinBackoff(30s);
        QTest::newRow("minBackoff == maxBackoff") << c << none;
    }
    {
        LokiConfig c = validConfig();
        c.setShutdownTimeout(-1ms);
        QTest::newRow("shutdownTimeout -1") << c << QStringList{s("shutdownTimeout is -1 ms")};
        c.setShutdownTimeout(0ms);
        QTest::newRow("shutdownTimeout 0") << c << none;
    }
    const auto withLabel = [](const char *name) {
        LokiConfig c = validConfig();
        c.setStaticLabels({{s(name), s("v")}});
        return c;
    };
    QTest::newRow("label ok") << withLabel("region") << none;
    QTest::newRow("label bad-name")
        << withLabel("bad-name")
        << QStringList{s("staticLabels"), s("\"bad-name\""), s("not a valid"), s("\"bad_name\"")};
    QTest::newRow("label 9lives") << withLabel("9lives")
                                  << QStringList{s("\"9lives\""), s("not a valid")};
    QTest::newRow("label __name__") << withLabel("__name__")
                                    << QStringList{s("\"__name__\""), s("not a valid")};
    QTest::newRow("label empty name") << withLabel("") << QStringList{s("\"\""), s("not a valid")};
    QTest::newRow("label app") << withLabel("app")
                               << QStringList{s("\"app\""), s("reserved"), s("appName")};
    QTest::newRow("label environment")
        << withLabel("environment") << QStringList{s("\"environment\""), s("reserved")};
    QTest::newRow("label level") << withLabel("level")
                                 << QStringList{s("\"level\""), s("reserved"), s("level of")};

    const auto withRule = [](const char *pattern) {
        LokiConfig c = validConfig();
        c.setRedactions({{QRegularExpression(s(pattern)), s("x")}});
        return c;
    };
    QTest::newRow("redaction ok") << withRule("customer-\\d+") << none;
    QTest::newRow("redaction invalid")
        << withRule("customer-(\\d+")
        << QStringList{s("redactions[0]"), s("\"customer-(\\d+\""),
                       s("not a valid regular expression"), s("offset")};
    QTest::newRow("redaction matches empty text")
        << withRule("x*") << QStringList{s("redactions[0]"), s("\"x*\""), s("empty text")};
}

void tst_LokiConfig::validate()
{
    QFETCH(LokiConfig, config);
    QFETCH(QStringList, fragments);

    const QStringList errors = config.validate();
    if (fragments.isEmpty()) {
        QCOMPARE(errors, QStringList());
        return;
    }
    QCOMPARE(errors.size(), 1);
    const QString &error = errors.first();
    for (const QString &fragment : fragments)
        QVERIFY2(error.contains(fragment), qPrintable(error + s(" lacks ") + fragment));
    QVERIFY(!error.contains(s("secret")));
    // One sentence on one line.
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QVERIFY(error.endsWith(QLatin1Char('.')));
}

void tst_LokiConfig::validateReportsEveryProblem()
{
    LokiConfig c;
    c.setBufferSize(0);
    c.setMaxRetries(-2);
    c.setStaticLabels({{s("level"), s("x")}, {s("a.b"), s("y")}});
    const QStringList errors = c.validate();
    QCOMPARE(errors.size(), 5);
}

void tst_LokiConfig::pushUrl_data()
{
    QTest::addColumn<QUrl>("endpoint");
    QTest::addColumn<QUrl>("expected");

    const QUrl push(s("http://localhost:3100/loki/api/v1/push"));
    QTest::newRow("host only") << QUrl(s("http://localhost:3100")) << push;
    QTest::newRow("root") << QUrl(s("http://localhost:3100/")) << push;
    QTest::newRow("double slash") << QUrl(s("http://localhost:3100//")) << push;
    QTest::newRow("full path") << push << push;
    QTest::newRow("full path trailing slash")
        << QUrl(s("http://localhost:3100/loki/api/v1/push/")) << push;
    QTest::newRow("proxy prefix") << QUrl(s("https://logs.example.com/gateway"))
                                  << QUrl(s("https://logs.example.com/gateway/loki/api/v1/push"));
    QTest::newRow("proxy prefix slash")
        << QUrl(s("https://logs.example.com/gateway/"))
        << QUrl(s("https://logs.example.com/gateway/loki/api/v1/push"));
    QTest::newRow("proxy prefix full")
        << QUrl(s("https://logs.example.com/gateway/loki/api/v1/push"))
        << QUrl(s("https://logs.example.com/gateway/loki/api/v1/push"));
    QTest::newRow("similar prefix")
        << QUrl(s("http://h/myloki/api/v1/push"))
        << QUrl(s("http://h/myloki/api/v1/push/loki/api/v1/push"));
    QTest::newRow("escaped prefix") << QUrl(s("http://h/a%2Fb"))
                                    << QUrl(s("http://h/a%2Fb/loki/api/v1/push"));
    QTest::newRow("user info and query")
        << QUrl(s("https://user:secret@h:8443?x=1"))
        << QUrl(s("https://user:secret@h:8443/loki/api/v1/push?x=1"));
    QTest::newRow("empty") << QUrl() << QUrl();
    QTest::newRow("invalid") << QUrl(s("http://exa mple.com"), QUrl::StrictMode) << QUrl();
}

void tst_LokiConfig::pushUrl()
{
    QFETCH(QUrl, endpoint);
    QFETCH(QUrl, expected);
    LokiConfig c = validConfig();
    c.setUrl(endpoint);
    QCOMPARE(c.pushUrl().toString(QUrl::FullyEncoded), expected.toString(QUrl::FullyEncoded));
    QCOMPARE(c.pushUrl().isValid(), expected.isValid());
}

void tst_LokiConfig::otlpPushUrl_data()
{
    QTest::addColumn<QLoki::WireFormat>("format");
    QTest::addColumn<QUrl>("endpoint");
    QTest::addColumn<QUrl>("expected");

    const QUrl loki(s("http://localhost:3100/otlp/v1/logs"));
    const QUrl collector(s("http://collector:4318/v1/logs"));
    QTest::newRow("loki base") << QLoki::WireFormat::Otlp << QUrl(s("http://localhost:3100"))
                               << loki;
    QTest::newRow("loki base slash")
            << QLoki::WireFormat::OtlpJson << QUrl(s("http://localhost:3100/")) << loki;
    QTest::newRow("loki full") << QLoki::WireFormat::OtlpGzip << loki << loki;
    QTest::newRow("collector") << QLoki::WireFormat::Otlp << collector << collector;
    QTest::newRow("collector slash") << QLoki::WireFormat::OtlpJsonGzip
                                     << QUrl(s("http://collector:4318/v1/logs/")) << collector;
    QTest::newRow("gateway prefix") << QLoki::WireFormat::Otlp << QUrl(s("https://h/gateway"))
                                    << QUrl(s("https://h/gateway/otlp/v1/logs"));
    QTest::newRow("loki push path is a prefix")
            << QLoki::WireFormat::Otlp << QUrl(s("http://h/v1/logsx"))
            << QUrl(s("http://h/v1/logsx/otlp/v1/logs"));
}

void tst_LokiConfig::otlpPushUrl()
{
    QFETCH(QLoki::WireFormat, format);
    QFETCH(QUrl, endpoint);
    QFETCH(QUrl, expected);
    LokiConfig c = validConfig();
    c.setUrl(endpoint);
    c.setFormat(format);
    QCOMPARE(c.pushUrl().toString(QUrl::FullyEncoded), expected.toString(QUrl::FullyEncoded));
}

void tst_LokiConfig::environment_data()
{
    QTest::addColumn<QByteArray>("variable");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("option");
    QTest::addColumn<QVariant>("expected"); // the option afterwards
    QTest::addColumn<bool>("ok");

    const auto row = [](const char *tag, const char *var, const char *value, const char *opt,
                        const QVariant &expected, bool ok) {
        QTest::newRow(tag) << QByteArray(var) << QByteArray(value) << s(opt) << expected << ok;
    };
    const LokiConfig d;

    row("url", "LOKI_URL", "https://logs.example.com", "url", s("https://logs.example.com"), true);
    row("url bad", "LOKI_URL", "not a url", "url", d.url().toString(), false);
    row("url no host", "LOKI_URL", "localhost:3100", "url",
        d.endpoints().value(s("loki")).toString(), false);
    row("app name", "LOKI_APP_NAME", "demo-cpp", "appName", s("demo-cpp"), true);
    row("environment", "LOKI_ENVIRONMENT", "staging", "environment", s("staging"), true);
    row("tenant", "LOKI_TENANT", "team-a", "tenant", s("team-a"), true);
    row("beacon false", "LOKI_USE_SEND_BEACON", "false", "useSendBeacon", false, true);
    row("beacon 0", "LOKI_USE_SEND_BEACON", "0", "useSendBeacon", false, true);
    row("beacon no", "LOKI_USE_SEND_BEACON", "No", "useSendBeacon", false, true);
    row("beacon off", "LOKI_USE_SEND_BEACON", "off", "useSendBeacon", false, true);
    row("beacon bad", "LOKI_USE_SEND_BEACON", "maybe", "useSendBeacon", true, false);
    row("offline false", "LOKI_ENABLE_OFFLINE_BUFFER", "FALSE", "enableOfflineBuffer", false,
        true);
    row("offline yes", "LOKI_ENABLE_OFFLINE_BUFFER", "yes", "enableOfflineBuffer", true, true);
    row("offline bad", "LOKI_ENABLE_OFFLINE_BUFFER", "2", "enableOfflineBuffer", true, false);
    row("buffer size", "LOKI_BUFFER_SIZE", "250", "bufferSize", 250, true);
    row("buffer size bad", "LOKI_BUFFER_SIZE", "lots", "bufferSize", 1000, false);
    row("buffer size fraction", "LOKI_BUFFER_SIZE", "2.5", "bufferSize", 1000, false);
    row("flush seconds", "LOKI_FLUSH_INTERVAL", "2", "flushIntervalMs", qint64(2000), true);
    row("flush fraction", "LOKI_FLUSH_INTERVAL", "0.25", "flushIntervalMs", qint64(250), true);
    row("flush bad", "LOKI_FLUSH_INTERVAL", "5s", "flushIntervalMs", qint64(5000), false);
    row("flush inf", "LOKI_FLUSH_INTERVAL", "inf", "flushIntervalMs", qint64(5000), false);
    row("flush huge", "LOKI_FLUSH_INTERVAL", "1e300", "flushIntervalMs", qint64(5000), false);
    row("max retries", "LOKI_MAX_RETRIES", "0", "maxRetries", 0, true);
    row("max retries bad", "LOKI_MAX_RETRIES", "three", "maxRetries", 3, false);
    row("batch entries", "LOKI_BATCH_MAX_ENTRIES", "500", "batchMaxEntries", 500, true);
    row("batch bytes", "LOKI_BATCH_MAX_BYTES", "4194304", "batchMaxBytes", qint64(4194304), true);
    row("batch bytes bad", "LOKI_BATCH_MAX_BYTES", "4MB", "batchMaxBytes", qint64(1048576),
        false);
    row("request timeout", "LOKI_REQUEST_TIMEOUT", "1.5", "requestTimeoutMs", qint64(1500),
        true);
    row("request timeout bad", "LOKI_REQUEST_TIMEOUT", "", "requestTimeoutMs", qint64(10000),
        true); // empty is ignored, not an error
    row("min level", "LOKI_MIN_LEVEL", "WARN", "minimumLevel", s("warning"), true);
    row("min level bad", "LOKI_MIN_LEVEL", "verbose", "minimumLevel", s("debug"), false);
    row("context entries", "LOKI_CONTEXT_ENTRIES", "200", "contextEntries", 200, true);
    row("context entries bad", "LOKI_CONTEXT_ENTRIES", "many", "contextEntries", 0, false);
    row("context trigger", "LOKI_CONTEXT_TRIGGER_LEVEL", "warn", "contextTriggerLevel",
        s("warning"), true);
    row("context trigger bad", "LOKI_CONTEXT_TRIGGER_LEVEL", "loud", "contextTriggerLevel",
        s("error"), false);
    row("overflow", "LOKI_OVERFLOW", "drop-newest", "overflowPolicy", s("drop-newest"), true);
    row("overflow block", "LOKI_OVERFLOW", "block", "overflowPolicy", s("block"), true);
    row("overflow snake", "LOKI_OVERFLOW", "drop_newest", "overflowPolicy", s("drop-newest"),
        true);
    row("overflow bad", "LOKI_OVERFLOW", "explode", "overflowPolicy", s("drop-oldest"), false);
    row("format", "LOKI_FORMAT", "json-gzip", "format", s("json-gzip"), true);
    row("format bad", "LOKI_FORMAT", "xml", "format", s("protobuf"), false);
    row("format otlp", "LOKI_FORMAT", "otlp", "format", s("otlp"), true);
    row("format otlp-json", "LOKI_FORMAT", "OTLP-JSON", "format", s("otlp-json"), true);
    row("labels", "LOKI_LABELS", "team=core, region = eu ,", "staticLabels",
        s("region=eu,team=core"), true);
    row("labels value with =", "LOKI_LABELS", "q=a=b", "staticLabels", s("q=a=b"), true);
    row("labels no =", "LOKI_LABELS", "team=core,oops", "staticLabels", QString(), false);
    row("labels empty name", "LOKI_LABELS", "=x", "staticLabels", QString(), false);
}

void tst_LokiConfig::environment()
{
    QFETCH(QByteArray, variable);
    QFETCH(QByteArray, value);
    QFETCH(QString, option);
    QFETCH(QVariant, expected);
    QFETCH(bool, ok);

    qputenv(variable.constData(), value);
    QStringList errors;
    LokiConfig c;
    QCOMPARE(c.applyEnvironment(&errors), ok);
    QCOMPARE(optionValue(c, option), expected);
    if (ok) {
        QCOMPARE(errors, QStringList());
    } else {
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QString::fromLatin1(variable)), qPrintable(errors.first()));
        QVERIFY2(errors.first().contains(QString::fromUtf8(value)), qPrintable(errors.first()));
    }
    // Without a list the result is the same.
    LokiConfig quiet;
    QCOMPARE(quiet.applyEnvironment(), ok);
    QCOMPARE(optionValue(quiet, option), expected);
}

void tst_LokiConfig::environmentIgnoresEmptyAndKeepsOtherOptions()
{
    LokiConfig c = validConfig();
    c.setTenant(s("kept"));
    c.setStaticLabels({{s("team"), s("old")}, {s("zone"), s("z1")}});
    qputenv("LOKI_APP_NAME", QByteArray());
    qputenv("LOKI_LABELS", QByteArrayLiteral("team=new"));
    QStringList errors;
    QVERIFY(c.applyEnvironment(&errors));
    QCOMPARE(errors, QStringList());
    QCOMPARE(c.appName(), s("demo"));
    QCOMPARE(c.tenant(), s("kept"));
    // LOKI_LABELS adds to the labels already there.
    QCOMPARE(optionValue(c, s("staticLabels")).toString(), s("team=new,zone=z1"));
}

void tst_LokiConfig::fromEnvironmentCombined()
{
    qputenv("LOKI_URL", QByteArrayLiteral("http://loki:3100"));
    qputenv("LOKI_APP_NAME", QByteArrayLiteral("svc"));
    qputenv("LOKI_BUFFER_SIZE", QByteArrayLiteral("x"));
    qputenv("LOKI_MAX_RETRIES", QByteArrayLiteral("y"));
    QStringList errors;
    const LokiConfig c = LokiConfig::fromEnvironment(&errors);
    QCOMPARE(errors.size(), 2);
    QVERIFY(errors.at(0).contains(s("LOKI_BUFFER_SIZE")));
    QVERIFY(errors.at(1).contains(s("LOKI_MAX_RETRIES")));
    QCOMPARE(c.appName(), s("svc"));
    QCOMPARE(c.pushUrl(), QUrl(s("http://loki:3100/loki/api/v1/push")));
    QCOMPARE(c.bufferSize(), 1000);
    QCOMPARE(c.validate(), QStringList());
}

void tst_LokiConfig::json()
{
    // The Python SDK's configuration, plus QLoki's own keys.
    const QByteArray json = R"({
        "app_name": "payments",
        "environment": "staging",
        "endpoints": {"loki": "https://logs.example.com/gateway", "grafana": "http://g:3000"},
        "use_send_beacon": false,
        "enable_offline_buffer": false,
        "buffer_size": 500,
        "flush_interval": 2.5,
        "max_retries": 5,
        "batch_max_entries": 100,
        "batch_max_bytes": 65536,
        "request_timeout": 3,
        "min_backoff": 0.1,
        "max_backoff": 60,
        "shutdown_timeout": 0,
        "static_labels": {"team": "core", "region": "eu"},
        "minimum_level": "warning",
        "overflow_policy": "drop_newest",
        "format": "json",
        "tenant": "acme",
        "context_entries": 200,
        "context_trigger_level": "critical"
    })";
    QString error;
    const std::optional<LokiConfig> c = LokiConfig::fromJson(json, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->appName(), s("payments"));
    QCOMPARE(c->environment(), s("staging"));
    QCOMPARE(c->endpoints().size(), 2);
    QCOMPARE(c->endpoints().value(s("grafana")), QUrl(s("http://g:3000")));
    QCOMPARE(c->pushUrl(), QUrl(s("https://logs.example.com/gateway/loki/api/v1/push")));
    QCOMPARE(c->useSendBeacon(), false);
    QCOMPARE(c->enableOfflineBuffer(), false);
    QCOMPARE(c->bufferSize(), 500);
    QCOMPARE(c->flushInterval(), 2500ms);
    QCOMPARE(c->maxRetries(), 5);
    QCOMPARE(c->batchMaxEntries(), 100);
    QCOMPARE(c->batchMaxBytes(), 65536);
    QCOMPARE(c->requestTimeout(), 3000ms);
    QCOMPARE(c->minBackoff(), 100ms);
    QCOMPARE(c->maxBackoff(), 60000ms);
    QCOMPARE(c->shutdownTimeout(), 0ms);
    QCOMPARE(optionValue(*c, s("staticLabels")).toString(), s("region=eu,team=core"));
    QCOMPARE(c->minimumLevel(), QLoki::Level::Warning);
    QCOMPARE(c->overflowPolicy(), QLoki::OverflowPolicy::DropNewest);
    QCOMPARE(c->format(), QLoki::WireFormat::Json);
    QCOMPARE(c->tenant(), s("acme"));
    QCOMPARE(c->contextEntries(), 200);
    QCOMPARE(c->contextTriggerLevel(), QLoki::Level::Critical);
    QCOMPARE(c->validate(), QStringList());

    // Keys that are absent keep their defaults.
    const std::optional<LokiConfig> minimal = LokiConfig::fromJson(R"({"app_name": "x"})");
    QVERIFY(minimal);
    QCOMPARE(minimal->bufferSize(), 1000);
    QCOMPARE(minimal->pushUrl(), LokiConfig().pushUrl());
}

void tst_LokiConfig::jsonRedactions()
{
    const QByteArray json = R"({"app_name": "x", "redact_secrets": false,
        "redaction_replacement": "***",
        "redactions": [{"pattern": "customer-\\d+", "replacement": "customer-#"},
                       {"pattern": "(?i)iban=\\w+"}]})";
    QString error;
    const std::optional<LokiConfig> c = LokiConfig::fromJson(json, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->redactSecrets(), false);
    QCOMPARE(c->redactionReplacement(), s("***"));
    const QList<QLoki::Redaction> rules = c->redactions();
    QCOMPARE(rules.size(), 2);
    QCOMPARE(rules.at(0).pattern.pattern(), s("customer-\\d+"));
    QCOMPARE(rules.at(0).replacement, s("customer-#"));
    QCOMPARE(rules.at(1).pattern.pattern(), s("(?i)iban=\\w+"));
    QVERIFY(rules.at(1).replacement.isNull()); // redactionReplacement() then
    QCOMPARE(c->validate(), QStringList());

    // Rules take part in equality, the replacement's nullness too.
    LokiConfig other = *c;
    QCOMPARE(other, *c);
    other.setRedactions({rules.at(0), {rules.at(1).pattern, s("")}});
    QVERIFY(other != *c);
}

void tst_LokiConfig::jsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("fragments");

    QTest::newRow("unknown key") << QByteArray(R"({"app_name": "x", "flush_intervall": 5})")
                                 << QStringList{s("Unknown key"), s("\"flush_intervall\"")};
    QTest::newRow("camelCase key") << QByteArray(R"({"appName": "x"})")
                                   << QStringList{s("\"appName\"")};
    QTest::newRow("string for int") << QByteArray(R"({"buffer_size": "1000"})")
                                    << QStringList{s("\"buffer_size\""), s("a string")};
    QTest::newRow("fraction for int") << QByteArray(R"({"max_retries": 2.5})")
                                      << QStringList{s("\"max_retries\""), s("whole number")};
    QTest::newRow("int out of range") << QByteArray(R"({"buffer_size": 1e12})")
                                      << QStringList{s("\"buffer_size\""), s("out of range")};
    QTest::newRow("string for bool") << QByteArray(R"({"use_send_beacon": "true"})")
                                     << QStringList{s("\"use_send_beacon\""), s("true or false")};
    QTest::newRow("string for seconds") << QByteArray(R"({"flush_interval": "5s"})")
                                        << QStringList{s("\"flush_interval\""), s("seconds")};
    QTest::newRow("number for string") << QByteArray(R"({"app_name": 5})")
                                       << QStringList{s("\"app_name\""), s("a number")};
    QTest::newRow("null") << QByteArray(R"({"tenant": null})")
                          << QStringList{s("\"tenant\""), s("null")};
    QTest::newRow("endpoints string")
        << QByteArray(R"({"endpoints": "http://x"})")
        << QStringList{s("\"endpoints\""), s("an object")};
    QTest::newRow("endpoint not a string") << QByteArray(R"({"endpoints": {"loki": 3100}})")
                                           << QStringList{s("\"endpoints.loki\""), s("a number")};
    QTest::newRow("endpoint bad URL") << QByteArray(R"({"endpoints": {"loki": "localhost"}})")
                                      << QStringList{s("\"endpoints.loki\""), s("\"localhost\"")};
    QTest::newRow("label not a string") << QByteArray(R"({"static_labels": {"version": 2}})")
                                        << QStringList{s("\"static_labels.version\"")};
    QTest::newRow("unknown level") << QByteArray(R"({"minimum_level": "verbose"})")
                                   << QStringList{s("\"minimum_level\""), s("\"verbose\"")};
    QTest::newRow("unknown policy") << QByteArray(R"({"overflow_policy": "explode"})")
                                    << QStringList{s("\"overflow_policy\""), s("drop-oldest")};
    QTest::newRow("unknown format") << QByteArray(R"({"format": "xml"})")
                                    << QStringList{s("\"format\""), s("protobuf")};
    QTest::newRow("redactions not an array")
        << QByteArray(R"({"redactions": {"pattern": "x"}})")
        << QStringList{s("\"redactions\""), s("an array")};
    QTest::newRow("redaction not an object") << QByteArray(R"({"redactions": ["x"]})")
                                             << QStringList{s("\"redactions[0]\""), s("a string")};
    QTest::newRow("redaction without pattern")
        << QByteArray(R"({"redactions": [{"replacement": "x"}]})")
        << QStringList{s("\"redactions[0]\""), s("no \"pattern\"")};
    QTest::newRow("redaction pattern not a string")
        << QByteArray(R"({"redactions": [{"pattern": 5}]})")
        << QStringList{s("\"redactions[0].pattern\""), s("a number")};
    QTest::newRow("redaction unknown key")
        << QByteArray(R"({"redactions": [{"pattern": "x", "flags": "i"}]})")
        << QStringList{s("Unknown key"), s("\"redactions[0].flags\"")};
    QTest::newRow("two problems") << QByteArray(R"({"a": 1, "buffer_size": true})")
                                  << QStringList{s("\"a\""), s("\"buffer_size\"")};
    QTest::newRow("syntax") << QByteArray(R"({"app_name": "x",})")
                            << QStringList{s("not valid JSON"), s("offset")};
    QTest::newRow("empty") << QByteArray() << QStringList{s("not valid JSON")};
    QTest::newRow("array") << QByteArray("[1]") << QStringList{s("JSON object")};
}

void tst_LokiConfig::jsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, fragments);
    QString error;
    QVERIFY(!LokiConfig::fromJson(json, &error));
    for (const QString &fragment : fragments)
        QVERIFY2(error.contains(fragment), qPrintable(error + s(" lacks ") + fragment));
    QVERIFY(!LokiConfig::fromJson(json)); // a null error pointer is fine
}

void tst_LokiConfig::jsonFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(s("loki.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"app_name": "from-file", "endpoints": {"loki": "http://loki:3100/"}})");
    file.close();

    QString error;
    const std::optional<LokiConfig> c = LokiConfig::fromJsonFile(path, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->appName(), s("from-file"));
    QCOMPARE(c->pushUrl(), QUrl(s("http://loki:3100/loki/api/v1/push")));
}

void tst_LokiConfig::jsonFileMissing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(s("absent.json"));
    QString error;
    QVERIFY(!LokiConfig::fromJsonFile(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
}

void tst_LokiConfig::jsonFileInvalid()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(s("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"bufer_size": 10})");
    file.close();
    QString error;
    QVERIFY(!LokiConfig::fromJsonFile(path, &error));
    QVERIFY2(error.contains(path) && error.contains(s("\"bufer_size\"")), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_LokiConfig)
#include "tst_lokiconfig.moc"
