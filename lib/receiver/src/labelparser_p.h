// SPDX-License-Identifier: MIT
#pragma once

#include "pushrequest_p.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

namespace LokiReceiverInternal {

//! Label pairs sorted by name, without empty values: a stream's identity.
using LabelSet = LabelPairs;

//! One token of Prometheus' label syntax and of the LogQL subset the receiver reads.
struct Token
{
    enum Kind {
        End,
        Error,
        LeftBrace,
        RightBrace,
        Comma,
        Identifier,
        String,
        Equal, // =
        NotEqual, // !=
        RegexMatch, // =~
        RegexNotMatch, // !~
        PipeExact, // |=
        PipeMatch, // |~
        Pipe, // |
    };
    Kind kind = End;
    //! The unquoted string when it had escapes, or the error message; null otherwise.
    QByteArray text;
    //! 1-based column (in characters) where the token starts.
    int column = 1;
    //! An identifier, or a string without escapes, as a view of the lexer's input (valid
    //! only as long as that input): no copy is made for the many that are never kept.
    QByteArrayView view;

    //! The identifier's or string's bytes, as a copy of their own.
    QByteArray value() const { return text.isNull() ? view.toByteArray() : text; }
    //! The same, without a copy while the input lives.
    QByteArrayView valueView() const { return text.isNull() ? view : QByteArrayView(text); }
};

//! Splits UTF-8 text into tokens, as the Prometheus/LogQL lexer does for this subset.
class Lexer
{
public:
    explicit Lexer(QByteArrayView input)
        : m_input(input)
    { }
    Token next();
    static QByteArray describe(const Token &token);

private:
    int columnAt(qsizetype offset) const;
    Token error(qsizetype offset, const QByteArray &message) const;
    Token readString(qsizetype start);

    QByteArrayView m_input;
    qsizetype m_pos = 0;
    int m_braceDepth = 0;
    //! columnAt()'s place: the column (1-based, in characters) at m_columnOffset.
    mutable qsizetype m_columnOffset = 0;
    mutable qint64 m_column = 1;
};

/*!
    Parses a stream's labels in Prometheus form (`{app="demo", level="info"}`) as
    Loki does on push. On success, \a labels holds every pair in the order written
    (duplicates and empty values included, for validation to judge). On failure
    returns false and sets \a error to Loki's words
    (`1:5: parse error: unexpected character inside braces: '-'`).
*/
bool parseLabelString(QByteArrayView text, LabelPairs *labels, QByteArray *error);

//! `{a="1", b="2"}` with values quoted as Go's strconv.Quote does.
QByteArray formatLabels(const LabelPairs &labels);
//! Appends \a value quoted as Go's strconv.Quote does.
void appendGoQuoted(QByteArray &out, QByteArrayView value);
//! Appends \a value as the content of a JSON string (without the quotes).
void appendJsonEscaped(QByteArray &out, QByteArrayView value);

} // namespace LokiReceiverInternal
