// SPDX-License-Identifier: MIT
// TimelineModel's part that reads what tasks wait on and what contains them: a task's waits
// (its instances' phases, a sleep, a task, a gather), the TaskGroups and gathers that own
// tasks, timeouts' deadlines and cancellations. Apart from timelinemodel.cpp, which turns
// events into spans and paths, to keep each file one idea.
#include "timelinemodel.h"

#include <cmath>

namespace Lifeline {

void TimelineModel::awaits(const Event &e, quint32 index)
{
    static constexpr SpanKind kinds[]
        = { SpanKind::TaskSleeping, SpanKind::TaskAwaitingTask, SpanKind::TaskGathering };
    static_assert(std::size(kinds) == size_t(WaitKind::Gather) + 1);
    const LaneId task = e.lane();
    if (task < 0 || size_t(task) >= m_lanes.size())
        return;
    // Inside an instance's phase (a sleep in `__aenter__`), the lane keeps saying which
    // phase it awaits: that is what the resource is doing; the sleep is how.
    const TimelineSpanTable &spans = m_lanes[size_t(task)].spans;
    if (spans.count() && spans.kind(spans.count() - 1) != SpanKind::TaskRunning
        && !m_plainWaits.count(task))
        return;
    // Each await its own span: two sleeps in a row are two, with a seam between them.
    setTaskWait(task, kinds[size_t(e.waitKind()) % std::size(kinds)], e.time, index, true);
    m_plainWaits.insert(task);
}

void TimelineModel::taskActs(const Event &e, quint32 index)
{
    // A task blocked on a sleep, a task or a gather wakes by its next event of its own: one it
    // records running (not a cancel() or a join others make for it), or one of its instances'.
    LaneId task = None;
    switch (e.kind()) {
    case EventKind::TaskCreated:
        task = e.byLane(); // the creator runs
        break;
    case EventKind::TaskEnded: // its span closes: the wait ends there
        m_plainWaits.erase(e.lane());
        return;
    case EventKind::TaskStarted:
    case EventKind::Printed:
    case EventKind::ExceptionRaised:
    case EventKind::ExceptionHop:
    case EventKind::StepBegan:
    case EventKind::PhaseBegan:
    case EventKind::InstanceEnded:
        task = e.lane();
        break;
    case EventKind::TaskAwaits: // sets the next wait itself
    case EventKind::TaskJoined:
    case EventKind::CancelRequested:
        return;
    }
    if (task < 0 || size_t(task) >= m_laneInfo.size())
        return;
    const LaneInfo &info = m_laneInfo[size_t(task)];
    if (info.kind() == LaneKind::Instance)
        task = info.parent;
    if (task >= 0 && m_plainWaits.erase(task))
        setTaskWait(task, SpanKind::TaskRunning, e.time, index);
}

void TimelineModel::joined(const EventLog &log, const Event &e, quint32 index)
{
    const LaneId task = e.lane();
    if (task < 0 || size_t(task) >= m_lanes.size())
        return;
    const bool group = e.joinKind() == JoinKind::TaskGroup;
    const qint32 key = group ? e.targetLane() : e.targetLabel();
    if (group && (key < 0 || size_t(key) >= m_lanes.size()))
        return; // no lane to name it or end it (a reader lets none through; a log could)
    auto &byKey = group ? m_ownerOfGroup : m_ownerOfGather;
    auto [it, fresh] = byKey.try_emplace(key, int(m_owners.size()));
    if (fresh) {
        TimelineOwner o { e.joinKind(), group ? key : None, {}, qint64(e.time), index, {} };
        if (group) {
            o.name = laneName(key);
            const TimelineSpanTable &own = m_lanes[size_t(key)].spans;
            if (own.count())
                o.start = own.start(0);
            o.lastEnd = o.start;
            if (!hasEnded(key))
                ++o.open;
        } else if (!group && key >= 0 && key < log.labelCount()) {
            o.name = log.label(key);
        }
        o.lastEnd = std::max(o.lastEnd, o.start);
        m_owners.push_back(std::move(o));
        m_usage.owners = true;
    }
    TimelineOwner &owner = m_owners[size_t(it->second)];
    if (!m_ownerOf.try_emplace(task, it->second).second)
        return; // one owner a task: the first it joined
    owner.tasks.push_back(task);
    if (hasEnded(task)) {
        const TimelineSpanTable &spans = m_lanes[size_t(task)].spans;
        owner.lastEnd = std::max(owner.lastEnd, spans.end(spans.count() - 1, m_playheadTime));
    } else {
        ++owner.open;
    }
}

bool TimelineModel::hasEnded(LaneId lane) const
{
    const LaneRecord &rec = m_lanes[size_t(lane)];
    return rec.present && rec.groupOpen < 0 && rec.spans.count() > 0;
}

void TimelineModel::ownedEnded(const std::unordered_map<LaneId, int> &by, LaneId lane, qint64 time)
{
    auto it = by.find(lane);
    if (it == by.end())
        return;
    TimelineOwner &owner = m_owners[size_t(it->second)];
    owner.lastEnd = std::max(owner.lastEnd, time);
    if (owner.open > 0)
        --owner.open;
}

int TimelineModel::ownerOf(LaneId task) const
{
    auto it = m_ownerOf.find(task);
    return it == m_ownerOf.end() ? -1 : it->second;
}

void TimelineModel::cancelRequested(const Event &e, quint32 index)
{
    const LaneId task = e.lane();
    const LaneId by = e.byLane();
    touchLane(task);
    const auto cause = e.cause();
    m_cancels.push_back({ qint64(e.time), index, task, by, cause });
    m_usage.cancels = true;
    if (cause == CancelCause::Deadline) {
        auto it = m_deadlines.find(by);
        if (it != m_deadlines.end() && it->second.firedAt < 0) {
            it->second.firedAt = e.time;
            it->second.firedEvent = index;
            m_usage.deadlinesFired = true;
        }
    }
}

void TimelineModel::taskAwaits(LaneId instance, Phase phase, bool ended, qint64 time, quint32 event)
{
    // The task that entered the instance awaits its phase: a task runs one await at a time, and
    // its instances' phase events come in the order its awaits nest, so the latest says what it
    // is waiting on. Only the task's own track gets these spans; its group's summary keeps one
    // span per task.
    const LaneInfo &info = m_laneInfo[size_t(instance)];
    const LaneId task = info.parent;
    if (info.kind() != LaneKind::Instance || task < 0 || size_t(task) >= m_lanes.size())
        return;
    SpanKind kind = SpanKind::TaskRunning;
    if (!ended) {
        switch (phase) {
        case Phase::Acquire:
            kind = scopeKind(instance) == ScopeKind::Lock ? SpanKind::TaskLocking
                                                          : SpanKind::TaskEntering;
            break;
        case Phase::Execute:
            kind = SpanKind::TaskCalling;
            break;
        case Phase::Release:
            kind = scopeKind(instance) == ScopeKind::TaskGroup ? SpanKind::TaskJoining
                                                               : SpanKind::TaskExiting;
            break;
        case Phase::Ready:
            break;
        }
    }
    setTaskWait(task, kind, time, event);
}

void TimelineModel::setTaskWait(LaneId task, SpanKind kind, qint64 time, quint32 event, bool fresh)
{
    LaneRecord &rec = m_lanes[size_t(task)];
    if (rec.groupOpen < 0 || rec.spans.count() == 0)
        return; // not running (or not shown yet)
    TimelineSpanTable &spans = rec.spans;
    const qsizetype last = spans.count() - 1;
    const TimelineSpan &current = spans.at(last);
    if (current.kind() == SpanKind::TaskWaiting || (current.kind() == kind && !fresh))
        return;
    markDirty(task);
    m_usage.spans |= quint16(1u << int(kind));
    if (current.start == time) { // what began at this instant ends at it: no sliver
        spans.retype(last, kind, event);
        return;
    }
    spans.close(last, time, SpanEnd::Next);
    const TimelineSpan span = TimelineSpan::opened(time, kind, event, task);
    spans.append(span);
}

TimelineModel::ScopeKind TimelineModel::scopeKind(LaneId instance)
{
    // The library scopes' lane names (docs/events.md, "Lanes"): `TaskGroup()`, `timeout(D)`,
    // `Lock()`, `Semaphore(V)`; the same in a scenario and a trace.
    const LaneInfo &info = m_laneInfo[size_t(instance)];
    const size_t g = size_t(std::max(info.group, 0));
    if (g >= m_scopeKinds.size())
        m_scopeKinds.resize(g + 1, ScopeKind::Unknown);
    ScopeKind &kind = m_scopeKinds[g];
    if (kind == ScopeKind::Unknown) {
        const QString label = labelText(info.label);
        auto is = [&](const char *prefix) { return label.startsWith(QLatin1String(prefix)); };
        kind = is("timeout(")                                            ? ScopeKind::Timeout
            : is("TaskGroup(")                                           ? ScopeKind::TaskGroup
            : is("Lock(") || is("Semaphore(") || is("BoundedSemaphore(") ? ScopeKind::Lock
                                                                         : ScopeKind::Plain;
    }
    return kind;
}

void TimelineModel::noteDeadline(const EventLog &log, LaneId lane, qint64 time)
{
    // A timeout lane is named `timeout(D)`, D the delay's repr() in seconds (docs/events.md),
    // in a scenario and a trace alike; `timeout(None)` never fires.
    static const QString prefix = QStringLiteral("timeout(");
    const LaneInfo &info = m_laneInfo[size_t(lane)];
    if (info.kind() != LaneKind::Instance || scopeKind(lane) != ScopeKind::Timeout)
        return;
    const QString label = labelText(info.label);
    if (!label.startsWith(prefix) || !label.endsWith(u')'))
        return;
    bool ok = false;
    const double seconds
        = QStringView(label).mid(prefix.size(), label.size() - prefix.size() - 1).toDouble(&ok);
    if (!ok || !std::isfinite(seconds))
        return;
    const double ticks = seconds * 1000.0 * double(log.ticksPerMs());
    if (std::abs(ticks) > 1e15) // far past any run: nothing to mark
        return;
    m_deadlines[lane] = TimelineDeadline { time + qint64(std::llround(ticks)) };
    m_usage.deadlines = true;
}

const TimelineDeadline *TimelineModel::deadline(LaneId lane) const
{
    auto it = m_deadlines.find(lane);
    return it == m_deadlines.end() ? nullptr : &it->second;
}

} // namespace Lifeline
