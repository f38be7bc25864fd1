// SPDX-License-Identifier: MIT
// flush() pushes what is pending now and tells whether all of it was delivered.
#include "exampleutil.h"

#include <QLoki/Loki>

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

    Loki::info(u"before flush 1"_s);
    Loki::info(u"before flush 2"_s);
    Loki::warning(u"before flush 3"_s);
    example::say(u"logged 3 entries"_s);

    // flush() returns once nothing logged before it is pending any more (or at the
    // timeout); the statistics tell whether those entries were delivered or dropped.
    const bool settled = Loki::flush(std::chrono::seconds(10));
    const LokiStats stats = Loki::instance()->stats();
    const bool delivered = settled && stats.delivered() == stats.accepted();
    example::say(delivered ? u"flush: everything was delivered"_s
                           : u"flush: not everything was delivered"_s);
    return example::report(stats);
}
