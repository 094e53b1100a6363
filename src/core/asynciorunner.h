// SPDX-License-Identifier: MIT
#pragma once
// asyncio.run(main()) on the scheduler: run_until_complete(main task), then runners.py's
// shutdown: cancel the tasks still running in creation order and run_until_complete a
// gather(..., return_exceptions=True) of them, run_until_complete(shutdown_asyncgens()) and
// (shutdown_default_executor()), close the loop. A task created during that shutdown is never
// cancelled; when the program then ends, its coroutine is closed as garbage collection does it.
// Driven one scheduler step at a time so callers can slice, pause and step.

#include "gatheringfuture.h"
#include "task.h"

#include <functional>

namespace Lifeline {

class AsyncioRunner
{
public:
    // `shutdownAsyncgens` makes loop.shutdown_asyncgens()'s coroutine (the runner does not know
    // which generators are open); `closeTask` closes a pending task's coroutine at exit
    // (Task::closeCoroutine() when not given).
    using CoroutineFactory = std::function<Co<ExcId>()>;
    using TaskCloser = std::function<void(Task *)>;
    AsyncioRunner(Scheduler &s, Co<ExcId> mainBody, int mainLabel,
                  CoroutineFactory shutdownAsyncgens = {}, TaskCloser closeTask = {});
    ~AsyncioRunner();

    // One scheduler step (or one shutdown transition). False once everything has finished.
    bool step();
    // step() until it returns false.
    void runToEnd();
    bool isFinished() const { return m_phase == Phase::Done; }
    // The exception that escaped main, as asyncio.run raises it (None when main returned).
    ExcId outcome() const { return m_outcome; }
    Task *mainTask() const { return m_main.get(); }

private:
    // After run_forever returned: the next phase of asyncio.run, or Done (false).
    bool nextPhase();
    enum class Phase : quint8 { Main, Shutdown, AsyncGenerators, Executor, Done };
    struct Stopper;
    void finishMain();
    void runUntilComplete(Co<ExcId> body, int label, Phase phase);
    void closePendingTasks();

    Scheduler &m_scheduler;
    Ref<Task> m_main;
    Ref<GatheringFuture> m_shutdown;
    Ref<RefCounted> m_stopper;
    CoroutineFactory m_shutdownAsyncgens;
    TaskCloser m_closeTask;
    Ref<Task> m_phaseTask;
    ExcId m_outcome = None;
    Phase m_phase = Phase::Main;
};

} // namespace Lifeline
