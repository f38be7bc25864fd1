// SPDX-License-Identifier: MIT
// The logging calls as an application writes them. usercalls.cpp is compiled as an
// application is, without the QT_NO_CAST_FROM_ASCII of the project's own targets, so that
// string literals convert (or bind to whichever overload the library offers for them).
#pragma once

#include <QtCore/QString>

namespace spdlog {
class logger;
}

namespace bench::usercalls {

//! The README's call with fresh arguments: `Loki::info("user login ok",
//! {{"label_component", "auth"}, {"label_action", "login"}, {"user_id", i}, {"amount", 100.5}})`.
void readmeCall(int i);
//! The same four fields in a QVariantMap built by the call, then passed to Loki::info().
void mapPerCall(int i);
//! spdlog formatting the same four values into the line: `logger.info("user login ok
//! component={} action={} user_id={} amount={}", "auth", "login", i, 100.5)`.
void spdlogCall(spdlog::logger &logger, int i);
//! What the outage scenario logs: its line, with `{{"label_service", "checkout"},
//! {"label_region", region}, {"order_id", orderId}, {"amount", amount}}` written in the call.
void outageCall(const QString &line, const QString &region, const QString &orderId, double amount);
//! A line without fields: `Loki::info(line)`.
void lineOnly(const QString &line);

} // namespace bench::usercalls
