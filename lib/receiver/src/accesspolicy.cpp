// SPDX-License-Identifier: MIT
#include "accesspolicy_p.h"

#include <QtCore/QStringBuilder>

namespace LokiReceiverInternal {

namespace {

// Takes the same time for every candidate of a given length, so that a client cannot find
// a credential byte by byte from the answer's timing.
bool equalSecrets(const QByteArray &candidate, const QByteArray &expected)
{
    unsigned char difference = candidate.size() == expected.size() ? 0 : 1;
    for (qsizetype i = 0; i < candidate.size(); ++i) {
        const char other = expected.isEmpty() ? '\0' : expected.at(i % expected.size());
        difference |= static_cast<unsigned char>(candidate.at(i) ^ other);
    }
    return difference == 0;
}

// The credentials after a scheme name (case-insensitive), or a null array.
QByteArray credentialsFor(const QByteArray &authorization, QByteArrayView scheme)
{
    const QByteArray value = authorization.trimmed();
    if (value.size() <= scheme.size() || value.at(scheme.size()) != ' '
        || QByteArrayView(value).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) != 0) {
        return {};
    }
    return value.mid(scheme.size() + 1).trimmed();
}

} // namespace

void AccessPolicy::setBasicAuth(const QByteArray &user, const QByteArray &password)
{
    m_user = user;
    m_password = user.isEmpty() ? QByteArray() : password;
}

AccessPolicy::Verdict AccessPolicy::check(const QByteArray &authorization, const QByteArray &orgId,
                                          bool checkTenant) const
{
    Verdict verdict = checkCredentials(authorization);
    if (!verdict.allowed || !checkTenant || m_tenant.isEmpty())
        return verdict;
    if (orgId.isEmpty()) {
        // Loki's own answer when auth is enabled and the header is missing.
        verdict.allowed = false;
        verdict.message = "no org id";
    } else if (orgId != m_tenant) {
        verdict.allowed = false;
        verdict.message = "unauthorized: org id '" + orgId + "' has no access here";
    }
    return verdict;
}

AccessPolicy::Verdict AccessPolicy::checkCredentials(const QByteArray &authorization) const
{
    Verdict verdict;
    if (!hasBasicAuth() && !hasBearerToken())
        return verdict;

    if (hasBasicAuth()) {
        const QByteArray encoded = credentialsFor(authorization, "Basic");
        if (!encoded.isNull()) {
            const auto decoded = QByteArray::fromBase64Encoding(
                    encoded, QByteArray::AbortOnBase64DecodingErrors);
            const QByteArray pair = decoded ? *decoded : QByteArray();
            const qsizetype colon = pair.indexOf(':');
            // Both compared whatever the first gives, to keep the timing flat.
            const bool userMatches = colon >= 0 && equalSecrets(pair.left(colon), m_user);
            const bool passwordMatches =
                    colon >= 0 && equalSecrets(pair.mid(colon + 1), m_password);
            if (userMatches && passwordMatches)
                return verdict;
            verdict.message = "unauthorized: wrong user or password";
        }
    }
    if (hasBearerToken()) {
        const QByteArray token = credentialsFor(authorization, "Bearer");
        if (!token.isNull()) {
            if (equalSecrets(token, m_bearer))
                return Verdict {};
            verdict.message = "unauthorized: invalid bearer token";
        }
    }

    verdict.allowed = false;
    if (verdict.message.isEmpty()) {
        if (hasBasicAuth() && hasBearerToken())
            verdict.message = "unauthorized: basic auth or a bearer token is required";
        else if (hasBasicAuth())
            verdict.message = "unauthorized: basic auth is required";
        else
            verdict.message = "unauthorized: a bearer token is required";
    }
    if (hasBasicAuth())
        verdict.challenge += "WWW-Authenticate: Basic realm=\"loki\"\r\n";
    if (hasBearerToken())
        verdict.challenge += "WWW-Authenticate: Bearer realm=\"loki\"\r\n";
    return verdict;
}

} // namespace LokiReceiverInternal
