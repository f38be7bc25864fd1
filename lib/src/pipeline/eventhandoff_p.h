// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>

/*
    Posting an event to another thread happens before its delivery there: Qt guarantees it
    with its own lock, which ThreadSanitizer cannot see in an uninstrumented Qt. QLoki states
    the guarantee for the events it posts itself: they are posted with
    QLoki::detail::postHandedOver(), and the target's event() starts with
    QLOKI_EVENT_DELIVERED(this). Both add nothing unless built with -fsanitize=thread.
*/
#if defined(__SANITIZE_THREAD__)
#  include <sanitizer/tsan_interface.h>
#  define QLOKI_EVENT_DELIVERED(target) __tsan_acquire(static_cast<void *>(target))
#else
#  define QLOKI_EVENT_DELIVERED(target) static_cast<void>(target)
#endif

namespace QLoki::detail {

//! QCoreApplication::postEvent(), telling ThreadSanitizer that everything done before,
//! the making of \a event included, happens before its delivery to \a target.
inline void postHandedOver(QObject *target, QEvent *event)
{
#if defined(__SANITIZE_THREAD__)
    __tsan_release(static_cast<void *>(target));
#endif
    QCoreApplication::postEvent(target, event);
}

} // namespace QLoki::detail
