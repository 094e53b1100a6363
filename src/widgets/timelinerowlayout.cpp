// SPDX-License-Identifier: MIT
#include "timelinerowlayout.h"

namespace Lifeline {

bool TimelineRowLayout::sync(const TimelineModel &model)
{
    if (!m_dirty && model.revision() == m_syncedRevision)
        return false;
    m_syncedRevision = model.revision();
    qsizetype lanes = model.groupCount();
    for (int g = 0; g < model.groupCount(); ++g)
        lanes += qsizetype(model.groupLanes(g).size());
    if (!m_dirty && lanes == m_syncedLanes)
        return false;
    m_syncedLanes = lanes;
    if (m_dirty || !placeNewLanes(model))
        rebuild(model);
    m_dirty = false;
    ++m_revision;
    return true;
}

bool TimelineRowLayout::placeNewLanes(const TimelineModel &model)
{
    // Every new lane must join a group that already has its header row, and lands either on
    // that header (collapsed) or at the very end (the last group, expanded); anything else
    // would move existing rows.
    if (m_groupPlaced.size() != size_t(model.groupCount()))
        return false;
    int lastWithRows = -1;
    for (int g = 0; g < model.groupCount(); ++g)
        if (m_groupRow[size_t(g)] >= 0)
            lastWithRows = g;
    for (int g = 0; g < model.groupCount(); ++g) {
        if (model.groupLanes(g).size() == m_groupPlaced[size_t(g)])
            continue;
        if (m_groupRow[size_t(g)] < 0 || (isExpanded(g) && g != lastWithRows))
            return false;
    }
    m_laneRow.resize(size_t(model.laneCount()), -1);
    for (int g = 0; g < model.groupCount(); ++g)
        placeLanes(model, g);
    return true;
}

void TimelineRowLayout::placeLanes(const TimelineModel &model, int group)
{
    const TimelineModel::LaneList &lanes = model.groupLanes(group);
    const bool expanded = isExpanded(group);
    for (size_t i = m_groupPlaced[size_t(group)]; i < lanes.size(); ++i) {
        const LaneId lane = lanes[i];
        if (expanded) {
            m_laneRow[size_t(lane)] = qint32(m_rows.size());
            m_rows.push_back(TimelineRow { RowKind::Lane, lane });
        } else {
            m_laneRow[size_t(lane)] = qint32(m_groupRow[size_t(group)]);
        }
    }
    m_groupPlaced[size_t(group)] = lanes.size();
}

void TimelineRowLayout::clear()
{
    m_rows.clear();
    m_laneRow.clear();
    m_groupRow.clear();
    m_groupPlaced.clear();
    m_expanded.clear();
    m_syncedLanes = -1;
    m_dirty = true;
}

void TimelineRowLayout::rebuild(const TimelineModel &model)
{
    m_rows.clear();
    m_laneRow.clear();
    m_laneRow.resize(size_t(model.laneCount()), -1);
    m_groupRow.assign(size_t(model.groupCount()), -1);
    m_groupPlaced.assign(size_t(model.groupCount()), 0);
    if (m_expanded.size() < size_t(model.groupCount()))
        m_expanded.resize(size_t(model.groupCount()), -1);
    for (int g = 0; g < model.groupCount(); ++g) {
        const TimelineModel::LaneList &lanes = model.groupLanes(g);
        if (lanes.empty())
            continue;
        if (m_expanded[size_t(g)] < 0)
            m_expanded[size_t(g)] = qsizetype(lanes.size()) <= CollapseAbove ? 1 : 0;
        m_groupRow[size_t(g)] = qint64(m_rows.size());
        m_rows.push_back(TimelineRow { RowKind::Group, g });
        placeLanes(model, g);
    }
}

qsizetype TimelineRowLayout::rowOfLane(LaneId lane) const
{
    return lane >= 0 && size_t(lane) < m_laneRow.size() ? m_laneRow[size_t(lane)] : -1;
}

qsizetype TimelineRowLayout::rowOfGroup(int group) const
{
    return group >= 0 && size_t(group) < m_groupRow.size() ? m_groupRow[size_t(group)] : -1;
}

bool TimelineRowLayout::isExpanded(int group) const
{
    return group >= 0 && size_t(group) < m_expanded.size() && m_expanded[size_t(group)] > 0;
}

void TimelineRowLayout::setExpanded(int group, bool expanded)
{
    if (group < 0)
        return;
    if (m_expanded.size() <= size_t(group))
        m_expanded.resize(size_t(group) + 1, -1);
    if (m_expanded[size_t(group)] == qint8(expanded))
        return;
    m_expanded[size_t(group)] = qint8(expanded);
    m_dirty = true;
}

void TimelineRowLayout::setAllExpanded(bool expanded)
{
    for (qint8 &e : m_expanded)
        e = qint8(expanded);
    m_dirty = true;
}

} // namespace Lifeline
