// SPDX-License-Identifier: MIT
#pragma once
// A small hand-written run for tests that read logs (captions, trace export, the event table):
// `async with AsyncDatabaseConnection(...) as db: await db.execute('SELECT 1')` where the query
// raises ValueError('boom') and __aexit__ (suppress=true) swallows it; a spawned worker is
// cancelled. Written by hand so these tests do not depend on the engine.

#include "eventlog.h"
#include "scenario.h"

namespace Lifeline::Test {

inline Scenario sampleScenario()
{
    Scenario s;
    s.title = QStringLiteral("Sample");
    ResourceDef db;
    db.id = QStringLiteral("db");
    db.kind = ResourceDef::Kind::Class;
    db.name = QStringLiteral("AsyncDatabaseConnection");
    db.arg = QStringLiteral("postgresql://localhost/mydb");
    db.hasExecute = true;
    db.suppress = ResourceDef::Suppress::Everything;
    s.resources.push_back(db);

    Step with;
    with.kind = StepKind::With;
    with.id = 0;
    with.items.push_back({ 0, QStringLiteral("db"), 0 });
    Step execute;
    execute.kind = StepKind::Execute;
    execute.id = 1;
    execute.call = ExecuteCall(QStringLiteral("db"), QStringLiteral("SELECT 1"));
    with.body.push_back(execute);
    s.main.push_back(with);
    Step spawn;
    spawn.kind = StepKind::Spawn;
    spawn.id = 2;
    TaskDef worker;
    worker.name = QStringLiteral("worker-1");
    Step sleep;
    sleep.kind = StepKind::Sleep;
    sleep.id = 3;
    sleep.duration = 200;
    worker.body.push_back(sleep);
    spawn.tasks.push_back(worker);
    s.main.push_back(spawn);
    s.stepCount = 4;
    return s;
}

// Event indexes of interest, for data rows.
enum SampleEvent : size_t {
    MainCreated,
    MainStarted,
    WithStep,
    Acquire,
    ConnectPrint,
    Ready,
    ExecuteStep,
    Execute,
    BoomRaised,
    Release,
    BoomSuppressed,
    Released,
    SpawnStep,
    WorkerCreated,
    WorkerStarted,
    SleepStep,
    CancelRaised,
    CancelEscaped,
    WorkerEnded,
    MainEnded,
    SampleEventCount
};

inline void fillSampleLog(EventLog &log)
{
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main")), None, None, 0);
    const LaneId db = log.addLane(
        LaneKind::Instance,
        log.internLabel(QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb')")),
        main, 0, 1);
    const LaneId worker
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("worker-1")), main, None, 1);
    const ExcId boom = log.newException(ExceptionTypes::ValueError, QStringLiteral("boom"), true);
    const ExcId cancel = log.newException(ExceptionTypes::CancelledError, QString(), false);
    auto u = [](qint32 v) { return quint32(v); };

    log.append(0, EventKind::TaskCreated, u(main));
    log.append(0, EventKind::TaskStarted, u(main));
    log.append(0, EventKind::StepBegan, u(main), 0);
    log.append(0, EventKind::PhaseBegan, u(db), 0, quint8(Phase::Acquire));
    log.append(0, EventKind::Printed, u(main),
               u(log.addPrint(QStringLiteral("Connecting to postgresql://localhost/mydb"))));
    log.append(100, EventKind::PhaseBegan, u(db), 0, quint8(Phase::Ready));
    log.append(100, EventKind::StepBegan, u(main), 1);
    log.append(100, EventKind::PhaseBegan, u(db), 1, quint8(Phase::Execute));
    log.append(150, EventKind::ExceptionRaised, u(boom), u(db), quint8(RaiseOrigin::Raise));
    log.append(150, EventKind::PhaseBegan, u(db), 1, quint8(Phase::Release));
    log.append(250, EventKind::ExceptionHop, u(boom), u(db), quint8(HopAction::Suppressed));
    log.append(250, EventKind::InstanceEnded, u(db), u(None), quint8(LifecycleState::Released));
    log.append(250, EventKind::StepBegan, u(main), 2);
    log.append(250, EventKind::TaskCreated, u(worker), u(main));
    log.append(250, EventKind::TaskStarted, u(worker));
    log.append(250, EventKind::StepBegan, u(worker), 3);
    log.append(250, EventKind::ExceptionRaised, u(cancel), u(worker), quint8(RaiseOrigin::Cancel));
    log.append(250, EventKind::ExceptionHop, u(cancel), u(worker), quint8(HopAction::Escaped));
    log.append(250, EventKind::TaskEnded, u(worker), u(cancel), quint8(TaskOutcome::Cancelled));
    log.append(250, EventKind::TaskEnded, u(main), u(None), quint8(TaskOutcome::Finished));
}

} // namespace Lifeline::Test
