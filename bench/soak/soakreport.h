// SPDX-License-Identifier: MIT
// What a soak proved: the checks against its outcome, and its figures for people (text)
// and for tools (JSON).
#pragma once

#include "soakdriver.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

namespace soak {

//! A growth measure over the one-second samples: the peak of a later window against the
//! peak of an earlier one.
struct Curve
{
    qint64 min = -1;
    qint64 max = -1;
    qint64 firstPeak = -1; //!< peak of the first window (the warm-up)
    qint64 lastPeak = -1; //!< peak of the later window
    int firstSamples = 0;
    int lastSamples = 0;
    double growth() const { return firstPeak > 0 ? double(lastPeak) / double(firstPeak) - 1 : 0; }
    bool judged() const { return firstSamples >= 10 && lastSamples >= 10; }
};

class Report
{
public:
    //! The most a curve may grow after its first window.
    static constexpr double MaxGrowth = 0.05;
    //! A spool segment (the library's size for the default spoolMaxBytes): the spool may pass
    //! spoolMaxBytes by this much while it writes the segment that makes room.
    static constexpr qint64 SegmentBytes = qint64(4) << 20;

    explicit Report(const SoakOutcome &outcome);

    bool passed() const;
    QString text() const;
    QJsonObject json() const;

private:
    struct Check
    {
        QString name;
        bool passed = false;
        QString detail;
        bool skipped = false; //!< reported, not judged
    };
    struct RunFigures
    {
        RunRecord record;
        Ledger::RunCount ids;
        Curve rss;
        Curve fds;
    };

    void analyse();
    void check(const QString &name, bool passed, const QString &detail);
    Curve curve(qint64 (*value)(const Sample &), int run, qint64 firstFrom, qint64 firstTo,
                qint64 lastFrom, qint64 lastTo) const;

    const SoakOutcome &m_outcome;
    QList<RunFigures> m_runs;
    QList<Check> m_checks;
    Ledger::RunCount m_total;
    quint64 m_tailKilled = 0;
    quint64 m_tailClean = 0;
    quint64 m_unknownRuns = 0;
    quint64 m_dropped[DropReasons] = {};
    quint64 m_droppedTotal = 0;
    qint64 m_lostToKill = 0;
    quint64 m_acceptedNew = 0;
    quint64 m_duplicates = 0;
    Curve m_rss; //!< across the soak's processes
    Curve m_fds;
    Sample m_atOneMinute; //!< the first sample from the soak's 60th second (run 0: none)
    Sample m_atEnd; //!< the last sample before the end
};

} // namespace soak
