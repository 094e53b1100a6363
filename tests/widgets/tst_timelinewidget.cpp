// SPDX-License-Identifier: MIT
// TimelineWidget interaction, checked on the zoom control's state and the emitted signals:
// zoom keys, fit, next/previous event, click to select, drag to pan, Ctrl+wheel, the expander,
// the playhead and tooltips' text. Offscreen; no pixels compared.
#include "timelinetestlog.h"
#include "timelinetooltip.h"
#include "timelinewidget.h"
#include "timelinezoomcontrol.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Lifeline;
using namespace Lifeline::TestLog;

class tst_TimelineWidget : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void sizeHints();
    void zoomKeys_data();
    void zoomKeys();
    void nextAndPreviousEvent();
    void clickSelects_data();
    void clickSelects();
    void spanEndEvents();
    void dragPans();
    void ctrlWheelZoomsAtTheCursor();
    void plainWheelScrollsRows();
    void expanderToggles();
    void playheadShowsAPrefix();
    void wholeRunIsDrawnFaintAfterThePlayhead();
    void aBigLogIsReadInBetweenPaints();
    void zoomedInViewFollowsThePlayhead();
    void labelColumnResizesByItsEdge();
    void toolTips();

private:
    QPoint centreOf(const QRectF &r) const { return r.center().toPoint(); }
    std::unique_ptr<EventLog> m_log;
    std::unique_ptr<TimelineWidget> m_widget;
};

void tst_TimelineWidget::init()
{
    m_log = make();
    m_widget = std::make_unique<TimelineWidget>();
    m_widget->resize(1200, 400);
    m_widget->setEventLog(m_log.get());
    m_widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_widget.get()));
}

void tst_TimelineWidget::cleanup()
{
    m_widget.reset();
    m_log.reset();
}

void tst_TimelineWidget::sizeHints()
{
    QVERIFY(m_widget->sizeHint().isValid());
    QVERIFY(m_widget->minimumSizeHint().width() <= m_widget->sizeHint().width());
    QCOMPARE(m_widget->backgroundRole(), QPalette::Base);
}

void tst_TimelineWidget::zoomKeys_data()
{
    QTest::addColumn<QList<int>>("keys");
    QTest::addColumn<double>("duration");
    QTest::newRow("plus zooms in") << QList<int> { Qt::Key_Plus } << 500 / 1.5;
    QTest::newRow("plus twice") << QList<int> { Qt::Key_Plus, Qt::Key_Plus } << 500 / 2.25;
    QTest::newRow("minus undoes plus") << QList<int> { Qt::Key_Plus, Qt::Key_Minus } << 500.0;
    QTest::newRow("minus at fit stays at fit") << QList<int> { Qt::Key_Minus } << 500.0;
    QTest::newRow("F fits") << QList<int> { Qt::Key_Plus, Qt::Key_Plus, Qt::Key_F } << 500.0;
}

void tst_TimelineWidget::zoomKeys()
{
    QFETCH(QList<int>, keys);
    QFETCH(double, duration);
    m_widget->zoomToFit();
    for (int key : keys)
        QTest::keyClick(m_widget.get(), Qt::Key(key));
    QCOMPARE(m_widget->zoomControl()->range().duration(), duration);
}

void tst_TimelineWidget::nextAndPreviousEvent()
{
    QSignalSpy events(m_widget.get(), &TimelineWidget::eventSelected);
    QSignalSpy lanes(m_widget.get(), &TimelineWidget::laneSelected);
    QTest::keyClick(m_widget.get(), Qt::Key_Period);
    QTest::keyClick(m_widget.get(), Qt::Key_Period);
    QTest::keyClick(m_widget.get(), Qt::Key_Period);
    QCOMPARE(m_widget->zoomControl()->selectedEvent(), 2);
    QCOMPARE(m_widget->zoomControl()->selectedLane(), int(Db1));
    QTest::keyClick(m_widget.get(), Qt::Key_Comma);
    QCOMPARE(m_widget->zoomControl()->selectedEvent(), 1);
    QCOMPARE(events.count(), 4);
    QCOMPARE(events.last().at(0).value<qsizetype>(), 1);
    // main, db #1, main again: the lane signal fires when the lane changes.
    QCOMPARE(lanes.count(), 3);
    QCOMPARE(lanes.at(1).at(0).toInt(), int(Db1));
}

void tst_TimelineWidget::clickSelects_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("lane");
    QTest::addColumn<int>("event"); // selected and clicked (gone to); -1: the lane only
    QTest::newRow("inside a span: its lane only") << QStringLiteral("execute") << int(Db1) << -1;
    QTest::newRow("a span's start edge: the phase beginning")
        << QStringLiteral("ready start") << int(Db2) << 16;
    QTest::newRow("a span's end edge: the next phase")
        << QStringLiteral("execute end") << int(Db1) << 5;
    QTest::newRow("the edge between two phases: the later one's beginning")
        << QStringLiteral("acquire end") << int(Db2) << 16;
    QTest::newRow("replaced badge") << QStringLiteral("badge") << int(Gpu1) << 13;
    QTest::newRow("failed-to-acquire mark: the failure, not the acquire")
        << QStringLiteral("failed mark") << int(Gpu1) << 11;
    QTest::newRow("never-released mark: the run's end for it")
        << QStringLiteral("never mark") << int(Db2) << 18;
    QTest::newRow("raise mark") << QStringLiteral("raise mark") << int(Main) << 6;
    QTest::newRow("lane label selects the lane only") << QStringLiteral("label") << int(Db2) << -1;
}

void tst_TimelineWidget::clickSelects()
{
    QFETCH(QString, target);
    QFETCH(int, lane);
    QFETCH(int, event);
    QSignalSpy events(m_widget.get(), &TimelineWidget::eventSelected);
    QSignalSpy clicked(m_widget.get(), &TimelineWidget::eventClicked);
    QSignalSpy lanes(m_widget.get(), &TimelineWidget::laneSelected);
    const TimelineRenderModel &frame = m_widget->renderModel();
    auto marker = [&](MarkerKind kind) {
        for (const TimelineMarker &m : frame.markers)
            if (m.kind == kind)
                return m.pos.toPoint();
        return QPoint(-1, -1);
    };
    auto rectOf = [&](SpanKind kind, LaneId lane) {
        const qint64 row = m_widget->rows().rowOfLane(lane);
        const auto &rects = frame.rects[size_t(kind)];
        for (qsizetype i = rects.size(); i-- > 0;)
            if (frame.refs[size_t(kind)][i].row == row)
                return rects[i];
        return QRectF();
    };
    const QRectF execute = rectOf(SpanKind::Execute, Db1);
    const QRectF ready = rectOf(SpanKind::Ready, Db2);
    const QRectF acquire = rectOf(SpanKind::Acquire, Db2);
    QPoint at;
    if (target == QLatin1String("execute"))
        at = centreOf(execute);
    else if (target == QLatin1String("ready start"))
        at = QPoint(int(ready.left()) + 2, int(ready.center().y()));
    else if (target == QLatin1String("execute end"))
        at = QPoint(int(execute.right()) - 1, int(execute.center().y()));
    else if (target == QLatin1String("acquire end"))
        at = QPoint(int(acquire.right()) - 2, int(acquire.center().y()));
    else if (target == QLatin1String("badge"))
        at = frame.badges[1].pos.toPoint();
    else if (target == QLatin1String("failed mark"))
        at = marker(MarkerKind::FailedToAcquire);
    else if (target == QLatin1String("never mark"))
        at = marker(MarkerKind::NeverReleased);
    else if (target == QLatin1String("raise mark"))
        at = marker(MarkerKind::Raise);
    else
        at = QPoint(60, int(frame.rows[4].top + 6)); // tasks, main, db, db #1, db #2, ...
    QVERIFY(at.x() >= 0);
    QTest::mouseClick(m_widget.get(), Qt::LeftButton, {}, at);
    QCOMPARE(lanes.count(), 1);
    QCOMPARE(lanes.first().at(0).toInt(), lane);
    QCOMPARE(events.count(), event < 0 ? 0 : 1);
    QCOMPARE(clicked.count(), event < 0 ? 0 : 1);
    if (event >= 0) {
        QCOMPARE(events.first().at(0).value<qsizetype>(), qsizetype(event));
        QCOMPARE(clicked.first().at(0).value<qsizetype>(), qsizetype(event));
    }
    QCOMPARE(m_widget->zoomControl()->selectedLane(), lane);
}

// The event that ends each span of the log, found from the span alone, is the one a plain
// forward search finds: the lane's next phase, start or end (for a task, also a phase or end of
// an instance it entered: what it awaits changes).
void tst_TimelineWidget::spanEndEvents()
{
    const TimelineModel &model = m_widget->model();
    int checked = 0;
    for (LaneId lane : { Main, Db1, Gpu1, Db2 }) {
        const TimelineSpanTable &spans = model.spans(lane);
        for (qsizetype i = 0; i < spans.count(); ++i) {
            const TimelineSpan &span = spans.at(i);
            qsizetype expected = -1;
            for (size_t e = size_t(span.event) + 1; e < m_log->count() && expected < 0; ++e) {
                const Event ev = m_log->at(e);
                const bool moves = ev.kind() == EventKind::PhaseBegan
                    || ev.kind() == EventKind::InstanceEnded || ev.kind() == EventKind::TaskStarted
                    || ev.kind() == EventKind::TaskEnded;
                const bool itsInstance = model.laneKind(lane) == LaneKind::Task
                    && (ev.kind() == EventKind::PhaseBegan || ev.kind() == EventKind::InstanceEnded)
                    && m_log->lane(LaneId(ev.subject)).parent == lane;
                if (moves && (LaneId(ev.subject) == lane || itsInstance))
                    expected = qsizetype(e);
            }
            QCOMPARE(TimelineWidget::spanEndEvent(*m_log, span, m_log->count()), expected);
            ++checked;
        }
    }
    QCOMPARE(checked, 15); // main's 7 (waiting, running and what it awaits) and 8 of its instances
    // Db1's release ends with the instance released (event 8), not with the hop after it.
    const TimelineSpanTable &db1 = model.spans(Db1);
    QCOMPARE(TimelineWidget::spanEndEvent(*m_log, db1.at(db1.count() - 1), m_log->count()), 8);
}

void tst_TimelineWidget::dragPans()
{
    m_widget->zoomToFit();
    QTest::keyClick(m_widget.get(), Qt::Key_Plus);
    QTest::keyClick(m_widget.get(), Qt::Key_Plus);
    const TimeRange before = m_widget->zoomControl()->range();
    const double msPerPixel
        = TimelineGeometry::coordinates(QSizeF(m_widget->size()), before).msPerPixel();
    QSignalSpy events(m_widget.get(), &TimelineWidget::eventSelected);
    const QPoint from(700, 200);
    QTest::mousePress(m_widget.get(), Qt::LeftButton, {}, from);
    QTest::mouseMove(m_widget.get(), from + QPoint(-20, 0));
    QTest::mouseMove(m_widget.get(), from + QPoint(-100, 0));
    QTest::mouseRelease(m_widget.get(), Qt::LeftButton, {}, from + QPoint(-100, 0));
    const TimeRange after = m_widget->zoomControl()->range();
    QVERIFY(qAbs((after.start - before.start) - 100 * msPerPixel) < 1e-6);
    QCOMPARE(after.duration(), before.duration());
    QCOMPARE(events.count(), 0); // a drag is not a click
}

void tst_TimelineWidget::ctrlWheelZoomsAtTheCursor()
{
    m_widget->zoomToFit();
    const QPoint at(700, 200);
    const TimelineCoordinates c
        = TimelineGeometry::coordinates(QSizeF(m_widget->size()), m_widget->zoomControl()->range());
    const double anchor = c.time(at.x());
    QWheelEvent wheel(at, m_widget->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_widget.get(), &wheel);
    const TimeRange r = m_widget->zoomControl()->range();
    QVERIFY(r.duration() < 500);
    const TimelineCoordinates after = TimelineGeometry::coordinates(QSizeF(m_widget->size()), r);
    QVERIFY(qAbs(after.time(at.x()) - anchor) < 1e-6);
}

void tst_TimelineWidget::plainWheelScrollsRows()
{
    m_widget->resize(1200, 120); // room for three rows out of seven
    QWheelEvent wheel(QPointF(700, 80), m_widget->mapToGlobal(QPointF(700, 80)), QPoint(),
                      QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_widget.get(), &wheel);
    QVERIFY(m_widget->verticalScroll() > 0);
    QCOMPARE(m_widget->zoomControl()->range().duration(), 500.0);
}

void tst_TimelineWidget::expanderToggles()
{
    QCOMPARE(m_widget->rows().rowCount(), 7);
    const TimelineRenderModel &frame = m_widget->renderModel();
    QTest::mouseClick(m_widget.get(), Qt::LeftButton, {}, QPoint(8, int(frame.rows[2].top + 6)));
    QCOMPARE(m_widget->rows().rowCount(), 5);
    QVERIFY(!m_widget->rows().isExpanded(1));
}

void tst_TimelineWidget::playheadShowsAPrefix()
{
    m_widget->setPlayhead(6);
    QCOMPARE(m_widget->model().eventCount(), size_t(6));
    QCOMPARE(m_widget->zoomControl()->playhead(), 6);
    QCOMPARE(m_widget->zoomControl()->playheadTime(), 150);
    // The ruler still spans the whole recorded run, so stepping does not rescale the view.
    QCOMPARE(m_widget->zoomControl()->trace().end, 500.0);
    m_widget->setPlayhead(-1);
    QCOMPARE(m_widget->model().eventCount(), m_log->count());
}

void tst_TimelineWidget::wholeRunIsDrawnFaintAfterThePlayhead()
{
    m_widget->setShowsWholeRun(true);
    m_widget->setPlayhead(0);
    // Before the first event: every lane and span of the run is there, all of it faint.
    QCOMPARE(m_widget->model().eventCount(), m_log->count());
    QCOMPARE(m_widget->zoomControl()->playhead(), 0);
    const TimelineRenderModel &start = m_widget->renderModel();
    QVERIFY(start.rectCount() > 0);
    QCOMPARE(start.futureX, start.playheadX);
    QVERIFY(start.futureX >= start.timeRect.left() && start.futureX < start.timeRect.right());
    const qreal before = start.futureX;
    // Stepping moves the playhead and the faint part's edge, not what the model holds.
    m_widget->setPlayhead(6);
    QCOMPARE(m_widget->model().eventCount(), m_log->count());
    QCOMPARE(m_widget->zoomControl()->playhead(), 6);
    QCOMPARE(m_widget->zoomControl()->playheadTime(), 150);
    const TimelineRenderModel &middle = m_widget->renderModel();
    QVERIFY(middle.futureX > before);
    QCOMPARE(middle.futureX, middle.playheadX);
    // At the end nothing follows: nothing is faint.
    m_widget->setPlayhead(qsizetype(m_log->count()));
    QCOMPARE(m_widget->renderModel().futureX, -1.0);
    QVERIFY(m_widget->renderModel().playheadX >= 0);
    // Off again, the model is the prefix up to the playhead.
    m_widget->setShowsWholeRun(false);
    m_widget->setPlayhead(6);
    QCOMPARE(m_widget->model().eventCount(), size_t(6));
    QCOMPARE(m_widget->renderModel().futureX, -1.0);
}

void tst_TimelineWidget::aBigLogIsReadInBetweenPaints()
{
    // A run recorded far ahead of what the timeline holds (opening a big scenario): the timeline
    // reads it in by itself, a slice per pass of the event loop, and a paint meanwhile draws
    // what it holds rather than read on (a paint that read on held the window a slice longer).
    EventLog log;
    const int label = log.internLabel(QStringLiteral("Conn()"));
    log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 0);
    log.append(0, EventKind::TaskCreated, 0);
    log.append(0, EventKind::TaskStarted, 0);
    for (int i = 0; i < 200'000; ++i) {
        const LaneId lane = log.addLane(LaneKind::Instance, label, 0, 0, i + 1);
        log.append(i, EventKind::PhaseBegan, quint32(lane), 0, quint8(Phase::Acquire));
        log.append(i, EventKind::PhaseBegan, quint32(lane), 0, quint8(Phase::Ready));
        log.append(i + 1, EventKind::PhaseBegan, quint32(lane), 0, quint8(Phase::Release));
        log.append(i + 1, EventKind::InstanceEnded, quint32(lane), 0,
                   quint8(LifecycleState::Released));
    }
    m_widget->setShowsWholeRun(true);
    m_widget->setEventLog(&log);
    m_widget->setPlayhead(0); // the catch-up starts
    const size_t before = m_widget->shownEvents();
    QVERIFY(before < log.count());
    m_widget->repaint();
    QCOMPARE(m_widget->shownEvents(), before); // a paint meanwhile draws, no more
    QTRY_COMPARE_WITH_TIMEOUT(m_widget->shownEvents(), log.count(), 30000);
    QCOMPARE(m_widget->model().laneCount(), qsizetype(log.laneCount()));
    m_widget->setEventLog(m_log.get()); // before `log` goes
}

void tst_TimelineWidget::zoomedInViewFollowsThePlayhead()
{
    TimelineZoomControl *zoom = m_widget->zoomControl();
    m_widget->setPlayhead(2);
    m_widget->model();
    zoom->setRange({ 0, 60 });
    // Stepping past the right edge brings the playhead into view at the same zoom.
    m_widget->setPlayhead(6);
    m_widget->model();
    const qint64 at = zoom->playheadTime();
    QCOMPARE(at, 150);
    QVERIFY2(zoom->range().start < at && at < zoom->range().end,
             qPrintable(QStringLiteral("%1..%2").arg(zoom->range().start).arg(zoom->range().end)));
    QCOMPARE(zoom->range().duration(), 60.0);
    // Going back past the left edge too.
    zoom->setRange({ 400, 460 });
    m_widget->setPlayhead(5);
    m_widget->model();
    QVERIFY(zoom->range().start < zoom->playheadTime() && zoom->playheadTime() < zoom->range().end);
    // A playhead that stays put leaves the user's panning alone.
    zoom->setRange({ 300, 360 });
    m_widget->setPlayhead(5);
    m_widget->model();
    QCOMPARE(zoom->range(), (TimeRange { 300, 360 }));
    // Showing the whole run, the view stays the whole run.
    zoom->fit();
    m_widget->setPlayhead(7);
    m_widget->model();
    QVERIFY(zoom->isFit());
}

void tst_TimelineWidget::labelColumnResizesByItsEdge()
{
    const qreal automatic = m_widget->renderModel().labelRect.width();
    const TimeRange range = m_widget->zoomControl()->range();
    QSignalSpy changed(m_widget.get(), &TimelineWidget::labelWidthChanged);
    const int y = 60;
    // Dragging the edge between labels and time widens the labels and narrows the time axis.
    QTest::mousePress(m_widget.get(), Qt::LeftButton, {}, QPoint(int(automatic), y));
    QTest::mouseMove(m_widget.get(), QPoint(int(automatic) + 120, y));
    QTest::mouseRelease(m_widget.get(), Qt::LeftButton, {}, QPoint(int(automatic) + 120, y));
    QCOMPARE(m_widget->labelWidth(), qreal(int(automatic) + 120));
    const TimelineRenderModel &wider = m_widget->renderModel();
    QCOMPARE(wider.labelRect.width(), qreal(int(automatic) + 120));
    QCOMPARE(wider.timeRect.left(), wider.labelRect.width());
    QCOMPARE(m_widget->zoomControl()->range(), range); // resizing is not panning
    QVERIFY(changed.size() >= 1);
    // It never squeezes the labels away or the time axis out.
    m_widget->setLabelWidth(10);
    QCOMPARE(m_widget->renderModel().labelRect.width(), TimelineGeometry::MinLabelWidth);
    m_widget->setLabelWidth(100000);
    QCOMPARE(m_widget->renderModel().labelRect.width(), m_widget->width() * 0.8);
    // A double click on the edge goes back to the automatic width.
    const int edge = int(m_widget->renderModel().labelRect.width());
    QTest::mouseDClick(m_widget.get(), Qt::LeftButton, {}, QPoint(edge, y));
    QCOMPARE(m_widget->labelWidth(), qreal(-1));
    QCOMPARE(m_widget->renderModel().labelRect.width(), automatic);
}

void tst_TimelineWidget::toolTips()
{
    const TimelineRenderModel &frame = m_widget->renderModel();
    const QString span = TimelineToolTip::text(
        m_widget->model(), frame,
        m_widget->hitTest(centreOf(frame.rects[size_t(SpanKind::Execute)].first())));
    QVERIFY2(span.contains(QStringLiteral("100 ms – 150 ms")), qPrintable(span));
    QVERIFY(span.contains(QStringLiteral("#1")));
    const QString badge = TimelineToolTip::text(m_widget->model(), frame,
                                                m_widget->hitTest(frame.badges[1].pos.toPoint()));
    QVERIFY2(badge.contains(QStringLiteral("replaced")), qPrintable(badge));
    QVERIFY(badge.contains(QStringLiteral("RuntimeError(&#x27;cleanup&#x27;)"))
            || badge.contains(QStringLiteral("RuntimeError('cleanup')")));
}

QTEST_MAIN(tst_TimelineWidget)
#include "tst_timelinewidget.moc"
