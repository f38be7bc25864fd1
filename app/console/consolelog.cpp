// SPDX-License-Identifier: MIT
#include "consolelog.h"

Q_LOGGING_CATEGORY(lcConsole, "console")
