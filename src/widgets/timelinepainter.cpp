// SPDX-License-Identifier: MIT
#include "timelinepainter.h"

#include "timelinegeometry.h"

#include <QFontMetricsF>
#include <QPaintEngine>
#include <QPainter>
#include <cmath>

namespace Lifeline {

QString TimelinePainter::formatTime(double ms, double step)
{
    if (step >= 1000 && std::abs(ms) >= 1000) {
        const int decimals = step >= 1000 && std::fmod(step, 1000) == 0 ? 0 : (step >= 100 ? 1 : 2);
        return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', decimals);
    }
    // As many decimals as the step needs: a traced program's ruler goes down to nanoseconds.
    int decimals = 0;
    for (double s = step; s < 0.999999 && s > 0 && decimals < 6; s *= 10)
        ++decimals;
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', decimals);
}

void TimelinePainter::invalidateText()
{
    m_text.clear();
    m_sprites.clear();
}

const QStaticText &TimelinePainter::text(const QString &key, const QString &content)
{
    if (m_text.size() > 4096)
        m_text.clear(); // a long scroll through a huge log: start over rather than grow
    auto it = m_text.find(key);
    if (it == m_text.end()) {
        QStaticText t(content);
        t.setTextFormat(Qt::PlainText);
        t.setPerformanceHint(QStaticText::AggressiveCaching);
        t.prepare(QTransform(), m_font);
        it = m_text.insert(key, t);
    }
    return it.value();
}

void TimelinePainter::paint(QPainter &painter, const TimelineRenderModel &frame,
                            const TimelineModel &model, const TimelineTheme &theme,
                            const QFont &font)
{
    if (font != m_font || frame.labelRect.width() != m_labelWidth) {
        m_font = font;
        m_labelWidth = frame.labelRect.width();
        m_text.clear();
    }
    painter.save();
    painter.setFont(font);
    paintRows(painter, frame, theme);
    painter.setClipRect(frame.timeRect);
    for (const TimelineOwnerFrame &f : frame.ownerFrames) // under the spans
        drawOwnerFrame(painter, f.rect, theme);
    paintSpans(painter, frame, theme);
    if (frame.playheadX >= 0) {
        // Under the exception paths: those are what the eye should land on at the playhead.
        painter.setPen(QPen(theme.playhead, 1.5));
        painter.drawLine(QLineF(frame.playheadX, frame.timeRect.top(), frame.playheadX,
                                frame.timeRect.bottom()));
    }
    paintExceptions(painter, frame, theme);
    paintMarkers(painter, frame, theme);
    paintOwnerTabs(painter, frame, model, theme);
    if (frame.futureX >= 0) {
        // What the run does after the playhead: there, but faint until the playhead passes.
        const QRectF &r = frame.timeRect;
        painter.fillRect(QRectF(frame.futureX, r.top(), r.right() - frame.futureX, r.height()),
                         theme.future);
    }
    painter.setClipping(false);
    paintLabels(painter, frame, model, theme);
    paintRuler(painter, frame, theme);
    painter.restore();
}

void TimelinePainter::paintRows(QPainter &p, const TimelineRenderModel &frame,
                                const TimelineTheme &theme)
{
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    QVector<QRectF> headers;
    for (const TimelineRowItem &row : frame.rows)
        if (row.kind == RowKind::Group)
            headers.append(QRectF(0, row.top, frame.rulerRect.width(), frame.rowHeight));
    p.setBrush(theme.headerBackground);
    p.drawRects(headers);
    for (const TimelineRowItem &row : frame.rows) {
        if (row.row == frame.selectedRow) {
            p.fillRect(QRectF(0, row.top, frame.rulerRect.width(), frame.rowHeight),
                       theme.selection);
            break;
        }
    }
    // Grid at the labelled ticks, behind the spans: one-pixel opaque columns where an aliased
    // line would fall (see TimelineTheme::gridLine).
    QVector<QRectF> grid;
    for (const TimelineTick &t : frame.ticks)
        if (t.major)
            grid.append(QRectF(std::floor(t.x), frame.timeRect.top(), 1, frame.timeRect.height()));
    p.setBrush(theme.gridLine);
    p.drawRects(grid);
}

void TimelinePainter::paintOwnerTabs(QPainter &p, const TimelineRenderModel &frame,
                                     const TimelineModel &model, const TimelineTheme &theme)
{
    // Over the spans and markers: each owner's name in a tab at its frame's top left.
    if (frame.ownerFrames.isEmpty())
        return;
    p.save();
    QFont small = m_font;
    small.setPixelSize(TimelineGeometry::OwnerTabFontPixels);
    p.setFont(small);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(theme.dark ? Qt::black : Qt::white);
    for (const TimelineOwnerFrame &f : frame.ownerFrames) {
        p.fillRect(f.tab, theme.owner);
        p.drawText(f.tab.adjusted(3, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                   model.owners()[size_t(f.owner)].name);
    }
    p.restore();
}

void TimelinePainter::drawOwnerFrame(QPainter &p, const QRectF &rect, const TimelineTheme &theme)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(theme.owner, 1, Qt::DashLine));
    p.setBrush(theme.ownerTint);
    p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    p.setPen(QPen(theme.owner, 2)); // the start, where it took its tasks
    p.drawLine(QLineF(rect.left() + 1, rect.top() + 2, rect.left() + 1, rect.bottom() - 2));
    p.restore();
}

void TimelinePainter::paintSpans(QPainter &p, const TimelineRenderModel &frame,
                                 const TimelineTheme &theme)
{
    // Axis-aligned rectangles on the pixel grid: antialiasing would only blur and slow them.
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setPen(Qt::NoPen);
    for (int k = 0; k < SpanKindCount; ++k) {
        const QVector<QRectF> &rects = frame.rects[size_t(k)];
        if (rects.isEmpty())
            continue;
        p.setBrush(theme.fill[size_t(k)]);
        p.drawRects(rects);
        if (theme.pattern[size_t(k)].style() != Qt::NoBrush) {
            p.setBrush(theme.pattern[size_t(k)]);
            p.drawRects(rects);
        }
    }
}

void TimelinePainter::drawBadge(QPainter &p, HopAction action, QPointF c,
                                const TimelineTheme &theme, const QFont &font)
{
    const qreal r = 6;
    const QRectF box(c.x() - r, c.y() - r, 2 * r, 2 * r);
    p.setPen(QPen(theme.dark ? QColor(0, 0, 0, 160) : QColor(255, 255, 255), 1));
    p.setBrush(theme.hop[size_t(action)]);
    if (action == HopAction::Caught || action == HopAction::Suppressed)
        p.drawEllipse(box); // handled: round
    else
        p.drawRoundedRect(box, 2, 2); // still travelling: square
    QFont small = font;
    small.setPixelSize(9);
    small.setBold(true);
    p.setFont(small);
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, QString::fromLatin1(TimelineTheme::hopLetter(action)));
    p.setFont(font);
}

void TimelinePainter::drawCluster(QPainter &p, QPointF c, qsizetype count,
                                  const TimelineTheme &theme, const QFont &font)
{
    // Wider than a badge and outlined, so it does not read as one; drawn as a shape, not a
    // sprite: a frame has few of them.
    const QString text = count > 99 ? QStringLiteral("99+") : QString::number(count);
    const qreal w = text.size() > 1 ? 9 + 5 * text.size() : 14;
    const QRectF box(c.x() - w / 2, c.y() - 7, w, 14);
    p.setPen(QPen(theme.dark ? QColor(0, 0, 0, 160) : QColor(255, 255, 255), 1));
    p.setBrush(theme.text);
    p.drawRoundedRect(box, 7, 7);
    p.setPen(QPen(theme.raise, 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(box.adjusted(1.5, 1.5, -1.5, -1.5), 5.5, 5.5);
    QFont small = font;
    small.setPixelSize(9);
    small.setBold(true);
    p.setFont(small);
    p.setPen(theme.dark ? Qt::black : Qt::white);
    p.drawText(box, Qt::AlignCenter, text);
    p.setFont(font);
}

void TimelinePainter::drawMarker(QPainter &p, MarkerKind kind, QPointF c, qreal rowHeight,
                                 const TimelineTheme &theme)
{
    const qreal h = rowHeight / 2 - 2;
    switch (kind) {
    case MarkerKind::Raise: {
        // A diamond: where the exception was born.
        const QPointF pts[]
            = { c + QPointF(0, -7), c + QPointF(5, 0), c + QPointF(0, 7), c + QPointF(-5, 0) };
        p.setPen(QPen(theme.dark ? Qt::black : Qt::white, 1.2));
        p.setBrush(theme.raise);
        p.drawPolygon(pts, 4);
        break;
    }
    case MarkerKind::FailedToAcquire:
    case MarkerKind::TaskFailed:
        p.setPen(QPen(theme.failed, 2.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(c + QPointF(-4, -4), c + QPointF(4, 4));
        p.drawLine(c + QPointF(-4, 4), c + QPointF(4, -4));
        break;
    case MarkerKind::Cancelled:
    case MarkerKind::TaskCancelled:
        p.setPen(QPen(theme.cancelled, 1.8));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, 4.5, 4.5);
        p.drawLine(c + QPointF(-3.2, 3.2), c + QPointF(3.2, -3.2));
        break;
    case MarkerKind::NeverReleased: {
        // Open end: a dashed edge and chevrons pointing past the end of the run.
        p.setPen(QPen(theme.neverReleased, 1.5, Qt::DashLine));
        p.drawLine(c + QPointF(0, -h), c + QPointF(0, h));
        p.setPen(QPen(theme.neverReleased, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        for (qreal dx : { 2.5, 6.5 }) {
            const QPointF a[]
                = { c + QPointF(dx, -4), c + QPointF(dx + 3.5, 0), c + QPointF(dx, 4) };
            p.drawPolyline(a, 3);
        }
        break;
    }
    case MarkerKind::Open: {
        const QPointF a[] = { c + QPointF(1, -4), c + QPointF(6, 0), c + QPointF(1, 4) };
        p.setPen(Qt::NoPen);
        p.setBrush(theme.open);
        p.drawPolygon(a, 3);
        break;
    }
    case MarkerKind::Print:
        p.setPen(QPen(theme.print, 1.5));
        p.setBrush(theme.print);
        p.drawEllipse(c + QPointF(0, -h + 2), 2.2, 2.2);
        p.drawLine(c + QPointF(0, -h + 4), c + QPointF(0, h - 2));
        break;
    case MarkerKind::Deadline: {
        // A flag on a dashed pole: the moment the timeout would fire.
        p.setPen(QPen(theme.cancelled, 1.5, Qt::DashLine));
        p.drawLine(c + QPointF(0, -h - 1), c + QPointF(0, h + 1));
        const QPointF flag[]
            = { c + QPointF(0, -h - 1), c + QPointF(6, -h + 2), c + QPointF(0, -h + 5) };
        p.setPen(QPen(theme.cancelled, 1.2));
        p.setBrush(Qt::NoBrush);
        p.drawPolygon(flag, 3);
        break;
    }
    case MarkerKind::DeadlineFired: {
        // The flag filled, on a solid pole: the deadline passed and cancelled the task.
        p.setPen(QPen(theme.cancelled, 2));
        p.drawLine(c + QPointF(0, -h - 1), c + QPointF(0, h + 1));
        const QPointF flag[]
            = { c + QPointF(0, -h - 1), c + QPointF(7, -h + 2.5), c + QPointF(0, -h + 6) };
        p.setPen(QPen(theme.cancelled, 1));
        p.setBrush(theme.cancelled);
        p.drawPolygon(flag, 3);
        break;
    }
    case MarkerKind::CancelRequest: {
        // An arrowhead onto the lane: a cancel() arrives here (its line comes from the cause).
        const QPointF head[] = { c + QPointF(-4.5, -8), c + QPointF(4.5, -8), c + QPointF(0, -1) };
        p.setPen(QPen(theme.dark ? Qt::black : Qt::white, 1));
        p.setBrush(theme.cancelled);
        p.drawPolygon(head, 3);
        break;
    }
    }
}

namespace {
constexpr int SpriteSize = 24; // logical pixels, the shape centred
}

const QPixmap &TimelinePainter::sprite(int key, qreal dpr, const TimelineTheme &theme,
                                       qreal rowHeight)
{
    if (dpr != m_spriteDpr || theme.dark != m_spriteDark) {
        m_sprites.clear();
        m_spriteDpr = dpr;
        m_spriteDark = theme.dark;
    }
    auto it = m_sprites.find(key);
    if (it == m_sprites.end()) {
        QPixmap pm(QSize(SpriteSize, SpriteSize) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter sp(&pm);
        sp.setRenderHint(QPainter::Antialiasing, true);
        const QPointF c(SpriteSize / 2, SpriteSize / 2);
        if (key >= 100)
            drawBadge(sp, HopAction(key - 100), c, theme, m_font);
        else
            drawMarker(sp, MarkerKind(key), c, rowHeight, theme);
        sp.end();
        it = m_sprites.insert(key, pm);
    }
    return it.value();
}

void TimelinePainter::paintExceptions(QPainter &p, const TimelineRenderModel &frame,
                                      const TimelineTheme &theme)
{
    // Wide antialiased pens go through Qt's general stroker, about a millisecond per long line:
    // fine for a lesson's handful of paths, not for a thousand. Many lines get a cosmetic pen.
    if (!frame.cancelLines.isEmpty()) {
        // Straight up or down at one instant: no antialiasing needed.
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(theme.cancelled, 1.5, Qt::DashLine));
        p.drawLines(frame.cancelLines);
    }
    const bool few = frame.pathLines.size() + frame.linkLines.size() <= 64;
    p.setRenderHint(QPainter::Antialiasing, few);
    p.setBrush(Qt::NoBrush);
    if (few) {
        // Paths run along lanes and jump across them: those segments are 2-pixel bars, which
        // the raster engine fills directly instead of stroking a long antialiased line.
        p.setRenderHint(QPainter::Antialiasing, false);
        for (const QLineF &l : frame.pathLines) {
            if (l.dx() == 0 || l.dy() == 0) {
                const QRectF r = QRectF(l.p1(), l.p2()).normalized().adjusted(-1, -1, 1, 1);
                p.fillRect(r.toAlignedRect(), theme.path);
            }
        }
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(theme.path, 1.6, Qt::SolidLine, Qt::RoundCap));
        for (const QLineF &l : frame.pathLines)
            if (l.dx() != 0 && l.dy() != 0)
                p.drawLine(l); // one by one: a single drawLines() would be stroked as one path
        p.setPen(QPen(theme.link, 1.4, Qt::DashLine, Qt::RoundCap));
        for (const QLineF &l : frame.linkLines)
            p.drawLine(l);
    } else {
        p.setPen(QPen(theme.path, 0));
        p.drawLines(frame.pathLines);
        p.setPen(QPen(theme.link, 0, Qt::DashLine));
        p.drawLines(frame.linkLines);
    }
    const bool raster = p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster;
    p.setRenderHint(QPainter::Antialiasing, true);
    if (!raster) {
        for (const TimelineBadge &b : frame.badges)
            drawBadge(p, b.action, b.pos, theme, m_font);
        return;
    }
    for (const TimelineBadge &b : frame.badges)
        m_batch[100 + int(b.action)].append(b.pos);
    flushSprites(p, theme, frame.rowHeight);
}

void TimelinePainter::flushSprites(QPainter &p, const TimelineTheme &theme, qreal rowHeight)
{
    // One call per kind of sprite, as with the span rectangles.
    const qreal dpr = p.device()->devicePixelRatioF();
    for (auto it = m_batch.begin(); it != m_batch.end(); ++it) {
        QVector<QPointF> &points = it.value();
        if (points.isEmpty())
            continue;
        const QPixmap &pm = sprite(it.key(), dpr, theme, rowHeight);
        if (dpr == 1) {
            m_fragments.clear();
            const QRectF source(0, 0, SpriteSize, SpriteSize);
            for (const QPointF &c : std::as_const(points))
                m_fragments.append(QPainter::PixmapFragment::create(
                    QPointF(std::round(c.x()), std::round(c.y())), source));
            p.drawPixmapFragments(m_fragments.constData(), int(m_fragments.size()), pm);
        } else {
            for (const QPointF &c : std::as_const(points))
                p.drawPixmap(QPointF(std::round((c.x() - SpriteSize / 2) * dpr) / dpr,
                                     std::round((c.y() - SpriteSize / 2) * dpr) / dpr),
                             pm);
        }
        points.clear();
    }
}

void TimelinePainter::paintMarkers(QPainter &p, const TimelineRenderModel &frame,
                                   const TimelineTheme &theme)
{
    const bool raster = p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster;
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const TimelineMarker &m : frame.markers) {
        if (raster)
            m_batch[int(m.kind)].append(m.pos);
        else
            drawMarker(p, m.kind, m.pos, frame.rowHeight, theme);
    }
    if (raster)
        flushSprites(p, theme, frame.rowHeight);
    for (const TimelineCluster &c : frame.clusters)
        drawCluster(p, c.pos, c.count(), theme, m_font);
    if (frame.selectedPoint.x() >= 0) {
        p.setPen(QPen(theme.playhead, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(frame.selectedPoint, 8, 8);
    }
}

void TimelinePainter::paintLabels(QPainter &p, const TimelineRenderModel &frame,
                                  const TimelineModel &model, const TimelineTheme &theme)
{
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setClipRect(frame.labelRect);
    const QFontMetricsF fm(m_font);
    const qreal textTop = (frame.rowHeight - fm.height()) / 2;
    for (const TimelineRowItem &row : frame.rows) {
        qreal x = 6 + 12 * row.depth;
        if (row.kind == RowKind::Group) {
            const QPointF c(10, row.top + frame.rowHeight / 2);
            const QPointF down[] = { c + QPointF(-4, -2), c + QPointF(4, -2), c + QPointF(0, 3) };
            const QPointF right[] = { c + QPointF(-2, -4), c + QPointF(3, 0), c + QPointF(-2, 4) };
            p.setPen(Qt::NoPen);
            p.setBrush(theme.mutedText);
            p.drawPolygon(row.expanded ? down : right, 3);
            x = 20;
        }
        // A group's label carries its lane count, which grows with the playhead: in the key.
        const QString key = row.kind == RowKind::Group
            ? QStringLiteral("G%1:%2").arg(row.id).arg(row.lanes)
            : QStringLiteral("L%1").arg(row.id);
        auto it = m_text.constFind(key);
        if (it == m_text.constEnd()) {
            QString name = row.kind == RowKind::Group
                ? QStringLiteral("%1  (%2)").arg(model.groupName(row.id)).arg(row.lanes)
                : model.laneName(row.id);
            // Middle elision keeps both the resource and the instance number readable.
            name = fm.elidedText(name, Qt::ElideMiddle, frame.labelRect.width() - x - 6);
            text(key, name);
            it = m_text.constFind(key);
        }
        p.setPen(row.kind == RowKind::Group ? theme.text : theme.mutedText);
        p.drawStaticText(QPointF(x, row.top + textTop), it.value());
    }
    p.setClipping(false);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(QRectF(std::floor(frame.labelRect.right()), frame.rulerRect.top(), 1,
                      frame.labelRect.bottom() - frame.rulerRect.top()),
               theme.gridLine);
}

void TimelinePainter::paintRuler(QPainter &p, const TimelineRenderModel &frame,
                                 const TimelineTheme &theme)
{
    p.setRenderHint(QPainter::Antialiasing, false);
    const QRectF &r = frame.rulerRect;
    p.fillRect(r, theme.headerBackground);
    p.setPen(QPen(theme.grid, 1));
    p.drawLine(QLineF(r.left(), r.bottom(), r.right(), r.bottom()));
    QVector<QLineF> ticks;
    double step = 0;
    for (int i = 0; i + 1 < frame.ticks.size(); ++i)
        if (frame.ticks[i].major) {
            for (int j = i + 1; j < frame.ticks.size(); ++j)
                if (frame.ticks[j].major) {
                    step = frame.ticks[j].time - frame.ticks[i].time;
                    break;
                }
            break;
        }
    if (step <= 0 && frame.ticks.size() > 1)
        step = (frame.ticks[1].time - frame.ticks[0].time) * 5;
    p.setPen(theme.text);
    for (const TimelineTick &t : frame.ticks) {
        if (t.x < frame.timeRect.left() || t.x > r.right())
            continue;
        ticks.append(QLineF(t.x, r.bottom() - (t.major ? 8 : 4), t.x, r.bottom()));
        if (t.major) {
            const double perMs = double(frame.ticksPerMs);
            const QString label = formatTime(t.time / perMs, step / perMs);
            const QStaticText &st = text(QLatin1Char('T') + label, label);
            if (t.x + 3 + st.size().width() <= r.right()) // no half-cut labels at the edge
                p.drawStaticText(QPointF(t.x + 3, r.top() + 3), st);
        }
    }
    p.setPen(QPen(theme.mutedText, 1));
    p.drawLines(ticks);
    p.setPen(theme.mutedText);
    p.drawText(QRectF(8, 0, frame.labelRect.width() - 8, r.height()), Qt::AlignVCenter,
               frame.ticksPerMs == 1 ? QStringLiteral("virtual time") : QStringLiteral("time"));
    if (frame.playheadX >= 0) {
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(theme.playhead, 1.5));
        p.drawLine(QLineF(frame.playheadX, r.top() + 10, frame.playheadX, r.bottom()));
        const QPointF head[]
            = { QPointF(frame.playheadX - 5, r.top() + 8),
                QPointF(frame.playheadX + 5, r.top() + 8), QPointF(frame.playheadX, r.top() + 15) };
        p.setPen(Qt::NoPen);
        p.setBrush(theme.playhead);
        p.drawPolygon(head, 3);
    }
}

} // namespace Lifeline
