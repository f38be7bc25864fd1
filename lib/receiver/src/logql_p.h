// SPDX-License-Identifier: MIT
#pragma once

#include "labelparser_p.h"

#include <QtCore/QString>

#include <memory>
#include <vector>

namespace re2 {
class RE2;
}

namespace LokiReceiverInternal {

//! One `name op "value"` of a stream selector; a missing label matches as "".
struct LabelMatcher
{
    enum Type { Equal, NotEqual, Regex, NotRegex };
    Type type = Equal;
    QByteArray name;
    QByteArray value;
    //! Fully anchored, as Loki's label regexes are (RE2: LogQL's regular expressions are
    //! Go's, RE2's syntax, matched in linear time).
    std::shared_ptr<const re2::RE2> regex;

    bool matches(const LabelSet &labels) const;
    bool matchesValue(const QByteArray &value) const;
};

//! One line filter: `|= "text"`, `!= "text"`, `|~ "regex"`, `!~ "regex"`.
struct LineFilter
{
    enum Type { Contains, NotContains, Regex, NotRegex };
    Type type = Contains;
    QByteArray text;
    std::shared_ptr<const re2::RE2> regex;

    bool matches(const QByteArray &line) const;
};

//! The LogQL subset the receiver answers: a stream selector and line filters.
struct LogQuery
{
    std::vector<LabelMatcher> matchers;
    std::vector<LineFilter> filters;

    bool matchesStream(const LabelSet &labels) const;
    bool matchesLine(const QByteArray &line) const;
};

//! Parses \a text; on failure returns false and sets \a error in Loki's words
//! (`parse error at line 1, col 5: ...`).
bool parseLogQuery(const QByteArray &utf8, LogQuery *query, QString *error);

} // namespace LokiReceiverInternal
