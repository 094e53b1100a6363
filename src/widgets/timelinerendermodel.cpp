// SPDX-License-Identifier: MIT
#include "timelinerendermodel.h"

#include <cmath>

namespace Lifeline {

qsizetype TimelineRenderModel::rectCount() const
{
    qsizetype n = 0;
    for (const auto &group : rects)
        n += group.size();
    return n;
}

const TimelineRowItem *TimelineRenderModel::rowAt(qreal y) const
{
    for (const TimelineRowItem &r : rows)
        if (y >= r.top && y < r.top + rowHeight)
            return &r;
    return nullptr;
}

double TimelineRenderModel::timeAt(qreal x) const
{
    if (timeRect.width() <= 0)
        return rangeStart;
    return rangeStart + (x - timeRect.left()) / timeRect.width() * (rangeEnd - rangeStart);
}

TimelineHit TimelineRenderModel::hitTest(QPointF pos, qreal radius) const
{
    TimelineHit hit;
    hit.time = timeAt(pos.x());
    if (rulerRect.contains(pos)) {
        hit.kind = HitKind::Ruler;
        return hit;
    }
    const TimelineRowItem *row = rowAt(pos.y());
    if (!row)
        return hit;
    hit.row = row->row;
    hit.rowKind = row->kind;
    hit.rowId = row->id;
    if (labelRect.contains(pos)) {
        const bool onExpander = row->kind == RowKind::Group && pos.x() < labelRect.left() + 18;
        hit.kind = onExpander ? HitKind::Expander : HitKind::Label;
        return hit;
    }
    // Badges and markers sit on top of spans, so they win; the nearest one within `radius`.
    qreal best = radius * radius;
    auto closer = [&](QPointF p) {
        const QPointF d = p - pos;
        const qreal dist = d.x() * d.x() + d.y() * d.y();
        if (dist > best)
            return false;
        best = dist;
        return true;
    };
    for (int i = 0; i < clusters.size(); ++i) {
        if (closer(clusters[i].pos)) {
            hit.kind = HitKind::Cluster;
            hit.index = i;
        }
    }
    for (int i = 0; i < badges.size(); ++i) {
        if (closer(badges[i].pos)) {
            hit.kind = HitKind::Badge;
            hit.index = i;
        }
    }
    if (hit.kind == HitKind::None) {
        for (int i = 0; i < markers.size(); ++i) {
            if (closer(markers[i].pos)) {
                hit.kind = HitKind::Marker;
                hit.index = i;
            }
        }
    }
    if (hit.kind != HitKind::None)
        return hit;
    // An owner's name tab, or its frame's left edge: over the tasks' spans it frames.
    for (int i = int(ownerFrames.size()) - 1; i >= 0; --i) {
        const TimelineOwnerFrame &f = ownerFrames[i];
        const bool onEdge = std::abs(pos.x() - f.rect.left()) <= 2 && pos.y() >= f.rect.top()
            && pos.y() <= f.rect.bottom();
        if (f.tab.contains(pos) || onEdge) {
            hit.kind = HitKind::Owner;
            hit.index = i;
            return hit;
        }
    }
    // Spans: the rectangle of this row under the cursor, forgiving a pixel for slivers.
    for (int k = 0; k < SpanKindCount; ++k) {
        const QVector<QRectF> &group = rects[size_t(k)];
        for (int i = 0; i < group.size(); ++i) {
            if (refs[size_t(k)][i].row != row->row)
                continue;
            const QRectF &r = group[i];
            if (pos.x() >= r.left() - 1 && pos.x() <= r.right() + 1) {
                hit.kind = HitKind::Span;
                hit.index = i;
                hit.spanKind = SpanKind(k);
                return hit;
            }
        }
    }
    return hit;
}

} // namespace Lifeline
