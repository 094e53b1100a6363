// SPDX-License-Identifier: MIT
#pragma once
// A hand-made event log for the timeline tests: one task, two database instances and a GPU
// instance, with every span ending the timeline draws (released, failed to acquire, never
// released, open) and an exception replaced by another that is then caught.
//
//   main      waiting [0,0] running [0,500]      prints "hello" at 400
//   db #1     acquire [0,100] ready [100,100] execute [100,150] ready [150,150] release [150,250]
//   gpu #1    acquire [250,300] failed to acquire
//   db #2     acquire [300,350] ready [350,500] never released
//   ValueError('boom') raised in main at 150, propagated by db #1's exit at 250, replaced at
//   gpu #1 at 300 by RuntimeError('cleanup') (context: the ValueError), caught by main at 300.

#include "eventlog.h"

#include <memory>

namespace Lifeline::TestLog {

enum Lane : LaneId { Main, Db1, Gpu1, Db2 };
enum Exc : ExcId { Boom, Cleanup };

// `hopBeforeRaise`: record the Replaced hop before the new exception's raise (engines may).
inline std::unique_ptr<EventLog> make(bool hopBeforeRaise = false)
{
    auto log = std::make_unique<EventLog>();
    const int dbLabel = log->internLabel(
        QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb')"));
    const int gpuLabel = log->internLabel(QStringLiteral("managed_resource('GPU-001')"));
    log->addLane(LaneKind::Task, log->internLabel(QStringLiteral("main()")), None, None, 0);
    log->addLane(LaneKind::Instance, dbLabel, Main, 0, 1);
    log->addLane(LaneKind::Instance, gpuLabel, Main, 1, 1);
    log->addLane(LaneKind::Instance, dbLabel, Main, 0, 2);
    log->newException(ExceptionTypes::ValueError, QStringLiteral("boom"), true);
    log->newException(ExceptionTypes::RuntimeError, QStringLiteral("cleanup"), true);
    log->exception(Cleanup).context = Boom;
    auto phase = [&](qint64 t, LaneId lane, Phase p) {
        log->append(t, EventKind::PhaseBegan, quint32(lane), 0, quint8(p));
    };
    auto ended = [&](qint64 t, LaneId lane, LifecycleState s) {
        log->append(t, EventKind::InstanceEnded, quint32(lane), 0, quint8(s));
    };
    auto hop = [&](qint64 t, ExcId e, LaneId lane, HopAction a) {
        log->append(t, EventKind::ExceptionHop, quint32(e), quint32(lane), quint8(a));
    };
    auto raise = [&](qint64 t, ExcId e, LaneId lane) {
        log->append(t, EventKind::ExceptionRaised, quint32(e), quint32(lane),
                    quint8(RaiseOrigin::Raise));
    };
    log->append(0, EventKind::TaskCreated, Main); // 0
    log->append(0, EventKind::TaskStarted, Main); // 1
    phase(0, Db1, Phase::Acquire); // 2
    phase(100, Db1, Phase::Ready); // 3
    phase(100, Db1, Phase::Execute); // 4
    phase(150, Db1, Phase::Ready); // 5
    raise(150, Boom, Main); // 6
    phase(150, Db1, Phase::Release); // 7
    ended(250, Db1, LifecycleState::Released); // 8
    hop(250, Boom, Db1, HopAction::Propagated); // 9
    phase(250, Gpu1, Phase::Acquire); // 10
    ended(300, Gpu1, LifecycleState::FailedToAcquire); // 11
    if (hopBeforeRaise) {
        hop(300, Boom, Gpu1, HopAction::Replaced); // 12
        raise(300, Cleanup, Gpu1); // 13
    } else {
        raise(300, Cleanup, Gpu1); // 12
        hop(300, Boom, Gpu1, HopAction::Replaced); // 13
    }
    hop(300, Cleanup, Main, HopAction::Caught); // 14
    phase(300, Db2, Phase::Acquire); // 15
    phase(350, Db2, Phase::Ready); // 16
    log->append(400, EventKind::Printed, Main,
                quint32(log->addPrint(QStringLiteral("hello")))); // 17
    ended(500, Db2, LifecycleState::NeverReleased); // 18
    log->append(500, EventKind::TaskEnded, Main, quint32(None),
                quint8(TaskOutcome::Finished)); // 19
    return log;
}

} // namespace Lifeline::TestLog
