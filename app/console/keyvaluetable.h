// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QMap>
#include <QtWidgets/QWidget>

class QTableWidget;
class QPushButton;

/*!
    An editable list of key/value rows with Add and Remove buttons: stream labels,
    structured metadata, static labels. Rows with an empty key are ignored.
*/
class KeyValueTable : public QWidget
{
    Q_OBJECT

public:
    explicit KeyValueTable(const QString &keyHeader, const QString &valueHeader,
                           QWidget *parent = nullptr);

    QMap<QString, QString> values() const;
    void setValues(const QMap<QString, QString> &values);
    //! Appends a row (also used by tests and the screenshot tour).
    void addRow(const QString &key = {}, const QString &value = {});
    void removeSelectedRows();
    int rowCount() const;
    QTableWidget *table() const { return m_table; }

    //! Flattened as "k=v" strings, for QSettings.
    QStringList toStringList() const;
    void fromStringList(const QStringList &list);

Q_SIGNALS:
    void changed();

private:
    QTableWidget *m_table;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
};
