// SPDX-License-Identifier: MIT
#pragma once
// The window's Legend dock: TimelineLegend laid out to the dock's width and painted as the
// exported image paints it, for what the timeline draws now (setUsage, from the timeline's
// usageChanged). Scrolls when the dock is too short to hold it. Knows nothing of the log.

#include "timelinelegend.h"

#include <QAbstractScrollArea>

namespace Lifeline {

class TimelineLegendView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineLegendView(QWidget *parent = nullptr);

    TimelineUsage usage() const { return m_usage; }
    // What is shown, placed for the current width (tests read it instead of pixels).
    const TimelineLegend::Layout &currentLayout() const { return m_layout; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // The height that shows every row of the legend without scrolling.
    int contentHeight() const;

public Q_SLOTS:
    void setUsage(const TimelineUsage &usage);

Q_SIGNALS:
    // The legend needs more (or less) height: a run showed new kinds of marks, or the view got
    // narrower. A dock can grow to it; the view scrolls meanwhile.
    void contentHeightChanged(int height);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    void relayout();

    TimelineUsage m_usage;
    TimelineLegend::Layout m_layout;
    TimelineTheme m_theme;
};

} // namespace Lifeline
