#pragma once
// The append-only record of one run: the single source of truth for every view and export.
// Events are 16 bytes (the timeline keeps about one event per span, see README); their payloads
// live in side tables (lanes, exceptions, printed lines). The log knows nothing about pixels,
// widgets or the scenario format; views derive spans by pairing consecutive phase events per lane.

#include "exceptiontypes.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <deque>
#include <vector>

namespace Lifeline {

using LaneId = qint32;
using ExcId = qint32;
constexpr qint32 None = -1;

enum class EventKind : quint8 {
    TaskCreated,     // subject: task lane; arg: creating task lane or None
    TaskStarted,     // subject: task lane (first step ran)
    TaskEnded,       // subject: task lane; detail: TaskOutcome; arg: exception or None
    PhaseBegan,      // subject: instance lane; detail: Phase; arg: step id that drove it
    InstanceEnded,   // subject: instance lane; detail: LifecycleState (a terminal one)
    Printed,         // subject: task lane; arg: index into prints()
    ExceptionRaised, // subject: exception; arg: lane where it was raised; detail: RaiseOrigin
    ExceptionHop,    // subject: exception; arg: lane of the scope it crossed; detail: HopAction
    StepBegan,       // subject: task lane; arg: step id; only when the run records steps
                     // (Interpreter::setRecordSteps), for the code view
};

// What a resource instance is doing; PhaseBegan moves a lane into one of the first four.
enum class Phase : quint8 { Acquire, Ready, Execute, Release };

enum class LifecycleState : quint8 {
    Created,
    Acquiring,
    Ready,
    Executing,
    Releasing,
    Released,
    FailedToAcquire,
    Cancelled,     // acquisition interrupted by CancelledError
    NeverReleased, // the run ended and its release never ran (or never finished)
};

enum class TaskOutcome : quint8 { Finished, Failed, Cancelled };

// What a scope did with an exception passing through it.
enum class HopAction : quint8 {
    Propagated, // left the scope unchanged (exit returned false, finally re-raised, ...)
    Suppressed, // the scope's exit swallowed it
    Replaced,   // the scope raised another exception instead (its context or cause is this one)
    Grouped,    // a TaskGroup wrapped it into an ExceptionGroup
    Caught,     // an except clause matched it
    Escaped,    // it left a task (or main, ending the run)
};

enum class RaiseOrigin : quint8 {
    Raise,      // a raise step, a phase's raise or an execute's fail
    Reraise,    // a bare raise
    Runtime,    // raised by the machinery (Not connected, generator didn't yield, ...)
    Cancel,     // a CancelledError made by a cancellation
    Timeout,    // TimeoutError from asyncio.timeout
    Group,      // ExceptionGroup from a TaskGroup
};

struct Event
{
    qint64 time : 48; // virtual milliseconds
    qint64 kindBits : 8;
    qint64 detail : 8;
    quint32 subject;
    quint32 arg;

    EventKind kind() const { return EventKind(quint8(kindBits)); }
    qint32 argId() const { return qint32(arg); } // arg as a possibly-None id
};
static_assert(sizeof(Event) == 16, "events must stay 16 bytes");

enum class LaneKind : quint8 { Task, Instance };

struct LaneInfo
{
    qint32 label;   // index into labels(): task name, or the resource's call text
    qint32 parent;  // instance: the task lane that entered it; task: the creating task lane
    qint32 group;   // instance: resource index; task: None
    qint32 ordinal; // instance: #N among its resource's instances (1-based); task: creation order
    LaneKind kind;
};

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
    explicit EventLog(ExceptionTypes types = {});

    const ExceptionTypes &types() const { return m_types; }

    // Recording. Every append is O(1) amortized.
    void append(qint64 time, EventKind kind, quint32 subject, quint32 arg = quint32(None),
                quint8 detail = 0)
    {
        Event e;
        e.time = time;
        e.kindBits = qint64(kind);
        e.detail = detail;
        e.subject = subject;
        e.arg = arg;
        m_events.push_back(e);
    }
    int internLabel(const QString &label);
    // A label used once (a task's name: every TASK runs at most once), without deduplication.
    int addLabel(const QString &label)
    {
        m_labels.append(label);
        return int(m_labels.size() - 1);
    }
    LaneId addLane(LaneKind kind, int label, LaneId parent, int group, int ordinal);
    ExcId newException(int type, const QString &message, bool hasMessage);
    ExceptionRecord &exception(ExcId id) { return m_exceptions[size_t(id)]; }
    int addPrint(const QString &line, quint32 stepId = 0);
    void reserve(size_t events) { m_events.reserve(events); }

    // Reading.
    size_t count() const { return m_events.size(); }
    const Event &at(size_t i) const { return m_events[i]; }
    const std::vector<Event> &events() const { return m_events; }
    const std::vector<LaneInfo> &lanes() const { return m_lanes; }
    const LaneInfo &lane(LaneId id) const { return m_lanes[size_t(id)]; }
    const QStringList &labels() const { return m_labels; }
    const ExceptionRecord &exception(ExcId id) const { return m_exceptions[size_t(id)]; }
    int exceptionCount() const { return int(m_exceptions.size()); }
    const QString &print(int index) const { return m_prints[size_t(index)]; }
    // The step whose print (or phase print) wrote the line: the code view's current line.
    quint32 printStep(int index) const { return m_printSteps[size_t(index)]; }
    int printCount() const { return int(m_prints.size()); }
    qint64 endTime() const { return m_events.empty() ? 0 : qint64(m_events.back().time); }

    // `AsyncDatabaseConnection('postgresql://localhost/mydb') #1`, or the task's name.
    QString laneName(LaneId id) const;
    // Python's repr(), and str() as print(e) shows it.
    QString repr(ExcId id) const;
    QString str(ExcId id) const;
    // The chain Python's traceback prints, newest first: cause where set, else context unless
    // suppressed; stops at a repeat.
    std::vector<ExcId> chain(ExcId id) const;
    // Bytes held, for the benchmarks' per-span figure.
    size_t memoryUsage() const;

    static const char *kindName(EventKind kind);
    static const char *phaseName(Phase phase);
    static const char *stateName(LifecycleState state);
    static const char *hopName(HopAction action);
    static const char *outcomeName(TaskOutcome outcome);
    static const char *originName(RaiseOrigin origin);

private:
    ExceptionTypes m_types;
    std::vector<Event> m_events;
    std::vector<LaneInfo> m_lanes;
    std::deque<ExceptionRecord> m_exceptions;
    std::deque<QString> m_prints;
    std::vector<quint32> m_printSteps;
    QStringList m_labels;
    QHash<QString, int> m_labelIndex;
};

// Python's repr() of a str: single quotes unless only double quotes avoid escaping.
QString pythonStringRepr(const QString &s);
// Python's str.isprintable() for one code point (what repr() leaves unescaped).
bool pythonIsPrintable(char32_t c);

} // namespace Lifeline
