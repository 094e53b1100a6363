// SPDX-License-Identifier: MIT
#include "tracereplay.h"

#include "tracescenario.h"

#include <algorithm>

namespace Lifeline {

namespace {

// The timer that moves the clock to the next event's time does nothing itself.
void wakeUp(RefCounted *, RefCounted *, qint32) { }

// A virtual clock's times are whole milliseconds. A real clock's nanoseconds stay nanoseconds
// (a program's events are often closer together than a millisecond) while an event log's 48 bits
// hold them, 39 hours; a longer trace's are microseconds, and so on.
// TODO: a live trace's replay picks its tick from the events received when it starts, so a
// real-clock program traced live for more than 39 hours would overflow the log's times;
// switching a log's tick in the middle of a run is what is missing.
qint64 nsPerTick(const TraceRecording &trace)
{
    if (trace.virtualClock())
        return 1'000'000;
    const qint64 last = trace.events.empty() ? 0 : trace.events.back().time;
    qint64 ns = 1;
    while (ns < 1'000'000 && last / ns > (qint64(1) << 47) - 1)
        ns *= 1000;
    return ns;
}

} // namespace

TraceReplay::TraceReplay(std::shared_ptr<const Scenario> scenario)
    : m_scenario(std::move(scenario))
    , m_trace(*m_scenario->trace)
    , m_nsPerTick(nsPerTick(m_trace))
    , m_log(TraceScenario::exceptionTypes(m_trace, &m_typeIds))
    , m_scheduler(m_log)
    , m_tracker(m_log)
{
    m_log.setTicksPerMs(1'000'000 / m_nsPerTick);
    scheduleNext();
}

TraceReplay::~TraceReplay() = default;

void TraceReplay::scheduleNext()
{
    if (m_next < m_trace.events.size() && m_scheduler.timerCount() == 0) {
        const qint64 due = ticks(nextEvent());
        if (due > m_scheduler.time())
            m_scheduler.callAt(due, &wakeUp, nullptr);
    }
}

bool TraceReplay::step()
{
    if (m_finished)
        return false;
    if (m_next == m_trace.events.size()) {
        if (m_trace.growing)
            return false; // more may come: stepped again, it goes on
        // Definitions no event named (a print never shown) still join the log.
        defineAll();
        m_finished = true;
        return false;
    }
    const TraceEvent &e = nextEvent();
    const qint64 due = ticks(e);
    if (due > m_scheduler.time()) {
        scheduleNext();
        while (m_scheduler.time() < due && m_scheduler.step()) { }
        // The wake-up's own pass, so the next jump starts from an idle loop.
        while (m_scheduler.next() == Scheduler::Next::RunCallback)
            m_scheduler.step();
        return true;
    }
    defineFor(m_next, e);
    append(e);
    ++m_next;
    m_haveNext = false;
    scheduleNext();
    return true;
}

const TraceEvent &TraceReplay::nextEvent()
{
    if (!m_haveNext)
        m_haveNext = m_trace.events.read(&m_cursor, &m_nextEvent);
    return m_nextEvent;
}

void TraceReplay::runToEnd()
{
    while (step()) { }
}

void TraceReplay::addLanes(qint32 upTo)
{
    for (; qint32(m_lanes) <= upTo; ++m_lanes) {
        const TraceLane &l = m_trace.lanes[m_lanes];
        const int label = labelFor(l.label);
        if (l.kind == LaneKind::Instance) {
            m_tracker.createInstance(m_scheduler.time(), label, l.parent, l.group, int(l.ordinal));
        } else {
            m_log.addLane(LaneKind::Task, label, l.parent, None, int(l.ordinal));
            if (m_mainLane == None)
                m_mainLane = qint32(m_lanes);
        }
    }
}

int TraceReplay::labelFor(qint32 stringId)
{
    if (size_t(stringId) >= m_labelOf.size())
        m_labelOf.resize(std::max(size_t(stringId) + 1, m_trace.strings.size()), -1);
    int &label = m_labelOf[size_t(stringId)];
    if (label < 0)
        label = m_log.addBorrowedLabel(&m_trace.string(stringId));
    return label;
}

void TraceReplay::addTypes()
{
    if (m_typeIds.size() < m_trace.types.size())
        TraceScenario::addExceptionTypes(m_trace, &m_log.growTypes(), &m_typeIds);
}

void TraceReplay::addExceptions(qint32 upTo)
{
    if (qint32(m_exceptions) <= upTo)
        addTypes();
    for (; qint32(m_exceptions) <= upTo; ++m_exceptions) {
        const TraceException &x = m_trace.exceptions[m_exceptions];
        const QString &str = m_trace.string(x.str);
        const ExcId id = m_log.newException(m_typeIds[size_t(x.type)], str, !str.isEmpty());
        ExceptionRecord &r = m_log.exception(id);
        r.suppressContext = x.defined.suppressContext();
        r.context = x.defined.context; // ids below its own: in the log already
        r.cause = x.defined.cause;
        r.members.assign(x.members.begin(), x.members.end());
        m_log.setExceptionText(id, m_trace.string(x.repr), str);
    }
}

void TraceReplay::addPrints(qint32 upTo)
{
    for (; qint32(m_prints) <= upTo; ++m_prints) {
        const TracePrint &p = m_trace.prints[m_prints];
        // A print's "step" is its location, as a scenario's is the step that printed it.
        m_log.addPrint(m_log.addPrintText(m_trace.string(p.text)), quint32(p.location));
    }
}

void TraceReplay::applyLinks(size_t index)
{
    const TraceRecording &t = m_trace;
    for (; m_links < t.links.size() && t.links[m_links].firstEvent <= index; ++m_links) {
        const TraceLink &link = t.links[m_links];
        addExceptions(std::max({ link.exception, link.chain.context, link.chain.cause }));
        ExceptionRecord &r = m_log.exception(link.exception);
        r.suppressContext = link.chain.suppressContext();
        r.context = link.chain.context;
        r.cause = link.chain.cause;
    }
}

bool TraceReplay::argIsString(const TraceEvent &e)
{
    return (e.kind == EventKind::TaskAwaits && WaitKind(e.detail) != WaitKind::Task)
        || (e.kind == EventKind::TaskJoined && JoinKind(e.detail) == JoinKind::Gather);
}

void TraceReplay::defineFor(size_t index, const TraceEvent &e)
{
    applyLinks(index);
    // The reader checked every id against its kind (TraceReader's event rules).
    const qint32 subject = qint32(e.subject), arg = qint32(e.arg);
    switch (e.kind) {
    case EventKind::TaskEnded:
        addLanes(subject);
        addExceptions(arg);
        break;
    case EventKind::Printed:
        addLanes(subject);
        addPrints(arg);
        break;
    case EventKind::ExceptionRaised:
    case EventKind::ExceptionHop:
        addExceptions(subject);
        addLanes(arg);
        break;
    case EventKind::TaskAwaits:
    case EventKind::TaskJoined:
        // A sleep's or gather's arg is a string (its label, made in append()), not a lane.
        addLanes(argIsString(e) ? subject : std::max(subject, arg));
        break;
    default:
        addLanes(std::max(subject, arg));
        break;
    }
}

void TraceReplay::defineAll()
{
    addLanes(qint32(m_trace.lanes.size()) - 1);
    addExceptions(qint32(m_trace.exceptions.size()) - 1);
    addPrints(qint32(m_trace.prints.size()) - 1);
    applyLinks(m_trace.events.size()); // the links after the last event
}

void TraceReplay::append(const TraceEvent &e)
{
    const qint64 time = ticks(e);
    switch (e.kind) {
    case EventKind::PhaseBegan:
        m_tracker.transition(LaneId(e.subject), time, stateDuring(Phase(e.detail)), e.arg);
        break;
    case EventKind::InstanceEnded:
        m_tracker.transition(LaneId(e.subject), time, LifecycleState(e.detail), e.arg);
        break;
    case EventKind::TaskAwaits:
    case EventKind::TaskJoined:
        m_log.append(time, e.kind, e.subject,
                     argIsString(e) ? quint32(labelFor(qint32(e.arg))) : e.arg, e.detail);
        break;
    default:
        m_log.append(time, e.kind, e.subject, e.arg, e.detail);
        break;
    }
    if (e.kind == EventKind::TaskEnded && qint32(e.subject) == m_mainLane)
        m_outcome = TaskOutcome(e.detail) == TaskOutcome::Finished ? None : ExcId(e.arg);
}

} // namespace Lifeline
