// SPDX-License-Identifier: MIT
#include "consolewindow.h"

#include "accessbox.h"
#include "burstgenerator.h"
#include "connectionpanel.h"
#include "consolelog.h"
#include "eventmodel.h"
#include "faultspanel.h"
#include "lokiaccess.h"
#include "readbackpanel.h"
#include "readycheck.h"
#include "receiverhost.h"
#include "sendpanel.h"
#include "statuspanel.h"

#include <QLoki/LokiLogger>

#include <QtCore/QLocale>
#include <QtCore/QSettings>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QScrollArea>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

#include <limits>

using namespace Qt::StringLiterals;

namespace {

// A tab whose content scrolls instead of being squeezed when the window is small.
QWidget *scrolling(QWidget *content)
{
    auto *area = new QScrollArea;
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

ConsoleWindow::ConsoleWindow(QWidget *parent)
    : ConsoleWindow(Options(), parent)
{ }

ConsoleWindow::ConsoleWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_receiver(new ReceiverHost(this))
    , m_logger(new LokiLogger(this))
    , m_burst(new BurstGenerator(this))
    , m_events(new EventModel(this))
    , m_check(new ReadyCheck(this))
{
    setObjectName(u"consoleWindow"_s);
    setWindowTitle(tr("Loki Console"));
    m_sendPool.setMaxThreadCount(1); // single entries keep the order they were sent in

    buildUi();
    connectLogger();
    connect(m_receiver, &ReceiverHost::started, this, [this] {
        m_connection->setBuiltinUrl(m_receiver->pushUrl());
        applyWhenStarted();
    });
    // Secrets come from the keychain, which may take its time (or ask the user): the first
    // Apply waits for them a few seconds at most.
    connect(m_connection->accessBox(), &AccessBox::secretsLoaded, this,
            &ConsoleWindow::applyWhenStarted);
    m_secretsTimeout.setSingleShot(true);
    m_secretsTimeout.setInterval(3000);
    connect(&m_secretsTimeout, &QTimer::timeout, this, &ConsoleWindow::applyWhenStarted);
    if (m_options.useSettings)
        loadSettings();
    else
        showTab(Tab::Send);
    m_secretsTimeout.start();
    m_receiver->start();

    m_sampleTimer.setInterval(1000);
    connect(&m_sampleTimer, &QTimer::timeout, this, &ConsoleWindow::sampleStats);
    m_sampleTimer.start();
    sampleStats();
}

ConsoleWindow::~ConsoleWindow()
{
    m_sampleTimer.stop();
    m_burst->stop();
    m_logger->uninstallMessageHandler();
    // Bounded by the logger's shutdownTimeout; once it stops accepting, a worker waiting
    // for room (OverflowPolicy::Block) returns, so that the joins below are short.
    m_logger->shutdown();
    m_sendPool.waitForDone();
    delete m_burst; // joins its workers before the logger they log to goes
    m_burst = nullptr;
}

void ConsoleWindow::applyWhenStarted()
{
    if (m_ready || !m_receiver->isStarted())
        return;
    if (m_connection->accessBox()->secretsPending() && m_secretsTimeout.isActive())
        return;
    m_secretsTimeout.stop();
    m_ready = true;
    applyConnection();
    Q_EMIT ready();
}

void ConsoleWindow::buildUi()
{
    m_connection = new ConnectionPanel(m_options.useSettings);
    m_connection->setObjectName(u"connectionPanel"_s);
    m_send = new SendPanel;
    m_send->setObjectName(u"sendPanel"_s);
    m_status = new StatusPanel;
    m_status->setObjectName(u"statusPanel"_s);
    m_faults = new FaultsPanel(m_receiver);
    m_faults->setObjectName(u"faultsPanel"_s);
    m_readBack = new ReadBackPanel;
    m_readBack->setObjectName(u"readBackPanel"_s);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(u"tabs"_s);
    m_tabs->addTab(scrolling(m_connection), tr("Connection"));
    m_tabs->addTab(scrolling(m_send), tr("Send"));
    m_tabs->addTab(scrolling(m_faults), tr("Faults"));
    m_tabs->addTab(m_readBack, tr("Read back"));

    m_eventsView = new QTableView;
    m_eventsView->setObjectName(u"eventsView"_s);
    m_eventsView->setModel(m_events);
    m_eventsView->verticalHeader()->setVisible(false);
    m_eventsView->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_eventsView->horizontalHeader()->setStretchLastSection(true);
    m_eventsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventsView->setAlternatingRowColors(true);
    m_eventsView->setWordWrap(false);
    const QList<QPair<int, int>> widths = {{EventModel::Time, 95},       {EventModel::Outcome, 120},
                                           {EventModel::Entries, 60},    {EventModel::Bytes, 70},
                                           {EventModel::HttpStatus, 60}, {EventModel::Refusal, 110},
                                           {EventModel::Latency, 70}};
    for (const auto &[column, width] : widths)
        m_eventsView->setColumnWidth(column, width);

    auto *eventsBox =
            new QGroupBox(tr("Events (newest first, the last %Ln)", nullptr, m_events->maxRows()));
    auto *eventsLayout = new QVBoxLayout(eventsBox);
    eventsLayout->addWidget(m_eventsView);

    m_rightSplitter = new QSplitter(Qt::Vertical);
    m_rightSplitter->setObjectName(u"rightSplitter"_s);
    m_rightSplitter->addWidget(m_status);
    m_rightSplitter->addWidget(eventsBox);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 2);
    m_rightSplitter->setChildrenCollapsible(false);
    m_rightSplitter->setSizes({470, 300});

    m_mainSplitter = new QSplitter(Qt::Horizontal);
    m_mainSplitter->setObjectName(u"mainSplitter"_s);
    m_mainSplitter->addWidget(m_tabs);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 2);
    m_mainSplitter->setStretchFactor(1, 3);
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->setSizes({470, 730});
    setCentralWidget(m_mainSplitter);

    m_receiverStatus = new QLabel;
    m_receiverStatus->setObjectName(u"receiverStatusLabel"_s);
    statusBar()->addWidget(m_receiverStatus, 1);

    connect(m_connection, &ConnectionPanel::applyRequested, this, &ConsoleWindow::applyConnection);
    connect(m_connection, &ConnectionPanel::captureQtMessagesChanged, this,
            &ConsoleWindow::setCaptureQtMessages);
    connect(m_send, &SendPanel::sendRequested, this, &ConsoleWindow::sendEntry);
    connect(m_send, &SendPanel::burstStartRequested, this, &ConsoleWindow::startBurst);
    connect(m_send, &SendPanel::burstStopRequested, this, &ConsoleWindow::stopBurst);
    connect(m_burst, &BurstGenerator::progressChanged, this, [this](int sent, int total) {
        if (m_burst->isStopping())
            m_send->setBurstStopping(m_burst->waitingCalls());
        m_send->setBurstProgress(sent, total);
    });
    connect(m_burst, &BurstGenerator::stopping, this, [this] {
        m_send->setBurstStopping(m_burst->waitingCalls());
        m_send->setBurstProgress(m_burst->sent(), m_burst->total());
        // Workers that wait for room leave when an Apply makes some (or stops the logger).
        m_connection->setApplyEnabled(true);
    });
    connect(m_burst, &BurstGenerator::finished, this,
            [](int sent) { qCInfo(lcConsole, "burst finished: %d entries logged", sent); });
    connect(m_burst, &BurstGenerator::runningChanged, this, [this](bool running) {
        m_send->setBurstRunning(running);
        m_connection->setApplyEnabled(!running, running ? tr("Stop the burst first") : QString());
    });
    connect(m_receiver, &ReceiverHost::snapshotChanged, this, &ConsoleWindow::updateStatusBar);
    connect(m_check, &ReadyCheck::finished, this, [this](ReadyCheck::Outcome outcome) {
        const bool reachable = outcome == ReadyCheck::Outcome::Reachable;
        m_connection->setApplyResult(
                m_check->summary(LokiAccess::baseUrlOf(m_logger->config().pushUrl())), !reachable);
        Q_EMIT connectionChecked(reachable);
    });
}

void ConsoleWindow::connectLogger()
{
    connect(m_logger, &LokiLogger::stateChanged, m_status, &StatusPanel::setState);
    connect(m_logger, &LokiLogger::statsChanged, m_status, &StatusPanel::setStats);
    connect(m_logger, &LokiLogger::batchDelivered, m_events, &EventModel::addDelivered);
    connect(m_logger, &LokiLogger::batchFailed, m_events, &EventModel::addFailed);
    connect(m_logger, &LokiLogger::entriesDropped, m_events, &EventModel::addDropped);
}

void ConsoleWindow::showTab(Tab tab) { m_tabs->setCurrentIndex(int(tab)); }

bool ConsoleWindow::applyConnection()
{
    const auto refuse = [this](const QString &why) {
        m_connection->setApplyResult(why, true);
        Q_EMIT applied(false);
        return false;
    };
    if (m_burst->isRunning() && !m_burst->isStopping())
        return refuse(tr("Stop the burst first."));
    const bool builtin = !m_connection->useExternal();
    if (builtin && !m_receiver->isStarted())
        return refuse(tr("The built-in receiver is still starting."));
    if (builtin && !m_receiver->errorString().isEmpty()) {
        return refuse(
                tr("The built-in receiver could not start: %1").arg(m_receiver->errorString()));
    }
    const LokiConfig config = m_connection->config();
    // A restart flushes what is pending first, at most the old shutdownTimeout.
    if (!m_logger->init(config))
        return refuse(m_logger->errorString());
    m_connection->accessBox()->storeSecrets();
    m_builtinActive = builtin;
    m_faults->setBuiltinActive(builtin);
    m_readBack->setTarget(config);
    m_readBack->setAppName(config.appName());
    if (m_connection->captureQtMessages())
        setCaptureQtMessages(true);
    qCInfo(lcConsole, "applied: pushing to %s", qPrintable(config.pushUrl().toString()));
    const LokiAccess access(config);
    m_connection->setApplyResult(
            tr("Applied. Checking %1…").arg(access.baseUrl().toDisplayString()), false);
    m_check->start(access);
    m_status->setStats(m_logger->stats());
    updateStatusBar();
    Q_EMIT applied(true);
    return true;
}

void ConsoleWindow::sendEntry()
{
    LokiLogger *logger = m_logger;
    const QLoki::Level level = m_send->level();
    const QString message = m_send->message();
    const QMap<QString, QString> labels = m_send->labels();
    const QVariantMap metadata = m_send->metadata();
    // Even one entry is logged off the GUI thread: with OverflowPolicy::Block and a full
    // buffer the call waits.
    m_sendPool.start([this, logger, level, message, labels, metadata] {
        logger->log(level, message, labels, metadata);
        QMetaObject::invokeMethod(
                this,
                [this] {
                    statusBar()->showMessage(tr("Entry sent."), 2000);
                    Q_EMIT entrySent();
                },
                Qt::QueuedConnection);
    });
}

bool ConsoleWindow::startBurst()
{
    const BurstGenerator::Plan plan = m_send->burstPlan();
    const bool started = m_burst->start(m_logger, plan);
    if (started) {
        qCInfo(lcConsole, "burst of %d entries started on %d threads", plan.count, plan.threads);
    }
    return started;
}

void ConsoleWindow::stopBurst() { m_burst->stop(); }

bool ConsoleWindow::setCaptureQtMessages(bool capture)
{
    if (!capture) {
        m_logger->uninstallMessageHandler();
        return true;
    }
    const bool ok = m_logger->installMessageHandler(QLoki::Level::Debug);
    if (ok)
        qCInfo(lcConsole, "capturing this console's Qt messages");
    else
        statusBar()->showMessage(tr("Qt messages cannot be captured: the logger is not running."),
                                 5000);
    return ok;
}

void ConsoleWindow::sampleStats() { m_status->sample(m_logger->stats()); }

void ConsoleWindow::updateStatusBar()
{
    if (!m_receiver->isStarted())
        return;
    if (!m_receiver->errorString().isEmpty()) {
        m_receiverStatus->setText(
                tr("Built-in receiver not running: %1").arg(m_receiver->errorString()));
        return;
    }
    const LokiReceiver::Stats &stats = m_receiver->snapshot().stats;
    const QString where = m_receiver->baseUrl().toString();
    const QString target = m_builtinActive
            ? tr("Sending to the built-in receiver")
            : tr("Sending to %1").arg(m_logger->config().pushUrl().toString());
    m_receiverStatus->setText(
            tr("%1 · built-in receiver at %2: %3, %4")
                    .arg(target, where,
                         tr("%Ln entries stored", nullptr,
                            int(qMin<qint64>(stats.storedEntries(),
                                             std::numeric_limits<int>::max()))),
                         tr("%Ln pushes", nullptr,
                            int(qMin<quint64>(stats.pushRequests(),
                                              std::numeric_limits<int>::max())))));
}

void ConsoleWindow::closeEvent(QCloseEvent *event)
{
    if (m_options.useSettings)
        saveSettings();
    QMainWindow::closeEvent(event);
}

void ConsoleWindow::loadSettings()
{
    QSettings settings;
    m_connection->loadSettings(settings);
    m_send->loadSettings(settings);
    settings.beginGroup(u"window"_s);
    if (settings.contains(u"geometry"_s))
        restoreGeometry(settings.value(u"geometry"_s).toByteArray());
    if (settings.contains(u"mainSplitter"_s))
        m_mainSplitter->restoreState(settings.value(u"mainSplitter"_s).toByteArray());
    if (settings.contains(u"rightSplitter"_s))
        m_rightSplitter->restoreState(settings.value(u"rightSplitter"_s).toByteArray());
    m_tabs->setCurrentIndex(settings.value(u"tab"_s, int(Tab::Send)).toInt());
    settings.endGroup();
}

void ConsoleWindow::saveSettings() const
{
    QSettings settings;
    m_connection->saveSettings(settings);
    m_send->saveSettings(settings);
    settings.beginGroup(u"window"_s);
    settings.setValue(u"geometry"_s, saveGeometry());
    settings.setValue(u"mainSplitter"_s, m_mainSplitter->saveState());
    settings.setValue(u"rightSplitter"_s, m_rightSplitter->saveState());
    settings.setValue(u"tab"_s, m_tabs->currentIndex());
    settings.endGroup();
}
