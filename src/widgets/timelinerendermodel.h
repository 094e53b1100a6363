// SPDX-License-Identifier: MIT
#pragma once
// What one frame of the timeline draws, in logical pixels: span rectangles grouped by phase (one
// draw call per group), markers, exception hop badges, path and link lines, ruler ticks and row
// labels. Built by TimelineGeometry, painted by TimelinePainter, checked directly by tests, and
// hit-tested for hover and clicks. Plain data plus queries; it never looks at the model.

#include "timelinerowlayout.h"
#include "timelinespantable.h"

#include <QLineF>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QVector>
#include <array>

namespace Lifeline {

// Where a rectangle came from: a span of the row's track, standing for `merged` spans.
struct TimelineSpanRef
{
    qint64 row;
    qsizetype span; // index in the row's track (lane spans or group summary)
    qsizetype merged;
};

enum class MarkerKind : quint8 {
    Raise,
    FailedToAcquire,
    Cancelled,
    NeverReleased,
    Open, // still running at the playhead
    TaskFailed,
    TaskCancelled,
    Print,
    Deadline, // a timeout's deadline, on the timeout's lane
    DeadlineFired, // where the deadline passed and the timeout cancelled its task
    CancelRequest, // task.cancel() reached this task (its cause's line ends here)
};

struct TimelineMarker
{
    MarkerKind kind;
    QPointF pos;
    qint64 row;
    quint32 event;
    LaneId lane;
    ExcId exception; // Raise only
};

struct TimelineBadge
{
    HopAction action;
    QPointF pos;
    qint64 row;
    quint32 event;
    LaneId lane;
    ExcId exception;
    ExcId link;
};

// Marks that would overlap, drawn as one counted mark (TimelineCrowding); its members keep
// their own positions, in event order.
struct TimelineCluster
{
    QPointF pos;
    qint64 row;
    QVector<TimelineMarker> markers;
    QVector<TimelineBadge> badges;

    qsizetype count() const { return markers.size() + badges.size(); }
};

// A TaskGroup or a gather framing the rows of the tasks it owns, from when it began to when the
// last of them (and a TaskGroup's own lane) ended; `tab` holds its name, at the top left.
struct TimelineOwnerFrame
{
    QRectF rect;
    QRectF tab;
    int owner; // into TimelineModel::owners()
};

struct TimelineRowItem
{
    qint64 row;
    qreal top;
    RowKind kind;
    qint32 id;
    int depth; // indentation of task lanes under their creator
    bool expanded;
    qsizetype lanes; // group rows: how many lanes it summarises
};

struct TimelineTick
{
    qreal x;
    double time;
    bool major;
};

enum class HitKind : quint8 { None, Ruler, Label, Expander, Span, Marker, Badge, Cluster, Owner };

struct TimelineHit
{
    HitKind kind = HitKind::None;
    qint64 row = -1;
    RowKind rowKind = RowKind::Lane;
    qint32 rowId = -1;
    int index = -1; // Span: index into rects[kind]; Marker/Badge/Cluster/Owner: index into
                    // markers/badges/clusters/ownerFrames
    SpanKind spanKind = SpanKind::Ready;
    double time = 0;
};

struct TimelineRenderModel
{
    QRectF rulerRect, labelRect, timeRect;
    qreal rowHeight = 0;
    double rangeStart = 0, rangeEnd = 0;
    std::array<QVector<QRectF>, SpanKindCount> rects;
    std::array<QVector<TimelineSpanRef>, SpanKindCount> refs; // parallel to rects
    QVector<TimelineRowItem> rows;
    QVector<TimelineMarker> markers;
    QVector<TimelineBadge> badges;
    QVector<TimelineCluster> clusters; // crowded markers and badges, merged
    QVector<QLineF> pathLines;
    QVector<QLineF> linkLines;
    QVector<QLineF> cancelLines; // from a cancellation's cause to the task it hits
    QVector<TimelineOwnerFrame> ownerFrames;
    QVector<TimelineTick> ticks; // times in the log's ticks
    qint64 ticksPerMs = 1; // 1: a scenario's virtual milliseconds; 10^6: a traced program's ns
    qreal playheadX = -1; // < 0: not in view
    qreal futureX = -1; // what is right of it happens after the playhead (drawn faint); < 0: none
    QPointF selectedPoint { -1, -1 };
    qint64 selectedRow = -1;

    qsizetype rectCount() const;
    const TimelineRowItem *rowAt(qreal y) const;
    double timeAt(qreal x) const;
    TimelineHit hitTest(QPointF pos, qreal radius = 6) const;
};

} // namespace Lifeline
