// SPDX-License-Identifier: MIT
// qloki-push-latency: how long one push takes, per wire format and body size, through the
// library's own Pusher (QNetworkAccessManager, keep-alive) against any receiver:
//
//     python3 bench/plain_receiver.py --port 3101 &
//     qloki-push-latency --url http://127.0.0.1:3101
//
// Bodies are made by the library's encoders (tests/transport/pushbodies.h). Each size is
// pushed --pushes times after two pushes that open the connection, one push at a time.
#include "pushbodies.h"

#include "model/lokiconfig_p.h"
#include "transport/pusher_p.h"

#include <QLoki/lokiconfig.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QTextStream>
#include <QtNetwork/QNetworkAccessManager>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace QLoki::detail;
using QLoki::WireFormat;

namespace {

double quantile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5))];
}

//! Milliseconds from push() to the answer; negative when the push failed.
double timedPush(Pusher &pusher, const PushBodies::Body &body, QString *error)
{
    QEventLoop loop;
    PushResult result;
    const auto connection =
            QObject::connect(&pusher, &Pusher::finished, &loop, [&](const PushResult &r) {
                result = r;
                loop.quit();
            });
    QElapsedTimer clock;
    clock.start();
    pusher.push(body.bytes, body.contentType, body.contentEncoding);
    loop.exec();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    QObject::disconnect(connection);
    if (result.httpStatus / 100 != 2) {
        *error = result.error;
        return -1;
    }
    return ms;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Per-push latency by wire format and body size, through QLoki's Pusher."));
    parser.addHelpOption();
    const QCommandLineOption urlOption(
            QStringLiteral("url"), QStringLiteral("Loki base or push URL."), QStringLiteral("url"));
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("json, json-gzip, protobuf or all "
                                                         "(default)."),
                                          QStringLiteral("format"), QStringLiteral("all"));
    const QCommandLineOption sizesOption(
            QStringLiteral("sizes"), QStringLiteral("Body sizes in bytes, comma-separated."),
            QStringLiteral("list"), QStringLiteral("1000,16000,17000,50000,100000,1000000"));
    const QCommandLineOption pushesOption(QStringLiteral("pushes"),
                                          QStringLiteral("Timed pushes per size (default 20)."),
                                          QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption insecureOption(QStringLiteral("insecure"),
                                            QStringLiteral("Accept any server certificate."));
    parser.addOptions({urlOption, formatOption, sizesOption, pushesOption, insecureOption});
    parser.process(app);

    LokiConfig config;
    config.setAppName(QStringLiteral("qloki-push-latency"));
    config.setUrl(QUrl(parser.value(urlOption)));
    config.setInsecureSkipTlsVerification(parser.isSet(insecureOption));
    QString error;
    const PushTarget target = PushTarget::fromConfig(LokiConfigPrivate::get(config), &error);
    if (!target.url.isValid() || target.url.isEmpty()) {
        std::fprintf(stderr, "bad --url: %s\n", qPrintable(error));
        return 2;
    }
    QList<QPair<QString, WireFormat>> formats = {
            {QStringLiteral("json"), WireFormat::Json},
            {QStringLiteral("json-gzip"), WireFormat::JsonGzip},
            {QStringLiteral("protobuf"), WireFormat::Protobuf}};
    const QString chosen = parser.value(formatOption);
    if (chosen != QLatin1String("all")) {
        formats.erase(std::remove_if(formats.begin(), formats.end(),
                                     [&](const auto &f) { return f.first != chosen; }),
                      formats.end());
    }
    const int pushes = std::max(1, parser.value(pushesOption).toInt());

    QNetworkAccessManager manager;
    Pusher pusher(&manager);
    pusher.setTarget(target);
    QTextStream out(stdout);
    out << "url " << target.url.toString() << ", " << pushes
        << " timed pushes per row after 2 that are not timed\n";
    out << "format     body bytes  entries  median ms    p90 ms    max ms  entries/s (median)\n";
    for (const auto &format : std::as_const(formats)) {
        for (const QString &size : parser.value(sizesOption).split(QLatin1Char(','))) {
            const PushBodies::Body body = PushBodies::ofSize(format.second, size.toLongLong());
            std::vector<double> ms;
            for (int i = 0; i < pushes + 2; ++i) {
                const double t = timedPush(pusher, body, &error);
                if (t < 0) {
                    std::fprintf(stderr, "push failed: %s\n", qPrintable(error));
                    return 1;
                }
                if (i >= 2)
                    ms.push_back(t);
            }
            const double median = quantile(ms, 0.5);
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                            .arg(format.first, -9)
                            .arg(body.bytes.size(), 11)
                            .arg(body.entries, 8)
                            .arg(median, 10, 'f', 2)
                            .arg(quantile(ms, 0.9), 9, 'f', 2)
                            .arg(quantile(ms, 1.0), 9, 'f', 2)
                            .arg(body.entries / (median / 1000), 19, 'f', 0);
            out.flush();
        }
    }
    return 0;
}
