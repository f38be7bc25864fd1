// SPDX-License-Identifier: MIT
#pragma once

#include <QtTest/QTest>

/*
    Qt 6.4 starts a QProcess with clone(CLONE_VM | CLONE_VFORK): until it execs, the child
    runs on this process's stack and thread state, unseen by ThreadSanitizer, and the
    test's later use of that stack then reads as a race. Tests that start a child program
    skip under ThreadSanitizer; the plain and the AddressSanitizer runs cover them.
*/
#if defined(__SANITIZE_THREAD__)
#  define QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN()                                               \
        QSKIP("starts a child process, which ThreadSanitizer cannot follow (vfork)")
#else
#  define QLOKI_SKIP_CHILD_PROCESS_UNDER_TSAN() static_cast<void>(0)
#endif
