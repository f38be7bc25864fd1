// SPDX-License-Identifier: MIT
// The Redactor's built-in rules: the shapes of secrets, as regular expressions, and what a
// match must also be. Their pre-check is in redactionrules.cpp: a rule added here needs its
// anchor in candidates() too (tst_redactor and fuzz_redactor hold each secret to both).
#include "pipeline/redactor_p.h"

#include <QtCore/QByteArray>

namespace QLoki::detail {

namespace {

// --- What a match must also be, beyond its shape --------------------------------------------

// Values that stand for no secret: placeholders and literals.
bool isPlaceholder(QStringView v)
{
    if (v.isEmpty())
        return true;
    bool masked = true;
    for (QChar c : v)
        masked = masked && (c == u'*' || c == u'•' || c == u'x' || c == u'X');
    if (masked && v.size() >= 3)
        return true;
    for (const char *word : {"null", "none", "nil", "true", "false", "undefined"}) {
        if (v.compare(QLatin1String(word), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool acceptValue(QStringView v) { return !isPlaceholder(v); }

// A bearer token, not a word after "bearer": it holds a digit, or it is too long for prose.
bool acceptBearer(QStringView v)
{
    if (v.size() >= 24)
        return true;
    for (QChar c : v) {
        if (c.isDigit())
            return true;
    }
    return false;
}

// Basic credentials: padded base64 of printable text with a `:` between user and password.
bool acceptBasic(QStringView v)
{
    if (v.size() % 4 != 0)
        return false;
    const auto decoded =
            QByteArray::fromBase64Encoding(v.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QByteArray &bytes = *decoded;
    for (char c : bytes) {
        if (uchar(c) < 0x20 || uchar(c) == 0x7f)
            return false;
    }
    return bytes.indexOf(':') > 0;
}

} // namespace

std::vector<Redactor::BuiltInRule> Redactor::builtInRules()
{
    using RE = QRegularExpression;
    const auto ci = RE::CaseInsensitiveOption;
    // The words of a secret key; the key may have more before it (client_secret, X-Api-Key)
    // but ends with one of them.
    const QString words = QStringLiteral(
            R"x((?:pass(?:word|wd|phrase)|pwd|secret|token|api[_.-]?key|access[_.-]?key|)x"
            R"x(secret[_.-]?key|private[_.-]?key|credentials?))x");
    // A value: "quoted" (JSON escapes kept inside), \"quoted\" (JSON within a string),
    // 'quoted', or bare up to a space, quote, separator or closing bracket. Branch reset:
    // each form captures into group 1.
    const QString value = QStringLiteral(
            R"x((?|"((?:[^"\\\r\n]|\\.)*)"|\\"(.*?)\\"|'([^'\r\n]*)'|([^\s"',;&}\]\\]+)))x");
    const QString pem = QStringLiteral(R"x((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)x");

    std::vector<BuiltInRule> rules = {
            // Multi-line blocks first; a block cut short by the line limit goes to the end.
            {RE(QStringLiteral("-----BEGIN ") + pem + QStringLiteral(R"x((?:.*?-----END )x") + pem
                        + QStringLiteral("|.*)"),
                RE::DotMatchesEverythingOption),
             PrivateKey, 0, nullptr},
            {RE(QStringLiteral(R"x((?<![\w-])(?:proxy-)?authorization\\?["']?[ \t]*[:=][ \t]*)x"
                               R"x(\\?["']?(?:(?:bearer|basic|token|digest|negotiate|ntlm|apikey))x"
                               R"x([ \t]+)?([^\s"',;\\]+))x"),
                ci),
             Authorization, 1, &acceptValue},
            {RE(QStringLiteral(R"x(\b[a-z][a-z0-9+.-]*://[^\s/?#@:]*:([^\s/?#]+)@)x"), ci),
             UrlCredentials, 1, nullptr},
            {RE(QStringLiteral(R"x((?<![\w-])eyJ[\w-]{8,}\.[\w-]{2,}\.[\w-]*)x")), Jwt, 0, nullptr},
            {RE(QStringLiteral(R"x((?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9]))x"
                               R"x(|(?<!\w)gh[pousr]_[A-Za-z0-9]{36,255}(?!\w))x"
                               R"x(|(?<!\w)github_pat_\w{22,255})x"
                               R"x(|(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,})x"
                               R"x(|(?<![\w-])AIza[\w-]{35}(?![\w-]))x"
                               R"x(|(?<!\w)[sr]k_(?:live|test)_[A-Za-z0-9]{16,})x")),
             CloudToken, 0, nullptr},
            {RE(QStringLiteral(R"x((?<![\w.-])[\w.-]*?)x") + words
                        + QStringLiteral(R"x((?![\w.-])\\?["']?[ \t]*[:=]>?[ \t]*)x") + value,
                ci),
             KeyValue, 1, &acceptValue},
            {RE(QStringLiteral(R"x((?<![\w-])bearer[ \t]+([\w.~+/-]{8,}=*))x"), ci), Bearer, 1,
             &acceptBearer},
            {RE(QStringLiteral(R"x((?<![\w-])basic[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?![\w+/=]))x"),
                ci),
             Basic, 1, &acceptBasic},
    };
    for (BuiltInRule &rule : rules) {
        Q_ASSERT_X(rule.pattern.isValid(), "Redactor", qPrintable(rule.pattern.errorString()));
        rule.pattern.optimize();
    }
    return rules;
}

} // namespace QLoki::detail
