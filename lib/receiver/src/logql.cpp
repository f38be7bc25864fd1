// SPDX-License-Identifier: MIT
#include "logql_p.h"

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

bool compileRegex(const QByteArray &pattern, bool anchored, QRegularExpression *regex,
                  QString *error)
{
    const QString text = QString::fromUtf8(pattern);
    *regex = QRegularExpression(anchored ? QRegularExpression::anchoredPattern(text) : text,
                                QRegularExpression::DontCaptureOption);
    if (regex->isValid()) {
        regex->optimize();
        return true;
    }
    *error = QStringLiteral("parse error : error parsing regexp: %1: `%2`")
                     .arg(regex->errorString(), text);
    return false;
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
        return regex.match(QString::fromUtf8(labelValue)).hasMatch();
    case NotRegex:
        return !regex.match(QString::fromUtf8(labelValue)).hasMatch();
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
        return regex.match(QString::fromUtf8(line)).hasMatch();
    case NotRegex:
        return !regex.match(QString::fromUtf8(line)).hasMatch();
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

bool parseLogQuery(const QString &text, LogQuery *query, QString *error)
{
    const QByteArray utf8 = text.toUtf8();
    Lexer lexer(utf8);
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
        matcher.name = token.text;
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
        matcher.value = token.text;
        if ((matcher.type == LabelMatcher::Regex || matcher.type == LabelMatcher::NotRegex)
            && !compileRegex(matcher.value, true, &matcher.regex, error)) {
            return false;
        }
        query->matchers.push_back(std::move(matcher));
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
        filter.text = token.text;
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
