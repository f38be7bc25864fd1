// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>
#include <QLoki/qloki_export.h>
#include <QLoki/qlokiversion.h>

/*!
    The version of the QLoki library in use at run time, "major.minor.patch"; compare with
    QLOKI_VERSION_STR, the version of the headers a program was built with.
*/
QLOKI_EXPORT const char *qlokiVersion() noexcept;
