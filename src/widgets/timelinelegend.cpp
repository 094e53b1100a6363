// SPDX-License-Identifier: MIT
#include "timelinelegend.h"

#include "timelinegeometry.h"
#include "timelinepainter.h"
#include "timelinerendermodel.h"

#include <QFontMetricsF>
#include <QPainter>

namespace Lifeline {

namespace {

constexpr qreal GlyphText = 5; // between a glyph and its words
constexpr qreal ItemGap = 14; // between items
constexpr qreal SectionGap = 22; // before a section's title

qreal glyphWidth(TimelineLegend::Glyph glyph)
{
    switch (glyph) {
    case TimelineLegend::Glyph::Title:
        return 0;
    case TimelineLegend::Glyph::Span:
    case TimelineLegend::Glyph::PathLine:
    case TimelineLegend::Glyph::LinkLine:
    case TimelineLegend::Glyph::CancelLine:
    case TimelineLegend::Glyph::OwnerFrame:
        return 26;
    case TimelineLegend::Glyph::Marker:
    case TimelineLegend::Glyph::Cluster:
        return 16;
    case TimelineLegend::Glyph::Badge:
        return 13;
    }
    return 0;
}

QFont titleFont(const QFont &font)
{
    QFont f = font;
    f.setBold(true);
    return f;
}

} // namespace

std::vector<TimelineLegend::Item> TimelineLegend::items(const TimelineUsage &usage)
{
    std::vector<Item> out;
    auto title = [&](const char *text) {
        out.push_back({ Glyph::Title, 0, QString::fromLatin1(text) });
    };
    auto add = [&](Glyph glyph, int code, const char *text) {
        out.push_back({ glyph, code, QString::fromLatin1(text) });
    };

    struct Phase
    {
        SpanKind kind;
        const char *text;
    };
    static const Phase phases[] = {
        { SpanKind::Acquire, "acquire (__aenter__)" },
        { SpanKind::Ready, "ready (the body runs)" },
        { SpanKind::Execute, "execute" },
        { SpanKind::Release, "release (__aexit__)" },
        { SpanKind::TaskWaiting, "task created, not started" },
        { SpanKind::TaskRunning, "task running" },
        { SpanKind::TaskEntering, "awaits __aenter__" },
        { SpanKind::TaskCalling, "awaits a method" },
        { SpanKind::TaskExiting, "awaits __aexit__" },
        { SpanKind::TaskJoining, "awaits its TaskGroup" },
        { SpanKind::TaskLocking, "waits for a lock" },
        { SpanKind::TaskSleeping, "sleeps" },
        { SpanKind::TaskAwaitingTask, "awaits a task" },
        { SpanKind::TaskGathering, "awaits a gather" },
    };
    if (usage.spans) {
        title("Phases");
        for (const Phase &p : phases)
            if (usage.has(p.kind))
                add(Glyph::Span, int(p.kind), p.text);
    }

    struct End
    {
        SpanEnd end;
        MarkerKind marker;
        const char *text;
    };
    static const End ends[] = {
        { SpanEnd::FailedToAcquire, MarkerKind::FailedToAcquire, "failed to acquire" },
        { SpanEnd::Cancelled, MarkerKind::Cancelled, "cancelled" },
        { SpanEnd::NeverReleased, MarkerKind::NeverReleased, "never released" },
        { SpanEnd::TaskFailed, MarkerKind::TaskFailed, "task failed" },
        { SpanEnd::TaskCancelled, MarkerKind::TaskCancelled, "task cancelled" },
    };
    bool endTitle = false;
    auto endSection = [&] {
        if (!std::exchange(endTitle, true))
            title("Marks");
    };
    bool anyEnd = false;
    for (const End &e : ends) {
        if (usage.has(e.end)) {
            anyEnd = true;
            endSection();
            add(Glyph::Marker, int(e.marker), e.text);
        }
    }
    if (usage.open) {
        endSection();
        add(Glyph::Marker, int(MarkerKind::Open), "still going at the playhead");
    }
    if (usage.prints) {
        endSection();
        add(Glyph::Marker, int(MarkerKind::Print), "printed a line");
    }

    if (usage.owners) {
        endSection();
        add(Glyph::OwnerFrame, 0, "TaskGroup or gather over its tasks");
    }

    if (usage.cancels || usage.deadlines) {
        title("Cancellations");
        if (usage.deadlines)
            add(Glyph::Marker, int(MarkerKind::Deadline), "timeout's deadline");
        if (usage.deadlinesFired)
            add(Glyph::Marker, int(MarkerKind::DeadlineFired), "deadline passed");
        if (usage.cancels) {
            add(Glyph::CancelLine, 0, "from its cause");
            add(Glyph::Marker, int(MarkerKind::CancelRequest), "cancel() reaches the task");
        }
    }

    if (usage.raises || usage.hops || usage.paths || usage.links) {
        title("Exceptions");
        if (usage.raises)
            add(Glyph::Marker, int(MarkerKind::Raise), "raised");
        if (usage.paths)
            add(Glyph::PathLine, 0, "its path");
        if (usage.links)
            add(Glyph::LinkLine, 0, "replaced by, grouped into");
        for (int a = 0; a < 6; ++a)
            if (usage.has(HopAction(a)))
                add(Glyph::Badge, a, EventLog::hopName(HopAction(a)));
    }
    // End marks, raises, badges and cancel marks merge where they would overlap
    // (TimelineCrowding); printed-line marks never do.
    if (anyEnd || usage.raises || usage.hops || usage.cancels)
        add(Glyph::Cluster, 3, "merged marks");
    return out;
}

TimelineLegend::Layout TimelineLegend::layout(const std::vector<Item> &items, qreal width,
                                              const QFont &font)
{
    Layout out;
    const QFontMetricsF fm(font);
    const QFontMetricsF bold(titleFont(font));
    const qreal right = std::max(width - Margin, Margin + 1);
    qreal x = Margin;
    qreal y = Margin;
    qreal maxX = 0;
    bool rowEmpty = true;
    for (size_t i = 0; i < items.size(); ++i) {
        const Item &item = items[i];
        const bool isTitle = item.glyph == Glyph::Title;
        const qreal glyph = glyphWidth(item.glyph);
        const qreal text = (isTitle ? bold : fm).horizontalAdvance(item.text);
        qreal w = glyph + (glyph > 0 ? GlyphText : 0) + text;
        // A title travels with the item after it: it must not end a row alone.
        qreal keep = w;
        if (isTitle && i + 1 < items.size()) {
            const Item &next = items[i + 1];
            const qreal g = glyphWidth(next.glyph);
            keep += ItemGap + g + (g > 0 ? GlyphText : 0) + fm.horizontalAdvance(next.text);
        }
        const qreal gap = rowEmpty ? 0 : (isTitle ? SectionGap : ItemGap);
        if (!rowEmpty && x + gap + keep > right) {
            x = Margin;
            y += RowHeight;
            rowEmpty = true;
        } else {
            x += gap;
        }
        PlacedItem placed { item, QRectF(), QRectF() };
        if (glyph > 0)
            placed.glyph = QRectF(x, y, glyph, RowHeight);
        const qreal textX = x + glyph + (glyph > 0 ? GlyphText : 0);
        placed.text = QRectF(textX, y, text, RowHeight);
        out.items.push_back(placed);
        x = textX + text;
        maxX = std::max(maxX, x);
        rowEmpty = false;
    }
    out.size = items.empty() ? QSizeF(0, 0) : QSizeF(maxX + Margin, y + RowHeight + Margin);
    return out;
}

void TimelineLegend::paint(QPainter &p, const Layout &layout, QPointF origin,
                           const TimelineTheme &theme, const QFont &font)
{
    p.save();
    p.translate(origin);
    const QFont bold = titleFont(font);
    for (const PlacedItem &placed : layout.items) {
        const Item &item = placed.item;
        const QRectF g = placed.glyph;
        const QPointF c = g.center();
        switch (item.glyph) {
        case Glyph::Title:
            break;
        case Glyph::Span: {
            // As the timeline draws the phase: its colour, pattern and share of a row's height.
            const SpanKind kind = SpanKind(item.code);
            const qreal h = (TimelineGeometry::RowHeight - 4) * TimelineGeometry::heightShare(kind);
            const QRectF swatch(g.left(), c.y() - h / 2, g.width(), h);
            p.setRenderHint(QPainter::Antialiasing, false); // an axis-aligned rectangle
            p.fillRect(swatch, theme.fill[size_t(kind)]);
            if (theme.pattern[size_t(kind)].style() != Qt::NoBrush)
                p.fillRect(swatch, theme.pattern[size_t(kind)]);
            break;
        }
        case Glyph::Marker:
            p.setRenderHint(QPainter::Antialiasing, true);
            // The never-released mark draws to the right of its point: start it at the left.
            TimelinePainter::drawMarker(p, MarkerKind(item.code),
                                        MarkerKind(item.code) == MarkerKind::NeverReleased
                                            ? QPointF(g.left() + 2, c.y())
                                            : c,
                                        TimelineGeometry::RowHeight, theme);
            break;
        case Glyph::Badge:
            p.setRenderHint(QPainter::Antialiasing, true);
            TimelinePainter::drawBadge(p, HopAction(item.code), c, theme, font);
            break;
        case Glyph::PathLine:
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(QPen(theme.path, 1.6, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QLineF(g.left() + 2, c.y(), g.right() - 2, c.y()));
            break;
        case Glyph::LinkLine:
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(QPen(theme.link, 1.4, Qt::DashLine, Qt::RoundCap));
            p.drawLine(QLineF(g.left() + 2, c.y(), g.right() - 2, c.y()));
            break;
        case Glyph::Cluster:
            p.setRenderHint(QPainter::Antialiasing, true);
            TimelinePainter::drawCluster(p, c, item.code, theme, font);
            break;
        case Glyph::OwnerFrame:
            TimelinePainter::drawOwnerFrame(p, QRectF(g.left() + 1, c.y() - 6, g.width() - 2, 12),
                                            theme);
            break;
        case Glyph::CancelLine:
            p.setRenderHint(QPainter::Antialiasing, false); // as the timeline draws it
            p.setPen(QPen(theme.cancelled, 1.5, Qt::DashLine));
            p.drawLine(QLineF(g.left() + 2, c.y(), g.right() - 2, c.y()));
            break;
        }
        p.setFont(item.glyph == Glyph::Title ? bold : font);
        p.setPen(item.glyph == Glyph::Title ? theme.mutedText : theme.text);
        p.drawText(placed.text, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, item.text);
    }
    p.restore();
}

} // namespace Lifeline
