// SPDX-License-Identifier: MIT
// What a task waits on and who owns it, on the timeline: a sleep, an awaited task and a gather
// drawn on the waiting task's lane until its next event (TaskAwaits), and a TaskGroup or a
// gather framing the rows of the tasks that joined it (TaskJoined). From a hand-made log, so
// the model is checked against what docs/events.md says, whatever records it.
//
//   main   runs; enters TaskGroup() #1 at 0; awaits its exit [0,100]; awaits gather #1 [100,150]
//   a      joins TaskGroup() #1; awaits sleep(0.1) [0,100]; prints at 100; finishes at 100
//   b      joins TaskGroup() #1; awaits a [0,100]; finishes at 100
//   c      joins gather #1 at 100; cancel() reaches it at 120 without waking it; finishes at 150
#include "timelinegeometry.h"
#include "timelinelegend.h"
#include "timelinemodel.h"
#include "timelinerowlayout.h"
#include "timelinetooltip.h"

#include <QtTest>
#include <functional>

using namespace Lifeline;

namespace {

enum Lane : LaneId { Main, Group, A, B, C };

std::unique_ptr<EventLog> makeLog()
{
    auto log = std::make_unique<EventLog>();
    auto task = [&](const char *name, LaneId parent, int ordinal) {
        return log->addLane(LaneKind::Task, log->internLabel(QString::fromLatin1(name)), parent,
                            None, ordinal);
    };
    task("main()", None, 0);
    log->addLane(LaneKind::Instance, log->internLabel(QStringLiteral("TaskGroup()")), Main, 0, 1);
    task("a()", Main, 1);
    task("b()", Main, 2);
    task("c()", Main, 3);
    const int sleepLabel = log->internLabel(QStringLiteral("sleep(0.1)"));
    const int gatherLabel = log->internLabel(QStringLiteral("gather #1"));
    auto at = [&](qint64 t, EventKind kind, LaneId subject, qint32 arg = None, int detail = 0) {
        log->append(t, kind, quint32(subject), quint32(arg), quint8(detail));
    };
    at(0, EventKind::TaskCreated, Main);
    at(0, EventKind::TaskStarted, Main);
    at(0, EventKind::PhaseBegan, Group, None, int(Phase::Acquire));
    at(0, EventKind::PhaseBegan, Group, None, int(Phase::Ready));
    for (LaneId t : { A, B }) {
        at(0, EventKind::TaskCreated, t, Main);
        at(0, EventKind::TaskJoined, t, Group, int(JoinKind::TaskGroup));
    }
    at(0, EventKind::PhaseBegan, Group, None, int(Phase::Release));
    at(0, EventKind::TaskStarted, A);
    at(0, EventKind::TaskAwaits, A, sleepLabel, int(WaitKind::Sleep));
    at(0, EventKind::TaskStarted, B);
    at(0, EventKind::TaskAwaits, B, A, int(WaitKind::Task));
    at(100, EventKind::Printed, A, log->addPrint(QStringLiteral("slept")));
    at(100, EventKind::TaskEnded, A, None, int(TaskOutcome::Finished));
    at(100, EventKind::TaskEnded, B, None, int(TaskOutcome::Finished));
    at(100, EventKind::InstanceEnded, Group, None, int(LifecycleState::Released));
    at(100, EventKind::TaskCreated, C, Main);
    at(100, EventKind::TaskJoined, C, gatherLabel, int(JoinKind::Gather));
    at(100, EventKind::TaskAwaits, Main, gatherLabel, int(WaitKind::Gather));
    at(100, EventKind::TaskStarted, C);
    at(120, EventKind::CancelRequested, C, Main, int(CancelCause::Call));
    at(150, EventKind::TaskEnded, C, None, int(TaskOutcome::Finished));
    at(150, EventKind::Printed, Main, log->addPrint(QStringLiteral("done")));
    at(150, EventKind::TaskEnded, Main, None, int(TaskOutcome::Finished));
    return log;
}

// The span of `kind` on the lane, or nullptr.
const TimelineSpan *spanOf(const TimelineModel &model, LaneId lane, SpanKind kind)
{
    const TimelineSpanTable &spans = model.spans(lane);
    for (qsizetype i = 0; i < spans.count(); ++i)
        if (spans.kind(i) == kind)
            return &spans.at(i);
    return nullptr;
}

} // namespace

class tst_TimelineWaits : public QObject
{
    Q_OBJECT
private slots:
    void waitLastsUntilTheTasksNextEvent_data();
    void waitLastsUntilTheTasksNextEvent();
    void aCancelRequestDoesNotEndAWait();
    void twoSleepsInARowAreTwoSpans();
    void aSleepInsideAPhaseKeepsThePhase();
    void ownersHoldTheTasksThatJoined();
    void ownerEndsWithItsLastTask();
    void steppingBackForgetsLaterOwners();
    void aJoinOfNoLaneMakesNoOwner();
    void ownerIsFramedOverItsTasksRows();
    void collapsedTasksHaveNoFrame();
    void ownerTooltipAndWaitTooltipNameWhatTheyAre();
    void legendListsWaitsAndOwners();
};

void tst_TimelineWaits::waitLastsUntilTheTasksNextEvent_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<SpanKind>("kind");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::newRow("a sleep, until the task prints")
        << int(A) << SpanKind::TaskSleeping << qint64(0) << qint64(100);
    QTest::newRow("an awaited task, until the waiter ends")
        << int(B) << SpanKind::TaskAwaitingTask << qint64(0) << qint64(100);
    QTest::newRow("a TaskGroup's exit, until it is released")
        << int(Main) << SpanKind::TaskJoining << qint64(0) << qint64(100);
    QTest::newRow("a gather, until main prints")
        << int(Main) << SpanKind::TaskGathering << qint64(100) << qint64(150);
}

void tst_TimelineWaits::waitLastsUntilTheTasksNextEvent()
{
    QFETCH(int, lane);
    QFETCH(SpanKind, kind);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    const TimelineSpan *span = spanOf(model, LaneId(lane), kind);
    QVERIFY(span);
    QCOMPARE(qint64(span->start), start);
    QCOMPARE(span->end, end);
    // Read one event at a time, as a playhead steps, the spans are the same.
    TimelineModel stepped;
    for (size_t i = 1; i <= log->count(); ++i)
        stepped.update(*log, i);
    const TimelineSpan *again = spanOf(stepped, LaneId(lane), kind);
    QVERIFY(again);
    QCOMPARE(qint64(again->start), start);
    QCOMPARE(again->end, end);
}

void tst_TimelineWaits::aCancelRequestDoesNotEndAWait()
{
    // c runs [100,150] with no wait; the cancel() at 120 is an event about c that c did not
    // make. Give c a sleep from 100 and the sleep must still reach 150.
    auto log = makeLog();
    EventLog withSleep;
    const int sleep = withSleep.internLabel(QStringLiteral("sleep(1)"));
    for (size_t l = 0; l < log->laneCount(); ++l) {
        const LaneInfo &info = log->lane(LaneId(l));
        withSleep.addLane(info.kind(), withSleep.internLabel(log->label(info.label)), info.parent,
                          info.group, int(info.ordinal));
    }
    for (const Event &e : log->events()) {
        const bool labelled = (e.kind() == EventKind::TaskAwaits && e.waitKind() != WaitKind::Task)
            || (e.kind() == EventKind::TaskJoined && e.joinKind() == JoinKind::Gather);
        const quint32 arg = labelled ? quint32(withSleep.internLabel(log->label(e.targetLabel())))
            : e.kind() == EventKind::Printed
            ? quint32(withSleep.addPrint(log->print(e.printIndex())))
            : e.arg;
        withSleep.append(e.time, e.kind(), e.subject, arg, quint8(e.detail));
        if (e.kind() == EventKind::TaskStarted && e.lane() == C)
            withSleep.append(e.time, EventKind::TaskAwaits, C, quint32(sleep),
                             quint8(WaitKind::Sleep));
    }
    TimelineModel model;
    model.update(withSleep, withSleep.count());
    const TimelineSpan *span = spanOf(model, C, SpanKind::TaskSleeping);
    QVERIFY(span);
    QCOMPARE(qint64(span->start), qint64(100));
    QCOMPARE(span->end, qint64(150));
    QCOMPARE(span->endState(), SpanEnd::TaskFinished);
}

namespace {

// main() alone, with `events` after its start; lane 1 is an instance it entered.
std::unique_ptr<EventLog> mainWith(const std::function<void(EventLog &, int sleep)> &events)
{
    auto log = std::make_unique<EventLog>();
    log->addLane(LaneKind::Task, log->internLabel(QStringLiteral("main()")), None, None, 0);
    log->addLane(LaneKind::Instance, log->internLabel(QStringLiteral("Conn()")), Main, 0, 1);
    const int sleep = log->internLabel(QStringLiteral("sleep(0.01)"));
    log->append(0, EventKind::TaskCreated, Main);
    log->append(0, EventKind::TaskStarted, Main);
    events(*log, sleep);
    log->append(100, EventKind::TaskEnded, Main, quint32(None), quint8(TaskOutcome::Finished));
    return log;
}

QList<SpanKind> kindsOf(const TimelineModel &model, LaneId lane)
{
    QList<SpanKind> out;
    for (qsizetype i = 0; i < model.spans(lane).count(); ++i)
        out << model.spans(lane).kind(i);
    return out;
}

} // namespace

void tst_TimelineWaits::twoSleepsInARowAreTwoSpans()
{
    // `await asyncio.sleep(0.01); await asyncio.sleep(0.01)`: two waits, not one long one.
    const auto log = mainWith([](EventLog &log, int sleep) {
        log.append(0, EventKind::TaskAwaits, Main, quint32(sleep), quint8(WaitKind::Sleep));
        log.append(10, EventKind::TaskAwaits, Main, quint32(sleep), quint8(WaitKind::Sleep));
    });
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(kindsOf(model, Main),
             (QList<SpanKind> { SpanKind::TaskWaiting, SpanKind::TaskSleeping,
                                SpanKind::TaskSleeping }));
    QCOMPARE(model.spans(Main).end(1, 0), qint64(10));
    QCOMPARE(model.spans(Main).start(2), qint64(10));
}

void tst_TimelineWaits::aSleepInsideAPhaseKeepsThePhase()
{
    // A sleep in Conn's __aenter__: main's lane says it awaits the __aenter__ throughout.
    const auto log = mainWith([](EventLog &log, int sleep) {
        log.append(0, EventKind::PhaseBegan, 1, quint32(None), quint8(Phase::Acquire));
        log.append(0, EventKind::TaskAwaits, Main, quint32(sleep), quint8(WaitKind::Sleep));
        log.append(10, EventKind::PhaseBegan, 1, quint32(None), quint8(Phase::Ready));
        log.append(10, EventKind::TaskAwaits, Main, quint32(sleep), quint8(WaitKind::Sleep));
        log.append(20, EventKind::Printed, Main, quint32(log.addPrint(QStringLiteral("x"))));
    });
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(kindsOf(model, Main),
             (QList<SpanKind> { SpanKind::TaskWaiting, SpanKind::TaskEntering,
                                SpanKind::TaskSleeping, SpanKind::TaskRunning }));
    QCOMPARE(model.spans(Main).start(2), qint64(10));
    QCOMPARE(model.spans(Main).start(3), qint64(20));
}

void tst_TimelineWaits::ownersHoldTheTasksThatJoined()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.owners().size(), size_t(2));
    const TimelineOwner &group = model.owners()[0];
    QCOMPARE(group.kind, JoinKind::TaskGroup);
    QCOMPARE(group.name, QStringLiteral("TaskGroup() #1"));
    QCOMPARE(group.lane, LaneId(Group));
    QCOMPARE(group.tasks, (std::vector<LaneId> { A, B }));
    const TimelineOwner &gather = model.owners()[1];
    QCOMPARE(gather.kind, JoinKind::Gather);
    QCOMPARE(gather.name, QStringLiteral("gather #1"));
    QCOMPARE(gather.lane, LaneId(None));
    QCOMPARE(gather.tasks, (std::vector<LaneId> { C }));
    QCOMPARE(model.ownerOf(A), 0);
    QCOMPARE(model.ownerOf(C), 1);
    QCOMPARE(model.ownerOf(Main), -1);
    QVERIFY(model.usage().owners);
}

void tst_TimelineWaits::ownerEndsWithItsLastTask()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.owners()[0].start, qint64(0)); // entered at 0
    QCOMPARE(model.ownerEnd(0), qint64(100)); // its tasks and its own lane ended at 100
    QCOMPARE(model.owners()[1].start, qint64(100));
    QCOMPARE(model.ownerEnd(1), qint64(150));
    // Before c ends, the gather is still going: it reaches the playhead.
    TimelineModel partial;
    size_t beforeEnd = 0;
    while (log->at(beforeEnd).time < 150)
        ++beforeEnd;
    partial.update(*log, beforeEnd);
    QCOMPARE(partial.owners()[1].open, qsizetype(1));
    QCOMPARE(partial.ownerEnd(1), partial.playheadTime());
    QCOMPARE(partial.playheadTime(), qint64(120));
}

void tst_TimelineWaits::steppingBackForgetsLaterOwners()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    size_t firstGatherJoin = 0;
    while (!(log->at(firstGatherJoin).kind() == EventKind::TaskJoined
             && log->at(firstGatherJoin).joinKind() == JoinKind::Gather))
        ++firstGatherJoin;
    model.update(*log, firstGatherJoin);
    QCOMPARE(model.owners().size(), size_t(1));
    QCOMPARE(model.ownerOf(C), -1);
    QVERIFY(!spanOf(model, Main, SpanKind::TaskGathering));
}

void tst_TimelineWaits::aJoinOfNoLaneMakesNoOwner()
{
    // A log (not one a trace reader passes: it checks every lane an event names) whose task
    // joins a TaskGroup lane that does not exist: no owner, nothing drawn, no crash.
    const auto log = mainWith([](EventLog &log, int) {
        log.append(0, EventKind::TaskJoined, Main, 99, quint8(JoinKind::TaskGroup));
    });
    TimelineModel model;
    model.update(*log, log->count());
    QVERIFY(model.owners().empty());
    QCOMPARE(model.ownerOf(Main), -1);
    QVERIFY(!model.usage().owners);
}

void tst_TimelineWaits::ownerIsFramedOverItsTasksRows()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    TimelineRowLayout rows;
    rows.sync(model);
    TimelineGeometry geometry;
    TimelineFrame frame;
    frame.size = QSizeF(1200, 400);
    frame.range = TimeRange { 0, 160 };
    const TimelineRenderModel &out = geometry.build(model, rows, frame);
    QCOMPARE(out.ownerFrames.size(), 2);
    const TimelineOwnerFrame &f = out.ownerFrames[0];
    QCOMPARE(f.owner, 0);
    auto rowTop = [&](LaneId lane) {
        for (const TimelineRowItem &r : out.rows)
            if (r.kind == RowKind::Lane && r.id == lane)
                return r.top;
        return qreal(-1);
    };
    QVERIFY(rowTop(A) >= 0 && rowTop(B) >= 0);
    QVERIFY(f.rect.top() <= std::min(rowTop(A), rowTop(B)) + 1);
    QVERIFY(f.rect.bottom() >= std::max(rowTop(A), rowTop(B)) + TimelineGeometry::RowHeight - 1);
    const TimelineCoordinates c = TimelineGeometry::coordinates(frame.size, frame.range);
    QVERIFY(std::abs(f.rect.left() - c.x(0)) <= 3);
    QVERIFY(std::abs(f.rect.right() - c.x(100)) <= 3);
    // Its tab is hit before the spans it lies over.
    const TimelineHit hit = out.hitTest(f.tab.center());
    QCOMPARE(hit.kind, HitKind::Owner);
    QCOMPARE(hit.index, 0);
}

void tst_TimelineWaits::collapsedTasksHaveNoFrame()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    TimelineRowLayout rows;
    rows.sync(model);
    rows.setExpanded(TimelineModel::TaskGroup, false);
    rows.sync(model);
    TimelineGeometry geometry;
    TimelineFrame frame;
    frame.size = QSizeF(1200, 400);
    frame.range = TimeRange { 0, 160 };
    QVERIFY(geometry.build(model, rows, frame).ownerFrames.isEmpty());
}

void tst_TimelineWaits::ownerTooltipAndWaitTooltipNameWhatTheyAre()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    const QString owner = TimelineToolTip::ownerText(model, 0);
    QVERIFY2(owner.contains(QStringLiteral("TaskGroup() #1</b> owns 2 tasks: a(), b()")),
             qPrintable(owner));
    QVERIFY2(owner.contains(QStringLiteral("0 ms – 100 ms")), qPrintable(owner));
    const QString sleep = TimelineToolTip::spanText(
        model, *spanOf(model, A, SpanKind::TaskSleeping), 1, 1, log.get());
    QVERIFY2(sleep.contains(QStringLiteral("awaiting sleep(0.1): 0 ms – 100 ms")),
             qPrintable(sleep));
    const QString task = TimelineToolTip::spanText(
        model, *spanOf(model, B, SpanKind::TaskAwaitingTask), 1, 1, log.get());
    QVERIFY2(task.contains(QStringLiteral("awaiting a()")), qPrintable(task));
    // Without the log, the kind of wait.
    const QString bare
        = TimelineToolTip::spanText(model, *spanOf(model, Main, SpanKind::TaskGathering), 1);
    QVERIFY2(bare.contains(QStringLiteral("awaiting a gather")), qPrintable(bare));
}

void tst_TimelineWaits::legendListsWaitsAndOwners()
{
    const auto log = makeLog();
    TimelineModel model;
    model.update(*log, log->count());
    QStringList texts;
    for (const TimelineLegend::Item &item : TimelineLegend::items(model.usage()))
        texts << item.text;
    for (const char *want :
         { "sleeps", "awaits a task", "awaits a gather", "TaskGroup or gather over its tasks" })
        QVERIFY2(texts.contains(QString::fromLatin1(want)), want);
    // A run without them lists none of them.
    EventLog plain;
    plain.addLane(LaneKind::Task, plain.internLabel(QStringLiteral("main()")), None, None, 0);
    plain.append(0, EventKind::TaskCreated, 0);
    plain.append(0, EventKind::TaskStarted, 0);
    plain.append(5, EventKind::TaskEnded, 0, quint32(None), quint8(TaskOutcome::Finished));
    TimelineModel none;
    none.update(plain, plain.count());
    for (const TimelineLegend::Item &item : TimelineLegend::items(none.usage()))
        QVERIFY2(!item.text.contains(QLatin1String("sleep"))
                     && !item.text.contains(QLatin1String("gather")),
                 qPrintable(item.text));
}

QTEST_MAIN(tst_TimelineWaits)
#include "tst_timelinewaits.moc"
