// SPDX-License-Identifier: MIT
#pragma once

#include "pipeline/pendingentry_p.h"

#include <QLoki/lokitypes.h>

#include <QtCore/QtGlobal>

class LokiLoggerPrivate;

namespace QLoki::detail {

/*!
    The Qt message handler hook: one process-wide handler that chains to the handler it
    replaced and hands Qt's messages to the LokiLogger that owns it.

    Everything it keeps is constant-initialised and trivially destructible, so the
    handler may run on any thread, before the QCoreApplication exists, after it is gone
    and during static destruction. It allocates no QObject.

    Lifetime: the owner is an atomic pointer that the handler only follows while counted
    as a call in progress, and only around a push that does not wait for delivery.
    uninstall() clears the pointer; waitForCalls() then waits until no call is counted,
    after which no handler call can still use the logger it had before. No lock is held
    while appending, so a call that waits for room does not hold up other threads.
*/
class MessageHandler
{
public:
    //! Makes \a d the owner (moving the hook from another logger) and installs the
    //! handler into Qt when it is not in Qt's chain yet.
    static void install(LokiLoggerPrivate *d, Level minimumLevel);
    //! When \a d owns the hook: clears the owner and restores the previous handler.
    //! Returns whether \a d was the owner.
    static bool uninstall(LokiLoggerPrivate *d);
    //! Returns once no handler call still uses an owner it loaded before.
    static void waitForCalls();
    //! \a d was started again (LokiLogger::init()): when it owns the hook, the hook reads
    //! its settings again (whether it keeps a context ring).
    static void ownerRestarted(LokiLoggerPrivate *d);

    //! Marks the calling thread as one of QLoki's own (the sender thread): its messages
    //! go only to the previous handler.
    static void markInternalThread();
    //! A push of a QLoki logger went on the wire / ended.
    static void pushStarted();
    static void pushEnded();
    //! Qt's network stack (qt.network.*, qt.tlsbackend.*).
    static bool isNetworkCategory(const char *category);
    //! Whether the calling thread is the process's main thread (asked once per thread).
    static bool isMainThread();

    //! Set while the logger itself is logging on this thread; nestable.
    class Busy
    {
    public:
        Busy();
        ~Busy();
        Q_DISABLE_COPY_MOVE(Busy)
    };

    //! The level of a Qt message type (never compare QtMsgType values numerically).
    static Level levelFor(QtMsgType type);
    //! Whether messages of \a category (never null) go only to the previous handler.
    static bool isOwnCategory(const char *category);
    //! The entry for a message: labels, metadata and line; not yet stamped.
    static PendingEntry entryFor(QtMsgType type, const QMessageLogContext &context,
                                 const QString &message);
    //! The `thread` metadata of the calling thread (see LokiLogger::installMessageHandler()).
    static QString currentThreadName();
};

} // namespace QLoki::detail
