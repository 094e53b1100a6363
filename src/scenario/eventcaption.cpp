// SPDX-License-Identifier: MIT
// Past 500 lines as one idea: one sentence per kind of event, each a short function over the
// same lookups (the step an event names, a lane's variable and scope, an exception's successor).
#include "eventcaption.h"

#include "eventformatter.h"
#include "pythoncall.h"
#include "pythonnameplan.h"
#include "scenario.h"

#include <QLocale>

namespace Lifeline {

namespace {

QString code(const QString &s)
{
    return u'`' + s + u'`';
}

// Python's repr() of ms / 1000 as asyncio.sleep's argument: 0.2, 1.0, 0.
QString seconds(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0");
    QString s = QString::number(double(ms) / 1000.0, 'g', QLocale::FloatingPointShortest);
    if (!s.contains(u'.') && !s.contains(u'e'))
        s += QLatin1String(".0");
    return s;
}

QString exceptionText(const ExceptionTypes &types, const ExceptionSpec &spec)
{
    return types.name(spec.type) + u'('
        + (spec.hasMessage ? pythonStringRepr(spec.message) : QString()) + u')';
}

QString templateText(const Template &t)
{
    QString out;
    for (const TemplatePart &p : t) {
        switch (p.kind) {
        case TemplatePart::Kind::Text: {
            QString text = p.text;
            text.replace(u'{', QLatin1String("{{")).replace(u'}', QLatin1String("}}"));
            out += text;
            break;
        }
        case TemplatePart::Kind::Arg:
            out += QLatin1String("{arg}");
            break;
        case TemplatePart::Kind::Query:
            out += QLatin1String("{query}");
            break;
        case TemplatePart::Kind::Exc:
            out += QLatin1String("{e}");
            break;
        case TemplatePart::Kind::ExcType:
            out += QLatin1String("{type(e).__name__}");
            break;
        }
    }
    return out;
}

// A caption is one line: a gather of a million tasks names the first few.
QString taskNames(const CompactVector<TaskDef> &tasks)
{
    constexpr size_t shown = 6;
    QStringList names;
    for (size_t i = 0; i < tasks.size() && i < shown; ++i)
        names << tasks[i].name;
    if (tasks.size() > shown)
        names << QStringLiteral("... %1 more").arg(tasks.size() - shown);
    return names.join(QLatin1String(", "));
}

} // namespace

EventCaption::EventCaption(const EventLog *log, const Scenario *scenario)
    : m_log(log)
    , m_scenario(scenario)
{
    auto steps = std::make_shared<StepIndex>();
    auto names = std::make_shared<std::vector<QString>>();
    if (m_scenario) {
        steps->resize(m_scenario->stepCount, nullptr);
        indexBlock(m_scenario->main, *steps);
        *names = PythonNamePlan::laneNames(*m_scenario).resources;
    }
    m_steps = std::move(steps);
    m_resourceNames = std::move(names);
}

EventCaption EventCaption::withLog(const EventLog *log) const
{
    EventCaption out = *this;
    out.m_log = log;
    return out;
}

void EventCaption::indexBlock(const Block &block, StepIndex &steps)
{
    for (const Step &s : block) {
        if (s.id >= steps.size())
            steps.resize(s.id + 1, nullptr);
        steps[s.id] = &s;
        indexBlock(s.body, steps);
        for (const Handler &h : s.handlers())
            indexBlock(h.body, steps);
        indexBlock(s.elseBody(), steps);
        indexBlock(s.finallyBody(), steps);
        indexTasks(s.tasks, steps);
    }
}

void EventCaption::indexTasks(const CompactVector<TaskDef> &tasks, StepIndex &steps)
{
    for (const TaskDef &t : tasks)
        indexBlock(t.body, steps);
}

const Step *EventCaption::step(quint32 stepId) const
{
    return stepId < m_steps->size() ? (*m_steps)[stepId] : nullptr;
}

QString EventCaption::stepText(quint32 stepId) const
{
    const Step *s = step(stepId);
    if (!s)
        return QStringLiteral("step %1").arg(stepId);
    const ExceptionTypes &types = m_scenario->types;
    switch (s->kind) {
    case StepKind::With: {
        QStringList items;
        for (const WithItem &item : s->items) {
            const size_t r = size_t(item.resource);
            items << QStringLiteral("%1 as %2")
                         .arg(PythonCall::resourceLabel((*m_resourceNames)[r],
                                                        m_scenario->resources[r].arg),
                              item.as);
        }
        return QLatin1String("async with ") + items.join(QLatin1String(", "));
    }
    case StepKind::Execute:
        return QStringLiteral("await %1.execute(%2)")
            .arg(s->variable(), pythonStringRepr(s->query()));
    case StepKind::Sleep:
        return QStringLiteral("await asyncio.sleep(%1)").arg(seconds(s->duration));
    case StepKind::Print:
        return QStringLiteral("print(f%1)").arg(pythonStringRepr(templateText(s->text)));
    case StepKind::Raise:
        return s->exception() ? QLatin1String("raise ") + exceptionText(types, *s->exception())
                              : QStringLiteral("raise");
    case StepKind::Reraise:
        return QStringLiteral("raise");
    case StepKind::Try:
        return QStringLiteral("try:");
    case StepKind::Gather:
        return QStringLiteral("await asyncio.gather(%1)").arg(taskNames(s->tasks));
    case StepKind::TaskGroup:
        return QStringLiteral("async with asyncio.TaskGroup() as tg  # %1")
            .arg(taskNames(s->tasks));
    case StepKind::Timeout:
        return QStringLiteral("async with asyncio.%1").arg(PythonCall::timeout(s->duration));
    case StepKind::Spawn:
        return QStringLiteral("asyncio.create_task(..., name=%1)")
            .arg(pythonStringRepr(s->tasks.empty() ? QString() : s->tasks.front().name));
    }
    return {};
}

bool EventCaption::isGenerator(LaneId instance) const
{
    if (!m_scenario)
        return false;
    const ResourceDef *r = LaneGroups::resource(*m_scenario, m_log->lane(instance).group);
    return r && r->kind == ResourceDef::Kind::Generator;
}

LaneGroups::Kind EventCaption::scopeKind(LaneId instance) const
{
    if (!m_scenario)
        return LaneGroups::Kind::Resource;
    const LaneGroups::Kind kind = LaneGroups::kind(*m_scenario, m_log->lane(instance).group);
    return kind == LaneGroups::Kind::Unknown ? LaneGroups::Kind::Resource : kind;
}

QString EventCaption::variableName(LaneId instance) const
{
    if (m_scenario) {
        if (const ResourceDef *r = LaneGroups::resource(*m_scenario, m_log->lane(instance).group))
            return r->id;
    }
    return m_log->laneName(instance);
}

QString EventCaption::exitName(LaneId instance) const
{
    if (isGenerator(instance))
        return QStringLiteral("the generator behind %1").arg(variableName(instance));
    return QStringLiteral("`__aexit__` of %1").arg(variableName(instance));
}

int EventCaption::previousPhase(LaneId lane, size_t index) const
{
    while (index-- > 0) {
        const Event p = m_log->at(index);
        if (p.kind() == EventKind::PhaseBegan && p.lane() == lane)
            return int(p.phase());
    }
    return -1;
}

bool EventCaption::isCause(ExcId next, ExcId id) const
{
    return next != None && m_log->exception(next).cause == id;
}

ExcId EventCaption::successor(ExcId id) const
{
    for (ExcId other = id + 1; other < m_log->exceptionCount(); ++other) {
        const ExceptionRecord &r = m_log->exception(other);
        if (r.context == id || r.cause == id)
            return other;
    }
    return None;
}

QString EventCaption::caption(size_t index) const
{
    if (!m_log || index >= m_log->count())
        return {};
    const Event &e = m_log->at(index);
    switch (e.kind()) {
    case EventKind::TaskCreated:
    case EventKind::TaskStarted:
    case EventKind::TaskEnded:
        return taskCaption(e);
    case EventKind::PhaseBegan:
        return phaseCaption(e, index);
    case EventKind::InstanceEnded:
        return endCaption(e, index);
    case EventKind::Printed:
        // A traced program may print before or after its event loop runs.
        if (e.printIndex() != None && e.lane() == None) {
            return QStringLiteral("the program prints %1 outside any task")
                .arg(pythonStringRepr(m_log->print(e.printIndex())));
        }
        return QStringLiteral("%1 prints %2")
            .arg(m_log->laneName(e.lane()), pythonStringRepr(m_log->print(e.printIndex())));
    case EventKind::ExceptionRaised:
        return raiseCaption(e);
    case EventKind::ExceptionHop:
        return hopCaption(e);
    case EventKind::CancelRequested:
        return cancelCaption(e);
    case EventKind::StepBegan:
        return QStringLiteral("%1 runs %2")
            .arg(m_log->laneName(e.lane()), code(stepText(e.step())));
    case EventKind::TaskAwaits:
        // The wait lasts until the task's next event: the caption names only what it is.
        return QStringLiteral("%1 awaits %2")
            .arg(m_log->laneName(e.lane()), EventFormatter::target(*m_log, e));
    case EventKind::TaskJoined:
        return QStringLiteral("%1 joins %2")
            .arg(m_log->laneName(e.lane()), EventFormatter::target(*m_log, e));
    }
    return {};
}

QString EventCaption::cancelCaption(const Event &e) const
{
    const QString task = m_log->laneName(e.lane());
    const QString by = e.byLane() == None ? QString() : m_log->laneName(e.byLane());
    switch (e.cause()) {
    case CancelCause::Call:
        if (by.isEmpty())
            return QStringLiteral("a loop callback calls %1.cancel()").arg(task);
        return QStringLiteral("%1 calls %2.cancel()").arg(by, task);
    case CancelCause::Awaiter:
        return QStringLiteral("%1 is cancelled while it awaits %2: %2 is cancelled too")
            .arg(by, task);
    case CancelCause::Deadline:
        return QStringLiteral("the deadline of %1 passes: it cancels %2").arg(by, task);
    case CancelCause::Sibling:
        return QStringLiteral("%1 failed: its TaskGroup cancels %2").arg(by, task);
    case CancelCause::GroupExit:
        return QStringLiteral("%1 aborts in `__aexit__`: it cancels %2").arg(by, task);
    case CancelCause::Shutdown:
        return QStringLiteral("main returned: asyncio.run() cancels %1, still pending").arg(task);
    }
    return {};
}

QString EventCaption::taskCaption(const Event &e) const
{
    const QString task = m_log->laneName(e.lane());
    if (e.kind() == EventKind::TaskCreated) {
        if (e.byLane() == None)
            return QStringLiteral("asyncio.run() creates the %1 task").arg(task);
        return QStringLiteral("%1 creates task %2; it runs once %1 yields to the loop")
            .arg(m_log->laneName(e.byLane()), task);
    }
    if (e.kind() == EventKind::TaskStarted)
        return QStringLiteral("%1 starts running").arg(task);
    const ExcId exc = e.exception();
    switch (e.outcome()) {
    case TaskOutcome::Finished:
        return QStringLiteral("%1 returns normally").arg(task);
    case TaskOutcome::Failed:
        return exc == None ? QStringLiteral("%1 fails").arg(task)
                           : QStringLiteral("%1 fails: %2 escaped it").arg(task, m_log->repr(exc));
    case TaskOutcome::Cancelled:
        return QStringLiteral("%1 ends cancelled").arg(task);
    }
    return {};
}

QString EventCaption::phaseCaption(const Event &e, size_t index) const
{
    const LaneId lane = e.lane();
    if (const LaneGroups::Kind kind = scopeKind(lane); kind != LaneGroups::Kind::Resource)
        return scopePhaseCaption(e, kind);
    const QString name = m_log->laneName(lane);
    const bool gen = isGenerator(lane);
    switch (e.phase()) {
    case Phase::Acquire:
        return QStringLiteral("%1 starts acquiring (%2)")
            .arg(name,
                 gen ? QStringLiteral("the generator runs up to its yield")
                     : QStringLiteral("__aenter__"));
    case Phase::Ready:
        if (previousPhase(lane, index) == int(Phase::Execute))
            return QStringLiteral("%1 is ready again: its execute() call is over").arg(name);
        return gen
            ? QStringLiteral("%1 yielded: it is ready and the `async with` body runs").arg(name)
            : QStringLiteral("%1 is ready: __aenter__ returned and the `async with` body runs")
                  .arg(name);
    case Phase::Execute: {
        const Step *s = step(e.step());
        if (s && s->kind == StepKind::Execute)
            return QStringLiteral("%1 executes %2").arg(name, pythonStringRepr(s->query()));
        return QStringLiteral("%1 executes a query").arg(name);
    }
    case Phase::Release:
        return QStringLiteral("%1 starts releasing (%2)")
            .arg(name,
                 gen ? QStringLiteral("the generator resumes after its yield")
                     : QStringLiteral("__aexit__"));
    }
    return {};
}

QString EventCaption::cancelledText(int phase)
{
    switch (phase) {
    case int(Phase::Ready):
        return QStringLiteral("cancelled while in use (inside its `async with` body)");
    case int(Phase::Execute):
        return QStringLiteral("cancelled while executing");
    case int(Phase::Release):
        return QStringLiteral("cancelled while releasing (its __aexit__ was cut short)");
    default:
        return QStringLiteral("cancelled while acquiring");
    }
}

QString EventCaption::endCaption(const Event &e, size_t index) const
{
    const LaneId lane = e.lane();
    if (const LaneGroups::Kind kind = scopeKind(lane); kind != LaneGroups::Kind::Resource)
        return scopeEndCaption(e, kind, index);
    const QString name = m_log->laneName(lane);
    switch (e.state()) {
    case LifecycleState::Released:
        return QStringLiteral("%1 is released").arg(name);
    case LifecycleState::FailedToAcquire:
        return isGenerator(lane)
            ? QStringLiteral("%1 failed to acquire: the generator never yielded").arg(name)
            : QStringLiteral("%1 failed to acquire: __aenter__ raised, so __aexit__ never runs")
                  .arg(name);
    case LifecycleState::Cancelled:
        return QStringLiteral("%1 was %2").arg(name, cancelledText(previousPhase(lane, index)));
    case LifecycleState::NeverReleased:
        return QStringLiteral("%1 is never released: the run ended before its cleanup finished")
            .arg(name);
    default:
        return QStringLiteral("%1 ends (%2)")
            .arg(name, QLatin1String(EventLog::stateName(e.state())));
    }
}

QString EventCaption::raiseCaption(const Event &e) const
{
    const ExcId exc = e.exception();
    const QString repr = m_log->repr(exc);
    const QString where = e.lane() == None ? QStringLiteral("the loop") : m_log->laneName(e.lane());
    QString sentence;
    switch (e.origin()) {
    case RaiseOrigin::Raise:
        sentence = QStringLiteral("%1 is raised in %2").arg(repr, where);
        break;
    case RaiseOrigin::Reraise:
        sentence = QStringLiteral("%2 re-raises %1").arg(repr, where);
        break;
    case RaiseOrigin::Runtime:
        sentence = QStringLiteral("%1 is raised by Python itself in %2").arg(repr, where);
        break;
    case RaiseOrigin::Cancel:
        sentence = QStringLiteral("%2 is cancelled: %1 enters it at its await").arg(repr, where);
        break;
    case RaiseOrigin::Timeout:
        sentence = QStringLiteral("the timeout expires: %1 is raised in %2").arg(repr, where);
        break;
    case RaiseOrigin::Group:
        sentence = QStringLiteral("the TaskGroup in %2 raises %1").arg(repr, where);
        break;
    }
    const ExceptionRecord &r = m_log->exception(exc);
    if (r.cause != None)
        sentence += QStringLiteral(", from %1").arg(m_log->repr(r.cause));
    else if (r.context != None && e.origin() != RaiseOrigin::Reraise)
        sentence += QStringLiteral(" while handling %1").arg(m_log->repr(r.context));
    return sentence;
}

QString EventCaption::hopCaption(const Event &e) const
{
    const ExcId exc = e.exception();
    const QString repr = m_log->repr(exc);
    const LaneId lane = e.lane();
    if (lane == None)
        return QStringLiteral("%1 moves on").arg(repr);
    const bool instance = m_log->lane(lane).kind() == LaneKind::Instance;
    if (instance) {
        if (const LaneGroups::Kind kind = scopeKind(lane); kind != LaneGroups::Kind::Resource)
            return scopeHopCaption(e, kind);
    }
    const QString laneName = m_log->laneName(lane);
    const bool gen = instance && isGenerator(lane);
    switch (e.hop()) {
    case HopAction::Propagated:
        if (!instance)
            return QStringLiteral("%1 propagates through %2").arg(repr, laneName);
        return gen
            ? QStringLiteral("%1 let %2 through its yield: it propagates out of `async with`")
                  .arg(exitName(lane), repr)
            : QStringLiteral("%1 returned False: %2 propagates out of `async with`")
                  .arg(exitName(lane), repr);
    case HopAction::Suppressed:
        if (!instance)
            return QStringLiteral("%1 is suppressed in %2").arg(repr, laneName);
        return gen
            ? QStringLiteral("%1 caught %2: it is suppressed here").arg(exitName(lane), repr)
            : QStringLiteral("%1 returned True: %2 is suppressed here").arg(exitName(lane), repr);
    case HopAction::Replaced: {
        const ExcId next = successor(exc);
        const QString by = next == None ? QStringLiteral("another exception") : m_log->repr(next);
        const QString scope = instance ? exitName(lane) : laneName;
        return QStringLiteral("%1 raised %2 instead: %3 is kept as its %4")
            .arg(scope, by, repr,
                 isCause(next, exc) ? QStringLiteral("__cause__ (`raise ... from`)")
                                    : QStringLiteral("__context__"));
    }
    case HopAction::Grouped:
        return QStringLiteral("the TaskGroup in %1 collects %2 into an ExceptionGroup")
            .arg(laneName, repr);
    case HopAction::Caught:
        return QStringLiteral("an except clause in %1 catches %2").arg(laneName, repr);
    case HopAction::Escaped:
        if (m_log->lane(lane).kind() == LaneKind::Task && m_log->lane(lane).parent == None)
            return QStringLiteral("%1 escapes %2: asyncio.run() raises it and the program fails")
                .arg(repr, laneName);
        return QStringLiteral("%1 escapes %2").arg(repr, laneName);
    }
    return {};
}

// --- TaskGroup and timeout lanes --------------------------------------------------------------

QString EventCaption::scopePhaseCaption(const Event &e, LaneGroups::Kind kind) const
{
    const LaneId lane = e.lane();
    const QString name = m_log->laneName(lane);
    const QString task = m_log->laneName(m_log->lane(lane).parent);
    const bool group = kind == LaneGroups::Kind::TaskGroup;
    switch (e.phase()) {
    case Phase::Acquire: {
        // The step's call: `asyncio.TaskGroup()`, `asyncio.timeout(0.15)`.
        const Step *s = step(e.step());
        QString call = group ? PythonCall::taskGroup() : QStringLiteral("timeout(...)");
        if (!group && s && s->kind == StepKind::Timeout)
            call = PythonCall::timeout(s->duration);
        return QStringLiteral("%1 enters %2: `async with asyncio.%3`").arg(task, name, call);
    }
    case Phase::Ready: {
        if (group)
            return QStringLiteral("%1 is entered: the tasks the body creates join it").arg(name);
        const Step *s = step(e.step());
        if (s && s->kind == StepKind::Timeout) {
            return QStringLiteral("%1 is set: %2 is cancelled if its body is still running at "
                                  "%3 ms")
                .arg(name, task)
                .arg(qint64(e.time) + s->duration);
        }
        return QStringLiteral("%1 is set: %2 is cancelled if its body outlives it").arg(name, task);
    }
    case Phase::Execute:
        break;
    case Phase::Release:
        return group
            ? QStringLiteral("the body of %1 is done: its __aexit__ waits for its tasks").arg(name)
            : QStringLiteral("the body of %1 is done: its __aexit__ cancels the "
                             "deadline, or reports that it passed")
                  .arg(name);
    }
    return QStringLiteral("%1 enters phase %2")
        .arg(name, QLatin1String(EventLog::phaseName(e.phase())));
}

QString EventCaption::scopeEndCaption(const Event &e, LaneGroups::Kind kind, size_t index) const
{
    const LaneId lane = e.lane();
    const QString name = m_log->laneName(lane);
    const bool group = kind == LaneGroups::Kind::TaskGroup;
    switch (e.state()) {
    case LifecycleState::Released:
        return group ? QStringLiteral("%1 is exited: every task it holds has ended").arg(name)
                     : QStringLiteral("%1 is exited").arg(name);
    case LifecycleState::FailedToAcquire:
        return QStringLiteral("%1 could not be entered: its __aenter__ raised").arg(name);
    case LifecycleState::NeverReleased:
        return QStringLiteral("%1 is never exited: the run ended inside its `async with`")
            .arg(name);
    case LifecycleState::Cancelled:
        // A Lock or Semaphore waited for, or a scope's exit cut short in a trace.
        return previousPhase(lane, index) == int(Phase::Release)
            ? QStringLiteral("%1 was cancelled while exiting (its __aexit__ was cut short)")
                  .arg(name)
            : QStringLiteral("%1 was cancelled while entering").arg(name);
    default:
        return QStringLiteral("%1 ends (%2)")
            .arg(name, QLatin1String(EventLog::stateName(e.state())));
    }
}

QString EventCaption::scopeHopCaption(const Event &e, LaneGroups::Kind kind) const
{
    const ExcId exc = e.exception();
    const QString repr = m_log->repr(exc);
    const QString name = m_log->laneName(e.lane());
    switch (e.hop()) {
    case HopAction::Propagated:
        return QStringLiteral("%1 leaves the `async with` of %2 unchanged").arg(repr, name);
    case HopAction::Replaced: {
        const ExcId next = successor(exc);
        const QString by = next == None ? QStringLiteral("another exception") : m_log->repr(next);
        // `from` only for a __cause__: some 3.11 releases (3.11.2, Debian 12's) raise the
        // TimeoutError without `from`, and a trace records what the program's Python did.
        const QString link = isCause(next, exc) ? QStringLiteral("from %1").arg(repr)
                                                : QStringLiteral("while handling %1").arg(repr);
        if (kind == LaneGroups::Kind::Timeout)
            return QStringLiteral("%1 expired: its __aexit__ raised %2 %3").arg(name, by, link);
        return QStringLiteral("the __aexit__ of %1 raised %2 instead, %3").arg(name, by, link);
    }
    case HopAction::Grouped:
        return QStringLiteral("%1 collects %2 into the ExceptionGroup it raises").arg(name, repr);
    default:
        return QStringLiteral("%1 %2 at %3")
            .arg(repr, QLatin1String(EventLog::hopName(e.hop())), name);
    }
}

} // namespace Lifeline
