// SPDX-License-Identifier: MIT
#include "soakdriver.h"

#include "procstat.h"

#include <QLoki/LokiConfig>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>

#include <cstdio>

namespace soak {

Driver::Driver(const DriverOptions &options)
    : m_options(options)
{
    m_outcome.options = options;
    m_eventTimer.setSingleShot(true);
    m_eventTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_eventTimer, &QTimer::timeout, this, &Driver::applyDue);
    m_sampleTimer.setInterval(1000);
    m_sampleTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_sampleTimer, &QTimer::timeout, this, [this] {
        sample();
        harvest();
    });
    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, [this] {
        m_outcome.problems.append(
                QStringLiteral("the last client did not exit within %1 s of SIGTERM: killed")
                        .arg(m_watchdog.interval() / 1000));
        if (m_client)
            m_client->kill();
    });
}

Driver::~Driver()
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->kill();
        m_client->waitForFinished(5000);
    }
}

QString Driver::path(const QString &name) const { return m_dir + QLatin1Char('/') + name; }

bool Driver::start(QString *error)
{
    if (m_options.workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>(QDir::tempPath()
                                                    + QStringLiteral("/qloki-soak-XXXXXX"));
        if (!m_tempDir->isValid()) {
            *error = m_tempDir->errorString();
            return false;
        }
        m_dir = m_tempDir->path();
    } else {
        m_dir = QDir(m_options.workDir).absolutePath();
        if (!QDir().mkpath(m_dir)) {
            *error = QStringLiteral("cannot create %1").arg(m_dir);
            return false;
        }
    }
    m_outcome.workDir = m_dir;
    m_outcome.spoolMaxBytes = LokiConfig().spoolMaxBytes();
    m_outcome.loadAtStart = loadAverage();

    m_receiver.setMaxStoredEntries(m_options.receiverWindow);
    const QString storePath = path(QStringLiteral("store.jsonl"));
    QFile::remove(storePath);
    if (!m_receiver.listen() || !m_receiver.setStoreFile(storePath)) {
        *error = m_receiver.errorString();
        return false;
    }
    m_store.setFileName(storePath);
    if (!m_store.open(QIODevice::ReadOnly)) {
        *error = m_store.errorString();
        return false;
    }
    m_samplesCsv.setFileName(path(QStringLiteral("samples.csv")));
    if (!m_samplesCsv.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = m_samplesCsv.errorString();
        return false;
    }
    m_samplesCsv.write("t_s,run,run_s,rss_kb,fds,spool_bytes,accepted,delivered,dropped,pending,"
                       "spooled,state,receiver_stored,receiver_rejected,receiver_duplicates\n");
    m_timeline.setFileName(path(QStringLiteral("timeline.txt")));
    if (!m_timeline.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = m_timeline.errorString();
        return false;
    }
    connect(&m_receiver, &LokiReceiver::availabilityChanged, this, [this](bool up) {
        note(up ? QStringLiteral("receiver up") : QStringLiteral("receiver down"));
    });
    QDir(path(QStringLiteral("spool"))).removeRecursively();

    PlanOptions plan;
    plan.durationMs = m_options.durationMs;
    plan.killEveryMs = m_options.killEveryMs;
    plan.seed = m_options.seed;
    m_outcome.plan = planFaults(plan);

    m_clock.start();
    startClient(false);
    m_sampleTimer.start();
    QTimer::singleShot(int(m_options.durationMs), Qt::PreciseTimer, this, &Driver::end);
    applyDue();
    return true;
}

void Driver::startClient(bool drainOnly)
{
    RunRecord record;
    record.run = int(m_outcome.runs.size()) + 1;
    record.drainOnly = drainOnly;
    record.startMs = now();
    const QString prefix = QStringLiteral("run-%1").arg(record.run);
    if (!m_shared.create(path(prefix + QStringLiteral(".shared")))) {
        m_outcome.problems.append(m_shared.errorString());
        return;
    }
    m_client = new QProcess(this);
    m_client->setProcessChannelMode(QProcess::MergedChannels);
    m_client->setStandardOutputFile(path(prefix + QStringLiteral(".log")));
    connect(m_client, &QProcess::finished, this, &Driver::onClientFinished);
    const QStringList arguments {
            QStringLiteral("--client"),
            QStringLiteral("--url"),
            m_receiver.pushUrl().toString(),
            QStringLiteral("--spool"),
            path(QStringLiteral("spool")),
            QStringLiteral("--shared"),
            path(prefix + QStringLiteral(".shared")),
            QStringLiteral("--stats"),
            path(prefix + QStringLiteral(".stats.jsonl")),
            QStringLiteral("--run"),
            QString::number(record.run),
            QStringLiteral("--rate"),
            QString::number(drainOnly ? 0 : m_options.rate),
            QStringLiteral("--hook-rate"),
            QString::number(m_options.hookRate),
            QStringLiteral("--producers"),
            QString::number(m_options.producers),
            QStringLiteral("--drain-seconds"),
            QString::number(m_options.drainSeconds),
    };
    connect(m_client, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return; // the others end in finished()
        m_outcome.problems.append(QStringLiteral("client run %1 did not start: %2")
                                          .arg(m_outcome.runs.last().run)
                                          .arg(m_client->errorString()));
        m_client->deleteLater();
        m_client = nullptr;
        m_shared.close();
        finish();
    });
    m_outcome.runs.append(record);
    m_client->start(QCoreApplication::applicationFilePath(), arguments);
    if (m_ending)
        m_watchdog.start((m_options.drainSeconds + 30) * 1000);
    m_outcome.runs.last().pid = m_client ? m_client->processId() : 0;
    note(QStringLiteral("client run %1 started%2")
                 .arg(record.run)
                 .arg(drainOnly ? QStringLiteral(" to deliver the spool left over") : QString()));
}

void Driver::onClientFinished(int exitCode, QProcess::ExitStatus status)
{
    RunRecord &record = m_outcome.runs.last();
    record.endMs = now();
    record.exitCode = status == QProcess::NormalExit ? exitCode : -1;
    record.killed = m_killing;
    if (SharedBlock *block = m_shared.block()) {
        for (int p = 0; p < MaxProducers; ++p) {
            for (int s = 0; s < SourceCount; ++s)
                record.logged[p][s] = block->logged[p][s].load(std::memory_order_acquire);
        }
        record.last = block->latest();
        record.finished = block->finished.load(std::memory_order_acquire) != 0;
    }
    m_shared.close();
    record.spoolBytesAfter = directoryBytes(path(QStringLiteral("spool")));
    m_outcome.spoolPeakBytes = qMax(m_outcome.spoolPeakBytes, record.spoolBytesAfter);
    m_client->deleteLater();
    m_client = nullptr;
    note(QStringLiteral("client run %1 ended (%2, exit code %3, %4 pending, %5 spooled)")
                 .arg(record.run)
                 .arg(m_killing                                ? QStringLiteral("SIGKILL")
                              : status == QProcess::NormalExit ? QStringLiteral("exited")
                                                               : QStringLiteral("crashed"))
                 .arg(record.exitCode)
                 .arg(record.last.pending)
                 .arg(record.last.spooled));
    if (m_killing) {
        m_killing = false;
        if (!m_ending) {
            startClient(false);
            return;
        }
    } else if (!m_ending) {
        m_outcome.problems.append(
                QStringLiteral("client run %1 exited by itself at %2 s (%3)")
                        .arg(record.run)
                        .arg(record.endMs / 1000.0, 0, 'f', 1)
                        .arg(status == QProcess::NormalExit
                                     ? QStringLiteral("exit code %1").arg(exitCode)
                                     : QStringLiteral("crashed")));
        record.unexpectedExit = true;
        startClient(false);
        return;
    }
    // The end: a spool left over (the exit's flush timed out) is delivered by one more run.
    const bool leftOver = !record.finished || record.last.pending > 0 || record.last.spooled > 0;
    if (leftOver && !record.drainOnly) {
        startClient(true);
        return;
    }
    finish();
}

void Driver::applyDue()
{
    const qint64 t = now();
    while (m_nextEvent < m_outcome.plan.size() && m_outcome.plan[m_nextEvent].atMs <= t)
        apply(m_outcome.plan[m_nextEvent++]);
    if (m_nextEvent < m_outcome.plan.size() && !m_ending)
        m_eventTimer.start(int(qMax<qint64>(0, m_outcome.plan[m_nextEvent].atMs - now())));
}

void Driver::note(const QString &what)
{
    m_timeline.write(QStringLiteral("%1 %2\n").arg(now() / 1000.0, 8, 'f', 3).arg(what).toUtf8());
    m_timeline.flush();
}

void Driver::apply(const FaultEvent &event)
{
    if (m_ending)
        return;
    if (applyEvent(event))
        note(event.describe());
}

bool Driver::applyEvent(const FaultEvent &event)
{
    switch (event.kind) {
    case FaultEvent::Kind::Down:
        m_receiver.goDown(std::chrono::milliseconds(event.ms));
        ++m_outcome.tally.downs;
        return true;
    case FaultEvent::Kind::Fail:
        m_receiver.failNextPushes(event.count, event.status, event.retryAfter);
        ++(event.status == 429 ? m_outcome.tally.fails429 : m_outcome.tally.fails503);
        return true;
    case FaultEvent::Kind::EndFail:
        if (m_receiver.faults().failNextPushes() == 0)
            return false;
        m_receiver.failNextPushes(0, 0);
        ++m_outcome.tally.failsWithdrawn;
        return true;
    case FaultEvent::Kind::Slow:
        m_receiver.setResponseDelay(std::chrono::milliseconds(event.ms));
        if (event.ms > 0)
            ++m_outcome.tally.slowPeriods;
        return true;
    case FaultEvent::Kind::Refuse:
        m_receiver.refuseEntries(event.reason, 1, event.every);
        ++m_outcome.tally.refusals;
        return true;
    case FaultEvent::Kind::CancelRefusal:
        if (m_receiver.faults().refusalsLeft() == 0)
            return false;
        m_receiver.refuseEntries(event.reason, 0);
        ++m_outcome.tally.refusalsWithdrawn;
        return true;
    case FaultEvent::Kind::Kill:
        if (!m_client || m_client->state() != QProcess::Running)
            return false;
        sample(); // the spool and the memory as the kill finds them
        m_killing = true;
        ++m_outcome.tally.kills;
        m_client->kill();
        return true;
    }
    return false;
}

void Driver::sample()
{
    if (!m_client || !m_shared.block())
        return;
    const RunRecord &record = m_outcome.runs.last();
    Sample s;
    s.atMs = now();
    s.run = record.run;
    s.runMs = s.atMs - record.startMs;
    s.ending = m_ending;
    s.rss = residentBytes(record.pid);
    s.fds = openDescriptors(record.pid);
    s.spoolBytes = directoryBytes(path(QStringLiteral("spool")));
    s.stats = m_shared.block()->latest();
    m_outcome.spoolPeakBytes = qMax(m_outcome.spoolPeakBytes, s.spoolBytes);
    m_outcome.samples.append(s);
    const LokiReceiver::Stats r = m_receiver.stats();
    m_samplesCsv.write(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15\n")
                               .arg(s.atMs / 1000.0, 0, 'f', 1)
                               .arg(s.run)
                               .arg(s.runMs / 1000.0, 0, 'f', 1)
                               .arg(s.rss / 1024)
                               .arg(s.fds)
                               .arg(s.spoolBytes)
                               .arg(s.stats.accepted)
                               .arg(s.stats.delivered)
                               .arg(s.stats.droppedTotal())
                               .arg(s.stats.pending)
                               .arg(s.stats.spooled)
                               .arg(s.stats.state)
                               .arg(r.entriesAccepted())
                               .arg(r.entriesRejected())
                               .arg(r.duplicatesIgnored())
                               .toLatin1());
    m_samplesCsv.flush();
    if (m_outcome.samples.size() % 10 == 0) {
        std::fprintf(stderr,
                     "soak %5.0f s  run %d  rss %lld KiB  fds %d  spool %lld B  accepted %llu "
                     "delivered %llu dropped %llu pending %llu  receiver stored %llu\n",
                     s.atMs / 1000.0, s.run, s.rss / 1024, s.fds, s.spoolBytes, s.stats.accepted,
                     s.stats.delivered, s.stats.droppedTotal(), s.stats.pending,
                     r.entriesAccepted());
    }
}

void Driver::harvest()
{
    m_storeTail += m_store.readAll();
    const qsizetype end = m_storeTail.lastIndexOf('\n');
    if (end < 0)
        return;
    qsizetype from = 0;
    while (from <= end) {
        const qsizetype nl = m_storeTail.indexOf('\n', from);
        if (nl > from)
            m_ledger.addStoredLine(m_storeTail.mid(from, nl - from));
        from = nl + 1;
    }
    m_storeTail.remove(0, end + 1);
}

void Driver::end()
{
    note(QStringLiteral("end of the soak: faults cleared, the client stopped with SIGTERM"));
    m_ending = true;
    m_eventTimer.stop();
    // A healthy receiver for the last drain; the client delivers what it holds and exits.
    m_receiver.clearFaults();
    if (!m_client) {
        finish();
        return;
    }
    m_watchdog.start((m_options.drainSeconds + 30) * 1000);
    m_client->terminate();
}

void Driver::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_watchdog.stop();
    m_sampleTimer.stop();
    harvest();
    m_outcome.elapsedMs = now();
    m_outcome.receiver = m_receiver.stats();
    m_outcome.ledger = &m_ledger;
    m_outcome.loadAtEnd = loadAverage();
    m_outcome.spoolPeakBytes =
            qMax(m_outcome.spoolPeakBytes, directoryBytes(path(QStringLiteral("spool"))));
    QCoreApplication::exit(0);
}

void Driver::keepWorkDir()
{
    if (m_tempDir)
        m_tempDir->setAutoRemove(false);
}

} // namespace soak
