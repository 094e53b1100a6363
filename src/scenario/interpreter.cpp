// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: a block's statements run as the exported program runs them (each
// step kind, try, gather, TaskGroup, timeout, tasks, prints and raises), sharing the
// interpreter's frames and log; the `async with` protocols are classwith.cpp and
// generatorwith.cpp, the single waits inlinewait.cpp.
#include "interpreter.h"

#include "awaiters.h"
#include "gatheringfuture.h"
#include "inlinewait.h"
#include "pyerrors.h"
#include "pythoncall.h"
#include "pythonliteral.h"
#include "pythonnameplan.h"
#include "taskgroup.h"
#include "timeout.h"

#include <QElapsedTimer>
#include <algorithm>

namespace Lifeline {

namespace {
// Creating this many tasks takes ~25 us; between such batches a gather or TaskGroup of a
// quarter of a million tasks checks whether the host's slice is spent (HostYield).
constexpr size_t HostYieldEvery = 256;
} // namespace

Interpreter::Interpreter(std::shared_ptr<const Scenario> scenario)
    : m_scenario(std::move(scenario))
    , m_log(m_scenario->types)
    , m_scheduler(m_log)
    , m_tracker(m_log)
{
    // Lanes are named after the exported program's calls (the tracer records those), renames
    // included: `db_('x') #1`, `main_()` (the lane rule of docs/events.md, "Lanes").
    PythonNamePlan::LaneNames names = PythonNamePlan::laneNames(*m_scenario);
    m_resourceNames = std::move(names.resources);
    // Instances so far: resources, then TaskGroups and timeouts (LaneGroups).
    m_instanceCounts.assign(m_scenario->resources.size() + 2, 0);
    m_scopeCounters[0] = size_t(LaneGroups::taskGroup(*m_scenario));
    m_scopeCounters[1] = size_t(LaneGroups::timeout(*m_scenario));
    for (size_t r = 0; r < m_resourceNames.size(); ++r) {
        const QString &name = m_resourceNames[r];
        m_resourceLabels.push_back(
            m_log.internLabel(PythonCall::resourceLabel(name, m_scenario->resources[r].arg)));
        // The tracer counts instances by the name called: a class the program names
        // `TaskGroup` or `timeout` counts with those scopes.
        if (name == u"TaskGroup")
            m_scopeCounters[0] = r;
        else if (name == u"timeout")
            m_scopeCounters[1] = r;
    }
    m_runner = std::make_unique<AsyncioRunner>(
        m_scheduler, runMain(), m_log.internLabel(names.mainFunction + QStringLiteral("()")),
        [this] { return shutdownAsyncgens(); }, [this](Task *task) { closeAtExit(task); });
}

Interpreter::~Interpreter()
{
    // Tasks still suspended hold coroutine frames that reference this interpreter: drop the
    // runner (and with it the main task) before the members those frames point into.
    // A run stopped half way still has tasks whose frames, futures and callbacks own each other
    // (a gather and its children, a task and the future it waits on): cut those links and free
    // the frames now, while everything they point into is alive.
    std::vector<Ref<Task>> live;
    for (Task *t : m_scheduler.liveTasks())
        live.emplace_back(t);
    for (const Ref<Task> &t : live)
        t->abandon();
    live.clear();
    m_spawned.clear();
    m_runner.reset();
    m_scheduler.close();
}

// Makes this the running interpreter for the call, then puts back the one before.
struct Interpreter::RunningScope
{
    explicit RunningScope(Interpreter *in)
        : previous(std::exchange(s_running, in))
    {
    }
    ~RunningScope() { s_running = previous; }
    Interpreter *const previous;
};

bool Interpreter::step()
{
    if (m_finished)
        return false;
    if (RunningScope running(this); m_runner->step())
        return true;
    finishRun();
    return false;
}

void Interpreter::runToEnd()
{
    if (m_finished)
        return;
    {
        RunningScope running(this);
        m_runner->runToEnd();
    }
    finishRun();
}

void Interpreter::finishRun()
{
    m_tracker.finish(m_scheduler.time());
    m_finished = true;
}

bool Interpreter::releaseSome(qint64 budgetNs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    if (!m_releaseStarted) {
        m_releaseStarted = true;
        for (Task *t : m_scheduler.liveTasks())
            m_releasing.emplace_back(t);
        std::reverse(m_releasing.begin(), m_releasing.end()); // abandoned in creation order
    }
    while (!m_releasing.empty()) {
        for (int i = 0; i < 64 && !m_releasing.empty(); ++i) {
            m_releasing.back()->abandon();
            m_releasing.pop_back();
        }
        if (elapsed.nsecsElapsed() > budgetNs)
            return false;
    }
    m_printTexts = {};
    // Then the printed lines, the one part of the log freed an object at a time.
    while (m_log.releasePrints(4096) > 0)
        if (elapsed.nsecsElapsed() > budgetNs)
            return false;
    return true;
}

// --- helpers -------------------------------------------------------------------------------

void Interpreter::print(Task *task, const Template &t, const QString *arg, const QString *query,
                        ExcId exceptVar, quint32 stepId)
{
    auto namesException = [&t] {
        return std::any_of(t.begin(), t.end(), [](const TemplatePart &p) {
            return p.kind == TemplatePart::Kind::Exc || p.kind == TemplatePart::Kind::ExcType;
        });
    };
    quint32 textId;
    if (exceptVar != None && namesException()) {
        textId = m_log.addPrintText(format(t, arg, query, exceptVar));
    } else {
        const PrintKey key { &t, arg, query ? query->constData() : nullptr };
        RecentPrint &recent = m_recentPrints[PrintKeyHash()(key) % RecentPrintSlots];
        if (!(recent.key == key)) {
            auto it = m_printTexts.find(key);
            if (it == m_printTexts.end()) {
                const quint32 id = m_log.addPrintText(format(t, arg, query, None));
                // Keys that never repeat (a query per task, a print step run once) would grow
                // the map without end: past the cap a new text is logged but not remembered.
                if (m_printTexts.size() < MaxPrintTexts)
                    it = m_printTexts.emplace(key, id).first;
                recent = { key, id };
            } else {
                recent = { key, it->second };
            }
        }
        textId = recent.text;
    }
    const int index = m_log.addPrint(textId, stepId);
    m_log.append(m_scheduler.time(), EventKind::Printed, quint32(task->lane()), quint32(index));
}

QString Interpreter::format(const Template &t, const QString *arg, const QString *query,
                            ExcId exceptVar) const
{
    QString out;
    for (const TemplatePart &part : t) {
        switch (part.kind) {
        case TemplatePart::Kind::Text:
            out += part.text;
            break;
        case TemplatePart::Kind::Arg:
            if (arg)
                out += *arg;
            break;
        case TemplatePart::Kind::Query:
            if (query)
                out += *query;
            break;
        case TemplatePart::Kind::Exc:
            if (exceptVar != None)
                out += m_log.str(exceptVar);
            break;
        case TemplatePart::Kind::ExcType:
            if (exceptVar != None)
                out += m_log.types().name(m_log.exception(exceptVar).type);
            break;
        }
    }
    return out;
}

ExcId Interpreter::raiseNew(Task *task, const ExceptionSpec &spec, RaiseOrigin origin)
{
    const ExcId e = PyErrors::create(m_scheduler, spec.type, spec.message, spec.hasMessage, origin);
    return task->raise(e);
}

ExcId Interpreter::raiseRuntime(Task *task, int type, const QString &message, RaiseOrigin origin)
{
    const ExcId e = PyErrors::create(m_scheduler, type, message, true, origin);
    return task->raise(e);
}

bool Interpreter::matches(ExcId exc, const std::vector<int> &types) const
{
    for (int type : types) {
        if (PyErrors::isInstance(m_log, exc, type))
            return true;
    }
    return false;
}

void Interpreter::hop(ExcId exc, LaneId lane, HopAction action)
{
    m_log.append(m_scheduler.time(), EventKind::ExceptionHop, quint32(exc), quint32(lane),
                 quint8(action));
}

// --- functions and blocks ------------------------------------------------------------------

Co<ExcId> Interpreter::runMain()
{
    // The main task is known once the coroutine first runs: inside that task's first step.
    Task *task = m_scheduler.currentTask();
    task->locals().resize(m_scenario->mainSlotCount, None);
    co_return co_await runBlock(task, m_scenario->main, None);
}

// Any other function's body is its task's coroutine itself: the task holds the locals.
void Interpreter::startFunction(Task *task, const TaskDef &def)
{
    task->locals().resize(def.slotCount, None);
    task->setBody(runBlock(task, def.body, None));
}

// A compound step runs as a coroutine of its own; any other waits at most once and runs in the
// frame of the block it is in (InlineWait).
static bool isCompound(StepKind kind)
{
    switch (kind) {
    case StepKind::With:
    case StepKind::Try:
    case StepKind::Timeout:
    case StepKind::Gather:
    case StepKind::TaskGroup:
        return true;
    default:
        return false;
    }
}

// Not a coroutine: a block that is one compound step (a task body that is one `with`, say) is
// that step's coroutine, saving a frame per task; any other block loops in runSteps.
Co<ExcId> Interpreter::runBlock(Task *task, const Block &block, ExcId exceptVar)
{
    if (block.size() == 1 && !m_recordSteps && isCompound(block.front().kind))
        return runCompound(task, block.front(), exceptVar);
    return runSteps(task, block, exceptVar);
}

Co<ExcId> Interpreter::runSteps(Task *task, const Block &block, ExcId exceptVar)
{
    // One await site for each kind of step keeps this frame small: it is alive in every task, a
    // million times over in the largest runs.
    InlineWait wait;
    for (const Step &step : block) {
        logStep(task, step);
        ExcId r;
        if (isCompound(step.kind)) {
            r = co_await runCompound(task, step, exceptVar);
        } else {
            wait.step(step, exceptVar);
            r = co_await wait;
        }
        if (r != None)
            co_return r;
    }
    co_return None;
}

bool Interpreter::bodyRunsInline(const Step &step, quint32 item)
{
    return item + 1 == step.items.size() && step.body.size() <= InlineWait::MaxBodySteps
        && std::none_of(step.body.begin(), step.body.end(),
                        [](const Step &s) { return isCompound(s.kind); });
}

void Interpreter::logSleep(Task *task, qint32 ms)
{
    if (ms <= 0 || m_scheduler.isClosed())
        return;
    auto it = m_sleepLabels.constFind(ms);
    if (it == m_sleepLabels.cend()) {
        // The delay as the exported program writes it, which is its repr(): `sleep(0.1)`.
        it = m_sleepLabels.insert(
            ms, m_log.internLabel(QStringLiteral("sleep(%1)").arg(PythonLiteral::seconds(ms))));
    }
    m_log.append(m_scheduler.time(), EventKind::TaskAwaits, quint32(task->lane()), quint32(*it),
                 quint8(WaitKind::Sleep));
}

void Interpreter::logStep(Task *task, const Step &step)
{
    if (m_recordSteps)
        m_log.append(m_scheduler.time(), EventKind::StepBegan, quint32(task->lane()), step.id);
}

// print, raise, reraise, spawn: the steps that never wait.
ExcId Interpreter::runInstant(Task *task, const Step &step, ExcId exceptVar)
{
    ExcId r = None;
    switch (step.kind) {
    case StepKind::Print:
        print(task, step.text, nullptr, nullptr, exceptVar, step.id);
        break;
    case StepKind::Raise:
        r = raiseNew(task, *step.exception());
        break;
    case StepKind::Reraise:
        // A bare raise re-raises the handled exception as it is: no new chaining.
        r = task->topHandled();
        if (r != None)
            m_log.append(m_scheduler.time(), EventKind::ExceptionRaised, quint32(r),
                         quint32(task->lane()), quint8(RaiseOrigin::Reraise));
        else
            r = raiseRuntime(task, ExceptionTypes::RuntimeError,
                             QStringLiteral("No active exception to reraise"));
        break;
    case StepKind::Spawn:
        if (m_scheduler.isClosed())
            r = noRunningLoop(task);
        else
            m_spawned.push_back(startTask(step.tasks.front(), task));
        break;
    default:
        break; // InlineWait sleeps and executes, runSteps awaits compound steps
    }
    return r;
}

// Not a coroutine: it hands back the step's own coroutine.
Co<ExcId> Interpreter::runCompound(Task *task, const Step &step, ExcId exceptVar)
{
    switch (step.kind) {
    case StepKind::With:
        return runWith(task, step, 0, exceptVar);
    case StepKind::Try:
        return runTry(task, step, exceptVar);
    case StepKind::Timeout:
        return runTimeout(task, step, exceptVar);
    case StepKind::Gather:
        return runGather(task, step);
    default:
        return runTaskGroup(task, step);
    }
}

// Not a coroutine: it hands back the next one, so a `with` costs no frame of its own.
Co<ExcId> Interpreter::runWith(Task *task, const Step &step, quint32 item, ExcId exceptVar)
{
    if (item == step.items.size())
        return runBlock(task, step.body, exceptVar);
    const ResourceDef &res = m_scenario->resources[size_t(step.items[item].resource)];
    if (res.kind == ResourceDef::Kind::Class) {
        return bodyRunsInline(step, item) ? runClassWithInlineBody(InlineWait(), step, exceptVar)
                                          : runClassWith(InlineWait(), step, item, exceptVar);
    }
    return runGeneratorWith(task, step, item, exceptVar);
}

Co<ExcId> Interpreter::runTry(Task *task, const Step &step, ExcId exceptVar)
{
    ExcId pending = co_await runBlock(task, step.body, exceptVar);
    if (pending != None) {
        for (const Handler &h : step.handlers()) {
            if (!matches(pending, h.types))
                continue;
            hop(pending, task->lane(), HopAction::Caught);
            task->pushHandled(pending);
            const ExcId caught = pending;
            pending = co_await runBlock(task, h.body, caught);
            task->popHandled();
            // Another exception left the except body (a bare raise re-raises the same one).
            if (pending != None && pending != caught)
                hop(caught, task->lane(), HopAction::Replaced);
            break;
        }
    } else if (step.hasElse) {
        pending = co_await runBlock(task, step.elseBody(), exceptVar);
    }
    if (!step.hasFinally)
        co_return pending;
    if (pending == None)
        co_return co_await runBlock(task, step.finallyBody(), exceptVar);
    // The finally body runs while the pending exception is being handled; an exception it
    // raises replaces the pending one (and has it as context).
    task->pushHandled(pending);
    const ExcId replaced = co_await runBlock(task, step.finallyBody(), exceptVar);
    task->popHandled();
    if (replaced == None)
        co_return pending;
    if (replaced != pending) // a bare raise in it re-raises the pending one
        hop(pending, task->lane(), HopAction::Replaced);
    co_return replaced;
}

Co<ExcId> Interpreter::runTimeout(Task *task, const Step &step, ExcId exceptVar)
{
    if (m_scheduler.isClosed())
        co_return noRunningLoop(task); // asyncio.timeout() asks for the running loop
    Ref<Timeout> timeout(new Timeout(m_scheduler, m_scheduler.time() + step.duration));
    // __aenter__ never waits: acquired and ready at once.
    const LaneId lane = newScopeInstance(task, LaneGroups::Kind::Timeout, step);
    timeout->enter(task, lane);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Ready, step.id);
    const ExcId bodyExc = co_await runBlock(task, step.body, exceptVar);
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Releasing, step.id);
    if (bodyExc == None)
        co_return scopeExited(lane, None, timeout->exit(None), step.id);
    task->pushHandled(bodyExc);
    const ExcId raised = timeout->exit(bodyExc);
    task->popHandled();
    co_return scopeExited(lane, bodyExc, raised, step.id);
}

static void cancelTaskCallback(RefCounted *task, RefCounted *, qint32)
{
    static_cast<Task *>(task)->cancel(CancelCause::Call, None); // a loop callback: no task
}

QString Interpreter::pythonClassName(int resource)
{
    // The exported program may rename a class to avoid a collision, and CPython's message
    // names the class it has.
    return m_resourceNames[size_t(resource)];
}

ExcId Interpreter::noRunningLoop(Task *task)
{
    return raiseRuntime(task, ExceptionTypes::RuntimeError,
                        QStringLiteral("no running event loop"));
}

Ref<Task> Interpreter::startTask(const TaskDef &def, Task *creator)
{
    Ref<Task> t(Task::create(m_scheduler, {}, m_log.addBorrowedLabel(&def.name), creator->lane()));
    startFunction(t.get(), def);
    if (def.cancelAfter >= 0)
        m_scheduler.callLater(def.cancelAfter, &cancelTaskCallback, t.get());
    return t;
}

Co<ExcId> Interpreter::runGather(Task *task, const Step &step)
{
    if (m_scheduler.isClosed())
        co_return noRunningLoop(task); // the first asyncio.create_task() fails
    std::vector<Ref<Task>> children;
    children.reserve(step.tasks.size());
    for (const TaskDef &def : step.tasks) {
        children.push_back(startTask(def, task));
        if (children.size() % HostYieldEvery == 0)
            co_await HostYield(task);
    }
    // gather() is called: each child joins it, then the task blocks on what it returned.
    // Both loops give the host its turns too (a quarter of a million children: ~10 ms).
    const int label = m_log.internLabel(QStringLiteral("gather #%1").arg(++m_gatherCount));
    for (size_t i = 0; i < children.size(); ++i) {
        m_log.append(m_scheduler.time(), EventKind::TaskJoined, quint32(children[i]->lane()),
                     quint32(label), quint8(JoinKind::Gather));
        if ((i + 1) % HostYieldEvery == 0)
            co_await HostYield(task);
    }
    Ref<GatheringFuture> outer
        = GatheringFuture::unwatched(m_scheduler, std::move(children), step.returnExceptions);
    for (size_t i = 0; i < outer->childCount(); ++i) {
        outer->watchChild(i);
        if ((i + 1) % HostYieldEvery == 0)
            co_await HostYield(task);
    }
    if (!outer->done())
        m_log.append(m_scheduler.time(), EventKind::TaskAwaits, quint32(task->lane()),
                     quint32(label), quint8(WaitKind::Gather));
    const ExcId r = co_await FutureAwaiter(task, outer.get());
    // The gather delivered its exception: it crosses into this task, or, when the gather made
    // that CancelledError itself, is raised here, in the task it enters. A cancellation thrown
    // in at the await instead (the gather already done) is this task's own, raised by the step.
    if (r != None && r == outer->exception()) {
        if (outer->madeItsException())
            m_log.append(m_scheduler.time(), EventKind::ExceptionRaised, quint32(r),
                         quint32(task->lane()), quint8(RaiseOrigin::Cancel));
        else
            hop(r, task->lane(), HopAction::Propagated);
    }
    co_return r;
}

Co<ExcId> Interpreter::runTaskGroup(Task *task, const Step &step)
{
    const LaneId lane = newScopeInstance(task, LaneGroups::Kind::TaskGroup, step);
    if (m_scheduler.isClosed()) {
        // TaskGroup.__aenter__ asks for the running loop.
        const ExcId r = noRunningLoop(task);
        m_tracker.transition(lane, m_scheduler.time(), LifecycleState::FailedToAcquire, step.id);
        co_return r;
    }
    Ref<TaskGroup> group(new TaskGroup(m_scheduler, task, lane));
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Ready, step.id);
    size_t created = 0;
    for (const TaskDef &def : step.tasks) {
        Ref<Task> t = group->createTask({}, m_log.addBorrowedLabel(&def.name));
        startFunction(t.get(), def);
        if (def.cancelAfter >= 0)
            m_scheduler.callLater(def.cancelAfter, &cancelTaskCallback, t.get());
        if (++created % HostYieldEvery == 0)
            co_await HostYield(task);
    }
    // The body (the create_task calls) is done: __aexit__ waits for the tasks.
    m_tracker.transition(lane, m_scheduler.time(), LifecycleState::Releasing, step.id);
    task->enterFrame();
    const ExcId r = task->leaveFrame(co_await group->exit(None));
    co_return scopeExited(lane, None, r, step.id);
}

ExcId Interpreter::executeChecks(Task *task, const Step &step)
{
    const qint32 lane = task->locals()[size_t(step.slot)];
    if (lane == None) {
        return raiseRuntime(task, ExceptionTypes::UnboundLocalError,
                            QStringLiteral("cannot access local variable '%1' where it is not "
                                           "associated with a value")
                                .arg(step.variable()));
    }
    const int resIndex = m_log.lane(lane).group;
    const ResourceDef &res = m_scenario->resources[size_t(resIndex)];
    if (res.kind == ResourceDef::Kind::Generator || !res.hasExecute) {
        const QString typeName = res.kind == ResourceDef::Kind::Generator
            ? QStringLiteral("dict")
            : pythonClassName(resIndex);
        return raiseRuntime(task, ExceptionTypes::AttributeError,
                            QStringLiteral("'%1' object has no attribute 'execute'").arg(typeName));
    }
    return None;
}

} // namespace Lifeline
