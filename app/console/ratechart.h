// SPDX-License-Identifier: MIT
#pragma once

#include <QtCharts/QChartView>

class QLineSeries;
class QValueAxis;

/*!
    Accepted and delivered entries per second over the last 60 seconds. addSample() is
    called once per second with the counters; the chart shows their differences.
*/
class RateChart : public QChartView
{
    Q_OBJECT

public:
    static constexpr int WindowSeconds = 60;

    explicit RateChart(QWidget *parent = nullptr);

    //! Adds one point per series from the totals \a accepted and \a delivered.
    //! A total smaller than the previous one (a restarted logger) counts from zero.
    void addSample(quint64 accepted, quint64 delivered);
    //! Forgets the previous totals (the next sample starts a new baseline).
    void resetBaseline();
    int sampleCount() const;
    QLineSeries *acceptedSeries() const { return m_accepted; }
    QLineSeries *deliveredSeries() const { return m_delivered; }

private:
    QLineSeries *m_accepted;
    QLineSeries *m_delivered;
    QValueAxis *m_axisX;
    QValueAxis *m_axisY;
    QList<QPair<double, double>> m_samples; // accepted/s, delivered/s, oldest first
    quint64 m_lastAccepted = 0;
    quint64 m_lastDelivered = 0;
    bool m_haveBaseline = false;
};
