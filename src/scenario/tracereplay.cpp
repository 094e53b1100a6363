#include "tracereplay.h"

#include "tracescenario.h"

namespace Lifeline {

namespace {

// The timer that moves the clock to the next event's time does nothing itself.
void wakeUp(RefCounted *, RefCounted *, qint32) { }

} // namespace

TraceReplay::TraceReplay(std::shared_ptr<const Scenario> scenario)
    : m_scenario(std::move(scenario)),
      m_trace(*m_scenario->trace),
      m_virtualClock(m_trace.virtualClock()),
      m_log(TraceScenario::exceptionTypes(m_trace, &m_typeIds)),
      m_scheduler(m_log),
      m_tracker(m_log)
{
    // A real clock's nanoseconds stay nanoseconds: a traced program's events are often closer
    // together than a millisecond.
    m_log.setTicksPerMs(m_virtualClock ? 1 : 1'000'000);
    for (size_t i = 0; i < m_trace.lanes.size() && m_mainLane == None; ++i) {
        if (m_trace.lanes[i].kind == LaneKind::Task)
            m_mainLane = qint32(i);
    }
    scheduleNext();
}

TraceReplay::~TraceReplay() = default;

void TraceReplay::scheduleNext()
{
    if (m_next < m_trace.events.size() && m_scheduler.timerCount() == 0) {
        const qint64 due = ticks(m_trace.events[m_next]);
        if (due > m_scheduler.time())
            m_scheduler.callAt(due, &wakeUp, nullptr);
    }
}

bool TraceReplay::step()
{
    if (m_finished)
        return false;
    if (m_next == m_trace.events.size()) {
        // Definitions after the last event (a group, a print never shown) still join the log.
        defineUpTo(m_next);
        m_finished = true;
        return false;
    }
    const TraceEvent &e = m_trace.events[m_next];
    const qint64 due = ticks(e);
    if (due > m_scheduler.time()) {
        scheduleNext();
        while (m_scheduler.time() < due && m_scheduler.step()) { }
        // The wake-up's own pass, so the next jump starts from an idle loop.
        while (m_scheduler.next() == Scheduler::Next::RunCallback)
            m_scheduler.step();
        return true;
    }
    defineUpTo(m_next);
    append(e);
    ++m_next;
    scheduleNext();
    return true;
}

void TraceReplay::runToEnd()
{
    while (step()) { }
}

void TraceReplay::defineUpTo(size_t index)
{
    const TraceRecording &t = m_trace;
    for (; m_lanes < t.lanes.size() && t.lanes[m_lanes].firstEvent <= index; ++m_lanes) {
        const TraceLane &l = t.lanes[m_lanes];
        const int label = m_log.internLabel(t.string(l.label));
        if (l.kind == LaneKind::Instance)
            m_tracker.createInstance(m_scheduler.time(), label, l.parent, l.group, int(l.ordinal));
        else
            m_log.addLane(LaneKind::Task, label, l.parent, None, int(l.ordinal));
    }
    // Before the links: a link names exceptions defined before it.
    for (; m_exceptions < t.exceptions.size() && t.exceptions[m_exceptions].firstEvent <= index;
         ++m_exceptions) {
        const TraceException &x = t.exceptions[m_exceptions];
        const QString &str = t.string(x.str);
        const ExcId id = m_log.newException(m_typeIds[size_t(x.type)], str, !str.isEmpty());
        ExceptionRecord &r = m_log.exception(id);
        r.suppressContext = x.defined.suppressContext();
        r.context = x.defined.context;
        r.cause = x.defined.cause;
        r.members.assign(x.members.begin(), x.members.end());
        m_log.setExceptionText(id, t.string(x.repr), str);
    }
    for (; m_links < t.links.size() && t.links[m_links].firstEvent <= index; ++m_links) {
        const TraceLink &link = t.links[m_links];
        ExceptionRecord &r = m_log.exception(link.exception);
        r.suppressContext = link.chain.suppressContext();
        r.context = link.chain.context;
        r.cause = link.chain.cause;
    }
    for (; m_prints < t.prints.size() && t.prints[m_prints].firstEvent <= index; ++m_prints) {
        const TracePrint &p = t.prints[m_prints];
        // A print's "step" is its location, as a scenario's is the step that printed it.
        m_log.addPrint(m_log.addPrintText(t.string(p.text)), quint32(p.location));
    }
}

void TraceReplay::append(const TraceEvent &e)
{
    const qint64 time = ticks(e);
    switch (e.kind) {
    case EventKind::PhaseBegan:
        // Phases are LifecycleState's Acquiring.. Releasing, in order.
        m_tracker.transition(LaneId(e.subject), time, LifecycleState(e.detail + 1), e.arg);
        break;
    case EventKind::InstanceEnded:
        m_tracker.transition(LaneId(e.subject), time, LifecycleState(e.detail), e.arg);
        break;
    default:
        m_log.append(time, e.kind, e.subject, e.arg, e.detail);
        break;
    }
    if (e.kind == EventKind::TaskEnded && qint32(e.subject) == m_mainLane)
        m_outcome = TaskOutcome(e.detail) == TaskOutcome::Finished ? None : ExcId(e.arg);
}

} // namespace Lifeline
