// SPDX-License-Identifier: MIT
#include "asynciorunner.h"

#include "pyerrors.h"

namespace Lifeline {

// _run_until_complete_cb: stops the loop once the awaited future is done.
struct AsyncioRunner::Stopper : RefCounted
{
    explicit Stopper(Scheduler &s)
        : scheduler(s)
    {
    }
    static void callback(RefCounted *self, RefCounted *, qint32)
    {
        static_cast<Stopper *>(self)->scheduler.stop();
    }
    Scheduler &scheduler;
};

AsyncioRunner::AsyncioRunner(Scheduler &s, Co<ExcId> mainBody, int mainLabel,
                             CoroutineFactory shutdownAsyncgens, TaskCloser closeTask)
    : m_scheduler(s)
    , m_stopper(new Stopper(s))
    , m_shutdownAsyncgens(std::move(shutdownAsyncgens))
    , m_closeTask(std::move(closeTask))
{
    m_main = Ref<Task>(Task::create(s, std::move(mainBody), mainLabel, None));
    m_main->addDoneCallback(&Stopper::callback, m_stopper.get());
}

AsyncioRunner::~AsyncioRunner() = default;

static Co<ExcId> returnsAtOnce()
{
    co_return None;
}

void AsyncioRunner::runUntilComplete(Co<ExcId> body, int label, Phase phase)
{
    m_phaseTask = Ref<Task>(Task::create(m_scheduler, std::move(body), label, None));
    m_phaseTask->addDoneCallback(&Stopper::callback, m_stopper.get());
    m_phase = phase;
}

bool AsyncioRunner::step()
{
    if (m_phase == Phase::Done)
        return false;
    if (m_scheduler.step())
        return true;
    return nextPhase();
}

void AsyncioRunner::runToEnd()
{
    // The scheduler's steps in a loop of their own: a run of a million callbacks pays for
    // this runner's phase switch only when run_forever returns.
    while (m_phase != Phase::Done) {
        while (m_scheduler.step()) { }
        if (!nextPhase())
            return;
    }
}

bool AsyncioRunner::nextPhase()
{
    // run_forever returned: stopped by a done callback, or nothing left to run at all.
    EventLog &log = m_scheduler.log();
    switch (m_phase) {
    case Phase::Main: {
        finishMain();
        std::vector<Ref<Task>> toCancel;
        for (Task *t : m_scheduler.liveTasks())
            toCancel.emplace_back(t);
        if (!toCancel.empty()) {
            for (const Ref<Task> &t : toCancel)
                t->cancel(CancelCause::Shutdown, None);
            m_shutdown = GatheringFuture::gather(m_scheduler, std::move(toCancel), true);
            m_shutdown->addDoneCallback(&Stopper::callback, m_stopper.get());
            m_phase = Phase::Shutdown;
            return true;
        }
        [[fallthrough]];
    }
    case Phase::Shutdown:
        // With every task finished, no generator can be open and nothing else can run: the
        // remaining shutdown steps are invisible, so they get no task lanes of their own.
        if (m_scheduler.liveTasks().empty())
            break;
        runUntilComplete(m_shutdownAsyncgens ? m_shutdownAsyncgens() : returnsAtOnce(),
                         log.internLabel(QStringLiteral("shutdown_asyncgens()")),
                         Phase::AsyncGenerators);
        return true;
    case Phase::AsyncGenerators:
        runUntilComplete(returnsAtOnce(),
                         log.internLabel(QStringLiteral("shutdown_default_executor()")),
                         Phase::Executor);
        return true;
    case Phase::Executor:
    case Phase::Done:
        break;
    }
    closePendingTasks();
    m_phase = Phase::Done;
    return false;
}

void AsyncioRunner::closePendingTasks()
{
    // The loop is closed; tasks nobody cancelled are still pending. When the program ends
    // their coroutines are closed: GeneratorExit at the await where each one waits.
    m_scheduler.close();
    std::vector<Ref<Task>> pending;
    for (Task *t : m_scheduler.liveTasks())
        pending.emplace_back(t);
    for (const Ref<Task> &t : pending) {
        if (m_closeTask)
            m_closeTask(t.get());
        else
            t->closeCoroutine();
    }
}

void AsyncioRunner::finishMain()
{
    if (!m_main->done()) {
        // Nothing runnable and main still waiting: asyncio would block forever. The format
        // cannot express this; report it rather than hang.
        m_outcome = PyErrors::create(m_scheduler, ExceptionTypes::RuntimeError,
                                     QStringLiteral("Event loop stopped before Future completed."),
                                     true, RaiseOrigin::Runtime);
        return;
    }
    // run_until_complete returns future.result(): the exception object itself, or for a
    // cancelled main the CancelledError it saved.
    if (m_main->cancelled())
        m_outcome = m_main->makeCancelledError();
    else
        m_outcome = m_main->exception();
}

} // namespace Lifeline
