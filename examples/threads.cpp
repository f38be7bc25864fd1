// SPDX-License-Identifier: MIT
// Logging from several threads at once: every call is thread-safe and returns without
// waiting for the network.
#include "exampleutil.h"

#include <QLoki/Loki>

#include <thread>
#include <vector>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    LokiConfig config;
    config.setAppName(u"demo-cpp"_s);
    config.setEnvironment(u"staging"_s);
    config.setUrl(example::lokiUrl(app));
    if (!Loki::init(config)) {
        example::say(u"invalid configuration: "_s + Loki::instance()->errorString());
        return 2;
    }

    constexpr int Threads = 5;
    constexpr int EntriesPerThread = 10;
    std::vector<std::thread> workers;
    for (int t = 0; t < Threads; ++t) {
        workers.emplace_back([t] {
            for (int i = 0; i < EntriesPerThread; ++i)
                Loki::info(u"thread %1 message %2"_s.arg(t).arg(i),
                           {{u"label_thread_id"_s, QString::number(t)}});
        });
    }
    for (std::thread &worker : workers)
        worker.join();
    example::say(u"logged %1 entries from %2 threads"_s.arg(Threads * EntriesPerThread)
                     .arg(Threads));

    Loki::flush();
    return example::report(Loki::instance()->stats());
}
