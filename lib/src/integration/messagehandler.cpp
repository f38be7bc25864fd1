// SPDX-License-Identifier: MIT
#include "integration/messagehandler_p.h"
#include "logger/lokilogger_p.h"
#include "pipeline/threadlocal_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QThread>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>

#if defined(Q_OS_LINUX)
#include <cerrno> // program_invocation_short_name
#include <pthread.h>
#include <unistd.h>
#endif

namespace QLoki::detail {

namespace {

using namespace std::chrono_literals;

// How long a fatal message may wait for its delivery before Qt aborts.
constexpr std::chrono::milliseconds FatalDeadline = 2000ms;

// All of it constant-initialised and trivially destructible: the handler may run during
// static destruction, before and after everything else in the library.
Q_CONSTINIT QBasicMutex g_installMutex; // serialises install() and uninstall()
// Handler calls that may be using the owner they loaded; waitForCalls() waits for none.
// A count, not a lock: a call that waits for room (OverflowPolicy::Block) must not hold up
// every other thread's messages.
Q_CONSTINIT std::atomic<int> g_calls{0};
// Pushes of QLoki's loggers on the wire: Qt's network stack may speak meanwhile.
Q_CONSTINIT std::atomic<int> g_pushes{0};
Q_CONSTINIT std::atomic<LokiLoggerPrivate *> g_owner{nullptr};
Q_CONSTINIT std::atomic<QtMessageHandler> g_previous{nullptr};
Q_CONSTINIT std::atomic<int> g_minimumLevel{0};
// The owner had a context ring when it took the hook or was last started: messages below
// g_minimumLevel are worth an entry. A hint only; the owner's own setting decides.
Q_CONSTINIT std::atomic<bool> g_ownerKeepsContext{false};
bool g_inChain = false; // our handler is in Qt's chain; guarded by g_installMutex

// Every logging call touches t_busy (QLOKI_FAST_TLS: see pipeline/threadlocal_p.h).
Q_CONSTINIT thread_local int t_busy QLOKI_FAST_TLS = 0;          // the logger itself is logging here
Q_CONSTINIT thread_local bool t_internal QLOKI_FAST_TLS = false; // a sender thread

// The `thread` field of the calling thread's entries, made at its first message and shared
// by all of them (copying it is a reference count, not an allocation). The maps live in a
// table that is never destroyed, as the handler runs during static destruction too; it is
// bounded, so a program that keeps creating threads of new names builds maps per message
// beyond that instead of growing it.
Q_CONSTINIT QBasicMutex g_threadFieldsMutex;

const QVariantMap *threadFields()
{
    Q_CONSTINIT thread_local const QVariantMap *t_fields = nullptr;
    if (Q_LIKELY(t_fields))
        return t_fields;
    const QString name = MessageHandler::currentThreadName();
    const QMutexLocker lock(&g_threadFieldsMutex);
    static auto *const table = new QHash<QString, const QVariantMap *>;
    if (const auto it = table->constFind(name); it != table->cend()) {
        t_fields = it.value();
    } else if (table->size() < 1024) {
        t_fields = new QVariantMap {{QStringLiteral("thread"), name}};
        table->insert(name, t_fields);
    }
    return t_fields;
}

QtMessageHandler previousHandler()
{
    QtMessageHandler previous = g_previous.load(std::memory_order_acquire);
    if (Q_UNLIKELY(!previous)) {
        // Qt already calls us, but install() has not stored what it replaced yet.
        const QMutexLocker lock(&g_installMutex);
        previous = g_previous.load(std::memory_order_acquire);
    }
    return previous;
}

// Whether Qt aborts after this message: always on qFatal(), and on warnings or criticals
// when QT_FATAL_WARNINGS or QT_FATAL_CRITICALS ask for it. Those count down in Qt; a few
// flushes more than needed cost nothing but time.
bool mayAbort(QtMsgType type)
{
    switch (type) {
    case QtFatalMsg:
        return true;
    case QtCriticalMsg:
        return qEnvironmentVariableIsSet("QT_FATAL_CRITICALS")
            || qEnvironmentVariableIsSet("QT_FATAL_WARNINGS");
    case QtWarningMsg:
        return qEnvironmentVariableIsSet("QT_FATAL_WARNINGS");
    case QtDebugMsg:
    case QtInfoMsg:
        break;
    }
    return false;
}

void deliver(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (t_busy > 0 || t_internal || !g_owner.load(std::memory_order_acquire))
        return;
    const char *category = context.category ? context.category : "default";
    if (MessageHandler::isOwnCategory(category))
        return;
    const Level level = MessageHandler::levelFor(type);
    // Below the hook's level a message goes to the owner's context ring, if it has one
    // (LokiConfig::contextEntries()); what the owner keeps is only known in a counted call.
    const bool forContext = int(level) < g_minimumLevel.load(std::memory_order_relaxed);
    if (forContext && !g_ownerKeepsContext.load(std::memory_order_relaxed))
        return;
    // Qt's network stack runs QLoki's pushes on threads of its own: what it says there
    // while a push is on the wire is about that push, and logging it would make the next.
    const bool network = MessageHandler::isNetworkCategory(category);
    if (network && g_pushes.load(std::memory_order_acquire) > 0
        && !MessageHandler::isMainThread()) {
        return;
    }

    const MessageHandler::Busy busy;
    PendingEntry entry = MessageHandler::entryFor(type, context, message);
    g_calls.fetch_add(1, std::memory_order_seq_cst);
    if (LokiLoggerPrivate *d = g_owner.load(std::memory_order_seq_cst)) {
        if (forContext) {
            if (d->contextEntries.load(std::memory_order_relaxed) > 0)
                d->keepForContext(std::move(entry));
        } else {
            // Qt's network threads carry the pushes that make room: they never wait for it.
            const quint64 seq = d->accept(std::move(entry), !network);
            if (seq != 0 && mayAbort(type))
                d->flush(FatalDeadline);
        }
    }
    g_calls.fetch_sub(1, std::memory_order_release);
}

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QtMessageHandler previous = previousHandler();
    if (type == QtFatalMsg) {
        // A handler may abort by itself on a fatal message, and Qt aborts as soon as the
        // chain returns: the entry has to be out before the previous handler runs.
        deliver(type, context, message);
        if (previous)
            previous(type, context, message);
        return;
    }
    if (previous)
        previous(type, context, message);
    deliver(type, context, message);
}

} // namespace

void MessageHandler::install(LokiLoggerPrivate *d, Level minimumLevel)
{
    const QMutexLocker lock(&g_installMutex);
    g_minimumLevel.store(int(minimumLevel), std::memory_order_relaxed);
    g_ownerKeepsContext.store(d->contextEntries.load(std::memory_order_relaxed) > 0,
                              std::memory_order_relaxed);
    g_owner.store(d, std::memory_order_release);
    if (!g_inChain) {
        // Calls racing with the exchange below wait in previousHandler() for its result.
        g_previous.store(nullptr, std::memory_order_release);
        g_previous.store(qInstallMessageHandler(messageHandler), std::memory_order_release);
        g_inChain = true;
    }
}

bool MessageHandler::uninstall(LokiLoggerPrivate *d)
{
    const QMutexLocker lock(&g_installMutex);
    LokiLoggerPrivate *expected = d;
    if (!g_owner.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel))
        return false;
    if (g_inChain) {
        // Qt can only exchange handlers, so the one on top is learnt by replacing it.
        const QtMessageHandler top = qInstallMessageHandler(g_previous.load(std::memory_order_acquire));
        if (top == messageHandler) {
            g_inChain = false;
        } else {
            // Another handler was installed on top of ours and chains to it: putting ours'
            // predecessor in its place would cut it off. Ours stays in its chain and, with no
            // owner, only passes messages on.
            qInstallMessageHandler(top);
        }
    }
    return true;
}

void MessageHandler::ownerRestarted(LokiLoggerPrivate *d)
{
    const QMutexLocker lock(&g_installMutex);
    if (g_owner.load(std::memory_order_acquire) == d)
        g_ownerKeepsContext.store(d->contextEntries.load(std::memory_order_relaxed) > 0,
                                  std::memory_order_relaxed);
}

void MessageHandler::waitForCalls()
{
    // The owner was cleared before (seq_cst on both sides): a call that comes later sees
    // no owner, one that saw it is counted. Calls are short once the queue refuses.
    while (g_calls.load(std::memory_order_acquire) > 0)
        QThread::yieldCurrentThread();
}

void MessageHandler::pushStarted()
{
    g_pushes.fetch_add(1, std::memory_order_release);
}

void MessageHandler::pushEnded()
{
    g_pushes.fetch_sub(1, std::memory_order_release);
}

bool MessageHandler::isNetworkCategory(const char *category)
{
    return qstrncmp(category, "qt.network", 10) == 0 || qstrncmp(category, "qt.tlsbackend", 13) == 0;
}

void MessageHandler::markInternalThread()
{
    t_internal = true;
}

MessageHandler::Busy::Busy()
{
    ++t_busy;
}

MessageHandler::Busy::~Busy()
{
    --t_busy;
}

Level MessageHandler::levelFor(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return Level::Debug;
    case QtInfoMsg:
        return Level::Info;
    case QtWarningMsg:
        return Level::Warning;
    case QtCriticalMsg:
        return Level::Error;
    case QtFatalMsg:
        return Level::Critical;
    }
    return Level::Critical; // a type added by a later Qt: rather seen than lost
}

bool MessageHandler::isOwnCategory(const char *category)
{
    return qstrncmp(category, "qloki.", 6) == 0;
}

PendingEntry MessageHandler::entryFor(QtMsgType type, const QMessageLogContext &context,
                                      const QString &message)
{
    PendingEntry entry;
    entry.level = levelFor(type);
    entry.explicitLabels = true;
    entry.line = message;
    if (const QVariantMap *fields = threadFields())
        entry.fields = *fields;
    else
        entry.fields.insert(QStringLiteral("thread"), currentThreadName());
    if (context.category && qstrcmp(context.category, "default") != 0)
        entry.labels.insert(QStringLiteral("category"), QString::fromUtf8(context.category));
    // Release builds leave these null unless the application defines QT_MESSAGELOGCONTEXT.
    if (context.file) {
        entry.fields.insert(QStringLiteral("file"), QString::fromUtf8(context.file));
        entry.fields.insert(QStringLiteral("line"), context.line);
    }
    if (context.function)
        entry.fields.insert(QStringLiteral("function"), QString::fromUtf8(context.function));
    return entry;
}

bool MessageHandler::isMainThread()
{
#if defined(Q_OS_LINUX)
    Q_CONSTINIT thread_local qint8 t_main = -1;
    if (Q_UNLIKELY(t_main < 0))
        t_main = gettid() == getpid() ? 1 : 0;
    return t_main == 1;
#else
    const QCoreApplication *app = QCoreApplication::instance();
    return app && QThread::currentThread() == app->thread();
#endif
}

QString MessageHandler::currentThreadName()
{
    // QThread::currentThread() would create a QObject on a thread Qt does not know yet,
    // so the name comes from the system, where QThread::start() puts the objectName.
    // Asking it takes system calls, so each thread asks once, at its first message, and
    // keeps the answer in trivially destructible storage (safe during static destruction).
#if defined(Q_OS_LINUX)
    // Room for the 15 characters of a Linux thread name, or "main", or a decimal id.
    struct CachedName
    {
        char text[24];
        qint8 length; // < 0: not asked yet
    };
    Q_CONSTINIT thread_local CachedName t_name = {{}, -1};
    if (Q_UNLIKELY(t_name.length < 0)) {
        const pid_t tid = gettid();
        char name[16] = {};
        const char *text = nullptr;
        char id[24];
        if (tid == getpid()) {
            text = "main";
        } else if (pthread_getname_np(pthread_self(), name, sizeof name) == 0
                   && name[0] != '\0'
                   // A new thread inherits its creator's name; only a name of its own tells
                   // it apart.
                   && qstrncmp(name, program_invocation_short_name, sizeof name - 1) != 0) {
            text = name;
        } else {
            std::snprintf(id, sizeof id, "%ld", long(tid));
            text = id;
        }
        const std::size_t n = qMin(std::strlen(text), sizeof t_name.text);
        std::memcpy(t_name.text, text, n);
        t_name.length = qint8(n);
    }
    return QString::fromLocal8Bit(t_name.text, t_name.length);
#else
    return QString::number(quintptr(QThread::currentThreadId()));
#endif
}

} // namespace QLoki::detail
