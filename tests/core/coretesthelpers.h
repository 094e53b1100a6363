// SPDX-License-Identifier: MIT
#pragma once
// Shared by the core tests: a Trace of "<ms> <text>" lines read off the virtual clock, loop
// callbacks that run a lambda, a bounded drain loop, and tiny coroutines shaped like the Python
// each test quotes. Nothing here waits in real time.
// moc 6.4 cannot parse <coroutine> (coro.h includes it), and a test's moc run needs none of
// this, so moc skips the whole header.

#ifndef Q_MOC_RUN

#include "awaiters.h"
#include "childspec.h"
#include "pyerrors.h"
#include "scheduler.h"
#include "task.h"

#include <QString>
#include <QStringList>
#include <functional>

namespace Lifeline::Test {

// What happened, when: "10 worker cancelled". Compared whole with QCOMPARE.
class Trace
{
public:
    explicit Trace(const Scheduler &s)
        : m_scheduler(s)
    {
    }
    void add(const QString &text)
    {
        m_lines << QStringLiteral("%1 %2").arg(m_scheduler.time()).arg(text);
    }
    const QStringList &lines() const { return m_lines; }

private:
    const Scheduler &m_scheduler;
    QStringList m_lines;
};

// A loop callback that runs a lambda; the scheduler owns it while it is queued.
class Call : public RefCounted
{
public:
    explicit Call(std::function<void()> fn)
        : m_fn(std::move(fn))
    {
    }
    static void run(RefCounted *self, RefCounted *, qint32) { static_cast<Call *>(self)->m_fn(); }

private:
    std::function<void()> m_fn;
};

inline Scheduler::HandleRef callSoon(Scheduler &s, std::function<void()> fn)
{
    return s.callSoon(&Call::run, new Call(std::move(fn)));
}

inline Scheduler::HandleRef callLater(Scheduler &s, qint64 ms, std::function<void()> fn)
{
    return s.callLater(ms, &Call::run, new Call(std::move(fn)));
}

// Steps until nothing is left (or a stop() request ends the run). False if the scheduler was
// still busy after maxSteps: a test that loops forever fails instead of hanging.
inline bool drain(Scheduler &s, int maxSteps = 100000)
{
    for (int i = 0; i < maxSteps; ++i) {
        if (!s.step())
            return true;
    }
    return false;
}

// `raise <type>(message)` in the current task, chained with what it is handling.
inline ExcId raiseNew(Scheduler &s, int type, const QString &message)
{
    const ExcId e = PyErrors::create(s, type, message, true, RaiseOrigin::Raise);
    return s.currentTask()->raise(e);
}

inline Ref<Task> spawn(Scheduler &s, Co<ExcId> body, const QString &name, LaneId parent = None)
{
    return Ref<Task>(Task::create(s, std::move(body), s.log().internLabel(name), parent));
}

// async def sleeper(name, ms):
//     try: await asyncio.sleep(ms); trace(f"{name} end")
//     except CancelledError: trace(f"{name} cancelled"); raise
inline Co<ExcId> sleeper(Scheduler &s, Trace &trace, QString name, qint64 ms)
{
    Task *self = s.currentTask();
    const ExcId r = co_await SleepAwaiter(self, ms);
    trace.add(name + (r == None ? QStringLiteral(" end") : QStringLiteral(" cancelled")));
    co_return r;
}

// async def failer(name, ms, exc): await asyncio.sleep(ms); trace(f"{name} raises"); raise exc
inline Co<ExcId> failer(Scheduler &s, Trace &trace, QString name, qint64 ms, int type,
                        QString message)
{
    Task *self = s.currentTask();
    const ExcId r = co_await SleepAwaiter(self, ms);
    if (r != None) {
        trace.add(name + QStringLiteral(" cancelled"));
        co_return r;
    }
    trace.add(name + QStringLiteral(" raises"));
    co_return raiseNew(s, type, message);
}

// async def failOnCancel(name, ms, exc):
//     try: await asyncio.sleep(ms)
//     except CancelledError: trace(f"{name} raises on cancel"); raise exc
inline Co<ExcId> failOnCancel(Scheduler &s, Trace &trace, QString name, qint64 ms, int type,
                              QString message)
{
    Task *self = s.currentTask();
    const ExcId r = co_await SleepAwaiter(self, ms);
    if (r == None) {
        trace.add(name + QStringLiteral(" end"));
        co_return None;
    }
    trace.add(name + QStringLiteral(" raises on cancel"));
    self->pushHandled(r);
    const ExcId raised = raiseNew(s, type, message);
    self->popHandled();
    co_return raised;
}

// The coroutine a data row's ChildSpec describes.
inline Co<ExcId> makeChild(Scheduler &s, Trace &trace, const ChildSpec &spec)
{
    switch (spec.kind) {
    case ChildSpec::Fails:
        return failer(s, trace, spec.name, spec.ms, spec.type, spec.message);
    case ChildSpec::FailsOnCancel:
        return failOnCancel(s, trace, spec.name, spec.ms, spec.type, spec.message);
    case ChildSpec::Sleeps:
        break;
    }
    return sleeper(s, trace, spec.name, spec.ms);
}

} // namespace Lifeline::Test

#endif // Q_MOC_RUN
