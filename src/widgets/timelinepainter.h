// SPDX-License-Identifier: MIT
#pragma once
// Paints a TimelineRenderModel with a theme: one draw call per phase brush (antialiasing off for
// the axis-aligned rectangles: crisp edges and several times faster), then lines, markers,
// badges, labels and the ruler with antialiasing on. Keeps laid-out text between frames; never
// decides what is visible (TimelineGeometry did) and never touches the event log.

#include "timelinemodel.h"
#include "timelinerendermodel.h"
#include "timelinetheme.h"

#include <QFont>
#include <QHash>
#include <QMap>
#include <QPainter>
#include <QPixmap>
#include <QStaticText>

namespace Lifeline {

class TimelinePainter
{
public:
    void paint(QPainter &painter, const TimelineRenderModel &frame, const TimelineModel &model,
               const TimelineTheme &theme, const QFont &font);
    // Forget laid-out text (font or palette changed).
    void invalidateText();

    // `150 ms`, `1.25 s`, `0.5 ms`: ruler labels, precise enough for `step`.
    static QString formatTime(double ms, double step);
    // The vector shapes of markers and hop badges centred on `c` (legends draw them too).
    static void drawMarker(QPainter &p, MarkerKind kind, QPointF c, qreal rowHeight,
                           const TimelineTheme &theme);
    static void drawBadge(QPainter &p, HopAction action, QPointF c, const TimelineTheme &theme,
                          const QFont &font);
    // A TaskGroup's or gather's frame over its tasks: tinted, dashed, its start drawn solid.
    static void drawOwnerFrame(QPainter &p, const QRectF &rect, const TimelineTheme &theme);
    // Marks merged where they would overlap: a disc with how many it holds.
    static void drawCluster(QPainter &p, QPointF c, qsizetype count, const TimelineTheme &theme,
                            const QFont &font);

private:
    void paintRows(QPainter &p, const TimelineRenderModel &frame, const TimelineTheme &theme);
    void paintSpans(QPainter &p, const TimelineRenderModel &frame, const TimelineTheme &theme);
    void paintOwnerTabs(QPainter &p, const TimelineRenderModel &frame, const TimelineModel &model,
                        const TimelineTheme &theme);
    void paintExceptions(QPainter &p, const TimelineRenderModel &frame, const TimelineTheme &theme);
    void paintMarkers(QPainter &p, const TimelineRenderModel &frame, const TimelineTheme &theme);
    void paintLabels(QPainter &p, const TimelineRenderModel &frame, const TimelineModel &model,
                     const TimelineTheme &theme);
    void paintRuler(QPainter &p, const TimelineRenderModel &frame, const TimelineTheme &theme);
    const QStaticText &text(const QString &key, const QString &text);
    // Raster targets blit pre-drawn sprites (thousands of badges cost microseconds each);
    // vector targets (SVG) get the shapes themselves.
    const QPixmap &sprite(int key, qreal dpr, const TimelineTheme &theme, qreal rowHeight);

    QHash<QString, QStaticText> m_text;
    void flushSprites(QPainter &p, const TimelineTheme &theme, qreal rowHeight);
    QHash<int, QPixmap> m_sprites; // MarkerKind, or 100 + HopAction
    QMap<int, QVector<QPointF>> m_batch; // sprite centres waiting to be drawn, by sprite
    QVector<QPainter::PixmapFragment> m_fragments;
    qreal m_spriteDpr = 0;
    bool m_spriteDark = false;
    QFont m_font;
    qreal m_labelWidth = -1;
};

} // namespace Lifeline
