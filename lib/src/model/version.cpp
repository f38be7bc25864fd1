// SPDX-License-Identifier: MIT
#include <QLoki/qlokiglobal.h>

const char *qlokiVersion() noexcept
{
    return QLOKI_VERSION_STR;
}
