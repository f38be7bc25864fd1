// SPDX-License-Identifier: MIT
// Scenario "redaction": what redaction of secrets (on by default) costs. The protobuf
// throughput burst, run with LokiConfig::redactSecrets() on and off in turns, on the request
// lines of the throughput scenario of which one in 64 carries a secret.
#include "scenario.h"

#include <QtCore/QLatin1StringView>

#include <cstdio>

namespace bench {

namespace {

/*!
    The corpus with a secret in one line of 64, in the shapes applications leak most
    (an Authorization header, a password in a query, a token in JSON), so that the rules run
    as well as the pre-check; the other lines are the throughput scenario's, which have
    `key=value` pairs the pre-check must look at and let through.
*/
Corpus withSomeSecrets(const Corpus &plain, int *secrets)
{
    static const char *const shapes[] = {
            "POST /api/v1/orders/%1 forwarded with Authorization: Bearer 9f8e7d6c5b4a%1",
            "GET /login?user=u%1&password=hunter%1 status=302",
            "token refresh {\"user\":\"u%1\",\"refresh_token\":\"rt-%1-x9\"} status=200",
    };
    Corpus c = plain;
    *secrets = 0;
    for (int i = 0; i < c.size(); i += 64) {
        const QString id = c.orderIds[std::size_t(i)];
        c.lines[std::size_t(i)] = QString::fromLatin1(shapes[(i / 64) % 3]).arg(id);
        ++*secrets;
    }
    return c;
}

} // namespace

void runRedaction(BenchContext &ctx)
{
    ctx.results.beginSection("redaction");
    int secretLines = 0;
    const Corpus corpus = withSomeSecrets(ctx.corpus, &secretLines);
    const int entries = ctx.options.throughputEntries;
    // Every run of the corpus holds secretLines secrets per corpus.size() entries.
    const quint64 expectedRedacted = quint64(entries / corpus.size()) * quint64(secretLines)
            + quint64((entries % corpus.size() + 63) / 64);
    std::vector<double> eps[2], cpuUs[2];
    bool ok = true;
    // At least five pairs: what is measured (a few per cent) is smaller than the spread of
    // one run's throughput on a busy two-core machine.
    const int pairs = ctx.options.quick ? ctx.options.repeat : qMax(ctx.options.repeat, 5);
    for (int i = 0; i < pairs; ++i) {
        // In turns, the first of each pair alternating, so that a drifting machine favours
        // neither.
        for (int k = 0; k < 2; ++k) {
            const bool on = (i + k) % 2 == 0;
            const ThroughputRun r = runThroughputOnce(ctx, corpus, QLoki::WireFormat::Protobuf, on);
            const bool counted = r.redacted == (on ? expectedRedacted : 0);
            ok = ok && r.ok && counted;
            eps[on].push_back(r.entriesPerSecond);
            cpuUs[on].push_back(r.delivered ? 1e6 * r.cpuSeconds / double(r.delivered) : NAN);
            std::printf("8. Redaction %-3s run %d: %d entries in %.2f s = %s entries/s; client "
                        "CPU %.2f us/entry; redacted %llu (expected %llu)%s\n",
                        on ? "on" : "off", i + 1, entries, r.seconds,
                        grouped(r.entriesPerSecond).c_str(), cpuUs[on].back(),
                        static_cast<unsigned long long>(r.redacted),
                        static_cast<unsigned long long>(on ? expectedRedacted : 0),
                        r.ok && counted ? "" : " (MISMATCH)");
            std::fflush(stdout);
        }
    }
    ctx.ok = ctx.ok && ok;
    ctx.results.add("redaction_on_eps", "throughput protobuf+snappy, redaction on (default)",
                    "entries/s", eps[1], {}, "grouped");
    ctx.results.add("redaction_off_eps", "throughput protobuf+snappy, redaction off", "entries/s",
                    eps[0], {}, "grouped");
    ctx.results.add("redaction_on_cpu_us", "client CPU per entry, redaction on", "us", cpuUs[1], {},
                    "%.2f");
    ctx.results.add("redaction_off_cpu_us", "client CPU per entry, redaction off", "us", cpuUs[0],
                    {}, "%.2f");
    const double on = median(eps[1]);
    const double off = median(eps[0]);
    if (on > 0 && off > 0) {
        ctx.results.add("redaction_throughput_ratio",
                        "throughput with redaction, % of without (medians)", "%",
                        {100.0 * on / off}, Target::atLeast(90), "%.1f");
    }
    const double cpuOn = median(cpuUs[1]);
    const double cpuOff = median(cpuUs[0]);
    if (cpuOn > 0 && cpuOff > 0) {
        ctx.results.add("redaction_cpu_ratio",
                        "client CPU per entry with redaction, % of without (medians)", "%",
                        {100.0 * cpuOn / cpuOff}, {}, "%.1f");
    }
}

} // namespace bench
