// SPDX-License-Identifier: MIT
// A logger of its own, independent of the global Loki:: instance.
#include "exampleutil.h"

#include <QLoki/LokiLogger>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);

    LokiConfig config;
    config.setAppName(u"custom-app"_s);
    config.setEnvironment(u"development"_s);
    config.setUrl(example::lokiUrl(app));

    LokiLogger custom;
    if (!custom.init(config)) {
        example::say(u"invalid configuration: "_s + custom.errorString());
        return 2;
    }
    custom.info(u"custom sdk test"_s, {{u"label_test_type"_s, u"custom_sdk"_s}});
    example::say(u"logged \"custom sdk test\" as app custom-app"_s);

    custom.flush();
    return example::report(custom.stats());
}
