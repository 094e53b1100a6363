// SPDX-License-Identifier: MIT
#include "timelinecrowding.h"

#include "timelinegeometry.h"

#include <algorithm>
#include <vector>

namespace Lifeline {

void TimelineCrowding::merge(TimelineRenderModel &frame)
{
    frame.clusters.clear();
    struct Item
    {
        qint64 row;
        qreal x;
        quint32 event;
        int index; // into markers, or ~index into badges
    };
    std::vector<Item> items;
    items.reserve(size_t(frame.markers.size() + frame.badges.size()));
    for (int i = 0; i < frame.markers.size(); ++i) {
        const TimelineMarker &m = frame.markers[i];
        if (m.kind != MarkerKind::Print)
            items.push_back({ m.row, m.pos.x(), m.event, i });
    }
    for (int i = 0; i < frame.badges.size(); ++i) {
        const TimelineBadge &b = frame.badges[i];
        items.push_back({ b.row, b.pos.x(), b.event, ~i });
    }
    if (items.size() < 2)
        return;
    std::sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
        return a.row != b.row ? a.row < b.row : a.x != b.x ? a.x < b.x : a.event < b.event;
    });
    std::vector<bool> takenMarker(size_t(frame.markers.size())),
        takenBadge(size_t(frame.badges.size()));
    const qreal sideBySide = TimelineGeometry::BadgeSpacing + 0.5;
    for (size_t i = 0; i < items.size();) {
        // A run of marks each overlapping or beside the one before it.
        size_t j = i + 1;
        bool overlapping = false;
        while (j < items.size() && items[j].row == items[i].row) {
            const qreal dx = items[j].x - items[j - 1].x;
            if (dx >= sideBySide)
                break;
            // Marks at one spot are drawn there on purpose (a cancel's arrowhead over its
            // raise): only marks at different places, which zooming in sets apart, overlap.
            overlapping = overlapping || (dx >= 0.5 && dx < Overlap);
            ++j;
        }
        if (overlapping || j - i > MaxSideBySide) {
            TimelineCluster cluster;
            cluster.row = items[i].row;
            std::vector<Item> members(items.begin() + qsizetype(i), items.begin() + qsizetype(j));
            std::stable_sort(members.begin(), members.end(),
                             [](const Item &a, const Item &b) { return a.event < b.event; });
            for (const Item &m : members) {
                if (m.index >= 0) {
                    cluster.markers.append(frame.markers[m.index]);
                    takenMarker[size_t(m.index)] = true;
                } else {
                    cluster.badges.append(frame.badges[~m.index]);
                    takenBadge[size_t(~m.index)] = true;
                }
            }
            // At the first mark's place: where the crowd begins in time.
            const Item &first = items[i];
            cluster.pos = first.index >= 0 ? frame.markers[first.index].pos
                                           : frame.badges[~first.index].pos;
            frame.clusters.append(std::move(cluster));
        }
        i = j;
    }
    if (frame.clusters.isEmpty())
        return;
    qsizetype kept = 0;
    for (qsizetype i = 0; i < frame.markers.size(); ++i)
        if (!takenMarker[size_t(i)])
            frame.markers[kept++] = frame.markers[i];
    frame.markers.resize(kept);
    kept = 0;
    for (qsizetype i = 0; i < frame.badges.size(); ++i)
        if (!takenBadge[size_t(i)])
            frame.badges[kept++] = frame.badges[i];
    frame.badges.resize(kept);
}

} // namespace Lifeline
