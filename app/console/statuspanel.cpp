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

// What each of Loki's reasons asks of the sender, for the tooltip of its row.
QString refusalHint(QLoki::RefusalCode code)
{
    switch (code) {
    case QLoki::RefusalCode::LineTooLong:
        return StatusPanel::tr("Lines over Loki's max_line_size: lower maxLineBytes to match");
    case QLoki::RefusalCode::TooOld:
        return StatusPanel::tr("Timestamps older than Loki accepts (reject_old_samples)");
    case QLoki::RefusalCode::TooNew:
        return StatusPanel::tr("Timestamps too far in the future: check this machine's clock");
    case QLoki::RefusalCode::Labels:
        return StatusPanel::tr("Label names or values Loki refuses (too many, too long, invalid)");
    case QLoki::RefusalCode::MetadataDisallowed:
        return StatusPanel::tr("Loki does not allow structured metadata for this tenant");
    case QLoki::RefusalCode::MetadataTooLarge:
        return StatusPanel::tr("Structured metadata over Loki's size or count limit");
    case QLoki::RefusalCode::RateLimited:
        return StatusPanel::tr("The tenant's ingestion rate limit");
    case QLoki::RefusalCode::Blocked:
        return StatusPanel::tr("Ingestion blocked for the tenant (HTTP 260)");
    case QLoki::RefusalCode::Other:
        break;
    }
    return StatusPanel::tr("A reason QLoki does not know; see the Events panel");
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
            {u"contextShipped"_s, tr("Context shipped:")},
            {u"contextOverwritten"_s, tr("Context overwritten:")},
            {u"redacted"_s, tr("Redacted:")},
    };
    for (int i = 0; i < left.size(); ++i) {
        grid->addWidget(new QLabel(left[i].second), i, 0);
        grid->addWidget(addValue(left[i].first), i, 1);
    }
    m_values[u"contextShipped"_s]->setToolTip(
            tr("Entries below the minimum level sent before an error (context on error)"));
    m_values[u"contextOverwritten"_s]->setToolTip(
            tr("Entries below the minimum level the context ring let go before an error came; "
               "never accepted, so not dropped"));
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = QLoki::DropReason(r);
        grid->addWidget(new QLabel(dropReasonTitle(reason)), r, 2);
        grid->addWidget(addValue(u"dropped_"_s + QLoki::dropReasonName(reason)), r, 3);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setHorizontalSpacing(12);
    // Refusals by Loki's reason and demoted label names follow, a row for each that happened.
    m_grid = grid;
    m_firstDetailRow = int(left.size());

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
    m_values[u"contextShipped"_s]->setText(locale.toString(stats.contextShipped()));
    m_values[u"contextOverwritten"_s]->setText(locale.toString(stats.contextOverwritten()));
    m_values[u"redacted"_s]->setText(locale.toString(stats.redacted()));
    for (int r = 0; r < QLoki::DropReasonCount; ++r) {
        const auto reason = QLoki::DropReason(r);
        m_values[u"dropped_"_s + QLoki::dropReasonName(reason)]->setText(
                locale.toString(stats.dropped(reason)));
    }
    setDetails(stats);
    updateCountdown();
    if (stats.nextRetry().isValid())
        m_countdown.start();
}

void StatusPanel::setDetails(const LokiStats &stats)
{
    struct Row
    {
        QString key;
        QString title;
        quint64 count;
        QString hint;
        QString tip;
    };
    QList<Row> rows;
    for (int c = 0; c < QLoki::RefusalCodeCount; ++c) {
        const auto code = QLoki::RefusalCode(c);
        const QString name = QLoki::refusalCodeName(code);
        if (const quint64 n = stats.rejected(code); n > 0)
            rows.append({u"rejected_"_s + name, tr("Refused, %1:").arg(name), n, QString(),
                         refusalHint(code)});
    }
    const QMap<QString, quint64> demoted = stats.demotedLabels();
    for (auto it = demoted.cbegin(); it != demoted.cend(); ++it) {
        rows.append({u"demoted_"_s + it.key(), tr("Demoted label \"%1\":").arg(it.key()),
                     it.value(), tr("too many values: move it to metadata"),
                     tr("Entries whose \"%1\" went as structured metadata because the label had "
                        "more distinct values per hour than the cardinality guard allows; a "
                        "label per id makes a stream per id in Loki")
                             .arg(it.key())});
    }
    QStringList keys;
    for (const Row &row : std::as_const(rows))
        keys.append(row.key);
    if (keys != m_detailKeys) {
        // Rows come and go only when a new code or label name appears (or a new logger
        // starts from 0): rebuilt then, only updated otherwise.
        qDeleteAll(m_detailWidgets);
        m_detailWidgets.clear();
        for (const QString &key : std::as_const(m_detailKeys)) {
            m_values.remove(key);
            m_hints.remove(key);
        }
        for (int i = 0; i < rows.size(); ++i) {
            const Row &row = rows.at(i);
            const int at = m_firstDetailRow + i;
            auto *title = new QLabel(row.title);
            title->setToolTip(row.tip);
            m_grid->addWidget(title, at, 0);
            QLabel *value = addValue(row.key);
            value->setToolTip(row.tip);
            m_grid->addWidget(value, at, 1);
            m_detailWidgets << title << value;
            if (!row.hint.isEmpty()) {
                auto *hint = new QLabel(row.hint);
                hint->setObjectName(row.key + u"Hint"_s);
                hint->setEnabled(false); // drawn as secondary text
                hint->setToolTip(row.tip);
                m_grid->addWidget(hint, at, 2, 1, 2);
                m_hints.insert(row.key, hint);
                m_detailWidgets << hint;
            }
        }
        // Shown now, not at the next turn of the event loop as a layout shows the children it
        // adds to a visible widget: the rows are there with the counts that made them.
        for (QWidget *widget : std::as_const(m_detailWidgets))
            widget->show();
        m_detailKeys = keys;
    }
    const QLocale locale;
    for (const Row &row : std::as_const(rows))
        m_values[row.key]->setText(locale.toString(row.count));
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
