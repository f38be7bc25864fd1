// SPDX-License-Identifier: MIT
#pragma once

#include "logquery.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

/*!
    The Read back tab: a LogQL query against the Loki the console sends to, with the
    entries found (time, labels, line, metadata).
*/
class ReadBackPanel : public QWidget
{
    Q_OBJECT

public:
    enum Column { Time, Labels, Line, Metadata, ColumnCount };

    explicit ReadBackPanel(QWidget *parent = nullptr);

    //! Where and how queries go: the logger's URL, tenant, credentials and TLS settings.
    void setTarget(const LokiConfig &config);
    //! Prefills the query with `{app="<name>"}` (the name quoted as a LogQL string)
    //! unless the user wrote another one.
    void setAppName(const QString &appName);
    QString queryText() const;
    void setQueryText(const QString &logql);
    QTableWidget *resultsTable() const { return m_results; }

public Q_SLOTS:
    void runQuery();

Q_SIGNALS:
    //! After every query: the rows shown, or -1 with an error.
    void queryFinished(int rows, const QString &error);

private:
    void showRows(const QList<LogQuery::Row> &rows);

    LogQuery *m_query;
    LokiAccess m_access;
    QString m_defaultQuery;
    QLineEdit *m_queryEdit;
    QComboBox *m_range;
    QSpinBox *m_limit;
    QPushButton *m_run;
    QLabel *m_status;
    QTableWidget *m_results;
};
