// SPDX-License-Identifier: MIT
#include "inlinewait.h"

#include "interpreter.h"

namespace Lifeline {

void InlineWait::start(Op op, qint32 ms)
{
    m_op = op;
    m_sleeps = ms >= 0;
    if (m_sleeps) {
        m_sleep.reset(ms);
        interpreter().logSleep(task(), ms);
    }
}

qint32 InlineWait::beginPhase(const PhaseSpec &phase, const ResourceDef &res, const QString *query,
                              quint32 stepId, qint32 msOverride, const ExceptionSpec *raiseOverride)
{
    if (phase.print)
        interpreter().print(task(), *phase.print, &res.arg, query, None, stepId);
    m_raise = raiseOverride ? raiseOverride : phase.raise ? &*phase.raise : nullptr;
    return msOverride >= 0 ? msOverride : qint32(phase.ms); // at most 1e9
}

void InlineWait::phase(const PhaseSpec &phase, const ResourceDef &res, const QString *query,
                       quint32 stepId)
{
    start(Op::Phase, beginPhase(phase, res, query, stepId, -1, nullptr));
}

void InlineWait::step(const Step &step, ExcId exceptVar)
{
    Interpreter &in = interpreter();
    Task *task = this->task();
    if (step.kind == StepKind::Sleep) {
        start(Op::Sleep, step.duration);
        return;
    }
    if (step.kind != StepKind::Execute) {
        m_result = in.runInstant(task, step, exceptVar);
        start(Op::Done, -1);
        return;
    }
    m_result = in.executeChecks(task, step);
    if (m_result != None) {
        start(Op::Done, -1);
        return;
    }
    // `await db.execute(query, ms=..., fail=...)`: a frame of its own.
    const LaneId lane = task->locals()[size_t(step.slot)];
    task->enterFrame();
    if (!in.m_connected[size_t(lane)]) {
        // `raise RuntimeError("Not connected")` in the exported execute method.
        const ExcId r = in.raiseRuntime(task, ExceptionTypes::RuntimeError,
                                        QStringLiteral("Not connected"), RaiseOrigin::Raise);
        m_result = task->leaveFrame(r);
        start(Op::Done, -1);
        return;
    }
    const ResourceDef &res = in.m_scenario->resources[size_t(in.m_log.lane(lane).group)];
    // Only a ready instance executes: one whose __aexit__ was cut short before it disconnected
    // is released, and a call on it is a plain call (docs/events.md, "execute").
    ResourceTracker &tracker = in.m_tracker;
    if (tracker.state(lane) == LifecycleState::Ready)
        tracker.transition(lane, in.m_scheduler.time(), LifecycleState::Executing, step.id);
    const qint32 ms
        = beginPhase(res.execute, res, &step.query(), step.id, step.duration, step.exception());
    m_lane = lane;
    m_stepId = step.id;
    start(Op::Execute, ms);
}

void InlineWait::classExit(LaneId lane, const ResourceDef &res, ExcId exc, quint32 stepId)
{
    Interpreter &in = interpreter();
    Task *task = this->task();
    in.m_tracker.transition(lane, in.m_scheduler.time(), LifecycleState::Releasing, stepId);
    task->enterFrame();
    if (res.exit.print)
        in.print(task, *res.exit.print, &res.arg, nullptr, None, stepId);
    m_res = &res;
    m_lane = lane;
    m_exc = exc;
    m_stepId = stepId;
    m_suppress = false;
    start(Op::ClassExit, res.exit.ms);
}

ExcId InlineWait::finish()
{
    const ExcId slept = m_sleeps ? m_sleep.resume(task()) : None;
    switch (m_op) {
    case Op::Done:
        return m_result;
    case Op::Sleep:
        return slept;
    case Op::Phase:
        if (slept != None)
            return slept;
        return m_raise ? interpreter().raiseNew(task(), *m_raise) : None;
    case Op::Execute:
        return finishExecute(slept);
    case Op::ClassExit:
        return finishClassExit(slept);
    }
    return None;
}

ExcId InlineWait::finishExecute(ExcId slept)
{
    Interpreter &in = interpreter();
    Task *task = this->task();
    ExcId r = slept;
    if (r == None && m_raise)
        r = in.raiseNew(task, *m_raise);
    r = task->leaveFrame(r);
    ResourceTracker &tracker = in.m_tracker;
    if (tracker.state(m_lane) == LifecycleState::Executing)
        tracker.transition(m_lane, in.m_scheduler.time(), LifecycleState::Ready, m_stepId);
    return r;
}

ExcId InlineWait::finishClassExit(ExcId slept)
{
    Interpreter &in = interpreter();
    Task *task = this->task();
    const ResourceDef &res = *m_res;
    ExcId r = slept;
    if (r == None) {
        in.m_connected[size_t(m_lane)] = false;
        if (res.exit.raise)
            r = in.raiseNew(task, *res.exit.raise);
    }
    if (r == None) {
        switch (res.suppress) {
        case ResourceDef::Suppress::Nothing:
            break;
        case ResourceDef::Suppress::Everything:
            m_suppress = true;
            break;
        case ResourceDef::Suppress::Types:
            m_suppress = m_exc != None && in.matches(m_exc, res.suppressTypes);
            break;
        }
    }
    r = task->leaveFrame(r);
    // Released however __aexit__ ended, a CancelledError interrupting its wait included:
    // `cancelled` is an acquisition's end.
    in.m_tracker.transition(m_lane, in.m_scheduler.time(), LifecycleState::Released, m_stepId);
    return r;
}

} // namespace Lifeline
