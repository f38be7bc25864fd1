// SPDX-License-Identifier: MIT
// Redactor::isSecretName(): a key named like a secret (see redactionkeys_p.h).
#include "pipeline/redactionkeys_p.h"
#include "pipeline/redactor_p.h"

namespace QLoki::detail {

using namespace redactionkeys;

bool Redactor::isSecretName(QStringView name)
{
    return classifyKey(name.utf16(), name.size()) != KeyKind::None;
}

bool Redactor::isSecretName(QLatin1StringView name)
{
    const auto *bytes = reinterpret_cast<const uchar *>(name.data());
    return classifyKey(bytes, name.size()) != KeyKind::None;
}

bool Redactor::isSecretName(QUtf8StringView name)
{
    if (!QtPrivate::isAscii(QLatin1StringView(name.data(), name.size())))
        return isSecretName(QStringView(name.toString()));
    return isSecretName(QLatin1StringView(name.data(), name.size()));
}

} // namespace QLoki::detail
