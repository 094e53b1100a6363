// SPDX-License-Identifier: MIT
// RunController: a run is recorded ahead of the playhead as soon as it is set, the playhead
// then moves over the recording (step, step back, restart, play at a speed or instantly), and
// resources watched through the controller signal as the playhead passes their events.
#include "resource.h"
#include "runcontroller.h"
#include "scenario.h"
#include "scenariorun.h"
#include "scenariosource.h"

#include <QSignalSpy>
#include <QtTest>

using namespace Lifeline;

class tst_RunController : public QObject
{
    Q_OBJECT
private slots:
    void theRunIsRecordedBeforeItPlays();
    void steppingMovesOnlyThePlayhead();
    void restartGoesBackWithoutRunningAgain();
    void instantPlayFinishesFromTheEventLoop();
    void playingAtASpeedReplaysTheRecording();
    void watchedResourcesSignalAsThePlayheadPasses();
    void watchingATaskLaneGivesNothing();
    void followingStepIsSizedByTheViewsCost_data();
    void followingStepIsSizedByTheViewsCost();

private:
    // The seed example, set and recorded to its end.
    bool setRecorded(RunController &c);
};

namespace {

std::shared_ptr<const Scenario> seed()
{
    std::vector<Diagnostic> diagnostics;
    return ScenarioSource::load(QStringLiteral("seed"), &diagnostics);
}

// The first event that puts `lane` in `state`, or -1.
qsizetype firstEventInto(const EventLog &log, LaneId lane, LifecycleState state)
{
    for (size_t i = 0; i < log.count(); ++i) {
        const Event e = log.at(i);
        if (LaneId(e.subject) != lane)
            continue;
        if ((e.kind() == EventKind::PhaseBegan && LifecycleState(quint8(e.detail) + 1) == state)
            || (e.kind() == EventKind::InstanceEnded && LifecycleState(quint8(e.detail)) == state))
            return qsizetype(i);
    }
    return -1;
}

} // namespace

bool tst_RunController::setRecorded(RunController &c)
{
    c.setScenario(seed());
    return QTest::qWaitFor([&] { return c.run() && c.run()->isFinished(); }, 10000);
}

void tst_RunController::theRunIsRecordedBeforeItPlays()
{
    RunController c;
    QSignalSpy recordedChanged(&c, &RunController::recordedChanged);
    QSignalSpy positionChanged(&c, &RunController::positionChanged);
    c.setScenario(seed());
    QCOMPARE(c.position(), 0);
    // Recorded from the event loop, not inside setScenario (which may log main's creation).
    QVERIFY(c.recorded() <= 1);
    QVERIFY(c.isRecording());
    QTRY_VERIFY(c.run()->isFinished());
    QVERIFY(!c.isRecording());
    QVERIFY(c.recorded() > 10);
    QVERIFY(!recordedChanged.isEmpty());
    QCOMPARE(recordedChanged.last().at(0).value<qsizetype>(), c.recorded());
    // Nobody pressed Run: the playhead is where it was, and nothing is playing.
    QCOMPARE(c.position(), 0);
    QCOMPARE(positionChanged.size(), 1); // setScenario's own, to 0
    QVERIFY(!c.isPlaying());
    QVERIFY(!c.isFinished());
    QVERIFY(!c.atEnd());
}

void tst_RunController::steppingMovesOnlyThePlayhead()
{
    RunController c;
    QVERIFY(setRecorded(c));
    const qsizetype recorded = c.recorded();
    c.step();
    c.step();
    QCOMPARE(c.position(), 2);
    c.stepBack();
    QCOMPARE(c.position(), 1);
    c.seek(recorded + 100);
    QCOMPARE(c.position(), recorded);
    QVERIFY(c.isFinished());
    QCOMPARE(c.recorded(), recorded);
}

void tst_RunController::restartGoesBackWithoutRunningAgain()
{
    RunController c;
    QVERIFY(setRecorded(c));
    const ScenarioRun *run = c.run();
    c.seek(c.recorded());
    QSignalSpy reset(&c, &RunController::runReset);
    c.restart();
    QCOMPARE(c.position(), 0);
    QCOMPARE(c.run(), run); // the same recording: a run is deterministic
    QVERIFY(reset.isEmpty());
}

void tst_RunController::instantPlayFinishesFromTheEventLoop()
{
    RunController c;
    QVERIFY(setRecorded(c));
    c.setSpeed(RunController::Instant);
    QSignalSpy finished(&c, &RunController::finished);
    c.play();
    QVERIFY(finished.isEmpty()); // not inside play(): a caller connects, then waits
    QVERIFY(finished.wait(5000));
    QCOMPARE(c.position(), c.recorded());
    QVERIFY(!c.isPlaying());
}

void tst_RunController::playingAtASpeedReplaysTheRecording()
{
    RunController c;
    QVERIFY(setRecorded(c));
    const ScenarioRun *run = c.run();
    const qsizetype recorded = c.recorded();
    // The seed runs 550 virtual ms: at 2x, about 17 frames.
    c.setSpeed(2);
    QSignalSpy finished(&c, &RunController::finished);
    QList<qsizetype> positions;
    connect(&c, &RunController::positionChanged, this, [&](qsizetype p) { positions << p; });
    c.play();
    QVERIFY(c.isPlaying());
    QVERIFY(finished.wait(10000));
    QCOMPARE(c.position(), recorded);
    QCOMPARE(c.run(), run);
    QVERIFY2(positions.size() > 2, // it went there in steps, not in one jump
             qPrintable(QString::number(positions.size())));
    QVERIFY(std::is_sorted(positions.begin(), positions.end()));
}

void tst_RunController::watchedResourcesSignalAsThePlayheadPasses()
{
    RunController c;
    QVERIFY(setRecorded(c));
    const EventLog &log = *c.log();
    LaneId lane = None;
    for (size_t l = 0; l < log.laneCount() && lane == None; ++l)
        if (log.lane(LaneId(l)).kind() == LaneKind::Instance)
            lane = LaneId(l);
    QVERIFY(lane != None);
    Resource *r = c.watch(lane);
    QVERIFY(r);
    QCOMPARE(c.watch(lane), r);
    QCOMPARE(r->state(), LifecycleState::Created); // the engine is done; the playhead is at 0
    QSignalSpy acquiring(r, &Resource::acquiring);
    QSignalSpy ready(r, &Resource::ready);
    QSignalSpy released(r, &Resource::released);

    const qsizetype acquire = firstEventInto(log, lane, LifecycleState::Acquiring);
    const qsizetype readyAt = firstEventInto(log, lane, LifecycleState::Ready);
    const qsizetype end = firstEventInto(log, lane, LifecycleState::Released);
    QVERIFY(acquire >= 0 && readyAt > acquire && end > readyAt);
    c.seek(acquire); // just before the acquire event
    QCOMPARE(acquiring.size(), 0);
    c.step(); // passes it
    QCOMPARE(acquiring.size(), 1);
    QCOMPARE(acquiring.last().at(0).value<qint64>(), qint64(log.at(size_t(acquire)).time));
    QCOMPARE(r->state(), LifecycleState::Acquiring);
    c.seek(end + 1);
    QVERIFY(ready.size() >= 1); // after each execute too
    QCOMPARE(released.size(), 1);
    QCOMPARE(r->state(), LifecycleState::Released);
    // Going back puts it in the state it had there, with that state's signal.
    const qsizetype readies = ready.size();
    c.seek(readyAt + 1);
    QCOMPARE(r->state(), LifecycleState::Ready);
    QCOMPARE(ready.size(), readies + 1);
    c.seek(0);
    QCOMPARE(r->state(), LifecycleState::Created);
    // A new run drops what was watched in the old one.
    QPointer<Resource> old = r;
    c.setScenario(seed());
    QVERIFY(old.isNull());
}

void tst_RunController::watchingATaskLaneGivesNothing()
{
    RunController c;
    QVERIFY(!c.watch(0)); // no run
    QVERIFY(setRecorded(c));
    QCOMPARE(c.log()->lane(0).kind(), LaneKind::Task); // main
    QVERIFY(!c.watch(0));
    QVERIFY(!c.watch(-1));
    QVERIFY(!c.watch(LaneId(c.log()->laneCount())));
}

void tst_RunController::followingStepIsSizedByTheViewsCost_data()
{
    QTest::addColumn<qint64>("nsPerEvent");
    QTest::addColumn<qsizetype>("atMost");
    QTest::addColumn<qsizetype>("atLeast");
    // 3 ms of a frame for the views.
    QTest::newRow("cheap views: a big step")
        << qint64(10) << qsizetype(300000) << qsizetype(200000);
    QTest::newRow("a slow machine: a small step")
        << qint64(1000) << qsizetype(3000) << qsizetype(1000);
    QTest::newRow("very slow: never below the floor")
        << qint64(100000) << qsizetype(1000) << qsizetype(1000);
}

void tst_RunController::followingStepIsSizedByTheViewsCost()
{
    QFETCH(qint64, nsPerEvent);
    QFETCH(qsizetype, atMost);
    QFETCH(qsizetype, atLeast);
    RunController c;
    // Reported often enough, the running average settles on what the views measured.
    for (int i = 0; i < 60; ++i)
        c.reportViewCost(nsPerEvent * 10000, 10000);
    QVERIFY2(c.eventsPerFrame() <= atMost && c.eventsPerFrame() >= atLeast,
             qPrintable(QString::number(c.eventsPerFrame())));
    // A refresh that moved too few events to say anything leaves the estimate alone.
    const qsizetype before = c.eventsPerFrame();
    c.reportViewCost(1'000'000'000, 3);
    QCOMPARE(c.eventsPerFrame(), before);
}

QTEST_GUILESS_MAIN(tst_RunController)
#include "tst_runcontroller.moc"
