// SPDX-License-Identifier: MIT
#include "printedlinesmodel.h"

#include "eventformatter.h"
#include "eventtabledelegate.h"
#include "slicegate.h"

#include <QElapsedTimer>

#include <algorithm>

namespace Lifeline {

PrintedLinesModel::PrintedLinesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_more.setSingleShot(true);
    m_more.setInterval(0);
    connect(&m_more, &QTimer::timeout, this, [this] {
        if (readSlice(SliceGate::current().allowance(SliceNs)))
            Q_EMIT caughtUp();
        else
            m_more.start();
    });
}

void PrintedLinesModel::setLog(const EventLog *log)
{
    m_more.stop();
    beginResetModel();
    m_log = log;
    m_events.clear();
    m_events.shrink_to_fit();
    m_scanned = 0;
    m_playhead = 0;
    endResetModel();
}

bool PrintedLinesModel::logGrew()
{
    if (isCaughtUp())
        return true;
    if (m_more.isActive())
        return false; // a slice is due anyway
    // What this pass of the event loop has left (SliceGate), and at least one chunk (a run of a
    // few thousand events is read at once; a bigger one goes on from the timer).
    if (readSlice(SliceGate::current().allowance(SliceNs)))
        return true;
    m_more.start();
    return false;
}

bool PrintedLinesModel::readSlice(qint64 budgetNs)
{
    if (!m_log)
        return true;
    const size_t count = m_log->count();
    // Read first, then insert the rows found in one go: a view is told once per slice.
    std::vector<quint32> found;
    QElapsedTimer clock;
    clock.start();
    constexpr size_t Chunk = 4096; // events between looks at the clock
    size_t i = m_scanned;
    while (i < count) {
        const size_t end = std::min(count, i + Chunk);
        for (; i < end; ++i)
            if (m_log->kindAt(i) == EventKind::Printed)
                found.push_back(quint32(i));
        if (budgetNs >= 0 && clock.nsecsElapsed() >= budgetNs)
            break;
    }
    m_scanned = i;
    if (!found.empty()) {
        const int first = int(m_events.size());
        beginInsertRows({}, first, first + int(found.size()) - 1);
        m_events.insert(m_events.end(), found.begin(), found.end());
        endInsertRows();
    }
    return m_scanned >= count;
}

int PrintedLinesModel::firstRowFrom(qsizetype position) const
{
    return int(std::lower_bound(m_events.begin(), m_events.end(),
                                quint64(std::max<qsizetype>(0, position)),
                                [](quint32 event, quint64 p) { return event < p; })
               - m_events.begin());
}

void PrintedLinesModel::setPlayhead(qsizetype position)
{
    position = std::max<qsizetype>(0, position);
    if (position == m_playhead)
        return;
    // Only the lines between the old and the new playhead change side.
    const int from = firstRowFrom(std::min(position, m_playhead));
    const int to = firstRowFrom(std::max(position, m_playhead));
    m_playhead = position;
    if (from < to)
        Q_EMIT dataChanged(index(from, 0), index(to - 1, ColumnCount - 1),
                           { AfterPlayheadRole, EventTableDelegate::DimmedRole });
}

int PrintedLinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int PrintedLinesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PrintedLinesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint32 event = m_events[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        const Event e = m_log->at(event);
        switch (index.column()) {
        case TimeColumn: {
            return EventFormatter::tableMilliseconds(*m_log, qint64(e.time));
        }
        case TaskColumn:
            // A traced program may print outside any task (before or after its event loop).
            return e.lane() == None ? tr("(no task)") : m_log->laneName(e.lane());
        case TextColumn:
            return e.printIndex() >= 0 && e.printIndex() < m_log->printCount()
                ? m_log->print(e.printIndex())
                : QString();
        }
        return {};
    }
    case Qt::TextAlignmentRole:
        if (index.column() == TimeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EventIndexRole:
        return qlonglong(event);
    case AfterPlayheadRole:
    case EventTableDelegate::DimmedRole:
        return qsizetype(event) >= m_playhead;
    }
    return {};
}

QVariant PrintedLinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::ToolTipRole && section == TimeColumn)
        return m_log && m_log->ticksPerMs() != 1 ? tr("Real time, in milliseconds")
                                                 : tr("Virtual time, in milliseconds");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("ms");
    case TaskColumn:
        return tr("Task");
    case TextColumn:
        return tr("Printed");
    }
    return {};
}

} // namespace Lifeline
