// SPDX-License-Identifier: MIT
#include "resource.h"

namespace Lifeline {

Resource::Resource(LaneId instance, const QString &name, LifecycleState state, QObject *parent)
    : QObject(parent)
    , m_instance(instance)
    , m_name(name)
    , m_state(state)
{
}

void Resource::setState(LifecycleState to, qint64 time)
{
    if (to == m_state)
        return;
    const LifecycleState from = std::exchange(m_state, to);
    Q_EMIT stateChanged(from, to, time);
    switch (to) {
    case LifecycleState::Created:
        break;
    case LifecycleState::Acquiring:
        Q_EMIT acquiring(time);
        break;
    case LifecycleState::Ready:
        Q_EMIT ready(time);
        break;
    case LifecycleState::Executing:
        Q_EMIT executing(time);
        break;
    case LifecycleState::Releasing:
        Q_EMIT releasing(time);
        break;
    case LifecycleState::Released:
        Q_EMIT released(time);
        break;
    case LifecycleState::FailedToAcquire:
        Q_EMIT failedToAcquire(time);
        break;
    case LifecycleState::Cancelled:
        Q_EMIT cancelled(time);
        break;
    case LifecycleState::NeverReleased:
        Q_EMIT neverReleased(time);
        break;
    }
}

} // namespace Lifeline
