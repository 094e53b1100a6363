// SPDX-License-Identifier: MIT
#pragma once
// Synthetic event logs for the benchmarks: `instances` resource instances spread over four
// resources, entered one after another by 100 worker tasks, each going through acquire, ready,
// four execute/ready pairs and release (10 spans). One instance in a hundred fails an execute:
// the exception propagates through its exit and is caught by the worker. Deterministic.

#include "eventlog.h"

#include <QString>
#include <algorithm>
#include <memory>
#include <vector>

namespace Lifeline {

inline std::unique_ptr<EventLog> makeSyntheticLog(qint64 instances)
{
    struct Pending
    {
        qint64 time;
        quint64 order;
        EventKind kind;
        quint32 subject, arg;
        quint8 detail;
    };
    auto log = std::make_unique<EventLog>();
    constexpr int Workers = 100;
    constexpr int Resources = 4;
    std::vector<Pending> events;
    events.reserve(size_t(instances) * 12 + Workers * 2);
    quint64 order = 0;
    auto add = [&](qint64 t, EventKind k, quint32 s, quint32 a = quint32(None), quint8 d = 0) {
        events.push_back({ t, order++, k, s, a, d });
    };
    quint32 seed = 12345;
    auto rnd = [&seed](int n) {
        seed = seed * 1664525u + 1013904223u;
        return int((seed >> 8) % quint32(n));
    };
    int resourceLabel[Resources];
    for (int r = 0; r < Resources; ++r)
        resourceLabel[r] = log->internLabel(QStringLiteral("Resource%1('db-%1')").arg(r));
    std::vector<LaneId> workers;
    std::vector<qint64> clock(Workers, 0);
    for (int w = 0; w < Workers; ++w) {
        const LaneId lane = log->addLane(
            LaneKind::Task, log->internLabel(QStringLiteral("worker-%1").arg(w)), None, None, w);
        workers.push_back(lane);
        add(0, EventKind::TaskCreated, quint32(lane));
        add(0, EventKind::TaskStarted, quint32(lane));
    }
    std::vector<int> ordinal(Resources, 0);
    for (qint64 i = 0; i < instances; ++i) {
        const int w = int(i % Workers);
        const int r = int(i % Resources);
        const LaneId lane = log->addLane(LaneKind::Instance, resourceLabel[r], workers[size_t(w)],
                                         r, ++ordinal[size_t(r)]);
        qint64 t = clock[size_t(w)];
        const quint32 l = quint32(lane);
        add(t, EventKind::PhaseBegan, l, 0, quint8(Phase::Acquire));
        t += 2 + rnd(20);
        const bool fails = rnd(100) == 0;
        for (int k = 0; k < 4; ++k) {
            add(t, EventKind::PhaseBegan, l, 0, quint8(Phase::Ready));
            t += 1 + rnd(5);
            add(t, EventKind::PhaseBegan, l, 0, quint8(Phase::Execute));
            t += 1 + rnd(30);
        }
        add(t, EventKind::PhaseBegan, l, 0, quint8(Phase::Ready));
        t += 1 + rnd(5);
        ExcId exc = None;
        if (fails) {
            exc = log->newException(ExceptionTypes::ValueError, QStringLiteral("boom"), true);
            add(t, EventKind::ExceptionRaised, quint32(exc), l, quint8(RaiseOrigin::Raise));
        }
        add(t, EventKind::PhaseBegan, l, 0, quint8(Phase::Release));
        t += 1 + rnd(10);
        add(t, EventKind::InstanceEnded, l, 0, quint8(LifecycleState::Released));
        if (fails) {
            add(t, EventKind::ExceptionHop, quint32(exc), l, quint8(HopAction::Propagated));
            add(t, EventKind::ExceptionHop, quint32(exc), quint32(workers[size_t(w)]),
                quint8(HopAction::Caught));
        }
        clock[size_t(w)] = t + rnd(3);
    }
    qint64 end = 0;
    for (int w = 0; w < Workers; ++w) {
        add(clock[size_t(w)], EventKind::TaskEnded, quint32(workers[size_t(w)]), quint32(None),
            quint8(TaskOutcome::Finished));
        end = std::max(end, clock[size_t(w)]);
    }
    std::sort(events.begin(), events.end(), [](const Pending &a, const Pending &b) {
        return a.time != b.time ? a.time < b.time : a.order < b.order;
    });
    for (const Pending &e : events)
        log->append(e.time, e.kind, e.subject, e.arg, e.detail);
    return log;
}

} // namespace Lifeline
