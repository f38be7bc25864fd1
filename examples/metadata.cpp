// SPDX-License-Identifier: MIT
// Fields without the `label_` prefix become structured metadata of the entry: they are
// stored with it but do not create a new stream.
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

    Loki::info(u"payment"_s, {{u"label_user_id"_s, u"12345"_s},
                              {u"operation_type"_s, u"payment"_s},
                              {u"amount"_s, 100.50},
                              {u"currency"_s, u"USD"_s}});
    example::say(u"logged \"payment\" with label user_id=12345 and metadata "
                 "operation_type=payment, amount=100.5, currency=USD"_s);

    Loki::flush();
    return example::report(Loki::instance()->stats());
}
