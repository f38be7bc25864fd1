// SPDX-License-Identifier: MIT
// Stream labels given as one map under the key "labels".
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

    Loki::info(u"system info"_s,
               {{u"labels"_s, QVariantMap{{u"service"_s, u"user-service"_s},
                                          {u"version"_s, u"1.0.0"_s}}}});
    example::say(u"logged \"system info\" with labels service=user-service, version=1.0.0"_s);

    Loki::flush();
    return example::report(Loki::instance()->stats());
}
