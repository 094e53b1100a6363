// SPDX-License-Identifier: MIT
#pragma once
// asyncio.Task: drives one coroutine chain step by step on the scheduler, with Task.__step's and
// __wakeup's exact rules (must-cancel, fut_waiter, cancel counting, CancelledError saved for
// chaining). It also keeps what CPython keeps per frame for implicit exception chaining: the
// exceptions each frame of the chain is handling, and which frames an exception thrown in by
// the loop still has to pass through (gen_send_ex chains it with each such frame's own).

#include "coro.h"
#include "future.h"

#include "localslots.h"

#include <coroutine>
#include <memory>
#include <vector>

namespace Lifeline {

class Task : public Future
{
public:
    // Like loop.create_task: registers the task and schedules its first step with call_soon.
    static Task *create(Scheduler &s, Co<ExcId> body, int label, LaneId parent);

    LaneId lane() const { return m_lane; }
    // A body made after the task, because it refers to the task; before the first step only.
    void setBody(Co<ExcId> body);
    // The local variables of the task's coroutine function, by slot (the interpreter keeps
    // instance lanes there). Held by the task, that function needs no frame of its own: one
    // coroutine frame less for each of a million tasks.
    LocalSlots &locals() { return m_locals; }
    // task.cancel() called by the running task (or outside any task).
    bool cancel() override;
    bool cancelFromAwaiter(LaneId awaiter) override
    {
        return cancel(CancelCause::Awaiter, awaiter);
    }
    // Task.cancel(), recording a CancelRequested event with its cause when the task is not done.
    bool cancel(CancelCause cause, LaneId by);
    int cancelling() const { return m_cancelRequests; }
    int uncancel()
    {
        if (m_cancelRequests > 0)
            --m_cancelRequests;
        return m_cancelRequests;
    }

    // The program ends with this task still pending (the loop is closed): its coroutine is
    // closed, GeneratorExit thrown in where it waits; whatever it does then, it stays pending.
    void closeCoroutine();
    // The same when the task waits inside an async generator that `caller` (at frame depth
    // `generatorDepth`, the generator's own frame) resumed: closing the coroutine closes the
    // anext()/athrow() awaitable without throwing into the generator (CPython's
    // async_gen_asend_close), so GeneratorExit appears where `caller` awaits, and the
    // generator, its frame and its handled exceptions are left as they are.
    void closeCoroutine(std::coroutine_handle<> caller, int generatorDepth);
    // Frees the coroutine frames and drops every reference the task holds or is held by through
    // callbacks, without running anything: tearing down a run stopped half way, where tasks,
    // futures and gathers would otherwise keep each other alive in cycles.
    void abandon();

    // --- for awaiters (the leaves of a coroutine chain) ---
    void suspendOnFuture(Future *f, std::coroutine_handle<> h);
    // asyncio.sleep(ms > 0) without a future object: the task stands in for the future sleep()
    // makes (pending, then done by the timer or cancelled by cancel()), and the timer targets
    // the task. Returns the timer, which the sleep cancels on the way out. A million sleeping
    // tasks save a million futures.
    TimerQueue::Position suspendOnSleep(std::coroutine_handle<> h, qint64 ms);
    // The sleep's `finally: h.cancel()`: a no-op once the timer has left the timer queue.
    void cancelSleepTimer(TimerQueue::Position timer)
    {
        if (m_sleepTimerQueued)
            m_scheduler.cancelTimer(timer);
    }
    // asyncio.sleep(ms > 0) ended inside this step by a jump of the clock, when the scheduler
    // allows one (Scheduler::jumpClockTo) and no cancellation is pending (CPython throws it in
    // at the sleep); false if the task must suspend instead.
    bool sleepInPlace(qint64 ms);
    void suspendBare(std::coroutine_handle<> h);
    // Gives the host a turn in the middle of this step (see Scheduler::hostSliceSpent()).
    void suspendForHost(std::coroutine_handle<> h);
    // What the loop threw in at the suspension point (None after a plain wakeup), chained with
    // the suspended frame's own handled exception as gen_send_ex does.
    ExcId takeThrown();

    // --- Python frames and handled exceptions ---
    int depth() const { return m_depth; }
    void enterFrame()
    {
        Q_ASSERT(m_depth < 0x7fff);
        ++m_depth;
    }
    // The frame at depth() returns `result` (None or an exception) to its caller.
    ExcId leaveFrame(ExcId result);
    void pushHandled(ExcId exc);
    void popHandled() { m_rare->handled.pop_back(); }
    ExcId topHandled() const
    {
        return !m_rare || m_rare->handled.empty() ? None : m_rare->handled.back().exc;
    }
    // raise: implicit chaining with the innermost handled exception of the whole chain.
    ExcId raise(ExcId exc);

private:
    friend class Scheduler;
    Task(Scheduler &s, Co<ExcId> body, LaneId lane);
    ~Task() override;

    static void wakeupCallback(RefCounted *task, RefCounted *future, qint32);
    // The task's own callbacks, queued without a handle (Scheduler::Entry).
    void runQueued(Scheduler::EntryTag callback);
    // futures._set_result_unless_cancelled on the sleep's future.
    void sleepTimerFired();
    // __wakeup on the sleep's future.
    void sleepWakeup();
    // Future.cancel() of the sleep's future: false unless it is still pending.
    bool cancelSleep();
    void step(ExcId exc);
    // The rest of a step that suspended for the host, called by the scheduler.
    void resumeAfterHost();
    // After the coroutine chain returns control: finish, wait on a future, or go round again.
    void afterResume();
    void finish(ExcId result);
    ExcId ownHandled(int depth) const;

    enum class Suspended : quint8 { No, Bare, OnFuture, OnSleep, ForHost };
    // The state of the sleep's future while it is the task's fut_waiter (No: it is not).
    enum class SleepState : quint8 { No, Pending, Done, Cancelled };
    struct Handled
    {
        int depth;
        ExcId exc;
    };

    // What most tasks never need, made on first use: a task that sleeps stands in for the
    // sleep's future, and most tasks handle no exception.
    struct Rare
    {
        // asyncio's _fut_waiter, set as the chain suspends on it (nothing runs before
        // __step's end, where CPython sets it).
        Ref<Future> futWaiter;
        std::vector<Handled> handled;
    };
    Future *futWaiter() const { return m_rare ? m_rare->futWaiter.get() : nullptr; }
    void clearFutWaiter()
    {
        if (m_rare)
            m_rare->futWaiter = Ref<Future>();
    }
    Rare &rare()
    {
        if (!m_rare)
            m_rare = std::make_unique<Rare>();
        return *m_rare;
    }

    Co<ExcId> m_body;
    std::coroutine_handle<> m_resumePoint;
    std::unique_ptr<Rare> m_rare;
    Task *m_prevLive = nullptr;
    Task *m_nextLive = nullptr;
    // Ordered to leave no gaps: 112 bytes in all.
    [[no_unique_address]] LocalSlots m_locals; // m_thrown goes in its padding
    ExcId m_thrown = None;
    LaneId m_lane = None;
    int m_cancelRequests = 0;
    // Python frames nested in one task: the format's nesting limit keeps these far below 2^15.
    qint16 m_depth = 0;
    qint16 m_throwDepth = -1;
    Suspended m_suspended = Suspended::No;
    bool m_started : 1 = false;
    bool m_mustCancel : 1 = false;
    // The sleep's timer is in the timer queue, where cancelSleepTimer() can clear it.
    bool m_sleepTimerQueued : 1 = false;
    SleepState m_sleep = SleepState::No;
};

// A million tasks can be alive at once: keep an eye on what each costs.
static_assert(sizeof(void *) != 8 || sizeof(Task) <= 112);

} // namespace Lifeline
