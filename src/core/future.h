// SPDX-License-Identifier: MIT
#pragma once
// asyncio.Future: pending, then finished (with a result or an exception) or cancelled; done
// callbacks are scheduled with call_soon in the order they were added. Subclasses override
// cancel() as Task and _GatheringFuture do. Results carry no value: nothing in a scenario reads
// one, only whether and how a future finished.

#include "eventlog.h"
#include "refcounted.h"
#include "scheduler.h"

#include <memory>
#include <vector>

namespace Lifeline {

class Future : public RefCounted
{
public:
    enum class State : quint8 { Pending, Cancelled, Finished };

    explicit Future(Scheduler &scheduler)
        : m_scheduler(scheduler)
    {
    }
    ~Future() override;

    Scheduler &scheduler() const { return m_scheduler; }
    State state() const { return m_state; }
    bool done() const { return m_state != State::Pending; }
    bool cancelled() const { return m_state == State::Cancelled; }
    ExcId exception() const { return m_exception; }

    virtual bool cancel();
    // cancel() made by the task awaiting this future as that task is cancelled (Task.cancel()
    // cancelling its _fut_waiter): a task or gather names `awaiter` as the cause.
    virtual bool cancelFromAwaiter(LaneId awaiter)
    {
        Q_UNUSED(awaiter);
        return cancel();
    }
    void setResult();
    void setException(ExcId exc);
    // fn(target, this future, 0) runs on the loop once the future is done.
    void addDoneCallback(Scheduler::Callback fn, RefCounted *target);
    // Future._make_cancelled_error: the saved CancelledError once, then fresh ones.
    ExcId makeCancelledError();
    // The same, a fresh one not yet logged as raised (`*fresh` says which it is): a gather makes
    // one in a done callback, outside any task, and it is raised where it enters a task
    // (docs/events.md, "cancel": recorded when it is thrown into the task's coroutine).
    ExcId makeCancelledErrorUnraised(bool *fresh);
    // Drops the callbacks without running them: tearing down a run that never finished.
    void clearCallbacks();

protected:
    void scheduleCallbacks();

    // These first: they fill the padding after RefCounted's count.
    ExcId m_exception = None;
    ExcId m_cancelledExc = None;
    State m_state = State::Pending;

private:
    friend class Scheduler;
    // The first done callback stays in the future until the loop runs it (the scheduler's
    // FutureFirstCallback entry), so scheduling it needs no loop handle.
    void runFirstDoneCallback();
    void dropFirstDoneCallback()
    {
        m_firstCallback = 0;
        m_firstTarget = Ref<RefCounted>();
    }

    // The few callback functions there are, by number from 1: a future keeps its first
    // callback's number in a byte of padding instead of an 8-byte pointer.
    static quint8 callbackNumber(Scheduler::Callback fn);
    static Scheduler::Callback callbackByNumber(quint8 number);

    // Most futures get one callback (the awaiting task's wakeup): it is kept inline, and the
    // rest in the scheduler's table (a Task is a Future, and a million may be alive).
    bool m_hasMoreCallbacks = false;
    quint8 m_firstCallback = 0; // callbackNumber(); 0: none

protected:
    Scheduler &m_scheduler;

private:
    Ref<RefCounted> m_firstTarget;
};

} // namespace Lifeline
