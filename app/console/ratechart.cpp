// SPDX-License-Identifier: MIT
#include "ratechart.h"

#include <QtCharts/QChart>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <cmath>

RateChart::RateChart(QWidget *parent)
    : QChartView(parent)
    , m_accepted(new QLineSeries)
    , m_delivered(new QLineSeries)
    , m_axisX(new QValueAxis)
    , m_axisY(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(tr("Entries per second (last 60 s)"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    m_accepted->setName(tr("accepted"));
    m_delivered->setName(tr("delivered"));
    QPen acceptedPen(QColor(0x15, 0x65, 0xc0));
    acceptedPen.setWidthF(2);
    m_accepted->setPen(acceptedPen);
    QPen deliveredPen(QColor(0x2e, 0x7d, 0x32));
    deliveredPen.setWidthF(2);
    deliveredPen.setStyle(Qt::DashLine);
    m_delivered->setPen(deliveredPen);
    chart->addSeries(m_accepted);
    chart->addSeries(m_delivered);

    m_axisX->setRange(-WindowSeconds, 0);
    m_axisX->setTickType(QValueAxis::TicksDynamic);
    m_axisX->setTickAnchor(0);
    m_axisX->setTickInterval(10);
    m_axisX->setLabelFormat(QStringLiteral("%d"));
    m_axisX->setTitleText(tr("seconds ago"));
    m_axisY->setRange(0, 10);
    m_axisY->setLabelFormat(QStringLiteral("%d"));
    m_axisY->setTickType(QValueAxis::TicksDynamic);
    m_axisY->setTickAnchor(0);
    m_axisY->setTickInterval(2);
    chart->addAxis(m_axisX, Qt::AlignBottom);
    chart->addAxis(m_axisY, Qt::AlignLeft);
    for (QLineSeries *series : {m_accepted, m_delivered}) {
        series->attachAxis(m_axisX);
        series->attachAxis(m_axisY);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
}

void RateChart::addSample(quint64 accepted, quint64 delivered)
{
    if (!m_haveBaseline) {
        m_lastAccepted = accepted;
        m_lastDelivered = delivered;
        m_haveBaseline = true;
    }
    if (accepted < m_lastAccepted)
        m_lastAccepted = 0;
    if (delivered < m_lastDelivered)
        m_lastDelivered = 0;
    m_samples.append({double(accepted - m_lastAccepted), double(delivered - m_lastDelivered)});
    m_lastAccepted = accepted;
    m_lastDelivered = delivered;
    while (m_samples.size() > WindowSeconds + 1)
        m_samples.removeFirst();

    QList<QPointF> acceptedPoints;
    QList<QPointF> deliveredPoints;
    double peak = 0;
    const qsizetype n = m_samples.size();
    for (qsizetype i = 0; i < n; ++i) {
        const double x = double(i - (n - 1));
        acceptedPoints.append({x, m_samples[i].first});
        deliveredPoints.append({x, m_samples[i].second});
        peak = qMax(peak, qMax(m_samples[i].first, m_samples[i].second));
    }
    m_accepted->replace(acceptedPoints);
    m_delivered->replace(deliveredPoints);
    // A "nice" upper bound: 1, 2 or 5 times a power of ten, with some headroom.
    double top = 10;
    if (peak > 8) {
        const double magnitude = std::pow(10.0, std::floor(std::log10(peak * 1.15)));
        for (double step : {1.0, 2.0, 5.0, 10.0}) {
            if (step * magnitude >= peak * 1.15) {
                top = step * magnitude;
                break;
            }
        }
    }
    m_axisY->setRange(0, top);
    m_axisY->setTickInterval(top / 5);
}

void RateChart::resetBaseline() { m_haveBaseline = false; }

int RateChart::sampleCount() const { return int(m_samples.size()); }
