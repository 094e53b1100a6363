// SPDX-License-Identifier: MIT
#include "problemfinder.h"

#include "lanegroups.h"

namespace Lifeline {

const char *Problem::kindName(ProblemKind kind)
{
    switch (kind) {
    case ProblemKind::NeverReleased:
        return "never released";
    case ProblemKind::ReplacedInCleanup:
        return "replaced during cleanup";
    case ProblemKind::CancellationSwallowed:
        return "cancellation swallowed";
    case ProblemKind::CancelledAtShutdown:
        return "cancelled at shutdown";
    case ProblemKind::GatherLeftSiblings:
        return "gather left tasks running";
    case ProblemKind::CleanupAfterYield:
        return "cleanup without finally";
    case ProblemKind::SuppressesCancellation:
        return "exit suppresses cancellation";
    }
    return "";
}

namespace {

QString quoted(const QString &name)
{
    return u'`' + name + u'`';
}

} // namespace

ProblemFinder::ProblemFinder(std::shared_ptr<const Scenario> scenario)
    : m_scenario(std::move(scenario))
{
    reset();
}

void ProblemFinder::reset()
{
    m_problems.clear();
    if (m_scenario && !m_scenario->trace)
        m_problems = lints(*m_scenario);
    m_lintCount = m_problems.size();
    m_scanned = 0;
    m_lanes.clear();
    m_batches.clear();
    m_successor.clear();
    m_raiseStep.clear();
    m_origin.clear();
    m_escapedFrom.clear();
    m_main = None;
    m_mainEnded = false;
    m_previousKind = EventKind::StepBegan;
    m_previousCreator = None;
    m_previousTask = None;
}

std::vector<Problem> ProblemFinder::lints(const Scenario &scenario)
{
    std::vector<Problem> out;
    const ExceptionTypes &types = scenario.types;
    for (size_t r = 0; r < scenario.resources.size(); ++r) {
        const ResourceDef &def = scenario.resources[r];
        const bool generator = def.kind == ResourceDef::Kind::Generator;
        if (generator && def.cleanup == ResourceDef::Cleanup::AfterYield && def.exit.present) {
            out.push_back({ ProblemKind::CleanupAfterYield, -1, None, -1, qint32(r), "cleanup",
                            QStringLiteral("%1's cleanup is written after the `yield` without "
                                           "`finally`: an exception thrown in at the yield "
                                           "skips it and the resource is never released")
                                .arg(quoted(def.id)) });
        }
        QString what;
        if (def.suppress == ResourceDef::Suppress::Everything) {
            what = generator ? QStringLiteral("catches BaseException around its `yield`")
                             : QStringLiteral("returns True for every exception");
        } else if (def.suppress == ResourceDef::Suppress::Types) {
            for (int type : def.suppressTypes) {
                if (types.isSubclass(ExceptionTypes::CancelledError, type)) {
                    what = QStringLiteral("suppresses %1").arg(types.name(type));
                    break;
                }
            }
        }
        if (!what.isEmpty()) {
            out.push_back({ ProblemKind::SuppressesCancellation, -1, None, -1, qint32(r),
                            "exit.suppress",
                            QStringLiteral("%1's exit %2, CancelledError included: a task "
                                           "cancelled inside it carries on as if it was not")
                                .arg(quoted(def.id), what) });
        }
    }
    return out;
}

ProblemFinder::LaneState &ProblemFinder::lane(LaneId id)
{
    if (size_t(id) >= m_lanes.size())
        m_lanes.resize(size_t(id) + 1);
    return m_lanes[size_t(id)];
}

int ProblemFinder::resourceOf(const EventLog &log, LaneId id) const
{
    if (!m_scenario || m_scenario->trace || id < 0 || size_t(id) >= log.laneCount())
        return -1;
    const LaneInfo &info = log.lane(id);
    return info.kind() == LaneKind::Instance
            && LaneGroups::kind(*m_scenario, info.group) == LaneGroups::Kind::Resource
        ? info.group
        : -1;
}

void ProblemFinder::add(Problem problem)
{
    m_problems.push_back(std::move(problem));
}

bool ProblemFinder::update(const EventLog &log, size_t limit)
{
    const size_t end = log.count() - m_scanned > limit ? m_scanned + limit : log.count();
    for (; m_scanned < end; ++m_scanned)
        onEvent(log, m_scanned, log.at(m_scanned));
    return m_scanned == log.count();
}

void ProblemFinder::onEvent(const EventLog &log, size_t index, const Event &e)
{
    const auto i = qint64(index);
    const EventKind kind = e.kind();
    switch (kind) {
    case EventKind::StepBegan:
        lane(e.lane()).lastStep = qint32(e.step());
        return; // a step between two creations still leaves them one batch
    case EventKind::TaskJoined:
        return; // so does a task joining its TaskGroup right after its creation
    case EventKind::TaskCreated: {
        const auto task = e.lane();
        const LaneId creator = e.byLane();
        if (m_main == None && creator == None)
            m_main = task;
        const qint32 creatorStep = creator >= 0 ? lane(creator).lastStep : -1;
        const bool sameBatch = m_previousKind == EventKind::TaskCreated
            && m_previousCreator == creator && creator != None;
        const LaneId batch = sameBatch ? lane(m_previousTask).batch : task;
        LaneState &state = lane(task); // after the lookups above, which may grow m_lanes
        state.creator = creator;
        state.createdByStep = creatorStep;
        state.batch = batch;
        m_batches[batch].push_back(task);
        m_previousTask = task;
        m_previousCreator = creator;
        break;
    }
    case EventKind::TaskEnded:
        lane(e.lane()).ended = true;
        if (e.lane() == m_main)
            m_mainEnded = true;
        break;
    case EventKind::PhaseBegan: {
        LaneState &state = lane(e.lane());
        const auto phase = e.phase();
        if (phase == Phase::Acquire && m_scenario && !m_scenario->trace)
            state.acquireStep = qint32(e.step());
        state.released = phase == Phase::Release;
        // A lint points at the first time its resource was entered.
        const int resource = resourceOf(log, e.lane());
        if (phase == Phase::Acquire && resource >= 0) {
            for (size_t p = 0; p < m_lintCount; ++p)
                if (m_problems[p].resource == resource && m_problems[p].event < 0) {
                    m_problems[p].event = i;
                    m_problems[p].lane = e.lane();
                }
        }
        break;
    }
    case EventKind::InstanceEnded: {
        if (e.state() != LifecycleState::NeverReleased)
            break;
        const auto id = e.lane();
        const LaneState &state = lane(id);
        const QString why = state.released && !m_mainEnded
            ? QStringLiteral("the exception thrown in at its `yield` skipped the cleanup "
                             "written after it")
            : QStringLiteral("the run ended while it was held, its __aexit__ never done");
        add({ ProblemKind::NeverReleased, i, id, state.acquireStep, resourceOf(log, id), nullptr,
              QStringLiteral("%1 was never released: %2").arg(quoted(log.laneName(id)), why) });
        break;
    }
    case EventKind::ExceptionRaised: {
        const auto exc = e.exception();
        const LaneId where = e.lane();
        if (!m_origin.contains(exc)) {
            m_origin.insert(exc, e.origin());
            m_raiseStep.insert(exc, where >= 0 ? lane(where).lastStep : -1);
            const ExceptionRecord &record = log.exception(exc);
            if (record.context != None)
                m_successor.insert(record.context, exc);
            if (record.cause != None)
                m_successor.insert(record.cause, exc);
        }
        // asyncio.run cancels what is still pending once main has returned: nobody awaited it.
        if (e.origin() == RaiseOrigin::Cancel && m_mainEnded && where >= 0 && where != m_main
            && log.lane(where).kind() == LaneKind::Task) {
            LaneState &state = lane(where);
            if (!state.reported && state.creator != None) {
                state.reported = true;
                add({ ProblemKind::CancelledAtShutdown, i, where, state.createdByStep, -1, nullptr,
                      QStringLiteral("task %1 was never awaited: still running when main() "
                                     "returned, asyncio.run cancelled it")
                          .arg(quoted(log.laneName(where))) });
            }
        }
        break;
    }
    case EventKind::ExceptionHop:
        onHop(log, index, e.exception(), e.lane(), e.hop());
        break;
    default:
        break;
    }
    m_previousKind = kind;
}

void ProblemFinder::onHop(const EventLog &log, size_t index, ExcId exc, LaneId at, HopAction action)
{
    const auto i = qint64(index);
    if (at < 0 || size_t(at) >= log.laneCount())
        return;
    const bool instance = log.lane(at).kind() == LaneKind::Instance;
    switch (action) {
    case HopAction::Escaped:
        m_escapedFrom.insert(exc, at);
        return;
    case HopAction::Suppressed: {
        const ExceptionTypes &types = log.types();
        if (!instance || !types.isSubclass(log.exception(exc).type, ExceptionTypes::CancelledError))
            return;
        add({ ProblemKind::CancellationSwallowed, i, at, -1, resourceOf(log, at), "exit.suppress",
              QStringLiteral("%1 swallowed %2: its task goes on as if it had not been cancelled")
                  .arg(quoted(log.laneName(at)), log.repr(exc)) });
        return;
    }
    case HopAction::Replaced: {
        const ExcId by = m_successor.value(exc, None);
        if (by == None)
            return;
        // A timeout's TimeoutError and a `raise ... from` replace on purpose.
        const RaiseOrigin origin = m_origin.value(by, RaiseOrigin::Raise);
        if (origin == RaiseOrigin::Timeout || origin == RaiseOrigin::Group
            || log.exception(by).cause == exc)
            return;
        const QString where = instance
            ? QStringLiteral("%1's __aexit__").arg(quoted(log.laneName(at)))
            : QStringLiteral("an except or finally body of %1").arg(quoted(log.laneName(at)));
        add({ ProblemKind::ReplacedInCleanup, i, at, instance ? -1 : m_raiseStep.value(by, -1),
              resourceOf(log, at), instance ? "exit" : nullptr,
              QStringLiteral("%1 was replaced by %2, raised in %3 while handling it (only "
                             "__context__ keeps it)")
                  .arg(log.repr(exc), log.repr(by), where) });
        return;
    }
    case HopAction::Propagated: {
        // A gather (or an awaited task) delivering a child's failure: the child's batch mates
        // that are still running are left unobserved.
        if (instance)
            return;
        const LaneId child = m_escapedFrom.value(exc, None);
        if (child == None || size_t(child) >= m_lanes.size())
            return;
        const LaneId batch = m_lanes[size_t(child)].batch;
        if (batch == None || m_lanes[size_t(batch)].batchReported)
            return;
        const auto members = m_batches.constFind(batch);
        if (members == m_batches.cend())
            return;
        QStringList running;
        for (LaneId sibling : *members)
            if (sibling != child && !m_lanes[size_t(sibling)].ended)
                running << quoted(log.laneName(sibling));
        if (running.isEmpty())
            return;
        m_lanes[size_t(batch)].batchReported = true;
        add({ ProblemKind::GatherLeftSiblings, i, at, lane(at).lastStep, -1, nullptr,
              QStringLiteral("a gather in %1 failed with %2 and left %3 running, unobserved")
                  .arg(quoted(log.laneName(at)), log.repr(exc),
                       running.join(QLatin1String(", "))) });
        return;
    }
    default:
        return;
    }
}

} // namespace Lifeline
