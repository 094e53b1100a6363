#include "scheduler.h"

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
    for (quint32 h : m_ready)
        releaseHandle(h);
    m_timers.drain([this](quint32 h) { releaseHandle(h); });
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
    m_ready.push_back(index);
    return { index, m_handles[index].generation };
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
    m_timers.push(when, index);
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
    while (!m_timers.isEmpty() && m_handles[m_timers.front()].cancelled) {
        releaseHandle(m_timers.front());
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
        const quint32 h = m_timers.front();
        m_timers.pop();
        return h;
    };
    while (!m_timers.isEmpty() && m_handles[m_timers.front()].cancelled)
        releaseHandle(popHead());
    if (m_ready.empty() && !m_stopping && !m_timers.isEmpty())
        m_now = std::max(m_now, m_timers.frontWhen());
    while (!m_timers.isEmpty() && m_timers.frontWhen() <= m_now)
        m_ready.push_back(popHead());
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
    const quint32 index = m_ready.front();
    m_ready.pop_front();
    Handle &h = m_handles[index];
    if (!h.cancelled)
        h.fn(h.target, h.arg, h.number);
    releaseHandle(index);
    return true;
}

void Scheduler::close()
{
    m_closed = true;
    m_continuation = Ref<Task>(); // only when a run is torn down half way
    for (quint32 h : m_ready)
        releaseHandle(h);
    m_ready.clear();
    m_timers.drain([this](quint32 h) { releaseHandle(h); });
    m_passRemaining = 0;
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
