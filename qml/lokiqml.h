// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QObject>
#include <QtCore/QProperty>
#include <QtCore/QString>
#include <QtCore/QVariantMap>
#include <QtQml/qqmlregistration.h>

/*!
    The `Loki` singleton of `import QLoki`: a thin proxy over Loki::instance(), the default
    logger of the library.

    \code
    import QLoki

    Button {
        text: "Pay (" + Loki.delivered + " delivered)"
        onClicked: Loki.info("payment", { label_component: "ui", labels: { screen: "main" },
                                          amount: 100.5 })
    }
    \endcode

    `fields` is a JS object read as in the Python SDK: a key starting with `label_` is a
    stream label (prefix removed), `labels` holds an object of labels, every other key is
    structured metadata. Logging before the logger was initialised (from C++ with
    Loki::init() or from QML with init()) does nothing.

    The properties are snapshots of LokiLogger::stats() and LokiLogger::state(), refreshed in
    the singleton's thread (the GUI thread) whenever the logger emits statsChanged() or
    stateChanged() (at most every 100 ms), and right after init() and flush(). Each one
    notifies only when its value changed.
*/
class LokiQml : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Loki)
    QML_SINGLETON

    //! "Online", "Retrying", "Offline" or "Stopped".
    Q_PROPERTY(QString state READ state NOTIFY stateChanged BINDABLE bindableState)
    //! The same state as Loki.Online, Loki.Retrying, Loki.Offline or Loki.Stopped.
    Q_PROPERTY(State stateCode READ stateCode NOTIFY stateCodeChanged BINDABLE bindableStateCode)
    Q_PROPERTY(bool initialized READ isInitialized NOTIFY initializedChanged BINDABLE
                       bindableInitialized)
    //! Entries taken by a logging call (after the level filter).
    Q_PROPERTY(qint64 accepted READ accepted NOTIFY acceptedChanged BINDABLE bindableAccepted)
    //! Entries Loki acknowledged.
    Q_PROPERTY(qint64 delivered READ delivered NOTIFY deliveredChanged BINDABLE bindableDelivered)
    //! Entries dropped, for any reason.
    Q_PROPERTY(qint64 dropped READ dropped NOTIFY droppedChanged BINDABLE bindableDropped)
    //! Entries accepted but neither delivered nor dropped yet.
    Q_PROPERTY(qint64 pending READ pending NOTIFY pendingChanged BINDABLE bindablePending)
    //! Pending entries waiting for a retry or the next flush.
    Q_PROPERTY(qint64 buffered READ buffered NOTIFY bufferedChanged BINDABLE bindableBuffered)
    //! Tries of a push after its first one.
    Q_PROPERTY(qint64 retries READ retries NOTIFY retriesChanged BINDABLE bindableRetries)
    //! The last failure in words; empty after a success.
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged BINDABLE bindableLastError)
    //! Why the last init() failed; empty after a successful one.
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged BINDABLE
                       bindableErrorString)

public:
    //! Mirrors QLoki::State (same values).
    enum State { Online, Retrying, Offline, Stopped };
    Q_ENUM(State)

    explicit LokiQml(QObject *parent = nullptr);
    ~LokiQml() override;

    /*!
        Starts (or restarts) the default logger from a JS object. Keys are those of
        LokiConfig::fromJson(), in snake_case or camelCase (`appName`, `environment`,
        `endpoints`, `flushInterval` in seconds, `staticLabels`, `minimumLevel`, ...), plus
        `url`, the Loki base or push URL. Options not given keep their defaults, after the
        LOKI_* environment variables were applied. Returns false and sets errorString when
        the object cannot be read or the configuration is invalid.
    */
    Q_INVOKABLE bool init(const QVariantMap &config);

    //! Logs \a message at \a level ("debug", "info", "warning" or "warn", "error",
    //! "critical"); returns false, logging nothing, when the level is unknown.
    Q_INVOKABLE bool log(const QString &level, const QString &message,
                         const QVariantMap &fields = {});
    Q_INVOKABLE void debug(const QString &message, const QVariantMap &fields = {});
    Q_INVOKABLE void info(const QString &message, const QVariantMap &fields = {});
    Q_INVOKABLE void warning(const QString &message, const QVariantMap &fields = {});
    Q_INVOKABLE void error(const QString &message, const QVariantMap &fields = {});
    Q_INVOKABLE void critical(const QString &message, const QVariantMap &fields = {});

    /*!
        Pushes everything pending and waits until it is delivered or dropped, at most
        \a timeoutMs milliseconds (negative: LokiConfig::shutdownTimeout()). It blocks the
        calling thread, so keep it for the end of a session or for tests. Returns true
        when nothing accepted before the call is still pending.
    */
    Q_INVOKABLE bool flush(int timeoutMs = -1);

    /*!
        Sends Qt's messages, console.log() and friends included (category "qml"), to the
        default logger from \a minimumLevel up ("debug" unless given). Returns false before
        the logger was initialised or for an unknown level.
    */
    Q_INVOKABLE bool installMessageHandler(const QString &minimumLevel = QStringLiteral("debug"));
    Q_INVOKABLE void uninstallMessageHandler();

    QString state() const { return m_state.value(); }
    QBindable<QString> bindableState() { return &m_state; }
    State stateCode() const { return m_stateCode.value(); }
    QBindable<State> bindableStateCode() { return &m_stateCode; }
    bool isInitialized() const { return m_initialized.value(); }
    QBindable<bool> bindableInitialized() { return &m_initialized; }
    qint64 accepted() const { return m_accepted.value(); }
    QBindable<qint64> bindableAccepted() { return &m_accepted; }
    qint64 delivered() const { return m_delivered.value(); }
    QBindable<qint64> bindableDelivered() { return &m_delivered; }
    qint64 dropped() const { return m_dropped.value(); }
    QBindable<qint64> bindableDropped() { return &m_dropped; }
    qint64 pending() const { return m_pending.value(); }
    QBindable<qint64> bindablePending() { return &m_pending; }
    qint64 buffered() const { return m_buffered.value(); }
    QBindable<qint64> bindableBuffered() { return &m_buffered; }
    qint64 retries() const { return m_retries.value(); }
    QBindable<qint64> bindableRetries() { return &m_retries; }
    QString lastError() const { return m_lastError.value(); }
    QBindable<QString> bindableLastError() { return &m_lastError; }
    QString errorString() const { return m_errorString.value(); }
    QBindable<QString> bindableErrorString() { return &m_errorString; }

Q_SIGNALS:
    void stateChanged();
    void stateCodeChanged();
    void initializedChanged();
    void acceptedChanged();
    void deliveredChanged();
    void droppedChanged();
    void pendingChanged();
    void bufferedChanged();
    void retriesChanged();
    void lastErrorChanged();
    void errorStringChanged();

private:
    //! Takes a new snapshot of the default logger's state and counters.
    void refresh();

    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(LokiQml, QString, m_state, QStringLiteral("Stopped"),
                                         &LokiQml::stateChanged)
    Q_OBJECT_BINDABLE_PROPERTY_WITH_ARGS(LokiQml, State, m_stateCode, Stopped,
                                         &LokiQml::stateCodeChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, bool, m_initialized, &LokiQml::initializedChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_accepted, &LokiQml::acceptedChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_delivered, &LokiQml::deliveredChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_dropped, &LokiQml::droppedChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_pending, &LokiQml::pendingChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_buffered, &LokiQml::bufferedChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, qint64, m_retries, &LokiQml::retriesChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, QString, m_lastError, &LokiQml::lastErrorChanged)
    Q_OBJECT_BINDABLE_PROPERTY(LokiQml, QString, m_errorString, &LokiQml::errorStringChanged)
};
