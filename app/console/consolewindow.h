// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QThreadPool>
#include <QtCore/QTimer>
#include <QtWidgets/QMainWindow>

class BurstGenerator;
class ConnectionPanel;
class EventModel;
class FaultsPanel;
class LokiLogger;
class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;
class ReadBackPanel;
class ReadyCheck;
class ReceiverHost;
class SendPanel;
class StatusPanel;

/*!
    The Loki Console: a LokiLogger configured from the Connection tab, entries and
    bursts from the Send tab, the logger's state and counters in the Status area, every
    push outcome in the Events table, faults injected into the built-in receiver, and
    the entries read back from Loki.

    Every part is reachable for tests through the accessors below, and every input
    widget has an objectName.

    The GUI thread never waits for the built-in receiver (ReceiverHost posts to it) nor
    for a burst's workers. The window starts asynchronously: once the receiver listens and
    the stored secrets are read, the first Apply runs and ready() follows. Apply and
    closing wait for the logger at most LokiConfig::shutdownTimeout() (the restart's flush,
    the shutdown), under every overflow policy.
*/
class ConsoleWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Tab { Connection, Send, Faults, ReadBack };

    struct Options
    {
        //! Read the form from QSettings (secrets from the keychain) at start and write it
        //! back at close (secrets at Apply). Without it, secrets stay in this session.
        bool useSettings = true;
    };

    explicit ConsoleWindow(QWidget *parent = nullptr);
    explicit ConsoleWindow(const Options &options, QWidget *parent = nullptr);
    //! Stops a running burst, then flushes and stops the logger (at most its
    //! shutdownTimeout; the shutdown also releases burst workers waiting for room).
    ~ConsoleWindow() override;

    ReceiverHost *receiver() const { return m_receiver; }
    LokiLogger *logger() const { return m_logger; }
    ConnectionPanel *connectionPanel() const { return m_connection; }
    SendPanel *sendPanel() const { return m_send; }
    StatusPanel *statusPanel() const { return m_status; }
    FaultsPanel *faultsPanel() const { return m_faults; }
    ReadBackPanel *readBackPanel() const { return m_readBack; }
    EventModel *eventModel() const { return m_events; }
    BurstGenerator *burstGenerator() const { return m_burst; }
    QTabWidget *tabs() const { return m_tabs; }
    void showTab(Tab tab);

    //! Whether the last successful Apply uses the built-in receiver.
    bool isBuiltinActive() const { return m_builtinActive; }
    //! Whether the first Apply has run (see ready()).
    bool isReady() const { return m_ready; }
    //! The reachability check of the last Apply.
    ReadyCheck *readyCheck() const { return m_check; }

public Q_SLOTS:
    //! (Re)initialises the logger from the Connection tab and starts checking that Loki
    //! answers (connectionChecked() follows); false when it was refused.
    bool applyConnection();
    //! Logs the entry of the Send tab (on a worker thread).
    void sendEntry();
    //! Starts the burst of the Send tab; false when one is running.
    bool startBurst();
    //! Asks the burst to stop; returns at once (see BurstGenerator::stop()).
    void stopBurst();
    //! Sends this program's Qt messages (qDebug() and friends) to the logger, or stops.
    bool setCaptureQtMessages(bool capture);
    //! Draws the statistics now and adds a chart point (the timer does so every second).
    void sampleStats();

Q_SIGNALS:
    //! Once, after the first Apply.
    void ready();
    //! After every Apply, with its outcome.
    void applied(bool ok);
    //! After the reachability check that follows a successful Apply.
    void connectionChecked(bool reachable);
    //! After sendEntry()'s entry was handed to the logger.
    void entrySent();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void connectLogger();
    //! The first Apply, once the receiver has started and the secrets are read (or
    //! have taken too long).
    void applyWhenStarted();
    void loadSettings();
    void saveSettings() const;
    void updateStatusBar();

    Options m_options;
    ReceiverHost *m_receiver;
    LokiLogger *m_logger;
    BurstGenerator *m_burst;
    EventModel *m_events;
    ConnectionPanel *m_connection = nullptr;
    SendPanel *m_send = nullptr;
    StatusPanel *m_status = nullptr;
    FaultsPanel *m_faults = nullptr;
    ReadBackPanel *m_readBack = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_eventsView = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_rightSplitter = nullptr;
    QLabel *m_receiverStatus = nullptr;
    ReadyCheck *m_check;
    QTimer m_sampleTimer;
    QTimer m_secretsTimeout;
    QThreadPool m_sendPool;
    bool m_builtinActive = true;
    bool m_ready = false;
};
