// SPDX-License-Identifier: MIT
#include "statuspanel.h"

#include "ratechart.h"
#include "statebadge.h"

#include <QtCore/QDateTime>
#include <QtCore/QLocale>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString dropReasonTitle(QLoki::DropReason reason)
{
    switch (reason) {
    case QLoki::DropReason::BufferFull:
        return StatusPanel::tr("Dropped, buffer full:");
    case QLoki::DropReason::Rejected:
        return StatusPanel::tr("Dropped, rejected:");
    case QLoki::DropReason::RetriesExhausted:
        return StatusPanel::tr("Dropped, retries exhausted:");
    case QLoki::DropReason::Shutdown:
        return StatusPanel::tr("Dropped at shutdown:");
    case QLoki::DropReason::Invalid:
        break;
    }
    return StatusPanel::tr("Dropped, invalid:");
}

} // namespace

StatusPanel::StatusPanel(QWidget *parent)
    : QWidget(parent)
    , m_badge(new StateBadge)
    , m_gauge(new QProgressBar)
    , m_bytesGauge(new QProgressBar)
    , m_chart(new RateChart)
{
    m_badge->setObjectName(u"stateBadge"_s);
    m_gauge->setObjectName(u"bufferGauge"_s);
    m_chart->setObjectName(u"rateChart"_s);
    m_gauge->setRange(0, 1);
    m_gauge->setValue(0);
    m_gauge->setToolTip(tr("Entries waiting for a retry or the next flush, of the buffer size"));
    m_bytesGauge->setObjectName(u"bufferBytesGauge"_s);
    m_bytesGauge->setRange(0, 1000);
    m_bytesGauge->setValue(0);
    m_bytesGauge->setToolTip(tr("Memory the pending entries hold (lines and metadata), of the "
                                "buffer's byte bound; whichever bound is reached first applies "
                                "the overflow policy"));

    auto *top = new QGroupBox(tr("Delivery"));
    auto *topForm = new QFormLayout(top);
    auto *badgeRow = new QHBoxLayout;
    badgeRow->addWidget(m_badge);
    badgeRow->addStretch();
    topForm->addRow(tr("State:"), badgeRow);
    topForm->addRow(tr("Buffered:"), m_gauge);
    topForm->addRow(tr("Memory held:"), m_bytesGauge);
    topForm->addRow(tr("In flight:"), addValue(u"inFlight"_s));
    topForm->addRow(tr("Next retry:"), addValue(u"nextRetry"_s));
    QLabel *lastError = addValue(u"lastError"_s);
    lastError->setWordWrap(true);
    lastError->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    topForm->addRow(tr("Last error:"), lastError);

    auto *counters = new QGroupBox(tr("Counters"));
    auto *grid = new QGridLayout(counters);
    const QList<QPair<QString, QString>> left = {
            {u"accepted"_s, tr("Accepted:")},
            {u"delivered"_s, tr("Delivered:")},
            {u"pending"_s, tr("Pending:")},
            {u"retries"_s, tr("Retries:")},
            {u"bytesSent"_s, tr("Bytes sent:")},
            {u"batchesDelivered"_s, tr("Batches delivered:")},
            {u"batchesFailed"_s, tr("Failed tries:")},
            {u"redacted"_s, tr("Redacted:")},
    };
    for (int i = 0; i < left.size(); ++i) {
        grid->addWidget(new QLabel(left[i].second), i, 0);
        grid->addWidget(addValue(left[i].first), i, 1);
    }
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = QLoki::DropReason(r);
        grid->addWidget(new QLabel(dropReasonTitle(reason)), r, 2);
        grid->addWidget(addValue(u"dropped_"_s + QLoki::dropReasonName(reason)), r, 3);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setHorizontalSpacing(12);

    auto *row = new QHBoxLayout;
    row->addWidget(top, 1);
    row->addWidget(counters, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_chart, 1);

    m_countdown.setInterval(100);
    connect(&m_countdown, &QTimer::timeout, this, &StatusPanel::updateCountdown);
    setStats(LokiStats());
}

QLabel *StatusPanel::addValue(const QString &key)
{
    auto *label = new QLabel;
    label->setObjectName(key + u"Value"_s);
    label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_values.insert(key, label);
    return label;
}

void StatusPanel::setStats(const LokiStats &stats)
{
    m_stats = stats;
    m_state = stats.state();
    const QLocale locale;
    m_badge->setState(stats.state());
    m_gauge->setRange(0, qMax(1, stats.capacity()));
    m_gauge->setValue(int(qMin<quint64>(stats.buffered(), quint64(qMax(1, stats.capacity())))));
    m_gauge->setFormat(tr("%1 of %Ln entries", nullptr, stats.capacity())
                               .arg(locale.toString(stats.buffered())));
    const qint64 bytes = stats.bytesHeld();
    const qint64 bound = stats.capacityBytes();
    m_bytesGauge->setValue(bound > 0 ? int(qBound(qint64(0), bytes * 1000 / bound, qint64(1000)))
                                     : 0);
    m_bytesGauge->setFormat(bound > 0 ? tr("%1 of %2")
                                                .arg(locale.formattedDataSize(bytes),
                                                     locale.formattedDataSize(bound))
                                      : locale.formattedDataSize(bytes));
    m_values[u"inFlight"_s]->setText(locale.toString(stats.inFlightBatches()));
    m_values[u"lastError"_s]->setText(stats.lastError().isEmpty() ? tr("none") : stats.lastError());
    m_values[u"accepted"_s]->setText(locale.toString(stats.accepted()));
    m_values[u"delivered"_s]->setText(locale.toString(stats.delivered()));
    m_values[u"pending"_s]->setText(locale.toString(stats.pending()));
    m_values[u"retries"_s]->setText(locale.toString(stats.retries()));
    m_values[u"bytesSent"_s]->setText(locale.formattedDataSize(qint64(stats.bytesSent())));
    m_values[u"batchesDelivered"_s]->setText(locale.toString(stats.batchesDelivered()));
    m_values[u"batchesFailed"_s]->setText(locale.toString(stats.batchesFailed()));
    m_values[u"redacted"_s]->setText(locale.toString(stats.redacted()));
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = QLoki::DropReason(r);
        m_values[u"dropped_"_s + QLoki::dropReasonName(reason)]->setText(
                locale.toString(stats.dropped(reason)));
    }
    updateCountdown();
    if (stats.nextRetry().isValid())
        m_countdown.start();
}

void StatusPanel::setState(QLoki::State state)
{
    m_state = state;
    m_badge->setState(state);
}

void StatusPanel::sample(const LokiStats &stats)
{
    m_chart->addSample(stats.accepted(), stats.delivered());
    setStats(stats);
}

void StatusPanel::updateCountdown()
{
    QLabel *label = m_values[u"nextRetry"_s];
    const QDateTime next = m_stats.nextRetry();
    if (m_state == QLoki::State::Online || m_state == QLoki::State::Stopped || !next.isValid()) {
        // Between two tries the timer that starts the next one is the only retry time
        // there is; while a try is on the wire there is none to show.
        const bool trying = m_state != QLoki::State::Online && m_state != QLoki::State::Stopped
                && m_stats.inFlightBatches() > 0;
        label->setText(trying ? tr("trying now") : tr("none scheduled"));
        m_countdown.stop();
        return;
    }
    const qint64 ms = QDateTime::currentDateTimeUtc().msecsTo(next);
    if (ms <= 0) {
        label->setText(tr("now"));
        return;
    }
    label->setText(tr("in %1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1)));
}
