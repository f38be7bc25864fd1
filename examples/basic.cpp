// SPDX-License-Identifier: MIT
// Basic use of the global API: configure once, log with labels, flush.
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
    config.setUseSendBeacon(true);
    config.setEnableOfflineBuffer(true);
    config.setBufferSize(1000);
    config.setFlushInterval(std::chrono::seconds(5));
    config.setMaxRetries(3);
    if (!Loki::init(config)) {
        example::say(u"invalid configuration: "_s + Loki::instance()->errorString());
        return 2;
    }
    example::say(u"logging to "_s + config.pushUrl().toString());

    // A `label_` prefix makes a field a stream label (user_id, action, ...).
    Loki::info(u"user login ok"_s, {{u"label_user_id"_s, u"12345"_s},
                                    {u"label_action"_s, u"login"_s}});
    Loki::error(u"db connection failed"_s, {{u"label_component"_s, u"database"_s},
                                            {u"label_error_code"_s, u"DB001"_s}});
    example::say(u"logged \"user login ok\" (info) and \"db connection failed\" (error)"_s);

    Loki::flush();
    return example::report(Loki::instance()->stats());
}
