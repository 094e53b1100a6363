// SPDX-License-Identifier: MIT
// Interpreter's instance lanes: a resource's, a TaskGroup's and a timeout's, labelled by the
// names the exported program calls (PythonNamePlan, PythonCall: the lane rule of
// docs/events.md, "Lanes") and counted as the tracer counts them.

#include "interpreter.h"

#include "pythoncall.h"

#include <algorithm>

namespace Lifeline {

LaneId Interpreter::newInstance(Task *task, int resource)
{
    const int ordinal = ++m_instanceCounts[size_t(resource)];
    const LaneId lane = m_tracker.createInstance(
        m_scheduler.time(), m_resourceLabels[size_t(resource)], task->lane(), resource, ordinal);
    // Grown by half at a time: a bit at a time, vector<bool>'s resize was a run's 1%.
    if (size_t(lane) >= m_connected.size())
        m_connected.resize(std::max(size_t(lane) + 1, m_connected.size() * 3 / 2 + 64), false);
    return lane;
}

LaneId Interpreter::newScopeInstance(Task *task, LaneGroups::Kind kind, const Step &step)
{
    const bool isTaskGroup = kind == LaneGroups::Kind::TaskGroup;
    int label;
    if (isTaskGroup) {
        if (m_taskGroupLabel == None)
            m_taskGroupLabel = m_log.internLabel(PythonCall::taskGroup());
        label = m_taskGroupLabel;
    } else {
        label = m_log.internLabel(PythonCall::timeout(step.duration));
    }
    const int group
        = isTaskGroup ? LaneGroups::taskGroup(*m_scenario) : LaneGroups::timeout(*m_scenario);
    const int ordinal = ++m_instanceCounts[m_scopeCounters[isTaskGroup ? 0 : 1]];
    const LaneId lane
        = m_tracker.createInstance(m_scheduler.time(), label, task->lane(), group, ordinal);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Acquiring, step.id);
    return lane;
}

ExcId Interpreter::scopeExited(LaneId lane, ExcId bodyExc, ExcId exitExc, quint32 stepId)
{
    // Released whatever __aexit__ did, a CancelledError raised in it included.
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Released, stepId);
    if (bodyExc == None)
        return exitExc;
    if (exitExc == None || exitExc == bodyExc) {
        hop(bodyExc, lane, HopAction::Propagated);
        return bodyExc;
    }
    hop(bodyExc, lane, HopAction::Replaced);
    return exitExc;
}

} // namespace Lifeline
