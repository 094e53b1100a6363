// SPDX-License-Identifier: MIT
#include "slicegate.h"

#include <QAbstractEventDispatcher>

#include <algorithm>

namespace Lifeline {

SliceGate::SliceGate()
{
    m_clock.start();
}

SliceGate &SliceGate::current()
{
    thread_local SliceGate gate;
    if (!gate.m_attached)
        gate.attach();
    return gate;
}

void SliceGate::attach()
{
    // A thread gets its dispatcher when it first runs an event loop (the main thread's comes
    // with the application object): until then there is no pass to mark, and the stale rule
    // keeps the jobs going.
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    if (!dispatcher)
        return;
    m_attached = true;
    // aboutToBlock precedes each pass of an event loop that waits; awake follows it, and
    // precedes each processEvents() that does not wait.
    QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher,
                     [this] { newPass(); });
    QObject::connect(dispatcher, &QAbstractEventDispatcher::awake, dispatcher,
                     [this] { newPass(); });
    QObject::connect(dispatcher, &QObject::destroyed, [this] { m_attached = false; });
}

void SliceGate::newPass()
{
    m_passStartNs = m_clock.nsecsElapsed();
}

qint64 SliceGate::allowance(qint64 wantNs)
{
    const qint64 now = m_clock.nsecsElapsed();
    if (now - m_passStartNs > StalePassNs)
        m_passStartNs = now;
    const qint64 left = PassNs - (now - m_passStartNs);
    return left < MinSliceNs ? 0 : std::min(wantNs, left);
}

} // namespace Lifeline
