// SPDX-License-Identifier: MIT
#pragma once
// The append-only record of one run: the single source of truth for every view and export.
// An event is stored in 9 bytes plus its share of a time run (the timeline keeps about one event
// per span, see README); payloads live in side tables (lanes, exceptions, printed lines). The log
// knows nothing about pixels, widgets or the scenario format; views derive spans by pairing
// consecutive phase events per lane.

#include "chunkedarray.h"
#include "exceptiontypes.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <algorithm>
#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <vector>

namespace Lifeline {

using LaneId = qint32;
using ExcId = qint32;
constexpr qint32 None = -1;

enum class EventKind : quint8 {
    TaskCreated, // subject: task lane; arg: creating task lane or None
    TaskStarted, // subject: task lane (first step ran)
    TaskEnded, // subject: task lane; detail: TaskOutcome; arg: exception or None
    PhaseBegan, // subject: instance lane; detail: Phase; arg: step id that drove it
    InstanceEnded, // subject: instance lane; detail: LifecycleState (a terminal one)
    Printed, // subject: task lane; arg: index into prints()
    ExceptionRaised, // subject: exception; arg: lane where it was raised; detail: RaiseOrigin
    ExceptionHop, // subject: exception; arg: lane of the scope it crossed; detail: HopAction
    CancelRequested, // subject: task lane cancel() was called on (not done yet); detail:
                     // CancelCause; arg: the lane that caused it (CancelCause says which) or None
    StepBegan, // subject: task lane; arg: step id; only when the run records steps
               // (Interpreter::setRecordSteps), for the code view
    TaskAwaits, // subject: task lane; detail: WaitKind; arg: Sleep and Gather: a label
                // (`sleep(0.1)`, `gather #1`); Task: the awaited task's lane
    TaskJoined, // subject: task lane; detail: JoinKind; arg: TaskGroup: the TaskGroup's lane;
                // Gather: the label `gather #N`
};

// What a task blocks on (TaskAwaits). Its lane shows the wait until the task's next event.
enum class WaitKind : quint8 {
    Sleep, // asyncio.sleep() with a delay over 0
    Task, // another task, awaited directly
    Gather, // the future a gather() returned
};

// Who owns a task (TaskJoined): the timeline draws the owner over the tasks it holds.
enum class JoinKind : quint8 {
    TaskGroup, // made by TaskGroup.create_task
    Gather, // a child of a gather() (made by it from a coroutine, or a task passed to it)
};

// What a resource instance is doing; PhaseBegan moves a lane into one of the first four.
enum class Phase : quint8 { Acquire, Ready, Execute, Release };
constexpr int PhaseCount = int(Phase::Release) + 1;

enum class LifecycleState : quint8 {
    Created,
    Acquiring,
    Ready,
    Executing,
    Releasing,
    Released,
    FailedToAcquire,
    Cancelled, // acquisition interrupted by CancelledError
    NeverReleased, // the run ended and its release never ran (or never finished), or a
                   // generator let the exception thrown in at its yield out having run none
                   // of its cleanup
};

// The state each Phase moves its instance into: a table, so that neither enum's order matters.
constexpr LifecycleState kPhaseStates[] = {
    LifecycleState::Acquiring,
    LifecycleState::Ready,
    LifecycleState::Executing,
    LifecycleState::Releasing,
};
static_assert(std::size(kPhaseStates) == PhaseCount, "one LifecycleState per Phase");
constexpr LifecycleState stateDuring(Phase phase)
{
    return kPhaseStates[int(phase)];
}

enum class TaskOutcome : quint8 { Finished, Failed, Cancelled };

// What a scope did with an exception passing through it.
enum class HopAction : quint8 {
    Propagated, // left the scope unchanged (exit returned false, finally re-raised, ...)
    Suppressed, // the scope's exit swallowed it
    Replaced, // the scope raised another exception instead (its context or cause is this one)
    Grouped, // a TaskGroup wrapped it into an ExceptionGroup
    Caught, // an except clause matched it
    Escaped, // it left a task (or main, ending the run)
};

// Why Task.cancel() was called: where a cancellation comes from, for the timeline's line from
// its cause to the task it hits. Only calls on a task not done are recorded (cancel() returns
// True), so a run gets one event per cancellation, never one per step.
enum class CancelCause : quint8 {
    Call, // the program called task.cancel(); arg: the task that called it, or None
    Awaiter, // the task awaiting it (directly or through gather) was cancelled; arg: that task
    Deadline, // an asyncio.timeout's deadline passed; arg: the timeout's lane
    Sibling, // a task of its TaskGroup failed (the group aborts, or cancels its parent task);
             // arg: the failing task
    GroupExit, // its TaskGroup aborts from __aexit__ (the body raised, or the waiting parent
               // was cancelled); arg: the TaskGroup's lane
    Shutdown, // asyncio.run cancels the tasks left when main returns; arg: None
};

enum class RaiseOrigin : quint8 {
    Raise, // a raise statement: a raise step, a phase's raise, an execute's fail or its
           // "Not connected"
    Reraise, // a bare raise
    Runtime, // raised by Python or asyncio (generator didn't yield, UnboundLocalError, ...)
    Cancel, // a CancelledError made by a cancellation
    Timeout, // TimeoutError from asyncio.timeout
    Group, // ExceptionGroup from a TaskGroup
};

struct Event
{
    qint64 time : 48; // clock ticks: virtual milliseconds, or a traced program's ns (ticksPerMs)
    qint64 kindBits : 8;
    qint64 detail : 8;
    quint32 subject;
    quint32 arg;

    EventKind kind() const { return EventKind(quint8(kindBits)); }
    qint32 argId() const { return qint32(arg); } // arg as a possibly-None id

    // What subject, arg and detail mean for each kind (see EventKind), decoded here only.
    bool isAboutException() const
    {
        return kind() == EventKind::ExceptionRaised || kind() == EventKind::ExceptionHop;
    }
    // The lane the event happens on: the task or instance it is about, or for an exception's
    // events the lane it was raised in or crossed. None: a print or raise outside any task.
    LaneId lane() const { return isAboutException() ? argId() : LaneId(subject); }
    // An exception's events: the exception. TaskEnded: the one that escaped the task, or None.
    ExcId exception() const { return kind() == EventKind::TaskEnded ? argId() : ExcId(subject); }
    // TaskCreated: the creating task; CancelRequested: the lane that caused it. None if neither.
    LaneId byLane() const { return argId(); }
    // TaskAwaits of WaitKind::Task: the awaited task; TaskJoined of JoinKind::TaskGroup: the
    // TaskGroup's lane.
    LaneId targetLane() const { return argId(); }
    // TaskAwaits of Sleep or Gather, TaskJoined of Gather: the label naming what it waits on
    // or joins (EventLog::label()).
    int targetLabel() const { return argId(); }
    WaitKind waitKind() const
    {
        Q_ASSERT(kind() == EventKind::TaskAwaits);
        return WaitKind(quint8(detail));
    }
    JoinKind joinKind() const
    {
        Q_ASSERT(kind() == EventKind::TaskJoined);
        return JoinKind(quint8(detail));
    }
    // PhaseBegan: the step that drove it (None in a trace); StepBegan: the step.
    quint32 step() const { return arg; }
    // Printed: the index into EventLog::print().
    int printIndex() const { return argId(); }
    Phase phase() const
    {
        Q_ASSERT(kind() == EventKind::PhaseBegan);
        return Phase(quint8(detail));
    }
    LifecycleState state() const
    {
        Q_ASSERT(kind() == EventKind::InstanceEnded);
        return LifecycleState(quint8(detail));
    }
    TaskOutcome outcome() const
    {
        Q_ASSERT(kind() == EventKind::TaskEnded);
        return TaskOutcome(quint8(detail));
    }
    RaiseOrigin origin() const
    {
        Q_ASSERT(kind() == EventKind::ExceptionRaised);
        return RaiseOrigin(quint8(detail));
    }
    HopAction hop() const
    {
        Q_ASSERT(kind() == EventKind::ExceptionHop);
        return HopAction(quint8(detail));
    }
    CancelCause cause() const
    {
        Q_ASSERT(kind() == EventKind::CancelRequested);
        return CancelCause(quint8(detail));
    }
};

enum class LaneKind : quint8 { Task, Instance };

struct LaneInfo
{
    qint32 label; // index into the labels: task name, or the call that made the instance,
                  // arguments as their repr(): `Conn('db')`, `Conn()`, `timeout(0.15)`
    qint32 parent; // instance: the task lane that entered it; task: the creating task lane
    qint32 group; // instance: its lane group, the instances of one class or function (a
                  // scenario's: its resource's index, then TaskGroups, then timeouts:
                  // LaneGroups); task: None
    quint32 ordinal : 31; // instance: #N among its group's (1-based); task: creation order
    quint32 isInstance : 1;

    LaneKind kind() const { return isInstance ? LaneKind::Instance : LaneKind::Task; }
};
static_assert(sizeof(LaneInfo) == 16, "a million instances make two million lanes");

struct ExceptionRecord
{
    int type = 0;
    bool hasMessage = false;
    bool suppressContext = false;
    QString message;
    ExcId context = None;
    ExcId cause = None;
    std::vector<ExcId> members; // exception groups only
};

class EventLog
{
public:
    class const_iterator;

    explicit EventLog(ExceptionTypes types = {});
    // Labels point into the log itself: it moves (a deque's elements stay put) but never copies.
    EventLog(const EventLog &) = delete;
    EventLog &operator=(const EventLog &) = delete;
    EventLog(EventLog &&) = default;
    EventLog &operator=(EventLog &&) = default;

    const ExceptionTypes &types() const { return m_types; }
    // To add classes to: a live trace's replay learns them as the program defines them. Ids
    // already given never change.
    ExceptionTypes &growTypes() { return m_types; }

    // The clock's ticks per millisecond: 1 for a scenario's virtual milliseconds, 1,000,000 for
    // a trace of a real clock in nanoseconds. Events keep ticks; views divide for display.
    qint64 ticksPerMs() const { return m_ticksPerMs; }
    void setTicksPerMs(qint64 ticks) { m_ticksPerMs = ticks; }

    // Recording. Every append is O(1) amortized.
    void append(qint64 time, EventKind kind, quint32 subject, quint32 arg = quint32(None),
                quint8 detail = 0)
    {
        Q_ASSERT(quint8(kind) < 16 && detail < 16);
        const size_t offset = m_count & kChunkMask;
        if (offset == 0)
            addChunk();
        EventChunk &c = m_chunks.back();
        if (c.runTimes.empty() || c.runTimes.back() != time) {
            c.runStarts.push_back(quint16(offset));
            c.runTimes.push_back(time);
        }
        c.ids[offset] = quint64(subject) | quint64(arg) << 32;
        c.kinds[offset] = quint8(quint8(kind) | detail << 4);
        ++m_count;
    }
    int internLabel(const QString &label);
    // A label the log refers to without copying (a task's name in the scenario, which a million
    // tasks would otherwise repeat here): `label` must outlive the log.
    int addBorrowedLabel(const QString *label)
    {
        m_labels.push_back(label);
        return int(m_labels.size() - 1);
    }
    LaneId addLane(LaneKind kind, int label, LaneId parent, int group, int ordinal);
    ExcId newException(int type, const QString &message, bool hasMessage);
    ExceptionRecord &exception(ExcId id) { return m_exceptions[size_t(id)]; }
    // A traced program's exception prints as Python printed it (`KeyError('k')`, a group with
    // its members): repr() and str() return these instead of the texts they would build.
    void setExceptionText(ExcId id, const QString &repr, const QString &str);
    // A printed line is a text id and the step that printed it: a phase's print repeats one
    // text per instance, so the interpreter adds each distinct text once and prints it by id.
    quint32 addPrintText(const QString &text);
    int addPrint(quint32 textId, quint32 stepId);
    int addPrint(const QString &line, quint32 stepId = 0)
    {
        return addPrint(addPrintText(line), stepId);
    }

    // Reading.
    size_t count() const { return m_count; }
    Event at(size_t i) const;
    // Just the kind of event `i`: no time lookup, for scans over millions of events.
    EventKind kindAt(size_t i) const
    {
        return EventKind(m_chunks[i >> kChunkBits].kinds[i & kChunkMask] & 0xf);
    }
    const_iterator begin() const;
    const_iterator end() const;
    // `for (const Event &e : log.events())` reads every event in order.
    const EventLog &events() const { return *this; }
    size_t laneCount() const { return m_laneCount; }
    const LaneInfo &lane(LaneId id) const
    {
        return m_laneChunks[size_t(id) >> kLaneChunkBits][size_t(id) & kLaneChunkMask];
    }
    int labelCount() const { return int(m_labels.size()); }
    const QString &label(int index) const { return *m_labels[size_t(index)]; }
    const ExceptionRecord &exception(ExcId id) const { return m_exceptions[size_t(id)]; }
    int exceptionCount() const { return int(m_exceptions.size()); }
    const QString &print(int index) const { return m_printTexts[m_printLines[size_t(index)].text]; }
    // The text id of a printed line (lines that print the same text share one), and its text.
    quint32 printTextId(int index) const { return m_printLines[size_t(index)].text; }
    const QString &printText(quint32 textId) const { return m_printTexts[textId]; }
    // The step whose print (or phase print) wrote the line: the code view's current line.
    quint32 printStep(int index) const { return m_printLines[size_t(index)].step; }
    int printCount() const { return int(m_printLines.size()); }
    qint64 endTime() const { return m_count ? m_chunks.back().runTimes.back() : 0; }

    // `AsyncDatabaseConnection('postgresql://localhost/mydb') #1`, or the task's name.
    QString laneName(LaneId id) const;
    // Python's repr(), and str() as print(e) shows it (or the texts setExceptionText gave).
    QString repr(ExcId id) const;
    QString str(ExcId id) const;
    // The chain Python's traceback prints, newest first: cause where set, else context unless
    // suppressed; stops at a repeat.
    std::vector<ExcId> chain(ExcId id) const;
    // Bytes held, for the benchmarks' per-span figure.
    size_t memoryUsage() const;
    // Only for a log about to be destroyed: frees up to `count` printed texts (a million of
    // them take ~15 ms to free, so a GUI frees them a slice at a time); returns how many are
    // left. The printed lines are gone from the log afterwards.
    size_t releasePrints(size_t count);

    static const char *kindName(EventKind kind);
    static const char *phaseName(Phase phase);
    static const char *stateName(LifecycleState state);
    static const char *hopName(HopAction action);
    static const char *outcomeName(TaskOutcome outcome);
    static const char *originName(RaiseOrigin origin);
    static const char *causeName(CancelCause cause);
    static const char *waitName(WaitKind kind);
    static const char *joinName(JoinKind kind);

private:
    // Events are stored in chunks, 9 bytes each (subject and arg; kind and detail in one byte),
    // with times kept as runs: on a virtual clock thousands of events share each millisecond.
    // Chunks never move, so appending never copies what is recorded.
    static constexpr size_t kChunkBits = 14;
    static constexpr size_t kChunkSize = size_t(1) << kChunkBits;
    static constexpr size_t kChunkMask = kChunkSize - 1;
    struct EventChunk
    {
        std::unique_ptr<quint64[]> ids; // subject | arg << 32
        std::unique_ptr<quint8[]> kinds; // kind | detail << 4
        std::vector<quint16> runStarts; // offset of each run's first event
        std::vector<qint64> runTimes; // and its time
    };
    void addChunk();
    // Lanes likewise: a million instances make two million lanes, and doubling a vector of
    // them would leave up to half its bytes unused.
    static constexpr size_t kLaneChunkBits = 12;
    static constexpr size_t kLaneChunkMask = (size_t(1) << kLaneChunkBits) - 1;

    ExceptionTypes m_types;
    std::vector<EventChunk> m_chunks;
    size_t m_count = 0;
    std::vector<std::unique_ptr<LaneInfo[]>> m_laneChunks;
    size_t m_laneCount = 0;
    std::deque<ExceptionRecord> m_exceptions;
    // Side data, empty for a scenario's run: a record stays as small as a scenario needs.
    struct ExceptionText
    {
        QString repr, str;
    };
    QHash<ExcId, ExceptionText> m_exceptionTexts;
    qint64 m_ticksPerMs = 1;
    struct PrintLine
    {
        quint32 text; // into m_printTexts
        quint32 step;
    };
    std::deque<QString> m_printTexts;
    ChunkedArray<PrintLine, 14> m_printLines;
    // Into m_ownLabels, or borrowed. Chunked: a trace's 2.5 million labels grew this by doubling
    // copies, one of 20 ms into fresh pages inside an engine slice.
    ChunkedArray<const QString *, 14> m_labels;
    std::deque<QString> m_ownLabels;
    QHash<QString, int> m_labelIndex;
};

// Reads events in order; yields them by value (the log stores them packed).
class EventLog::const_iterator
{
public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Event;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Event;

    const_iterator() = default;
    const_iterator(const EventLog *log, size_t index)
        : m_log(log)
        , m_index(index)
    {
    }
    Event operator*() const { return m_log->at(m_index); }
    const_iterator &operator++()
    {
        ++m_index;
        return *this;
    }
    const_iterator operator++(int)
    {
        const_iterator old = *this;
        ++m_index;
        return old;
    }
    bool operator==(const const_iterator &o) const { return m_index == o.m_index; }
    bool operator!=(const const_iterator &o) const { return m_index != o.m_index; }

private:
    const EventLog *m_log = nullptr;
    size_t m_index = 0;
};

inline Event EventLog::at(size_t i) const
{
    const EventChunk &c = m_chunks[i >> kChunkBits];
    const size_t offset = i & kChunkMask;
    size_t run = 0;
    if (c.runStarts.size() > 1) {
        const auto it = std::upper_bound(c.runStarts.begin(), c.runStarts.end(), quint16(offset));
        run = size_t(it - c.runStarts.begin()) - 1;
    }
    const quint64 ids = c.ids[offset];
    const quint8 kind = c.kinds[offset];
    Event e;
    e.time = c.runTimes[run];
    e.kindBits = kind & 0xf;
    e.detail = kind >> 4;
    e.subject = quint32(ids);
    e.arg = quint32(ids >> 32);
    return e;
}

inline EventLog::const_iterator EventLog::begin() const
{
    return { this, 0 };
}
inline EventLog::const_iterator EventLog::end() const
{
    return { this, m_count };
}

// Python's repr() of a str: single quotes unless only double quotes avoid escaping.
QString pythonStringRepr(const QString &s);
// Python's str.isprintable() for one code point (what repr() leaves unescaped).
bool pythonIsPrintable(char32_t c);

} // namespace Lifeline
