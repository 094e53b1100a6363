// SPDX-License-Identifier: MIT
#pragma once
// One resource instance as a QObject: its lifecycle state and a signal for every transition
// (acquire → ready → execute → release, or failed, cancelled, never released). Made by
// ResourceTracker::watch(); it mirrors the engine's state and never drives it.

#include "eventlog.h"

#include <QObject>

namespace Lifeline {

class Resource : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int state READ stateValue NOTIFY stateChanged)
public:
    Resource(LaneId instance, const QString &name, LifecycleState state, QObject *parent);

    LaneId instance() const { return m_instance; }
    QString name() const { return m_name; }
    LifecycleState state() const { return m_state; }
    int stateValue() const { return int(m_state); }

    // Called by the tracker only.
    void setState(LifecycleState to, qint64 time);

Q_SIGNALS:
    void stateChanged(Lifeline::LifecycleState from, Lifeline::LifecycleState to, qint64 time);
    void acquiring(qint64 time);
    void ready(qint64 time);
    void executing(qint64 time);
    void releasing(qint64 time);
    void released(qint64 time);
    void failedToAcquire(qint64 time);
    void cancelled(qint64 time);
    void neverReleased(qint64 time);

private:
    LaneId m_instance;
    QString m_name;
    LifecycleState m_state;
};

} // namespace Lifeline
