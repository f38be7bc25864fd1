// SPDX-License-Identifier: MIT
#include "logql_p.h"

#include <re2/re2.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace LokiReceiverInternal {

namespace {

QByteArray valueOf(const LabelSet &labels, const QByteArray &name)
{
    for (const auto &[labelName, value] : labels) {
        if (labelName == name)
            return value;
    }
    return {};
}

// Go's words for RE2's error codes (regexp/syntax), as Loki answers them.
const char *goRegexpError(re2::RE2::ErrorCode code)
{
    switch (code) {
    case re2::RE2::ErrorBadEscape:
        return "invalid escape sequence";
    case re2::RE2::ErrorBadCharClass:
        return "invalid character class";
    case re2::RE2::ErrorBadCharRange:
        return "invalid character class range";
    case re2::RE2::ErrorMissingBracket:
        return "missing closing ]";
    case re2::RE2::ErrorMissingParen:
        return "missing closing )";
    case re2::RE2::ErrorUnexpectedParen:
        return "unexpected )";
    case re2::RE2::ErrorTrailingBackslash:
        return "trailing backslash at end of expression";
    case re2::RE2::ErrorRepeatArgument:
        return "missing argument to repetition operator";
    case re2::RE2::ErrorRepeatSize:
        return "invalid repeat count";
    case re2::RE2::ErrorRepeatOp:
        return "invalid nested repetition operator";
    case re2::RE2::ErrorBadPerlOp:
        return "invalid or unsupported Perl syntax";
    case re2::RE2::ErrorBadUTF8:
        return "invalid UTF-8";
    case re2::RE2::ErrorBadNamedCapture:
        return "invalid named capture";
    case re2::RE2::ErrorPatternTooLarge:
        return "expression too large";
    case re2::RE2::NoError:
    case re2::RE2::ErrorInternal:
        break;
    }
    return "internal error";
}

bool compileRegex(const QByteArray &pattern, bool anchored, std::shared_ptr<const re2::RE2> *regex,
                  QString *error)
{
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_never_capture(true);
    // Prometheus anchors label regexes as ^(?:...)$.
    const QByteArray text = anchored ? "^(?:" + pattern + ")$" : pattern;
    auto compiled = std::make_shared<const re2::RE2>(
            re2::StringPiece(text.constData(), size_t(text.size())), options);
    if (compiled->ok()) {
        *regex = std::move(compiled);
        return true;
    }
    *error = QStringLiteral("parse error : error parsing regexp: %1: `%2`")
                     .arg(QLatin1String(goRegexpError(compiled->error_code())),
                          QString::fromStdString(compiled->error_arg()));
    return false;
}

bool regexMatches(const re2::RE2 &regex, const QByteArray &text)
{
    return re2::RE2::PartialMatch(re2::StringPiece(text.constData(), size_t(text.size())), regex);
}

} // namespace

bool LabelMatcher::matchesValue(const QByteArray &labelValue) const
{
    switch (type) {
    case Equal:
        return labelValue == value;
    case NotEqual:
        return labelValue != value;
    case Regex:
        return regexMatches(*regex, labelValue);
    case NotRegex:
        return !regexMatches(*regex, labelValue);
    }
    return false;
}

bool LabelMatcher::matches(const LabelSet &labels) const
{
    return matchesValue(valueOf(labels, name));
}

bool LineFilter::matches(const QByteArray &line) const
{
    switch (type) {
    case Contains:
        return line.contains(text);
    case NotContains:
        return !line.contains(text);
    case Regex:
        return regexMatches(*regex, line);
    case NotRegex:
        return !regexMatches(*regex, line);
    }
    return false;
}

bool LogQuery::matchesStream(const LabelSet &labels) const
{
    for (const LabelMatcher &matcher : matchers) {
        if (!matcher.matches(labels))
            return false;
    }
    return true;
}

bool LogQuery::matchesLine(const QByteArray &line) const
{
    for (const LineFilter &filter : filters) {
        if (!filter.matches(line))
            return false;
    }
    return true;
}

bool parseLogQuery(const QByteArray &utf8, LogQuery *query, QString *error)
{
    Lexer lexer(utf8);
    // A selector may repeat names, values, even whole matchers (a megabyte of `a="",`):
    // each distinct text is copied once, and a matcher seen before adds nothing (the
    // matchers are ANDed).
    std::unordered_map<std::string_view, QByteArray> interned;
    auto intern = [&interned](QByteArrayView text) {
        const std::string_view key(text.data(), size_t(text.size()));
        const auto found = interned.find(key);
        if (found != interned.end())
            return found->second;
        QByteArray copy = text.toByteArray();
        // The key views the copy, which the map keeps.
        interned.emplace(std::string_view(copy.constData(), size_t(copy.size())), copy);
        return copy;
    };
    // Interned texts are one copy each: a matcher is known by its type and their addresses.
    struct Identity
    {
        int type;
        const char *name;
        const char *value;
        bool operator==(const Identity &other) const
        {
            return type == other.type && name == other.name && value == other.value;
        }
    };
    struct IdentityHash
    {
        size_t operator()(const Identity &identity) const noexcept
        {
            return std::hash<const char *>()(identity.name) * 31
                    ^ std::hash<const char *>()(identity.value) ^ size_t(identity.type);
        }
    };
    std::unordered_set<Identity, IdentityHash> seen;
    auto fail = [&](const Token &token, const char *expected) {
        const QString what = token.kind == Token::Error
                ? QString::fromUtf8(token.text)
                : QStringLiteral("syntax error: unexpected %1%2")
                          .arg(QString::fromUtf8(Lexer::describe(token)),
                               QString::fromLatin1(expected));
        *error = QStringLiteral("parse error at line 1, col %1: %2").arg(token.column).arg(what);
        return false;
    };

    Token token = lexer.next();
    if (token.kind != Token::LeftBrace)
        return fail(token, ", expecting {");
    token = lexer.next();
    while (token.kind != Token::RightBrace) {
        if (token.kind != Token::Identifier)
            return fail(token, ", expecting IDENTIFIER");
        LabelMatcher matcher;
        matcher.name = intern(token.valueView());
        token = lexer.next();
        switch (token.kind) {
        case Token::Equal:
            matcher.type = LabelMatcher::Equal;
            break;
        case Token::NotEqual:
            matcher.type = LabelMatcher::NotEqual;
            break;
        case Token::RegexMatch:
            matcher.type = LabelMatcher::Regex;
            break;
        case Token::RegexNotMatch:
            matcher.type = LabelMatcher::NotRegex;
            break;
        default:
            return fail(token, ", expecting = or != or =~ or !~");
        }
        token = lexer.next();
        if (token.kind != Token::String)
            return fail(token, ", expecting STRING");
        matcher.value = intern(token.valueView());
        if (seen.insert({matcher.type, matcher.name.constData(), matcher.value.constData()})
                    .second) {
            if ((matcher.type == LabelMatcher::Regex || matcher.type == LabelMatcher::NotRegex)
                && !compileRegex(matcher.value, true, &matcher.regex, error)) {
                return false;
            }
            query->matchers.push_back(std::move(matcher));
        }
        token = lexer.next();
        if (token.kind == Token::Comma)
            token = lexer.next();
        else if (token.kind != Token::RightBrace)
            return fail(token, ", expecting , or }");
    }

    for (token = lexer.next(); token.kind != Token::End; token = lexer.next()) {
        LineFilter filter;
        switch (token.kind) {
        case Token::PipeExact:
            filter.type = LineFilter::Contains;
            break;
        case Token::NotEqual:
            filter.type = LineFilter::NotContains;
            break;
        case Token::PipeMatch:
            filter.type = LineFilter::Regex;
            break;
        case Token::RegexNotMatch:
            filter.type = LineFilter::NotRegex;
            break;
        case Token::Pipe: {
            *error = QStringLiteral("parse error at line 1, col %1: only line filters (|=, !=, "
                                    "|~, !~) are supported by this receiver")
                             .arg(token.column);
            return false;
        }
        default:
            return fail(token, ", expecting |= or != or |~ or !~");
        }
        token = lexer.next();
        if (token.kind != Token::String)
            return fail(token, ", expecting STRING");
        filter.text = token.value();
        if ((filter.type == LineFilter::Regex || filter.type == LineFilter::NotRegex)
            && !compileRegex(filter.text, false, &filter.regex, error)) {
            return false;
        }
        query->filters.push_back(std::move(filter));
    }

    // Loki refuses selectors that would match every stream.
    bool selective = false;
    for (const LabelMatcher &matcher : query->matchers) {
        if ((matcher.type == LabelMatcher::Equal || matcher.type == LabelMatcher::Regex)
            && !matcher.matchesValue(QByteArray())) {
            selective = true;
        }
    }
    if (!selective) {
        *error = QStringLiteral("parse error : queries require at least one regexp or equality "
                                "matcher that does not have an empty-compatible value. For "
                                "instance, app=~\".*\" does not meet this requirement, but "
                                "app=~\".+\" will");
        return false;
    }
    return true;
}

} // namespace LokiReceiverInternal
