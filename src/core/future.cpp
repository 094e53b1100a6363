#include "future.h"

#include "pyerrors.h"

namespace Lifeline {

Future::~Future() = default;

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
    if (!m_first.fn)
        m_first = { fn, Ref<RefCounted>(target) };
    else {
        if (!m_more)
            m_more = std::make_unique<std::vector<DoneCallback>>();
        m_more->push_back({ fn, Ref<RefCounted>(target) });
    }
}

void Future::scheduleCallbacks()
{
    if (m_first.fn) {
        m_scheduler.callSoon(m_first.fn, m_first.target.get(), this);
        m_first = { nullptr, {} };
    }
    if (m_more) {
        for (DoneCallback &cb : *m_more)
            m_scheduler.callSoon(cb.fn, cb.target.get(), this);
        m_more.reset();
    }
}

ExcId Future::makeCancelledError()
{
    if (m_cancelledExc != None)
        return std::exchange(m_cancelledExc, None);
    return PyErrors::create(m_scheduler, ExceptionTypes::CancelledError, {}, false,
                            RaiseOrigin::Cancel);
}

} // namespace Lifeline
