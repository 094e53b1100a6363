// SPDX-License-Identifier: MIT
#include "scheduler.h"

#include "future.h"
#include "task.h"

#include <algorithm>
#include <functional>

namespace Lifeline {

Scheduler::Scheduler(EventLog &log)
    : m_log(log)
{
}

Scheduler::~Scheduler()
{
    // Drop what is still queued so every target is released.
    m_continuation = Ref<Task>();
    m_ready.drain([this](Entry e) { release(e); });
    m_timers.drain([this](Entry e) { release(e); });
    // Released outside the table: a future freed by it erases itself from the table.
    auto moreCallbacks = std::move(m_moreCallbacks);
    m_moreCallbacks.clear();
}

quint32 Scheduler::allocHandle(Callback fn, RefCounted *target, RefCounted *arg, qint32 number)
{
    quint32 index;
    if (m_freeHandle != ~0u) {
        index = m_freeHandle;
        m_freeHandle = m_handles[index].nextFree;
    } else {
        index = quint32(m_handles.size());
        m_handles.emplace_back();
    }
    Handle &h = m_handles[index];
    h.fn = fn;
    h.target = target;
    h.arg = arg;
    h.number = number;
    h.cancelled = 0;
    if (target)
        target->ref();
    if (arg)
        arg->ref();
    return index;
}

void Scheduler::releaseHandle(quint32 index)
{
    Handle &h = m_handles[index];
    RefCounted *target = h.target;
    RefCounted *arg = h.arg;
    h.target = h.arg = nullptr;
    ++h.generation; // stale HandleRefs no longer match
    h.nextFree = m_freeHandle;
    m_freeHandle = index;
    if (arg)
        arg->deref();
    if (target)
        target->deref();
}

Scheduler::HandleRef Scheduler::callSoon(Callback fn, RefCounted *target, RefCounted *arg,
                                         qint32 number)
{
    const quint32 index = allocHandle(fn, target, arg, number);
    m_ready.push(Entry(index) << TagBits | HandleEntry);
    return { index, m_handles[index].generation };
}

void Scheduler::callSoon(Task *task, EntryTag callback)
{
    Q_ASSERT((quintptr(task) & TagMask) == 0);
    task->ref();
    m_ready.push(Entry(quintptr(task)) | callback);
}

void Scheduler::callFirstDoneCallback(Future *future)
{
    Q_ASSERT((quintptr(future) & TagMask) == 0);
    future->ref();
    m_ready.push(Entry(quintptr(future)) | FutureFirstCallback);
}

TimerQueue::Position Scheduler::callLater(Task *task, qint64 delayMs)
{
    Q_ASSERT((quintptr(task) & TagMask) == 0);
    task->ref();
    return m_timers.push(m_now + delayMs, Entry(quintptr(task)) | TaskSleepTimer);
}

void Scheduler::cancelTimer(TimerQueue::Position timer)
{
    release(m_timers.entryAt(timer));
    m_timers.clear(timer);
}

void Scheduler::run(Entry entry)
{
    const auto tag = EntryTag(entry & TagMask);
    if (tag == HandleEntry) {
        const auto index = quint32(entry >> TagBits);
        Handle &h = m_handles[index];
        if (!h.cancelled)
            h.fn(h.target, h.arg, h.number);
        releaseHandle(index);
    } else if (tag == FutureFirstCallback) {
        Future *future = futureOf(entry);
        future->runFirstDoneCallback();
        future->deref();
    } else if (tag != CancelledTimer) {
        Task *task = taskOf(entry);
        task->runQueued(tag);
        task->deref();
    }
}

void Scheduler::release(Entry entry)
{
    const auto tag = EntryTag(entry & TagMask);
    if (tag == HandleEntry) {
        releaseHandle(quint32(entry >> TagBits));
    } else if (tag == FutureFirstCallback) {
        // Dropped unrun, as a handle would drop its target: a gather's children hold it
        // through this callback, and it holds them.
        Future *future = futureOf(entry);
        future->dropFirstDoneCallback();
        future->deref();
    } else if (tag != CancelledTimer) {
        Task *task = taskOf(entry);
        if (tag == TaskSleepTimer)
            task->m_sleepTimerQueued = false;
        task->deref();
    }
}

Scheduler::HandleRef Scheduler::callLater(qint64 delayMs, Callback fn, RefCounted *target,
                                          RefCounted *arg, qint32 number)
{
    return callAt(m_now + delayMs, fn, target, arg, number);
}

Scheduler::HandleRef Scheduler::callAt(qint64 when, Callback fn, RefCounted *target,
                                       RefCounted *arg, qint32 number)
{
    const quint32 index = allocHandle(fn, target, arg, number);
    m_timers.push(when, Entry(index) << TagBits | HandleEntry);
    return { index, m_handles[index].generation };
}

void Scheduler::cancel(HandleRef ref)
{
    if (!ref.isValid() || ref.index >= m_handles.size())
        return;
    Handle &h = m_handles[ref.index];
    if (h.generation == ref.generation)
        h.cancelled = 1;
}

Scheduler::Next Scheduler::next(qint64 *when)
{
    if (m_passRemaining > 0 || m_continuation)
        return Next::RunCallback;
    if (m_stopping)
        return Next::Stopped;
    if (!m_ready.empty())
        return Next::StartPass;
    // Cancelled timers at the head would be dropped by the next pass anyway; dropping them now
    // changes nothing observable and keeps this O(log n) for drivers that ask every step.
    while (!m_timers.isEmpty() && isCancelled(m_timers.front())) {
        release(m_timers.front());
        m_timers.pop();
    }
    if (m_timers.isEmpty())
        return Next::Idle;
    const qint64 earliest = m_timers.frontWhen();
    if (when)
        *when = earliest;
    return earliest > m_now ? Next::AdvanceClock : Next::StartPass;
}

void Scheduler::beginPass()
{
    // BaseEventLoop._run_once: drop cancelled timers at the head, jump the clock when nothing is
    // ready, then append every due timer to the ready queue.
    auto popHead = [this] {
        const Entry e = m_timers.front();
        m_timers.pop();
        return e;
    };
    if (!m_moving) {
        while (!m_timers.isEmpty() && isCancelled(m_timers.front()))
            release(popHead());
        if (m_ready.empty() && !m_stopping && !m_timers.isEmpty())
            m_now = std::max(m_now, m_timers.frontWhen());
    }
    m_moving = false;
    int sinceLook = 0;
    while (!m_timers.isEmpty() && m_timers.frontWhen() <= m_now) {
        const Entry e = popHead();
        // Out of the timer queue, a sleep's timer can no longer be cancelled where it stands:
        // the callback checks the sleep's state instead (Task::runQueued).
        if ((e & TagMask) == TaskSleepTimer)
            taskOf(e)->m_sleepTimerQueued = false;
        m_ready.push(e);
        // A quarter of a million sleeps due at once take milliseconds to move: the host gets
        // its turns in between (no callback runs until all are moved, so nothing can tell).
        if (++sinceLook == 4096) {
            sinceLook = 0;
            if (hostSliceSpent() && !m_timers.isEmpty() && m_timers.frontWhen() <= m_now) {
                m_moving = true;
                ++m_hostYields;
                return;
            }
        }
    }
    m_passRemaining = m_ready.size();
}

void Scheduler::setContinuation(Task *t)
{
    Q_ASSERT(!m_continuation);
    m_continuation = Ref<Task>(t);
    ++m_hostYields;
}

bool Scheduler::step()
{
    if (m_continuation) {
        // The rest of the callback that yielded to the host: not a callback of its own, so it
        // counts against no pass.
        const Ref<Task> t = std::move(m_continuation);
        t->resumeAfterHost();
        return true;
    }
    if (m_passRemaining == 0) {
        if (m_moving) { // the due timers' move the host interrupted
            beginPass();
            return true;
        }
        if (m_stopping) {
            m_stopping = false;
            return false;
        }
        if (m_ready.empty() && m_timers.isEmpty())
            return false;
        beginPass();
        return true;
    }
    --m_passRemaining;
    const Entry e = m_ready.front();
    m_ready.pop();
    run(e);
    return true;
}

void Scheduler::close()
{
    m_closed = true;
    m_continuation = Ref<Task>(); // only when a run is torn down half way
    m_ready.drain([this](Entry e) { release(e); });
    m_timers.drain([this](Entry e) { release(e); });
    m_passRemaining = 0;
    m_moving = false;
}

void Scheduler::registerTask(Task *t)
{
    t->m_prevLive = m_lastLive;
    t->m_nextLive = nullptr;
    if (m_lastLive)
        m_lastLive->m_nextLive = t;
    else
        m_firstLive = t;
    m_lastLive = t;
}

void Scheduler::unregisterTask(Task *t)
{
    if (t->m_prevLive)
        t->m_prevLive->m_nextLive = t->m_nextLive;
    else if (m_firstLive == t)
        m_firstLive = t->m_nextLive;
    if (t->m_nextLive)
        t->m_nextLive->m_prevLive = t->m_prevLive;
    else if (m_lastLive == t)
        m_lastLive = t->m_prevLive;
    t->m_prevLive = t->m_nextLive = nullptr;
}

std::vector<Task *> Scheduler::liveTasks() const
{
    std::vector<Task *> out;
    for (Task *t = m_firstLive; t; t = t->m_nextLive)
        out.push_back(t);
    return out;
}

} // namespace Lifeline
