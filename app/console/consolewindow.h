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
*/
class ConsoleWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Tab { Connection, Send, Faults, ReadBack };

    struct Options
    {
        //! Read the form from QSettings at start and write it back at close.
        bool useSettings = true;
    };

    explicit ConsoleWindow(QWidget *parent = nullptr);
    explicit ConsoleWindow(const Options &options, QWidget *parent = nullptr);
    //! Stops a running burst, then flushes and stops the logger (bounded).
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

public Q_SLOTS:
    //! (Re)initialises the logger from the Connection tab; false when it was refused.
    bool applyConnection();
    //! Logs the entry of the Send tab (on a worker thread).
    void sendEntry();
    //! Starts the burst of the Send tab; false when one is running.
    bool startBurst();
    void stopBurst();
    //! Sends this program's Qt messages (qDebug() and friends) to the logger, or stops.
    bool setCaptureQtMessages(bool capture);
    //! Draws the statistics now and adds a chart point (the timer does so every second).
    void sampleStats();

Q_SIGNALS:
    //! After every Apply, with its outcome.
    void applied(bool ok);
    //! After sendEntry()'s entry was handed to the logger.
    void entrySent();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void connectLogger();
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
    QTimer m_sampleTimer;
    QThreadPool m_sendPool;
    bool m_builtinActive = true;
    bool m_receiverOk = false;
};
