// SPDX-License-Identifier: MIT
// The seed corpus of fuzz_push_otlp (see makecorpus.cpp): the requests of tst_receiver_otlp,
// QLoki's own OTLP encoders on the batches of tst_jsonencoder and typed metadata as
// tst_otlpencoder has it, and bodies cut short, garbled, refused or nested to the limit.
#include "fuzzsupport.h"
#include "makecorpus.h"

#include "encoding/otlpencoder_p.h"
#include "encoding/otlpjsonencoder_p.h"

using namespace QLoki::detail;

namespace MakeCorpus {

// Two bytes of set-up (fuzz_push_otlp.cpp) + the body. How: 0x00 protobuf, 0x01 JSON, 0x02
// gzip here, 0x04 deflate here, 0x06 an already compressed body, 0x08 the variant, 0x10 no
// Content-Type, 0x20 text/plain, 0x30 Content-Encoding br. Receiver: 0x01 old samples
// accepted, 0x08 the store file, 0x20 small push limits, 0x40 small entry limits.
void pushOtlp()
{
    const auto write2 = [](const char *name, char how, char setup, const QByteArray &body) {
        write("push_otlp", name, QByteArray(1, how) + setup + body);
    };
    // tst_receiver_otlp's request, at T0, and the same in snake_case.
    const QByteArray t = QByteArray::number(T0);
    const QByteArray json = R"({"resourceLogs":[{"resource":{"attributes":[
 {"key":"service.name","value":{"stringValue":"checkout"}},
 {"key":"deployment.environment.name","value":{"stringValue":"prod"}},
 {"key":"host.name","value":{"stringValue":"h1"}}]},
 "scopeLogs":[{"scope":{"name":"app.net","version":"1.2"},"logRecords":[
 {"timeUnixNano":")"
            + t + R"(","observedTimeUnixNano":")" + t
            + R"(","severityNumber":17,"severityText":"error",
  "body":{"stringValue":"payment failed"},
  "attributes":[{"key":"user.id","value":{"intValue":"42"}},{"key":"amount","value":{"doubleValue":100.5}},
  {"key":"retry","value":{"boolValue":true}},
  {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"}]}}},
  {"key":"http","value":{"kvlistValue":{"values":[{"key":"status","value":{"intValue":502}}]}}}],
  "traceId":"0123456789abcdef0123456789abcdef","spanId":"00f067aa0ba902b7"},
 {"timeUnixNano":")"
            + t + R"(","severityNumber":9,"body":{"stringValue":"second"}}]}]}]})";
    QByteArray snake = json;
    for (const char *name :
         {"resourceLogs", "scopeLogs", "logRecords", "timeUnixNano", "observedTimeUnixNano",
          "severityNumber", "severityText", "stringValue", "intValue", "doubleValue", "boolValue",
          "arrayValue", "kvlistValue", "traceId", "spanId"}) {
        QByteArray snakeName;
        for (const char c : QByteArray(name))
            snakeName += c >= 'A' && c <= 'Z' ? QByteArray("_") + char(c + 32) : QByteArray(1, c);
        snake.replace(name, snakeName);
    }
    write2("json-all-values", '\x01', '\x09', json);
    write2("json-snake-case", '\x01', '\x01', snake);
    write2("json-gzip-here", '\x03', '\x01', json);
    write2("json-deflate-zlib-here", '\x0d', '\x01', json);
    write2("json-gzip-body", '\x07', '\x01', FuzzSupport::gzip(json));
    write2("json-gzip-cut-short", '\x07', '\x01', FuzzSupport::gzip(json).chopped(6));
    write2("json-small-limits", '\x01', '\x61', json);
    write2("json-cut-short", '\x01', '\x01', json.left(json.size() / 2));
    write2("json-without-time", '\x01', '\x00',
           R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"now"}}]}]}]})");
    write2("json-bad-trace-id", '\x01', '\x01',
           R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"xyz"}]}]}]})");
    write2("text-plain", '\x21', '\x01', json);
    write2("no-content-type", '\x11', '\x01', json);
    write2("encoding-br", '\x31', '\x01', json);

    // QLoki's own encoders: the batches of tst_jsonencoder, and typed metadata with ids as
    // tst_otlpencoder has them.
    const LabelList demo {
            {s("app"), s("demo")}, {s("level"), s("error")}, {s("category"), s("app.net")}};
    const LabelList typed {
            {s("amount"), s("100.5")},   {s("http"), s("{\"status\":502}")},
            {s("retry"), s("true")},     {s("span_id"), s("00f067aa0ba902b7")},
            {s("tags"), s("[\"a\",2]")}, {s("trace_id"), s("0123456789abcdef0123456789abcdef")},
            {s("user_id"), s("42")}};
    const QList<ValueKind> kinds {ValueKind::Double, ValueKind::Map,  ValueKind::Bool,
                                  ValueKind::Text,   ValueKind::List, ValueKind::Text,
                                  ValueKind::Int};
    const PushBatch typedBatch {{WireStream {
            demo,
            {WireEntry(T0, s("payment failed"), typed, &kinds), WireEntry(T0 + 1, s("second"))}}}};
    const QByteArray protobuf = OtlpEncoder::serialize(typedBatch);
    write2("protobuf-typed", '\x00', '\x09', protobuf);
    write2("json-typed", '\x01', '\x09', OtlpJsonEncoder::serialize(typedBatch));
    write2("protobuf-gzip-here", '\x02', '\x01', protobuf);
    write2("protobuf-cut-short", '\x00', '\x01', protobuf.left(protobuf.size() / 2));
    QByteArray garbled = protobuf;
    garbled[1] = '\xff'; // the length of resource_logs
    write2("protobuf-garbled", '\x00', '\x01', garbled);
    write2("protobuf-counting-only", '\x00', '\x05', protobuf);
    write2("protobuf-window", '\x00', '\x81', protobuf);
    // Values nested as deep as they may be, and one level deeper (refused: deeper still
    // overflowed the stack; tst_receiver_otlp's deeplyNestedValueStackOverflow).
    QByteArray nested = R"({"stringValue":"x"})";
    for (int depth = 1; depth < 100; ++depth)
        nested = R"({"arrayValue":{"values":[)" + nested + "]}}";
    write2("json-nested-at-limit", '\x01', '\x01',
           R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":")" + t + R"(","body":)"
                   + nested + "}]}]}]}");
    const auto field = [](char tag, const QByteArray &payload) -> QByteArray {
        QByteArray out(1, tag);
        for (quint64 v = quint64(payload.size());; v >>= 7) {
            out += char(v >= 0x80 ? (v & 0x7f) | 0x80 : v);
            if (v < 0x80)
                break;
        }
        return out + payload;
    };
    QByteArray deep = field('\x0a', "x"); // AnyValue.string_value
    for (int depth = 1; depth < 101; ++depth)
        deep = field('\x2a', field('\x0a', deep)); // array_value { values }
    QByteArray record("\x09", 1);
    for (int i = 0; i < 8; ++i)
        record += char(quint64(T0) >> (8 * i));
    write2("protobuf-nested-too-deep", '\x00', '\x01',
           field('\x0a', field('\x12', field('\x12', record + field('\x2a', deep)))));
    for (const auto &[name, batch] : encoderBatches()) {
        const QByteArray n(name);
        if (n != "several-streams" && n != "escapes" && n != "lone-surrogate")
            continue;
        write2(QByteArray("protobuf-encoder-" + n).constData(), '\x00', '\x09',
               OtlpEncoder::serialize(batch));
        write2(QByteArray("json-encoder-" + n).constData(), '\x01', '\x09',
               OtlpJsonEncoder::serialize(batch));
    }
}

} // namespace MakeCorpus
