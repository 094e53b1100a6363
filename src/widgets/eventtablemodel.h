// SPDX-License-Identifier: MIT
#pragma once
// The event log as a table: one row per event (#, time, lane, kind, detail), up to a visible
// count, with a playhead that may stand before the last row (the rows after it are dimmed);
// # is the number `lifeline events` prints (EventNumbering).
// Moving the playhead inserts or removes rows at the end, never resets, so a view keeps its
// scroll position and selection. Reads the log; never runs or changes it. Filtering is a
// QSortFilterProxyModel's job, not this model's.

#include "eventlog.h"
#include "eventnumbering.h"

#include <QAbstractTableModel>
#include <algorithm>
#include <memory>

namespace Lifeline {

class EventCaption;
struct Scenario;

class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { IndexColumn, TimeColumn, LaneColumn, KindColumn, DetailColumn, ColumnCount };
    enum Role { EventIndexRole = Qt::UserRole + 1, LaneRole, IsCurrentRole };

    explicit EventTableModel(QObject *parent = nullptr);
    ~EventTableModel() override;

    // Both must outlive the model or be replaced first; `scenario` may be null (no step text).
    void setLog(const EventLog *log, const Scenario *scenario = nullptr, qsizetype visible = 0);
    // The same with captions already made for `log` (shared with other views: indexing a big
    // scenario's steps is not free).
    void setLog(const EventLog *log, std::shared_ptr<const EventCaption> captions,
                qsizetype visible = 0);
    const EventLog *log() const { return m_log; }
    // How many events (from the first) are rows; clamped to the log's size.
    void setVisibleCount(qsizetype count);
    qsizetype visibleCount() const { return m_visible; }
    // Events [0, position) have happened: the row before is the current one (bold), the rows
    // from `position` on are flagged to be dimmed (EventTableDelegate::DimmedRole). The window
    // shows every recorded event and moves this, so a row after the playhead can be clicked.
    // < 0 (the default): at the last row.
    void setPlayhead(qsizetype position);
    qsizetype playhead() const
    {
        return m_playhead < 0 ? m_visible : std::min(m_playhead, m_visible);
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    QString detailText(size_t event) const;
    // The number `lifeline events` gives an event (its # cell), -1 for a step event; and how
    // many numbered events are among the first `count` the log has recorded (EventNumbering).
    qint64 eventNumber(size_t event) const;
    qint64 numberedBefore(size_t count) const;
    // The lane an event belongs to in the table: its subject, or for exceptions where it happened.
    static LaneId laneOf(const Event &e);

private:
    const EventLog *m_log = nullptr;
    std::shared_ptr<const EventCaption> m_caption;
    qsizetype m_visible = 0;
    qsizetype m_playhead = -1;
    EventNumbering m_numbering; // the whole recorded log, grown on each setVisibleCount()
};

} // namespace Lifeline
