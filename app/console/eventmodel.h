// SPDX-License-Identifier: MIT
#pragma once

#include <QLoki/LokiTypes>

#include <QtCore/QAbstractTableModel>
#include <QtCore/QDateTime>
#include <QtCore/QList>

/*!
    The Events table: one row per push outcome (delivered, failed try, drop), newest
    first, bounded to maxRows() rows (the oldest leave first). A refusal shows Loki's reason
    as a code of its own (the library puts it before the error text: "line_too_long: ...").
*/
class EventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Outcome, Entries, Bytes, HttpStatus, Refusal, Latency, Error, ColumnCount };
    Q_ENUM(Column)

    enum class Kind { Delivered, Retrying, Failed, Dropped };

    struct Event
    {
        QDateTime time;
        Kind kind = Kind::Delivered;
        int entries = 0;
        qint64 bytes = -1; //!< -1: unknown
        int httpStatus = -1; //!< -1: none, 0: network error
        qint64 latencyMs = -1;
        QString error;
        //! Loki's reason for refusing entries as a short code (QLoki::refusalCodeName());
        //! empty when the event is not a refusal.
        QString refusalCode;
    };

    explicit EventModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void addEvent(const Event &event);
    const Event &event(int row) const { return m_events.at(row); }
    void clear();
    int maxRows() const { return m_maxRows; }
    void setMaxRows(int rows);

public Q_SLOTS:
    void addDelivered(int entries, qint64 bytes, int httpStatus, qint64 latencyMs);
    void addFailed(int entries, int httpStatus, const QString &error, bool willRetry);
    void addDropped(int count, QLoki::DropReason reason, const QString &detail);

private:
    QList<Event> m_events; // newest first
    int m_maxRows = 1000;
};
