// SPDX-License-Identifier: MIT
#pragma once
// A .lltrace file as TraceReader read it (docs/trace-format.md): every record's contents, by the
// ids the format gives them, and the first problem found. Plain data: it never parses, runs or
// builds an event log (TraceReplay does, one event at a time). Definitions that can change a
// replay's view at a point of the run (lanes, exceptions, prints, links) say how many EVENT
// records came before them, so a replay adds them exactly where the program made them.

#include "eventlog.h"
#include "traceeventstore.h"

#include <QMap>
#include <QString>
#include <deque>
#include <optional>
#include <vector>

namespace Lifeline {

// An exception's links as one record set them: flags bit 0 is `__suppress_context__`.
struct TraceChain
{
    quint64 flags = 0;
    qint32 context = None; // exception id
    qint32 cause = None;

    bool suppressContext() const { return flags & 1; }
};

struct TraceType
{
    qint32 name = 0; // string id: the class's __qualname__
    qint32 base = None; // type id
};

struct TraceException
{
    qint32 type = 0; // type id
    qint32 repr = 0; // string ids: Python's own repr() and str()
    qint32 str = 0;
    TraceChain chain; // after every LINK record read
    TraceChain defined; // as its EXCEPTION record had it
    std::vector<qint32> members; // exception ids, for an exception group
    quint32 firstEvent = 0; // EVENT records before it: it exists from that event on
};

// A LINK record: `exception`'s chain became `chain` before event `firstEvent`.
struct TraceLink
{
    qint32 exception = 0;
    TraceChain chain;
    quint32 firstEvent = 0;
};

struct TraceLane
{
    LaneKind kind = LaneKind::Task;
    qint32 label = 0; // string id
    qint32 parent = None; // lane id: an instance's entering task, a task's creating task
    qint32 group = None; // group id (an instance's)
    quint32 ordinal = 0; // an instance's #N in its group; a task's creation order from 1
    quint32 firstEvent = 0;
};

struct TracePrint
{
    qint32 text = 0; // string id
    qint32 location = None; // location id of the print() call
    quint32 firstEvent = 0;
};

struct TraceSource
{
    qint32 path = 0; // string ids
    qint32 text = 0;
};

struct TraceLocation
{
    qint32 source = 0; // source id
    qint32 line = 1; // from 1
};

struct TraceEnd
{
    enum How : quint64 { Exited = 0, Raised = 1, Signalled = 2, CouldNotStart = 3 };
    quint64 how = Exited;
    quint64 status = 0;
};

struct TraceError
{
    enum class Kind : quint8 {
        None,
        NotATrace, // the magic bytes differ
        NewerVersion, // a format version this reader does not know
        CutShort, // a record runs past the end, or there is no END record
        Corrupt, // an unknown tag, an undefined id, a value out of range
    };
    Kind kind = Kind::None;
    qint64 offset = -1; // of the bad record (of the end of the file when END is missing)
    QString message;

    // `trace cut short at byte 120: ...`, `corrupt record at byte 57: ...`, or the message.
    QString toString() const;
};

struct TraceRecording
{
    int version = 0;
    // A deque: its strings stay where they are as a live trace's table grows, so a replay's
    // event log borrows its lane labels from here instead of keeping copies.
    std::deque<QString> strings;
    std::vector<TraceType> types;
    std::vector<TraceException> exceptions; // links applied
    std::vector<TraceLink> links; // in file order
    std::vector<qint32> groups; // string ids of their names
    std::deque<TraceLane> lanes; // millions: a deque grows with no copy and no spare half
    std::vector<TracePrint> prints;
    QMap<QString, QString> meta; // a key written twice keeps its last value
    std::vector<TraceSource> sources;
    std::vector<TraceLocation> locations;
    // A few bytes an event, in chunks: a live trace's recording grows to millions of events
    // (a vector doubling through them copied hundreds of megabytes in one go), and it is kept
    // beside the replay's event log for as long as the trace is open.
    TraceEventStore events;
    // Sparse: (event index, location id) for the events an AT record placed, by event index.
    std::vector<std::pair<quint32, qint32>> eventLocations;
    std::optional<TraceEnd> end;
    TraceError error;
    // A live trace's recording, which its reader still adds to: a replay that has appended every
    // event waits for more instead of ending (TraceFollower clears it once the writer is done).
    bool growing = false;

    const QString &string(qint32 id) const { return strings[size_t(id)]; }
    // The location of event `index`, or None.
    qint32 locationOf(size_t index) const;
    // Where the program last was before event `position`: the location of the latest event
    // before it that has one, or None (the code view's current line while replaying).
    qint32 locationBefore(size_t position) const;
    // META `clock` is `virtual`: times are whole milliseconds × 10⁶.
    bool virtualClock() const { return meta.value(QStringLiteral("clock")) == u"virtual"; }
    // An END record and no error: the program ran to its end and every record was read.
    bool isComplete() const { return end && error.kind == TraceError::Kind::None; }
};

} // namespace Lifeline
