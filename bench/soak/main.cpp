// SPDX-License-Identifier: MIT
// qloki-soak: a long run of a logging application against a flapping Loki. The driver
// (this program without --client) runs a LokiReceiver that goes down, fails, answers slowly
// and refuses entries, starts this program again as the client (--client), kills it with
// SIGKILL and restarts it, stops it with SIGTERM at the end, and checks that every entry
// was delivered exactly once or counted as dropped, that a SIGKILL lost only what was in
// memory, and that the client's memory, descriptors and spool stayed bounded.
#include "soakclient.h"
#include "soakdriver.h"
#include "soakreport.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>

#include <cstdio>

namespace {

bool positive(const QString &text, qint64 *out, qint64 min = 1)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min)
        return false;
    *out = v;
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qloki-soak"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Runs a logging application against a flapping LokiReceiver, kills and restarts "
            "it, and checks that nothing was lost or duplicated and nothing leaked."));
    parser.addHelpOption();
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Seconds of logging (default 60)."),
                                      QStringLiteral("seconds"), QStringLiteral("60"));
    const QCommandLineOption killEvery(
            QStringLiteral("kill-every"),
            QStringLiteral("Seconds between SIGKILLs of the client (default 120; 0: none). A "
                           "soak shorter than two intervals kills once, at half time."),
            QStringLiteral("seconds"), QStringLiteral("120"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("API entries per second (default 2000)."),
                                  QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption hookRate(
            QStringLiteral("hook-rate"),
            QStringLiteral("Qt messages per second through the hook (default 100)."),
            QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption producers(QStringLiteral("producers"),
                                       QStringLiteral("Logging threads (default 4)."),
                                       QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption drain(
            QStringLiteral("drain-seconds"),
            QStringLiteral("How long the client's exit waits for delivery (default 60)."),
            QStringLiteral("seconds"), QStringLiteral("60"));
    const QCommandLineOption seed(QStringLiteral("seed"),
                                  QStringLiteral("Seed of the fault plan (default: random)."),
                                  QStringLiteral("n"));
    const QCommandLineOption workDir(
            QStringLiteral("work-dir"),
            QStringLiteral("Keep the spool, the receiver's store, the samples and the "
                           "clients' logs here (default: a temporary directory, kept only "
                           "when a check fails)."),
            QStringLiteral("dir"));
    const QCommandLineOption noRssCheck(
            QStringLiteral("no-rss-check"),
            QStringLiteral("Report the client's RSS but do not judge its growth (for a "
                           "sanitizer build, whose allocator and shadow memory it measures)."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the summary as one JSON object."));
    // The client side, started by the driver.
    const QCommandLineOption client(QStringLiteral("client"),
                                    QStringLiteral("Run as the client (started by the driver)."));
    const QCommandLineOption url(QStringLiteral("url"), QStringLiteral("Client: push URL."),
                                 QStringLiteral("url"));
    const QCommandLineOption spool(QStringLiteral("spool"),
                                   QStringLiteral("Client: spool directory."),
                                   QStringLiteral("dir"));
    const QCommandLineOption shared(QStringLiteral("shared"),
                                    QStringLiteral("Client: the shared block file."),
                                    QStringLiteral("file"));
    const QCommandLineOption stats(QStringLiteral("stats"),
                                   QStringLiteral("Client: the stats file (JSON lines)."),
                                   QStringLiteral("file"));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Client: run number."),
                                 QStringLiteral("n"), QStringLiteral("1"));
    parser.addOptions({duration, killEvery, rate, hookRate, producers, drain, seed, workDir,
                       noRssCheck, json, client, url, spool, shared, stats, run});
    parser.process(app);

    qint64 durationS = 0, killS = 0, rateN = 0, hookN = 0, producersN = 0, drainS = 0, runN = 0;
    if (!positive(parser.value(duration), &durationS)
        || !positive(parser.value(killEvery), &killS, 0) || !positive(parser.value(rate), &rateN, 0)
        || !positive(parser.value(hookRate), &hookN, 0)
        || !positive(parser.value(producers), &producersN) || producersN > soak::MaxProducers
        || !positive(parser.value(drain), &drainS) || !positive(parser.value(run), &runN)) {
        std::fprintf(stderr, "qloki-soak: invalid number (see --help)\n");
        return 2;
    }

    if (parser.isSet(client)) {
        soak::ClientOptions options;
        options.url = QUrl(parser.value(url));
        options.spoolDirectory = parser.value(spool);
        options.sharedFile = parser.value(shared);
        options.statsFile = parser.value(stats);
        options.run = int(runN);
        options.rate = int(rateN);
        options.hookRate = int(hookN);
        options.producers = int(producersN);
        options.drainSeconds = int(drainS);
        if (!options.url.isValid() || options.spoolDirectory.isEmpty()
            || options.sharedFile.isEmpty() || options.statsFile.isEmpty()) {
            std::fprintf(stderr, "qloki-soak --client needs --url, --spool, --shared, --stats\n");
            return 2;
        }
        return soak::runClient(options);
    }

    soak::DriverOptions options;
    options.durationMs = durationS * 1000;
    options.killEveryMs = killS * 1000;
    options.rate = int(rateN);
    options.hookRate = int(hookN);
    options.producers = int(producersN);
    options.drainSeconds = int(drainS);
    options.workDir = parser.value(workDir);
    options.json = parser.isSet(json);
    options.checkRss = !parser.isSet(noRssCheck);
    if (parser.isSet(seed)) {
        qint64 s = 0;
        if (!positive(parser.value(seed), &s, 0)) {
            std::fprintf(stderr, "qloki-soak: invalid seed\n");
            return 2;
        }
        options.seed = quint32(s);
    } else {
        options.seed = QRandomGenerator::global()->generate();
    }

    soak::Driver driver(options);
    QString error;
    if (!driver.start(&error)) {
        std::fprintf(stderr, "qloki-soak: %s\n", qPrintable(error));
        return 2;
    }
    QCoreApplication::exec();
    const soak::Report report(driver.outcome());
    if (!report.passed())
        driver.keepWorkDir();
    if (options.json)
        std::fputs(QJsonDocument(report.json()).toJson(QJsonDocument::Indented).constData(),
                   stdout);
    else
        std::fputs(report.text().toUtf8().constData(), stdout);
    return report.passed() ? 0 : 1;
}
