// SPDX-License-Identifier: MIT
#pragma once
// Lifecycle state of every resource instance of a run, and the one place its transitions are
// recorded (as PhaseBegan / InstanceEnded events). States are one byte per lane so a million
// instances cost a megabyte; a QObject per instance exists only for instances someone watches
// (watch()), so QSignalSpy and connections work without taxing runs nobody observes.

#include "eventlog.h"

#include <QHash>
#include <QObject>
#include <vector>

namespace Lifeline {

class Resource;

class ResourceTracker : public QObject
{
    Q_OBJECT
public:
    explicit ResourceTracker(EventLog &log, QObject *parent = nullptr);
    ~ResourceTracker() override;

    LaneId createInstance(qint64 time, int label, LaneId task, int resource, int ordinal);
    void transition(LaneId instance, qint64 time, LifecycleState to, quint32 stepId = 0);
    LifecycleState state(LaneId instance) const;
    // Marks every instance whose release never completed as NeverReleased (end of a run).
    void finish(qint64 time);

    // A QObject mirror of one instance, owned by the tracker; created on first request.
    Resource *watch(LaneId instance);

Q_SIGNALS:
    void instanceCreated(Lifeline::LaneId instance);

private:
    EventLog &m_log;
    // Chunked, as a trace's millions of instances grew them by doubling copies inside a slice.
    ChunkedArray<quint8, 14> m_states; // by lane id; tasks' entries stay Created
    ChunkedArray<LaneId, 14> m_instances;
    QHash<LaneId, Resource *> m_watched;
};

} // namespace Lifeline
