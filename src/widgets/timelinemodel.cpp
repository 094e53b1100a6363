// SPDX-License-Identifier: MIT
// The event log read forwards into spans, paths and prints per lane, in one pass whose parts
// share the lanes' open spans; what tasks wait on and what owns them is in timelinescopes.cpp.
#include "timelinemodel.h"

#include <algorithm>
#include <atomic>

namespace Lifeline {

namespace {

SpanEnd endForState(LifecycleState state)
{
    switch (state) {
    case LifecycleState::Released:
        return SpanEnd::Released;
    case LifecycleState::FailedToAcquire:
        return SpanEnd::FailedToAcquire;
    case LifecycleState::Cancelled:
        return SpanEnd::Cancelled;
    case LifecycleState::NeverReleased:
        return SpanEnd::NeverReleased;
    default:
        return SpanEnd::Next;
    }
}

SpanEnd endForOutcome(TaskOutcome outcome)
{
    switch (outcome) {
    case TaskOutcome::Finished:
        return SpanEnd::TaskFinished;
    case TaskOutcome::Failed:
        return SpanEnd::TaskFailed;
    case TaskOutcome::Cancelled:
        return SpanEnd::TaskCancelled;
    }
    return SpanEnd::TaskFinished;
}

// Revisions come from one counter for all models (a headless render may build one elsewhere).
quint64 nextRevision()
{
    static std::atomic<quint64> last { 0 };
    return ++last;
}

} // namespace

void TimelineModel::clear()
{
    m_laneInfo.clear();
    m_labels.clear();
    m_lanes.clear();
    m_groups.clear();
    m_dirtyLanes.clear();
    m_paths.clear();
    m_pathReach.clear();
    m_pathOf.clear();
    m_replacedBy.clear();
    m_groupedInto.clear();
    m_pending.clear();
    m_cancels.clear();
    m_owners.clear();
    m_ownerOf.clear();
    m_ownerOfGroup.clear();
    m_ownerOfGather.clear();
    m_plainWaits.clear();
    m_deadlines.clear();
    m_scopeKinds.clear();
    m_usage = TimelineUsage();
    m_eventCount = 0;
    m_playheadTime = 0;
    m_revision = nextRevision();
}

void TimelineModel::update(const EventLog &log, size_t upToEvent)
{
    upToEvent = std::min(upToEvent, log.count());
    if (upToEvent < m_eventCount)
        clear();
    if (upToEvent == m_eventCount && m_eventCount)
        return;
    syncLanes(log, lanesUsed(log, m_eventCount, upToEvent));
    // A big batch (a rebuild, or a huge run appended at once) sizes every table exactly first:
    // a million lanes growing vectors one push at a time would spend the time in malloc.
    if (upToEvent - m_eventCount > 65536)
        reserveFor(log, m_eventCount, upToEvent);
    for (size_t i = m_eventCount; i < upToEvent; ++i)
        process(log, i);
    for (LaneId lane : m_dirtyLanes)
        m_lanes[size_t(lane)].spans.refreshSummary();
    m_dirtyLanes.clear();
    for (GroupRecord &g : m_groups)
        if (g.spans.needsRefresh())
            g.spans.refreshSummary();
    m_eventCount = upToEvent;
    m_playheadTime = upToEvent ? qint64(log.at(upToEvent - 1).time) : 0;
    m_revision = nextRevision();
}

size_t TimelineModel::lanesUsed(const EventLog &log, size_t from, size_t to) const
{
    // Lanes are created in order and every event names lanes that exist when it is logged:
    // the highest one named so far bounds what the model needs.
    size_t used = m_laneInfo.size();
    for (size_t i = from; i < to; ++i) {
        const Event e = log.at(i);
        qint32 lane = e.lane();
        if (e.kind() == EventKind::CancelRequested)
            lane = std::max(lane, e.byLane());
        else if ((e.kind() == EventKind::TaskAwaits && e.waitKind() == WaitKind::Task)
                 || (e.kind() == EventKind::TaskJoined && e.joinKind() == JoinKind::TaskGroup))
            lane = std::max(lane, e.targetLane());
        if (lane >= 0)
            used = std::max(used, size_t(lane) + 1);
    }
    return std::min(used, log.laneCount());
}

void TimelineModel::syncLanes(const EventLog &log, size_t lanes)
{
    // Only the lanes the shown events name: the log's lane table already holds every lane of
    // a finished run, and copying half a million of them into a model rebuilt after a step
    // back would cost a frame. A copied lane stays absent (hasLane() false) until one of its
    // events is shown.
    for (size_t lane = m_laneInfo.size(); lane < lanes; ++lane) {
        const LaneInfo &info = log.lane(LaneId(lane));
        m_laneInfo.push_back(info);
        for (int i = int(m_labels.size()); i <= info.label && i < log.labelCount(); ++i)
            m_labels.push_back(log.label(i));
    }
    if (m_lanes.size() < lanes)
        m_lanes.resize(lanes);
    if (m_groups.empty())
        m_groups.resize(1);
}

void TimelineModel::reserveFor(const EventLog &log, size_t from, size_t to)
{
    std::vector<quint32> perLane(m_lanes.size(), 0);
    std::vector<qsizetype> perGroup(m_groups.size(), 0);
    for (size_t i = from; i < to; ++i) {
        const Event &e = log.at(i);
        const EventKind k = e.kind();
        if (k == EventKind::PhaseBegan || k == EventKind::TaskCreated
            || k == EventKind::TaskStarted)
            if (size_t(e.lane()) < perLane.size())
                ++perLane[size_t(e.lane())];
    }
    for (size_t lane = 0; lane < perLane.size(); ++lane) {
        if (!perLane[lane])
            continue;
        TimelineSpanTable &t = m_lanes[lane].spans;
        t.reserve(t.count() + perLane[lane]);
        const int g = laneGroup(LaneId(lane));
        if (size_t(g) >= perGroup.size())
            perGroup.resize(size_t(g) + 1, 0);
        perGroup[size_t(g)] += perLane[lane];
    }
    if (m_groups.size() < perGroup.size())
        m_groups.resize(perGroup.size());
    for (size_t g = 0; g < perGroup.size(); ++g)
        m_groups[g].spans.reserve(m_groups[g].spans.count() + perGroup[g]);
}

void TimelineModel::process(const EventLog &log, size_t index)
{
    const Event &e = log.at(index);
    const qint64 t = e.time;
    const quint32 i = quint32(index);
    if (!m_plainWaits.empty())
        taskActs(e, i);
    switch (e.kind()) {
    case EventKind::TaskCreated:
        beginSpan(e.lane(), t, SpanKind::TaskWaiting, i);
        break;
    case EventKind::TaskStarted:
        beginSpan(e.lane(), t, SpanKind::TaskRunning, i);
        break;
    case EventKind::TaskEnded:
        closeSpan(e.lane(), t, endForOutcome(e.outcome()));
        if (!m_ownerOf.empty())
            ownedEnded(m_ownerOf, e.lane(), t);
        break;
    case EventKind::PhaseBegan:
        beginSpan(e.lane(), t, spanKindOf(e.phase()), i);
        if (e.phase() == Phase::Acquire)
            noteDeadline(log, e.lane(), t);
        taskAwaits(e.lane(), e.phase(), false, t, i);
        break;
    case EventKind::InstanceEnded: {
        const LaneId lane = e.lane();
        // An instance that ends without a phase (failed before acquiring) still gets a
        // zero-length span, so its end marker has a place.
        if (!hasLane(lane) || m_lanes[size_t(lane)].groupOpen < 0)
            beginSpan(lane, t, SpanKind::Acquire, i);
        closeSpan(lane, t, endForState(e.state()));
        taskAwaits(lane, Phase::Ready, true, t, i);
        if (!m_ownerOfGroup.empty())
            ownedEnded(m_ownerOfGroup, lane, t);
        break;
    }
    case EventKind::Printed: {
        const LaneId lane = e.lane();
        if (lane == None)
            break; // a traced program printing outside any task: no lane to show it on
        touchLane(lane);
        m_usage.prints = true;
        const int p = e.printIndex();
        std::unique_ptr<std::vector<TimelinePrint>> &prints = m_lanes[size_t(lane)].prints;
        if (!prints)
            prints = std::make_unique<std::vector<TimelinePrint>>();
        prints->push_back({ t, i, p >= 0 && p < log.printCount() ? log.print(p) : QString() });
        break;
    }
    case EventKind::ExceptionRaised:
        raised(log, e, i);
        break;
    case EventKind::ExceptionHop:
        hopped(e, i);
        break;
    case EventKind::CancelRequested:
        cancelRequested(e, i);
        break;
    case EventKind::StepBegan:
        break;
    case EventKind::TaskAwaits:
        awaits(e, i);
        break;
    case EventKind::TaskJoined:
        joined(log, e, i);
        break;
    }
}

void TimelineModel::touchLane(LaneId lane)
{
    LaneRecord &rec = m_lanes[size_t(lane)];
    if (rec.present)
        return;
    rec.present = true;
    const int g = laneGroup(lane);
    if (size_t(g) >= m_groups.size())
        m_groups.resize(size_t(g) + 1);
    GroupRecord &group = m_groups[size_t(g)];
    if (group.lanes.empty())
        group.label = m_laneInfo[size_t(lane)].label;
    group.lanes.push_back(lane);
}

void TimelineModel::markDirty(LaneId lane)
{
    if (!m_lanes[size_t(lane)].spans.needsRefresh())
        m_dirtyLanes.push_back(lane);
}

void TimelineModel::beginSpan(LaneId lane, qint64 time, SpanKind kind, quint32 event)
{
    touchLane(lane);
    closeSpan(lane, time, SpanEnd::Next);
    LaneRecord &rec = m_lanes[size_t(lane)];
    const TimelineSpan span = TimelineSpan::opened(time, kind, event, lane);
    m_usage.spans |= quint16(1u << int(kind));
    markDirty(lane);
    rec.spans.append(span);
    TimelineSpanTable &group = m_groups[size_t(laneGroup(lane))].spans;
    group.append(span);
    rec.groupOpen = qint32(group.count() - 1);
}

void TimelineModel::closeSpan(LaneId lane, qint64 time, SpanEnd state)
{
    LaneRecord &rec = m_lanes[size_t(lane)];
    if (rec.groupOpen < 0)
        return;
    markDirty(lane);
    rec.spans.close(rec.spans.count() - 1, time, state);
    GroupRecord &group = m_groups[size_t(laneGroup(lane))];
    group.spans.close(rec.groupOpen, time, state);
    if (state != SpanEnd::Next) {
        ++group.ended;
        m_usage.ends |= quint16(1u << int(state));
    }
    rec.groupOpen = -1;
}

int TimelineModel::ensurePath(ExcId exception, const Event &e, quint32 index)
{
    if (exception < 0)
        return -1;
    if (size_t(exception) >= m_pathOf.size())
        m_pathOf.resize(size_t(exception) + 1, -1);
    int &slot = m_pathOf[size_t(exception)];
    if (slot < 0) {
        // A hop for an exception never seen raised starts its path where it was first seen.
        slot = int(m_paths.size());
        m_paths.push_back(
            { exception, qint64(e.time), index, e.lane(), RaiseOrigin::Runtime, {}, {} });
        m_pathReach.push_back(
            std::max<qint64>(m_pathReach.empty() ? 0 : m_pathReach.back(), e.time));
    }
    return slot;
}

void TimelineModel::raised(const EventLog &log, const Event &e, quint32 index)
{
    const ExcId exc = e.exception();
    if (e.lane() >= 0 && size_t(e.lane()) < m_lanes.size())
        touchLane(e.lane());
    const bool known = size_t(exc) < m_pathOf.size() && m_pathOf[size_t(exc)] >= 0;
    const int p = ensurePath(exc, e, index);
    TimelinePath &path = m_paths[size_t(p)];
    m_usage.raises = true;
    if (!known) {
        path.origin = e.origin();
        if (exc < log.exceptionCount())
            path.text = log.repr(exc);
    }
    if (exc >= log.exceptionCount())
        return;
    const ExceptionRecord &record = log.exception(exc);
    if (record.context != None)
        linkSuccessor(record.context, exc, false);
    if (record.cause != None && record.cause != record.context)
        linkSuccessor(record.cause, exc, false);
    for (ExcId member : record.members)
        linkSuccessor(member, exc, true);
}

void TimelineModel::linkSuccessor(ExcId old, ExcId successor, bool grouped)
{
    (grouped ? m_groupedInto : m_replacedBy)[old] = successor;
    auto [begin, end] = m_pending.equal_range(old);
    for (auto it = begin; it != end;) {
        TimelineHop &hop = m_paths[size_t(it->second.path)].hops[size_t(it->second.hop)];
        if ((hop.action == HopAction::Grouped) == grouped) {
            hop.link = successor;
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
}

void TimelineModel::hopped(const Event &e, quint32 index)
{
    const ExcId exc = e.exception();
    const LaneId lane = e.lane();
    if (lane >= 0 && size_t(lane) < m_lanes.size())
        touchLane(lane);
    const int p = ensurePath(exc, e, index);
    if (p < 0)
        return;
    const HopAction action = e.hop();
    m_usage.hops |= quint8(1u << int(action));
    m_usage.paths = true;
    m_usage.links = m_usage.links || action == HopAction::Replaced || action == HopAction::Grouped;
    TimelineHop hop { qint64(e.time), index, lane, action, None };
    if (action == HopAction::Replaced || action == HopAction::Grouped) {
        const auto &known = action == HopAction::Grouped ? m_groupedInto : m_replacedBy;
        auto it = known.find(exc);
        if (it != known.end())
            hop.link = it->second;
        else // the new exception is raised after the hop is recorded
            m_pending.emplace(exc, PendingLink { p, int(m_paths[size_t(p)].hops.size()) });
    }
    TimelinePath &path = m_paths[size_t(p)];
    if (path.lane < 0) // raised by the machinery with no lane (a cancellation): first seen here
        path.lane = lane;
    path.hops.push_back(hop);
    m_pathReach[size_t(p)] = std::max(m_pathReach[size_t(p)], hop.time);
    for (size_t k = size_t(p) + 1; k < m_pathReach.size() && m_pathReach[k] < hop.time; ++k)
        m_pathReach[k] = hop.time;
}

bool TimelineModel::hasLane(LaneId lane) const
{
    return lane >= 0 && size_t(lane) < m_lanes.size() && m_lanes[size_t(lane)].present;
}

QString TimelineModel::laneName(LaneId lane) const
{
    // Same text as EventLog::laneName, from the copied tables.
    const LaneInfo &l = m_laneInfo[size_t(lane)];
    if (l.kind() == LaneKind::Task)
        return labelText(l.label);
    return QStringLiteral("%1 #%2").arg(labelText(l.label)).arg(l.ordinal);
}

int TimelineModel::laneGroup(LaneId lane) const
{
    const LaneInfo &l = m_laneInfo[size_t(lane)];
    return l.kind() == LaneKind::Task ? TaskGroup : 1 + std::max(l.group, 0);
}

QString TimelineModel::labelText(int label) const
{
    return label >= 0 && size_t(label) < m_labels.size() ? m_labels[size_t(label)] : QString();
}

const std::vector<TimelinePrint> &TimelineModel::prints(LaneId lane) const
{
    static const std::vector<TimelinePrint> none;
    const bool has = lane >= 0 && size_t(lane) < m_lanes.size() && m_lanes[size_t(lane)].prints;
    return has ? *m_lanes[size_t(lane)].prints : none;
}

QString TimelineModel::groupName(int group) const
{
    if (group == TaskGroup)
        return QStringLiteral("Tasks");
    const int label = m_groups[size_t(group)].label;
    if (label < 0)
        return QStringLiteral("resource %1").arg(group - 1);
    // A group holds the instances of one class or function, and is named by it as a trace's
    // GROUP record is: the name its lanes' calls share (`AsyncDatabaseConnection`, `TaskGroup`,
    // `timeout`), not the first lane's arguments (a timeout's seconds differ lane to lane).
    const QString text = labelText(label);
    const qsizetype call = text.indexOf(u'(');
    return call > 0 ? text.left(call) : text;
}

int TimelineModel::pathOf(ExcId exception) const
{
    return exception >= 0 && size_t(exception) < m_pathOf.size() ? m_pathOf[size_t(exception)] : -1;
}

int TimelineModel::lastPathIndex(double time) const
{
    auto it = std::partition_point(m_paths.begin(), m_paths.end(), [time](const TimelinePath &p) {
        return double(p.time) <= time;
    });
    return int(it - m_paths.begin()) - 1;
}

TimelineUsage TimelineModel::usage() const
{
    TimelineUsage u = m_usage;
    for (int g = 0; g < groupCount() && !u.open; ++g)
        u.open = groupAlive(g) > 0;
    return u;
}

size_t TimelineModel::memoryUsage() const
{
    size_t bytes = m_laneInfo.memoryUsage()
        + m_lanes.memoryUsage() / sizeof(LaneRecord)
            * (sizeof(LaneRecord) - sizeof(TimelineSpanTable));
    for (size_t lane = 0; lane < m_lanes.size(); ++lane)
        bytes += m_lanes[lane].spans.memoryUsage();
    for (const GroupRecord &g : m_groups)
        bytes += g.spans.memoryUsage() + g.lanes.memoryUsage();
    return bytes + m_paths.capacity() * sizeof(TimelinePath);
}

} // namespace Lifeline
