// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QLoggingCategory>

// The console's own messages ("console"). Not under "qloki.": those are the library's
// diagnostics, which the message hook never sends, while these are meant to be captured
// when "Capture this console's Qt messages" is on.
Q_DECLARE_LOGGING_CATEGORY(lcConsole)
