// SPDX-License-Identifier: MIT
#include "future.h"

#include "pyerrors.h"

#include <atomic>

namespace Lifeline {

namespace {

// A handful in the engine (a task's wakeup, gather's and TaskGroup's child callbacks), a few
// more in tests. Atomic, so that runs on two threads can register their callbacks safely.
constexpr int kMaxCallbacks = 255;

std::atomic<Scheduler::Callback> *callbackTable()
{
    static std::atomic<Scheduler::Callback> table[kMaxCallbacks + 1] = {};
    return table;
}

} // namespace

Future::~Future()
{
    if (m_hasMoreCallbacks)
        m_scheduler.m_moreCallbacks.erase(this);
}

quint8 Future::callbackNumber(Scheduler::Callback fn)
{
    std::atomic<Scheduler::Callback> *const table = callbackTable();
    for (int i = 1; i <= kMaxCallbacks; ++i) {
        Scheduler::Callback known = table[i].load(std::memory_order_acquire);
        if (!known && table[i].compare_exchange_strong(known, fn, std::memory_order_acq_rel))
            return quint8(i);
        if (known == fn) // also when another thread has just registered fn here
            return quint8(i);
    }
    qFatal("Future: more than %d distinct done callback functions", kMaxCallbacks);
}

Scheduler::Callback Future::callbackByNumber(quint8 number)
{
    return callbackTable()[number].load(std::memory_order_acquire);
}

void Future::clearCallbacks()
{
    m_firstCallback = 0;
    m_firstTarget = Ref<RefCounted>();
    if (std::exchange(m_hasMoreCallbacks, false))
        m_scheduler.m_moreCallbacks.erase(this);
}

bool Future::cancel()
{
    if (m_state != State::Pending)
        return false;
    m_state = State::Cancelled;
    scheduleCallbacks();
    return true;
}

void Future::setResult()
{
    if (m_state != State::Pending)
        return;
    m_state = State::Finished;
    scheduleCallbacks();
}

void Future::setException(ExcId exc)
{
    if (m_state != State::Pending)
        return;
    m_exception = exc;
    m_state = State::Finished;
    scheduleCallbacks();
}

void Future::addDoneCallback(Scheduler::Callback fn, RefCounted *target)
{
    if (done()) {
        m_scheduler.callSoon(fn, target, this);
        return;
    }
    if (!m_firstCallback) {
        m_firstCallback = callbackNumber(fn);
        m_firstTarget = Ref<RefCounted>(target);
    } else {
        m_scheduler.m_moreCallbacks[this].push_back({ fn, Ref<RefCounted>(target) });
        m_hasMoreCallbacks = true;
    }
}

void Future::scheduleCallbacks()
{
    if (m_firstCallback)
        m_scheduler.callFirstDoneCallback(this);
    if (std::exchange(m_hasMoreCallbacks, false)) {
        auto more = m_scheduler.m_moreCallbacks.extract(this);
        for (Scheduler::DoneCallback &cb : more.mapped())
            m_scheduler.callSoon(cb.fn, cb.target.get(), this);
    }
}

void Future::runFirstDoneCallback()
{
    // Cleared meanwhile only by clearCallbacks(), when a run is torn down.
    const quint8 number = std::exchange(m_firstCallback, 0);
    const Ref<RefCounted> target = std::exchange(m_firstTarget, {});
    if (number)
        callbackByNumber(number)(target.get(), this, 0);
}

ExcId Future::makeCancelledErrorUnraised(bool *fresh)
{
    *fresh = m_cancelledExc == None;
    if (!*fresh)
        return std::exchange(m_cancelledExc, None);
    return m_scheduler.log().newException(ExceptionTypes::CancelledError, {}, false);
}

ExcId Future::makeCancelledError()
{
    if (m_cancelledExc != None)
        return std::exchange(m_cancelledExc, None);
    return PyErrors::create(m_scheduler, ExceptionTypes::CancelledError, {}, false,
                            RaiseOrigin::Cancel);
}

} // namespace Lifeline
