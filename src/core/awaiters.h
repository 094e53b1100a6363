// SPDX-License-Identifier: MIT
#pragma once
// The leaves of every coroutine chain: the only places a task gives the loop back.
// SleepAwaiter is asyncio.sleep (a bare yield for 0, else a future resolved by a timer that is
// cancelled on the way out, as sleep's `finally: h.cancel()`; the task stands in for that
// future); FutureAwaiter is `await fut`. Both resume with what the loop threw in, as an exception
// value.

#include "pyerrors.h"
#include "task.h"

namespace Lifeline {

// asyncio.sleep's state while it waits, for an awaiter that knows its task by other means
// (the interpreter's InlineWait, which lives in coroutine frames a million times over).
class SleepTimer
{
public:
    // A scenario's sleeps are at most 1e9 ms: 32 bits.
    explicit SleepTimer(qint32 ms)
        : m_ms(ms)
    {
    }

    // asyncio.sleep(d > 0) on a closed loop fails at once: no running event loop. A sleep the
    // task could end in place by a jump of the clock (Task::sleepInPlace) is over.
    bool ready(Task *task) noexcept
    {
        if (m_ms <= 0)
            return false;
        if (task->scheduler().isClosed())
            return true;
        if (!task->sleepInPlace(m_ms))
            return false;
        m_ms = 0; // slept: resume() has nothing to raise or cancel
        return true;
    }
    void suspend(Task *task, std::coroutine_handle<> h)
    {
        if (m_ms <= 0)
            task->suspendBare(h);
        else
            m_timer = task->suspendOnSleep(h, m_ms);
    }
    ExcId resume(Task *task)
    {
        Scheduler &s = task->scheduler();
        if (m_ms > 0 && !m_timer.isValid()) {
            const ExcId e = PyErrors::create(s, ExceptionTypes::RuntimeError,
                                             QStringLiteral("no running event loop"), true,
                                             RaiseOrigin::Runtime);
            return task->raise(e);
        }
        if (m_timer.isValid())
            task->cancelSleepTimer(m_timer);
        return task->takeThrown();
    }
    // A new sleep of `ms`.
    void reset(qint32 ms)
    {
        m_ms = ms;
        m_timer = {};
    }

private:
    // The duration last: a class embedding this one can use the padding after it.
    TimerQueue::Position m_timer;
    qint32 m_ms;
};

class SleepAwaiter
{
public:
    SleepAwaiter(Task *task, qint32 ms)
        : m_task(task)
        , m_sleep(ms)
    {
    }

    bool await_ready() noexcept { return m_sleep.ready(m_task); }
    void await_suspend(std::coroutine_handle<> h) { m_sleep.suspend(m_task, h); }
    ExcId await_resume() { return m_sleep.resume(m_task); }

private:
    Task *m_task;
    SleepTimer m_sleep;
};

class FutureAwaiter
{
public:
    FutureAwaiter(Task *task, Future *future)
        : m_task(task)
        , m_future(future)
    {
    }

    // A future already done is not waited for; its outcome is raised in the awaiting frame.
    bool await_ready() const noexcept { return m_future->done(); }
    void await_suspend(std::coroutine_handle<> h)
    {
        m_suspended = true;
        m_task->suspendOnFuture(m_future, h);
    }
    ExcId await_resume()
    {
        if (m_suspended)
            return m_task->takeThrown();
        if (m_future->cancelled())
            return m_task->raise(m_future->makeCancelledError());
        if (m_future->exception() != None)
            return m_task->raise(m_future->exception());
        return None;
    }

private:
    Task *m_task;
    Future *m_future;
    bool m_suspended = false;
};

// Not asyncio: lets the host's event loop have a turn in the middle of one long callback when
// the host's slice is spent (Scheduler::hostSliceSpent()). The task resumes at the very next
// step, before any other callback and without the clock moving, so the program cannot tell.
class HostYield
{
public:
    explicit HostYield(Task *task)
        : m_task(task)
    {
    }
    bool await_ready() const noexcept { return !m_task->scheduler().hostSliceSpent(); }
    void await_suspend(std::coroutine_handle<> h) { m_task->suspendForHost(h); }
    void await_resume() const noexcept { }

private:
    Task *m_task;
};

} // namespace Lifeline
