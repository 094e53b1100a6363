// SPDX-License-Identifier: MIT
// TimelineCoordinates: time<->pixel mapping, its round trip, and the zoom/pan/clamp range math.
#include "timelinecoordinates.h"

#include <QtTest>

using namespace Lifeline;

Q_DECLARE_METATYPE(Lifeline::TimeRange)

class tst_TimelineCoordinates : public QObject
{
    Q_OBJECT
private slots:
    void mapping_data();
    void mapping();
    void roundTrip_data();
    void roundTrip();
    void columns();
    void zoomed_data();
    void zoomed();
    void panned_data();
    void panned();
    void revealed_data();
    void revealed();
};

void tst_TimelineCoordinates::mapping_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<double>("x");
    // 0..1000 ms on pixels [100, 1100): one pixel per ms.
    QTest::newRow("range start is the left edge") << 0.0 << 100.0;
    QTest::newRow("middle") << 500.0 << 600.0;
    QTest::newRow("range end is the right edge") << 1000.0 << 1100.0;
    QTest::newRow("before the range is left of it") << -50.0 << 50.0;
    QTest::newRow("fractions of a millisecond") << 0.25 << 100.25;
}

void tst_TimelineCoordinates::mapping()
{
    QFETCH(double, time);
    QFETCH(double, x);
    const TimelineCoordinates c({ 0, 1000 }, 100, 1000);
    QCOMPARE(c.x(time), x);
    QCOMPARE(c.time(x), time);
    QCOMPARE(c.pixelsPerMs(), 1.0);
}

void tst_TimelineCoordinates::roundTrip_data()
{
    QTest::addColumn<TimeRange>("range");
    QTest::addColumn<double>("width");
    QTest::newRow("whole seed run on 1600 px") << TimeRange { 0, 550 } << 1600.0;
    QTest::newRow("deepest zoom, half a ms") << TimeRange { 43210.5, 43211 } << 1600.0;
    QTest::newRow("a week of virtual time") << TimeRange { 0, 6.048e8 } << 800.0;
    QTest::newRow("narrow widget") << TimeRange { 10, 20 } << 1.0;
}

void tst_TimelineCoordinates::roundTrip()
{
    QFETCH(TimeRange, range);
    QFETCH(double, width);
    const TimelineCoordinates c(range, 37, width);
    for (int i = 0; i <= 10; ++i) {
        const double t = range.start + range.duration() * i / 10;
        QVERIFY(qAbs(c.time(c.x(t)) - t) <= range.duration() * 1e-12);
        const double x = 37 + width * i / 10;
        QVERIFY(qAbs(c.x(c.time(x)) - x) <= 1e-6);
    }
}

void tst_TimelineCoordinates::columns()
{
    const TimelineCoordinates c({ 0, 100 }, 0, 200); // two pixels per ms
    QCOMPARE(c.column(0, 1), 0);
    QCOMPARE(c.column(10.2, 1), 20);
    QCOMPARE(c.column(10.2, 2), 40); // high DPI: twice the columns
    for (long long col : { 0LL, 7LL, 199LL })
        QCOMPARE(c.column(c.columnStart(col, 2) + 1e-9, 2), col);
}

void tst_TimelineCoordinates::zoomed_data()
{
    QTest::addColumn<TimeRange>("visible");
    QTest::addColumn<double>("anchor");
    QTest::addColumn<double>("factor");
    QTest::addColumn<TimeRange>("expected");
    const TimeRange all { 0, 1000 };
    QTest::newRow("zoom in around the middle") << all << 500.0 << 2.0 << TimeRange { 250, 750 };
    QTest::newRow("zoom in keeps the anchor's pixel")
        << all << 100.0 << 2.0 << TimeRange { 50, 550 };
    QTest::newRow("zoom out beyond the trace stops at the trace")
        << TimeRange { 400, 600 } << 500.0 << 0.01 << all;
    QTest::newRow("zoom out near the end slides back inside")
        << TimeRange { 800, 1000 } << 1000.0 << 0.5 << TimeRange { 600, 1000 };
    QTest::newRow("zoom in stops at the minimum duration")
        << TimeRange { 500, 501 } << 500.0 << 100.0 << TimeRange { 500, 500.5 };
}

void tst_TimelineCoordinates::zoomed()
{
    QFETCH(TimeRange, visible);
    QFETCH(double, anchor);
    QFETCH(double, factor);
    QFETCH(TimeRange, expected);
    const TimeRange r = TimelineCoordinates::zoomed(visible, anchor, factor, { 0, 1000 }, 0.5);
    QCOMPARE(r.start, expected.start);
    QCOMPARE(r.end, expected.end);
}

void tst_TimelineCoordinates::panned_data()
{
    QTest::addColumn<double>("delta");
    QTest::addColumn<TimeRange>("expected");
    QTest::newRow("later") << 100.0 << TimeRange { 300, 500 };
    QTest::newRow("earlier") << -100.0 << TimeRange { 100, 300 };
    QTest::newRow("past the start stops at 0") << -1000.0 << TimeRange { 0, 200 };
    QTest::newRow("past the end stops at the end") << 5000.0 << TimeRange { 800, 1000 };
}

void tst_TimelineCoordinates::panned()
{
    QFETCH(double, delta);
    QFETCH(TimeRange, expected);
    QCOMPARE(TimelineCoordinates::panned({ 200, 400 }, delta, { 0, 1000 }), expected);
}

void tst_TimelineCoordinates::revealed_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<TimeRange>("expected");
    QTest::newRow("inside stays put") << 300.0 << TimeRange { 200, 400 };
    QTest::newRow("right of the view centres on it") << 700.0 << TimeRange { 600, 800 };
    QTest::newRow("too close to the edge centres on it") << 399.0 << TimeRange { 299, 499 };
    QTest::newRow("centring near the start is clamped") << 10.0 << TimeRange { 0, 200 };
}

void tst_TimelineCoordinates::revealed()
{
    QFETCH(double, time);
    QFETCH(TimeRange, expected);
    const TimelineCoordinates c({ 200, 400 }, 0, 200); // 1 ms per pixel
    QCOMPARE(c.revealed(time, 10, { 0, 1000 }, 0.5), expected);
}

QTEST_GUILESS_MAIN(tst_TimelineCoordinates)
#include "tst_timelinecoordinates.moc"
