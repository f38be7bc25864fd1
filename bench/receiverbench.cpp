// SPDX-License-Identifier: MIT
// qloki-receiver-bench: pushes 100,000 entries as protobuf+snappy in batches of 1,000
// over loopback with QNetworkAccessManager and reports how many entries per second the
// receiver ingested (median of several runs), checking the receiver's exact count.
#include "pushwriter.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QProcess>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

struct Options
{
    int entries = 100000;
    int batchSize = 1000;
    int runs = 5;
    int inFlight = 4;
    bool inProcess = false;
    bool store = false;
    QString binary;
};

// One finished HTTP exchange, waited for with an event loop and a bound.
struct Answer
{
    int status = 0;
    QByteArray body;
};

Answer request(QNetworkAccessManager &manager, QNetworkReply *reply)
{
    std::unique_ptr<QNetworkReply> owner(reply);
    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    Q_UNUSED(manager);
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QList<QByteArray> buildBatches(const Options &options, qint64 firstTimestampNs)
{
    QList<QByteArray> batches;
    constexpr int StreamsPerBatch = 10;
    qint64 n = 0;
    for (int done = 0; done < options.entries; done += options.batchSize) {
        const int size = qMin(options.batchSize, options.entries - done);
        QList<TestPush::Stream> streams;
        for (int s = 0; s < StreamsPerBatch; ++s) {
            streams.append(
                    {"{app=\"bench\", level=\"info\", worker=\"" + QByteArray::number(s) + "\"}",
                     {}});
        }
        for (int i = 0; i < size; ++i, ++n) {
            const QByteArray line = "request served path=/api/items/" + QByteArray::number(n)
                    + " status=200 duration_ms=" + QByteArray::number(n % 500)
                    + " user=" + QByteArray::number(n % 97);
            streams[i % StreamsPerBatch].entries.append({firstTimestampNs + n, line, {}});
        }
        batches.append(TestPush::snappyCompress(TestPush::encodePushRequest(streams)));
    }
    return batches;
}

// Pushes every batch with at most options.inFlight requests open; returns false on any
// answer other than 204.
bool pushAll(QNetworkAccessManager &manager, const QUrl &pushUrl, const QList<QByteArray> &batches,
             int inFlight)
{
    QNetworkRequest request(pushUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-protobuf"));
    qsizetype next = 0;
    int open = 0;
    bool ok = true;
    QEventLoop loop;
    std::function<void()> sendNext = [&] {
        while (open < inFlight && next < batches.size()) {
            QNetworkReply *reply = manager.post(request, batches.at(next++));
            ++open;
            QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
                const int status =
                        reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                if (status != 204) {
                    std::fprintf(stderr, "push answered %d: %s\n", status,
                                 reply->errorString().toLocal8Bit().constData());
                    ok = false;
                }
                reply->deleteLater();
                --open;
                if (next < batches.size())
                    sendNext();
                else if (open == 0)
                    loop.quit();
            });
        }
    };
    sendNext();
    if (open > 0)
        loop.exec();
    return ok;
}

qint64 acceptedCount(QNetworkAccessManager &manager, const QUrl &baseUrl)
{
    const Answer metrics = request(
            manager,
            manager.get(QNetworkRequest(baseUrl.resolved(QUrl(QStringLiteral("/metrics"))))));
    for (const QByteArray &line : metrics.body.split('\n')) {
        if (line.startsWith("loki_receiver_entries_accepted_total "))
            return line.mid(line.indexOf(' ') + 1).toLongLong();
    }
    return -1;
}

QString withSeparators(qint64 value)
{
    QString digits = QString::number(value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Measures LokiReceiver's ingestion rate: protobuf+snappy pushes over loopback."));
    parser.addHelpOption();
    const QCommandLineOption entries(QStringLiteral("entries"), QStringLiteral("Entries per run."),
                                     QStringLiteral("n"), QStringLiteral("100000"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Entries per push."),
                                   QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption runs(QStringLiteral("runs"),
                                  QStringLiteral("Runs (the median is reported)."),
                                  QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption inFlight(QStringLiteral("in-flight"),
                                      QStringLiteral("Requests open at a time."),
                                      QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption inProcess(
            QStringLiteral("in-process"),
            QStringLiteral("Run the receiver on a thread of this process "
                           "instead of starting loki-receiver."));
    const QCommandLineOption store(QStringLiteral("store"),
                                   QStringLiteral("Store the entries (default: --counting-only)."));
    const QCommandLineOption binary(QStringLiteral("receiver"),
                                    QStringLiteral("The loki-receiver binary to start."),
                                    QStringLiteral("path"));
    parser.addOptions({entries, batch, runs, inFlight, inProcess, store, binary});
    parser.process(app);

    Options options;
    options.entries = qMax(1, parser.value(entries).toInt());
    options.batchSize = qMax(1, parser.value(batch).toInt());
    options.runs = qMax(1, parser.value(runs).toInt());
    options.inFlight = qMax(1, parser.value(inFlight).toInt());
    options.inProcess = parser.isSet(inProcess);
    options.store = parser.isSet(store);
#ifdef LOKI_RECEIVER_BINARY
    options.binary = QStringLiteral(LOKI_RECEIVER_BINARY);
#endif
    if (parser.isSet(binary))
        options.binary = parser.value(binary);
    if (!options.inProcess && options.binary.isEmpty()) {
        std::fprintf(stderr, "no loki-receiver binary: pass --receiver or --in-process\n");
        return 2;
    }

    // The receiver: a child process, or a thread of ours.
    QProcess process;
    QThread thread;
    QObject anchor;
    LokiReceiver *receiver = nullptr;
    QUrl baseUrl;
    QString where;
    if (options.inProcess) {
        anchor.moveToThread(&thread);
        thread.start();
        QMetaObject::invokeMethod(
                &anchor,
                [&] {
                    receiver = new LokiReceiver;
                    receiver->setCountingOnly(!options.store);
                    receiver->setMaxStoredEntries(0);
                    if (receiver->listen())
                        baseUrl = receiver->baseUrl();
                },
                Qt::BlockingQueuedConnection);
        where = QStringLiteral("an in-process LokiReceiver on its own thread");
    } else {
        QStringList arguments {QStringLiteral("--port"), QStringLiteral("0"),
                               QStringLiteral("--quiet"), QStringLiteral("--max-entries"),
                               QStringLiteral("0")};
        if (!options.store)
            arguments << QStringLiteral("--counting-only");
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(options.binary, arguments);
        if (process.waitForStarted(10000)) {
            while (!process.canReadLine() && process.waitForReadyRead(10000)) { }
            baseUrl = QUrl(QString::fromUtf8(process.readLine().trimmed()));
        }
        where = QStringLiteral("loki-receiver %1").arg(arguments.join(QLatin1Char(' ')));
    }
    if (!baseUrl.isValid() || baseUrl.port() <= 0) {
        std::fprintf(stderr, "the receiver did not start\n");
        return 1;
    }
    const QUrl pushUrl = baseUrl.resolved(QUrl(QStringLiteral("/loki/api/v1/push")));

    QNetworkAccessManager manager;
    QList<double> rates;
    bool exact = true;
    const qint64 base = QDateTime::currentMSecsSinceEpoch() * 1000000
            - qint64(options.runs) * options.entries - 60LL * 1000000000;
    std::printf("qloki-receiver-bench: %d entries per run in batches of %d (protobuf+snappy), "
                "%d requests in flight, to %s at %s\n",
                options.entries, options.batchSize, options.inFlight, qPrintable(where),
                qPrintable(baseUrl.toString()));
    for (int run = 0; run < options.runs; ++run) {
        // Bodies are built before the clock starts: this measures the receiver.
        const QList<QByteArray> batches =
                buildBatches(options, base + qint64(run) * options.entries);
        qint64 bytes = 0;
        for (const QByteArray &b : batches)
            bytes += b.size();
        // The receiver's endpoints take JSON only.
        QNetworkRequest reset(baseUrl.resolved(QUrl(QStringLiteral("/receiver/reset"))));
        reset.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request(manager, manager.post(reset, QByteArray()));
        QElapsedTimer timer;
        timer.start();
        const bool ok = pushAll(manager, pushUrl, batches, options.inFlight);
        const qint64 ns = timer.nsecsElapsed();
        const qint64 counted = acceptedCount(manager, baseUrl);
        const double rate = double(options.entries) * 1e9 / double(ns);
        rates.append(rate);
        exact = exact && ok && counted == options.entries;
        std::printf("run %d: %d entries (%s bytes on the wire) in %.1f ms = %s entries/s; receiver "
                    "counted %lld%s\n",
                    run + 1, options.entries, qPrintable(withSeparators(bytes)), double(ns) / 1e6,
                    qPrintable(withSeparators(qint64(rate))), counted,
                    counted == options.entries && ok ? " (exact)" : " (MISMATCH)");
    }
    std::sort(rates.begin(), rates.end());
    const double median = rates.size() % 2
            ? rates.at(rates.size() / 2)
            : (rates.at(rates.size() / 2 - 1) + rates.at(rates.size() / 2)) / 2;
    std::printf("median: %s entries/s over %d runs; %s\n",
                qPrintable(withSeparators(qint64(median))), options.runs,
                exact ? "every entry counted exactly" : "COUNT MISMATCH");

    if (options.inProcess) {
        QMetaObject::invokeMethod(
                &anchor, [&] { delete receiver; }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    } else {
        process.terminate();
        process.waitForFinished(10000);
    }
    return exact ? 0 : 1;
}
