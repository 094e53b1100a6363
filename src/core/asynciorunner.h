#pragma once
// asyncio.run(main()) on the scheduler: run_until_complete(main task), then runners.py's
// shutdown: cancel the tasks still running in creation order and run_until_complete a
// gather(..., return_exceptions=True) of them. (shutdown_asyncgens has nothing to close: every
// generator of the format is closed by its own task before that task can end.)
// Driven one scheduler step at a time so callers can slice, pause and step.

#include "gatheringfuture.h"
#include "task.h"

namespace Lifeline {

class AsyncioRunner
{
public:
    AsyncioRunner(Scheduler &s, Co<ExcId> mainBody, int mainLabel);
    ~AsyncioRunner();

    // One scheduler step (or one shutdown transition). False once everything has finished.
    bool step();
    bool isFinished() const { return m_phase == Phase::Done; }
    // The exception that escaped main, as asyncio.run raises it (None when main returned).
    ExcId outcome() const { return m_outcome; }
    Task *mainTask() const { return m_main.get(); }

private:
    enum class Phase : quint8 { Main, Shutdown, Done };
    struct Stopper;
    void finishMain();

    Scheduler &m_scheduler;
    Ref<Task> m_main;
    Ref<GatheringFuture> m_shutdown;
    Ref<RefCounted> m_stopper;
    ExcId m_outcome = None;
    Phase m_phase = Phase::Main;
};

} // namespace Lifeline
