// SPDX-License-Identifier: MIT
// The receiver's lexer and its parser of Prometheus label sets (`{app="demo"}`), as a push
// runs them on every stream. Beyond not crashing: the lexer always ends, and a parsed set
// written back with formatLabels() (Go's quoting) parses to the same pairs.
#include "fuzzsupport.h"
#include "labelparser_p.h"

using namespace LokiReceiverInternal;

namespace {

QByteArray describe(const LabelPairs &pairs)
{
    QByteArray out;
    for (const auto &[name, value] : pairs)
        out += name.toHex() + '=' + value.toHex() + ' ';
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text = FuzzSupport::bytes(data, size);

    // Every token consumes input: no more tokens than bytes, then End or an error.
    Lexer lexer(text);
    for (qsizetype tokens = 0;; ++tokens) {
        const Token token = lexer.next();
        FUZZ_CHECK(tokens <= text.size(), "the lexer does not advance");
        FUZZ_CHECK(token.column >= 1, "column " + QByteArray::number(token.column));
        FUZZ_CHECK(!Lexer::describe(token).isEmpty(), "a token without a description");
        if (token.kind == Token::End || token.kind == Token::Error) {
            FUZZ_CHECK(token.kind == Token::End || !token.text.isEmpty(), "an error without words");
            break;
        }
    }

    LabelPairs pairs;
    QByteArray error;
    if (!parseLabelString(text, &pairs, &error)) {
        FUZZ_CHECK(error.startsWith("1:") && error.contains(": parse error: "),
                   "an error not in Loki's form: " + error);
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), "success with an error: " + error);
    const QByteArray formatted = formatLabels(pairs);
    LabelPairs again;
    FUZZ_CHECK(parseLabelString(formatted, &again, &error),
               "formatLabels() wrote what does not parse: " + formatted + " (" + error + ')');
    FUZZ_CHECK(again == pairs,
               "formatLabels() does not round-trip: " + describe(pairs) + "-> " + describe(again));
    FUZZ_CHECK(formatLabels(again) == formatted, "formatLabels() is not stable");
    return 0;
}
