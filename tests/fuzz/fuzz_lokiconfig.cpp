// SPDX-License-Identifier: MIT
// LokiConfig::fromJson(): a configuration file's text. A result or an error, never both,
// and a configuration it returns can be validated and asked for its push URL.
#include "fuzzsupport.h"

#include <QLoki/LokiConfig>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const std::optional<LokiConfig> config =
            LokiConfig::fromJson(FuzzSupport::bytes(data, size), &error);
    if (!config) {
        FUZZ_CHECK(!error.isEmpty(), "no configuration and no error");
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), "a configuration and an error: " + error.toUtf8());
    const QStringList problems = config->validate();
    for (const QString &problem : problems)
        FUZZ_CHECK(!problem.isEmpty(), "validate() gave an empty sentence");
    const QUrl url = config->pushUrl();
    FUZZ_CHECK(url.isEmpty() || url.path().endsWith(QLatin1String("/loki/api/v1/push")),
               "pushUrl() without the push path: " + url.toEncoded());
    return 0;
}
