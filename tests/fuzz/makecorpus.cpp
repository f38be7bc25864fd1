// SPDX-License-Identifier: MIT
// Writes the seed corpora of the fuzz harnesses (tests/fuzz/corpus/<harness>/) from the
// test vectors of the unit tests: the literal push bodies of tst_receiver_push, label sets
// and queries of the receiver tests, the batches of tst_jsonencoder and
// tst_protobufencoder, the spool segments of tst_spoolformat and tst_spoolrecovery, the
// configurations of tst_lokiconfig, the bad input of tst_badinput, the lines of
// tst_redactor; the OTLP requests in makecorpusotlp.cpp.
//   fuzz_makecorpus <source dir>/tests/fuzz/corpus
// Run it again when the formats change; the files are small and committed.
#include "makecorpus.h"
#include "fuzzsupport.h"

#include "encoding/jsonencoder_p.h"
#include "encoding/protobufencoder_p.h"
#include "storage/spoolformat_p.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QtEndian>

#include <snappy.h>

#include <cstdio>

using namespace QLoki;
using namespace QLoki::detail;
using namespace MakeCorpus;

namespace {

QString root;

QByteArray unsnappy(const QByteArray &data)
{
    std::string out;
    if (!snappy::Uncompress(data.constData(), size_t(data.size()), &out))
        std::abort();
    return QByteArray(out.data(), qsizetype(out.size()));
}

} // namespace

namespace MakeCorpus {

void write(const char *harness, const char *name, const QByteArray &data)
{
    const QString dir = root + QLatin1Char('/') + QLatin1String(harness);
    QDir().mkpath(dir);
    QFile file(dir + QLatin1Char('/') + QLatin1String(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
        std::exit(1);
    }
}

QList<QPair<const char *, PushBatch>> encoderBatches()
{
    const LabelList demo {{s("app"), s("demo")}, {s("level"), s("info")}};
    const auto one = [](const LabelList &labels, const QString &line,
                        const LabelList &metadata = {}) {
        return PushBatch {{WireStream {labels, {WireEntry(T0, line, metadata)}}}};
    };
    PushBatch several = one(demo, s("user login ok"));
    several.streams.append(WireStream {{{s("app"), s("demo")}, {s("level"), s("error")}},
                                       {WireEntry(T0 + 1, s("db connection failed"))}});
    return {
            {"empty", PushBatch {}},
            {"one-stream", one(demo, s("user login ok"))},
            {"several-streams", several},
            {"structured-metadata",
             one(demo, s("payment"), {{s("amount"), s("100.5")}, {s("user_id"), s("12345")}})},
            {"escapes",
             one({{s("app"), s("a\"b\\c\nd")}}, s("tab\there \"q\" \x01 \x7f"),
                 {{s("k"), QString(s("v")) + QChar(0)}})},
            {"nul", one(demo, QString(s("a")) + QChar(0) + s("b"))},
            {"unicode", one({{s("app"), s("caf\xc3\xa9")}}, s("\xe2\x82\xac \xf0\x9f\x98\x80"))},
            {"lone-surrogate", one(demo, QString(s("x")) + QChar(0xD800) + s("y"))},
            {"negative-timestamp", PushBatch {{WireStream {demo, {WireEntry(-1, s("early"))}}}}},
    };
}

} // namespace MakeCorpus

namespace {

void pushJson()
{
    // mode byte (pushharness.h) + body; the literal bodies of tst_receiver_push first.
    const QByteArray one = R"([["1732406400000000000","line"]])";
    const auto push = [&](const QByteArray &labels) -> QByteArray {
        return R"({"streams":[{"stream":)" + labels + R"(,"values":)" + one + "}]}";
    };
    const QByteArray valid =
            R"({"streams":[{"stream":{"app":"demo","level":"info"},"values":[["1732406400000000000","user login ok"],["1732406400000000001","payment"]]}]})";
    write("push_json", "valid", '\x08' + valid);
    write("push_json", "valid-store-file", '\x48' + valid);
    write("push_json", "empty-request", '\x00' + QByteArray(R"({"streams":[]})"));
    write("push_json", "escaped-label", '\x08' + push(R"({"app":"a\"b\\c"})"));
    write("push_json", "invalid-label-name", '\x08' + push(R"({"bad-name":"x"})"));
    write("push_json", "no-labels", '\x08' + push("{}"));
    write("push_json", "empty-label", '\x08' + push(R"({"app":""})"));
    write("push_json", "malformed", '\x08' + QByteArray(R"({"streams":[)"));
    write("push_json", "timestamp-not-a-number",
          '\x08'
                  + QByteArray(
                          R"({"streams":[{"stream":{"app":"demo"},"values":[["abc","line"]]}]})"));
    write("push_json", "metadata",
          '\x08'
                  + QByteArray(
                          R"({"streams":[{"stream":{"app":"demo"},"values":[["1732406400000000000","payment",{"user_id":"12345","amount":"100.5"}]]}]})"));
    write("push_json", "metadata-disallowed",
          '\x18'
                  + QByteArray(
                          R"({"streams":[{"stream":{"app":"demo"},"values":[["1732406400000000000","payment",{"user_id":"12345"}]]}]})"));
    // One entry without metadata, one with: only the second is refused.
    write("push_json", "metadata-disallowed-mixed",
          '\x18'
                  + QByteArray(
                          R"({"streams":[{"stream":{"app":"demo"},"values":[["1732406400000000000","login"],["1732406400000000001","payment",{"user_id":"12345"}]]}]})"));
    write("push_json", "valid-and-invalid-streams",
          '\x08'
                  + QByteArray(
                          R"({"streams":[{"stream":{"app":"ok"},"values":[["1732406400000000000","kept"]]},{"stream":{"bad-name":"x"},"values":[["1732406400000000000","lost"]]}]})"));
    write("push_json", "gzip-here", '\x09' + valid);
    write("push_json", "deflate-raw-here", '\x0a' + valid);
    write("push_json", "deflate-zlib-here", '\x0e' + valid);
    write("push_json", "gzip-body", '\x0b' + FuzzSupport::gzip(valid));
    write("push_json", "deflate-body", '\x0f' + FuzzSupport::deflate(valid, false));
    write("push_json", "gzip-cut-short", '\x0b' + FuzzSupport::gzip(valid).chopped(6));
    write("push_json", "dedup-small-store", '\x88' + valid);
    write("push_json", "counting-only", '\x28' + valid);
    for (const auto &[name, batch] : encoderBatches())
        write("push_json", QByteArray("encoder-" + QByteArray(name)).constData(),
              '\x48' + JsonEncoder::serialize(batch));
}

void pushProtobuf()
{
    // The snappy bodies of tst_receiver_push (checked there with protoc).
    const QList<QPair<const char *, const char *>> literals {
            {"valid",
             "6ff06e0a6d0a1a7b6170703d2264656d6f222c206c6576656c3d22696e666f227d12170a060880d989ba"
             "06120d75736572206c6f67696e206f6b12360a080880d989ba06100112077061796d656e741a100a0775"
             "7365725f6964120531323334351a0f0a06616d6f756e7412053130302e35"},
            {"bad-name",
             "22840a200a0e7b6261642d6e616d653d2278227d120e0a060880d989ba0612046c696e65"},
            {"no-labels", "16540a140a027b7d120e0a060880d989ba0612046c696e65"},
            {"duplicate-label",
             "26340a240a127b6170703d2261222c2005094862227d120e0a060880d989ba0612046c696e65"},
            {"valid-and-unparsable",
             "3b880a1c0a0a7b6170703d226f6b227d120e0a060880d989ba0612046b6570740a1b0a097b051e0862616"
             "4"
             "2e1d000c6c6f7374"},
            {"message-cut-short", "03080a05ff"},
    };
    for (const auto &[name, hex] : literals) {
        const QByteArray snappy = QByteArray::fromHex(hex);
        write("push_protobuf", name, '\x08' + unsnappy(snappy));
        write("push_protobuf", QByteArray(QByteArray(name) + "-snappy-body").constData(),
              '\x09' + snappy);
    }
    const QByteArray valid = unsnappy(QByteArray::fromHex(literals.first().second));
    write("push_protobuf", "valid-gzip", '\x0a' + valid);
    write("push_protobuf", "valid-snappy-encoding", '\x0b' + valid);
    write("push_protobuf", "valid-store-file", '\x48' + valid);
    write("push_protobuf", "valid-counting-only", '\x28' + valid);
    write("push_protobuf", "valid-small-store", '\x88' + valid);
    write("push_protobuf", "valid-metadata-disallowed", '\x18' + valid);
    for (const auto &[name, batch] : encoderBatches())
        write("push_protobuf", QByteArray("encoder-" + QByteArray(name)).constData(),
              '\x48' + ProtobufEncoder::serialize(batch));
}

// One byte of set-up (fuzz_redactor.cpp: replacement, encoding), then the line and the
// metadata pairs, each ended by 0xff.
void redactor()
{
    const auto entry = [](const char *name, quint8 setup, const QStringList &pieces) {
        const int encoding = (setup >> 2) & 3;
        QByteArray data(1, char(setup));
        for (qsizetype i = 0; i < pieces.size(); ++i) {
            if (i > 0)
                data += '\xff';
            const QString &p = pieces.at(i);
            if (encoding == 1)
                data += QByteArray(reinterpret_cast<const char *>(p.utf16()), p.size() * 2);
            else if (encoding == 2)
                data += p.toLatin1();
            else
                data += p.toUtf8();
        }
        write("redactor", name, data);
    };
    // Lines of tst_redactor: secrets, then look-alikes; metadata of its entry test.
    entry("header-bearer", 0, {s("GET /api Authorization: Bearer abc123def456ghi")});
    entry("basic-utf16", 4, {s("retrying with Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")});
    entry("key-values", 0, {s("login user=bob password=hunter2 ok pwd=abc123;timeout=5")});
    entry("query-token-stars", 1, {s("GET /feed?token=abcDEF123&page=2 api_key=AbC123xYz&q=1")});
    entry("json", 0, {s("{\"user\":\"bob\",\"password\":\"a\\\"b\",\"api_key\" : \"k-123\"}")});
    entry("json-in-a-string", 2, {s("body={\\\"token\\\":\\\"t0k3n\\\"}")});
    entry("ruby-hash", 3, {s("'password' => 'x1y2' passphrase='open sesame'")});
    entry("url", 0,
          {s("connecting to https://bob:hunter2@db.example.com/x redis://:p4ss@cache:6379")});
    entry("jwt", 0,
          {s("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
             "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U done")});
    entry("pem", 4,
          {s("key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"
             "-----END RSA PRIVATE KEY----- loaded")});
    entry("pem-cut-short", 0, {s("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B")});
    entry("cloud-tokens", 0,
          {s("AKIAIOSFODNN7EXAMPLE ghp_abcdefghijklmnopqrstuvwxyz0123456789 "
             "xoxb-123456789012-1234567890123-AbCdEfGhIjKl AIzaSyA1234567890abcdefghijklmnopqrstuv "
             "sk_live_4eC39HqLyjWDarjtT1zdp7dc")});
    entry("already-redacted", 0, {s("password=[REDACTED] Authorization: Bearer [REDACTED]")});
    entry("look-alikes", 0,
          {s("Please reset your password now; tokens=512 max_tokens=4096 password_hint=pet "
             "token_type=bearer Bearer authentication failed password=***** monkey=banana")});
    entry("non-ascii", 0,
          {s("Passwort vergessen? Gr\xc3\xb6\xc3\x9f"
             "e: 42, Schl\xc3\xbcssel: \xd0\xba\xd0\xbb\xd1\x8e\xd1\x87")});
    entry("plain", 0, {s("GET /api/v1/orders/00412345/items served status=200 duration_ms=12")});
    entry("metadata", 0,
          {s("login"), s("password"), s("correct horse battery staple"), s("url"),
           s("https://bob:pw@example.com/"), s("user"), s("bob")});
    entry("metadata-utf16", 4,
          {s("call"), s("X-Auth-Token"), s("abc"), s("note"), s("secret=s1 Bearer 9f8e7d6c5b4a")});
    entry("metadata-latin1", 8,
          {s("hook"), s("session_token"), s("[REDACTED]"), s("empty_secret"), s("")});
    entry("metadata-qstring", 15,
          {s("r\xc3\xa9sum\xc3\xa9"), s("api.key"), s("k1"), s("path"), s("/x?token=y")});
    entry("lone-surrogate", 4, {QString(s("password=a")) + QChar(0xD800) + s("b")});
    // What the pre-check once missed (tst_redactor's rows).
    entry("key-before-scheme", 0, {s("session_token://x9y8z7")});
    entry("long-s", 0,
          {s("pa\xc5\xbf\xc5\xbfword=hunter2 ba\xc5\xbfic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")});
    // The URL rule ran a pass late with the pre-check (the empty replacement).
    entry("rules-in-one-pass", 3, {s("s://Authorization:/\"@")});
    entry("kelvin-sign-utf16", 4,
          {s("api_\xe2\x84\xaa"
             "ey=hunter2")});
}

void labelParser()
{
    const QList<QPair<const char *, QByteArray>> sets {
            {"two", R"({app="demo", level="info"})"},
            {"escaped", R"({app="a\"b\\c"})"},
            {"bad-name", R"({bad-name="x"})"},
            {"second-bad-name", R"({app="a", bad-name="x"})"},
            {"empty", "{}"},
            {"empty-value", R"({app=""})"},
            {"duplicate", R"({app="a", app="b"})"},
            {"unterminated", R"({app="bad)"},
            {"go-escapes", R"({a="\a\b\f\n\r\t\v\x41\101\u00e9\U0001F600'"})"},
            {"single-quotes", R"({app='demo'})"},
            {"backquotes", "{app=`de\\mo`}"},
            {"unicode", "{app=\"caf\xc3\xa9\"}"},
            {"invalid-utf8", "{app=\"\xff\"}"},
            {"trailing-comma", R"({app="demo",})"},
            {"after-set", R"({app="demo"} x)"},
    };
    for (const auto &[name, text] : sets)
        write("labelparser", name, text);
}

void logql()
{
    // The queries of tst_receiver_query.
    const QList<QPair<const char *, QByteArray>> queries {
            {"selector", R"({app="shop"})"},
            {"not-equal", R"({app="shop", level!="info"})"},
            {"regex", R"({level=~"err.*"})"},
            {"regex-anchored", R"({app=~"a.+"})"},
            {"not-regex", R"({level="info", app!~"sh.*"})"},
            {"empty-value", R"({app="auth", env=""})"},
            {"contains", R"({app="shop"} |= "payment")"},
            {"not-contains", R"({app="shop"} != "payment")"},
            {"line-not-regex", R"({app="shop"} !~ "^user")"},
            {"two-filters", R"({app="shop"} |= "user" != "logout")"},
            {"backquotes", "{app=`shop`} |~ `d[a-z]+ t`"},
            {"no-brace", "app=\"shop\""},
            {"unterminated", R"({app="shop")"},
            {"dotted-name", R"({app.name="shop"})"},
            {"matches-everything", R"({app=~".*"})"},
            {"only-not-equal", R"({app!="shop"})"},
            {"parser-stage", R"({app="shop"} | json)"},
            {"bad-regex", R"({app=~"("})"},
    };
    for (const auto &[name, text] : queries)
        write("logql", name, text);
}

QByteArray segment(const QList<QList<SpooledEntry>> &batches)
{
    QByteArray data = SpoolFormat::segmentHeader();
    QString error;
    for (const auto &batch : batches) {
        if (!SpoolFormat::encodeBatch(batch, &data, &error))
            std::abort();
    }
    return data;
}

void spool()
{
    // tst_spoolformat's batch of one entry, and entries as spooltestutil.h makes them.
    SpooledEntry one;
    one.timestampNs = 1;
    one.line = s("hi");
    one.labels = {{s("app"), s("x")}};
    one.metadata = {{s("k"), QString(s("v")) + QChar(0)}};
    QList<SpooledEntry> three;
    for (int n = 0; n < 3; ++n) {
        SpooledEntry e;
        e.timestampNs = 1'000'000'000'000'000'000LL + n;
        e.level = Level(n % 5);
        e.line = QStringLiteral("entry %1").arg(n);
        e.labels = {{s("app"), s("spooltest")}};
        three.append(e);
    }
    const QByteArray good = segment({{one}, three, {one, one}});
    const qint64 secondBatch = SpoolFormat::SegmentHeaderSize + (segment({{one}}).size() - 16);
    // flags (fuzz_spool.cpp): 1 repair checksums, 2 ack follows, 4 header prepended.
    write("spool", "one-batch", '\x00' + segment({{one}}));
    write("spool", "three-batches", '\x00' + good);
    write("spool", "three-batches-no-header", '\x04' + good.mid(SpoolFormat::SegmentHeaderSize));
    write("spool", "torn-tail", '\x00' + good.chopped(5));
    QByteArray flipped = good;
    flipped[secondBatch + 30] = char(flipped[secondBatch + 30] ^ 0x20);
    write("spool", "flipped-middle", '\x00' + flipped);
    write("spool", "flipped-middle-repaired", '\x01' + flipped);
    write("spool", "garbage-after", '\x00' + good + QByteArray(37, 'g'));
    write("spool", "marker-in-line",
          '\x00'
                  + segment({{SpooledEntry {
                          5, Level::Info, s("QLKB QLKB QLKB"), {{s("app"), s("x")}}, {}}}}));
    write("spool", "torn-header", '\x00' + good.left(10));
    QByteArray newer = good;
    newer[8] = 2;
    write("spool", "newer-version", '\x00' + newer);
    const auto withAck = [&](quint8 segmentId, quint32 offset, quint32 index) -> QByteArray {
        QByteArray ack(1, char(segmentId));
        char buf[4];
        qToLittleEndian(offset, buf);
        ack.append(buf, 4);
        qToLittleEndian(index, buf);
        ack.append(buf, 4);
        return '\x02' + ack + good;
    };
    write("spool", "ack-mid-batch", withAck(1, quint32(secondBatch), 1));
    write("spool", "ack-between-batches", withAck(1, quint32(secondBatch), 0));
    write("spool", "ack-past-end", withAck(1, 100000, 0));
    write("spool", "ack-later-segment", withAck(2, 16, 0));
}

void lokiConfig()
{
    // The configurations of tst_lokiconfig.
    const QList<QPair<const char *, QByteArray>> configs {
            {"full", R"({
        "app_name": "payments", "environment": "staging",
        "endpoints": {"loki": "https://logs.example.com/gateway", "grafana": "http://g:3000"},
        "use_send_beacon": false, "enable_offline_buffer": false, "buffer_size": 500,
        "flush_interval": 2.5, "max_retries": 5, "batch_max_entries": 100,
        "batch_max_bytes": 65536, "request_timeout": 3, "min_backoff": 0.1, "max_backoff": 60,
        "shutdown_timeout": 0, "static_labels": {"team": "core", "region": "eu"},
        "minimum_level": "warning", "overflow_policy": "drop_newest", "format": "json",
        "tenant": "acme"})"},
            {"qloki-keys", R"({"app_name": "x", "metadata_mode": "logfmt", "username": "u",
        "password": "p", "headers": {"X-A": "1"}, "ca_file": "/nonexistent",
        "insecure_skip_tls_verification": true, "max_line_bytes": 1024,
        "line_limit_policy": "reject", "spool_directory": "/tmp/q", "spool_max_bytes": 1048576,
        "spool_durability": "fsync", "bearer_token": "t"})"},
            {"minimal", R"({"app_name": "x"})"},
            {"unknown-key", R"({"app_name": "x", "flush_intervall": 5})"},
            {"string-for-int", R"({"buffer_size": "1000"})"},
            {"fraction-for-int", R"({"max_retries": 2.5})"},
            {"int-out-of-range", R"({"buffer_size": 1e12})"},
            {"string-for-seconds", R"({"flush_interval": "5s"})"},
            {"seconds-out-of-range", R"({"flush_interval": 1e300})"},
            {"null", R"({"tenant": null})"},
            {"endpoint-bad-url", R"({"endpoints": {"loki": "localhost"}})"},
            {"endpoint-prefix",
             R"({"app_name": "from-file", "endpoints": {"loki": "http://loki:3100/"}})"},
            {"label-not-a-string", R"({"static_labels": {"version": 2}})"},
            {"unknown-level", R"({"minimum_level": "verbose"})"},
            {"syntax", R"({"app_name": "x",})"},
            {"not-an-object", "[1, 2]"},
    };
    for (const auto &[name, text] : configs)
        write("lokiconfig", name, text);
}

void roundTrip()
{
    // FuzzedDataProvider reads any bytes; these carry the bad input of tst_badinput.
    const QList<QPair<const char *, QByteArray>> inputs {
            {"dots-and-dashes", "label_http.status-code\x01\x02\x03 200 \x05\x01"},
            {"non-ascii-name", "label_r\xc3\xa9gion eu \x02\x01\x04\x03"},
            {"reserved-name", "label___name__ x \x04\x03\x02\x01"},
            {"broken-utf8", "caf\xc3 \xff end \x02\x02\x02\x02\x01"},
            {"nul", QByteArray("a") + '\0' + QByteArray("b trace-id abc \x03\x01\x02")},
            {"metadata-dash", "trace-id abc user_id 12345 amount 100.5 \x01\x04\x02\x03"},
            {"many-labels", QByteArray(200, '\x01') + "label_l000 label_l099"},
            // An empty line waiting in a field block (a braced call's), resolved first.
            {"packed-empty-line",
             "tracce-id abc user_id 246-5 atonume-id abc user_id 246-5 atonum 100.5 "
             "\x01\x04\x02\x03"},
    };
    for (const auto &[name, bytes] : inputs)
        write("roundtrip", name, bytes);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
        return 2;
    }
    root = QString::fromLocal8Bit(argv[1]);
    pushJson();
    pushProtobuf();
    labelParser();
    logql();
    spool();
    lokiConfig();
    roundTrip();
    pushOtlp();
    redactor();
    return 0;
}
