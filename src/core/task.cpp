// SPDX-License-Identifier: MIT
#include "task.h"

#include "pyerrors.h"

namespace Lifeline {

Task *Task::create(Scheduler &s, Co<ExcId> body, int label, LaneId parent)
{
    EventLog &log = s.log();
    const LaneId lane = log.addLane(LaneKind::Task, label, parent, None, s.nextTaskOrdinal());
    log.append(s.time(), EventKind::TaskCreated, quint32(lane), quint32(parent));
    auto *t = new Task(s, std::move(body), lane);
    s.registerTask(t);
    s.callSoon(t, Scheduler::TaskStep);
    return t;
}

Task::Task(Scheduler &s, Co<ExcId> body, LaneId lane)
    : Future(s)
    , m_body(std::move(body))
    , m_lane(lane)
{
}

void Task::setBody(Co<ExcId> body)
{
    Q_ASSERT(!m_started);
    m_body = std::move(body);
}

Task::~Task()
{
    // Only a task abandoned before it finished is still listed as live.
    if (!done())
        m_scheduler.unregisterTask(this);
}

bool Task::cancel()
{
    Task *current = m_scheduler.currentTask();
    return cancel(CancelCause::Call, current ? current->lane() : None);
}

bool Task::cancel(CancelCause cause, LaneId by)
{
    if (done())
        return false;
    m_scheduler.log().append(m_scheduler.time(), EventKind::CancelRequested, quint32(m_lane),
                             quint32(by), quint8(cause));
    ++m_cancelRequests;
    if (Future *waiter = futWaiter(); waiter && waiter->cancelFromAwaiter(m_lane))
        return true; // the waiter stays: it may be a task that ignores the cancellation
    if (cancelSleep())
        return true;
    m_mustCancel = true;
    return true;
}

void Task::runQueued(Scheduler::EntryTag callback)
{
    switch (callback) {
    case Scheduler::TaskStep:
        step(None);
        break;
    case Scheduler::TaskSleepTimer:
        sleepTimerFired();
        break;
    case Scheduler::TaskSleepWakeup:
        sleepWakeup();
        break;
    default:
        Q_UNREACHABLE();
    }
}

void Task::wakeupCallback(RefCounted *task, RefCounted *future, qint32)
{
    auto *t = static_cast<Task *>(task);
    auto *f = static_cast<Future *>(future);
    // __wakeup: future.result() raising means step(exc), a throw into the coroutine. A new
    // CancelledError is logged as raised in the task it enters.
    ExcId exc = None;
    if (f->cancelled()) {
        Scheduler &s = t->scheduler();
        Task *previous = s.currentTask();
        s.setCurrentTask(t);
        exc = f->makeCancelledError();
        s.setCurrentTask(previous);
    } else {
        exc = f->exception();
    }
    t->step(exc);
}

bool Task::cancelSleep()
{
    if (m_sleep != SleepState::Pending)
        return false;
    m_sleep = SleepState::Cancelled;
    m_scheduler.callSoon(this, Scheduler::TaskSleepWakeup);
    return true;
}

void Task::sleepTimerFired()
{
    // A timer that left the timer queue before its sleep was cancelled runs, and does nothing;
    // the task cannot sleep again before the wakeup queued behind it has run.
    if (m_sleep != SleepState::Pending)
        return;
    m_sleep = SleepState::Done;
    m_scheduler.callSoon(this, Scheduler::TaskSleepWakeup);
}

// A cancelled sleep raises a CancelledError of its own, as a future's _make_cancelled_error
// does (nothing saved one on a sleep's future).
void Task::sleepWakeup()
{
    ExcId exc = None;
    if (m_sleep == SleepState::Cancelled) {
        Task *previous = m_scheduler.currentTask();
        m_scheduler.setCurrentTask(this);
        exc = PyErrors::create(m_scheduler, ExceptionTypes::CancelledError, {}, false,
                               RaiseOrigin::Cancel);
        m_scheduler.setCurrentTask(previous);
    }
    step(exc);
}

void Task::step(ExcId exc)
{
    if (done())
        return;
    Ref<Task> keepAlive(this);
    EventLog &log = m_scheduler.log();
    Task *previous = m_scheduler.currentTask();
    m_scheduler.setCurrentTask(this);
    if (m_mustCancel) {
        // A task cancelled before it ran starts, then gets the CancelledError thrown in.
        if (!m_started)
            log.append(m_scheduler.time(), EventKind::TaskStarted, quint32(m_lane));
        if (!PyErrors::isCancelled(log, exc))
            exc = makeCancelledError();
        m_mustCancel = false;
    }
    clearFutWaiter();
    m_sleep = SleepState::No;

    m_suspended = Suspended::No;
    if (!m_started) {
        m_started = true;
        if (exc != None) {
            // coro.throw() on a coroutine that never ran: it ends at once with the exception.
            // Only a cancellation gets here (a first step waits on nothing): its start is
            // recorded above, before the CancelledError.
            m_body.reset();
            finish(exc);
            m_scheduler.setCurrentTask(previous);
            return;
        }
        log.append(m_scheduler.time(), EventKind::TaskStarted, quint32(m_lane));
        m_body.handle().resume();
    } else {
        m_thrown = exc;
        m_throwDepth = exc != None ? m_depth : -1;
        m_resumePoint.resume();
    }
    m_throwDepth = -1;
    afterResume();
    m_scheduler.setCurrentTask(previous);
}

void Task::resumeAfterHost()
{
    Ref<Task> keepAlive(this);
    Task *previous = m_scheduler.currentTask();
    m_scheduler.setCurrentTask(this);
    m_suspended = Suspended::No;
    m_resumePoint.resume();
    afterResume();
    m_scheduler.setCurrentTask(previous);
}

void Task::afterResume()
{
    if (m_body.done()) {
        const ExcId result = m_body.result();
        m_body.reset();
        finish(result);
    } else if (m_suspended == Suspended::OnFuture) {
        Future *f = futWaiter();
        f->addDoneCallback(&Task::wakeupCallback, this);
        if (m_mustCancel && f->cancelFromAwaiter(m_lane))
            m_mustCancel = false;
    } else if (m_suspended == Suspended::OnSleep) {
        m_sleep = SleepState::Pending;
        if (m_mustCancel && cancelSleep())
            m_mustCancel = false;
    } else if (m_suspended == Suspended::ForHost) {
        m_scheduler.setContinuation(this);
    } else {
        // A bare yield gives up the loop for one turn.
        m_scheduler.callSoon(this, Scheduler::TaskStep);
    }
}

void Task::finish(ExcId result)
{
    EventLog &log = m_scheduler.log();
    m_scheduler.unregisterTask(this);
    TaskOutcome outcome = TaskOutcome::Finished;
    if (result == None) {
        if (m_mustCancel) {
            m_mustCancel = false;
            outcome = TaskOutcome::Cancelled;
        }
    } else if (PyErrors::isCancelled(log, result)) {
        m_cancelledExc = result;
        outcome = TaskOutcome::Cancelled;
    } else {
        outcome = TaskOutcome::Failed;
    }
    if (result != None)
        log.append(m_scheduler.time(), EventKind::ExceptionHop, quint32(result), quint32(m_lane),
                   quint8(HopAction::Escaped));
    log.append(m_scheduler.time(), EventKind::TaskEnded, quint32(m_lane), quint32(result),
               quint8(outcome));
    switch (outcome) {
    case TaskOutcome::Finished:
        setResult();
        break;
    case TaskOutcome::Cancelled:
        Future::cancel();
        break;
    case TaskOutcome::Failed:
        setException(result);
        break;
    }
}

void Task::closeCoroutine(std::coroutine_handle<> caller, int generatorDepth)
{
    if (done() || !m_started || m_body.done())
        return;
    m_resumePoint = caller;
    m_depth = qint16(generatorDepth);
    if (m_rare) {
        std::vector<Handled> &handled = m_rare->handled;
        while (!handled.empty() && handled.back().depth >= generatorDepth)
            handled.pop_back();
    }
    closeCoroutine();
}

void Task::closeCoroutine()
{
    if (done() || !m_started || m_body.done())
        return; // a coroutine that never ran closes silently
    Ref<Task> keepAlive(this);
    Task *previous = m_scheduler.currentTask();
    m_scheduler.setCurrentTask(this);
    m_thrown = PyErrors::create(m_scheduler, ExceptionTypes::GeneratorExit, {}, false,
                                RaiseOrigin::Runtime);
    m_throwDepth = m_depth;
    m_suspended = Suspended::No;
    m_resumePoint.resume();
    m_throwDepth = -1;
    // Finished or not ("coroutine ignored GeneratorExit"), nothing more runs: CPython only
    // reports either outcome on stderr.
    clearFutWaiter();
    m_sleep = SleepState::No;
    m_scheduler.setCurrentTask(previous);
}

void Task::abandon()
{
    m_body.reset();
    clearFutWaiter();
    m_sleep = SleepState::No;
    clearCallbacks();
}

void Task::suspendOnFuture(Future *f, std::coroutine_handle<> h)
{
    m_suspended = Suspended::OnFuture;
    rare().futWaiter = Ref<Future>(f);
    m_resumePoint = h;
}

TimerQueue::Position Task::suspendOnSleep(std::coroutine_handle<> h, qint64 ms)
{
    m_suspended = Suspended::OnSleep;
    m_resumePoint = h;
    m_sleepTimerQueued = true;
    return m_scheduler.callLater(this, ms);
}

bool Task::sleepInPlace(qint64 ms)
{
    if (m_mustCancel || !m_scheduler.jumpClockTo(m_scheduler.time() + ms))
        return false;
    // What the next __step would have reset: its send(None) starts afresh, so an exception
    // thrown in earlier no longer chains at each frame it leaves.
    m_throwDepth = -1;
    return true;
}

void Task::suspendBare(std::coroutine_handle<> h)
{
    m_suspended = Suspended::Bare;
    m_resumePoint = h;
}

void Task::suspendForHost(std::coroutine_handle<> h)
{
    m_suspended = Suspended::ForHost;
    m_resumePoint = h;
}

ExcId Task::takeThrown()
{
    const ExcId exc = std::exchange(m_thrown, None);
    if (exc != None)
        PyErrors::chain(m_scheduler.log(), exc, ownHandled(m_depth));
    return exc;
}

ExcId Task::leaveFrame(ExcId result)
{
    const int child = m_depth--;
    if (m_throwDepth == child) {
        // Still inside the loop's throw(): gen_send_ex re-enters the caller with the exception
        // and chains it with the caller's own handled exception.
        m_throwDepth = child - 1;
        if (result != None)
            PyErrors::chain(m_scheduler.log(), result, ownHandled(child - 1));
    }
    return result;
}

void Task::pushHandled(ExcId exc)
{
    rare().handled.push_back({ m_depth, exc });
}

ExcId Task::ownHandled(int depth) const
{
    if (!m_rare)
        return None;
    const std::vector<Handled> &handled = m_rare->handled;
    for (auto it = handled.rbegin(); it != handled.rend() && it->depth >= depth; ++it) {
        if (it->depth == depth)
            return it->exc;
    }
    return None;
}

ExcId Task::raise(ExcId exc)
{
    PyErrors::chain(m_scheduler.log(), exc, topHandled());
    return exc;
}

} // namespace Lifeline
