// SPDX-License-Identifier: MIT
#include "timelinerenderer.h"

#include "timelinegeometry.h"
#include "timelinelegend.h"
#include "timelinemodel.h"
#include "timelinepainter.h"
#include "timelinerowlayout.h"
#include "timelinetheme.h"

#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QSvgGenerator>

#include <cmath>

namespace Lifeline {

namespace {
constexpr qsizetype MaxRows = 600;

// The legend under the image: what this run draws, as the window's Legend dock lists it.
TimelineLegend::Layout legendFor(const TimelineModel &model, int width)
{
    return TimelineLegend::layout(TimelineLegend::items(model.usage()), width,
                                  QGuiApplication::font());
}
} // namespace

QSize TimelineRenderer::layout(const EventLog &log, int width, TimelineModel &model,
                               TimelineRowLayout &rows)
{
    model.update(log, log.count());
    rows.sync(model);
    if (rows.rowCount() > MaxRows) {
        rows.setAllExpanded(false);
        rows.sync(model);
    }
    width = std::max(width, 320);
    const int height
        = int(TimelineGeometry::RulerHeight
              + TimelineGeometry::contentHeight(std::max<qsizetype>(rows.rowCount(), 1)))
        + int(std::ceil(legendFor(model, width).size.height()));
    return QSize(width, height);
}

void TimelineRenderer::paint(QPainter &painter, QSize size, const TimelineModel &model,
                             const TimelineRowLayout &rows, const QPalette &palette, qreal dpr,
                             qint64 ticksPerMs)
{
    const TimelineLegend::Layout legend = legendFor(model, size.width());
    const qreal legendHeight = std::ceil(legend.size.height());
    const QSizeF timeline(size.width(), size.height() - legendHeight);
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), palette.color(QPalette::Base));
    TimelineFrame frame;
    frame.size = timeline;
    frame.devicePixelRatio = dpr;
    frame.ticksPerMs = ticksPerMs;
    frame.range = { 0, double(std::max<qint64>(model.playheadTime(), 1)) };
    TimelineGeometry geometry;
    TimelinePainter painter2;
    const QFont font = QGuiApplication::font();
    const TimelineTheme theme = TimelineTheme::forPalette(palette);
    painter2.paint(painter, geometry.build(model, rows, frame), model, theme, font);
    painter.fillRect(QRectF(0, timeline.height(), size.width(), legendHeight),
                     theme.headerBackground);
    TimelineLegend::paint(painter, legend, QPointF(0, timeline.height()), theme, font);
}

QImage TimelineRenderer::renderImage(const EventLog &log, int width, const QPalette &palette,
                                     qreal devicePixelRatio)
{
    TimelineModel model;
    TimelineRowLayout rows;
    const QSize size = layout(log, width, model, rows);
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    QPainter painter(&image);
    paint(painter, size, model, rows, palette, devicePixelRatio, log.ticksPerMs());
    return image;
}

bool TimelineRenderer::renderSvg(const EventLog &log, const QString &fileName, int width,
                                 const QPalette &palette)
{
    TimelineModel model;
    TimelineRowLayout rows;
    const QSize size = layout(log, width, model, rows);
    QSvgGenerator svg;
    svg.setFileName(fileName);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QStringLiteral("Lifeline timeline"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    paint(painter, size, model, rows, palette, 1, log.ticksPerMs());
    return painter.end();
}

bool TimelineRenderer::renderFile(const EventLog &log, const QString &fileName, int width,
                                  QString *error)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    bool ok = false;
    if (suffix == QLatin1String("svg"))
        ok = renderSvg(log, fileName, width, QGuiApplication::palette());
    else
        ok = renderImage(log, width, QGuiApplication::palette()).save(fileName);
    if (!ok && error)
        *error = QStringLiteral("cannot write %1").arg(fileName);
    return ok;
}

} // namespace Lifeline
