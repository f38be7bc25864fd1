// SPDX-License-Identifier: MIT
#include "scenario.h"

#include <QLoki/Loki>
#include <QLoki/LokiLogger>

#include <cstdio>

namespace bench {

LokiConfig benchConfig(const QUrl &url)
{
    LokiConfig config;
    config.setAppName(QStringLiteral("qloki-bench"));
    config.setUrl(url);
    return config;
}

bool initLogger(LokiLogger &logger, const LokiConfig &config)
{
    if (!logger.init(config)) {
        std::fprintf(stderr, "LokiLogger::init failed: %s\n", qPrintable(logger.errorString()));
        return false;
    }
    return true;
}

bool initGlobal(const LokiConfig &config)
{
    if (!Loki::init(config)) {
        std::fprintf(stderr, "Loki::init failed: %s\n",
                     qPrintable(Loki::instance()->errorString()));
        return false;
    }
    return true;
}

bool formatWanted(const Options &options, const QString &format)
{
    return options.formats.isEmpty() || options.formats.contains(format);
}

} // namespace bench
