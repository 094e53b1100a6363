// SPDX-License-Identifier: MIT
#pragma once
// The timeline's legend, drawn the same way in the window's Legend dock and under an exported
// image: which phases, end markers, exception badges and lines the run uses, each with its
// glyph (drawn by TimelinePainter's own marker and badge code) and a few words. Lists only what
// a TimelineUsage says is drawn. items() says what, layout() where (plain data, for tests and
// for sizing), paint() draws a layout; nothing here reads the event log or keeps state.

#include "timelinemodel.h"
#include "timelinetheme.h"

#include <QFont>
#include <QRectF>
#include <QString>
#include <vector>

class QPainter;

namespace Lifeline {

class TimelineLegend
{
public:
    enum class Glyph : quint8 {
        Title, // a section's name ("Phases"), no glyph
        Span, // a phase's swatch; code: SpanKind
        Marker, // code: MarkerKind
        Badge, // code: HopAction
        PathLine, // an exception's path
        LinkLine, // from a replaced or grouped exception to its successor
        CancelLine, // from a cancellation's cause to the task it hits
        Cluster, // marks merged where they would overlap; code: the count drawn
        OwnerFrame, // a TaskGroup or gather framing the tasks it owns
    };
    struct Item
    {
        Glyph glyph;
        int code;
        QString text;
    };
    struct PlacedItem
    {
        Item item;
        QRectF glyph; // empty for a title
        QRectF text; // where the words go
    };
    struct Layout
    {
        std::vector<PlacedItem> items;
        QSizeF size; // of what is placed, margins included
    };

    static constexpr qreal RowHeight = 22;
    static constexpr qreal Margin = 8;

    // What the legend lists for what is drawn, section by section.
    static std::vector<Item> items(const TimelineUsage &usage);
    // Items flowed left to right in rows at most `width` wide (an item wider than that gets a
    // row of its own); a section's title never ends a row.
    static Layout layout(const std::vector<Item> &items, qreal width, const QFont &font);
    static void paint(QPainter &painter, const Layout &layout, QPointF origin,
                      const TimelineTheme &theme, const QFont &font);
};

} // namespace Lifeline
