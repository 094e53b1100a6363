// SPDX-License-Identifier: MIT
// Interpreter's `async with` of an @asynccontextmanager generator resource: contextlib's
// _AsyncGeneratorContextManager (CPython 3.11.7) with every branch mirrored, the generator
// function's own code, and the loop's shutdown_asyncgens() and garbage-collection close of the
// generators left open. (Why the class kind's frames are small: classwith.cpp.)

#include "interpreter.h"

#include "awaiters.h"
#include "gatheringfuture.h"
#include "inlinewait.h"
#include "pyerrors.h"

namespace Lifeline {

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
    if (res->enter.ms >= 0) {
        logSleep(task, qint32(res->enter.ms)); // at most 1e9
        exc = co_await SleepAwaiter(task, qint32(res->enter.ms));
    }
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
    const bool skipped
        = bodyExc != None && exit.exception == None && !exit.suppress && !res.yieldInTryFinally();
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
