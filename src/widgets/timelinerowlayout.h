// SPDX-License-Identifier: MIT
#pragma once
// The order of the timeline's rows: per group a header row (its summary track), followed by its
// lanes when the group is expanded. Rows have one height, so a y coordinate maps to a row in
// O(1) and scrolling never walks the lanes. Rebuilding is O(lanes) and happens only when a
// group appears, is expanded or collapsed; lanes that join a group (every frame of a live run)
// are placed in O(new lanes). No pixels here either: the painter sizes rows.

#include "chunkedarray.h"
#include "timelinemodel.h"

#include <vector>

namespace Lifeline {

enum class RowKind : quint8 { Group, Lane };

struct TimelineRow
{
    RowKind kind;
    qint32 id; // group index or lane id
};

class TimelineRowLayout
{
public:
    // Groups with more lanes than this start collapsed: a hundred thousand rows help nobody.
    static constexpr qsizetype CollapseAbove = 200;

    // Returns true when the rows changed.
    bool sync(const TimelineModel &model);
    void clear();

    qsizetype rowCount() const { return qsizetype(m_rows.size()); }
    // Bumped whenever the rows change, so caches can tell they are stale.
    quint64 revision() const { return m_revision; }
    const TimelineRow &row(qsizetype index) const { return m_rows[size_t(index)]; }
    // The row showing `lane`: its own, or its group's header while the group is collapsed.
    qsizetype rowOfLane(LaneId lane) const;
    qsizetype rowOfGroup(int group) const;

    bool isExpanded(int group) const;
    void setExpanded(int group, bool expanded);
    void setAllExpanded(bool expanded);

private:
    void rebuild(const TimelineModel &model);
    // Places lanes that appeared since the last sync without moving any row (a live run adds
    // lanes every frame); false when only rebuild() can.
    bool placeNewLanes(const TimelineModel &model);
    // Gives the group's lanes from m_groupPlaced on rows of their own (expanded) or its
    // header's (collapsed); the header row must exist.
    void placeLanes(const TimelineModel &model, int group);

    // Chunked: growing by a frame's lanes never copies a half-million-row table.
    ChunkedArray<TimelineRow> m_rows;
    ChunkedArray<qint32> m_laneRow; // by lane id; -1 while absent (a row per lane at most)
    std::vector<qint64> m_groupRow; // by group
    std::vector<size_t> m_groupPlaced; // by group: its lanes placed so far
    std::vector<qint8> m_expanded; // by group; -1: not decided yet
    qsizetype m_syncedLanes = -1;
    quint64 m_syncedRevision = 0;
    quint64 m_revision = 0;
    bool m_dirty = true;
};

} // namespace Lifeline
