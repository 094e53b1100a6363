// SPDX-License-Identifier: MIT
#include "taskgroup.h"

#include "awaiters.h"
#include "pyerrors.h"

namespace Lifeline {

Ref<Task> TaskGroup::createTask(Co<ExcId> body, int label)
{
    Ref<Task> t(Task::create(m_scheduler, std::move(body), label, m_parent->lane()));
    // Right after `created`: TaskGroup.create_task made it (docs/events.md, "Waits and owners").
    if (m_lane != None)
        m_scheduler.log().append(m_scheduler.time(), EventKind::TaskJoined, quint32(t->lane()),
                                 quint32(m_lane), quint8(JoinKind::TaskGroup));
    t->addDoneCallback(&TaskGroup::taskDone, this);
    m_index.insert(t.get(), m_tasks.size());
    m_tasks.push_back(t);
    ++m_live;
    return t;
}

void TaskGroup::abort(CancelCause cause, LaneId by)
{
    m_aborting = true;
    for (const Ref<Task> &t : m_tasks) {
        if (t && !t->done())
            t->cancel(cause, by);
    }
}

void TaskGroup::taskDone(RefCounted *groupObj, RefCounted *taskObj, qint32)
{
    auto *g = static_cast<TaskGroup *>(groupObj);
    auto *t = static_cast<Task *>(taskObj);
    Ref<Task> keep(t);
    auto it = g->m_index.find(t);
    if (it != g->m_index.end()) {
        g->m_tasks[it.value()] = Ref<Task>();
        g->m_index.erase(it);
        --g->m_live;
    }
    if (g->m_onCompleted && g->m_live == 0 && !g->m_onCompleted->done())
        g->m_onCompleted->setResult();
    if (t->cancelled() || t->exception() == None)
        return;
    g->m_errors.push_back(t->exception());
    if (g->m_parent->done())
        return; // CPython only logs "has errored out but its parent task ... is already completed"
    if (!g->m_aborting && !g->m_parentCancelRequested) {
        g->abort(CancelCause::Sibling, t->lane());
        g->m_parentCancelRequested = true;
        g->m_parent->cancel(CancelCause::Sibling, t->lane());
    }
}

Co<ExcId> TaskGroup::exit(ExcId exc)
{
    Task *task = m_parent;
    EventLog &log = m_scheduler.log();
    m_exiting = true;
    const bool exactlyCancelled
        = exc != None && log.exception(exc).type == ExceptionTypes::CancelledError;
    ExcId propagateCancellation = exactlyCancelled ? exc : None;
    if (m_parentCancelRequested && m_parent->uncancel() == 0)
        propagateCancellation = None;
    if (exc != None && !m_aborting)
        abort(CancelCause::GroupExit, m_lane);

    while (m_live > 0) {
        if (!m_onCompleted)
            m_onCompleted = Ref<Future>(new Future(m_scheduler));
        Ref<Future> waitOn = m_onCompleted;
        const ExcId r = co_await FutureAwaiter(task, waitOn.get());
        if (r != None) {
            if (!PyErrors::isCancelled(log, r))
                co_return r; // nothing else can arrive here, but never swallow it
            if (!m_aborting) {
                propagateCancellation = r;
                abort(CancelCause::GroupExit, m_lane);
            }
        }
        m_onCompleted = Ref<Future>();
    }

    if (propagateCancellation != None && m_errors.empty())
        co_return task->raise(propagateCancellation);
    if (exc != None && !exactlyCancelled)
        m_errors.push_back(exc);
    if (m_errors.empty())
        co_return None;

    // BaseExceptionGroup(...) returns an ExceptionGroup when every member is an Exception.
    bool allExceptions = true;
    for (ExcId e : m_errors)
        allExceptions = allExceptions && PyErrors::isInstance(log, e, ExceptionTypes::Exception);
    const int type
        = allExceptions ? ExceptionTypes::ExceptionGroup : ExceptionTypes::BaseExceptionGroup;
    const ExcId group
        = PyErrors::create(m_scheduler, type, QStringLiteral("unhandled errors in a TaskGroup"),
                           true, RaiseOrigin::Group);
    log.exception(group).members = m_errors;
    const LaneId lane = m_lane != None ? m_lane : task->lane();
    for (ExcId e : m_errors)
        log.append(m_scheduler.time(), EventKind::ExceptionHop, quint32(e), quint32(lane),
                   quint8(HopAction::Grouped));
    m_errors.clear();
    task->raise(group);
    log.exception(group).suppressContext = true; // raise ... from None
    co_return group;
}

} // namespace Lifeline
