// SPDX-License-Identifier: MIT
#include "eventmodel.h"

#include <QtCore/QLocale>
#include <QtGui/QBrush>
#include <QtGui/QColor>

namespace {

// The refusal code the library puts before the error text of refused entries
// ("line_too_long: HTTP 400: ..."); empty for any other error.
QString refusalCodeOf(const QString &error)
{
    for (int c = 0; c < QLoki::RefusalCodeCount; ++c) {
        const QString name = QLoki::refusalCodeName(QLoki::RefusalCode(c));
        if (error.size() > name.size() + 1 && error.startsWith(name)
            && error.at(name.size()) == QLatin1Char(':')) {
            return name;
        }
    }
    return {};
}

} // namespace

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const Event &e = m_events.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == Outcome) {
        switch (e.kind) {
        case Kind::Delivered:
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        case Kind::Retrying:
            return QBrush(QColor(0xb2, 0x6a, 0x00));
        case Kind::Failed:
        case Kind::Dropped:
            return QBrush(QColor(0xc6, 0x28, 0x28));
        }
    }
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case Entries:
        case Bytes:
        case HttpStatus:
        case Latency:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Time:
        return e.time.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Outcome:
        switch (e.kind) {
        case Kind::Delivered:
            return tr("delivered");
        case Kind::Retrying:
            return tr("failed, will retry");
        case Kind::Failed:
            return tr("failed");
        case Kind::Dropped:
            return tr("dropped");
        }
        return {};
    case Entries:
        return locale.toString(e.entries);
    case Bytes:
        return e.bytes < 0 ? QString() : locale.toString(e.bytes);
    case HttpStatus:
        if (e.httpStatus < 0)
            return QString();
        return e.httpStatus == 0 ? tr("network") : QString::number(e.httpStatus);
    case Refusal:
        return e.refusalCode;
    case Latency:
        return e.latencyMs < 0 ? QString() : tr("%1 ms").arg(locale.toString(e.latencyMs));
    case Error:
        return e.error;
    }
    return {};
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Outcome:
        return tr("Outcome");
    case Entries:
        return tr("Entries");
    case Bytes:
        return tr("Bytes");
    case HttpStatus:
        return tr("HTTP");
    case Refusal:
        return tr("Refusal");
    case Latency:
        return tr("Latency");
    case Error:
        return tr("Error");
    }
    return {};
}

void EventModel::addEvent(const Event &event)
{
    beginInsertRows({}, 0, 0);
    m_events.prepend(event);
    endInsertRows();
    if (m_events.size() > m_maxRows) {
        beginRemoveRows({}, m_maxRows, int(m_events.size()) - 1);
        m_events.resize(m_maxRows);
        endRemoveRows();
    }
}

void EventModel::clear()
{
    beginResetModel();
    m_events.clear();
    endResetModel();
}

void EventModel::setMaxRows(int rows)
{
    m_maxRows = qMax(1, rows);
    if (m_events.size() > m_maxRows) {
        beginRemoveRows({}, m_maxRows, int(m_events.size()) - 1);
        m_events.resize(m_maxRows);
        endRemoveRows();
    }
}

void EventModel::addDelivered(int entries, qint64 bytes, int httpStatus, qint64 latencyMs)
{
    Event e;
    e.time = QDateTime::currentDateTime();
    e.kind = Kind::Delivered;
    e.entries = entries;
    e.bytes = bytes;
    e.httpStatus = httpStatus;
    e.latencyMs = latencyMs;
    addEvent(e);
}

void EventModel::addFailed(int entries, int httpStatus, const QString &error, bool willRetry)
{
    Event e;
    e.time = QDateTime::currentDateTime();
    e.kind = willRetry ? Kind::Retrying : Kind::Failed;
    e.entries = entries;
    e.httpStatus = httpStatus;
    e.error = error;
    if (!willRetry)
        e.refusalCode = refusalCodeOf(error);
    addEvent(e);
}

void EventModel::addDropped(int count, QLoki::DropReason reason, const QString &detail)
{
    Event e;
    e.time = QDateTime::currentDateTime();
    e.kind = Kind::Dropped;
    e.entries = count;
    e.error = QLoki::dropReasonName(reason) + QStringLiteral(": ") + detail;
    if (reason == QLoki::DropReason::Rejected)
        e.refusalCode = refusalCodeOf(detail);
    addEvent(e);
}
