// SPDX-License-Identifier: MIT
#pragma once
// What ScenarioRun drives: something that fills an event log one step at a time on a scheduler's
// clock. The Interpreter runs a scenario; TraceReplay replays a traced program's recording.
// Both keep their own hot paths non-virtual (the Interpreter is final, so its own calls bind
// directly); ScenarioRun pays one virtual call per step(), or one per runToEnd().

#include "eventlog.h"

namespace Lifeline {

class ResourceTracker;
class Scheduler;

class RunDriver
{
public:
    virtual ~RunDriver() = default;

    // One step; false once the run is over.
    virtual bool step() = 0;
    virtual void runToEnd() = 0;
    virtual bool isFinished() const = 0;
    // The exception that ended the run (None while running, or when it ended well).
    virtual ExcId outcome() const = 0;
    virtual EventLog &log() = 0;
    virtual const EventLog &log() const = 0;
    virtual Scheduler &scheduler() = 0;
    virtual ResourceTracker &resources() = 0;
    // Tears the run down in slices before it is destroyed; true once destroying it is cheap.
    virtual bool releaseSome(qint64 budgetNs) = 0;
    // Also record a StepBegan event per step (a replay has no steps and records none).
    virtual void setRecordSteps(bool on) = 0;
};

} // namespace Lifeline
