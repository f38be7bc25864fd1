// SPDX-License-Identifier: MIT
#pragma once

#include "model/pushbatch_p.h"
#include "pipeline/pendingentry_p.h"

#include <QLoki/lokiconfig.h>

#include <QtCore/QList>
#include <QtCore/QRegularExpression>
#include <QtCore/QString>
#include <QtCore/QVariant>

#include <vector>

namespace QLoki::detail {

/*!
    Replaces secrets in the lines and metadata values of entries (LokiConfig::redactSecrets(),
    LokiConfig::redactions()).

    Where: on the sender thread, in SenderWorker::resolveQueued(), just before Batcher::resolve()
    turns an entry into the UTF-8 form that is encoded, spooled and sent. Nothing before that
    point leaves the process or touches the disk (the queue is memory; the spool is written
    from resolved entries only), and the logging call stays as cheap as without redaction.

    How, cheaply: the built-in rules are regular expressions, but most lines hold no secret,
    so one pass over the text first looks for the few characters every built-in shape needs
    (`=` or `:` after a key named like a secret, `://` with an `@`, `eyJ`, `-----BEGIN`,
    `Bearer`/`Basic`, the prefixes of cloud tokens) and returns the families of rules that
    may match; only those run. The application's own rules have no such check. The
    expressions are compiled once per logger.

    A secret name (password, token, api_key, …) as a metadata key replaces its whole value.
    Sender thread only (the expressions are this object's own).
*/
class Redactor
{
public:
    //! The families of built-in rules, as candidates() reports them.
    enum Family : quint32 {
        KeyValue = 0x01, //!< password=…, "token": "…", api_key: …
        Authorization = 0x02, //!< Authorization: <scheme> <credentials>
        UrlCredentials = 0x04, //!< scheme://user:password@host
        Jwt = 0x08, //!< eyJ….….…
        PrivateKey = 0x10, //!< -----BEGIN … PRIVATE KEY----- … -----END … PRIVATE KEY-----
        CloudToken = 0x20, //!< AKIA…, ghp_…, xoxb-…, AIza…, sk_live_…
        Bearer = 0x40, //!< Bearer <token> without a header name
        Basic = 0x80, //!< Basic <base64 of user:password> without a header name
    };

    /*!
        \a builtIn: the built-in rules are on. \a rules: the application's, run after them
        (invalid ones, which LokiConfig::validate() reports, are left out). \a replacement:
        what a secret becomes.
    */
    Redactor(bool builtIn, const QList<Redaction> &rules, const QString &replacement);
    ~Redactor();
    Redactor(const Redactor &) = delete;
    Redactor &operator=(const Redactor &) = delete;

    //! False when there is nothing to do (built-in rules off and no rules of the application).
    bool isActive() const { return m_builtIn || !m_rules.empty(); }

    //! Every family of built-in rules.
    static constexpr quint32 AllFamilies = 0xff;

    //! Replaces the secrets in \a text; true when it changed.
    bool redactText(QString *text) const;
    /*!
        The same without the pre-check: the built-in rules of \a families (when the built-in
        rules are on), then the application's. redactText() is this with candidates(); with
        AllFamilies it is what the pre-check must never change (tests/fuzz/fuzz_redactor.cpp).
    */
    bool redactText(QString *text, quint32 families) const;
    /*!
        Replaces the secrets in the line, metadata and label values of \a entry (a braced
        field list is unpacked first, as Batcher::resolve() would, when a field may hold a
        secret; else it stays packed); true when any changed.
    */
    bool redactEntry(PendingEntry *entry) const;
    /*!
        True when \a entry may be checked once it is resolved, with mayHoldSecrets() on the
        bytes just encoded (in cache, half those of the UTF-16 the call made): only the
        built-in rules are on, the replacement is not empty, and the entry has no label map
        and no field map (a braced list, or none). Only an entry that check flags is
        redacted with redactEntry() and resolved again.

        The labels of a braced list need no check then: the quick path resolves an entry
        only with the labels of a call site that the general way made, from an entry that
        was redacted first (Batcher::claimCallSite() compares them exactly), and redacting
        what was redacted with a replacement changes nothing (fuzz_redactor holds it).
    */
    bool checksWhenEncoded(const PendingEntry &entry) const;
    /*!
        The pre-check of a resolved entry: true when its line or a metadata value may hold
        a secret (candidates() of the stored bytes in one pass; their length prefixes can
        only add candidates, never hide one, as the pre-check needs neighbours that are
        within a shape) or a metadata name is a secret's (isSecretName()).
    */
    static bool mayHoldSecrets(const WireEntry &entry);

    //! The pre-check: the families of built-in rules that may match \a text; 0 for most lines.
    static quint32 candidates(QStringView text);
    //! The same for 8-bit text (every shape is ASCII: the bytes of ASCII and Latin-1 text
    //! suffice; UTF-8 beyond ASCII is read as UTF-16).
    static quint32 candidates(QLatin1StringView text);
    static quint32 candidates(QUtf8StringView text);
    //! The same for bytes of which those from 0x80 are not read as text: \a nonAscii tells
    //! whether there were any (for UTF-8, the text must then be read with the overload above).
    static quint32 candidatesOfAscii(QByteArrayView bytes, bool *nonAscii);
    //! True when a value named \a name is a secret as a whole (`password`, `api_key`,
    //! `X-Auth-Token`, …): the name without `_`, `-`, `.` ends in a secret word.
    static bool isSecretName(QStringView name);
    static bool isSecretName(QLatin1StringView name);
    static bool isSecretName(QUtf8StringView name);

private:
    struct BuiltInRule
    {
        QRegularExpression pattern;
        quint32 family;
        int secretGroup; //!< the capture replaced; 0: the whole match
        bool (*accept)(QStringView secret); //!< nullptr: every match is a secret
    };
    struct UserRule
    {
        QRegularExpression pattern;
        QString replacement;
        bool literal; //!< the replacement is redactionReplacement(): no \1 references
    };

    static std::vector<BuiltInRule> builtInRules();
    bool apply(const QRegularExpression &pattern, int group, bool (*accept)(QStringView),
               QString *text) const;
    bool applyUser(const UserRule &rule, QString *text) const;
    //! Sets \a out to \a value without its secrets; false (and \a out untouched) when it has none.
    bool redactValue(QStringView name, const QVariant &value, QVariant *out) const;
    bool redactMap(const QVariantMap &map, QVariant *out) const;
    //! False when no field of a braced list can hold a secret (the pre-check, in place).
    bool packedMayHoldSecrets(const PackedFields &packed) const;

    bool m_builtIn;
    std::vector<BuiltInRule> m_builtInRules;
    std::vector<UserRule> m_rules;
    QString m_replacement;
};

} // namespace QLoki::detail
