// SPDX-License-Identifier: MIT
// TimelineZoomControl: setters compare, store and emit (twice the same value emits once), ranges
// stay inside the trace, a fitted view follows a growing trace. No clock anywhere.
#include "timelinezoomcontrol.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Lifeline;

class tst_TimelineZoomControl : public QObject
{
    Q_OBJECT
private slots:
    void sameValueEmitsOnce_data();
    void sameValueEmitsOnce();
    void rangeStaysInsideTrace_data();
    void rangeStaysInsideTrace();
    void fittedViewFollowsGrowingTrace();
    void zoomedViewStaysWhenTraceGrows();
    void zoomAndPanHelpers();
    void emptyTraceStillHasARange();
};

void tst_TimelineZoomControl::sameValueEmitsOnce_data()
{
    QTest::addColumn<QString>("setter");
    QTest::newRow("trace") << QStringLiteral("trace");
    QTest::newRow("range") << QStringLiteral("range");
    QTest::newRow("selection") << QStringLiteral("selection");
    QTest::newRow("playhead") << QStringLiteral("playhead");
}

void tst_TimelineZoomControl::sameValueEmitsOnce()
{
    QFETCH(QString, setter);
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 1000 });
    QSignalSpy trace(&zoom, &TimelineZoomControl::traceChanged);
    QSignalSpy range(&zoom, &TimelineZoomControl::rangeChanged);
    QSignalSpy selection(&zoom, &TimelineZoomControl::selectionChanged);
    QSignalSpy playhead(&zoom, &TimelineZoomControl::playheadChanged);
    for (int i = 0; i < 2; ++i) {
        if (setter == QLatin1String("trace"))
            zoom.setTrace({ 0, 2000 });
        else if (setter == QLatin1String("range"))
            zoom.setRange({ 100, 200 });
        else if (setter == QLatin1String("selection"))
            zoom.setSelection(3, 42);
        else
            zoom.setPlayhead(7, 150);
    }
    QCOMPARE(trace.count(), setter == QLatin1String("trace") ? 1 : 0);
    // A fitted range follows the trace: one rangeChanged for the trace setter as well.
    QCOMPARE(range.count(),
             setter == QLatin1String("range") || setter == QLatin1String("trace") ? 1 : 0);
    QCOMPARE(selection.count(), setter == QLatin1String("selection") ? 1 : 0);
    QCOMPARE(playhead.count(), setter == QLatin1String("playhead") ? 1 : 0);
    if (setter == QLatin1String("selection")) {
        QCOMPARE(selection.first().at(0).toInt(), 3);
        QCOMPARE(selection.first().at(1).value<qsizetype>(), 42);
    }
}

void tst_TimelineZoomControl::rangeStaysInsideTrace_data()
{
    QTest::addColumn<TimeRange>("asked");
    QTest::addColumn<TimeRange>("expected");
    QTest::newRow("inside") << TimeRange { 100, 300 } << TimeRange { 100, 300 };
    QTest::newRow("before the start") << TimeRange { -100, 100 } << TimeRange { 0, 200 };
    QTest::newRow("after the end") << TimeRange { 900, 1200 } << TimeRange { 700, 1000 };
    QTest::newRow("wider than the trace") << TimeRange { -5, 5000 } << TimeRange { 0, 1000 };
    QTest::newRow("narrower than the minimum") << TimeRange { 10, 10.1 } << TimeRange { 10, 10.5 };
}

void tst_TimelineZoomControl::rangeStaysInsideTrace()
{
    QFETCH(TimeRange, asked);
    QFETCH(TimeRange, expected);
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 1000 });
    zoom.setRange(asked);
    QCOMPARE(zoom.range(), expected);
}

void tst_TimelineZoomControl::fittedViewFollowsGrowingTrace()
{
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 100 });
    QVERIFY(zoom.isFit());
    zoom.setTrace({ 0, 250 });
    QCOMPARE(zoom.range(), (TimeRange { 0, 250 }));
}

void tst_TimelineZoomControl::zoomedViewStaysWhenTraceGrows()
{
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 100 });
    zoom.setRange({ 10, 20 });
    zoom.setTrace({ 0, 250 });
    QCOMPARE(zoom.range(), (TimeRange { 10, 20 }));
}

void tst_TimelineZoomControl::zoomAndPanHelpers()
{
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 1000 });
    zoom.zoomAround(500, 4);
    QCOMPARE(zoom.range(), (TimeRange { 375, 625 }));
    zoom.panBy(100);
    QCOMPARE(zoom.range(), (TimeRange { 475, 725 }));
    zoom.reveal(900, 250, 10); // 1 ms per pixel: 900 is off to the right, so centre on it
    QCOMPARE(zoom.range(), (TimeRange { 750, 1000 }));
    zoom.fit();
    QVERIFY(zoom.isFit());
}

void tst_TimelineZoomControl::emptyTraceStillHasARange()
{
    TimelineZoomControl zoom;
    zoom.setTrace({ 0, 0 });
    QVERIFY(zoom.trace().duration() > 0);
    QVERIFY(zoom.range().duration() > 0);
}

QTEST_GUILESS_MAIN(tst_TimelineZoomControl)
#include "tst_timelinezoomcontrol.moc"
