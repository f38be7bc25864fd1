// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qcompilerdetection.h>

// For the thread_local variables that every logging call touches. In a shared library the
// default TLS model goes through __tls_get_addr() on each access; initial-exec is a plain
// offset from the thread pointer, and these few bytes fit the static TLS that glibc keeps
// spare for libraries loaded later (the QML plugin loads QLoki with dlopen()). Only for
// constant-initialised, trivially destructible variables.
#if defined(Q_CC_GNU) || defined(Q_CC_CLANG)
#  define QLOKI_FAST_TLS __attribute__((tls_model("initial-exec")))
#else
#  define QLOKI_FAST_TLS
#endif
