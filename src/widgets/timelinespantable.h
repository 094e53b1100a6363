// SPDX-License-Identifier: MIT
#pragma once
// The spans of one timeline track (a lane, or a group's summary of all its lanes), ordered by
// start time, with a precomputed level-of-detail pyramid: for each block of 8, 64, 512, ...
// consecutive spans, the one that best represents it. Answers in time and indexes only; the
// painter turns "which span stands for spans [first, last)" into one rectangle per pixel column.
// Not thread-safe; refreshSummary() must run after changes and before queries.

#include "chunkedarray.h"
#include "eventlog.h"

#include <QtGlobal>
#include <iterator>
#include <limits>
#include <memory>
#include <vector>

namespace Lifeline {

// The first four are an instance's phases. A task lane is waiting (created, not started) or
// running, and while it runs, what it awaits: one of its own instances' phases (entering,
// calling a method of, or exiting an instance, waiting in a TaskGroup's __aexit__ for the
// group's tasks, or for a Lock or Semaphore), or what a TaskAwaits event names (a sleep, another
// task, a gather) until the task's next event. A future awaited any other way shows as running.
enum class SpanKind : quint8 {
    Acquire,
    Ready,
    Execute,
    Release,
    TaskWaiting,
    TaskRunning,
    TaskEntering,
    TaskCalling,
    TaskExiting,
    TaskJoining,
    TaskLocking,
    TaskSleeping,
    TaskAwaitingTask,
    TaskGathering,
};
constexpr int SpanKindCount = 14;

// The span each Phase opens on its instance's lane: the one place a Phase becomes a SpanKind.
constexpr SpanKind kPhaseSpans[] = {
    SpanKind::Acquire,
    SpanKind::Ready,
    SpanKind::Execute,
    SpanKind::Release,
};
static_assert(std::size(kPhaseSpans) == PhaseCount, "one SpanKind per Phase");
constexpr SpanKind spanKindOf(Phase phase)
{
    return kPhaseSpans[int(phase)];
}

// The phases' kinds come first, so that telling them apart is one comparison in the painter.
constexpr bool phaseSpansComeFirst()
{
    for (int i = 0; i < PhaseCount; ++i) {
        if (kPhaseSpans[i] != SpanKind(i))
            return false;
    }
    return true;
}
static_assert(phaseSpansComeFirst(), "isInstancePhase() counts on the phases' kinds coming first");
constexpr bool isInstancePhase(SpanKind k)
{
    return int(k) < PhaseCount;
}

// The Phase an instance's span shows; only for isInstancePhase(k).
constexpr Phase phaseOf(SpanKind k)
{
    for (int i = 0; i < PhaseCount; ++i) {
        if (kPhaseSpans[i] == k)
            return Phase(i);
    }
    return Phase::Acquire;
}

// How a span ended. Open: still running at the playhead (drawn up to it).
enum class SpanEnd : quint8 {
    Open,
    Next, // the lane moved on to its next phase
    Released,
    FailedToAcquire,
    Cancelled,
    NeverReleased, // the run ended first: drawn open-ended up to the end of the run
    TaskFinished,
    TaskFailed,
    TaskCancelled,
};

struct TimelineSpan
{
    qint64 start : 48; // virtual ms
    qint64 kindBits : 8;
    qint64 endBits : 8;
    qint64 end; // virtual ms; OpenEnd while the span is open
    quint32 event; // index of the event that began it
    LaneId lane;

    static constexpr qint64 OpenEnd = std::numeric_limits<qint64>::max();
    // A span of `kind` on `lane` that `event` began at `time`, still open.
    static TimelineSpan opened(qint64 time, SpanKind kind, quint32 event, LaneId lane)
    {
        TimelineSpan s;
        s.start = time;
        s.kindBits = qint64(kind);
        s.endBits = qint64(SpanEnd::Open);
        s.end = OpenEnd;
        s.event = event;
        s.lane = lane;
        return s;
    }
    SpanKind kind() const { return SpanKind(quint8(kindBits)); }
    SpanEnd endState() const { return SpanEnd(quint8(endBits)); }
    bool isOpen() const { return end == OpenEnd; }
};
static_assert(sizeof(TimelineSpan) == 24, "spans must stay 24 bytes");

class TimelineSpanTable
{
public:
    // Lanes never overlap themselves, so the widest span of a block is its best stand-in.
    // Summaries overlap; the span reaching furthest right is, since all in a block start
    // within one pixel column, also the widest to within that column.
    enum class Summary : quint8 { Widest, LatestEnd };

    explicit TimelineSpanTable(Summary summary = Summary::Widest)
        : m_summary(summary)
    {
    }

    qsizetype count() const { return qsizetype(m_spans.size()); }
    const TimelineSpan &at(qsizetype i) const { return m_spans[size_t(i)]; }
    qint64 start(qsizetype i) const { return at(i).start; }
    // Open spans end at `openEnd` (the playhead time).
    qint64 end(qsizetype i, qint64 openEnd) const { return at(i).isOpen() ? openEnd : at(i).end; }
    SpanKind kind(qsizetype i) const { return at(i).kind(); }
    SpanEnd endState(qsizetype i) const { return at(i).endState(); }

    // First span starting at or after `time` (count() if none).
    qsizetype firstIndex(double time) const;
    // Last span starting at or before `time` (-1 if none).
    qsizetype lastIndex(double time) const;
    // First span in [from, count()) starting at or after `time`; cheap when it is near `from`.
    qsizetype nextIndex(qsizetype from, double time) const;
    // The span that stands for [first, last) at a glance (see Summary); -1 when empty.
    qsizetype representative(qsizetype first, qsizetype last) const;
    // A hint that nextIndex() and representative() will soon look at about [first, last):
    // starts loading what they will read. In a table of millions each pixel column's queries
    // miss the cache at every level; asked one column ahead, the loads overlap the work.
    void prefetch(qsizetype first, qsizetype last) const;

    // Building. Spans must be appended in start order.
    void reserve(qsizetype n) { m_spans.reserve(size_t(n)); }
    void append(const TimelineSpan &span);
    void close(qsizetype i, qint64 end, SpanEnd state);
    // A span that turns out to be another kind from its very start (a task's wait that ended
    // at the instant it began): no zero-length sliver.
    // `event` is the one that made it that kind.
    void retype(qsizetype i, SpanKind kind, quint32 event)
    {
        m_spans[size_t(i)].kindBits = qint64(kind);
        m_spans[size_t(i)].event = event;
    }
    void clear();
    bool needsRefresh() const
    {
        return qsizetype(m_dirtyFrom) < count() || (m_large && !m_large->closedSince.empty());
    }
    // Brings the pyramid up to date from the first span changed since the last refresh.
    void refreshSummary();
    size_t memoryUsage() const;

    static constexpr int Fanout = 8;
    static constexpr qsizetype MinCountForLevels = 2 * Fanout;
    static constexpr qsizetype StartBlock = 64;
    static constexpr qsizetype StartSubBlock = 8;

private:
    // A candidate with its key stored, so upper levels never touch the spans (cache misses
    // on a 10M-span table are what a zoomed-out frame would otherwise spend its time on).
    struct Best
    {
        qint64 key;
        quint32 index;
    };
    qint64 key(quint32 i) const
    {
        const TimelineSpan &s = m_spans[i];
        if (s.isOpen())
            return std::numeric_limits<qint64>::max() - s.start; // earliest open span is widest
        return m_summary == Summary::Widest ? s.end - s.start : s.end;
    }
    Best leaf(qsizetype i) const { return { key(quint32(i)), quint32(i) }; }
    // Ties go to the earlier span, so answers do not depend on how a range was split.
    static Best better(Best a, Best b)
    {
        return b.key > a.key || (b.key == a.key && b.index < a.index) ? b : a;
    }

    template <typename Before>
    qsizetype partitionIndex(qsizetype lo, qsizetype hi, Before before) const;

    // The pyramid's levels: none below MinCountForLevels spans.
    // Chunked: a group's summary of millions of spans grew its first level by doubling copies
    // into fresh pages, 20-50 ms inside a paint.
    using Level = ChunkedArray<Best, 12>;
    const std::vector<Level> &levels() const;

    ChunkedArray<TimelineSpan> m_spans;
    // What only long tracks need, made when a track reaches MinCountForLevels spans: a short
    // lane's table is 32 bytes and its spans (a million lanes of a few spans each are common):
    // - levels[k][j]: best span of the j-th complete block of Fanout^(k+1) spans;
    // - the start of every StartBlock-th and StartSubBlock-th span: long searches gallop over
    //   the first (a 1M-span track's is 128 KB, so it stays in cache), narrow the block down
    //   with the second (one cache line) and finish in eight spans, instead of probing the
    //   24 MB span array a cache miss at a time (starts never change once appended);
    // - spans before m_dirtyFrom closed since the last refresh: only their ancestors change (a
    //   summary's early spans close late, and refreshing from the first of them would redo the
    //   whole pyramid every frame of a run whose lifecycles all overlap).
    struct LargeTrack
    {
        std::vector<Level> levels;
        std::vector<qint64> blocks;
        std::vector<qint64> subs;
        std::vector<qsizetype> closedSince;
    };
    std::unique_ptr<LargeTrack> m_large;
    quint32 m_dirtyFrom = 0; // a ChunkedArray counts to 2^32 too
    Summary m_summary;
};
static_assert(sizeof(TimelineSpanTable) == 32, "a million short lanes have a table each");

} // namespace Lifeline
