// SPDX-License-Identifier: MIT
// The logging calls as an application writes them. usercalls.cpp is compiled as an
// application is, without the QT_NO_CAST_FROM_ASCII of the project's own targets, so that
// string literals convert (or bind to whichever overload the library offers for them). Every
// call writes its fields as a braced list in the call, as the README does; none is handed a
// field map built beforehand, so that a faster overload for such lists is measured as soon as
// the library has one.
#pragma once

#include <QtCore/QString>

class LokiLogger;

namespace spdlog {
class logger;
}

namespace bench::usercalls {

//! The README's call with fresh arguments: `Loki::info("user login ok",
//! {{"label_component", "auth"}, {"label_action", "login"}, {"user_id", i}, {"amount", 100.5}})`.
void readmeCall(int i);
//! The same call in the member form: `logger.info("user login ok", {…the same four…})`.
void readmeMemberCall(LokiLogger &logger, int i);
//! The same call at debug level: logger.debug("user login ok", {the same four fields}).
void readmeDebugCall(LokiLogger &logger, int i);
//! The same four fields put in a QVariantMap by the call, then passed to Loki::info().
void mapPerCall(int i);
//! spdlog formatting the same four values into the line: `logger.info("user login ok
//! component={} action={} user_id={} amount={}", "auth", "login", i, 100.5)`.
void spdlogCall(spdlog::logger &logger, int i);
//! An entry of the bench's corpus: its line, with `{{"label_service", "checkout"},
//! {"label_region", region}, {"order_id", orderId}, {"amount", amount}}` written in the call,
//! on the default logger (Loki::info) ...
void corpusCall(const QString &line, const QString &region, const QString &orderId, double amount);
//! ... and on \a logger (logger.info).
void corpusMemberCall(LokiLogger &logger, const QString &line, const QString &region,
                      const QString &orderId, double amount);
//! A line without fields: `Loki::info(line)`.
void lineOnly(const QString &line);

} // namespace bench::usercalls
