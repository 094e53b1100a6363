// SPDX-License-Identifier: MIT
#include "resourcetracker.h"

#include "resource.h"

namespace Lifeline {

ResourceTracker::ResourceTracker(EventLog &log, QObject *parent)
    : QObject(parent)
    , m_log(log)
{
}

ResourceTracker::~ResourceTracker() = default;

LaneId ResourceTracker::createInstance(qint64 time, int label, LaneId task, int resource,
                                       int ordinal)
{
    Q_UNUSED(time);
    const LaneId lane = m_log.addLane(LaneKind::Instance, label, task, resource, ordinal);
    if (size_t(lane) >= m_states.size())
        m_states.resize(size_t(lane) + 1, quint8(LifecycleState::Created));
    m_instances.push_back(lane);
    Q_EMIT instanceCreated(lane);
    return lane;
}

static bool isTerminal(LifecycleState s)
{
    return s == LifecycleState::Released || s == LifecycleState::FailedToAcquire
        || s == LifecycleState::Cancelled || s == LifecycleState::NeverReleased;
}

void ResourceTracker::transition(LaneId instance, qint64 time, LifecycleState to, quint32 stepId)
{
    m_states[size_t(instance)] = quint8(to);
    switch (to) {
    case LifecycleState::Acquiring:
        m_log.append(time, EventKind::PhaseBegan, quint32(instance), stepId,
                     quint8(Phase::Acquire));
        break;
    case LifecycleState::Ready:
        m_log.append(time, EventKind::PhaseBegan, quint32(instance), stepId, quint8(Phase::Ready));
        break;
    case LifecycleState::Executing:
        m_log.append(time, EventKind::PhaseBegan, quint32(instance), stepId,
                     quint8(Phase::Execute));
        break;
    case LifecycleState::Releasing:
        m_log.append(time, EventKind::PhaseBegan, quint32(instance), stepId,
                     quint8(Phase::Release));
        break;
    case LifecycleState::Created:
        break;
    default:
        m_log.append(time, EventKind::InstanceEnded, quint32(instance), stepId, quint8(to));
        break;
    }
    if (!m_watched.isEmpty()) {
        if (Resource *r = m_watched.value(instance))
            r->setState(to, time);
    }
}

LifecycleState ResourceTracker::state(LaneId instance) const
{
    if (instance < 0 || size_t(instance) >= m_states.size())
        return LifecycleState::Created;
    return LifecycleState(m_states[size_t(instance)]);
}

void ResourceTracker::finish(qint64 time)
{
    for (size_t i = 0; i < m_instances.size(); ++i) {
        const LaneId lane = m_instances[i];
        if (!isTerminal(state(lane)))
            transition(lane, time, LifecycleState::NeverReleased);
    }
}

Resource *ResourceTracker::watch(LaneId instance)
{
    if (Resource *r = m_watched.value(instance))
        return r;
    auto *r = new Resource(instance, m_log.laneName(instance), state(instance), this);
    m_watched.insert(instance, r);
    return r;
}

} // namespace Lifeline
