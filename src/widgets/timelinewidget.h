// SPDX-License-Identifier: MIT
#pragma once
// The timeline view: lanes of resource instances and tasks over virtual time, with phases,
// exception paths and a playhead. Input and tooltips live here; what to draw is decided by
// TimelineGeometry, drawing by TimelinePainter, navigation state by TimelineZoomControl.
// Reads the event log it is given and never changes it; selection goes out as signals
// (children emit, parents connect). Slots only mark state dirty; paintEvent does the work.

#include "timelinegeometry.h"
#include "timelinemodel.h"
#include "timelinepainter.h"
#include "timelinerowlayout.h"
#include "timelinetheme.h"
#include "timelinezoomcontrol.h"

#include <QElapsedTimer>
#include <QWidget>
#include <memory>

class QTimer;

namespace Lifeline {

class TimelineWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget *parent = nullptr);
    ~TimelineWidget() override;

    // The log must outlive the widget, or be replaced (nullptr is fine) before it is destroyed.
    void setEventLog(const EventLog *log);
    const EventLog *eventLog() const { return m_log; }

    TimelineZoomControl *zoomControl() const { return m_zoom; }
    // Off (the default): the model holds the events up to the playhead, and the timeline ends
    // there. On: the model holds every event of the log, and what follows the playhead is drawn
    // faint (the window shows a run's whole shape before it plays). model(), usage(), tooltips
    // and clicks then answer for the whole log.
    void setShowsWholeRun(bool on);
    bool showsWholeRun() const { return m_wholeRun; }
    // What the shown part of the run draws (as of the last sync with the log and playhead).
    TimelineUsage usage() const { return m_usage; }
    // Brought up to date with the log and playhead on access.
    const TimelineModel &model();
    // The events the model held at the last paint, without bringing it up to date.
    size_t shownEvents() const { return m_model.eventCount(); }
    const TimelineRowLayout &rows();
    // The frame as it would be painted now (tests read it instead of pixels).
    const TimelineRenderModel &renderModel();
    TimelineHit hitTest(QPoint pos);

    // The label column: dragged by its edge, back to automatic (< 0) on a double click there.
    qreal labelWidth() const { return m_labelWidth; }
    void setLabelWidth(qreal width);

    qreal verticalScroll() const { return m_scroll; }
    void setVerticalScroll(qreal pixels);
    void setGroupExpanded(int group, bool expanded);
    // The lane an event is about (the subject's lane, or where an exception was), or -1.
    static LaneId laneOfEvent(const EventLog &log, size_t index);
    // The event that ended `span` (its lane's next phase, start, or end), looked for among the
    // log's first `limit` events; -1 for a span still open.
    static qsizetype spanEndEvent(const EventLog &log, const TimelineSpan &span, size_t limit);
    // How close (pixels) a click must be to a span's start or end to mean that moment.
    static constexpr int EdgeGrip = 4;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    // Show events [0, eventIndex); -1 follows the end of the log as it grows.
    void setPlayhead(qsizetype eventIndex);
    // The log grew (a live run): read it in, then paint.
    void logChanged();
    void zoomToFit();
    void selectEvent(qsizetype eventIndex);
    void selectNextEvent();
    void selectPreviousEvent();

Q_SIGNALS:
    void eventSelected(qsizetype eventIndex);
    // A click on a marker, a badge or a span's edge: the event it stands for, to go to (a
    // click inside a span only selects its lane).
    void eventClicked(qsizetype eventIndex);
    void laneSelected(int lane);
    void labelWidthChanged(qreal width);
    // What the timeline draws changed kinds (a first print, a first exception, a new run):
    // for the legend, which lists only those.
    void usageChanged(const TimelineUsage &usage);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    // Brings the model up to the playhead; with a budget (ns), stops when it is spent and
    // returns false (the window stays live while a big log is read in).
    bool sync(qint64 budgetNs = -1);
    // The playhead as an event count within the log (its end when following it).
    size_t playheadIndex() const;
    // How far the model should reach: the log's end for the whole run, else the playhead.
    size_t syncTarget() const;
    bool isBehind() const;
    // A paint now, or, while the model is behind, catch-up slices first (a paint then).
    void requestFrame();
    // One slice of the model's catch-up, as much as this pass of the event loop allows.
    void catchUp();
    TimelineFrame currentFrame() const;
    bool onLabelEdge(QPoint pos) const;
    TimelineCoordinates coordinates() const;
    // The time of the event before the playhead (0 before the first).
    qint64 playheadTime() const;
    void click(QPoint pos);
    void select(LaneId lane, qsizetype event);
    // A click's target: selected, and (an event) said to be gone to.
    void goTo(LaneId lane, qsizetype event);
    void revealRow(qsizetype row);
    void clampScroll();

    const EventLog *m_log = nullptr;
    TimelineZoomControl *m_zoom;
    TimelineModel m_model; // what is shown
    std::unique_ptr<TimelineModel> m_rebuild; // after going back: catching up with the playhead
    QTimer *m_catchUp; // runs while the model is behind the log or playhead
    QElapsedTimer m_sinceFrame; // since the last paint
    TimelineRowLayout m_rows;
    TimelineGeometry m_geometry;
    TimelinePainter m_painter;
    TimelineTheme m_theme;
    qsizetype m_playhead = -1;
    bool m_wholeRun = false;
    qsizetype m_followedPlayhead = -1; // the model's event count when the view last followed it
    TimelineUsage m_usage; // as last emitted
    qreal m_labelWidth = -1; // < 0: automatic
    bool m_resizingLabels = false; // dragging the label column's edge
    static constexpr double PlayheadMargin = 40; // pixels kept between the playhead and an edge
    qreal m_scroll = 0;
    // Dragging: where it started and what was shown then.
    QPoint m_pressPos;
    TimeRange m_pressRange;
    qreal m_pressScroll = 0;
    bool m_pressed = false;
    bool m_dragging = false;
};

} // namespace Lifeline
