// SPDX-License-Identifier: MIT
#pragma once
// One plain-English sentence per event of a run ("`__aexit__` of db returned True:
// ValueError('boom') is suppressed here"), for the caption line, the guided demo and `lifeline demo
// --headless`. Reads the log and, when given, the scenario (to name steps, variables and resource
// kinds); without the scenario the sentences fall back to lane names. Never changes either.

#include "eventlog.h"
#include "lanegroups.h"
#include "scenario.h"

#include <QString>
#include <memory>
#include <vector>

namespace Lifeline {

struct Scenario;
struct Step;
struct TaskDef;

class EventCaption
{
public:
    // Both must outlive this object; `scenario` may be null.
    explicit EventCaption(const EventLog *log, const Scenario *scenario = nullptr);
    // The same step index for another log of the same scenario (a new run): the index is
    // shared, not copied (a million-step scenario's took 11 ms of a Restart to copy).
    EventCaption withLog(const EventLog *log) const;

    QString caption(size_t index) const;
    // "cancelled while acquiring", "... while releasing": what an instance was doing when a
    // cancellation ended it, from the phase it was last in (a Phase as int; -1: none yet, which
    // reads as acquiring). The engine records `cancelled` only for an `__aenter__` cut short,
    // but a trace may end any phase so, and the words must not claim otherwise.
    static QString cancelledText(int phase);
    // `await db.execute('SELECT 1')`: the Python a step stands for, on one line.
    QString stepText(quint32 stepId) const;
    const Step *step(quint32 stepId) const;

private:
    using StepIndex = std::vector<const Step *>; // by step id
    static void indexBlock(const Block &block, StepIndex &steps);
    static void indexTasks(const CompactVector<TaskDef> &tasks, StepIndex &steps);
    QString taskCaption(const Event &e) const;
    QString cancelCaption(const Event &e) const;
    QString phaseCaption(const Event &e, size_t index) const;
    QString endCaption(const Event &e, size_t index) const;
    QString raiseCaption(const Event &e) const;
    QString hopCaption(const Event &e) const;
    QString exitName(LaneId instance) const;
    QString variableName(LaneId instance) const;
    bool isGenerator(LaneId instance) const;
    // Which scope an instance lane is (a resource's, or a TaskGroup's or timeout's); Resource
    // without the scenario.
    LaneGroups::Kind scopeKind(LaneId instance) const;
    QString scopePhaseCaption(const Event &e, LaneGroups::Kind kind) const;
    QString scopeEndCaption(const Event &e, LaneGroups::Kind kind, size_t index) const;
    QString scopeHopCaption(const Event &e, LaneGroups::Kind kind) const;
    // The lane's phase before event `index` (a Phase as int), or -1.
    int previousPhase(LaneId lane, size_t index) const;
    // The exception that took `id`'s place (its context or cause), or None.
    ExcId successor(ExcId id) const;
    // Whether `next` was raised from `id` (its __cause__), not merely while handling it.
    bool isCause(ExcId next, ExcId id) const;

    const EventLog *m_log;
    const Scenario *m_scenario;
    std::shared_ptr<const StepIndex> m_steps;
    // The exported program's resource names (renames included), as lanes show them.
    std::shared_ptr<const std::vector<QString>> m_resourceNames;
};

} // namespace Lifeline
