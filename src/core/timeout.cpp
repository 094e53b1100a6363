// SPDX-License-Identifier: MIT
#include "timeout.h"

#include "pyerrors.h"

namespace Lifeline {

void Timeout::enter(Task *task, LaneId lane)
{
    m_lane = lane;
    m_state = State::Entered;
    m_task = task;
    m_cancelling = task->cancelling();
    // reschedule(): a deadline already reached is handled on the next loop turn.
    if (m_when <= m_scheduler.time())
        m_handler = m_scheduler.callSoon(&Timeout::onTimeout, this);
    else
        m_handler = m_scheduler.callAt(m_when, &Timeout::onTimeout, this);
}

void Timeout::onTimeout(RefCounted *obj, RefCounted *, qint32)
{
    auto *t = static_cast<Timeout *>(obj);
    t->m_task->cancel(CancelCause::Deadline, t->m_lane);
    t->m_state = State::Expiring;
    t->m_handler = {};
}

ExcId Timeout::exit(ExcId exc)
{
    m_scheduler.cancel(m_handler);
    m_handler = {};
    if (m_state == State::Expiring) {
        m_state = State::Expired;
        EventLog &log = m_scheduler.log();
        const bool exactlyCancelled
            = exc != None && log.exception(exc).type == ExceptionTypes::CancelledError;
        if (m_task->uncancel() <= m_cancelling && exactlyCancelled) {
            // raise TimeoutError from exc_val
            const ExcId timeout = PyErrors::create(m_scheduler, ExceptionTypes::TimeoutError, {},
                                                   false, RaiseOrigin::Timeout);
            m_task->raise(timeout);
            log.exception(timeout).cause = exc;
            log.exception(timeout).suppressContext = true;
            return timeout;
        }
    } else if (m_state == State::Entered) {
        m_state = State::Exited;
    }
    return None;
}

} // namespace Lifeline
