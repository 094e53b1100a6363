// SPDX-License-Identifier: MIT
#pragma once
// asyncio.TaskGroup as taskgroups.py (3.11.7) writes it: a failing child aborts its siblings and
// cancels the parent once; __aexit__ waits for every child and raises an ExceptionGroup of the
// errors. Its task set iterates in insertion order (CPython's set follows addresses; the spec's
// runner fixes creation order).

#include "task.h"

#include <QHash>
#include <vector>

namespace Lifeline {

class TaskGroup : public RefCounted
{
public:
    // `lane`: the group's own instance lane, where the exceptions it groups are recorded as
    // `grouped`; None records them at the parent task's lane.
    TaskGroup(Scheduler &s, Task *parent, LaneId lane = None)
        : m_scheduler(s)
        , m_parent(parent)
        , m_lane(lane)
    {
    }

    Ref<Task> createTask(Co<ExcId> body, int label);
    // __aexit__(type(exc), exc, tb): a Python frame; the caller enters and leaves it.
    Co<ExcId> exit(ExcId exc);

private:
    static void taskDone(RefCounted *group, RefCounted *task, qint32);
    // Cancels every task not done, naming `cause` and the lane `by` behind it.
    void abort(CancelCause cause, LaneId by);

    Scheduler &m_scheduler;
    Task *m_parent;
    LaneId m_lane;
    std::vector<Ref<Task>> m_tasks; // insertion order; done tasks become null
    QHash<Task *, size_t> m_index;
    size_t m_live = 0;
    std::vector<ExcId> m_errors;
    Ref<Future> m_onCompleted;
    bool m_exiting = false;
    bool m_aborting = false;
    bool m_parentCancelRequested = false;
};

} // namespace Lifeline
