// SPDX-License-Identifier: MIT
#pragma once

/*
    Posting an event to another thread happens before its delivery there: Qt guarantees it
    with its own lock, which ThreadSanitizer cannot see in an uninstrumented Qt. QLoki states
    the guarantee for the events it posts itself: QLOKI_EVENT_POSTED(target) after the event
    is made and right before QCoreApplication::postEvent(target, event), and
    QLOKI_EVENT_DELIVERED(target) first thing in the target's event(). Both compile to nothing unless built with -fsanitize=thread.
*/
#if defined(__SANITIZE_THREAD__)
#  include <sanitizer/tsan_interface.h>
#  define QLOKI_EVENT_POSTED(target) __tsan_release(static_cast<void *>(target))
#  define QLOKI_EVENT_DELIVERED(target) __tsan_acquire(static_cast<void *>(target))
#else
#  define QLOKI_EVENT_POSTED(target) static_cast<void>(target)
#  define QLOKI_EVENT_DELIVERED(target) static_cast<void>(target)
#endif
