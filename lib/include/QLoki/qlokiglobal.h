// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>
#include <QLoki/qloki_export.h>
