// SPDX-License-Identifier: MIT
#include "timelinelegendview.h"

#include <QEvent>
#include <QPainter>
#include <QScrollBar>

#include <cmath>

namespace Lifeline {

TimelineLegendView::TimelineLegendView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setBackgroundRole(QPalette::AlternateBase);
    viewport()->setAutoFillBackground(true);
    m_theme = TimelineTheme::forPalette(palette());
    relayout();
}

void TimelineLegendView::setUsage(const TimelineUsage &usage)
{
    if (usage == m_usage)
        return;
    m_usage = usage;
    relayout();
}

void TimelineLegendView::relayout()
{
    m_layout = TimelineLegend::layout(TimelineLegend::items(m_usage), viewport()->width(), font());
    const int content = int(std::ceil(m_layout.size.height()));
    verticalScrollBar()->setRange(0, std::max(0, content - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setSingleStep(int(TimelineLegend::RowHeight));
    // Never taller than what it shows: the timeline above keeps the room (a run that shows
    // more kinds of marks grows it, up to what the dock area allows).
    const int before = maximumHeight();
    setMaximumHeight(contentHeight());
    updateGeometry();
    viewport()->update();
    if (maximumHeight() != before)
        Q_EMIT contentHeightChanged(maximumHeight());
}

QSize TimelineLegendView::sizeHint() const
{
    return QSize(600, contentHeight());
}

int TimelineLegendView::contentHeight() const
{
    // At least two rows: a strip that does not jump as the first marks appear.
    const qreal rows = std::max(m_layout.size.height(),
                                2 * TimelineLegend::RowHeight + 2 * TimelineLegend::Margin);
    return int(std::ceil(rows)) + 2 * frameWidth();
}

QSize TimelineLegendView::minimumSizeHint() const
{
    return QSize(120, int(TimelineLegend::RowHeight + 2 * TimelineLegend::Margin));
}

void TimelineLegendView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    if (m_layout.items.empty()) {
        p.setPen(m_theme.mutedText);
        p.drawText(viewport()->rect().adjusted(int(TimelineLegend::Margin), 0, 0, 0),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   tr("What the timeline's colours and marks mean, once the run shows some."));
        return;
    }
    TimelineLegend::paint(p, m_layout, QPointF(0, -verticalScrollBar()->value()), m_theme, font());
}

void TimelineLegendView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    relayout();
}

void TimelineLegendView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void TimelineLegendView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_theme = TimelineTheme::forPalette(palette());
        viewport()->update();
    } else if (event->type() == QEvent::FontChange) {
        relayout();
    }
    QAbstractScrollArea::changeEvent(event);
}

} // namespace Lifeline
