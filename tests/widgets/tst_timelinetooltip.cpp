// SPDX-License-Identifier: MIT
// TimelineToolTip's words, on hand-made logs: a cancellation says which phase it cut short
// (a trace may end any phase `cancelled`, not only an `__aenter__`).
#include "timelinegeometry.h"
#include "timelinetooltip.h"

#include <QtTest>

using namespace Lifeline;

namespace {

// main() enters Conn() #1 (acquire, ready, release, then `cancelled`) and Conn() #2 (acquire,
// then `cancelled`).
std::unique_ptr<EventLog> cancelledLog()
{
    auto log = std::make_unique<EventLog>();
    const int conn = log->internLabel(QStringLiteral("Conn()"));
    const LaneId main
        = log->addLane(LaneKind::Task, log->internLabel(QStringLiteral("main()")), None, None, 0);
    const LaneId inRelease = log->addLane(LaneKind::Instance, conn, main, 0, 1);
    const LaneId inAcquire = log->addLane(LaneKind::Instance, conn, main, 0, 2);
    auto phase = [&](qint64 t, LaneId lane, Phase p) {
        log->append(t, EventKind::PhaseBegan, quint32(lane), 0, quint8(p));
    };
    log->append(0, EventKind::TaskCreated, quint32(main));
    log->append(0, EventKind::TaskStarted, quint32(main));
    phase(0, inRelease, Phase::Acquire);
    phase(10, inRelease, Phase::Ready);
    phase(20, inRelease, Phase::Release);
    log->append(30, EventKind::InstanceEnded, quint32(inRelease), 0,
                quint8(LifecycleState::Cancelled));
    phase(40, inAcquire, Phase::Acquire);
    log->append(50, EventKind::InstanceEnded, quint32(inAcquire), 0,
                quint8(LifecycleState::Cancelled));
    log->append(60, EventKind::TaskEnded, quint32(main), quint32(None),
                quint8(TaskOutcome::Finished));
    return log;
}

} // namespace

class tst_TimelineToolTip : public QObject
{
    Q_OBJECT
private slots:
    void cancelledSaysWhatItCutShort_data();
    void cancelledSaysWhatItCutShort();
    void groupHeaderSaysWhatItCounts_data();
    void groupHeaderSaysWhatItCounts();
};

void tst_TimelineToolTip::cancelledSaysWhatItCutShort_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("never");
    QTest::newRow("cancelled in __aexit__") << 1 << QStringLiteral("cancelled while releasing")
                                            << QStringLiteral("cancelled while acquiring");
    QTest::newRow("cancelled in __aenter__") << 2 << QStringLiteral("cancelled while acquiring")
                                             << QStringLiteral("cancelled while releasing");
}

void tst_TimelineToolTip::cancelledSaysWhatItCutShort()
{
    QFETCH(int, lane);
    QFETCH(QString, expected);
    QFETCH(QString, never);
    const auto log = cancelledLog();
    TimelineModel model;
    model.update(*log, log->count());
    TimelineRowLayout rows;
    rows.sync(model);
    rows.setAllExpanded(true);
    rows.sync(model);

    // The span the cancellation ended.
    const TimelineSpanTable &spans = model.spans(LaneId(lane));
    QVERIFY(spans.count() > 0);
    const TimelineSpan &last = spans.at(spans.count() - 1);
    QCOMPARE(last.endState(), SpanEnd::Cancelled);
    const QString span = TimelineToolTip::spanText(model, last, 1);
    QVERIFY2(span.contains(expected), qPrintable(span));
    QVERIFY2(!span.contains(never), qPrintable(span));

    // Its end marker.
    TimelineGeometry geometry;
    TimelineFrame frame;
    frame.size = QSizeF(1200, 400);
    frame.range = { 0, 60 };
    const TimelineRenderModel &out = geometry.build(model, rows, frame);
    int found = 0;
    for (const TimelineMarker &m : out.markers) {
        if (m.kind != MarkerKind::Cancelled || m.lane != LaneId(lane))
            continue;
        ++found;
        TimelineHit hit = out.hitTest(m.pos);
        QCOMPARE(hit.kind, HitKind::Marker);
        const QString text = TimelineToolTip::text(model, out, hit);
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY2(!text.contains(never), qPrintable(text));
    }
    QCOMPARE(found, 1);
}

void tst_TimelineToolTip::groupHeaderSaysWhatItCounts_data()
{
    QTest::addColumn<int>("upTo"); // events shown
    QTest::addColumn<QString>("expected");
    QTest::newRow("one instance acquiring")
        << 3
        << QStringLiteral("1 lane up to the playhead (the number in the header), 1 of them "
                          "alive there");
    QTest::newRow("the first ended, the second acquiring")
        << 7
        << QStringLiteral("2 lanes up to the playhead (the number in the header), 1 of them "
                          "alive there");
    QTest::newRow("both ended")
        << 8
        << QStringLiteral("2 lanes up to the playhead (the number in the header), 0 of them "
                          "alive there");
}

// A header's number counts the group's lanes, ended or not: its tooltip says so, and how many
// are alive at the playhead.
void tst_TimelineToolTip::groupHeaderSaysWhatItCounts()
{
    QFETCH(int, upTo);
    QFETCH(QString, expected);
    const auto log = cancelledLog();
    TimelineModel model;
    model.update(*log, size_t(upTo));
    TimelineRowLayout rows;
    rows.sync(model);
    TimelineGeometry geometry;
    TimelineFrame frame;
    frame.size = QSizeF(1200, 400);
    frame.range = { 0, 60 };
    const TimelineRenderModel &out = geometry.build(model, rows, frame);
    const qint64 header = rows.rowOfGroup(1);
    QVERIFY(header >= 0);
    const TimelineRowItem *row = nullptr;
    for (const TimelineRowItem &r : out.rows)
        if (r.row == header)
            row = &r;
    QVERIFY(row);
    const TimelineHit hit = out.hitTest(QPointF(40, row->top + out.rowHeight / 2));
    QCOMPARE(hit.rowKind, RowKind::Group);
    const QString text = TimelineToolTip::text(model, out, hit);
    QVERIFY2(text.contains(expected), qPrintable(text));
}

QTEST_MAIN(tst_TimelineToolTip)
#include "tst_timelinetooltip.moc"
