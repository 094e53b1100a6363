// SPDX-License-Identifier: MIT
#pragma once
// Where an interpreter coroutine keeps the state of an operation that waits at most once (a
// phase, a step that is not a compound statement, a class's __aexit__), so awaiting it costs no
// coroutine frame of its own: the operation runs up to its sleep when it is started, and the rest
// when the sleep is over. A frame holds one InlineWait, starts an operation on it and awaits the
// InlineWait itself (`wait.step(s); r = co_await wait;`), at any number of places. Awaiting a
// plain variable costs GCC about 4 bytes of frame; an awaiter temporary gets a slot of its own at
// every co_await (16 bytes even for one holding a pointer), and any other lvalue is copied.

#include "awaiters.h"
#include "scenario.h"

namespace Lifeline {

class Interpreter;

class InlineWait
{
public:
    InlineWait()
        : m_sleep(-1)
    {
    }
    // Only before any operation starts: a coroutine may take its InlineWait as a parameter.
    InlineWait(InlineWait &&other) noexcept
        : m_sleep(-1)
    {
        Q_ASSERT(other.m_op == Op::Done && !other.m_sleeps);
    }
    InlineWait(const InlineWait &) = delete;
    InlineWait &operator=(const InlineWait &) = delete;

    // The interpreter whose step() runs the operation, and the task it is stepping: this
    // object, kept in a million frames at once, holds neither. Defined in interpreter.h.
    static Interpreter &interpreter();
    static Task *task();

    // Awaiting the started operation; its result is the exception it ends with, or None.
    bool await_ready() { return !m_sleeps || m_sleep.ready(task()); }
    void await_suspend(std::coroutine_handle<> h) { m_sleep.suspend(task(), h); }
    ExcId await_resume() { return m_result = finish(); }

    // Each of these starts an operation, to be awaited next.
    // {"print", "ms", "raise"} of a resource: print, sleep, raise.
    void phase(const PhaseSpec &phase, const ResourceDef &res, const QString *query,
               quint32 stepId);
    // A step that is not a compound statement (Interpreter::isCompound()): print, raise,
    // reraise, spawn, sleep, or `await db.execute(...)` with its frame and lifecycle changes.
    void step(const Step &step, ExcId exceptVar);
    // `await mgr.__aexit__(...)` of a class resource while `exc` (or nothing) propagates; its
    // result is what __aexit__ raised, and suppressed() whether it returned True.
    void classExit(LaneId lane, const ResourceDef &res, ExcId exc, quint32 stepId);
    bool suppressed() const { return m_suppress; }

    // For a frame that keeps no variables of its own (Interpreter::runClassWithInlineBody()):
    // what the last operation ended with, kept once it is awaited until the next one starts;
    // a lane kept across an operation that needs none (a phase), or a ClassExit's; and the
    // exception a ClassExit was given.
    ExcId result() const { return m_result; }
    void setResult(ExcId result) { m_result = result; }
    LaneId lane() const { return m_lane; }
    void setLane(LaneId lane) { m_lane = lane; }
    ExcId propagating() const { return m_exc; }

    // A statement that runs a body's steps through this wait keeps its place here, where it
    // costs no slot of the frame (Interpreter::bodyRunsInline() allows at most MaxBodySteps).
    quint16 &bodyIndex() { return m_bodyIndex; }
    static constexpr size_t MaxBodySteps = 0xffff;

private:
    enum class Op : quint8 { Done, Sleep, Phase, Execute, ClassExit };

    void start(Op op, qint32 ms);
    // A phase up to its sleep: prints, and says how long it sleeps (-1: not at all).
    // msOverride >= 0 and raiseOverride replace the phase's own (execute's `ms` and `fail`).
    qint32 beginPhase(const PhaseSpec &phase, const ResourceDef &res, const QString *query,
                      quint32 stepId, qint32 msOverride, const ExceptionSpec *raiseOverride);
    ExcId finish();
    ExcId finishExecute(ExcId slept);
    ExcId finishClassExit(ExcId slept);
    // Ordered to leave no gaps (40 bytes): a frame keeps this while its task sleeps.
    [[no_unique_address]] SleepTimer m_sleep; // m_result goes in its padding
    ExcId m_result = None; // Done: known without waiting; and each result once awaited
    union
    {
        const ExceptionSpec *m_raise = nullptr; // Phase, Execute
        const ResourceDef *m_res; // ClassExit
    };
    LaneId m_lane = None; // Execute, ClassExit
    ExcId m_exc = None; // ClassExit: what propagates through the with statement
    quint32 m_stepId = 0;
    Op m_op : 6 = Op::Done;
    bool m_sleeps : 1 = false;
    bool m_suppress : 1 = false;
    quint16 m_bodyIndex = 0;
};

static_assert(sizeof(void *) != 8 || sizeof(InlineWait) <= 40);

} // namespace Lifeline
