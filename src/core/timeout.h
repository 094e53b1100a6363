// SPDX-License-Identifier: MIT
#pragma once
// asyncio.timeout(delay) as timeouts.py (3.11.7): on expiry it cancels the task; its __aexit__
// turns the CancelledError it caused into TimeoutError (raised from it) unless another
// cancellation is pending. __aenter__/__aexit__ have no await, so they run synchronously.

#include "task.h"

namespace Lifeline {

class Timeout : public RefCounted
{
public:
    Timeout(Scheduler &s, qint64 when)
        : m_scheduler(s)
        , m_when(when)
    {
    }

    // `lane`: the timeout's own instance lane, named as the cause of the cancellation its
    // expiry makes (CancelRequested, CancelCause::Deadline); None for a timeout with no lane.
    void enter(Task *task, LaneId lane = None);
    // Returns the exception __aexit__ raises (TimeoutError), or None; it never suppresses.
    ExcId exit(ExcId exc);
    bool expired() const { return m_state == State::Expiring || m_state == State::Expired; }

private:
    enum class State : quint8 { Created, Entered, Expiring, Expired, Exited };
    static void onTimeout(RefCounted *timeout, RefCounted *, qint32);

    Scheduler &m_scheduler;
    qint64 m_when;
    Task *m_task = nullptr;
    LaneId m_lane = None;
    Scheduler::HandleRef m_handler;
    int m_cancelling = 0;
    State m_state = State::Created;
};

} // namespace Lifeline
