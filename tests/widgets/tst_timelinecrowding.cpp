// SPDX-License-Identifier: MIT
// TimelineCrowding: marks that would overlap on a row become one counted mark holding them;
// marks a badge apart (one instant's, side by side) and print marks stay as they are; zoomed in,
// a crowd at the end of a failing TaskGroup splits into its marks again; hover and click on
// the counted mark reach what it holds.
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinecrowding.h"
#include "timelinegeometry.h"
#include "timelinemodel.h"
#include "timelinerowlayout.h"
#include "timelinetooltip.h"
#include "timelinewidget.h"

#include <QSignalSpy>
#include <QTest>

#include <set>

using namespace Lifeline;

class tst_TimelineCrowding : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mergesOnlyWhatWouldOverlap();
    void splitsAsTheUserZoomsIn();
    void hoverListsWhatItHolds();
    void clickGoesToTheFirstMark();
};

namespace {

TimelineMarker marker(MarkerKind kind, qreal x, qint64 row, quint32 event)
{
    return { kind, QPointF(x, 40 + 22 * row), row, event, LaneId(row), None };
}

TimelineBadge badge(HopAction action, qreal x, qint64 row, quint32 event)
{
    return { action, QPointF(x, 40 + 22 * row), row, event, LaneId(row), ExcId(0), None };
}

// Every mark of a frame, counted mark or not, as (event, kind) pairs.
std::multiset<std::pair<quint32, int>> allMarks(const TimelineRenderModel &frame)
{
    std::multiset<std::pair<quint32, int>> out;
    auto add = [&](const QVector<TimelineMarker> &markers, const QVector<TimelineBadge> &badges) {
        for (const TimelineMarker &m : markers)
            if (m.kind != MarkerKind::Print)
                out.insert({ m.event, int(m.kind) });
        for (const TimelineBadge &b : badges)
            out.insert({ b.event, 100 + int(b.action) });
    };
    add(frame.markers, frame.badges);
    for (const TimelineCluster &c : frame.clusters)
        add(c.markers, c.badges);
    return out;
}

struct Run
{
    std::shared_ptr<Scenario> scenario;
    std::unique_ptr<ScenarioRun> run;
    TimelineModel model;
    TimelineRowLayout rows;
    TimelineGeometry geometry;

    explicit Run(const QByteArray &json)
    {
        std::vector<Diagnostic> diagnostics;
        scenario = ScenarioLoader::fromData(json, QStringLiteral("crowd.json"), &diagnostics);
        run = std::make_unique<ScenarioRun>(scenario);
        run->runToEnd();
        model.update(run->log(), run->log().count());
        rows.sync(model);
        rows.setAllExpanded(true);
        rows.sync(model);
    }
    const TimelineRenderModel &build(TimeRange range)
    {
        TimelineFrame frame;
        frame.size = QSizeF(1400, 600);
        frame.range = range;
        return geometry.build(model, rows, frame);
    }
};

// A run that ends in a crowd on main's row after a long quiet second: at 1000 ms main raises
// and catches a ValueError, and 3 ms later its except body's KeyError ends it (raise, replaced,
// escaped, task failed): six marks within 3 ms.
const QByteArray Crowd = R"({"lifeline": 1, "resources": [], "main": [
  {"sleep": 1000},
  {"try": [{"raise": {"type": "ValueError"}}],
   "except": [{"body": [{"sleep": 3}, {"raise": {"type": "KeyError"}}]}]}]})";

} // namespace

void tst_TimelineCrowding::mergesOnlyWhatWouldOverlap()
{
    TimelineRenderModel frame;
    // Row 0: three marks 3 px apart, then one well clear of them.
    frame.markers << marker(MarkerKind::TaskFailed, 100, 0, 7);
    frame.badges << badge(HopAction::Escaped, 103, 0, 6) << badge(HopAction::Propagated, 106, 0, 9);
    frame.badges << badge(HopAction::Caught, 200, 0, 12);
    // Row 1: one instant's marks side by side, a badge apart: readable, kept (up to
    // MaxSideBySide of them).
    frame.markers << marker(MarkerKind::Raise, 100, 1, 3);
    frame.badges << badge(HopAction::Escaped, 100 + TimelineGeometry::BadgeSpacing, 1, 4);
    // Row 2: prints a pixel apart from an end mark: prints are never merged.
    frame.markers << marker(MarkerKind::Print, 100, 2, 1) << marker(MarkerKind::Print, 101, 2, 2)
                  << marker(MarkerKind::TaskCancelled, 102, 2, 5);
    // Row 3: two marks drawn at one spot on purpose, composing one glyph: no zoom parts them.
    frame.markers << marker(MarkerKind::Raise, 300, 3, 10) << marker(MarkerKind::Open, 300, 3, 11);
    // Row 4: more than MaxSideBySide marks of one instant would reach far past it: merged.
    for (int i = 0; i <= int(TimelineCrowding::MaxSideBySide); ++i)
        frame.badges << badge(HopAction::Grouped, 400 + i * TimelineGeometry::BadgeSpacing, 4,
                              quint32(20 + i));
    const auto before = allMarks(frame);

    TimelineCrowding::merge(frame);
    QCOMPARE(frame.clusters.size(), 2);
    QCOMPARE(frame.clusters.back().row, 4);
    QCOMPARE(frame.clusters.back().count(), qsizetype(TimelineCrowding::MaxSideBySide + 1));
    const TimelineCluster &c = frame.clusters.front();
    QCOMPARE(c.row, 0);
    QCOMPARE(c.count(), 3);
    QCOMPARE(c.pos.x(), 100.0); // where the crowd begins
    // Its members in event order.
    QCOMPARE(c.badges.front().event, 6u);
    QCOMPARE(c.markers.front().event, 7u);
    QCOMPARE(c.badges.back().event, 9u);
    // Nothing lost, nothing drawn twice.
    QCOMPARE(allMarks(frame), before);
    QCOMPARE(frame.markers.size(), 1 + 3 + 2);
    QCOMPARE(frame.badges.size(), 2);

    // Merging again finds the same (a frame from the cache is merged once, but no harm).
    TimelineRenderModel empty;
    TimelineCrowding::merge(empty);
    QVERIFY(empty.clusters.isEmpty());
}

void tst_TimelineCrowding::splitsAsTheUserZoomsIn()
{
    Run r(Crowd);
    const qint64 end = r.run->log().endTime();
    QCOMPARE(end, 1003);
    const TimelineRenderModel &fit = r.build({ 0, double(end) });
    // main's marks at 1000 and 1003 ms, 3 px apart at this zoom, merge into one.
    QCOMPARE(fit.clusters.size(), 1);
    QCOMPARE(fit.clusters.front().count(), 6);
    std::set<quint32> crowded;
    for (const TimelineCluster &c : fit.clusters) {
        QVERIFY(c.count() >= 2);
        for (const TimelineMarker &m : c.markers)
            crowded.insert(m.event);
        for (const TimelineBadge &b : c.badges)
            crowded.insert(b.event);
    }
    // No two marks left on a row overlap.
    for (int i = 0; i < fit.badges.size(); ++i)
        for (int j = i + 1; j < fit.badges.size(); ++j)
            if (fit.badges[i].row == fit.badges[j].row)
                QVERIFY(std::abs(fit.badges[i].pos.x() - fit.badges[j].pos.x())
                        >= TimelineCrowding::Overlap);

    // Zoomed in on the last 5 ms, each of main's marks is drawn on its own.
    QVERIFY(!crowded.empty());
    const TimelineRenderModel &zoomed = r.build({ 998, 1005 });
    QVERIFY(zoomed.clusters.isEmpty());
    std::set<quint32> alone;
    for (const TimelineMarker &m : zoomed.markers)
        alone.insert(m.event);
    for (const TimelineBadge &b : zoomed.badges)
        alone.insert(b.event);
    for (quint32 e : crowded)
        QVERIFY2(alone.count(e), qPrintable(QStringLiteral("event %1 not drawn zoomed in").arg(e)));
}

void tst_TimelineCrowding::hoverListsWhatItHolds()
{
    Run r(Crowd);
    const TimelineRenderModel &fit = r.build({ 0, double(r.run->log().endTime()) });
    QVERIFY(!fit.clusters.isEmpty());
    const TimelineCluster &c = fit.clusters.front();
    const TimelineHit hit = fit.hitTest(c.pos);
    QCOMPARE(hit.kind, HitKind::Cluster);
    QCOMPARE(hit.index, 0);
    const QString tip = TimelineToolTip::text(r.model, fit, hit);
    QVERIFY2(tip.contains(QStringLiteral("%1 marks").arg(c.count())), qPrintable(tip));
    // One section per mark it holds, each saying what its own tooltip says.
    QCOMPARE(tip.count(QLatin1String("<hr>")), c.count());
    for (const TimelineBadge &b : c.badges)
        QVERIFY2(tip.contains(QString::fromLatin1(EventLog::hopName(b.action))), qPrintable(tip));
    for (const TimelineMarker &m : c.markers)
        QVERIFY2(tip.contains(r.model.laneName(m.lane).toHtmlEscaped()), qPrintable(tip));
}

void tst_TimelineCrowding::clickGoesToTheFirstMark()
{
    Run r(Crowd);
    TimelineWidget widget;
    widget.resize(1400, 400);
    widget.setEventLog(&r.run->log());
    widget.setPlayhead(qsizetype(r.run->log().count()));
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    widget.zoomToFit();
    const TimelineRenderModel &frame = widget.renderModel();
    QCOMPARE(frame.clusters.size(), 1);
    const TimelineCluster c = frame.clusters.front();
    quint32 first = std::numeric_limits<quint32>::max();
    for (const TimelineMarker &m : c.markers)
        first = std::min(first, m.event);
    for (const TimelineBadge &b : c.badges)
        first = std::min(first, b.event);
    QSignalSpy clicked(&widget, &TimelineWidget::eventClicked);
    QTest::mouseClick(&widget, Qt::LeftButton, {}, c.pos.toPoint());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.front().front().value<qsizetype>(), qsizetype(first));
}

QTEST_MAIN(tst_TimelineCrowding)
#include "tst_timelinecrowding.moc"
