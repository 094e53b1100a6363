// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: the timeline's input (mouse, wheel, keys, tooltips, selection)
// turned into calls on the model, the zoom control and the painter, which hold all the logic.
#include "timelinewidget.h"

#include "slicegate.h"
#include "timelinetooltip.h"

#include <QElapsedTimer>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QThreadPool>
#include <QTimer>
#include <QToolTip>
#include <QWheelEvent>

namespace Lifeline {

namespace {
constexpr double ZoomStep = 1.5;
constexpr int DragThreshold = 3;
// A catch-up slice (or a paint, when no catch-up runs) brings the model at most this far towards
// the playhead (a seek across a big run, or a rebuild after going back, then takes several
// slices), in chunks of events. A chunk costs up to ~2.5 us an event where every event opens a
// lane (a new span table each): 256 keep the overshoot past the budget under a millisecond.
constexpr qint64 SyncBudgetNs = 3'000'000;
// While the model catches up, a frame at most this often: a few million spans at fit zoom take
// milliseconds to draw, better spent reading the log in.
constexpr qint64 CatchUpFrameMs = 33;
constexpr size_t SyncChunk = 256;
constexpr size_t BigModelEvents = 100000;
constexpr qsizetype BigModelLanes = 10000;

// Feeds the log's events up to `upTo` to `model` until the budget is spent (< 0: no budget).
// True when it got there.
bool feed(TimelineModel &model, const EventLog &log, size_t upTo, qint64 budgetNs)
{
    QElapsedTimer clock;
    clock.start();
    while (model.eventCount() < upTo) {
        if (budgetNs >= 0 && clock.nsecsElapsed() >= budgetNs)
            return false;
        model.update(log, budgetNs < 0 ? upTo : std::min(upTo, model.eventCount() + SyncChunk));
    }
    model.update(log, upTo); // lanes the log added without events yet
    return true;
}

// Freeing a model of a million spans takes milliseconds of free() calls: not on the GUI thread.
void discard(std::unique_ptr<TimelineModel> model)
{
    // A model can be big in lanes before it is big in events: a gather's first events create
    // all its tasks.
    if (model && (model->eventCount() > BigModelEvents || model->laneCount() > BigModelLanes))
        QThreadPool::globalInstance()->start([m = model.release()] { delete m; });
}
} // namespace

TimelineWidget::TimelineWidget(QWidget *parent)
    : QWidget(parent)
    , m_zoom(new TimelineZoomControl(this))
    , m_catchUp(new QTimer(this))
{
    m_catchUp->setInterval(0);
    connect(m_catchUp, &QTimer::timeout, this, &TimelineWidget::catchUp);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true); // the label column's edge shows a resize cursor on hover
    m_theme = TimelineTheme::forPalette(palette());
    connect(m_zoom, &TimelineZoomControl::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &TimelineZoomControl::selectionChanged, this, qOverload<>(&QWidget::update));
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::setEventLog(const EventLog *log)
{
    m_log = log;
    discard(std::make_unique<TimelineModel>(std::move(m_model)));
    m_model = TimelineModel();
    discard(std::move(m_rebuild));
    m_rows.clear();
    m_geometry.invalidate();
    m_zoom->setSelection(-1, -1);
    update();
}

bool TimelineWidget::sync(qint64 budgetNs)
{
    if (!m_log) {
        if (m_model.eventCount())
            m_model.clear();
        m_rebuild.reset();
        if (!m_usage.isEmpty()) {
            m_usage = TimelineUsage();
            Q_EMIT usageChanged(m_usage);
        }
        return true;
    }
    const size_t playhead = playheadIndex();
    const size_t upTo = syncTarget();
    bool done = true;
    if (upTo < m_model.eventCount()) {
        // Going back: a model only grows, so a new one is built, and the one on screen stays
        // there until the new one has caught up (a frame or a few behind, never a half-built
        // timeline).
        if (!m_rebuild || upTo < m_rebuild->eventCount()) {
            discard(std::move(m_rebuild));
            m_rebuild = std::make_unique<TimelineModel>();
        }
        done = feed(*m_rebuild, *m_log, upTo, budgetNs);
        if (done) {
            std::swap(m_model, *m_rebuild);
            discard(std::move(m_rebuild));
            m_geometry.invalidate(); // the new model's revision count is its own
        }
    } else {
        discard(std::move(m_rebuild)); // forward again past what is shown: keep growing that
        done = feed(m_model, *m_log, upTo, budgetNs);
    }
    m_rows.sync(m_model);
    m_zoom->setTrace({ 0, double(m_log->endTime()) });
    const qsizetype shown = m_wholeRun ? qsizetype(playhead) : qsizetype(m_model.eventCount());
    const qint64 shownTime = m_wholeRun ? playheadTime() : m_model.playheadTime();
    m_zoom->setPlayhead(shown, shownTime);
    // Zoomed in, the view follows a moving playhead (stepping, playing) so it never walks off
    // screen; a playhead that stays put leaves the user's panning alone.
    if (shown != m_followedPlayhead) {
        m_followedPlayhead = shown;
        if (m_playhead >= 0 && !m_zoom->isFit())
            m_zoom->reveal(double(shownTime), coordinates().width(), PlayheadMargin);
    }
    clampScroll();
    if (const TimelineUsage usage = m_model.usage(); usage != m_usage) {
        m_usage = usage;
        Q_EMIT usageChanged(m_usage);
    }
    return done;
}

size_t TimelineWidget::playheadIndex() const
{
    if (!m_log)
        return 0;
    return m_playhead < 0 ? m_log->count() : std::min(m_log->count(), size_t(m_playhead));
}

size_t TimelineWidget::syncTarget() const
{
    return m_wholeRun && m_log ? m_log->count() : playheadIndex();
}

bool TimelineWidget::isBehind() const
{
    return m_log && (m_rebuild || m_model.eventCount() != syncTarget());
}

void TimelineWidget::requestFrame()
{
    if (!isBehind())
        update();
    else if (!m_catchUp->isActive())
        m_catchUp->start();
}

void TimelineWidget::catchUp()
{
    const qint64 budget = SliceGate::current().allowance(SyncBudgetNs);
    if (!budget)
        return; // this pass of the event loop has done its share
    const bool done = sync(budget);
    if (done)
        m_catchUp->stop();
    if (done || !m_sinceFrame.isValid() || m_sinceFrame.elapsed() >= CatchUpFrameMs)
        update();
}

const TimelineModel &TimelineWidget::model()
{
    sync();
    return m_model;
}

const TimelineRowLayout &TimelineWidget::rows()
{
    sync();
    return m_rows;
}

TimelineFrame TimelineWidget::currentFrame() const
{
    TimelineFrame f;
    f.size = QSizeF(size());
    f.devicePixelRatio = devicePixelRatioF();
    f.range = m_zoom->range();
    f.scroll = m_scroll;
    f.selectedLane = m_zoom->selectedLane();
    f.selectedEvent = m_zoom->selectedEvent();
    f.labelWidth = m_labelWidth;
    f.ticksPerMs = m_log ? m_log->ticksPerMs() : 1;
    if (m_wholeRun && m_log && m_playhead >= 0 && size_t(m_playhead) < m_log->count())
        f.playheadTime = playheadTime();
    if (m_log && f.selectedEvent >= 0 && size_t(f.selectedEvent) < m_log->count())
        f.selectedTime = double(m_log->at(size_t(f.selectedEvent)).time);
    return f;
}

TimelineCoordinates TimelineWidget::coordinates() const
{
    return TimelineGeometry::coordinates(QSizeF(size()), m_zoom->range(), m_labelWidth);
}

const TimelineRenderModel &TimelineWidget::renderModel()
{
    sync();
    return m_geometry.build(m_model, m_rows, currentFrame());
}

TimelineHit TimelineWidget::hitTest(QPoint pos)
{
    return renderModel().hitTest(QPointF(pos));
}

void TimelineWidget::setVerticalScroll(qreal pixels)
{
    m_scroll = pixels;
    clampScroll();
    update();
}

void TimelineWidget::clampScroll()
{
    const qreal visible = TimelineGeometry::timeRect(QSizeF(size()), m_labelWidth).height();
    const qreal max
        = std::max<qreal>(0, TimelineGeometry::contentHeight(m_rows.rowCount()) - visible);
    m_scroll = std::clamp<qreal>(m_scroll, 0, max);
}

void TimelineWidget::setGroupExpanded(int group, bool expanded)
{
    m_rows.setExpanded(group, expanded);
    update();
}

void TimelineWidget::setShowsWholeRun(bool on)
{
    if (on == m_wholeRun)
        return;
    m_wholeRun = on;
    update();
}

qint64 TimelineWidget::playheadTime() const
{
    const size_t at = playheadIndex();
    return at ? qint64(m_log->at(at - 1).time) : 0;
}

void TimelineWidget::setPlayhead(qsizetype eventIndex)
{
    m_playhead = eventIndex;
    requestFrame();
}

void TimelineWidget::logChanged()
{
    requestFrame();
}

void TimelineWidget::zoomToFit()
{
    sync();
    m_zoom->fit();
}

QSize TimelineWidget::sizeHint() const
{
    return QSize(900, int(TimelineGeometry::RulerHeight + 12 * TimelineGeometry::RowHeight));
}

QSize TimelineWidget::minimumSizeHint() const
{
    return QSize(320, int(TimelineGeometry::RulerHeight + 3 * TimelineGeometry::RowHeight));
}

void TimelineWidget::paintEvent(QPaintEvent *)
{
    // While a catch-up runs, the model is read in by its slices and a paint draws what is there;
    // otherwise (a first paint, a grab) the paint reads in what this pass allows.
    const qint64 budget = m_catchUp->isActive() ? 0 : SliceGate::current().allowance(SyncBudgetNs);
    if (!sync(budget))
        m_catchUp->start();
    m_sinceFrame.start();
    const TimelineRenderModel &frame = m_geometry.build(m_model, m_rows, currentFrame());
    QPainter painter(this);
    m_painter.paint(painter, frame, m_model, m_theme, font());
}

void TimelineWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    clampScroll();
}

void TimelineWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        m_theme = TimelineTheme::forPalette(palette());
        m_painter.invalidateText();
        update();
    } else if (event->type() == QEvent::FontChange) {
        m_painter.invalidateText();
        update();
    }
    QWidget::changeEvent(event);
}

void TimelineWidget::wheelEvent(QWheelEvent *event)
{
    sync();
    const QPoint delta = event->angleDelta();
    const TimelineCoordinates c = coordinates();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = delta.y() / 120.0;
        m_zoom->zoomAround(c.time(event->position().x()), std::pow(1.25, steps));
    } else if ((event->modifiers() & Qt::ShiftModifier) || delta.x() != 0) {
        const int d = delta.x() != 0 ? delta.x() : delta.y();
        m_zoom->panBy(-d / 120.0 * 0.1 * m_zoom->range().duration());
    } else {
        setVerticalScroll(m_scroll - delta.y() / 120.0 * 3 * TimelineGeometry::RowHeight);
    }
    event->accept();
}

void TimelineWidget::setLabelWidth(qreal width)
{
    width = width < 0 ? -1 : std::max(width, TimelineGeometry::MinLabelWidth);
    if (width == m_labelWidth)
        return;
    m_labelWidth = width;
    Q_EMIT labelWidthChanged(m_labelWidth);
    update();
}

bool TimelineWidget::onLabelEdge(QPoint pos) const
{
    constexpr int Grip = 3;
    return std::abs(pos.x() - TimelineGeometry::labelWidth(width(), m_labelWidth)) <= Grip;
}

void TimelineWidget::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    if (onLabelEdge(event->position().toPoint())) {
        m_resizingLabels = true;
        return;
    }
    sync();
    m_pressed = true;
    m_dragging = false;
    m_pressPos = event->position().toPoint();
    m_pressRange = m_zoom->range();
    m_pressScroll = m_scroll;
}

void TimelineWidget::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_resizingLabels) {
        setLabelWidth(pos.x());
        return;
    }
    if (!m_pressed) {
        const bool onEdge = onLabelEdge(pos);
        if (onEdge != (cursor().shape() == Qt::SplitHCursor)) {
            if (onEdge)
                setCursor(Qt::SplitHCursor);
            else
                unsetCursor();
        }
        return QWidget::mouseMoveEvent(event);
    }
    const QPoint d = event->position().toPoint() - m_pressPos;
    if (!m_dragging && d.manhattanLength() < DragThreshold)
        return;
    if (!m_dragging)
        setCursor(Qt::ClosedHandCursor);
    m_dragging = true;
    const TimelineCoordinates c(m_pressRange, 0, coordinates().width());
    m_zoom->setRange(
        TimelineCoordinates::panned(m_pressRange, -d.x() * c.msPerPixel(), m_zoom->trace()));
    setVerticalScroll(m_pressScroll - d.y());
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && m_resizingLabels) {
        m_resizingLabels = false;
        return;
    }
    if (event->button() != Qt::LeftButton || !m_pressed)
        return QWidget::mouseReleaseEvent(event);
    m_pressed = false;
    if (m_dragging)
        unsetCursor();
    else
        click(event->position().toPoint());
    m_dragging = false;
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && onLabelEdge(event->position().toPoint()))
        setLabelWidth(-1); // back to a share of the width
    else
        QWidget::mouseDoubleClickEvent(event);
}

void TimelineWidget::click(QPoint pos)
{
    const TimelineHit hit = hitTest(pos);
    const TimelineRenderModel &frame = m_geometry.last();
    switch (hit.kind) {
    case HitKind::Expander:
        setGroupExpanded(hit.rowId, !m_rows.isExpanded(hit.rowId));
        break;
    case HitKind::Label:
        if (hit.rowKind == RowKind::Lane)
            select(hit.rowId, -1);
        else
            setGroupExpanded(hit.rowId, !m_rows.isExpanded(hit.rowId));
        break;
    case HitKind::Span: {
        const TimelineSpanRef &ref = frame.refs[size_t(hit.spanKind)][hit.index];
        const TimelineSpanTable &table = hit.rowKind == RowKind::Group
            ? m_model.groupSpans(hit.rowId)
            : m_model.spans(hit.rowId);
        const TimelineSpan &span = table.at(ref.span);
        // Its start or its end, where the click is on an edge; inside, only its lane.
        const TimelineCoordinates c = coordinates();
        const double toStart = std::abs(c.x(double(span.start)) - pos.x());
        const double toEnd = span.isOpen() ? 1e9 : std::abs(c.x(double(span.end)) - pos.x());
        qsizetype event = -1;
        if (std::min(toStart, toEnd) <= EdgeGrip)
            event = toStart <= toEnd ? qsizetype(span.event)
                                     : spanEndEvent(*m_log, span, m_model.eventCount());
        goTo(span.lane, event);
        break;
    }
    case HitKind::Marker: {
        const TimelineMarker &m = frame.markers[hit.index];
        qsizetype event = m.event;
        switch (m.kind) {
        case MarkerKind::FailedToAcquire:
        case MarkerKind::Cancelled:
        case MarkerKind::NeverReleased:
        case MarkerKind::TaskFailed:
        case MarkerKind::TaskCancelled: {
            // An end mark stands for the event that ended the lane, not its last span's start.
            const TimelineSpanTable &spans = m_model.spans(m.lane);
            if (spans.count() > 0)
                event = spanEndEvent(*m_log, spans.at(spans.count() - 1), m_model.eventCount());
            break;
        }
        case MarkerKind::Raise:
        case MarkerKind::Print:
        case MarkerKind::Open:
        case MarkerKind::Deadline: // the timeout's entry
        case MarkerKind::DeadlineFired:
        case MarkerKind::CancelRequest:
            break;
        }
        goTo(m.lane, event >= 0 ? event : qsizetype(m.event));
        break;
    }
    case HitKind::Cluster: {
        // The first of the marks it holds; zooming in splits them for the others.
        const TimelineCluster &c = frame.clusters[hit.index];
        const bool badgeFirst = !c.badges.isEmpty()
            && (c.markers.isEmpty() || c.badges.front().event < c.markers.front().event);
        if (badgeFirst)
            goTo(c.badges.front().lane, c.badges.front().event);
        else if (!c.markers.isEmpty())
            goTo(c.markers.front().lane, c.markers.front().event);
        break;
    }
    case HitKind::Badge: {
        const TimelineBadge &b = frame.badges[hit.index];
        goTo(b.lane, b.event);
        break;
    }
    case HitKind::Owner: {
        // Where it began: a TaskGroup's entry on its lane, a gather's first task joining.
        const TimelineOwner &o = m_model.owners()[size_t(frame.ownerFrames[hit.index].owner)];
        if (o.lane >= 0 && m_model.count(o.lane) > 0)
            goTo(o.lane, m_model.spans(o.lane).at(0).event);
        else
            goTo(o.tasks.empty() ? None : o.tasks.front(), o.event);
        break;
    }
    case HitKind::Ruler:
    case HitKind::None:
        break;
    }
}

void TimelineWidget::select(LaneId lane, qsizetype event)
{
    const int oldLane = m_zoom->selectedLane();
    const qsizetype oldEvent = m_zoom->selectedEvent();
    m_zoom->setSelection(lane, event);
    if (lane != oldLane && lane >= 0)
        Q_EMIT laneSelected(lane);
    if (event != oldEvent && event >= 0)
        Q_EMIT eventSelected(event);
}

void TimelineWidget::goTo(LaneId lane, qsizetype event)
{
    select(lane, event);
    if (event >= 0)
        Q_EMIT eventClicked(event);
}

qsizetype TimelineWidget::spanEndEvent(const EventLog &log, const TimelineSpan &span, size_t limit)
{
    if (span.isOpen())
        return -1;
    limit = std::min(limit, log.count());
    // Times never decrease along the log: skip to the span's end time, then look at the events
    // of that moment for the one on the span's lane that moved it on.
    size_t lo = size_t(span.event) + 1, hi = limit;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (qint64(log.at(mid).time) < span.end)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < limit; ++i) {
        const Event e = log.at(i);
        if (qint64(e.time) > span.end)
            break;
        // A task's span also ends where one of its instances moves (what it awaits changes).
        if (e.lane() != span.lane
            && !(log.lane(span.lane).kind() == LaneKind::Task
                 && (e.kind() == EventKind::PhaseBegan || e.kind() == EventKind::InstanceEnded)
                 && log.lane(e.lane()).parent == span.lane))
            continue;
        switch (e.kind()) {
        case EventKind::TaskStarted:
        case EventKind::TaskEnded:
        case EventKind::PhaseBegan:
        case EventKind::InstanceEnded:
            return qsizetype(i);
        default:
            break;
        }
    }
    return -1;
}

LaneId TimelineWidget::laneOfEvent(const EventLog &log, size_t index)
{
    return log.at(index).lane();
}

void TimelineWidget::selectEvent(qsizetype eventIndex)
{
    sync();
    if (!m_log || eventIndex < 0 || size_t(eventIndex) >= m_model.eventCount())
        return;
    const LaneId lane = laneOfEvent(*m_log, size_t(eventIndex));
    select(lane, eventIndex);
    m_zoom->reveal(double(m_log->at(size_t(eventIndex)).time), coordinates().width(), 40);
    revealRow(m_rows.rowOfLane(lane));
}

void TimelineWidget::selectNextEvent()
{
    sync();
    if (!m_log)
        return;
    for (size_t i = size_t(m_zoom->selectedEvent() + 1); i < m_model.eventCount(); ++i) {
        if (m_log->at(i).kind() != EventKind::StepBegan) {
            selectEvent(qsizetype(i));
            return;
        }
    }
}

void TimelineWidget::selectPreviousEvent()
{
    sync();
    if (!m_log)
        return;
    qsizetype from
        = m_zoom->selectedEvent() < 0 ? qsizetype(m_model.eventCount()) : m_zoom->selectedEvent();
    for (qsizetype i = from - 1; i >= 0; --i) {
        if (m_log->at(size_t(i)).kind() != EventKind::StepBegan) {
            selectEvent(i);
            return;
        }
    }
}

void TimelineWidget::revealRow(qsizetype row)
{
    if (row < 0)
        return;
    const qreal top = qreal(row) * TimelineGeometry::RowHeight;
    const qreal visible = TimelineGeometry::timeRect(QSizeF(size()), m_labelWidth).height();
    if (top < m_scroll)
        setVerticalScroll(top);
    else if (top + TimelineGeometry::RowHeight > m_scroll + visible)
        setVerticalScroll(top + TimelineGeometry::RowHeight - visible);
}

void TimelineWidget::keyPressEvent(QKeyEvent *event)
{
    sync();
    const double centre = (m_zoom->range().start + m_zoom->range().end) / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_zoom->zoomAround(centre, ZoomStep);
        break;
    case Qt::Key_Minus:
        m_zoom->zoomAround(centre, 1 / ZoomStep);
        break;
    case Qt::Key_F:
        m_zoom->fit();
        break;
    case Qt::Key_Period:
        selectNextEvent();
        break;
    case Qt::Key_Comma:
        selectPreviousEvent();
        break;
    case Qt::Key_Left:
        m_zoom->panBy(-0.1 * m_zoom->range().duration());
        break;
    case Qt::Key_Right:
        m_zoom->panBy(0.1 * m_zoom->range().duration());
        break;
    case Qt::Key_Up:
        setVerticalScroll(m_scroll - TimelineGeometry::RowHeight);
        break;
    case Qt::Key_Down:
        setVerticalScroll(m_scroll + TimelineGeometry::RowHeight);
        break;
    case Qt::Key_PageUp:
        setVerticalScroll(m_scroll - height() * 0.8);
        break;
    case Qt::Key_PageDown:
        setVerticalScroll(m_scroll + height() * 0.8);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool TimelineWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text
            = TimelineToolTip::text(m_model, renderModel(), hitTest(help->pos()), m_log);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace Lifeline
