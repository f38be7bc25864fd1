// SPDX-License-Identifier: MIT
#pragma once

#include "logquery.h"

#include <QtCore/QUrl>
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

    //! Where queries go: Loki's base (or push) URL, and the tenant.
    void setTarget(const QUrl &url, const QString &tenant);
    //! Prefills the query with `{app="<name>"}` unless the user wrote another one.
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
    QUrl m_url;
    QString m_tenant;
    QString m_defaultQuery;
    QLineEdit *m_queryEdit;
    QComboBox *m_range;
    QSpinBox *m_limit;
    QPushButton *m_run;
    QLabel *m_status;
    QTableWidget *m_results;
};
