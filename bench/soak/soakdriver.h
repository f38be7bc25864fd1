// SPDX-License-Identifier: MIT
// The driver of the soak: a LokiReceiver in this process that flaps as planned, the client
// processes it starts, kills and restarts, and the samples it takes of them every second.
#pragma once

#include "faultplan.h"
#include "ledger.h"
#include "soakshared.h"

#include <QLokiReceiver/LokiReceiver>

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>

#include <memory>

namespace soak {

struct DriverOptions
{
    qint64 durationMs = 60000;
    qint64 killEveryMs = 120000;
    int rate = 2000;
    int hookRate = 100;
    int producers = 4;
    int drainSeconds = 60;
    quint32 seed = 0;
    //! Where the spool, the store file, the samples and the clients' logs go; a temporary
    //! directory (removed unless a check failed) when empty.
    QString workDir;
    bool json = false;
    //! Whether the client's RSS is judged: not in a sanitizer build, where it measures the
    //! sanitizer's allocator and shadow memory.
    bool checkRss = true;
    //! Entries the receiver keeps (and deduplicates against): about two minutes' worth.
    qint64 receiverWindow = 250000;
};

//! One client process.
struct RunRecord
{
    int run = 0;
    qint64 pid = 0;
    qint64 startMs = 0; //!< since the start of the soak
    qint64 endMs = -1;
    bool killed = false; //!< by the planned SIGKILL
    bool drainOnly = false; //!< started after the end only to deliver a spool left over
    bool unexpectedExit = false;
    int exitCode = -1;
    bool finished = false; //!< it shut its logger down itself
    quint64 logged[MaxProducers][SourceCount] = {};
    StatsSlot last; //!< its last LokiStats snapshot
    qint64 spoolBytesAfter = 0; //!< the spool directory once the process was gone
};

//! Taken every second while a client runs.
struct Sample
{
    qint64 atMs = 0; //!< since the start of the soak
    int run = 0;
    qint64 runMs = 0; //!< since the start of that client
    bool ending = false; //!< after SIGTERM
    qint64 rss = -1;
    int fds = -1;
    qint64 spoolBytes = 0;
    StatsSlot stats;
};

struct FaultTally
{
    int downs = 0;
    int fails429 = 0;
    int fails503 = 0;
    int failsWithdrawn = 0; //!< failures armed that no push met in their moment
    int slowPeriods = 0;
    int refusals = 0;
    int refusalsWithdrawn = 0;
    int kills = 0;
};

//! Everything a finished soak hands to the report.
struct SoakOutcome
{
    DriverOptions options;
    QString workDir;
    QList<FaultEvent> plan;
    FaultTally tally;
    QList<RunRecord> runs;
    QList<Sample> samples;
    LokiReceiver::Stats receiver;
    const Ledger *ledger = nullptr;
    QString loadAtStart;
    QString loadAtEnd;
    qint64 elapsedMs = 0;
    qint64 spoolMaxBytes = 0; //!< LokiConfig's default, the client's setting
    qint64 spoolPeakBytes = 0;
    QStringList problems; //!< what went wrong in the driving itself
};

class Driver : public QObject
{
public:
    explicit Driver(const DriverOptions &options);
    ~Driver() override;

    //! Starts the soak; finished() is called once it is over (QCoreApplication::exit()).
    bool start(QString *error);
    const SoakOutcome &outcome() const { return m_outcome; }
    //! Keeps a temporary work directory after the driver is gone (to look at a failure).
    void keepWorkDir();

private:
    void startClient(bool drainOnly);
    void onClientFinished(int exitCode, QProcess::ExitStatus status);
    void applyDue();
    void apply(const FaultEvent &event);
    bool applyEvent(const FaultEvent &event);
    //! A line of timeline.txt in the work directory: what happened when.
    void note(const QString &what);
    void sample();
    void harvest();
    void end();
    void finish();
    QString path(const QString &name) const;
    qint64 now() const { return m_clock.elapsed(); }

    DriverOptions m_options;
    SoakOutcome m_outcome;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QString m_dir;
    LokiReceiver m_receiver;
    Ledger m_ledger;
    QFile m_store;
    QByteArray m_storeTail;
    QFile m_samplesCsv;
    QFile m_timeline;
    QElapsedTimer m_clock;
    QTimer m_eventTimer;
    QTimer m_sampleTimer;
    QTimer m_watchdog;
    int m_nextEvent = 0;
    QProcess *m_client = nullptr;
    SharedFile m_shared;
    bool m_killing = false;
    bool m_ending = false;
    bool m_done = false;
};

} // namespace soak
