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

namespace QLoki::detail {

/*!
    A \a T per thread that a logging call may ask for even while its thread ends: get()
    returns nullptr once the thread's \a T is destroyed, so that a call made from another
    thread_local's destructor (a Qt message through the hook, say) does without it instead
    of using freed memory. Each \a T is its own variable: give each use a type of its own.
*/
template<typename T>
class PerThread
{
public:
    static T *get() { return s_gone ? nullptr : &s_holder.value; }

private:
    struct Holder
    {
        T value;
        ~Holder() { s_gone = true; }
    };
    // Trivially destructible: readable after s_holder is gone.
    Q_CONSTINIT static inline thread_local bool s_gone QLOKI_FAST_TLS = false;
    static inline thread_local Holder s_holder;
};

} // namespace QLoki::detail
