#include "future.h"

#include "pyerrors.h"

namespace Lifeline {

Future::~Future()
{
    if (m_hasMoreCallbacks)
        m_scheduler.m_moreCallbacks.erase(this);
}

void Future::clearCallbacks()
{
    m_first = { nullptr, {} };
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
    if (!m_first.fn) {
        m_first = { fn, Ref<RefCounted>(target) };
    } else {
        m_scheduler.m_moreCallbacks[this].push_back({ fn, Ref<RefCounted>(target) });
        m_hasMoreCallbacks = true;
    }
}

void Future::scheduleCallbacks()
{
    if (m_first.fn)
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
    const Scheduler::Callback fn = std::exchange(m_first.fn, nullptr);
    const Ref<RefCounted> target = std::exchange(m_first.target, {});
    if (fn)
        fn(target.get(), this, 0);
}

ExcId Future::makeCancelledError()
{
    if (m_cancelledExc != None)
        return std::exchange(m_cancelledExc, None);
    return PyErrors::create(m_scheduler, ExceptionTypes::CancelledError, {}, false,
                            RaiseOrigin::Cancel);
}

} // namespace Lifeline
