// SPDX-License-Identifier: MIT
#include "usercalls.h"

#include <QLoki/Loki>
#include <QLoki/LokiLogger>

#include <spdlog/logger.h>

namespace bench::usercalls {

void readmeCall(int i)
{
    Loki::info("user login ok",
               {{"label_component", "auth"},
                {"label_action", "login"},
                {"user_id", i},
                {"amount", 100.5}});
}

void readmeMemberCall(LokiLogger &logger, int i)
{
    logger.info("user login ok",
                {{"label_component", "auth"},
                 {"label_action", "login"},
                 {"user_id", i},
                 {"amount", 100.5}});
}

void readmeDebugCall(LokiLogger &logger, int i)
{
    logger.debug("user login ok",
                 {{"label_component", "auth"},
                  {"label_action", "login"},
                  {"user_id", i},
                  {"amount", 100.5}});
}

void mapPerCall(int i)
{
    const QVariantMap fields {{"label_component", "auth"},
                              {"label_action", "login"},
                              {"user_id", i},
                              {"amount", 100.5}};
    Loki::info("user login ok", fields);
}

void spdlogCall(spdlog::logger &logger, int i)
{
    logger.info("user login ok component={} action={} user_id={} amount={}", "auth", "login", i,
                100.5);
}

void corpusCall(const QString &line, const QString &region, const QString &orderId, double amount)
{
    Loki::info(line,
               {{"label_service", "checkout"},
                {"label_region", region},
                {"order_id", orderId},
                {"amount", amount}});
}

void corpusMemberCall(LokiLogger &logger, const QString &line, const QString &region,
                      const QString &orderId, double amount)
{
    logger.info(line,
                {{"label_service", "checkout"},
                 {"label_region", region},
                 {"order_id", orderId},
                 {"amount", amount}});
}

void lineOnly(const QString &line) { Loki::info(line); }

} // namespace bench::usercalls
