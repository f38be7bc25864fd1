// SPDX-License-Identifier: MIT
// The receiver's LogQL subset (stream selector and line filters), as the query API parses
// a `query` parameter, and the matching of a parsed query against streams and lines.
#include "fuzzsupport.h"
#include "logql_p.h"

using namespace LokiReceiverInternal;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    LogQuery query;
    QString error;
    if (!parseLogQuery(text, &query, &error)) {
        FUZZ_CHECK(error.startsWith(QLatin1String("parse error")),
                   "an error not in Loki's form: " + error.toUtf8());
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), "success with an error: " + error.toUtf8());
    FUZZ_CHECK(!query.matchers.empty(), "a query without a matcher");

    // Loki refuses selectors that match every stream, so one without labels never matches.
    FUZZ_CHECK(!query.matchesStream({}), "the query matches a stream without labels");
    const LabelSet streams[] = {
            {{"app", "demo"}, {"level", "info"}},
            {{"app", ""}, {"env", "prod\xff"}},
            {{"a", QByteArray(300, 'a')}},
    };
    for (const LabelSet &stream : streams)
        query.matchesStream(stream);
    const QByteArray lines[] = {QByteArray(), "user login ok", QByteArray("a\0b\xc3(", 5),
                                QByteArray(200, 'x') + "level=error"};
    for (const QByteArray &line : lines) {
        const bool matches = query.matchesLine(line);
        if (query.filters.empty())
            FUZZ_CHECK(matches, "a query without filters refuses a line");
    }
    return 0;
}
