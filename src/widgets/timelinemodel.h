// SPDX-License-Identifier: MIT
#pragma once
// What the timeline shows, derived from an EventLog up to a playhead event: lanes, their spans
// (pairs of consecutive phase events), group summaries, printed lines and exception paths.
// Answers in virtual time and indexes only: no pixels, row heights or colours. Grows cheaply as
// the log grows (update()); going back to an earlier playhead rebuilds it. Holds no pointer to
// the log: names and texts are copied (Qt's strings are shared, so that costs a reference).

#include "timelinespantable.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Lifeline {

struct TimelineHop
{
    qint64 time;
    quint32 event;
    LaneId lane; // the scope's lane
    HopAction action;
    ExcId link; // Replaced: the new exception; Grouped: the group; otherwise None
};

struct TimelinePath
{
    ExcId exception;
    qint64 time; // where it was raised
    quint32 event;
    LaneId lane; // None in the log (a cancellation) becomes the lane of its first hop
    RaiseOrigin origin;
    QString text; // Python's repr()
    std::vector<TimelineHop> hops;

    qint64 lastTime() const { return hops.empty() ? time : hops.back().time; }
};

// A task.cancel() with its cause (CancelRequested): drawn from the cause's lane (`by`) to the
// task it hits.
struct TimelineCancel
{
    qint64 time;
    quint32 event;
    LaneId task;
    LaneId by; // None: asyncio.run's shutdown, or a loop callback
    CancelCause cause;
};

// An asyncio.timeout's deadline: entered at `time` minus its delay (read from the lane's
// `timeout(D)` name), and when it fired (cancelled its task), if it did.
struct TimelineDeadline
{
    qint64 time;
    qint64 firedAt = -1;
    quint32 firedEvent = 0;
};

// A TaskGroup or a gather and the tasks it owns (TaskJoined), drawn as a frame over their rows.
struct TimelineOwner
{
    JoinKind kind;
    LaneId lane; // TaskGroup: its instance lane; Gather: None
    QString name; // `TaskGroup() #1`, `gather #1`
    qint64 start; // a TaskGroup: entered (its lane's first event); a gather: its first task joined
    quint32 event; // the first TaskJoined
    std::vector<LaneId> tasks; // in the order they joined
    qint64 lastEnd = 0; // the latest end among its tasks (and a TaskGroup's own lane) so far
    qsizetype open = 0; // of those, how many have not ended
};

struct TimelinePrint
{
    qint64 time;
    quint32 event;
    QString text;
};

// What a model holds, by kind, for a legend that lists only what is drawn: one bit per phase
// (SpanKind), way a span ended (SpanEnd) and hop (HopAction), and flags for the rest.
struct TimelineUsage
{
    quint16 spans = 0; // 1 << SpanKind
    quint16 ends = 0; // 1 << SpanEnd (Open and Next never set: see `open`)
    quint8 hops = 0; // 1 << HopAction
    bool raises = false; // raise markers
    bool prints = false; // print markers
    bool paths = false; // an exception that hopped: lines from its raise along its hops
    bool links = false; // a replaced or grouped exception: a dashed line to its successor
    bool open = false; // a lane still going at the playhead (an open-end marker)
    bool cancels = false; // a cancel() drawn from its cause
    bool deadlines = false; // a timeout's deadline
    bool deadlinesFired = false; // ... that passed and cancelled its task
    bool owners = false; // a TaskGroup or gather framing its tasks

    bool has(SpanKind k) const { return spans & (1u << int(k)); }
    bool has(SpanEnd e) const { return ends & (1u << int(e)); }
    bool has(HopAction a) const { return hops & (1u << int(a)); }
    bool isEmpty() const { return *this == TimelineUsage(); }
    bool operator==(const TimelineUsage &) const = default;
};

class TimelineModel
{
public:
    // Group 0 holds the tasks; group 1 + g the instances of lane group g (LaneInfo::group: a
    // scenario's resource, or the TaskGroups or timeouts after them).
    static constexpr int TaskGroup = 0;

    void clear();
    // Shows the log's events [0, upToEvent): appends when the playhead moves forward, rebuilds
    // from scratch when it moves back.
    void update(const EventLog &log, size_t upToEvent);

    size_t eventCount() const { return m_eventCount; }
    // Time of the last shown event: open spans end here.
    qint64 playheadTime() const { return m_playheadTime; }
    // Changes on every change, so caches can tell they are stale; never the same in two models
    // (a view that swaps a rebuilt model in must not take it for the one it replaced).
    quint64 revision() const { return m_revision; }

    // Lanes: ids are the log's; a lane exists once an event up to the playhead touched it.
    qsizetype laneCount() const { return qsizetype(m_lanes.size()); }
    bool hasLane(LaneId lane) const;
    LaneKind laneKind(LaneId lane) const { return m_laneInfo[size_t(lane)].kind(); }
    QString laneName(LaneId lane) const;
    LaneId laneParent(LaneId lane) const { return m_laneInfo[size_t(lane)].parent; }
    int laneGroup(LaneId lane) const;
    const TimelineSpanTable &spans(LaneId lane) const { return m_lanes[size_t(lane)].spans; }
    // Per-lane span accessors, for readers that think in lanes.
    qsizetype count(LaneId lane) const { return spans(lane).count(); }
    qint64 start(LaneId lane, qsizetype i) const { return spans(lane).start(i); }
    qint64 end(LaneId lane, qsizetype i) const { return spans(lane).end(i, m_playheadTime); }
    SpanKind kind(LaneId lane, qsizetype i) const { return spans(lane).kind(i); }
    SpanEnd endState(LaneId lane, qsizetype i) const { return spans(lane).endState(i); }
    qsizetype firstIndex(LaneId lane, double t) const { return spans(lane).firstIndex(t); }
    qsizetype lastIndex(LaneId lane, double t) const { return spans(lane).lastIndex(t); }
    const std::vector<TimelinePrint> &prints(LaneId lane) const;

    // Groups: a summary track over all their lanes' spans, and the lanes in order of appearance.
    int groupCount() const { return int(m_groups.size()); }
    QString groupName(int group) const;
    // Chunked: a trace's group of millions of lanes grew a vector by copies of 10-30 ms.
    using LaneList = ChunkedArray<LaneId, 14>;
    const LaneList &groupLanes(int group) const { return m_groups[size_t(group)].lanes; }
    // Of groupLanes(), those not ended at the playhead: a task not finished, failed or
    // cancelled; an instance not in a terminal state. Counted as events arrive, so O(1).
    qsizetype groupAlive(int group) const
    {
        const GroupRecord &g = m_groups[size_t(group)];
        return qsizetype(g.lanes.size()) - g.ended;
    }
    const TimelineSpanTable &groupSpans(int group) const { return m_groups[size_t(group)].spans; }

    // Exceptions, in the order they were raised.
    int pathCount() const { return int(m_paths.size()); }
    const TimelinePath &path(int index) const { return m_paths[size_t(index)]; }
    int pathOf(ExcId exception) const;
    // Latest lastTime() among paths [0, index]: lets a reader skip paths that end before a range.
    qint64 pathReach(int index) const { return m_pathReach[size_t(index)]; }
    // Last path raised at or before `time` (-1 if none).
    int lastPathIndex(double time) const;

    // TaskGroups and gathers with the tasks they own, in order of their first task.
    const std::vector<TimelineOwner> &owners() const { return m_owners; }
    // The owner a task joined (an index into owners()), or -1.
    int ownerOf(LaneId task) const;
    // When an owner's frame ends: the latest end of its tasks and (a TaskGroup) of its own lane;
    // the playhead while any is still going.
    qint64 ownerEnd(int owner) const
    {
        const TimelineOwner &o = m_owners[size_t(owner)];
        return o.open > 0 ? std::max(o.lastEnd, m_playheadTime) : o.lastEnd;
    }

    // Cancellations, in event order (so by time).
    const std::vector<TimelineCancel> &cancels() const { return m_cancels; }
    // The deadline of a timeout lane, or nullptr (another lane, or `timeout(None)`).
    const TimelineDeadline *deadline(LaneId lane) const;

    size_t memoryUsage() const;
    // What is shown, for the legend; kept up to date as events are read.
    TimelineUsage usage() const;

private:
    // One per lane, and a big trace has millions of lanes of a few spans each: 48 bytes.
    struct LaneRecord
    {
        TimelineSpanTable spans;
        // The lane's own lines, in order; made at its first (most lanes never print).
        std::unique_ptr<std::vector<TimelinePrint>> prints;
        qint32 groupOpen = -1; // this lane's open span in its group table (2^31 spans: 48 GB)
        bool present = false;
    };
    static_assert(sizeof(LaneRecord) <= 48, "a million lanes have a record each");
    struct GroupRecord
    {
        TimelineSpanTable spans { TimelineSpanTable::Summary::LatestEnd };
        LaneList lanes;
        qsizetype ended = 0; // lanes whose last span closed with a terminal state
        int label = -1;
    };
    struct PendingLink
    {
        int path;
        int hop;
    };

    QString labelText(int label) const;
    size_t lanesUsed(const EventLog &log, size_t from, size_t to) const;
    void syncLanes(const EventLog &log, size_t lanes);
    void reserveFor(const EventLog &log, size_t from, size_t to);
    void process(const EventLog &log, size_t index);
    void touchLane(LaneId lane);
    void beginSpan(LaneId lane, qint64 time, SpanKind kind, quint32 event);
    void closeSpan(LaneId lane, qint64 time, SpanEnd state);
    void markDirty(LaneId lane);
    void raised(const EventLog &log, const Event &e, quint32 index);
    void hopped(const Event &e, quint32 index);
    int ensurePath(ExcId exception, const Event &e, quint32 index);
    void linkSuccessor(ExcId old, ExcId successor, bool grouped);
    void cancelRequested(const Event &e, quint32 index);
    void taskAwaits(LaneId instance, Phase phase, bool ended, qint64 time, quint32 event);
    // `fresh`: a new span even if the lane already shows `kind` (a second sleep in a row).
    void setTaskWait(LaneId task, SpanKind kind, qint64 time, quint32 event, bool fresh = false);
    void awaits(const Event &e, quint32 index);
    void taskActs(const Event &e, quint32 index);
    void joined(const EventLog &log, const Event &e, quint32 index);
    void ownedEnded(const std::unordered_map<LaneId, int> &by, LaneId lane, qint64 time);
    bool hasEnded(LaneId lane) const;
    enum class ScopeKind : quint8 { Unknown, Plain, Timeout, TaskGroup, Lock };
    ScopeKind scopeKind(LaneId instance);
    void noteDeadline(const EventLog &log, LaneId lane, qint64 time);

    // Chunked: a live run of half a million lanes must never copy the whole table in a frame.
    ChunkedArray<LaneInfo> m_laneInfo;
    ChunkedArray<QString> m_labels; // one per task name: chunked like the lanes
    ChunkedArray<LaneRecord> m_lanes;
    std::vector<GroupRecord> m_groups;
    std::vector<LaneId> m_dirtyLanes;
    std::vector<TimelinePath> m_paths;
    std::vector<qint64> m_pathReach;
    std::vector<int> m_pathOf; // by exception id; -1 when not raised yet
    // Successors seen so far: exceptions whose context/cause is the key, groups holding it.
    std::unordered_map<ExcId, ExcId> m_replacedBy;
    std::unordered_map<ExcId, ExcId> m_groupedInto;
    std::unordered_multimap<ExcId, PendingLink> m_pending;
    std::vector<TimelineCancel> m_cancels;
    std::vector<TimelineOwner> m_owners;
    std::unordered_map<LaneId, int> m_ownerOf; // by task lane
    std::unordered_map<LaneId, int> m_ownerOfGroup; // by TaskGroup lane
    std::unordered_map<int, int> m_ownerOfGather; // by the `gather #N` label
    // Tasks blocked on a sleep, a task or a gather: their next event ends it. Few at a time in
    // most runs, and empty in a run without such waits, which then pays nothing per event.
    std::unordered_set<LaneId> m_plainWaits;
    // By lane group (one class or function each): what its lanes' names say it is, read once
    // per group rather than once per phase event.
    std::vector<ScopeKind> m_scopeKinds;
    // Only timeout lanes have one: a map, not a field of every lane's record.
    std::unordered_map<LaneId, TimelineDeadline> m_deadlines;
    TimelineUsage m_usage; // all but `open`, which usage() counts
    size_t m_eventCount = 0;
    qint64 m_playheadTime = 0;
    quint64 m_revision = 0;
};

} // namespace Lifeline
