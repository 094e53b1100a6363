// SPDX-License-Identifier: MIT
// Scopes and cancellations on the timeline, from built-in examples run by the engine: a
// timeout's deadline and the moment it fired, a cancel() drawn from its cause (the deadline,
// the failing sibling, asyncio.run's shutdown) to the task it hits, and two phases of one kind
// back to back kept apart by a seam while each is a pixel or more wide, and a gather and a
// TaskGroup framing the tasks they own. Checks the model and the render model, never pixels.
#include "examples.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinegeometry.h"
#include "timelinelegend.h"

#include <QtTest>

using namespace Lifeline;

namespace {

std::shared_ptr<const Scenario> example(const QString &name)
{
    return ScenarioLoader::fromFile(Examples::find(name)->resourcePath, nullptr);
}

LaneId laneNamed(const EventLog &log, const QString &name)
{
    for (LaneId lane = 0; lane < LaneId(log.laneCount()); ++lane)
        if (log.laneName(lane) == name)
            return lane;
    return None;
}

} // namespace

class tst_TimelineScopes : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void timeoutDeadlineIsWhereItWouldFire();
    void deadlineOfATracedTimeoutCountsNanoseconds();
    void timeoutWithoutDelayHasNoDeadline();
    void cancellationHasItsCause_data();
    void cancellationHasItsCause();
    void causesTheExamplesDoNotShow_data();
    void causesTheExamplesDoNotShow();
    void cancellationIsDrawnFromItsCause_data();
    void cancellationIsDrawnFromItsCause();
    void legendListsWhatIsDrawn();
    void gatherAndTaskGroupFrameTheirTasks();
    void backToBackPhasesStaySeparate_data();
    void backToBackPhasesStaySeparate();

private:
    const TimelineRenderModel &show(const QString &example, TimeRange range);
    const TimelineMarker *marker(MarkerKind kind, LaneId lane) const;

    std::unique_ptr<ScenarioRun> m_run;
    TimelineModel m_model;
    TimelineRowLayout m_rows;
    TimelineGeometry m_geometry;
    TimelineFrame m_frame;
};

void tst_TimelineScopes::init()
{
    m_run.reset();
    m_model.clear();
    m_rows.clear();
    m_geometry = TimelineGeometry();
    m_frame = TimelineFrame();
    m_frame.size = QSizeF(1600, 600);
}

const TimelineRenderModel &tst_TimelineScopes::show(const QString &name, TimeRange range)
{
    m_run = std::make_unique<ScenarioRun>(example(name));
    m_run->runToEnd();
    m_model.update(m_run->log(), m_run->log().count());
    m_rows.sync(m_model);
    m_frame.range = range;
    return m_geometry.build(m_model, m_rows, m_frame);
}

const TimelineMarker *tst_TimelineScopes::marker(MarkerKind kind, LaneId lane) const
{
    for (const TimelineMarker &m : m_geometry.last().markers)
        if (m.kind == kind && m.lane == lane)
            return &m;
    return nullptr;
}

void tst_TimelineScopes::timeoutDeadlineIsWhereItWouldFire()
{
    // timeout(0.15) entered at 0 fires at 150 ms and cancels main().
    const TimelineRenderModel &out
        = show(QStringLiteral("timeout-cancels-through-exits"), { 0, 200 });
    const LaneId timeout = laneNamed(m_run->log(), QStringLiteral("timeout(0.15) #1"));
    QVERIFY(timeout >= 0);
    const TimelineDeadline *d = m_model.deadline(timeout);
    QVERIFY(d);
    QCOMPARE(d->time, 150);
    QCOMPARE(d->firedAt, 150);
    const TimelineCoordinates c = TimelineGeometry::coordinates(m_frame.size, m_frame.range);
    // Fired right at its deadline: one mark, the fired flag, stands for both.
    const TimelineMarker *fired = marker(MarkerKind::DeadlineFired, timeout);
    QVERIFY(fired);
    QVERIFY(!marker(MarkerKind::Deadline, timeout));
    QCOMPARE(fired->pos.x(), c.x(150));
    QCOMPARE(fired->row, m_rows.rowOfLane(timeout));
    QVERIFY(m_model.usage().deadlines && m_model.usage().deadlinesFired);
    QCOMPARE(out.cancelLines.size(), 1); // from the timeout's row down to main()'s
}

void tst_TimelineScopes::deadlineOfATracedTimeoutCountsNanoseconds()
{
    EventLog log;
    log.setTicksPerMs(1000000);
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    const LaneId timeout = log.addLane(
        LaneKind::Instance, log.internLabel(QStringLiteral("timeout(0.0025)")), main, 0, 1);
    log.append(0, EventKind::TaskCreated, quint32(main));
    log.append(10, EventKind::TaskStarted, quint32(main));
    log.append(1000, EventKind::PhaseBegan, quint32(timeout), quint32(None),
               quint8(Phase::Acquire));
    m_model.update(log, log.count());
    QVERIFY(m_model.deadline(timeout));
    QCOMPARE(m_model.deadline(timeout)->time, 1000 + 2500000);
    QCOMPARE(m_model.deadline(timeout)->firedAt, -1);
    QVERIFY(!m_model.deadline(main));
}

void tst_TimelineScopes::timeoutWithoutDelayHasNoDeadline()
{
    EventLog log;
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    const LaneId timeout = log.addLane(
        LaneKind::Instance, log.internLabel(QStringLiteral("timeout(None)")), main, 0, 1);
    log.append(0, EventKind::TaskCreated, quint32(main));
    log.append(0, EventKind::PhaseBegan, quint32(timeout), quint32(None), quint8(Phase::Acquire));
    m_model.update(log, log.count());
    QVERIFY(!m_model.deadline(timeout));
    QVERIFY(!m_model.usage().deadlines);
}

void tst_TimelineScopes::cancellationHasItsCause_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("task");
    QTest::addColumn<CancelCause>("cause");
    QTest::addColumn<QString>("by"); // empty: none
    QTest::addColumn<qint64>("time");
    QTest::newRow("a timeout's deadline")
        << QStringLiteral("timeout-cancels-through-exits") << QStringLiteral("main()")
        << CancelCause::Deadline << QStringLiteral("timeout(0.15) #1") << qint64(150);
    QTest::newRow("a failing sibling in a TaskGroup")
        << QStringLiteral("gather-vs-taskgroup") << QStringLiteral("fetch-users")
        << CancelCause::Sibling << QStringLiteral("fetch-orders") << qint64(200);
    QTest::newRow("the TaskGroup's parent, by the same sibling")
        << QStringLiteral("gather-vs-taskgroup") << QStringLiteral("main()") << CancelCause::Sibling
        << QStringLiteral("fetch-orders") << qint64(200);
    QTest::newRow("asyncio.run's shutdown")
        << QStringLiteral("spawn-cancelled-at-exit") << QStringLiteral("heartbeat")
        << CancelCause::Shutdown << QString() << qint64(50);
}

void tst_TimelineScopes::cancellationHasItsCause()
{
    QFETCH(QString, example);
    QFETCH(QString, task);
    QFETCH(CancelCause, cause);
    QFETCH(QString, by);
    QFETCH(qint64, time);
    show(example, { 0, 250 });
    const EventLog &log = m_run->log();
    bool found = false;
    for (const TimelineCancel &c : m_model.cancels()) {
        if (log.laneName(c.task) != task || c.cause != cause)
            continue;
        QCOMPARE(c.by >= 0 ? log.laneName(c.by) : QString(), by);
        QCOMPARE(c.time, time);
        QCOMPARE(log.at(c.event).kind(), EventKind::CancelRequested);
        found = true;
    }
    QVERIFY(found);
}

void tst_TimelineScopes::causesTheExamplesDoNotShow_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // as `lifeline events` prints the cancellations
    QTest::newRow("a deadline reaching a gather's children through main")
        << QByteArray(
               R"({"lifeline": 1, "resources": [], "main": [{"try": [{"timeout": 50, "body": [
             {"gather": [{"name": "a", "body": [{"sleep": 100}]},
                         {"name": "b", "body": [{"sleep": 100}]}]}]}],
             "except": [{"types": ["TimeoutError"], "body": []}]}]})")
        << QStringLiteral("main() deadline timeout(0.05) #1 | a awaiter main() | "
                          "b awaiter main()");
    QTest::newRow("cancel_after: a loop callback, no task")
        << QByteArray(R"({"lifeline": 1, "resources": [], "main": [{"gather": [
             {"name": "w", "body": [{"sleep": 100}], "cancel_after": 10}],
             "return_exceptions": true}]})")
        << QStringLiteral("w call -");
    QTest::newRow("a TaskGroup cancelled in __aexit__ aborts from there")
        << QByteArray(
               R"({"lifeline": 1, "resources": [], "main": [{"try": [{"timeout": 50, "body": [
             {"task_group": [{"name": "w", "body": [{"sleep": 100}]}]}]}],
             "except": [{"types": ["TimeoutError"], "body": []}]}]})")
        << QStringLiteral("main() deadline timeout(0.05) #1 | w group-exit TaskGroup() #1");
}

void tst_TimelineScopes::causesTheExamplesDoNotShow()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    std::vector<Diagnostic> problems;
    auto scenario = ScenarioLoader::fromData(json, QStringLiteral("test.json"), &problems);
    QVERIFY2(scenario, problems.empty() ? "" : qPrintable(problems.front().message));
    ScenarioRun run(scenario);
    run.runToEnd();
    m_model.update(run.log(), run.log().count());
    QStringList got;
    for (const TimelineCancel &c : m_model.cancels())
        got << QStringLiteral("%1 %2 %3")
                   .arg(run.log().laneName(c.task), QLatin1String(EventLog::causeName(c.cause)),
                        c.by >= 0 ? run.log().laneName(c.by) : QStringLiteral("-"));
    QCOMPARE(got.join(QLatin1String(" | ")), expected);
}

void tst_TimelineScopes::cancellationIsDrawnFromItsCause_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QString>("task");
    QTest::addColumn<QString>("by"); // empty: no line, only the mark on the task
    QTest::newRow("deadline: from the timeout's row")
        << QStringLiteral("timeout-cancels-through-exits") << QStringLiteral("main()")
        << QStringLiteral("timeout(0.15) #1");
    QTest::newRow("sibling: from the failing task's row")
        << QStringLiteral("gather-vs-taskgroup") << QStringLiteral("main()")
        << QStringLiteral("fetch-orders");
    QTest::newRow("shutdown: no cause to draw from")
        << QStringLiteral("spawn-cancelled-at-exit") << QStringLiteral("heartbeat") << QString();
}

void tst_TimelineScopes::cancellationIsDrawnFromItsCause()
{
    QFETCH(QString, example);
    QFETCH(QString, task);
    QFETCH(QString, by);
    const TimelineRenderModel &out = show(example, { 0, 250 });
    // Names repeat (two fetch-orders, two main() cancels): the last of that task's cancels.
    const EventLog &log = m_run->log();
    LaneId hit = None, cause = None;
    for (const TimelineCancel &c : m_model.cancels()) {
        if (log.laneName(c.task) == task) {
            hit = c.task;
            cause = c.by;
        }
    }
    QVERIFY(hit >= 0);
    const TimelineMarker *mark = marker(MarkerKind::CancelRequest, hit);
    QVERIFY(mark);
    QCOMPARE(mark->row, m_rows.rowOfLane(hit));
    bool line = false;
    for (const QLineF &l : out.cancelLines) {
        if (l.p2() != mark->pos)
            continue;
        QCOMPARE(l.dx(), 0.0); // one instant: straight across rows
        QCOMPARE(log.laneName(cause), by);
        const qreal fromY = out.timeRect.top() + qreal(m_rows.rowOfLane(cause)) * out.rowHeight
            + out.rowHeight / 2;
        QCOMPARE(l.p1().y(), fromY);
        line = true;
    }
    QCOMPARE(line, !by.isEmpty());
}

void tst_TimelineScopes::gatherAndTaskGroupFrameTheirTasks()
{
    // gather-vs-taskgroup runs the same two fetches under a gather, then under a TaskGroup:
    // each owner holds its own pair of task lanes, and main awaits the gather while it runs.
    const TimelineRenderModel &frame = show(QStringLiteral("gather-vs-taskgroup"), { 0, 220 });
    const std::vector<TimelineOwner> &owners = m_model.owners();
    QCOMPARE(owners.size(), size_t(2));
    QCOMPARE(owners[0].name, QStringLiteral("gather #1"));
    QCOMPARE(owners[1].name, QStringLiteral("TaskGroup() #1"));
    QCOMPARE(owners[1].lane, laneNamed(m_run->log(), QStringLiteral("TaskGroup() #1")));
    for (const TimelineOwner &o : owners) {
        QStringList names;
        for (LaneId t : o.tasks)
            names << m_model.laneName(t);
        QCOMPARE(names,
                 (QStringList { QStringLiteral("fetch-users"), QStringLiteral("fetch-orders") }));
    }
    QVERIFY(owners[0].tasks.front() != owners[1].tasks.front()); // two tasks of one name each
    QCOMPARE(frame.ownerFrames.size(), 2);
    // main awaits the gather from its call until the gather delivers fetch-orders' failure;
    // the gather's frame reaches on to where fetch-users, left running, ends.
    const LaneId main = laneNamed(m_run->log(), QStringLiteral("main()"));
    const TimelineSpanTable &spans = m_model.spans(main);
    qsizetype gathering = -1;
    for (qsizetype i = 0; i < spans.count(); ++i)
        if (spans.kind(i) == SpanKind::TaskGathering)
            gathering = i;
    QVERIFY(gathering >= 0);
    QCOMPARE(spans.start(gathering), owners[0].start);
    auto endOf = [&](LaneId task) {
        const TimelineSpanTable &t = m_model.spans(task);
        return t.end(t.count() - 1, m_model.playheadTime());
    };
    QCOMPARE(m_model.endState(owners[0].tasks[1], m_model.count(owners[0].tasks[1]) - 1),
             SpanEnd::TaskFailed);
    QCOMPARE(spans.end(gathering, m_model.playheadTime()), endOf(owners[0].tasks[1]));
    QCOMPARE(m_model.ownerEnd(0), endOf(owners[0].tasks[0]));
    QVERIFY(m_model.ownerEnd(0) > endOf(owners[0].tasks[1]));
}

void tst_TimelineScopes::legendListsWhatIsDrawn()
{
    show(QStringLiteral("timeout-cancels-through-exits"), { 0, 200 });
    QStringList texts;
    for (const TimelineLegend::Item &item : TimelineLegend::items(m_model.usage()))
        texts << item.text;
    QVERIFY(texts.contains(QStringLiteral("Cancellations")));
    QVERIFY(texts.contains(QStringLiteral("timeout's deadline")));
    QVERIFY(texts.contains(QStringLiteral("deadline passed")));
    QVERIFY(texts.contains(QStringLiteral("from its cause")));
}

void tst_TimelineScopes::backToBackPhasesStaySeparate_data()
{
    QTest::addColumn<double>("rangeEnd");
    QTest::addColumn<bool>("separate");
    // Two executes, [100, 150] and [150, 200], with a ready of no length between, in a view
    // about 1150 pixels wide.
    QTest::newRow("zoomed in: two bars and a seam") << 300.0 << true;
    QTest::newRow("three pixels each: still two") << 300.0 * 60 << true;
    QTest::newRow("both inside one pixel: no seam") << 300.0 * 10000 << false;
}

void tst_TimelineScopes::backToBackPhasesStaySeparate()
{
    QFETCH(double, rangeEnd);
    QFETCH(bool, separate);
    EventLog log;
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    const LaneId db
        = log.addLane(LaneKind::Instance, log.internLabel(QStringLiteral("Db()")), main, 0, 1);
    auto phase = [&](qint64 t, Phase p) {
        log.append(t, EventKind::PhaseBegan, quint32(db), quint32(None), quint8(p));
    };
    log.append(0, EventKind::TaskCreated, quint32(main));
    phase(0, Phase::Acquire);
    phase(50, Phase::Ready);
    phase(100, Phase::Execute);
    phase(150, Phase::Ready);
    phase(150, Phase::Execute);
    phase(200, Phase::Ready);
    m_model.update(log, log.count());
    m_rows.sync(m_model);
    m_frame.range = { 0, rangeEnd };
    const TimelineRenderModel &out = m_geometry.build(m_model, m_rows, m_frame);
    const auto &executes = out.rects[size_t(SpanKind::Execute)];
    if (!separate) {
        QVERIFY(executes.size() <= 1);
        return;
    }
    QCOMPARE(executes.size(), 2);
    // The first ends at least a device pixel before the second begins.
    QVERIFY(executes[0].right() <= executes[1].left() - 1);
}

QTEST_MAIN(tst_TimelineScopes)
#include "tst_timelinescopes.moc"
