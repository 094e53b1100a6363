// SPDX-License-Identifier: MIT
#pragma once
// Replays a traced program (a Scenario whose `trace` is set) as a run: one recorded event per
// step(), into an event log of its own, on its own scheduler's clock, so that ScenarioRun's
// stepping, instant play and real-time play work exactly as for a scenario. Instance lanes and
// their phases go through the ResourceTracker (watch()'s signals fire as in a scenario run).
// Lanes, exceptions and prints join the log (in id order) just before the first event that
// names them, not where their records are: a tracer writes a whole EVENTS block's definitions
// before it. Exception links apply before the event their LINK record precedes. It adds nothing
// the recording lacks: a trace cut short leaves its instances as they were, with no
// NeverReleased added at its end. A growing recording (a live trace) is followed: once every
// event it holds is appended, step() returns false but the replay is not finished; it goes on
// when stepped again after the recording grew, and ends once it stops growing.

#include "resourcetracker.h"
#include "rundriver.h"
#include "scenario.h"
#include "scheduler.h"
#include "tracerecording.h"

#include <memory>
#include <vector>

namespace Lifeline {

class TraceReplay final : public RunDriver
{
public:
    explicit TraceReplay(std::shared_ptr<const Scenario> scenario);
    ~TraceReplay() override;

    // Appends the next event, or first moves the clock to its time: through a timer the
    // scheduler runs, so a driver sees the jump coming (Scheduler::next() is AdvanceClock).
    bool step() override;
    void runToEnd() override;
    bool isFinished() const override { return m_finished; }
    // The exception the main task (the recording's first task lane) failed with at its last
    // TaskEnded (TraceScenario::mainFailure), once the replay is over; None otherwise.
    ExcId outcome() const override { return m_finished ? m_outcome : None; }
    EventLog &log() override { return m_log; }
    const EventLog &log() const override { return m_log; }
    Scheduler &scheduler() override { return m_scheduler; }
    ResourceTracker &resources() override { return m_tracker; }
    bool releaseSome(qint64) override { return true; } // nothing is costly to free
    void setRecordSteps(bool) override { } // a trace has no steps

private:
    // An event's time in the log's ticks (TraceReplay sets EventLog::ticksPerMs).
    qint64 ticks(const TraceEvent &e) const { return e.time / m_nsPerTick; }
    // Adds the lanes, exceptions and prints up to the given ids that are not in the log yet.
    void addLanes(qint32 upTo);
    void addExceptions(qint32 upTo);
    void addPrints(qint32 upTo);
    // The log's label for a trace string id: added once per id, with no lookup by text.
    int labelFor(qint32 stringId);
    // Whether the event's arg is a trace string id (a sleep's or gather's name), not a lane.
    static bool argIsString(const TraceEvent &e);
    // The trace's exception classes the log does not know yet (a live trace defines more).
    void addTypes();
    // The LINK records the file has before event `index`.
    void applyLinks(size_t index);
    // What event `index` (e) names, and the links before it.
    void defineFor(size_t index, const TraceEvent &e);
    // Everything left, at the end.
    void defineAll();
    void append(const TraceEvent &e);
    // Event m_next, decoded once; only while m_next < m_trace.events.size().
    const TraceEvent &nextEvent();
    // A timer at the next event's time when it is later than now, for the scheduler to jump to.
    void scheduleNext();

    std::shared_ptr<const Scenario> m_scenario;
    const TraceRecording &m_trace;
    qint64 m_nsPerTick;
    std::vector<int> m_typeIds; // by trace type id
    // By trace string id, -1 until a lane names it. The trace's strings are already distinct,
    // so a lane's label needs no lookup by text (EventLog::internLabel's hash of millions of
    // labels cost ~10 bytes an event and a rehash of a few hundred ms in one go). The texts are
    // lent to the log from the recording's strings, which stay put as a live trace grows (and
    // outlive the log: m_scenario is destroyed last).
    std::vector<int> m_labelOf;
    EventLog m_log;
    Scheduler m_scheduler;
    ResourceTracker m_tracker;
    size_t m_next = 0; // the next event to append
    TraceEventStore::Cursor m_cursor; // read up to m_next, or m_next + 1 with m_haveNext
    TraceEvent m_nextEvent;
    bool m_haveNext = false;
    size_t m_lanes = 0, m_exceptions = 0, m_links = 0, m_prints = 0; // added so far
    qint32 m_mainLane = None; // the first task lane, once the log has it
    ExcId m_outcome = None;
    bool m_finished = false;
};

} // namespace Lifeline
