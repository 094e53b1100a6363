// SPDX-License-Identifier: MIT
#pragma once
// What a careful reviewer would flag in a run and its scenario: resources never released,
// exceptions replaced during cleanup, swallowed cancellations, tasks left to asyncio.run's
// shutdown, failed gathers that leave siblings running; and, from the scenario whatever the run
// did, cleanup after a `yield` without `finally` and exits that suppress CancelledError. Reads
// the log forwards as it grows (update()), never back; knows nothing of pixels or JSON text
// (ScenarioLocator turns a problem's step or resource into a file position).

#include "chunkedarray.h"
#include "eventlog.h"
#include "scenario.h"

#include <QHash>
#include <memory>
#include <vector>

namespace Lifeline {

enum class ProblemKind : quint8 {
    NeverReleased,
    ReplacedInCleanup,
    CancellationSwallowed,
    CancelledAtShutdown,
    GatherLeftSiblings,
    CleanupAfterYield, // scenario lint
    SuppressesCancellation, // scenario lint
};

struct Problem
{
    ProblemKind kind = ProblemKind::NeverReleased;
    qint64 event = -1; // the event a click goes to; -1 while there is none (a lint, before its
                       // resource is first entered)
    LaneId lane = None;
    qint32 step = -1; // the step responsible (a scenario run), or -1
    qint32 resource = -1; // the resource definition responsible, or -1
    const char *key = nullptr; // within that resource: "cleanup", "exit.suppress"; or null
    QString message; // one line; names as the program wrote them (escape before showing)

    // "never released", "cancellation swallowed", ...: the kind as a short title.
    static const char *kindName(ProblemKind kind);
    bool isLint() const { return kind >= ProblemKind::CleanupAfterYield; }
};

class ProblemFinder
{
public:
    // `scenario` may be null (a bare log); for a trace it gives no lints.
    explicit ProblemFinder(std::shared_ptr<const Scenario> scenario = {});

    // Reads the events appended since the last call, at most `limit` of them (a window reads a
    // huge log in slices); true when it has read them all. The same log each time, or reset()
    // first.
    bool update(const EventLog &log, size_t limit = size_t(-1));
    void reset();
    // Lints first (in resource order), then the run's problems in event order.
    const std::vector<Problem> &problems() const { return m_problems; }
    qsizetype scanned() const { return qsizetype(m_scanned); }

    // The scenario-side lints alone, for `lifeline check --lint` and tests.
    static std::vector<Problem> lints(const Scenario &scenario);

private:
    struct LaneState
    {
        qint32 lastStep = -1; // latest step begun (task lanes)
        qint32 acquireStep = -1; // the with step that entered it (instance lanes)
        qint32 createdByStep = -1; // the creator's step when the task was made
        LaneId creator = None;
        LaneId batch = None; // tasks created one right after another by one task: a gather's
        bool ended = false;
        bool released = false; // its last phase was release
        bool reported = false; // cancelled at shutdown, said once
        bool batchReported = false; // the batch this task starts: its gather, said once
    };
    LaneState &lane(LaneId id);
    void onEvent(const EventLog &log, size_t index, const Event &e);
    void onHop(const EventLog &log, size_t index, ExcId exc, LaneId at, HopAction action);
    void add(Problem problem);
    int resourceOf(const EventLog &log, LaneId lane) const;

    std::shared_ptr<const Scenario> m_scenario;
    std::vector<Problem> m_problems;
    size_t m_lintCount = 0;
    size_t m_scanned = 0;
    // By lane, in chunks: a trace has millions of lanes, and a vector doubling through them
    // copied ~100 MB and kept up to twice the room.
    ChunkedArray<LaneState> m_lanes;
    QHash<LaneId, std::vector<LaneId>> m_batches;
    QHash<ExcId, ExcId> m_successor; // exception -> the latest one whose context or cause it is
    QHash<ExcId, qint32> m_raiseStep; // exception -> the step running where it was first raised
    QHash<ExcId, RaiseOrigin> m_origin;
    QHash<ExcId, LaneId> m_escapedFrom;
    LaneId m_main = None;
    bool m_mainEnded = false;
    EventKind m_previousKind = EventKind::StepBegan;
    LaneId m_previousCreator = None;
    LaneId m_previousTask = None;
};

} // namespace Lifeline
