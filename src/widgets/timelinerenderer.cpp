#include "timelinerenderer.h"

#include "timelinegeometry.h"
#include "timelinemodel.h"
#include "timelinepainter.h"
#include "timelinerowlayout.h"
#include "timelinetheme.h"

#include <QFileInfo>
#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QSvgGenerator>

namespace Lifeline {

namespace {
constexpr int LegendHeight = 52; // two lines: phases and markers, then what hops did
constexpr qsizetype MaxRows = 600;
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
    const int height
        = int(TimelineGeometry::RulerHeight
              + TimelineGeometry::contentHeight(std::max<qsizetype>(rows.rowCount(), 1)))
        + LegendHeight;
    return QSize(std::max(width, 320), height);
}

void TimelineRenderer::paint(QPainter &painter, QSize size, const TimelineModel &model,
                             const TimelineRowLayout &rows, const QPalette &palette, qreal dpr,
                             qint64 ticksPerMs)
{
    const QSizeF timeline(size.width(), size.height() - LegendHeight);
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), palette.color(QPalette::Base));
    TimelineFrame frame;
    frame.size = timeline;
    frame.devicePixelRatio = dpr;
    frame.ticksPerMs = ticksPerMs;
    frame.range = { 0, double(std::max<qint64>(model.playheadTime(), 1)) };
    TimelineGeometry geometry;
    TimelinePainter painter2;
    const QFont font = QGuiApplication::font();
    painter2.paint(painter, geometry.build(model, rows, frame), model,
                   TimelineTheme::forPalette(palette), font);
    paintLegend(painter, QRectF(0, timeline.height(), size.width(), LegendHeight), palette);
}

void TimelineRenderer::paintLegend(QPainter &p, QRectF area, const QPalette &palette)
{
    const TimelineTheme theme = TimelineTheme::forPalette(palette);
    p.save();
    p.fillRect(area, theme.headerBackground);
    p.setPen(theme.text);
    QFont font = QGuiApplication::font();
    p.setFont(font);
    const QFontMetricsF fm(font);
    qreal x = area.left() + 10;
    qreal cy = area.top() + 14;
    auto label = [&](const QString &text) {
        p.setPen(theme.text);
        p.drawText(QPointF(x, cy + fm.ascent() / 2 - 1), text);
        x += fm.horizontalAdvance(text) + 16;
    };
    const SpanKind kinds[] = { SpanKind::Acquire, SpanKind::Ready, SpanKind::Execute,
                               SpanKind::Release, SpanKind::TaskRunning };
    const char *names[] = { "acquire", "ready", "execute", "release", "task running" };
    for (int i = 0; i < 5; ++i) {
        const qreal h = (TimelineGeometry::RowHeight - 4) * TimelineGeometry::heightShare(kinds[i]);
        const QRectF swatch(x, cy - h / 2, 26, h);
        p.fillRect(swatch, theme.fill[size_t(kinds[i])]);
        if (theme.pattern[size_t(kinds[i])].style() != Qt::NoBrush)
            p.fillRect(swatch, theme.pattern[size_t(kinds[i])]);
        x += 31;
        label(QString::fromLatin1(names[i]));
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    struct Marker
    {
        MarkerKind kind;
        qreal offset, advance; // the never-released mark is wider
        const char *name;
    };
    const Marker markers[] = { { MarkerKind::Raise, 5, 14, "raised" },
                               { MarkerKind::FailedToAcquire, 5, 14, "failed" },
                               { MarkerKind::Cancelled, 5, 14, "cancelled" },
                               { MarkerKind::NeverReleased, 2, 16, "never released" } };
    for (const Marker &m : markers) {
        TimelinePainter::drawMarker(p, m.kind, QPointF(x + m.offset, cy),
                                    TimelineGeometry::RowHeight, theme);
        x += m.advance;
        label(QString::fromLatin1(m.name));
    }
    x = area.left() + 10;
    cy += 24;
    for (int a = 0; a < 6; ++a) {
        TimelinePainter::drawBadge(p, HopAction(a), QPointF(x + 6, cy), theme, font);
        x += 16;
        label(QString::fromLatin1(EventLog::hopName(HopAction(a))));
    }
    p.restore();
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
