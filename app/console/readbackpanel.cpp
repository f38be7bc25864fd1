// SPDX-License-Identifier: MIT
#include "readbackpanel.h"

#include <QtCore/QDateTime>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <chrono>

using namespace Qt::StringLiterals;

namespace {

// As LogQL matchers, so that a pair can be copied into a query as it is.
QString joinPairs(const QMap<QString, QString> &map)
{
    QStringList parts;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        parts.append(it.key() + u'=' + LogQuery::quoted(it.value()));
    return parts.join(u", "_s);
}

} // namespace

ReadBackPanel::ReadBackPanel(QWidget *parent)
    : QWidget(parent)
    , m_query(new LogQuery(this))
    , m_queryEdit(new QLineEdit)
    , m_range(new QComboBox)
    , m_limit(new QSpinBox)
    , m_run(new QPushButton(tr("Query")))
    , m_status(new QLabel)
    , m_results(new QTableWidget(0, ColumnCount))
{
    m_queryEdit->setObjectName(u"queryEdit"_s);
    m_range->setObjectName(u"queryRangeCombo"_s);
    m_limit->setObjectName(u"queryLimitSpin"_s);
    m_run->setObjectName(u"queryButton"_s);
    m_status->setObjectName(u"queryStatusLabel"_s);
    m_results->setObjectName(u"resultsTable"_s);

    m_queryEdit->setPlaceholderText(tr("LogQL, e.g. {app=\"loki-console\"} |= \"error\""));
    m_range->addItem(tr("Last 5 minutes"), 5 * 60);
    m_range->addItem(tr("Last hour"), 60 * 60);
    m_range->addItem(tr("Last 24 hours"), 24 * 60 * 60);
    m_range->setCurrentIndex(1);
    m_limit->setRange(1, 5000);
    m_limit->setValue(100);

    m_results->setHorizontalHeaderLabels({tr("Time"), tr("Labels"), tr("Line"), tr("Metadata")});
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->verticalHeader()->setVisible(false);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setWordWrap(false);
    m_results->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_results->setColumnWidth(Time, 95);
    m_results->setColumnWidth(Labels, 190);
    m_results->setColumnWidth(Line, 220);

    auto *queryRow = new QHBoxLayout;
    queryRow->addWidget(m_queryEdit, 1);
    queryRow->addWidget(m_run);
    auto *optionsRow = new QHBoxLayout;
    auto *limitLabel = new QLabel(tr("Limit:"));
    limitLabel->setBuddy(m_limit);
    optionsRow->addWidget(m_range);
    optionsRow->addWidget(limitLabel);
    optionsRow->addWidget(m_limit);
    optionsRow->addWidget(m_status, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(queryRow);
    layout->addLayout(optionsRow);
    layout->addWidget(m_results, 1);

    connect(m_run, &QPushButton::clicked, this, &ReadBackPanel::runQuery);
    connect(m_queryEdit, &QLineEdit::returnPressed, this, &ReadBackPanel::runQuery);
    connect(m_query, &LogQuery::finished, this, [this](const QList<LogQuery::Row> &rows) {
        showRows(rows);
        m_status->setText(tr("%Ln entries", nullptr, int(rows.size())));
        m_status->setStyleSheet(QString());
        Q_EMIT queryFinished(int(rows.size()), QString());
    });
    connect(m_query, &LogQuery::failed, this, [this](const QString &error) {
        m_status->setText(error);
        m_status->setStyleSheet(u"color: #b00020;"_s);
        Q_EMIT queryFinished(-1, error);
    });
}

void ReadBackPanel::setTarget(const LokiConfig &config) { m_access = LokiAccess(config); }

void ReadBackPanel::setAppName(const QString &appName)
{
    const QString query = u"{app="_s + LogQuery::quoted(appName) + u'}';
    if (m_queryEdit->text().isEmpty() || m_queryEdit->text() == m_defaultQuery)
        m_queryEdit->setText(query);
    m_defaultQuery = query;
}

QString ReadBackPanel::queryText() const { return m_queryEdit->text(); }

void ReadBackPanel::setQueryText(const QString &logql) { m_queryEdit->setText(logql); }

void ReadBackPanel::runQuery()
{
    using namespace std::chrono;
    const qint64 endNs = duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count()
            + 1000000000LL;
    const qint64 startNs = endNs - qint64(m_range->currentData().toInt()) * 1000000000LL;
    m_status->setText(tr("Querying…"));
    m_status->setStyleSheet(QString());
    m_query->run(m_access, m_queryEdit->text().trimmed(), startNs, endNs, m_limit->value());
}

void ReadBackPanel::showRows(const QList<LogQuery::Row> &rows)
{
    m_results->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const LogQuery::Row &row = rows.at(i);
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(row.timestampNs / 1000000);
        const QString labels = joinPairs(row.labels);
        const QString metadata = joinPairs(row.metadata);
        const QStringList cells = {time.toString(u"HH:mm:ss.zzz"_s), labels, row.line, metadata};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setToolTip(c == Time ? time.toString(Qt::ISODateWithMs) : cells.at(c));
            m_results->setItem(i, c, item);
        }
    }
    // Lines are what is read back: as wide as the longest, up to a width that keeps the
    // metadata in view (a wider line shows its whole text as a tooltip).
    if (!rows.isEmpty()) {
        m_results->resizeColumnToContents(Line);
        m_results->setColumnWidth(Line, qBound(220, m_results->columnWidth(Line), 520));
    }
}
