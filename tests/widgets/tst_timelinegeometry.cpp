// SPDX-License-Identifier: MIT
// TimelineGeometry's render model for the hand-made log: the rectangles, markers, badges and
// links the log says, one rectangle per span zoomed in, about one per pixel column zoomed out,
// only the rows on screen, the cache, and hit testing. Never looks at pixels.
#include "timelinegeometry.h"
#include "timelinetestlog.h"

#include <QtTest>

using namespace Lifeline;
using namespace Lifeline::TestLog;

class tst_TimelineGeometry : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void spansPerRow_data();
    void spansPerRow();
    void expandedGroupHeadersRepeatNothing();
    void markers_data();
    void markers();
    void exceptionPath();
    void collapsedGroupSummarises();
    void oneRectanglePerSpanZoomedIn();
    void aboutOneRectanglePerColumnZoomedOut_data();
    void aboutOneRectanglePerColumnZoomedOut();
    void onlyVisibleRowsAreBuilt();
    void openSpanAtThePlayhead();
    void cacheRebuildsOnlyOnChange();
    void hitTest_data();
    void hitTest();

private:
    const TimelineRenderModel &build(TimeRange range = { 0, 500 });
    qsizetype rectsInRow(LaneId lane, SpanKind kind) const;
    int count(MarkerKind kind) const;

    std::unique_ptr<EventLog> m_log;
    TimelineModel m_model;
    TimelineRowLayout m_rows;
    TimelineGeometry m_geometry;
    TimelineFrame m_frame;
};

void tst_TimelineGeometry::init()
{
    m_log = make();
    m_model.clear();
    m_model.update(*m_log, m_log->count());
    m_rows.clear();
    m_rows.sync(m_model);
    m_geometry = TimelineGeometry();
    m_frame = TimelineFrame();
    m_frame.size = QSizeF(1600, 600);
}

const TimelineRenderModel &tst_TimelineGeometry::build(TimeRange range)
{
    m_frame.range = range;
    m_rows.sync(m_model);
    return m_geometry.build(m_model, m_rows, m_frame);
}

qsizetype tst_TimelineGeometry::rectsInRow(LaneId lane, SpanKind kind) const
{
    const qsizetype row = m_rows.rowOfLane(lane);
    const auto &refs = m_geometry.last().refs[size_t(kind)];
    return std::count_if(refs.begin(), refs.end(),
                         [row](const TimelineSpanRef &r) { return r.row == row; });
}

int tst_TimelineGeometry::count(MarkerKind kind) const
{
    const auto &m = m_geometry.last().markers;
    return int(std::count_if(m.begin(), m.end(),
                             [kind](const TimelineMarker &x) { return x.kind == kind; }));
}

void tst_TimelineGeometry::spansPerRow_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<SpanKind>("kind");
    QTest::addColumn<int>("rects");
    // Zero-length spans followed at once by the next phase are hidden under it.
    QTest::newRow("db #1 acquire") << int(Db1) << SpanKind::Acquire << 1;
    QTest::newRow("db #1 execute") << int(Db1) << SpanKind::Execute << 1;
    QTest::newRow("db #1 zero-length ready is hidden") << int(Db1) << SpanKind::Ready << 0;
    QTest::newRow("db #1 release") << int(Db1) << SpanKind::Release << 1;
    QTest::newRow("gpu acquire") << int(Gpu1) << SpanKind::Acquire << 1;
    QTest::newRow("db #2 ready") << int(Db2) << SpanKind::Ready << 1;
    QTest::newRow("main running") << int(Main) << SpanKind::TaskRunning << 1;
}

void tst_TimelineGeometry::spansPerRow()
{
    QFETCH(int, lane);
    QFETCH(SpanKind, kind);
    QFETCH(int, rects);
    build();
    QCOMPARE(rectsInRow(lane, kind), rects);
    // And where: the acquire of db #1 covers 0..100 ms.
    if (lane == Db1 && kind == SpanKind::Acquire) {
        const TimelineCoordinates c = TimelineGeometry::coordinates(m_frame.size, m_frame.range);
        const QRectF r = m_geometry.last().rects[size_t(kind)].first();
        QVERIFY(qAbs(r.left() - c.x(0)) <= 1);
        QVERIFY(qAbs(r.right() - c.x(100)) <= 1);
    }
}

void tst_TimelineGeometry::expandedGroupHeadersRepeatNothing()
{
    const TimelineRenderModel &out = build();
    QCOMPARE(out.rows.size(), 7); // 3 headers + 4 lanes
    for (const auto &refs : out.refs)
        for (const TimelineSpanRef &r : refs)
            QCOMPARE(m_rows.row(r.row).kind, RowKind::Lane);
}

void tst_TimelineGeometry::markers_data()
{
    QTest::addColumn<MarkerKind>("kind");
    QTest::addColumn<int>("lane");
    QTest::addColumn<double>("time");
    QTest::newRow("failed to acquire, at the failure")
        << MarkerKind::FailedToAcquire << int(Gpu1) << 300.0;
    QTest::newRow("never released, at the end of the run")
        << MarkerKind::NeverReleased << int(Db2) << 500.0;
    QTest::newRow("raised in main") << MarkerKind::Raise << int(Main) << 150.0;
    QTest::newRow("raised at the gpu's exit") << MarkerKind::Raise << int(Gpu1) << 300.0;
    QTest::newRow("printed") << MarkerKind::Print << int(Main) << 400.0;
}

void tst_TimelineGeometry::markers()
{
    QFETCH(MarkerKind, kind);
    QFETCH(int, lane);
    QFETCH(double, time);
    const TimelineRenderModel &out = build();
    const TimelineCoordinates c = TimelineGeometry::coordinates(m_frame.size, m_frame.range);
    bool found = false;
    for (const TimelineMarker &m : out.markers)
        if (m.kind == kind && m.lane == lane && m.row == m_rows.rowOfLane(lane))
            found = found || qAbs(m.pos.x() - c.x(time)) <= TimelineGeometry::BadgeSpacing + 1;
    QVERIFY(found);
}

void tst_TimelineGeometry::exceptionPath()
{
    const TimelineRenderModel &out = build();
    QCOMPARE(out.badges.size(), 3);
    QCOMPARE(out.badges[0].action, HopAction::Propagated);
    QCOMPARE(out.badges[0].lane, LaneId(Db1));
    QCOMPARE(out.badges[1].action, HopAction::Replaced);
    QCOMPARE(out.badges[1].link, ExcId(Cleanup));
    QCOMPARE(out.badges[2].action, HopAction::Caught);
    QCOMPARE(out.badges[2].lane, LaneId(Main));
    // raise -> propagated -> replaced; raise -> caught: one connected path each.
    QCOMPARE(out.pathLines.size(), 3);
    QCOMPARE(out.linkLines.size(), 1);
    QCOMPARE(out.linkLines[0].p1(), out.badges[1].pos); // from the replaced badge ...
    QCOMPARE(count(MarkerKind::Raise), 2);
    bool toNewRaise = false; // ... to where the new exception was raised
    for (const TimelineMarker &m : out.markers)
        toNewRaise = toNewRaise
            || (m.kind == MarkerKind::Raise && m.exception == Cleanup
                && m.pos == out.linkLines[0].p2());
    QVERIFY(toNewRaise);
}

void tst_TimelineGeometry::collapsedGroupSummarises()
{
    m_rows.setExpanded(1, false);
    const TimelineRenderModel &out = build();
    QCOMPARE(out.rows.size(), 5);
    const qsizetype header = m_rows.rowOfGroup(1);
    QCOMPARE(m_rows.rowOfLane(Db1), header);
    QCOMPARE(m_rows.rowOfLane(Db2), header);
    qsizetype inHeader = 0;
    for (const auto &refs : out.refs)
        for (const TimelineSpanRef &r : refs)
            inHeader += r.row == header;
    QVERIFY(inHeader >= 4); // both instances' phases, merged where they touch
    // The propagated badge now sits on the header row.
    QCOMPARE(out.badges[0].row, header);
}

void tst_TimelineGeometry::oneRectanglePerSpanZoomedIn()
{
    build({ 100, 150 });
    QCOMPARE(rectsInRow(Db1, SpanKind::Execute), 1);
    const QRectF r = m_geometry.last().rects[size_t(SpanKind::Execute)].first();
    const TimelineCoordinates c = TimelineGeometry::coordinates(m_frame.size, m_frame.range);
    QVERIFY(qAbs(r.left() - c.x(100)) <= 1);
    QVERIFY(qAbs(r.right() - c.x(150)) <= 1);
}

void tst_TimelineGeometry::aboutOneRectanglePerColumnZoomedOut_data()
{
    QTest::addColumn<int>("spans");
    QTest::newRow("ten thousand 1 ms spans") << 10000;
    QTest::newRow("a hundred thousand") << 100000;
}

void tst_TimelineGeometry::aboutOneRectanglePerColumnZoomedOut()
{
    QFETCH(int, spans);
    // One instance cycling execute (1 ms) and ready (3 ms): far narrower than a pixel at fit.
    EventLog log;
    log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 0);
    log.addLane(LaneKind::Instance, log.internLabel(QStringLiteral("Pool()")), 0, 0, 1);
    qint64 t = 0;
    for (int i = 0; i < spans; ++i) {
        const bool execute = i % 2;
        log.append(t, EventKind::PhaseBegan, 1, 0, quint8(execute ? Phase::Execute : Phase::Ready));
        t += execute ? 1 : 3;
    }
    m_model.clear();
    m_model.update(log, log.count());
    m_rows.clear();
    const TimelineRenderModel &out = build({ 0, double(t) });
    const qsizetype rects = out.rectCount();
    const qreal columns = out.timeRect.width();
    QVERIFY2(rects <= columns, qPrintable(QString::number(rects)));
    QVERIFY(rects >= 1);
    // The widest phase wins each column: ready, three times as long as execute.
    QVERIFY(rectsInRow(1, SpanKind::Ready) >= 1);
    for (const auto &group : out.rects)
        for (const QRectF &r : group)
            QVERIFY(r.width() >= 1);
}

void tst_TimelineGeometry::onlyVisibleRowsAreBuilt()
{
    EventLog log;
    const int label = log.internLabel(QStringLiteral("Conn()"));
    for (int i = 0; i < 5000; ++i) {
        log.addLane(LaneKind::Instance, label, None, 0, i + 1);
        log.append(i, EventKind::PhaseBegan, quint32(i), 0, quint8(Phase::Acquire));
    }
    m_model.clear();
    m_model.update(log, log.count());
    m_rows.clear();
    m_rows.sync(m_model);
    m_rows.setExpanded(1, true);
    m_frame.scroll = TimelineGeometry::contentHeight(2500);
    const TimelineRenderModel &out = build({ 0, 5000 });
    const int visible = int(std::ceil(out.timeRect.height() / TimelineGeometry::RowHeight)) + 1;
    QVERIFY(out.rows.size() <= visible);
    QCOMPARE(out.rows.first().row, 2500);
}

void tst_TimelineGeometry::openSpanAtThePlayhead()
{
    m_model.update(*m_log, 5); // at 100 ms main runs and db #1 has begun executing
    const TimelineRenderModel &out = build({ 0, 150 });
    QCOMPARE(count(MarkerKind::Open), 2);
    QVERIFY(out.playheadX >= 0);
    const TimelineCoordinates c = TimelineGeometry::coordinates(m_frame.size, m_frame.range);
    QVERIFY(qAbs(out.playheadX - c.x(100)) < 0.5);
    for (const TimelineMarker &m : out.markers)
        if (m.kind == MarkerKind::Open)
            QVERIFY(qAbs(m.pos.x() - out.playheadX) < 0.5);
}

void tst_TimelineGeometry::cacheRebuildsOnlyOnChange()
{
    build();
    build();
    QCOMPARE(m_geometry.buildCount(), 1);
    build({ 0, 250 });
    QCOMPARE(m_geometry.buildCount(), 2);
    m_rows.setExpanded(0, false);
    build({ 0, 250 });
    QCOMPARE(m_geometry.buildCount(), 3);
    m_model.update(*m_log, 10);
    build({ 0, 250 });
    QCOMPARE(m_geometry.buildCount(), 4);
}

void tst_TimelineGeometry::hitTest_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<HitKind>("kind");
    QTest::newRow("a span") << QStringLiteral("span") << HitKind::Span;
    QTest::newRow("a badge") << QStringLiteral("badge") << HitKind::Badge;
    QTest::newRow("a marker") << QStringLiteral("marker") << HitKind::Marker;
    QTest::newRow("a lane label") << QStringLiteral("label") << HitKind::Label;
    QTest::newRow("a group's expander") << QStringLiteral("expander") << HitKind::Expander;
    QTest::newRow("the ruler") << QStringLiteral("ruler") << HitKind::Ruler;
}

void tst_TimelineGeometry::hitTest()
{
    QFETCH(QString, what);
    QFETCH(HitKind, kind);
    const TimelineRenderModel &out = build();
    QPointF at;
    if (what == QLatin1String("span"))
        at = out.rects[size_t(SpanKind::Execute)].first().center();
    else if (what == QLatin1String("badge"))
        at = out.badges[1].pos;
    else if (what == QLatin1String("marker"))
        at = out.markers.first().pos;
    else if (what == QLatin1String("label"))
        at = QPointF(60, out.rows[3].top + 5); // rows: tasks, main, db, db #1, db #2, gpu, gpu #1
    else if (what == QLatin1String("expander"))
        at = QPointF(8, out.rows[2].top + 5);
    else
        at = QPointF(800, 5);
    const TimelineHit hit = out.hitTest(at);
    QCOMPARE(hit.kind, kind);
    if (kind == HitKind::Span) {
        QCOMPARE(hit.spanKind, SpanKind::Execute);
        QCOMPARE(hit.rowId, qint32(Db1));
        QCOMPARE(m_model.spans(Db1).at(out.refs[size_t(hit.spanKind)][hit.index].span).event, 4u);
    } else if (kind == HitKind::Badge) {
        QCOMPARE(out.badges[hit.index].action, HopAction::Replaced);
    } else if (kind == HitKind::Label) {
        QCOMPARE(hit.rowId, qint32(Db1));
    }
}

QTEST_MAIN(tst_TimelineGeometry)
#include "tst_timelinegeometry.moc"
