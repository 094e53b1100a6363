// SPDX-License-Identifier: MIT
#pragma once
// Turns the model into one frame's TimelineRenderModel for a visible range and size. Its cost
// follows pixels, not events: only rows on screen are visited, and per row each device-pixel
// column costs one galloping search plus one level-of-detail query, whatever the span count.
// Owns the per-frame cache: build() returns the previous result when nothing it reads changed.

#include "timelinecoordinates.h"
#include "timelinemodel.h"
#include "timelinerendermodel.h"
#include "timelinerowlayout.h"

#include <QSizeF>
#include <array>
#include <limits>
#include <unordered_map>

namespace Lifeline {

// Everything a frame depends on besides the model and the rows.
struct TimelineFrame
{
    QSizeF size;
    qreal devicePixelRatio = 1;
    TimeRange range;
    qreal scroll = 0; // pixels of rows scrolled off the top
    LaneId selectedLane = -1;
    double selectedTime = -1; // < 0: no event selected
    qint64 selectedEvent = -1;
    qreal labelWidth = -1; // the label column's width as the user set it; < 0: automatic
    qint64 ticksPerMs = 1; // the log's clock (EventLog::ticksPerMs), for the ruler's labels
    // A model of the whole run shown with a playhead inside it: the playhead's time, after
    // which the run is drawn faint (TimelineRenderModel::futureX). < 0: the playhead is at the
    // model's end (TimelineModel::playheadTime), with nothing after it.
    qint64 playheadTime = -1;

    bool operator==(const TimelineFrame &) const = default;
};

class TimelineGeometry
{
public:
    static constexpr qreal RulerHeight = 28;
    static constexpr qreal RowHeight = 22;
    // Room for markers at the trace's ends; more on the right, where badges of hops at the
    // run's last instant line up side by side.
    static constexpr qreal LeftPadding = 14;
    static constexpr qreal RightPadding = 48;
    static constexpr qreal BadgeSpacing = 13;
    // An owner frame's name tab: its height, the width per character of its name (the painter
    // draws the name in a font this small, so the tab it hit-tests fits it), and how far it
    // rises above the frame: it straddles the frame's top edge, in the empty margins of the two
    // rows there, clear of the thin task bars.
    static constexpr qreal OwnerTabHeight = 9;
    static constexpr qreal OwnerTabCharWidth = 4.9;
    static constexpr qreal OwnerTabRise = 4;
    static constexpr int OwnerTabFontPixels = 8;
    // Above this many exception points in view, badges snap to a grid one badge wide.
    static constexpr size_t DenseItems = 256;
    // With more exceptions than that in view, one path per this many pixels is drawn.
    static constexpr double PathBucket = 4;
    static constexpr int MaxLookBack = 256;

    // The label column for a frame `width` wide: `requested` (kept to what leaves room for
    // time), or a share of the width when it is < 0.
    static qreal labelWidth(qreal width, qreal requested = -1);
    static constexpr qreal MinLabelWidth = 80;
    // How much of a row a span of `kind` fills: shape tells phases apart as well as colour
    // (ready is a slim bar between the full-height busy phases; tasks are thin).
    static qreal heightShare(SpanKind kind);
    static QRectF timeRect(QSizeF size, qreal labelWidth = -1);
    // The coordinates a frame of `size` uses for `range`.
    static TimelineCoordinates coordinates(QSizeF size, TimeRange range, qreal labelWidth = -1);
    // Rows height in pixels, for scroll limits.
    static qreal contentHeight(qsizetype rows) { return qreal(rows) * RowHeight; }

    const TimelineRenderModel &build(const TimelineModel &model, const TimelineRowLayout &rows,
                                     const TimelineFrame &frame);
    const TimelineRenderModel &last() const { return m_out; }
    void invalidate() { m_valid = false; }
    // How many frames were really built (the rest came from the cache): for tests.
    int buildCount() const { return m_builds; }

private:
    struct Piece
    {
        qint64 x0, x1; // device pixels
        SpanKind kind;
        qsizetype span;
        qsizetype merged;
    };

    void buildRow(const TimelineModel &model, const TimelineRowItem &row,
                  const TimelineRowLayout &rows);
    void buildTrack(const TimelineSpanTable &table, bool overlapping, qint64 row, qreal top);
    void push(const Piece &piece);
    void flushUntil(qint64 x);
    void output(const Piece &piece, qint64 x0, qint64 x1);
    void emitPending();
    void finishRow();
    void buildLaneMarkers(const TimelineModel &model, LaneId lane, qint64 row, qreal top);
    void buildPaths(const TimelineModel &model, const TimelineRowLayout &rows);
    void buildScopes(const TimelineModel &model, const TimelineRowLayout &rows);
    void buildCancels(const TimelineModel &model, const TimelineRowLayout &rows);
    void buildOwners(const TimelineModel &model, const TimelineRowLayout &rows);
    void buildTicks();
    qreal rowCentre(qint64 row) const;

    TimelineRenderModel m_out;
    TimelineCoordinates m_coords;
    TimelineFrame m_frame;
    qint64 m_playheadTime = 0;
    quint64 m_modelRevision = 0;
    quint64 m_rowsRevision = 0;
    bool m_valid = false;
    int m_builds = 0;
    // Per-row scratch, reused between rows and frames (no allocation per frame).
    std::vector<Piece> m_stack;
    struct PathPoint
    {
        QPointF pos;
        quint32 event;
        int tag; // -1: raised; otherwise the HopAction
        bool valid;
        bool drawn = false;
    };
    std::vector<int> m_pathIndex;
    std::vector<size_t> m_pathBase;
    std::vector<PathPoint> m_points;
    std::vector<quint32> m_order;
    // Occupied spots (pixel position) -> slot taken by each kind of thing drawn there, + 1.
    static constexpr int EndMarkerSlot = 7;
    static quint64 spotKey(QPointF p);
    bool clipped(QLineF line, QLineF *out) const;
    std::unordered_map<quint64, std::array<qint8, 8>> m_spots;
    struct OwnerRows
    {
        size_t counted = 0; // of the owner's tasks, those looked up
        qsizetype lo = std::numeric_limits<qsizetype>::max();
        qsizetype hi = -1;
    };
    std::vector<OwnerRows> m_ownerRows; // by owner, for m_ownerRowsRevision's rows
    quint64 m_ownerRowsRevision = 0;
    Piece m_pending {};
    bool m_hasPending = false;
    qint64 m_frontier = 0;
    qint64 m_row = 0;
    qreal m_top = 0;
    qint64 m_clipLeft = 0, m_clipRight = 0;
};

} // namespace Lifeline
