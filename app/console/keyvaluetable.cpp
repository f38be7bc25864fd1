// SPDX-License-Identifier: MIT
#include "keyvaluetable.h"

#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

KeyValueTable::KeyValueTable(const QString &keyHeader, const QString &valueHeader, QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
    , m_addButton(new QPushButton(tr("Add"), this))
    , m_removeButton(new QPushButton(tr("Remove"), this))
{
    m_table->setObjectName(QStringLiteral("table"));
    m_addButton->setObjectName(QStringLiteral("addButton"));
    m_removeButton->setObjectName(QStringLiteral("removeButton"));
    m_table->setHorizontalHeaderLabels({keyHeader, valueHeader});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->setColumnWidth(0, 140);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMinimumHeight(fontMetrics().height() * 5);

    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_removeButton);
    buttons->addStretch();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(m_addButton, &QPushButton::clicked, this, [this] {
        addRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    connect(m_removeButton, &QPushButton::clicked, this, &KeyValueTable::removeSelectedRows);
    connect(m_table, &QTableWidget::itemChanged, this, &KeyValueTable::changed);
}

QMap<QString, QString> KeyValueTable::values() const
{
    QMap<QString, QString> map;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem *key = m_table->item(row, 0);
        const QTableWidgetItem *value = m_table->item(row, 1);
        const QString k = key ? key->text().trimmed() : QString();
        if (!k.isEmpty())
            map.insert(k, value ? value->text() : QString());
    }
    return map;
}

void KeyValueTable::setValues(const QMap<QString, QString> &values)
{
    m_table->setRowCount(0);
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        addRow(it.key(), it.value());
}

void KeyValueTable::addRow(const QString &key, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(key));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
    Q_EMIT changed();
}

void KeyValueTable::removeSelectedRows()
{
    QList<int> rows;
    const auto ranges = m_table->selectedRanges();
    for (const QTableWidgetSelectionRange &range : ranges) {
        for (int row = range.topRow(); row <= range.bottomRow(); ++row)
            rows.append(row);
    }
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows.append(m_table->currentRow());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        m_table->removeRow(row);
    if (!rows.isEmpty())
        Q_EMIT changed();
}

int KeyValueTable::rowCount() const { return m_table->rowCount(); }

QStringList KeyValueTable::toStringList() const
{
    QStringList list;
    const auto map = values();
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        list.append(it.key() + u'=' + it.value());
    return list;
}

void KeyValueTable::fromStringList(const QStringList &list)
{
    m_table->setRowCount(0);
    for (const QString &pair : list) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq > 0)
            addRow(pair.left(eq), pair.mid(eq + 1));
    }
}
