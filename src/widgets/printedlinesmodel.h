// SPDX-License-Identifier: MIT
#pragma once
// The program's printed lines as a table (time, task, text), from the event log's print
// events: every line recorded so far, those at or after the playhead flagged so the view dims
// them. Rows are an index of the print events' positions in the log, 4 bytes a line and
// nothing else per row, so millions of lines cost megabytes, not widgets. The index grows as
// the log does, read in slices of a few milliseconds (a log of millions of events is read over
// several frames, never in one); moving the playhead only changes which rows are dimmed.
// Reads the log; never runs or changes it.

#include "eventlog.h"

#include <QAbstractTableModel>
#include <QTimer>
#include <vector>

namespace Lifeline {

class PrintedLinesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, TaskColumn, TextColumn, ColumnCount };
    enum Role { EventIndexRole = Qt::UserRole + 1, AfterPlayheadRole };
    // How long one slice of reading the log may take.
    static constexpr qint64 SliceNs = 2'000'000;

    explicit PrintedLinesModel(QObject *parent = nullptr);

    // The log must outlive the model, or be replaced (nullptr is fine) first. Reads nothing
    // yet: logGrew() does.
    void setLog(const EventLog *log);
    const EventLog *log() const { return m_log; }
    // The log recorded more: the rows follow, a slice now and the rest on later turns of the
    // event loop. True when every recorded event has been read.
    bool logGrew();
    bool isCaughtUp() const { return !m_log || m_scanned >= m_log->count(); }
    // Events [0, position) have happened: the lines printed by the others are dimmed.
    void setPlayhead(qsizetype position);
    qsizetype playhead() const { return m_playhead; }

    // The log's index of the print event on `row`.
    quint32 eventOf(int row) const { return m_events[size_t(row)]; }
    // The first row printed at or after event `position` (rowCount() when none): the rows
    // before it are the lines printed before the playhead.
    int firstRowFrom(qsizetype position) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    // Reading the log caught up (after slices over several turns of the event loop).
    void caughtUp();

private:
    bool readSlice(qint64 budgetNs);

    const EventLog *m_log = nullptr;
    std::vector<quint32> m_events; // ascending
    size_t m_scanned = 0; // events of the log read so far
    qsizetype m_playhead = 0;
    QTimer m_more; // the next slice, while the log is read over several turns
};

} // namespace Lifeline
