// The `async with` protocols of both resource kinds, as Interpreter members: a class with
// __aenter__/__aexit__ (the spec's class shape), and an @asynccontextmanager generator driven by
// contextlib's _AsyncGeneratorContextManager (3.11.7), whose every branch is mirrored here.

#include "interpreter.h"

#include "awaiters.h"
#include "gatheringfuture.h"
#include "inlinewait.h"
#include "pyerrors.h"
#include "pythoncall.h"
#include "pythonexporter.h"

#include <algorithm>

namespace Lifeline {

LaneId Interpreter::newInstance(Task *task, int resource)
{
    const int ordinal = ++m_instanceCounts[size_t(resource)];
    const LaneId lane = m_tracker.createInstance(
        m_scheduler.time(), m_resourceLabels[size_t(resource)], task->lane(), resource, ordinal);
    // Grown by half at a time: a bit at a time, vector<bool>'s resize was a run's 1%.
    if (size_t(lane) >= m_connected.size())
        m_connected.resize(std::max(size_t(lane) + 1, m_connected.size() * 3 / 2 + 64), false);
    return lane;
}

LaneId Interpreter::newScopeInstance(Task *task, LaneGroups::Kind kind, const Step &step)
{
    const bool isTaskGroup = kind == LaneGroups::Kind::TaskGroup;
    int label;
    if (isTaskGroup) {
        if (m_taskGroupLabel == None)
            m_taskGroupLabel = m_log.internLabel(PythonCall::taskGroup());
        label = m_taskGroupLabel;
    } else {
        label = m_log.internLabel(PythonCall::timeout(step.duration));
    }
    const int group
        = isTaskGroup ? LaneGroups::taskGroup(*m_scenario) : LaneGroups::timeout(*m_scenario);
    const int ordinal = ++m_instanceCounts[m_scopeCounters[isTaskGroup ? 0 : 1]];
    const LaneId lane
        = m_tracker.createInstance(m_scheduler.time(), label, task->lane(), group, ordinal);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Acquiring, step.id);
    return lane;
}

ExcId Interpreter::scopeExited(LaneId lane, ExcId bodyExc, ExcId exitExc, quint32 stepId)
{
    // Released whatever __aexit__ did, a CancelledError raised in it included.
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Released, stepId);
    if (bodyExc == None)
        return exitExc;
    if (exitExc == None || exitExc == bodyExc) {
        hop(bodyExc, lane, HopAction::Propagated);
        return bodyExc;
    }
    hop(bodyExc, lane, HopAction::Replaced);
    return exitExc;
}

// --- class kind ----------------------------------------------------------------------------

// The frame of a class `async with` is alive for as long as its resource is held, a million
// times over in the largest runs: it keeps no local it can look up again.
const ResourceDef &Interpreter::resourceOf(const Step &step, quint32 item) const
{
    return m_scenario->resources[size_t(step.items[item].resource)];
}

// runClassWith's parts that need no frame. The task is the wait's: the one running.
LaneId Interpreter::classEnter(InlineWait &wait, const Step &step, quint32 item)
{
    // value = await mgr.__aenter__()
    Task *task = wait.task();
    const LaneId lane = newInstance(task, step.items[item].resource);
    const ResourceDef &res = resourceOf(step, item);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Acquiring, step.id);
    task->enterFrame();
    wait.phase(res.enter, res, nullptr, step.id);
    return lane;
}

ExcId Interpreter::classEntered(InlineWait &wait, const Step &step, quint32 item, LaneId lane,
                                ExcId enterExc)
{
    Task *task = wait.task();
    if (enterExc == None)
        m_connected[size_t(lane)] = true;
    const ExcId r = task->leaveFrame(enterExc);
    if (r != None) {
        // __aexit__ never runs for a failed __aenter__.
        m_tracker.transition(lane, m_scheduler.time(),
                             PyErrors::isCancelled(m_log, r) ? LifecycleState::Cancelled
                                                             : LifecycleState::FailedToAcquire,
                             step.id);
        return r;
    }
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Ready, step.id);
    task->locals()[size_t(step.items[item].slot)] = lane;
    return None;
}

void Interpreter::classExit(InlineWait &wait, const Step &step, quint32 item, LaneId lane,
                            ExcId bodyExc)
{
    // The with statement's handler: __aexit__ runs while the body's exception is being handled.
    if (bodyExc != None)
        wait.task()->pushHandled(bodyExc);
    wait.classExit(lane, resourceOf(step, item), bodyExc, step.id);
}

// Static, with the InlineWait as a parameter, so the frame keeps neither `this` nor the task:
// both are the running ones (InlineWait::interpreter(), task()). This one's body has a compound
// step, run in a frame of its own.
Co<ExcId> Interpreter::runClassWith(InlineWait wait, const Step &step, quint32 item,
                                    ExcId exceptVar)
{
    // GCC lays the frame out in declaration order: `r` goes next to `lane`, in one 8-byte word.
    const LaneId lane = wait.interpreter().classEnter(wait, step, item);
    ExcId r = co_await wait;
    r = wait.interpreter().classEntered(wait, step, item, lane, r);
    if (r != None)
        co_return r;
    // `r` is the body's exception from here on.
    r = co_await wait.interpreter().runWith(wait.task(), step, item + 1, exceptVar);
    wait.interpreter().classExit(wait, step, item, lane, r);
    co_return wait.interpreter().classWithEnd(lane, r, co_await wait, wait);
}

// The with statement whose body runs in this frame (bodyRunsInline(): the last item, plain
// steps), alive as long as its resource is held, a million times over in the largest runs. Its
// frame keeps its parameters and nothing else: the instance is in `wait` while __aenter__ runs
// and in the item's variable after it (a body of plain steps binds no name), and each outcome
// is the wait's result until the next operation starts.
Co<ExcId> Interpreter::runClassWithInlineBody(InlineWait wait, const Step &step, ExcId exceptVar)
{
    wait.interpreter().classEnterInline(wait, step);
    co_await wait;
    if (!wait.interpreter().classEnteredInline(wait, step))
        co_return wait.result();
    for (wait.bodyIndex() = 0; wait.bodyIndex() < step.body.size(); ++wait.bodyIndex()) {
        wait.interpreter().startBodyStep(wait, step.body[wait.bodyIndex()], exceptVar);
        co_await wait;
        if (wait.result() != None)
            break;
    }
    wait.interpreter().classExitInline(wait, step);
    co_await wait;
    co_return wait.interpreter().classWithEnd(wait.lane(), wait.propagating(), wait.result(), wait);
}

void Interpreter::classEnterInline(InlineWait &wait, const Step &step)
{
    wait.setLane(classEnter(wait, step, quint32(step.items.size() - 1)));
}

bool Interpreter::classEnteredInline(InlineWait &wait, const Step &step)
{
    const ExcId r
        = classEntered(wait, step, quint32(step.items.size() - 1), wait.lane(), wait.result());
    wait.setResult(r);
    return r == None;
}

void Interpreter::startBodyStep(InlineWait &wait, const Step &bodyStep, ExcId exceptVar)
{
    logStep(wait.task(), bodyStep);
    wait.step(bodyStep, exceptVar);
}

void Interpreter::classExitInline(InlineWait &wait, const Step &step)
{
    const quint32 item = quint32(step.items.size() - 1);
    const LaneId lane = wait.task()->locals()[size_t(step.items[item].slot)];
    classExit(wait, step, item, lane, wait.result());
}

// What the with statement does with __aexit__'s outcome (apart from runClassWith's frame, which
// then keeps no variable for it).
ExcId Interpreter::classWithEnd(LaneId lane, ExcId bodyExc, ExcId exitExc, const InlineWait &exit)
{
    if (bodyExc == None)
        return exitExc;
    InlineWait::task()->popHandled();
    if (exitExc != None) {
        hop(bodyExc, lane, HopAction::Replaced);
        return exitExc;
    }
    if (exit.suppressed()) {
        hop(bodyExc, lane, HopAction::Suppressed);
        return None;
    }
    hop(bodyExc, lane, HopAction::Propagated);
    return bodyExc;
}

// --- generator kind ------------------------------------------------------------------------

// The generator function's own code. Its lane's phases are contextlib's calls, recorded by
// runGeneratorWith: code the generator runs meanwhile (a `finally:` reached from the setup, the
// cleanup run by aclose() at shutdown) records only what it prints and raises.
AsyncGenerator Interpreter::generatorBody(const ResourceDef *res, quint32 stepId)
{
    // Runs inside whichever task resumes it; in this format that is always the task that
    // entered the `async with`.
    Task *task = m_scheduler.currentTask();
    const bool finallyCleanup = res->cleanup == ResourceDef::Cleanup::Finally;
    const bool hasExcept = res->suppress != ResourceDef::Suppress::Nothing;

    if (res->enter.print)
        print(task, *res->enter.print, &res->arg, nullptr, None, stepId);
    // enter.ms and enter.raise: inside the try for "finally", before it for "after_yield".
    ExcId exc = None;
    if (res->enter.ms >= 0)
        exc = co_await SleepAwaiter(task, qint32(res->enter.ms)); // at most 1e9
    if (exc == None && res->enter.raise)
        exc = raiseNew(task, *res->enter.raise);
    if (exc == None) {
        for (int i = 0; i < res->yields && exc == None; ++i) {
            exc = co_yield 0;
            // Whoever resumes the generator runs it: shutdown_asyncgens closes it in a task
            // of its own.
            task = m_scheduler.currentTask();
        }
    } else if (!finallyCleanup) {
        co_return exc;
    }

    // except (A, B): pass — swallows a matching exception thrown in (or raised by enter). The
    // suppression itself is contextlib's __aexit__ returning True (runGeneratorWith).
    if (exc != None && hasExcept) {
        const bool swallowed = res->suppress == ResourceDef::Suppress::Everything
            || matches(exc, res->suppressTypes);
        if (swallowed) {
            hop(exc, task->lane(), HopAction::Caught);
            exc = None;
        }
    }

    InlineWait wait;
    if (finallyCleanup) {
        if (exc != None)
            task->pushHandled(exc);
        wait.phase(res->exit, *res, nullptr, stepId);
        const ExcId cleanupExc = co_await wait;
        if (exc != None)
            task->popHandled();
        co_return cleanupExc != None ? cleanupExc : exc;
    }
    // after_yield: the cleanup is plain code, skipped by any exception still pending.
    if (exc != None)
        co_return exc;
    wait.phase(res->exit, *res, nullptr, stepId);
    co_return co_await wait;
}

Co<ExcId> Interpreter::runGeneratorWith(Task *task, const Step &step, quint32 item, ExcId exceptVar)
{
    const WithItem &wi = step.items[item];
    const ResourceDef &res = m_scenario->resources[size_t(wi.resource)];
    const LaneId lane = newInstance(task, wi.resource);
    AsyncGenerator gen = generatorBody(&res, step.id);
    // Registered as the loop's firstiter hook does, until this block's frame goes away.
    struct Registration
    {
        std::vector<AsyncGenerator *> &list;
        size_t index;
        ~Registration() { list[index] = nullptr; }
    } registration { m_generators, m_generators.size() };
    m_generators.push_back(&gen);

    // _AsyncGeneratorContextManager.__aenter__: return await anext(self.gen)
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Acquiring, step.id);
    task->enterFrame(); // contextlib's __aenter__
    task->enterFrame(); // the generator's own frame, resumed by anext()
    AsyncGenerator::Outcome first = co_await gen.resume(task);
    ExcId r = task->leaveFrame(first.yielded ? None : first.exception);
    if (!first.yielded && r == None) {
        // except StopAsyncIteration: raise RuntimeError("generator didn't yield") from None
        r = raiseRuntime(task, ExceptionTypes::RuntimeError,
                         QStringLiteral("generator didn't yield"));
        m_log.exception(r).context = None;
        m_log.exception(r).suppressContext = true;
    }
    r = task->leaveFrame(r);
    if (r != None) {
        // contextlib's __aexit__ never runs: whatever cleanup ran belongs to the acquiring.
        m_tracker.transition(lane, m_scheduler.time(),
                             PyErrors::isCancelled(m_log, r) ? LifecycleState::Cancelled
                                                             : LifecycleState::FailedToAcquire,
                             step.id);
        co_return r;
    }
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Ready, step.id);
    task->locals()[size_t(wi.slot)] = lane;

    // runClassWithInlineBody's loop again: a loop that awaits cannot be a function without a
    // frame.
    ExcId bodyExc = None;
    if (bodyRunsInline(step, item)) {
        InlineWait wait;
        for (wait.bodyIndex() = 0; wait.bodyIndex() < step.body.size() && bodyExc == None;
             ++wait.bodyIndex()) {
            logStep(task, step.body[wait.bodyIndex()]);
            wait.step(step.body[wait.bodyIndex()], exceptVar);
            bodyExc = co_await wait;
        }
    } else {
        bodyExc = co_await runWith(task, step, item + 1, exceptVar);
    }
    if (bodyExc != None)
        task->pushHandled(bodyExc);
    // contextlib's __aexit__ is called: released once it returns or raises.
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Releasing, step.id);
    task->enterFrame();
    ExitResult exit = co_await contextlibExit(task, gen, bodyExc);
    exit.exception = task->leaveFrame(exit.exception);
    // The exception thrown in at the yield came back out unchanged, and no code of the
    // generator's ran after the yield (no `finally:`, no matching `except`): the cleanup
    // written after the yield was skipped.
    const bool skipped = bodyExc != None && exit.exception == None && !exit.suppress
        && !PythonExporter::generatorHasFinally(res);
    m_tracker.transition(lane, m_scheduler.time(),
                         skipped ? LifecycleState::NeverReleased : LifecycleState::Released,
                         step.id);
    if (bodyExc == None)
        co_return exit.exception;
    task->popHandled();
    if (exit.exception != None) {
        hop(bodyExc, lane, HopAction::Replaced);
        co_return exit.exception;
    }
    if (exit.suppress) {
        hop(bodyExc, lane, HopAction::Suppressed);
        co_return None;
    }
    hop(bodyExc, lane, HopAction::Propagated);
    co_return bodyExc;
}

Co<Interpreter::ExitResult> Interpreter::contextlibExit(Task *task, AsyncGenerator &gen,
                                                        ExcId value)
{
    ExitResult result;
    AsyncGenerator::Outcome out;
    task->enterFrame();
    if (value == None)
        out = co_await gen.resume(task); // await anext(self.gen)
    else
        out = co_await gen.resume(task, value); // await self.gen.athrow(typ, value, tb)
    const ExcId genExc = task->leaveFrame(out.yielded ? None : out.exception);

    if (!out.yielded) {
        if (genExc == None) {
            // StopAsyncIteration: clean exit returns False; after athrow, `exc is not value`.
            result.suppress = value != None;
            co_return result;
        }
        // An exception from the generator: the one thrown in means "not handled" (return
        // False); any other one is re-raised as it is.
        if (genExc != value)
            result.exception = genExc;
        co_return result;
    }
    // The generator yielded again.
    const ExcId stop
        = raiseRuntime(task, ExceptionTypes::RuntimeError,
                       value == None ? QStringLiteral("generator didn't stop")
                                     : QStringLiteral("generator didn't stop after athrow()"));
    // finally: await self.gen.aclose()
    task->pushHandled(stop);
    const ExcId closeExc = co_await aclose(task, gen);
    task->popHandled();
    result.exception = closeExc != None ? closeExc : stop;
    co_return result;
}

Co<ExcId> Interpreter::acloseInTask(AsyncGenerator *gen)
{
    co_return co_await aclose(m_scheduler.currentTask(), *gen);
}

// A task still pending when the program ends is closed as garbage collection does it. One that
// waits inside an async generator (in __aenter__'s anext() or __aexit__'s athrow()) gets
// GeneratorExit where it awaits the generator, which is not resumed: its cleanup never runs.
void Interpreter::closeAtExit(Task *task)
{
    for (const AsyncGenerator *gen : m_generators) {
        if (gen && gen->isRunningIn(task)) {
            gen->closeDriver();
            return;
        }
    }
    task->closeCoroutine();
}

Co<ExcId> Interpreter::shutdownAsyncgens()
{
    Task *task = m_scheduler.currentTask();
    std::vector<Ref<Task>> closing;
    for (AsyncGenerator *gen : m_generators) {
        if (gen && gen->status() == AsyncGenerator::Status::Suspended)
            closing.emplace_back(Task::create(m_scheduler, acloseInTask(gen),
                                              m_log.internLabel(QStringLiteral("aclose()")),
                                              task->lane()));
    }
    if (closing.empty())
        co_return None;
    Ref<GatheringFuture> all = GatheringFuture::gather(m_scheduler, std::move(closing), true);
    co_return co_await FutureAwaiter(task, all.get());
}

Co<ExcId> Interpreter::aclose(Task *task, AsyncGenerator &gen)
{
    if (gen.status() != AsyncGenerator::Status::Suspended)
        co_return None;
    const ExcId exit = PyErrors::create(m_scheduler, ExceptionTypes::GeneratorExit, {}, false,
                                        RaiseOrigin::Runtime);
    task->enterFrame();
    AsyncGenerator::Outcome out = co_await gen.resume(task, exit);
    const ExcId r = task->leaveFrame(out.yielded ? None : out.exception);
    if (out.yielded)
        co_return raiseRuntime(task, ExceptionTypes::RuntimeError,
                               QStringLiteral("async generator ignored GeneratorExit"));
    if (r == None || r == exit)
        co_return None;
    co_return r;
}

} // namespace Lifeline
