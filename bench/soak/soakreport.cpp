// SPDX-License-Identifier: MIT
#include "soakreport.h"

#include <QLoki/LokiTypes>

#include <QtCore/QJsonArray>
#include <QtCore/QTextStream>

namespace soak {

namespace {

qint64 rssOf(const Sample &s) { return s.rss; }

qint64 fdsOf(const Sample &s) { return s.fds; }

QString reasonName(int i) { return QLoki::dropReasonName(QLoki::DropReason(i)); }

QString percent(double ratio) { return QStringLiteral("%1%").arg(ratio * 100, 0, 'f', 1); }

QJsonObject curveJson(const Curve &c)
{
    return QJsonObject {{QStringLiteral("min"), c.min},
                        {QStringLiteral("max"), c.max},
                        {QStringLiteral("first_window_peak"), c.firstPeak},
                        {QStringLiteral("last_window_peak"), c.lastPeak},
                        {QStringLiteral("growth"), c.growth()},
                        {QStringLiteral("judged"), c.judged()}};
}

//! A figure across the soak's processes: reported, judged per process only.
QJsonObject acrossJson(const Curve &c, qint64 (*value)(const Sample &), const Sample &atOneMinute,
                       const Sample &atEnd)
{
    const auto at = [value](const Sample &s) {
        return QJsonObject {{QStringLiteral("t_s"), s.atMs / 1000.0},
                            {QStringLiteral("run"), s.run},
                            {QStringLiteral("value"), s.run > 0 ? value(s) : -1}};
    };
    return QJsonObject {{QStringLiteral("min"), c.min},
                        {QStringLiteral("max"), c.max},
                        {QStringLiteral("first_minute_peak"), c.firstPeak},
                        {QStringLiteral("last_minute_peak"), c.lastPeak},
                        {QStringLiteral("at_1_min"), at(atOneMinute)},
                        {QStringLiteral("at_end"), at(atEnd)}};
}

} // namespace

Report::Report(const SoakOutcome &outcome)
    : m_outcome(outcome)
{
    analyse();
}

bool Report::passed() const
{
    for (const Check &c : m_checks) {
        if (!c.passed)
            return false;
    }
    return true;
}

void Report::check(const QString &name, bool passed, const QString &detail)
{
    m_checks.append(Check {name, passed, detail});
}

Curve Report::curve(qint64 (*value)(const Sample &), int run, qint64 firstFrom, qint64 firstTo,
                    qint64 lastFrom, qint64 lastTo) const
{
    Curve c;
    for (const Sample &s : m_outcome.samples) {
        const qint64 v = value(s);
        if (s.ending || v < 0 || (run > 0 && s.run != run))
            continue;
        const qint64 t = run > 0 ? s.runMs : s.atMs;
        c.min = c.min < 0 ? v : qMin(c.min, v);
        c.max = qMax(c.max, v);
        if (t >= firstFrom && t < firstTo) {
            c.firstPeak = qMax(c.firstPeak, v);
            ++c.firstSamples;
        }
        if (t >= lastFrom && t < lastTo) {
            c.lastPeak = qMax(c.lastPeak, v);
            ++c.lastSamples;
        }
    }
    return c;
}

void Report::analyse()
{
    const Ledger &ledger = *m_outcome.ledger;
    const qint64 duration = m_outcome.options.durationMs;
    QList<int> runNumbers;
    for (const RunRecord &record : m_outcome.runs) {
        RunFigures f;
        f.record = record;
        f.ids = ledger.count(record.run, record.logged);
        // Each process: its first minute (half its life when shorter) against the rest.
        const qint64 life =
                (record.endMs < 0 ? duration : qMin(record.endMs, duration)) - record.startMs;
        const qint64 warm = qMin<qint64>(60000, life / 2);
        f.rss = curve(rssOf, record.run, 0, warm, warm, life + 1);
        f.fds = curve(fdsOf, record.run, 0, warm, warm, life + 1);
        m_runs.append(f);
        runNumbers.append(record.run);

        m_total.logged += f.ids.logged;
        m_total.delivered += f.ids.delivered;
        m_total.missing += f.ids.missing;
        m_total.interior += f.ids.interior;
        m_total.unknown += f.ids.unknown;
        m_total.acceptedAtKill += f.ids.acceptedAtKill;
        (record.killed ? m_tailKilled : m_tailClean) += f.ids.tail;
        for (int i = 0; i < DropReasons; ++i)
            m_dropped[i] += record.last.dropped[i];
        m_acceptedNew += record.last.accepted - qMin(record.last.accepted, record.last.replayed);
    }
    static const quint64 none[MaxProducers][SourceCount] = {};
    for (int run : ledger.runsSeen()) {
        if (!runNumbers.contains(run))
            m_unknownRuns += ledger.count(run, none).unknown;
    }
    for (quint64 d : m_dropped)
        m_droppedTotal += d;
    m_duplicates = ledger.duplicatesSameEntry() + ledger.duplicatesChanged();
    m_lostToKill = qint64(m_total.missing) - qint64(m_droppedTotal);
    // The whole soak: its first minute (first half when shorter) against its last.
    const qint64 window = qMin<qint64>(60000, duration / 2);
    m_rss = curve(rssOf, 0, 0, window, duration - window, duration + 1);
    m_fds = curve(fdsOf, 0, 0, window, duration - window, duration + 1);
    for (const Sample &s : m_outcome.samples) {
        if (s.ending || s.rss < 0)
            continue;
        if (m_atOneMinute.run == 0 && s.atMs >= 60000)
            m_atOneMinute = s;
        m_atEnd = s;
    }

    // --- the checks ---------------------------------------------------------------------
    check(QStringLiteral("exactly once: no id stored twice"), m_duplicates == 0,
          QStringLiteral("%1 stored again with the same timestamp, %2 with another")
                  .arg(ledger.duplicatesSameEntry())
                  .arg(ledger.duplicatesChanged()));
    check(QStringLiteral("no id stored that was not logged"),
          m_total.unknown + m_unknownRuns == 0 && ledger.malformed() == 0,
          QStringLiteral("%1 unknown ids, %2 unreadable store lines")
                  .arg(m_total.unknown + m_unknownRuns)
                  .arg(ledger.malformed()));
    check(QStringLiteral("no entry counted as dropped was delivered"),
          m_droppedTotal <= m_total.missing,
          QStringLiteral("%1 ids missing, %2 counted as dropped")
                  .arg(m_total.missing)
                  .arg(m_droppedTotal));
    check(QStringLiteral("every hole is a counted drop"),
          m_total.interior + m_tailClean <= m_droppedTotal,
          QStringLiteral("%1 ids missing between delivered ones, %2 missing at the end of runs "
                         "that exited normally; %3 counted as dropped")
                  .arg(m_total.interior)
                  .arg(m_tailClean)
                  .arg(m_droppedTotal));
    bool boundHeld = true;
    QStringList perKill;
    for (const RunFigures &f : std::as_const(m_runs)) {
        if (!f.record.killed)
            continue;
        const quint64 bound = quint64(f.record.last.capacity) + f.record.last.droppedTotal();
        boundHeld = boundHeld && f.ids.tail <= bound;
        perKill.append(QStringLiteral("run %1: %2 newest ids missing (at most %3)")
                               .arg(f.record.run)
                               .arg(f.ids.tail)
                               .arg(bound));
    }
    check(QStringLiteral("a SIGKILL loses only what was in memory"), boundHeld && m_lostToKill >= 0,
          perKill.isEmpty() ? QStringLiteral("no kill") : perKill.join(QStringLiteral("; ")));
    const quint64 rejected = m_dropped[int(QLoki::DropReason::Rejected)];
    check(QStringLiteral("each refused entry counted as rejected"),
          rejected == m_outcome.receiver.entriesRejected(),
          QStringLiteral("receiver refused %1, clients counted %2")
                  .arg(m_outcome.receiver.entriesRejected())
                  .arg(rejected));
    const RunRecord last = m_outcome.runs.isEmpty() ? RunRecord() : m_outcome.runs.last();
    const StatsSlot &ls = last.last;
    check(QStringLiteral("the last run delivered everything and exited cleanly"),
          last.finished && last.exitCode == 0 && ls.pending == 0 && ls.spooled == 0
                  && ls.accepted == ls.delivered + ls.droppedTotal() + ls.pending,
          QStringLiteral("exit code %1, accepted %2 = delivered %3 + dropped %4 + pending %5, "
                         "spooled %6")
                  .arg(last.exitCode)
                  .arg(ls.accepted)
                  .arg(ls.delivered)
                  .arg(ls.droppedTotal())
                  .arg(ls.pending)
                  .arg(ls.spooled));
    // Judged for each client process, from its first minute (half its life when shorter) to
    // its end: a process lives one kill interval at most, and nothing it holds outlives it.
    // Across processes the figures are reported, not judged: one that replays a large spool
    // settles higher than one that started empty, a level and not a growth.
    const auto flat = [this](const QString &what, Curve Report::RunFigures::*member,
                             const Curve &whole, bool judge) {
        bool ok = true;
        int judged = 0;
        QStringList parts;
        for (const RunFigures &f : std::as_const(m_runs)) {
            const Curve &c = f.*member;
            if (!c.judged())
                continue;
            ++judged;
            ok = ok && c.growth() < MaxGrowth;
            parts.append(QStringLiteral("run %1 %2 -> %3 (%4)")
                                 .arg(f.record.run)
                                 .arg(c.firstPeak)
                                 .arg(c.lastPeak)
                                 .arg(percent(c.growth())));
        }
        parts.append(QStringLiteral("across the soak's processes %1 to %2, not judged")
                             .arg(whole.min)
                             .arg(whole.max));
        const QString name = QStringLiteral("%1 flat in each process (growth < %2 after its "
                                            "first minute)")
                                     .arg(what, percent(MaxGrowth));
        const QString detail = parts.join(QStringLiteral("; "));
        if (!judge)
            m_checks.append(Check {name, true,
                                   QStringLiteral("not judged (--no-rss-check): ") + detail, true});
        else if (judged == 0)
            m_checks.append(Check {name, true,
                                   QStringLiteral("no process ran long enough to judge: ") + detail,
                                   true});
        else
            check(name, ok, detail);
    };
    flat(QStringLiteral("client RSS"), &RunFigures::rss, m_rss, m_outcome.options.checkRss);
    flat(QStringLiteral("client open descriptors"), &RunFigures::fds, m_fds, true);
    const qint64 spoolBound = m_outcome.spoolMaxBytes + SegmentBytes;
    check(QStringLiteral("spool bounded"), m_outcome.spoolPeakBytes <= spoolBound,
          QStringLiteral("peak %1 bytes, bound %2").arg(m_outcome.spoolPeakBytes).arg(spoolBound));
    int plannedKills = 0;
    for (const FaultEvent &e : m_outcome.plan)
        plannedKills += e.kind == FaultEvent::Kind::Kill ? 1 : 0;
    check(QStringLiteral("the soak ran as planned"),
          m_outcome.problems.isEmpty() && m_outcome.tally.kills == plannedKills
                  && m_total.delivered > 0,
          m_outcome.problems.isEmpty() ? QStringLiteral("%1 of %2 kills, %3 client runs")
                                                 .arg(m_outcome.tally.kills)
                                                 .arg(plannedKills)
                                                 .arg(m_outcome.runs.size())
                                       : m_outcome.problems.join(QStringLiteral("; ")));
}

QJsonObject Report::json() const
{
    const SoakOutcome &o = m_outcome;
    QJsonObject dropped;
    for (int i = 0; i < DropReasons; ++i)
        dropped.insert(reasonName(i), qint64(m_dropped[i]));
    QJsonArray runs;
    for (const RunFigures &f : m_runs) {
        const RunRecord &r = f.record;
        QJsonObject runDropped;
        for (int i = 0; i < DropReasons; ++i)
            runDropped.insert(reasonName(i), qint64(r.last.dropped[i]));
        runs.append(QJsonObject {
                {QStringLiteral("run"), r.run},
                {QStringLiteral("pid"), r.pid},
                {QStringLiteral("start_s"), r.startMs / 1000.0},
                {QStringLiteral("end_s"), r.endMs / 1000.0},
                {QStringLiteral("killed"), r.killed},
                {QStringLiteral("drain_only"), r.drainOnly},
                {QStringLiteral("exit_code"), r.exitCode},
                {QStringLiteral("ids_logged"), qint64(f.ids.logged)},
                {QStringLiteral("ids_delivered"), qint64(f.ids.delivered)},
                {QStringLiteral("ids_missing"), qint64(f.ids.missing)},
                {QStringLiteral("ids_missing_newest"), qint64(f.ids.tail)},
                {QStringLiteral("ids_accepted_at_kill"), qint64(f.ids.acceptedAtKill)},
                {QStringLiteral("accepted"), qint64(r.last.accepted)},
                {QStringLiteral("delivered"), qint64(r.last.delivered)},
                {QStringLiteral("dropped"), runDropped},
                {QStringLiteral("pending"), qint64(r.last.pending)},
                {QStringLiteral("spooled"), qint64(r.last.spooled)},
                {QStringLiteral("replayed"), qint64(r.last.replayed)},
                {QStringLiteral("in_memory_at_last_snapshot"),
                 qint64(r.last.pending - qMin(r.last.pending, r.last.spooled))},
                {QStringLiteral("capacity"), r.last.capacity},
                {QStringLiteral("spool_bytes_after"), r.spoolBytesAfter},
                {QStringLiteral("rss"), curveJson(f.rss)},
                {QStringLiteral("fds"), curveJson(f.fds)},
        });
    }
    QJsonObject byStatus;
    const QMap<int, quint64> pushesByStatus = o.receiver.pushesByStatus();
    for (auto it = pushesByStatus.cbegin(); it != pushesByStatus.cend(); ++it)
        byStatus.insert(QString::number(it.key()), qint64(it.value()));
    QJsonObject byReason;
    const QMap<QString, quint64> rejectedByReason = o.receiver.rejectedByReason();
    for (auto it = rejectedByReason.cbegin(); it != rejectedByReason.cend(); ++it)
        byReason.insert(it.key(), qint64(it.value()));
    QJsonArray checks;
    for (const Check &c : m_checks) {
        checks.append(QJsonObject {{QStringLiteral("name"), c.name},
                                   {QStringLiteral("passed"), c.passed},
                                   {QStringLiteral("skipped"), c.skipped},
                                   {QStringLiteral("detail"), c.detail}});
    }
    return QJsonObject {
            {QStringLiteral("passed"), passed()},
            {QStringLiteral("duration_s"), o.options.durationMs / 1000.0},
            {QStringLiteral("elapsed_s"), o.elapsedMs / 1000.0},
            {QStringLiteral("seed"), qint64(o.options.seed)},
            {QStringLiteral("rate"), o.options.rate},
            {QStringLiteral("hook_rate"), o.options.hookRate},
            {QStringLiteral("producers"), o.options.producers},
            {QStringLiteral("load_average_start"), o.loadAtStart},
            {QStringLiteral("load_average_end"), o.loadAtEnd},
            {QStringLiteral("work_dir"), o.workDir},
            {QStringLiteral("faults"),
             QJsonObject {{QStringLiteral("downs"), o.tally.downs},
                          {QStringLiteral("fail_429"), o.tally.fails429},
                          {QStringLiteral("fail_503"), o.tally.fails503},
                          {QStringLiteral("fails_withdrawn_unmet"), o.tally.failsWithdrawn},
                          {QStringLiteral("slow_periods"), o.tally.slowPeriods},
                          {QStringLiteral("refusals"), o.tally.refusals},
                          {QStringLiteral("refusals_withdrawn"), o.tally.refusalsWithdrawn},
                          {QStringLiteral("kills"), o.tally.kills}}},
            {QStringLiteral("entries"),
             QJsonObject {{QStringLiteral("logged"), qint64(m_total.logged)},
                          {QStringLiteral("logged_per_second"),
                           double(m_total.logged) * 1000.0
                                   / double(qMax<qint64>(1, o.options.durationMs))},
                          {QStringLiteral("accepted_new"), qint64(m_acceptedNew)},
                          {QStringLiteral("delivered"), qint64(m_total.delivered)},
                          {QStringLiteral("missing"), qint64(m_total.missing)},
                          {QStringLiteral("dropped"), dropped},
                          {QStringLiteral("dropped_total"), qint64(m_droppedTotal)},
                          {QStringLiteral("lost_to_sigkill"), m_lostToKill},
                          {QStringLiteral("missing_between_delivered"), qint64(m_total.interior)},
                          {QStringLiteral("duplicates_stored"), qint64(m_duplicates)},
                          {QStringLiteral("receiver_duplicates_ignored"),
                           qint64(o.receiver.duplicatesIgnored())},
                          {QStringLiteral("unknown"), qint64(m_total.unknown + m_unknownRuns)},
                          {QStringLiteral("foreign"), qint64(o.ledger->foreign())}}},
            {QStringLiteral("receiver"),
             QJsonObject {
                     {QStringLiteral("pushes"), qint64(o.receiver.pushRequests())},
                     {QStringLiteral("pushes_by_status"), byStatus},
                     {QStringLiteral("entries_accepted"), qint64(o.receiver.entriesAccepted())},
                     {QStringLiteral("entries_rejected"), qint64(o.receiver.entriesRejected())},
                     {QStringLiteral("rejected_by_reason"), byReason},
                     {QStringLiteral("duplicates_ignored"),
                      qint64(o.receiver.duplicatesIgnored())}}},
            {QStringLiteral("rss_bytes"), acrossJson(m_rss, rssOf, m_atOneMinute, m_atEnd)},
            {QStringLiteral("fds"), acrossJson(m_fds, fdsOf, m_atOneMinute, m_atEnd)},
            {QStringLiteral("spool"),
             QJsonObject {{QStringLiteral("peak_bytes"), o.spoolPeakBytes},
                          {QStringLiteral("bound_bytes"), o.spoolMaxBytes + SegmentBytes}}},
            {QStringLiteral("runs"), runs},
            {QStringLiteral("checks"), checks},
    };
}

QString Report::text() const
{
    const SoakOutcome &o = m_outcome;
    QString out;
    QTextStream s(&out);
    s << "QLoki soak: " << o.options.durationMs / 1000 << " s (" << o.elapsedMs / 1000.0
      << " s with the last drain), seed " << o.options.seed << ", " << o.options.rate
      << " entries/s from " << o.options.producers << " threads + " << o.options.hookRate
      << " Qt messages/s through the hook\n";
    s << "load average " << o.loadAtStart << " at the start, " << o.loadAtEnd << " at the end\n";
    s << "faults: " << o.tally.downs << " outages, " << o.tally.fails429 << " x 429, "
      << o.tally.fails503 << " x 503 (" << o.tally.failsWithdrawn << " withdrawn unmet), "
      << o.tally.slowPeriods << " slow periods, " << o.tally.refusals << " refusals ("
      << o.tally.refusalsWithdrawn << " withdrawn unused), " << o.tally.kills << " SIGKILLs\n\n";
    const double seconds = qMax<qint64>(1, o.options.durationMs) / 1000.0;
    s << "entries: " << m_total.logged << " logged (" << qRound(m_total.logged / seconds)
      << "/s of the " << o.options.rate + o.options.hookRate << "/s asked), " << m_total.delivered
      << " delivered, " << m_droppedTotal << " dropped (";
    for (int i = 0; i < DropReasons; ++i)
        s << (i ? ", " : "") << reasonName(i) << " " << m_dropped[i];
    s << "), " << m_lostToKill << " lost to SIGKILL\n";
    s << "receiver: " << o.receiver.entriesAccepted() << " stored, " << o.receiver.entriesRejected()
      << " refused, " << o.receiver.duplicatesIgnored()
      << " re-sent entries ignored as duplicates, " << m_duplicates << " ids stored twice, "
      << o.ledger->foreign() << " foreign lines\n\n";
    s << "run  start     end  how      logged delivered missing newest replayed  dropped  "
         "rss KiB (min-max)   fds\n";
    for (const RunFigures &f : m_runs) {
        const RunRecord &r = f.record;
        const char *how = r.killed ? "SIGKILL"
                : r.drainOnly      ? "drain"
                : r.unexpectedExit ? "DIED"
                                   : "SIGTERM";
        s << qSetFieldWidth(3) << r.run << qSetFieldWidth(0) << " " << qSetFieldWidth(6)
          << QString::number(r.startMs / 1000.0, 'f', 1) << qSetFieldWidth(7)
          << QString::number(r.endMs / 1000.0, 'f', 1) << qSetFieldWidth(0) << "  "
          << qSetFieldWidth(7) << Qt::left << how << Qt::right << qSetFieldWidth(9) << f.ids.logged
          << qSetFieldWidth(10) << f.ids.delivered << qSetFieldWidth(8) << f.ids.missing
          << qSetFieldWidth(7) << f.ids.tail << qSetFieldWidth(9) << r.last.replayed
          << qSetFieldWidth(9) << r.last.droppedTotal() << qSetFieldWidth(0) << "  "
          << f.rss.min / 1024 << "-" << f.rss.max / 1024 << "  " << f.fds.min << "-" << f.fds.max
          << "\n";
    }
    const auto at = [](const Sample &p, qint64 v) {
        return p.run > 0 ? QStringLiteral("%1 (%2 s, run %3)")
                                   .arg(v)
                                   .arg(p.atMs / 1000.0, 0, 'f', 0)
                                   .arg(p.run)
                         : QStringLiteral("none");
    };
    s << "\nclient RSS KiB across the processes: min " << m_rss.min / 1024 << ", max "
      << m_rss.max / 1024 << "; at 1 min " << at(m_atOneMinute, m_atOneMinute.rss / 1024)
      << ", at the end " << at(m_atEnd, m_atEnd.rss / 1024) << "\n";
    s << "client fds across the processes: min " << m_fds.min << ", max " << m_fds.max
      << "; at 1 min " << at(m_atOneMinute, m_atOneMinute.fds) << ", at the end "
      << at(m_atEnd, m_atEnd.fds) << "\n";
    s << "spool: peak " << o.spoolPeakBytes << " bytes (bound " << o.spoolMaxBytes + SegmentBytes
      << ")\n\n";
    for (const Check &c : m_checks)
        s << (c.skipped          ? "SKIP  "
                      : c.passed ? "PASS  "
                                 : "FAIL  ")
          << c.name << ": " << c.detail << "\n";
    s << (passed() ? "soak passed" : "soak FAILED") << " (work directory " << o.workDir << ")\n";
    return out;
}

} // namespace soak
