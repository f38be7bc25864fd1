// SPDX-License-Identifier: MIT
// The built-in rules of the Redactor and their pre-check. Every shape a rule matches has an
// anchor that the pre-check finds in one pass; a rule added here needs its anchor in
// candidates() too (tst_redactor holds each secret of its table to both).
#include "pipeline/redactor_p.h"

#include <QtCore/QByteArray>

#include <array>

namespace QLoki::detail {

namespace {

// The characters at which candidates() looks closer; ASCII only (every shape is ASCII).
constexpr std::array<bool, 128> anchorTable()
{
    std::array<bool, 128> t {};
    for (char c : {'=', ':', 'J', '-', '_', 'I', 'b', 'B'})
        t[std::size_t(c)] = true;
    return t;
}
constexpr std::array<bool, 128> anchors = anchorTable();

constexpr char16_t lower(char16_t c) { return c >= 'A' && c <= 'Z' ? char16_t(c | 0x20) : c; }

constexpr bool isKeyChar(char16_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
            || c == '.' || c == '-';
}

bool isSpace(char16_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// True when \a s at \a at starts with the lowercase ASCII \a word, ignoring case.
bool startsWithWord(const char16_t *s, qsizetype at, qsizetype n, const char *word)
{
    for (qsizetype k = 0; word[k]; ++k) {
        if (at + k >= n || lower(s[at + k]) != char16_t(word[k]))
            return false;
    }
    return true;
}

// True when \a s before \a at ends with \a word (exact case).
bool endsWithExact(const char16_t *s, qsizetype at, const char *word)
{
    const qsizetype len = qsizetype(std::char_traits<char>::length(word));
    if (at < len)
        return false;
    for (qsizetype k = 0; k < len; ++k) {
        if (s[at - len + k] != char16_t(word[k]))
            return false;
    }
    return true;
}

// The words a secret name ends in, once `_`, `-` and `.` are taken out and case ignored.
// The regular expression of the key=value rule is stricter (api[_.-]?key): this list finds
// a superset of what it matches.
constexpr const char *secretWords[] = {"password",  "passwd",     "passphrase", "pwd",
                                       "secret",    "token",      "apikey",     "accesskey",
                                       "secretkey", "privatekey", "credential", "credentials"};

/*!
    The last characters of a key, lowercased, without `_`, `-` and `.`, in reverse order,
    read backwards from \a end; returns how many (at most 16: enough for every word).
*/
int reversedKey(QStringView key, qsizetype end, char16_t *out)
{
    const char16_t *s = key.utf16();
    int n = 0;
    for (qsizetype j = end; j > 0 && n < 16 && isKeyChar(s[j - 1]); --j) {
        const char16_t c = s[j - 1];
        if (c != '_' && c != '-' && c != '.')
            out[n++] = lower(c);
    }
    return n;
}

bool reversedEndsWith(const char16_t *reversed, int n, const char *word)
{
    const int len = int(std::char_traits<char>::length(word));
    if (n < len)
        return false;
    for (int k = 0; k < len; ++k) {
        if (reversed[k] != char16_t(word[len - 1 - k]))
            return false;
    }
    return true;
}

// The families a key that ends at \a end (before `=` or `:`) may start.
quint32 keyFamilies(QStringView text, qsizetype end)
{
    const char16_t *s = text.utf16();
    // Between the key and the separator: spaces, a closing quote, an escaping backslash.
    while (end > 0
           && (isSpace(s[end - 1]) || s[end - 1] == '"' || s[end - 1] == '\''
               || s[end - 1] == '\\')) {
        --end;
    }
    char16_t key[16];
    const int n = reversedKey(text, end, key);
    if (n < 3)
        return 0;
    if (reversedEndsWith(key, n, "authorization"))
        return Redactor::Authorization;
    for (const char *word : secretWords) {
        if (reversedEndsWith(key, n, word))
            return Redactor::KeyValue;
    }
    return 0;
}

// After `://` at \a from: an `@` in the authority (before the path, query or fragment).
bool authorityHasAt(const char16_t *s, qsizetype from, qsizetype n)
{
    for (qsizetype k = from; k < n; ++k) {
        const char16_t c = s[k];
        if (c == '@')
            return true;
        if (isSpace(c) || c == '/' || c == '?' || c == '#')
            return false;
    }
    return false;
}

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

quint32 Redactor::candidates(QStringView text)
{
    const char16_t *s = text.utf16();
    const qsizetype n = text.size();
    quint32 found = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = s[i];
        if (c >= 128 || !anchors[c])
            continue;
        switch (c) {
        case ':':
            if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/') {
                if (authorityHasAt(s, i + 3, n))
                    found |= UrlCredentials;
                break;
            }
            Q_FALLTHROUGH();
        case '=':
            found |= keyFamilies(text, i);
            break;
        case 'J': // eyJ: base64url of `{"`, how every JSON Web Token begins
            if (i >= 2 && s[i - 2] == 'e' && s[i - 1] == 'y')
                found |= Jwt;
            break;
        case '-':
            if (i + 10 <= n && startsWithWord(s, i, n, "-----begin") && s[i + 5] == 'B')
                found |= PrivateKey;
            else if (i >= 4 && s[i - 4] == 'x' && s[i - 3] == 'o' && s[i - 2] == 'x')
                found |= CloudToken; // Slack: xoxb-, xoxp-, …
            break;
        case '_':
            // GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Stripe (sk_live_, rk_test_)
            if ((i >= 3 && s[i - 3] == 'g' && s[i - 2] == 'h') || endsWithExact(s, i, "github")
                || (i >= 2 && s[i - 1] == 'k' && (s[i - 2] == 's' || s[i - 2] == 'r'))) {
                found |= CloudToken;
            }
            break;
        case 'I': // AWS (AKIA, ASIA), Google (AIza)
            if ((i >= 2 && i + 1 < n && s[i - 2] == 'A' && (s[i - 1] == 'K' || s[i - 1] == 'S')
                 && s[i + 1] == 'A')
                || (i >= 1 && i + 2 < n && s[i - 1] == 'A' && s[i + 1] == 'z' && s[i + 2] == 'a')) {
                found |= CloudToken;
            }
            break;
        case 'b':
        case 'B':
            if (startsWithWord(s, i, n, "bearer"))
                found |= Bearer;
            else if (startsWithWord(s, i, n, "basic"))
                found |= Basic;
            break;
        default:
            break;
        }
    }
    return found;
}

bool Redactor::isSecretName(QStringView name)
{
    char16_t key[16];
    const int n = reversedKey(name, name.size(), key);
    // A name with other characters (spaces, …) is read from its last key character on.
    if (n < 3)
        return false;
    if (reversedEndsWith(key, n, "authorization"))
        return true;
    for (const char *word : secretWords) {
        if (reversedEndsWith(key, n, word))
            return true;
    }
    return false;
}

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
