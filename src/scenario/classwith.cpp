// SPDX-License-Identifier: MIT
// Interpreter's `async with` of a class resource: `value = await mgr.__aenter__()`, the body,
// `await mgr.__aexit__(...)` and what the with statement does with its outcome, as CPython 3.11
// runs them (the spec's class shape).
//
// Why these frames are small, the one place it is written (inlinewait.h says what each kind of
// await costs in bytes):
// a class `async with` frame lives as long as its resource is held, a million at once in the
// largest runs, so its size is the run's memory. Each frame therefore keeps nothing it can look
// up again:
// - runClassWith and runClassWithInlineBody are static and take their InlineWait by value: the
//   frame keeps neither `this` nor the task, both being the running ones
//   (InlineWait::interpreter(), task()); the parts that need no frame are plain members.
// - Every wait is the one InlineWait awaited in place (an awaiter temporary would take a slot
//   of its own at each co_await: inlinewait.h has the bytes).
// - GCC lays a frame out in declaration order, so runClassWith declares `r` after `lane`: one
//   8-byte word for both.
// - A body of plain steps (bodyRunsInline()) runs in the with's own frame,
//   runClassWithInlineBody, which keeps its parameters and nothing else: the instance is in
//   the InlineWait while __aenter__ runs and in the item's variable after it, and each outcome
//   is the wait's result until the next operation starts.

#include "interpreter.h"

#include "inlinewait.h"
#include "pyerrors.h"

namespace Lifeline {

const ResourceDef &Interpreter::resourceOf(const Step &step, quint32 item) const
{
    return m_scenario->resources[size_t(step.items[item].resource)];
}

// runClassWith's parts that need no frame (see the top). The task is the wait's: the one running.
LaneId Interpreter::classEnter(InlineWait &wait, const Step &step, quint32 item)
{
    // value = await mgr.__aenter__()
    Task *task = wait.task();
    const LaneId lane = newInstance(task, step.items[item].resource);
    const ResourceDef &res = resourceOf(step, item);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Acquiring, step.id);
    task->enterFrame();
    wait.phase(res.enter, res, nullptr, step.id);
    return lane;
}

ExcId Interpreter::classEntered(InlineWait &wait, const Step &step, quint32 item, LaneId lane,
                                ExcId enterExc)
{
    Task *task = wait.task();
    if (enterExc == None)
        m_connected[size_t(lane)] = true;
    const ExcId r = task->leaveFrame(enterExc);
    if (r != None) {
        // __aexit__ never runs for a failed __aenter__.
        m_tracker.transition(lane, m_scheduler.time(),
                             PyErrors::isCancelled(m_log, r) ? LifecycleState::Cancelled
                                                             : LifecycleState::FailedToAcquire,
                             step.id);
        return r;
    }
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Ready, step.id);
    task->locals()[size_t(step.items[item].slot)] = lane;
    return None;
}

void Interpreter::classExit(InlineWait &wait, const Step &step, quint32 item, LaneId lane,
                            ExcId bodyExc)
{
    // The with statement's handler: __aexit__ runs while the body's exception is being handled.
    if (bodyExc != None)
        wait.task()->pushHandled(bodyExc);
    wait.classExit(lane, resourceOf(step, item), bodyExc, step.id);
}

// A with whose body has a compound step (run in a frame of its own) or items after this one.
Co<ExcId> Interpreter::runClassWith(InlineWait wait, const Step &step, quint32 item,
                                    ExcId exceptVar)
{
    // `r` after `lane`: one word for both (see the top).
    const LaneId lane = wait.interpreter().classEnter(wait, step, item);
    ExcId r = co_await wait;
    r = wait.interpreter().classEntered(wait, step, item, lane, r);
    if (r != None)
        co_return r;
    // `r` is the body's exception from here on.
    r = co_await wait.interpreter().runWith(wait.task(), step, item + 1, exceptVar);
    wait.interpreter().classExit(wait, step, item, lane, r);
    co_return wait.interpreter().classWithEnd(lane, r, co_await wait, wait);
}

// The with statement whose body runs in this frame (bodyRunsInline(): the last item, plain
// steps, which bind no name): its parameters are all the frame keeps (see the top).
Co<ExcId> Interpreter::runClassWithInlineBody(InlineWait wait, const Step &step, ExcId exceptVar)
{
    wait.interpreter().classEnterInline(wait, step);
    co_await wait;
    if (!wait.interpreter().classEnteredInline(wait, step))
        co_return wait.result();
    for (wait.bodyIndex() = 0; wait.bodyIndex() < step.body.size(); ++wait.bodyIndex()) {
        wait.interpreter().startBodyStep(wait, step.body[wait.bodyIndex()], exceptVar);
        co_await wait;
        if (wait.result() != None)
            break;
    }
    wait.interpreter().classExitInline(wait, step);
    co_await wait;
    co_return wait.interpreter().classWithEnd(wait.lane(), wait.propagating(), wait.result(), wait);
}

void Interpreter::classEnterInline(InlineWait &wait, const Step &step)
{
    wait.setLane(classEnter(wait, step, quint32(step.items.size() - 1)));
}

bool Interpreter::classEnteredInline(InlineWait &wait, const Step &step)
{
    const ExcId r
        = classEntered(wait, step, quint32(step.items.size() - 1), wait.lane(), wait.result());
    wait.setResult(r);
    return r == None;
}

void Interpreter::startBodyStep(InlineWait &wait, const Step &bodyStep, ExcId exceptVar)
{
    logStep(wait.task(), bodyStep);
    wait.step(bodyStep, exceptVar);
}

void Interpreter::classExitInline(InlineWait &wait, const Step &step)
{
    const quint32 item = quint32(step.items.size() - 1);
    const LaneId lane = wait.task()->locals()[size_t(step.items[item].slot)];
    classExit(wait, step, item, lane, wait.result());
}

// What the with statement does with __aexit__'s outcome (apart from runClassWith's frame, which
// then keeps no variable for it).
ExcId Interpreter::classWithEnd(LaneId lane, ExcId bodyExc, ExcId exitExc, const InlineWait &exit)
{
    if (bodyExc == None)
        return exitExc;
    InlineWait::task()->popHandled();
    if (exitExc != None) {
        hop(bodyExc, lane, HopAction::Replaced);
        return exitExc;
    }
    if (exit.suppressed()) {
        hop(bodyExc, lane, HopAction::Suppressed);
        return None;
    }
    hop(bodyExc, lane, HopAction::Propagated);
    return bodyExc;
}

} // namespace Lifeline
