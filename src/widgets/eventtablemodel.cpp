// SPDX-License-Identifier: MIT
#include "eventtablemodel.h"

#include "eventcaption.h"
#include "eventformatter.h"
#include "eventtabledelegate.h"

#include <QFont>

#include <algorithm>

namespace Lifeline {

EventTableModel::EventTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

EventTableModel::~EventTableModel() = default;

void EventTableModel::setLog(const EventLog *log, const Scenario *scenario, qsizetype visible)
{
    setLog(log, log ? std::make_shared<const EventCaption>(log, scenario) : nullptr, visible);
}

void EventTableModel::setLog(const EventLog *log, std::shared_ptr<const EventCaption> captions,
                             qsizetype visible)
{
    beginResetModel();
    m_log = log;
    m_caption = log ? std::move(captions) : nullptr;
    m_visible = log ? std::clamp<qsizetype>(visible, 0, qsizetype(log->count())) : 0;
    m_playhead = -1;
    m_numbering.clear();
    if (log)
        m_numbering.update(*log);
    endResetModel();
}

void EventTableModel::setVisibleCount(qsizetype count)
{
    if (!m_log)
        return;
    m_numbering.update(*m_log); // what was recorded since: the caption counts it
    count = std::clamp<qsizetype>(count, 0, qsizetype(m_log->count()));
    if (count == m_visible)
        return;
    const qsizetype oldCurrent = playhead() - 1;
    if (count > m_visible) {
        beginInsertRows({}, int(m_visible), int(count - 1));
        m_visible = count;
        endInsertRows();
    } else {
        beginRemoveRows({}, int(count), int(m_visible - 1));
        m_visible = count;
        endRemoveRows();
    }
    // The bold "current" row moved (when the playhead follows the last row, or rows went).
    const qsizetype current = playhead() - 1;
    if (current != oldCurrent) {
        if (oldCurrent >= 0 && oldCurrent < m_visible)
            Q_EMIT dataChanged(index(int(oldCurrent), 0), index(int(oldCurrent), ColumnCount - 1));
        if (current >= 0)
            Q_EMIT dataChanged(index(int(current), 0), index(int(current), ColumnCount - 1));
    }
}

void EventTableModel::setPlayhead(qsizetype position)
{
    position = position < 0 ? -1 : position;
    const qsizetype before = playhead();
    m_playhead = position;
    const qsizetype after = playhead();
    if (before == after)
        return;
    // The rows that changed side, and the current row on either side of them.
    const qsizetype first = std::max<qsizetype>(0, std::min(before, after) - 1);
    const qsizetype last = std::min(std::max(before, after), m_visible) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(int(first), 0), index(int(last), ColumnCount - 1));
}

qint64 EventTableModel::eventNumber(size_t event) const
{
    return m_log ? m_numbering.number(*m_log, event) : -1;
}

qint64 EventTableModel::numberedBefore(size_t count) const
{
    return m_log ? m_numbering.countBefore(*m_log, count) : 0;
}

int EventTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible);
}

int EventTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

LaneId EventTableModel::laneOf(const Event &e)
{
    return e.lane();
}

QString EventTableModel::detailText(size_t event) const
{
    const Event &e = m_log->at(event);
    switch (e.kind()) {
    case EventKind::TaskCreated:
        return e.byLane() == None ? QString()
                                  : QStringLiteral("by %1").arg(m_log->laneName(e.byLane()));
    case EventKind::TaskStarted:
        return {};
    case EventKind::TaskEnded: {
        QString s = QLatin1String(EventLog::outcomeName(e.outcome()));
        if (e.exception() != None)
            s += QLatin1String(": ") + m_log->repr(e.exception());
        return s;
    }
    case EventKind::PhaseBegan:
        return QLatin1String(EventLog::phaseName(e.phase()));
    case EventKind::InstanceEnded:
        return QLatin1String(EventLog::stateName(e.state()));
    case EventKind::Printed:
        return m_log->print(e.printIndex());
    case EventKind::ExceptionRaised:
        return QStringLiteral("%1 (%2)").arg(m_log->repr(e.exception()),
                                             QLatin1String(EventLog::originName(e.origin())));
    case EventKind::ExceptionHop:
        return QStringLiteral("%1 %2").arg(QLatin1String(EventLog::hopName(e.hop())),
                                           m_log->repr(e.exception()));
    case EventKind::CancelRequested: {
        const QString cause = QLatin1String(EventLog::causeName(e.cause()));
        return e.byLane() == None
            ? cause
            : QStringLiteral("%1: %2").arg(cause, m_log->laneName(e.byLane()));
    }
    case EventKind::StepBegan:
        return m_caption->stepText(e.step());
    case EventKind::TaskAwaits:
    case EventKind::TaskJoined:
        return EventFormatter::target(*m_log, e);
    }
    return {};
}

QVariant EventTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const size_t row = size_t(index.row());
    const Event &e = m_log->at(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case IndexColumn: {
            // As `lifeline events` numbers it; a step row (for the code view) has no number.
            const qint64 number = eventNumber(row);
            return number < 0 ? QVariant(QString()) : QVariant(qlonglong(number));
        }
        case TimeColumn: {
            return EventFormatter::tableMilliseconds(*m_log, qint64(e.time));
        }
        case LaneColumn: {
            const LaneId lane = laneOf(e);
            return lane == None ? QString() : m_log->laneName(lane);
        }
        case KindColumn:
            return QLatin1String(EventLog::kindName(e.kind()));
        case DetailColumn:
            return detailText(row);
        }
        return {};
    case Qt::ToolTipRole:
        return m_caption->caption(row);
    case Qt::TextAlignmentRole:
        if (index.column() == IndexColumn || index.column() == TimeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (qsizetype(row) == playhead() - 1) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case EventIndexRole:
        return qlonglong(row);
    case LaneRole:
        return laneOf(e);
    case IsCurrentRole:
        return qsizetype(row) == playhead() - 1;
    case EventTableDelegate::DimmedRole:
        return qsizetype(row) >= playhead();
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == IndexColumn)
        return tr("The event's number, from 0, as `lifeline events` prints it and the caption's "
                  "\u201cevent #N\u201d says; a step row (what the code view follows) has none");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IndexColumn:
        return tr("#");
    case TimeColumn:
        return tr("ms");
    case LaneColumn:
        return tr("Lane");
    case KindColumn:
        return tr("Event");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}

} // namespace Lifeline
