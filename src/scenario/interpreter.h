// SPDX-License-Identifier: MIT
#pragma once
// Runs a validated Scenario on the core engine as the Python program it maps to, statement by
// statement as the exported Python does: every compound statement is a coroutine (a class
// resource's `async with`, contextlib's _AsyncGeneratorContextManager, the generator body, try
// statements), and what waits at most once (a phase, a class's __aexit__, execute, a sleep)
// runs in its statement's frame through an InlineWait. It owns the run's engine objects and
// fills the event log; it has no notion of real time or of Qt's event loop: a driver calls
// step(). (The implementation is split: interpreter.cpp runs steps, classwith.cpp and
// generatorwith.cpp the `async with` of each resource kind, instancelanes.cpp the lanes of
// instances and scopes, inlinewait.cpp the single waits.)

#include "asyncgenerator.h"
#include "asynciorunner.h"
#include "eventlog.h"
#include "inlinewait.h"
#include "lanegroups.h"
#include "resourcetracker.h"
#include "rundriver.h"
#include "scenario.h"
#include "scheduler.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace Lifeline {

// Final: a call through an Interpreter (its own, InlineWait's) binds directly, never virtually.
class Interpreter final : public RunDriver
{
    friend class InlineWait;

public:
    explicit Interpreter(std::shared_ptr<const Scenario> scenario);
    ~Interpreter() override;

    // Also records a StepBegan event per step, for views that follow the code.
    void setRecordSteps(bool on) override { m_recordSteps = on; }

    bool step() override; // one scheduler step; false once the run is over
    // The interpreter whose step() is running on this thread (InlineWait finds it here).
    static Interpreter &running()
    {
        Q_ASSERT(s_running);
        return *s_running;
    }
    void runToEnd() override;
    // Tears a run down in slices before it is destroyed: abandons live tasks (freeing their
    // frames), then frees the printed lines, for about `budgetNs`; true once destroying the
    // rest is cheap. Lets a GUI free a run of a quarter of a million tasks without holding a
    // frame. The run cannot go on afterwards.
    bool releaseSome(qint64 budgetNs) override;
    bool isFinished() const override { return m_finished; }
    ExcId outcome() const override { return m_runner ? m_runner->outcome() : None; }

    const Scenario &scenario() const { return *m_scenario; }
    EventLog &log() override { return m_log; }
    const EventLog &log() const override { return m_log; }
    Scheduler &scheduler() override { return m_scheduler; }
    ResourceTracker &resources() override { return m_tracker; }

private:
    // Per thread, as asyncio keeps the running loop: interpreter code runs only inside a step().
    // constinit: no dynamic initialization, so an access is one thread-pointer load.
    static inline thread_local constinit Interpreter *s_running = nullptr;
    struct RunningScope;
    // The run is over: instances never released are marked so (ResourceTracker::finish()).
    void finishRun();
    struct ExitResult
    {
        ExcId exception = None; // what __aexit__ raised
        bool suppress = false;
    };

    Co<ExcId> runMain();
    void startFunction(Task *task, const TaskDef &def);
    Co<ExcId> runBlock(Task *task, const Block &block, ExcId exceptVar);
    Co<ExcId> runSteps(Task *task, const Block &block, ExcId exceptVar);
    Co<ExcId> runCompound(Task *task, const Step &step, ExcId exceptVar);
    ExcId runInstant(Task *task, const Step &step, ExcId exceptVar);
    Co<ExcId> runWith(Task *task, const Step &step, quint32 item, ExcId exceptVar);
    Co<ExcId> runTry(Task *task, const Step &step, ExcId exceptVar);
    Co<ExcId> runTimeout(Task *task, const Step &step, ExcId exceptVar);
    Co<ExcId> runGather(Task *task, const Step &step);
    Co<ExcId> runTaskGroup(Task *task, const Step &step);
    // execute's checks before its frame: an unbound variable, a resource with no `execute`.
    ExcId executeChecks(Task *task, const Step &step);
    Ref<Task> startTask(const TaskDef &def, Task *creator);

    // classwith.cpp
    static Co<ExcId> runClassWith(InlineWait wait, const Step &step, quint32 item, ExcId exceptVar);
    static Co<ExcId> runClassWithInlineBody(InlineWait wait, const Step &step, ExcId exceptVar);
    void classEnterInline(InlineWait &wait, const Step &step);
    bool classEnteredInline(InlineWait &wait, const Step &step);
    void startBodyStep(InlineWait &wait, const Step &bodyStep, ExcId exceptVar);
    void classExitInline(InlineWait &wait, const Step &step);
    const ResourceDef &resourceOf(const Step &step, quint32 item) const;
    LaneId classEnter(InlineWait &wait, const Step &step, quint32 item);
    ExcId classEntered(InlineWait &wait, const Step &step, quint32 item, LaneId lane,
                       ExcId enterExc);
    void classExit(InlineWait &wait, const Step &step, quint32 item, LaneId lane, ExcId bodyExc);
    ExcId classWithEnd(LaneId lane, ExcId bodyExc, ExcId exitExc, const InlineWait &exit);

    // instancelanes.cpp
    LaneId newInstance(Task *task, int resource);
    // A TaskGroup or timeout lane (LaneGroups), its `acquire` recorded.
    LaneId newScopeInstance(Task *task, LaneGroups::Kind kind, const Step &step);
    // After a TaskGroup's or timeout's __aexit__: its end state, and the hop of what the body
    // raised at the scope's lane. Returns what leaves the `async with`.
    ExcId scopeExited(LaneId lane, ExcId bodyExc, ExcId exitExc, quint32 stepId);

    // generatorwith.cpp
    Co<ExcId> runGeneratorWith(Task *task, const Step &step, quint32 item, ExcId exceptVar);
    Co<ExitResult> contextlibExit(Task *task, AsyncGenerator &gen, ExcId value);
    Co<ExcId> aclose(Task *task, AsyncGenerator &gen);
    AsyncGenerator generatorBody(const ResourceDef *res, quint32 stepId);
    // loop.shutdown_asyncgens(): aclose() every generator still open, each in a task of its own.
    Co<ExcId> shutdownAsyncgens();
    void closeAtExit(Task *task);
    Co<ExcId> acloseInTask(AsyncGenerator *gen);

    // What asyncio.get_running_loop() raises once the loop is closed (create_task, timeout, ...).
    ExcId noRunningLoop(Task *task);
    QString pythonClassName(int resource);
    void hop(ExcId exc, LaneId lane, HopAction action);
    // `T awaits sleep(D)` as the program calls asyncio.sleep(); nothing for a delay of 0 (a bare
    // yield) or once the loop is closed (no task runs then: the tracer sees none).
    void logSleep(Task *task, qint32 ms);
    void logStep(Task *task, const Step &step);
    // Whether the body of a with statement whose `item` is being entered runs in that item's
    // frame, through its InlineWait, instead of a frame of its own: for the last item, when
    // every step of the body waits at most once.
    static bool bodyRunsInline(const Step &step, quint32 item);

    // Helpers shared by the files.
    // Logs the template's text, formatted once per distinct (template, arg, query) when it
    // does not name the exception (for the first MaxPrintTexts such keys).
    void print(Task *task, const Template &t, const QString *arg, const QString *query,
               ExcId exceptVar, quint32 stepId);
    QString format(const Template &t, const QString *arg, const QString *query,
                   ExcId exceptVar) const;
    ExcId raiseNew(Task *task, const ExceptionSpec &spec, RaiseOrigin origin = RaiseOrigin::Raise);
    ExcId raiseRuntime(Task *task, int type, const QString &message,
                       RaiseOrigin origin = RaiseOrigin::Runtime);
    bool matches(ExcId exc, const std::vector<int> &types) const;

    std::shared_ptr<const Scenario> m_scenario;
    // Generators of `async with` blocks still in progress, in first-iteration order (the loop's
    // _asyncgens); an entry is nulled when its block's frame goes away. Declared before the
    // scheduler so it outlives every frame the scheduler's queues may still own.
    std::vector<AsyncGenerator *> m_generators;
    EventLog m_log;
    Scheduler m_scheduler;
    ResourceTracker m_tracker;
    std::unique_ptr<AsyncioRunner> m_runner;
    std::vector<int> m_resourceLabels; // per resource: interned `Name('arg')` or `Name()`
    std::vector<QString> m_resourceNames; // per resource: the exported class or function name
    // Instances so far: per resource, then the TaskGroups' and the timeouts' (#N counts by
    // the name the program calls, so a resource the program names `TaskGroup` or `timeout`
    // shares the count with those scopes: m_scopeCounters).
    std::vector<int> m_instanceCounts;
    size_t m_scopeCounters[2] = {};
    int m_taskGroupLabel = None;
    // `sleep(D)` labels by milliseconds: a scenario sleeps a handful of distinct delays, a
    // million times over.
    QHash<qint32, int> m_sleepLabels;
    int m_gatherCount = 0; // gather() calls so far: `gather #N`
    std::vector<bool> m_connected; // per lane: a class instance's `self.connected`
    std::vector<Ref<Task>> m_spawned; // spawned tasks: a reference is kept
    std::vector<Ref<Task>> m_releasing; // releaseSome()'s tasks still to abandon, last first
    bool m_releaseStarted = false;
    // Print text ids by (template, arg, query text): a million instances print a handful of
    // distinct lines, and logging each by id saves the formatting and the memory. The query is
    // keyed by its characters' address: the loader shares equal queries' buffers, and a
    // scenario's strings never change.
    struct PrintKey
    {
        const void *text, *arg, *query;
        bool operator==(const PrintKey &o) const
        {
            return text == o.text && arg == o.arg && query == o.query;
        }
    };
    struct PrintKeyHash
    {
        size_t operator()(const PrintKey &k) const
        {
            // Pointers share their low zero bits and mostly their high ones: mix them.
            quint64 h = quint64(quintptr(k.text));
            h = (h ^ quint64(quintptr(k.arg))) * 0x9E3779B97F4A7C15ull;
            h = (h ^ quint64(quintptr(k.query))) * 0xC2B2AE3D27D4EB4Full;
            return size_t(h ^ (h >> 29));
        }
    };
    std::unordered_map<PrintKey, quint32, PrintKeyHash> m_printTexts;
    static constexpr size_t MaxPrintTexts = 4096;
    // In front of it, the last key seen in each of a few slots: the map's prime-modulo lookup
    // was most of a print's cost, and a run repeats a handful of keys.
    struct RecentPrint
    {
        PrintKey key { nullptr, nullptr, nullptr };
        quint32 text = 0;
    };
    static constexpr size_t RecentPrintSlots = 64;
    RecentPrint m_recentPrints[RecentPrintSlots];
    bool m_recordSteps = false;
    bool m_finished = false;
};

inline Task *InlineWait::task()
{
    return Interpreter::running().m_scheduler.currentTask();
}

inline Interpreter &InlineWait::interpreter()
{
    return Interpreter::running();
}

} // namespace Lifeline
