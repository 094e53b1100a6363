// SPDX-License-Identifier: MIT
#pragma once
// One run of a scenario: owns its driver (the Interpreter, or a TraceReplay for a traced
// program), which owns the scheduler and the event log it fills.
// Instant mode drains the virtual clock in slices of at most ~5 ms of real time from a zero
// QTimer, so a GUI thread stays live; real-time mode waits for virtual timers with a QTimer
// scaled by the speed factor. Stepping (runUntilEvents) is deterministic: a fresh ScenarioRun
// stepped to event N always holds the same N events, which is how views go back in time.
// A live trace's run (its recording still growing) that has appended every event received
// waits, still running, with no timer: recordingGrew() wakes it.

#include "eventlog.h"
#include "scenario.h"

#include <QObject>
#include <QStringList>
#include <memory>

class QTimer;

namespace Lifeline {

class ResourceTracker;
class RunDriver;
class Scheduler;

class ScenarioRun : public QObject
{
    Q_OBJECT
public:
    explicit ScenarioRun(std::shared_ptr<const Scenario> scenario, QObject *parent = nullptr);
    ~ScenarioRun() override;

    const Scenario &scenario() const { return *m_scenario; }
    const EventLog &log() const;
    Scheduler &scheduler();
    // The run's resource instances; watch() one to get a QObject with transition signals.
    ResourceTracker &resources();
    // Record a StepBegan event per step (for the code view); off by default, set before running.
    void setRecordSteps(bool on);

    // Synchronous: run to the end on the virtual clock (of what a live trace has received).
    void runToEnd();
    // Synchronous: run until the log holds at least `events` events or the run ends.
    // Returns true when the log has reached `events`.
    bool runUntilEvents(size_t events);
    // For a run about to be deleted (paused, nothing connected): frees its tasks for about
    // `budgetNs`; true when deleting it is cheap (Interpreter::releaseSome).
    bool releaseSome(qint64 budgetNs);
    bool isFinished() const;

    // Asynchronous, driven by QTimer: speed 0 means instant (virtual time jumps); otherwise one
    // virtual millisecond takes 1/speed real milliseconds.
    void start(double speed = 0.0);
    void pause();
    bool isRunning() const;
    // Running, with every event received appended: a live trace's run waiting for more.
    bool isWaiting() const { return m_waiting; }
    void setSpeed(double speed);
    double speed() const { return m_speed; }

    // What the program printed so far, one entry per line (built from the log's Printed events).
    QStringList output() const;
    // The exception that escaped main (None while running or when main returned).
    ExcId outcome() const;
    // `ok`, or Python's repr of the escaping exception and its chain joined by ` <- `.
    QString outcomeText() const;
    // Python's traceback summary lines for stderr (oldest first, with the joining sentences).
    QString tracebackText() const;

public Q_SLOTS:
    // A live trace's recording grew (or stopped growing): a waiting run goes on.
    void recordingGrew();

Q_SIGNALS:
    void eventsAppended(qsizetype count);
    void finished();
    void runningChanged(bool running);

private:
    void runSlice();

    std::shared_ptr<const Scenario> m_scenario;
    std::unique_ptr<RunDriver> m_driver;
    QTimer *m_timer = nullptr;
    double m_speed = 0.0;
    bool m_running = false;
    bool m_waiting = false;
    qint64 m_realStartMs = 0;
    qint64 m_virtualAnchor = 0;
};

} // namespace Lifeline
