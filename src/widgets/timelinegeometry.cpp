// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: one frame's rectangles, marks, paths and ticks built in one pass
// whose parts share the time-to-pixel mapping and each lane's open run.
#include "timelinegeometry.h"

#include "timelinecrowding.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace Lifeline {

qreal TimelineGeometry::labelWidth(qreal width, qreal requested)
{
    if (requested < 0)
        return std::clamp(width * 0.28, 150.0, 440.0);
    return std::max(MinLabelWidth, std::min(requested, width * 0.8));
}

qreal TimelineGeometry::heightShare(SpanKind kind)
{
    // A task's waits are a little thicker than its running bar, thinner than the phases; a
    // sleep is idle, as thin as running.
    static constexpr qreal shares[SpanKindCount]
        = { 0.78, 0.42, 0.78, 0.78, 0.30, 0.30, 0.42, 0.42, 0.42, 0.42, 0.42, 0.30, 0.42, 0.42 };
    return shares[int(kind)];
}

QRectF TimelineGeometry::timeRect(QSizeF size, qreal requestedLabelWidth)
{
    const qreal left = labelWidth(size.width(), requestedLabelWidth);
    return QRectF(left, RulerHeight, std::max<qreal>(size.width() - left, 1),
                  std::max<qreal>(size.height() - RulerHeight, 0));
}

TimelineCoordinates TimelineGeometry::coordinates(QSizeF size, TimeRange range,
                                                  qreal requestedLabelWidth)
{
    const QRectF r = timeRect(size, requestedLabelWidth);
    return TimelineCoordinates(range, r.left() + LeftPadding,
                               r.width() - LeftPadding - RightPadding);
}

const TimelineRenderModel &TimelineGeometry::build(const TimelineModel &model,
                                                   const TimelineRowLayout &rows,
                                                   const TimelineFrame &frame)
{
    if (m_valid && frame == m_frame && model.revision() == m_modelRevision
        && rows.revision() == m_rowsRevision)
        return m_out;
    ++m_builds;
    m_valid = true;
    m_frame = frame;
    m_modelRevision = model.revision();
    m_rowsRevision = rows.revision();
    m_playheadTime = model.playheadTime();

    // clear() keeps the capacity: steady-state frames allocate nothing.
    for (auto &group : m_out.rects)
        group.clear();
    for (auto &group : m_out.refs)
        group.clear();
    m_out.rows.clear();
    m_out.markers.clear();
    m_out.badges.clear();
    m_out.pathLines.clear();
    m_out.linkLines.clear();
    m_out.cancelLines.clear();
    m_out.ownerFrames.clear();
    m_out.ticks.clear();
    m_out.ticksPerMs = frame.ticksPerMs;
    m_spots.clear();

    const QSizeF size = frame.size;
    m_out.rulerRect = QRectF(0, 0, size.width(), RulerHeight);
    m_out.timeRect = timeRect(size, frame.labelWidth);
    m_out.labelRect = QRectF(0, RulerHeight, m_out.timeRect.left(), m_out.timeRect.height());
    m_out.rowHeight = RowHeight;
    m_coords = coordinates(size, frame.range, frame.labelWidth);
    // Spans are looked up over the whole time rectangle, padding included.
    m_out.rangeStart = m_coords.time(m_out.timeRect.left());
    m_out.rangeEnd = m_coords.time(m_out.timeRect.right());
    const qreal dpr = frame.devicePixelRatio;
    m_clipLeft = qint64(std::floor(m_out.timeRect.left() * dpr));
    m_clipRight = qint64(std::ceil(m_out.timeRect.right() * dpr));

    // Only the rows on screen: O(1) to find, whatever the number of lanes.
    const qint64 first = std::max<qint64>(0, qint64(frame.scroll / RowHeight));
    const qint64 last = std::min<qint64>(
        rows.rowCount(), qint64(std::ceil((frame.scroll + m_out.timeRect.height()) / RowHeight)));
    for (qint64 r = first; r < last; ++r) {
        const TimelineRow &row = rows.row(r);
        TimelineRowItem item { r,        m_out.timeRect.top() + qreal(r) * RowHeight - frame.scroll,
                               row.kind, row.id,
                               0,        false,
                               0 };
        if (row.kind == RowKind::Group) {
            item.expanded = rows.isExpanded(row.id);
            item.lanes = qsizetype(model.groupLanes(row.id).size());
        } else if (model.laneKind(row.id) == LaneKind::Task) {
            for (LaneId p = model.laneParent(row.id); p >= 0 && item.depth < 4;
                 p = model.laneParent(p))
                ++item.depth;
        } else {
            item.depth = 1;
        }
        m_out.rows.push_back(item);
        buildRow(model, item, rows);
    }
    m_out.selectedRow = rows.rowOfLane(frame.selectedLane);
    m_out.selectedPoint = QPointF(-1, -1);
    if (frame.selectedTime >= 0 && m_out.selectedRow >= 0)
        m_out.selectedPoint = QPointF(m_coords.x(frame.selectedTime), rowCentre(m_out.selectedRow));
    buildPaths(model, rows);
    TimelineCrowding::merge(m_out); // once every mark has its place
    // Deadlines and cancellations after the merge: thin poles and arrowheads above a lane's
    // centre, drawn over a crowd rather than counted in it.
    buildScopes(model, rows);
    buildTicks();
    const bool split = frame.playheadTime >= 0; // a playhead inside the modelled run
    const qreal px = m_coords.x(double(split ? frame.playheadTime : m_playheadTime));
    m_out.playheadX = ((model.eventCount() > 0 || split) && px >= m_out.timeRect.left() - 0.5
                       && px <= m_out.timeRect.right() + 0.5)
        ? px
        : -1;
    m_out.futureX = split && px < m_out.timeRect.right() ? std::max(px, m_out.timeRect.left()) : -1;
    return m_out;
}

bool TimelineGeometry::clipped(QLineF line, QLineF *out) const
{
    // Liang-Barsky against the time area plus a margin: a path to a lane a million rows down
    // must not hand the stroker a line a million rows long.
    const QRectF r = m_out.timeRect.adjusted(-16, -16, 16, 16);
    const double dx = line.dx(), dy = line.dy();
    double t0 = 0, t1 = 1;
    const double p[] = { -dx, dx, -dy, dy };
    const double q[] = { line.x1() - r.left(), r.right() - line.x1(), line.y1() - r.top(),
                         r.bottom() - line.y1() };
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    *out = QLineF(line.pointAt(t0), line.pointAt(t1));
    return true;
}

quint64 TimelineGeometry::spotKey(QPointF p)
{
    return (quint64(qint64(std::llround(p.x())) & 0xFFFFFFF) << 32)
        | quint64(qint64(std::llround(p.y())) & 0xFFFFFFFF);
}

qreal TimelineGeometry::rowCentre(qint64 row) const
{
    return m_out.timeRect.top() + qreal(row) * RowHeight - m_frame.scroll + RowHeight / 2;
}

void TimelineGeometry::buildRow(const TimelineModel &model, const TimelineRowItem &row,
                                const TimelineRowLayout &)
{
    if (row.kind == RowKind::Group) {
        // An expanded group shows its lanes right below; its summary would only repeat them.
        if (!row.expanded)
            buildTrack(model.groupSpans(row.id), true, row.row, row.top);
    } else {
        buildTrack(model.spans(row.id), false, row.row, row.top);
        buildLaneMarkers(model, row.id, row.row, row.top);
    }
}

void TimelineGeometry::buildTrack(const TimelineSpanTable &table, bool overlapping, qint64 row,
                                  qreal top)
{
    const qsizetype n = table.count();
    if (n == 0)
        return;
    m_row = row;
    m_top = top;
    m_stack.clear();
    m_hasPending = false;
    m_frontier = m_clipLeft;
    const double t0 = m_out.rangeStart;
    const double t1 = m_out.rangeEnd;
    const double dpr = m_frame.devicePixelRatio;
    const double columnMs = m_coords.msPerPixel() / dpr;
    auto piece = [&](qsizetype i, qsizetype merged) {
        const TimelineSpan &s = table.at(i);
        const double end = double(s.isOpen() ? m_playheadTime : s.end);
        qint64 x0 = qint64(std::llround(m_coords.x(double(s.start)) * dpr));
        qint64 x1 = qint64(std::llround(m_coords.x(end) * dpr));
        x0 = std::clamp(x0, m_clipLeft, m_clipRight);
        x1 = std::clamp(std::max(x1, x0 + 1), m_clipLeft, m_clipRight); // slivers stay visible
        return Piece { x0, x1, s.kind(), i, merged };
    };

    qsizetype i = table.firstIndex(t0);
    if (i > 0) {
        // What started before the view and reaches into it: a lane's previous span, or the
        // summary's span reaching furthest.
        const qsizetype before = overlapping ? table.representative(0, i) : i - 1;
        const TimelineSpan &s = table.at(before);
        if (s.isOpen() || double(s.end) > t0)
            push(piece(before, 1));
    }
    while (i < n && double(table.start(i)) < t1) {
        // One device-pixel column: every span starting in it is represented by one span.
        const double start = double(table.start(i));
        const double column = std::floor((start - t0) / columnMs);
        const double columnEnd
            = std::max(t0 + (column + 1) * columnMs, std::nextafter(start, 1e300));
        const qsizetype j = table.nextIndex(i + 1, columnEnd);
        table.prefetch(j, 2 * j - i); // the next column, if it is as wide as this one
        const qsizetype r = j == i + 1 ? i : table.representative(i, j);
        push(piece(r, j - i));
        i = j;
    }
    finishRow();
}

void TimelineGeometry::push(const Piece &p)
{
    // Later spans are drawn over earlier ones that still run; an earlier span resumes where a
    // later, shorter one ends. The stack holds the runs still open, shortest-lived on top.
    flushUntil(p.x0);
    while (!m_stack.empty() && m_stack.back().x1 <= p.x1)
        m_stack.pop_back();
    m_stack.push_back(p);
}

void TimelineGeometry::flushUntil(qint64 x)
{
    while (!m_stack.empty() && m_frontier < x) {
        const Piece top = m_stack.back();
        const qint64 e = std::min(top.x1, x);
        if (e > m_frontier) {
            output(top, m_frontier, e);
            m_frontier = e;
        }
        if (top.x1 <= m_frontier)
            m_stack.pop_back();
    }
    m_frontier = std::max(m_frontier, x);
}

void TimelineGeometry::output(const Piece &p, qint64 x0, qint64 x1)
{
    // Identical neighbours merge into one rectangle, except two phases of one kind back to back
    // (two executes in a row) that are each two device pixels wide or more: the first ends a
    // pixel early, so the seam between them shows. Narrower ones merge as before; so do a
    // task's running spans either side of a wait of no length.
    if (m_hasPending && m_pending.kind == p.kind && m_pending.x1 >= x0) {
        const bool seam = isInstancePhase(p.kind) && m_pending.span != p.span
            && x0 - m_pending.x0 >= 2 && x1 - x0 >= 2;
        if (!seam) {
            m_pending.x1 = std::max(m_pending.x1, x1);
            if (m_pending.span != p.span)
                m_pending.merged += p.merged;
            return;
        }
        m_pending.x1 = x0 - 1;
    }
    emitPending();
    m_pending = Piece { x0, x1, p.kind, p.span, p.merged };
    m_hasPending = true;
}

void TimelineGeometry::emitPending()
{
    if (!m_hasPending)
        return;
    const qreal dpr = m_frame.devicePixelRatio;
    const qreal h = (RowHeight - 4) * heightShare(m_pending.kind);
    const auto k = size_t(m_pending.kind);
    m_out.rects[k].append(QRectF(qreal(m_pending.x0) / dpr, m_top + (RowHeight - h) / 2,
                                 qreal(m_pending.x1 - m_pending.x0) / dpr, h));
    m_out.refs[k].append({ m_row, m_pending.span, m_pending.merged });
    m_hasPending = false;
}

void TimelineGeometry::finishRow()
{
    flushUntil(std::numeric_limits<qint64>::max());
    emitPending();
}

void TimelineGeometry::buildLaneMarkers(const TimelineModel &model, LaneId lane, qint64 row,
                                        qreal top)
{
    const qreal y = top + RowHeight / 2;
    const QRectF &area = m_out.timeRect;
    auto inView = [&](qreal x) { return x >= area.left() && x <= area.right(); };
    const TimelineSpanTable &spans = model.spans(lane);
    if (spans.count() > 0) {
        const qsizetype lastSpan = spans.count() - 1;
        const TimelineSpan &s = spans.at(lastSpan);
        MarkerKind kind = MarkerKind::Open;
        bool marked = true;
        switch (s.endState()) {
        case SpanEnd::Open:
            kind = MarkerKind::Open;
            break;
        case SpanEnd::FailedToAcquire:
            kind = MarkerKind::FailedToAcquire;
            break;
        case SpanEnd::Cancelled:
            kind = MarkerKind::Cancelled;
            break;
        case SpanEnd::NeverReleased:
            kind = MarkerKind::NeverReleased;
            break;
        case SpanEnd::TaskFailed:
            kind = MarkerKind::TaskFailed;
            break;
        case SpanEnd::TaskCancelled:
            kind = MarkerKind::TaskCancelled;
            break;
        default:
            marked = false;
        }
        const qreal x = m_coords.x(double(spans.end(lastSpan, m_playheadTime)));
        if (marked && inView(x)) {
            m_out.markers.append({ kind, QPointF(x, y), row, s.event, lane, None });
            // Exception badges at the same spot (a task failing with what escaped it) move aside.
            m_spots[spotKey(QPointF(x, y))].fill(0);
            m_spots[spotKey(QPointF(x, y))][EndMarkerSlot] = 1;
        }
    }
    const std::vector<TimelinePrint> &prints = model.prints(lane);
    auto it = std::partition_point(prints.begin(), prints.end(), [&](const TimelinePrint &p) {
        return double(p.time) < m_out.rangeStart;
    });
    qint64 lastColumn = std::numeric_limits<qint64>::min();
    for (; it != prints.end() && double(it->time) <= m_out.rangeEnd; ++it) {
        const qreal x = m_coords.x(double(it->time));
        const qint64 column = qint64(std::floor(x * m_frame.devicePixelRatio / 3)); // 3px apart
        if (column == lastColumn)
            continue;
        lastColumn = column;
        m_out.markers.append({ MarkerKind::Print, QPointF(x, y), row, it->event, lane, None });
    }
}

void TimelineGeometry::buildPaths(const TimelineModel &model, const TimelineRowLayout &rows)
{
    const QRectF &area = m_out.timeRect;
    const double t0 = m_out.rangeStart;
    // The paths reaching into the range, oldest first, and every point they pass through.
    m_pathIndex.clear();
    // Raised before the range but still travelling in it (a bounded look back: a path that
    // crosses the whole view from far left is rare, and unbounded scans would follow events).
    const int firstInRange = model.lastPathIndex(std::nextafter(t0, -1e300)) + 1;
    int lookBack = 0;
    for (int k = firstInRange - 1; k >= 0 && model.pathReach(k) >= t0 && lookBack < MaxLookBack;
         --k, ++lookBack)
        if (double(model.path(k).lastTime()) >= t0)
            m_pathIndex.push_back(k);
    std::reverse(m_pathIndex.begin(), m_pathIndex.end());
    // Raised in the range: all of them when few; when many, the first raised in each
    // few-pixel column, found by binary search, so the cost follows pixels.
    const int lastInRange = model.lastPathIndex(m_out.rangeEnd);
    const bool sample = lastInRange - firstInRange + 1 > int(DenseItems);
    const double bucketMs = m_coords.msPerPixel() * PathBucket;
    for (int k = firstInRange; k <= lastInRange;) {
        m_pathIndex.push_back(k);
        if (!sample) {
            ++k;
            continue;
        }
        const double t = double(model.path(k).time);
        const double bucketEnd = t0 + (std::floor((t - t0) / bucketMs) + 1) * bucketMs;
        k = std::max(k + 1, model.lastPathIndex(std::nextafter(bucketEnd, -1e300)) + 1);
    }
    m_points.clear();
    m_pathBase.clear();
    for (int k : m_pathIndex) {
        const TimelinePath &path = model.path(k);
        m_pathBase.push_back(m_points.size());
        auto add = [&](LaneId lane, qint64 time, quint32 event, int tag) {
            const qsizetype row = rows.rowOfLane(lane);
            m_points.push_back(
                { row < 0 ? QPointF(-1e9, -1e9) : QPointF(m_coords.x(double(time)), rowCentre(row)),
                  event, tag, row >= 0 });
        };
        add(path.lane, path.time, path.event, -1);
        for (const TimelineHop &hop : path.hops)
            add(hop.lane, hop.time, hop.event, int(hop.action));
    }
    // Things at the same instant on the same row stand side by side, in event order; the same
    // kind of thing twice in one spot is drawn once (thousands of exceptions per pixel).
    m_order.resize(m_points.size());
    for (size_t i = 0; i < m_order.size(); ++i)
        m_order[i] = quint32(i);
    std::stable_sort(m_order.begin(), m_order.end(),
                     [&](quint32 a, quint32 b) { return m_points[a].event < m_points[b].event; });
    // A dense view (many exceptions) shares spots a badge wide, so cost stays with the pixels.
    const bool dense = m_points.size() > DenseItems;
    for (quint32 i : m_order) {
        PathPoint &pt = m_points[i];
        if (!pt.valid)
            continue;
        if (dense)
            pt.pos.rx() = m_out.timeRect.left()
                + std::floor((pt.pos.x() - m_out.timeRect.left()) / BadgeSpacing) * BadgeSpacing;
        auto [it, fresh] = m_spots.try_emplace(spotKey(pt.pos));
        std::array<qint8, 8> &taken = it->second; // slot of each tag + 1, 0: none yet
        if (fresh)
            taken.fill(0);
        qint8 &slot = taken[size_t(pt.tag + 1)];
        pt.drawn = slot == 0;
        if (slot == 0)
            slot = qint8(
                1 + std::count_if(taken.begin(), taken.end(), [](qint8 s) { return s > 0; }));
        pt.pos.rx() += (slot - 1) * BadgeSpacing;
    }
    auto visible = [&](QPointF p) {
        return p.x() >= area.left() - 1 && p.x() <= area.right() + 1
            && p.y() >= area.top() - RowHeight && p.y() <= area.bottom() + RowHeight;
    };
    std::unordered_set<quint64> segments;
    auto segmentKey = [](QPointF a, QPointF b) {
        return (quint64(qint64(a.x()) & 0xFFFF) << 48) | (quint64(qint64(a.y()) & 0xFFFF) << 32)
            | (quint64(qint64(b.x()) & 0xFFFF) << 16) | quint64(qint64(b.y()) & 0xFFFF);
    };
    for (size_t n = 0; n < m_pathIndex.size(); ++n) {
        const TimelinePath &path = model.path(m_pathIndex[n]);
        const PathPoint *pts = &m_points[m_pathBase[n]];
        if (pts[0].valid && pts[0].drawn && visible(pts[0].pos))
            m_out.markers.append({ MarkerKind::Raise, pts[0].pos, rows.rowOfLane(path.lane),
                                   path.event, path.lane, path.exception });
        const PathPoint *prev = pts[0].valid ? &pts[0] : nullptr;
        for (size_t h = 0; h < path.hops.size(); ++h) {
            const TimelineHop &hop = path.hops[h];
            const PathPoint &pt = pts[h + 1];
            if (!pt.valid)
                continue;
            QLineF segment;
            if (prev && clipped(QLineF(prev->pos, pt.pos), &segment)
                && segments.insert(segmentKey(segment.p1(), segment.p2())).second)
                m_out.pathLines.append(segment);
            if (pt.drawn && visible(pt.pos)) {
                m_out.badges.append({ hop.action, pt.pos, rows.rowOfLane(hop.lane), hop.event,
                                      hop.lane, path.exception, hop.link });
                // Replaced and grouped hops point at the exception that took over.
                const int target = model.pathOf(hop.link);
                if (target >= 0) {
                    const TimelinePath &to = model.path(target);
                    const qsizetype row = rows.rowOfLane(to.lane);
                    auto shown = std::lower_bound(m_pathIndex.begin(), m_pathIndex.end(), target);
                    QPointF end;
                    if (shown != m_pathIndex.end() && *shown == target)
                        end = m_points[m_pathBase[size_t(shown - m_pathIndex.begin())]].pos;
                    else if (row >= 0)
                        end = QPointF(m_coords.x(double(to.time)), rowCentre(row));
                    QLineF link;
                    if (row >= 0 && clipped(QLineF(pt.pos, end), &link))
                        m_out.linkLines.append(link);
                }
            }
            prev = &pt;
        }
    }
}

void TimelineGeometry::buildScopes(const TimelineModel &model, const TimelineRowLayout &rows)
{
    const QRectF &area = m_out.timeRect;
    auto inView = [&](qreal x) { return x >= area.left() && x <= area.right(); };
    for (const TimelineRowItem &row : std::as_const(m_out.rows)) {
        const TimelineDeadline *d
            = row.kind == RowKind::Lane ? model.deadline(LaneId(row.id)) : nullptr;
        if (!d)
            continue;
        // The deadline shows whether or not the block outlived it; its firing where it did.
        const qreal y = row.top + RowHeight / 2;
        const qreal x = m_coords.x(double(d->time));
        const TimelineSpanTable &spans = model.spans(row.id);
        if (inView(x) && (d->firedAt < 0 || d->firedAt != d->time))
            m_out.markers.append({ MarkerKind::Deadline, QPointF(x, y), row.row,
                                   spans.count() ? spans.at(0).event : 0, row.id, None });
        const qreal fx = m_coords.x(double(d->firedAt));
        if (d->firedAt >= 0 && inView(fx))
            m_out.markers.append({ MarkerKind::DeadlineFired, QPointF(fx, y), row.row,
                                   d->firedEvent, row.id, None });
    }
    buildCancels(model, rows);
    buildOwners(model, rows);
}

void TimelineGeometry::buildOwners(const TimelineModel &model, const TimelineRowLayout &rows)
{
    // A frame over the rows of an owner's tasks, where they are shown on rows of their own (a
    // collapsed Tasks group, where a gather of thousands starts, has none to frame).
    const std::vector<TimelineOwner> &owners = model.owners();
    if (owners.empty() || !rows.isExpanded(TimelineModel::TaskGroup))
        return;
    // Each owner's first and last row, kept between frames: a gather of 100,000 tasks would
    // otherwise look up 100,000 rows every frame. Tasks that joined since are added; new rows
    // (a live run's) may move old ones, so then it starts over.
    if (rows.revision() != m_ownerRowsRevision) {
        m_ownerRows.clear();
        m_ownerRowsRevision = rows.revision();
    }
    m_ownerRows.resize(owners.size());
    const QRectF &area = m_out.timeRect;
    const qreal top0 = area.top() - m_frame.scroll;
    for (int o = 0; o < int(owners.size()); ++o) {
        const TimelineOwner &owner = owners[size_t(o)];
        const double start = double(owner.start);
        const double end = double(model.ownerEnd(o));
        if (end < m_out.rangeStart || start > m_out.rangeEnd)
            continue;
        OwnerRows &span = m_ownerRows[size_t(o)];
        if (span.counted > owner.tasks.size()) // a model read up to an earlier playhead
            span = OwnerRows();
        for (; span.counted < owner.tasks.size(); ++span.counted) {
            const qsizetype r = rows.rowOfLane(owner.tasks[span.counted]);
            if (r < 0 || rows.row(r).kind != RowKind::Lane)
                continue;
            span.lo = std::min(span.lo, r);
            span.hi = std::max(span.hi, r);
        }
        const qsizetype lo = span.lo, hi = span.hi;
        if (hi < 0)
            continue;
        const qreal top = top0 + qreal(lo) * RowHeight + 1;
        const qreal bottom = top0 + qreal(hi + 1) * RowHeight - 1;
        if (bottom < area.top() || top > area.bottom())
            continue;
        const qreal x0 = std::max(m_coords.x(start) - 2, area.left() - 4);
        const qreal x1 = std::min(m_coords.x(end) + 2, area.right() + 4);
        const QRectF rect(QPointF(x0, top), QPointF(std::max(x1, x0 + 4), bottom));
        const QRectF tab(std::max(x0, area.left()), std::max(top - OwnerTabRise, area.top()),
                         qreal(owner.name.size()) * OwnerTabCharWidth + 6, OwnerTabHeight);
        m_out.ownerFrames.append({ rect, tab, o });
    }
}

void TimelineGeometry::buildCancels(const TimelineModel &model, const TimelineRowLayout &rows)
{
    // A cancel() happens at one instant: a line straight down (or up) from the row of its cause
    // (a timeout, a TaskGroup, the failing sibling, the calling task) to the task it hits, and
    // a mark on that task. Only those in the range, at most one per pixel column and task.
    const std::vector<TimelineCancel> &cancels = model.cancels();
    auto it = std::partition_point(cancels.begin(), cancels.end(), [&](const TimelineCancel &c) {
        return double(c.time) < m_out.rangeStart;
    });
    const QRectF &area = m_out.timeRect;
    std::unordered_set<quint64> seen; // empty, so no allocation, while nothing is cancelled
    for (; it != cancels.end() && double(it->time) <= m_out.rangeEnd; ++it) {
        const qsizetype row = rows.rowOfLane(it->task);
        if (row < 0)
            continue;
        const QPointF target(m_coords.x(double(it->time)), rowCentre(row));
        if (!seen.insert(spotKey(target)).second)
            continue;
        if (target.y() >= area.top() - RowHeight && target.y() <= area.bottom() + RowHeight)
            m_out.markers.append(
                { MarkerKind::CancelRequest, target, row, it->event, it->task, None });
        const qsizetype from = it->by >= 0 ? rows.rowOfLane(it->by) : -1;
        QLineF line;
        if (from >= 0 && from != row
            && clipped(QLineF(QPointF(target.x(), rowCentre(from)), target), &line))
            m_out.cancelLines.append(line);
        if (seen.size() > DenseItems)
            break;
    }
}

void TimelineGeometry::buildTicks()
{
    // 1, 2, 5 x 10^k ms, at least ~90 px apart for labels; minor ticks in between.
    const double msPerPx = m_coords.msPerPixel();
    const double wanted = msPerPx * 90;
    double step = std::pow(10.0, std::floor(std::log10(std::max(wanted, 1e-6))));
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        if (step * m >= wanted) {
            step *= m;
            break;
        }
    }
    const double minor = step / 5;
    const double first = std::ceil(std::max(m_out.rangeStart, 0.0) / minor) * minor;
    for (double t = first; t <= m_out.rangeEnd; t += minor) {
        const double ratio = t / step;
        const bool major = std::abs(ratio - std::round(ratio)) < 1e-6;
        m_out.ticks.append({ m_coords.x(t), major ? std::round(ratio) * step : t, major });
    }
}

} // namespace Lifeline
