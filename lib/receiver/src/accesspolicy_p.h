// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QByteArray>

namespace LokiReceiverInternal {

/*!
    The checks a gateway in front of Loki makes, and Loki's own tenant check: HTTP basic
    auth, a bearer token, and one required `X-Scope-OrgID`. Each is off while its value is
    empty. With both basic auth and a bearer token set, either credential is accepted.
    Refusals never quote the expected credentials.
*/
class AccessPolicy
{
public:
    struct Verdict
    {
        bool allowed = true;
        //! The 401 answer's one-line body.
        QByteArray message;
        //! `WWW-Authenticate` header lines (each ending in CRLF) to send with the 401.
        QByteArray challenge;
    };

    void setTenant(const QByteArray &tenant) { m_tenant = tenant; }
    const QByteArray &tenant() const { return m_tenant; }
    void setBasicAuth(const QByteArray &user, const QByteArray &password);
    void setBearerToken(const QByteArray &token) { m_bearer = token; }
    bool hasBasicAuth() const { return !m_user.isEmpty(); }
    bool hasBearerToken() const { return !m_bearer.isEmpty(); }

    /*!
        Checks a request's `Authorization` and `X-Scope-OrgID` header values; credentials
        first, as the gateway stands in front of Loki. \a checkTenant is false for
        endpoints Loki serves without a tenant.
    */
    Verdict check(const QByteArray &authorization, const QByteArray &orgId, bool checkTenant) const;

private:
    Verdict checkCredentials(const QByteArray &authorization) const;

    QByteArray m_tenant;
    QByteArray m_user;
    QByteArray m_password;
    QByteArray m_bearer;
};

} // namespace LokiReceiverInternal
