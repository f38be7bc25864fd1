// SPDX-License-Identifier: MIT
// Linked into every test program of a ThreadSanitizer build (QLOKI_SANITIZE=thread), never
// into the library. Qt comes from Debian, uninstrumented: it hands a posted event to the
// receiving thread under its own futex-based lock, which TSan cannot see, so every value
// that crosses threads in a queued signal or an invokeMethod() would look like a race.
//
// This file states Qt's guarantee in TSan's terms, and nothing more: QCoreApplication::
// postEvent() ends by waking the receiving thread's GLib main context, so that wake-up
// releases the context; and an event delivered on a thread acquires the context that the
// thread runs. Posting therefore happens before the delivery, as Qt promises.
#include <QtCore/qnamespace.h>

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

namespace {

using ContextFn = void *(*)();

//! \a context, or GLib's global default context (the main thread's) when it is null.
void *orDefault(void *context)
{
    static const auto globalDefault =
        reinterpret_cast<ContextFn>(dlsym(RTLD_DEFAULT, "g_main_context_default"));
    return context || !globalDefault ? context : globalDefault();
}

void *currentContext()
{
    // Qt pushes each thread's context as its thread default; GLib reports the global
    // default context (the main thread's) as null.
    static const auto threadDefault =
        reinterpret_cast<ContextFn>(dlsym(RTLD_DEFAULT, "g_main_context_get_thread_default"));
    return orDefault(threadDefault ? threadDefault() : nullptr);
}

bool acquireOnDelivery(void **)
{
    if (void *context = currentContext())
        __tsan_acquire(context);
    return false; // observe only: Qt delivers the event as usual
}

const bool registered =
    QInternal::registerCallback(QInternal::EventNotifyCallback, acquireOnDelivery);

} // namespace

// QEventDispatcherGlib::wakeUp() calls this in GLib through the PLT, so the definition in
// the test program comes first.
extern "C" void g_main_context_wakeup(void *context)
{
    using WakeupFn = void (*)(void *);
    static const auto real = reinterpret_cast<WakeupFn>(dlsym(RTLD_NEXT, "g_main_context_wakeup"));
    if (void *target = orDefault(context))
        __tsan_release(target);
    (void)registered;
    real(context);
}
