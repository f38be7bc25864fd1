// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiStats>

#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtWidgets/QWidget>

class QGridLayout;
class QLabel;
class QProgressBar;
class RateChart;
class StateBadge;

/*!
    The Status area: state badge, buffer gauges (entries, and the bytes they hold), in-flight
    batches, the countdown to the next retry, the counters, and the rate chart. setStats() redraws
    from a snapshot; sample() adds the once-per-second point to the chart.
*/
class StatusPanel : public QWidget
{
    Q_OBJECT

public:
    explicit StatusPanel(QWidget *parent = nullptr);

    void setStats(const LokiStats &stats);
    void setState(QLoki::State state);
    //! Adds the chart point for the last second from \a stats (and redraws).
    void sample(const LokiStats &stats);
    const LokiStats &lastStats() const { return m_stats; }

    StateBadge *badge() const { return m_badge; }
    //! Pending entries of LokiStats::capacity().
    QProgressBar *bufferGauge() const { return m_gauge; }
    //! The bytes they hold of LokiStats::capacityBytes(), in thousandths.
    QProgressBar *bufferBytesGauge() const { return m_bytesGauge; }
    RateChart *chart() const { return m_chart; }
    //! The label showing a counter, by its key: "accepted", "delivered", "pending",
    //! "retries", "bytesSent", "batchesDelivered", "batchesFailed", "contextShipped",
    //! "contextOverwritten", "inFlight", "nextRetry", "lastError", or "dropped_<reason>"
    //! (QLoki::dropReasonName); while there are any, "rejected_<code>"
    //! (QLoki::refusalCodeName) and "demoted_<label name>".
    QLabel *valueLabel(const QString &key) const { return m_values.value(key); }
    //! The hint beside "demoted_<label name>", by the same key.
    QLabel *hintLabel(const QString &key) const { return m_hints.value(key); }

private:
    QLabel *addValue(const QString &key);
    //! The rows of refusals by code and of demoted label names, for those that are not 0.
    void setDetails(const LokiStats &stats);
    void updateCountdown();

    StateBadge *m_badge;
    QProgressBar *m_gauge;
    QProgressBar *m_bytesGauge;
    RateChart *m_chart;
    QMap<QString, QLabel *> m_values;
    QMap<QString, QLabel *> m_hints;
    QGridLayout *m_grid = nullptr; // the counters
    int m_firstDetailRow = 0; // the rows of setDetails() start here
    QList<QWidget *> m_detailWidgets;
    QStringList m_detailKeys; // the keys of those rows, in order
    LokiStats m_stats;
    //! The state as last told (stateChanged arrives before the stats that follow it).
    QLoki::State m_state = QLoki::State::Stopped;
    QTimer m_countdown;
};
