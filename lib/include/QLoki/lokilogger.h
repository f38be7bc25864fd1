// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/lokiconfig.h>
#include <QLoki/lokifield.h>
#include <QLoki/lokistats.h>
#include <QLoki/lokitypes.h>

#include <QtCore/QMetaMethod>
#include <QtCore/QObject>
#include <QtCore/QVariantMap>

#include <chrono>
#include <initializer_list>
#include <memory>

class LokiLoggerPrivate;

/*!
    Ships log entries to Grafana Loki.

    Any thread may log through a LokiLogger; in asynchronous mode (the default) a call
    appends the entry to a bounded buffer and returns without touching the network. A
    sender thread groups entries into streams and pushes them when a batch is full, when
    LokiConfig::flushInterval() passes, on flush() and at exit. Failed pushes are retried
    with exponential backoff and jitter (429 and 5xx answers, network errors, timeouts);
    other 4xx answers are not retried. Every accepted entry ends up delivered or dropped
    with a reason, and stats() always satisfies
    `accepted == delivered + dropped + pending`.

    Fields are read as in the Python SDK: a key starting with `label_` is a stream label
    (prefix removed), the key `labels` holds a map of labels, every other key is
    structured metadata. Every stream also carries `app`, `environment` and `level`.

    \code
    LokiLogger logger;
    if (!logger.init(LokiConfig().setAppName("demo-cpp")))
        qWarning() << logger.error() << logger.errorString();
    logger.info("user login ok", {{"label_user_id", "12345"}, {"label_action", "login"}});
    logger.info("payment", {{"operation_type", "payment"}, {"amount", 100.50}});
    logger.flush();
    \endcode

    Signals are emitted in the thread the logger lives in, so widgets can connect to them
    directly. Destroying the logger flushes with LokiConfig::shutdownTimeout().
*/
class QLOKI_EXPORT LokiLogger : public QObject
{
    Q_OBJECT
    //! The delivery state; see state() and stateChanged().
    Q_PROPERTY(QLoki::State state READ state NOTIFY stateChanged)
    //! The counters; see stats() and statsChanged().
    Q_PROPERTY(LokiStats stats READ stats NOTIFY statsChanged)

public:
    //! Why init() failed; error() tells which, errorString() says it in words.
    enum Error {
        NoError,                   //!< the last init() succeeded (or none was made)
        InvalidConfigurationError, //!< LokiConfig::validate() found problems
        NoApplicationError,        //!< no QCoreApplication exists yet
        TlsFileError, //!< a certificate or key file could be read but holds none (PEM)
    };
    Q_ENUM(Error)

    //! Constructs a stopped logger; call init() to start it.
    explicit LokiLogger(QObject *parent = nullptr);
    //! Constructs and calls init(\a config); check isInitialized() or error().
    explicit LokiLogger(const LokiConfig &config, QObject *parent = nullptr);
    //! Flushes pending entries (bounded by LokiConfig::shutdownTimeout()), then stops.
    ~LokiLogger() override;

    /*!
        Starts (or restarts) the logger with \a config. Returns false and leaves the
        logger stopped when validate() finds problems, when no QCoreApplication exists
        yet (the sender thread needs Qt's event loop), or when a TLS file holds no
        certificate or key; error() tells which and errorString() says why. A failed
        init() leaves a running logger as it was. A restart first flushes what the
        previous configuration had pending.
    */
    bool init(const LokiConfig &config);
    //! True between a successful init() and shutdown().
    bool isInitialized() const;
    //! The configuration of the last successful init().
    LokiConfig config() const;
    //! Why the last init() failed; NoError after a successful one.
    Error error() const;
    //! Why the last init() failed, in words; empty after a successful one.
    QString errorString() const;

    //! Logs \a message with \a fields read as in the Python SDK (see the class docs).
    void log(QLoki::Level level, const QString &message, const QVariantMap &fields = {});
    //! Logs \a message with explicit stream \a labels and structured \a metadata.
    void log(QLoki::Level level, const QString &message, const QMap<QString, QString> &labels,
             const QVariantMap &metadata);

    /*!
        Logs \a message with a braced list of \a fields, read as the same pairs in a
        QVariantMap are, without building one (see LokiField):
        `logger.info("login", {{"label_action", "login"}, {"user_id", id}})`.
    */
    void log(QLoki::Level level, const QString &message, std::initializer_list<LokiField> fields);

    //! Logs at QLoki::Level::Debug; see log().
    void debug(const QString &message, const QVariantMap &fields);
    //! Logs at QLoki::Level::Info; see log().
    void info(const QString &message, const QVariantMap &fields);
    //! Logs at QLoki::Level::Warning; see log().
    void warning(const QString &message, const QVariantMap &fields);
    //! Logs at QLoki::Level::Error; see log().
    void error(const QString &message, const QVariantMap &fields);
    //! Logs at QLoki::Level::Critical; see log().
    void critical(const QString &message, const QVariantMap &fields);

    // The braced-list forms: `logger.info("login", {{"user_id", id}})` binds to these.
    //! Logs at QLoki::Level::Debug; see log().
    void debug(const QString &message, std::initializer_list<LokiField> fields);
    //! Logs at QLoki::Level::Info; see log().
    void info(const QString &message, std::initializer_list<LokiField> fields);
    //! Logs at QLoki::Level::Warning; see log().
    void warning(const QString &message, std::initializer_list<LokiField> fields);
    //! Logs at QLoki::Level::Error; see log().
    void error(const QString &message, std::initializer_list<LokiField> fields);
    //! Logs at QLoki::Level::Critical; see log().
    void critical(const QString &message, std::initializer_list<LokiField> fields);

    /*!
        Logs every emission of \a signal of \a sender at \a level, with the signal's
        arguments as structured metadata named after its parameters (`arg0`, `arg1`... when
        moc did not record names) plus `signal` (its name). The line is \a message, or the
        signal's name when empty. Arguments are rendered as field values are (numbers,
        dates, lists and maps as JSON); a type QVariant cannot hold is logged by its name.
        Works across threads (the logging call is thread-safe); the connection ends when
        sender or logger is destroyed, or with QObject::disconnect() on the result.

        \code
        logger.logSignal(&reply, &QNetworkReply::errorOccurred, QLoki::Level::Error,
                         "download failed");
        \endcode
    */
    QMetaObject::Connection logSignal(const QObject *sender, const QMetaMethod &signal,
                                      QLoki::Level level = QLoki::Level::Info,
                                      const QString &message = QString());
    //! logSignal() with a pointer to a signal, e.g. `&QProcess::finished`.
    template <typename Signal>
    QMetaObject::Connection logSignal(const typename QtPrivate::FunctionPointer<Signal>::Object *sender,
                                      Signal signal, QLoki::Level level = QLoki::Level::Info,
                                      const QString &message = QString())
    {
        return logSignal(sender, QMetaMethod::fromSignal(signal), level, message);
    }

    /*!
        Pushes everything pending now and waits until it is delivered or dropped, at most
        \a timeout (a negative value means LokiConfig::shutdownTimeout()). Returns true when
        nothing accepted before the call is still pending. Safe from any thread but the
        logger's own sender thread.
    */
    bool flush(std::chrono::milliseconds timeout = std::chrono::milliseconds(-1));

    /*!
        Pushes what is pending, counts what is still pending then as dropped with
        DropReason::Shutdown (or, with a disk spool, leaves it there for the next run) and
        stops the sender thread. Later logging calls are ignored until the next init().

        The whole exit has one deadline, LokiConfig::shutdownTimeout() from the first exit path
        that runs: QCoreApplication::aboutToQuit, the application's destruction, shutdown() or
        the destructor; the later ones wait only for what is left of it. With a spool, what
        cannot be pushed at once (Loki not answering) is written there and the exit is done.
    */
    void shutdown();

    /*!
        Sends Qt's own messages (qDebug(), qInfo(), qWarning(), qCritical(), qFatal() and
        their qC* forms) to this logger from \a minimumLevel up. Returns false, and changes
        nothing, when the logger is not initialized.

        The handler installed before (what qInstallMessageHandler() returned) is called
        first for every message, with the same arguments, so the console output stays as
        it was; messages below \a minimumLevel only go there, and to the logger's context
        ring when it has one (LokiConfig::contextEntries(): one ring per logger, shared by
        every thread and by the logging calls, so an error ships what the whole program said
        before it, each entry with its `thread`). Levels: QtDebugMsg is debug,
        QtInfoMsg info, QtWarningMsg warning, QtCriticalMsg error, QtFatalMsg critical.
        The category becomes the stream label `category` (left out for "default"), so
        QLoggingCategory filter rules keep deciding what is logged. Structured metadata:
        `file`, `line` and `function` when the build provides them (release builds only
        with QT_MESSAGELOGCONTEXT defined), and `thread`: "main" for the main thread, the
        system's name of the thread when it has one of its own (a QThread gets its
        objectName when it starts), else the native thread id; read once per thread, at
        its first message.

        Messages never go into the logger from categories starting with `qloki.`, from
        the sender threads of QLoki's loggers, or while the logger itself is logging on
        that thread: those only reach the previous handler. A message is appended without
        waiting for its delivery, also with LokiConfig::useSendBeacon() off (only
        OverflowPolicy::Block waits, for room). A qFatal() message is delivered, waiting at
        most 2 s, before the previous handler runs and Qt aborts; so are warnings and
        criticals while QT_FATAL_WARNINGS or QT_FATAL_CRITICALS is set (after the previous
        handler, as Qt aborts only once the handlers returned).

        One logger at a time owns the hook: installing it on another logger moves it there
        (the previous handler stays the one found first); installing it again on the owner
        changes the minimum level. shutdown() and the destructor uninstall it.
    */
    bool installMessageHandler(QLoki::Level minimumLevel = QLoki::Level::Debug);
    /*!
        Stops sending Qt's messages to this logger and reinstalls the previous handler, when
        this logger owns the hook (else does nothing). When another handler was installed
        on top of the hook since, that handler stays installed and the hook stays in its
        chain, passing every message on to the previous handler unchanged.
    */
    void uninstallMessageHandler();

    //! A consistent snapshot of the counters; callable from any thread.
    LokiStats stats() const;
    //! The delivery state; callable from any thread.
    QLoki::State state() const;

public Q_SLOTS:
    /*!
        Slots that log one QString at a level, for signals that carry text:
        \code
        connect(edit, &QLineEdit::returnPressed, &logger, [&] { logger.info(edit->text()); });
        connect(process, &QProcess::readyReadStandardError, &logger, [process, &logger] {
            logger.warning(QString::fromLocal8Bit(process->readAllStandardError()));
        });
        connect(validator, &Validator::problemFound, &logger,
                qOverload<const QString &>(&LokiLogger::warning));
        \endcode
    */
    void debug(const QString &message);
    //! Logs \a message at QLoki::Level::Info, without fields.
    void info(const QString &message);
    //! Logs \a message at QLoki::Level::Warning, without fields.
    void warning(const QString &message);
    //! Logs \a message at QLoki::Level::Error, without fields.
    void error(const QString &message);
    //! Logs \a message at QLoki::Level::Critical, without fields.
    void critical(const QString &message);

Q_SIGNALS:
    //! Emitted when the delivery state changes (at most once per push outcome).
    void stateChanged(QLoki::State state);
    //! Emitted once for every push Loki acknowledged.
    void batchDelivered(int entries, qint64 bytes, int httpStatus, qint64 latencyMs);
    /*!
        Emitted once for every failed try of a push. \a willRetry tells whether the batch
        is tried again (or kept in the offline buffer); when false its entries are dropped
        and entriesDropped() follows. \a httpStatus is 0 for network errors. When Loki
        refused some entries of a push and stored the others (a 400 names them), \a entries
        counts the refused ones and batchDelivered() the stored ones.
    */
    void batchFailed(int entries, int httpStatus, const QString &error, bool willRetry);
    //! Emitted whenever entries are dropped, with the reason and a detail in words.
    void entriesDropped(int count, QLoki::DropReason reason, const QString &detail);
    //! Emitted when the counters changed, at most every 100 ms.
    void statsChanged(const LokiStats &stats);

private:
    Q_DECLARE_PRIVATE(LokiLogger)
    std::unique_ptr<LokiLoggerPrivate> const d_ptr;
};
