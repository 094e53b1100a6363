// SPDX-License-Identifier: MIT
// Task: coroutines driven as asyncio Tasks on the virtual clock. First steps in creation order,
// sleep(0) as one turn, cancellation delivered at the await (or before the first step), cancel
// counting, and what the event log records about how each task ended. Every expectation is
// what CPython 3.11.7 prints for the Python quoted beside it. Past 500 lines because each case
// carries the small coroutine and the Python it mirrors; all of it is one contract, Task's.
#include "coretesthelpers.h"

#include <QTest>

using namespace Lifeline;
using namespace Lifeline::Test;

namespace {

// async def worker(name): trace(f"{name} start"); await asyncio.sleep(0); trace(f"{name} end")
Co<ExcId> startAndYield(Scheduler &s, Trace &trace, QString name)
{
    Task *self = s.currentTask();
    trace.add(name + QStringLiteral(" start"));
    const ExcId r = co_await SleepAwaiter(self, 0);
    trace.add(name + QStringLiteral(" end"));
    co_return r;
}

// Prints name1, then yields `yields` times with sleep(0), printing name2, name3, ...
Co<ExcId> yielder(Scheduler &s, Trace &trace, QString name, int yields)
{
    Task *self = s.currentTask();
    trace.add(name + u'1');
    for (int i = 2; i <= yields + 1; ++i) {
        const ExcId r = co_await SleepAwaiter(self, 0);
        if (r != None)
            co_return r;
        trace.add(name + QString::number(i));
    }
    co_return None;
}

// try: await asyncio.sleep(ms)
// except BaseException as e: trace(f"{name} got {e!r}"); raise
Co<ExcId> reportingSleeper(Scheduler &s, Trace &trace, QString name, qint64 ms)
{
    Task *self = s.currentTask();
    trace.add(name + QStringLiteral(" start"));
    const ExcId r = co_await SleepAwaiter(self, ms);
    if (r != None)
        trace.add(name + QStringLiteral(" got ") + s.log().repr(r));
    else
        trace.add(name + QStringLiteral(" end"));
    co_return r;
}

// try: await asyncio.sleep(0.1)
// except CancelledError: trace("caught")
// await asyncio.sleep(0.02); trace("done")
Co<ExcId> stubborn(Scheduler &s, Trace &trace)
{
    Task *self = s.currentTask();
    ExcId r = co_await SleepAwaiter(self, 100);
    if (r != None)
        trace.add(QStringLiteral("caught ") + s.log().repr(r));
    r = co_await SleepAwaiter(self, 20);
    trace.add(QStringLiteral("done"));
    co_return r;
}

// asyncio.current_task().cancel(); trace("cancelled itself"); then, if awaitMs >= 0:
// try: await asyncio.sleep(awaitMs) except CancelledError: trace("got it at the await"); raise
Co<ExcId> cancelsItself(Scheduler &s, Trace &trace, qint64 awaitMs)
{
    Task *self = s.currentTask();
    self->cancel();
    trace.add(QStringLiteral("cancelled itself"));
    if (awaitMs < 0)
        co_return None;
    const ExcId r = co_await SleepAwaiter(self, awaitMs);
    trace.add(r != None ? QStringLiteral("got it at the await") : QStringLiteral("not cancelled"));
    co_return r;
}

// await asyncio.sleep(ms); return
Co<ExcId> justSleeps(Scheduler &s, qint64 ms)
{
    co_return co_await SleepAwaiter(s.currentTask(), ms);
}

// try: await child  except BaseException as e: trace(...)   -- twice
Co<ExcId> awaitsTwice(Scheduler &s, Trace &trace, Ref<Task> child, std::vector<ExcId> *got)
{
    Task *self = s.currentTask();
    for (int i = 0; i < 2; ++i) {
        const ExcId r = co_await FutureAwaiter(self, child.get());
        got->push_back(r);
        trace.add(QStringLiteral("await got ")
                  + (r == None ? QStringLiteral("None") : s.log().repr(r)));
    }
    co_return None;
}

// What the log says about one task lane, one line per event: "5 raise ValueError('x')".
QStringList laneEvents(const EventLog &log, LaneId lane)
{
    QStringList out;
    for (const Event &e : log.events()) {
        QString line
            = QStringLiteral("%1 %2").arg(qint64(e.time)).arg(EventLog::kindName(e.kind()));
        switch (e.kind()) {
        case EventKind::TaskCreated:
        case EventKind::TaskStarted:
            if (LaneId(e.subject) != lane)
                continue;
            break;
        case EventKind::TaskEnded:
            if (LaneId(e.subject) != lane)
                continue;
            line += u' ' + QLatin1String(EventLog::outcomeName(TaskOutcome(e.detail)));
            if (e.argId() != None)
                line += u' ' + log.repr(e.argId());
            break;
        case EventKind::ExceptionRaised:
            if (e.argId() != lane)
                continue;
            line += u' ' + log.repr(ExcId(e.subject)) + u' '
                + QLatin1String(EventLog::originName(RaiseOrigin(e.detail)));
            break;
        case EventKind::ExceptionHop:
            if (e.argId() != lane)
                continue;
            line += u' ' + QLatin1String(EventLog::hopName(HopAction(e.detail))) + u' '
                + log.repr(ExcId(e.subject));
            break;
        default:
            continue;
        }
        out << line;
    }
    return out;
}

// try: await asyncio.sleep(0.1)  except CancelledError: trace("child ignores")
// await asyncio.sleep(0.01); trace("child done")
Co<ExcId> ignorer(Scheduler &s, Trace &trace)
{
    Task *self = s.currentTask();
    if (co_await SleepAwaiter(self, 100) != None)
        trace.add(QStringLiteral("child ignores"));
    const ExcId r = co_await SleepAwaiter(self, 10);
    trace.add(QStringLiteral("child done"));
    co_return r;
}

// try: await child; trace("main resumed normally")  except CancelledError: trace(...)
// await asyncio.sleep(0.01); trace("main end")
Co<ExcId> awaitsIgnorer(Scheduler &s, Trace &trace, Ref<Task> child)
{
    Task *self = s.currentTask();
    const ExcId r = co_await FutureAwaiter(self, child.get());
    trace.add(r == None ? QStringLiteral("main resumed normally")
                        : QStringLiteral("main cancelled"));
    co_await SleepAwaiter(self, 10);
    trace.add(QStringLiteral("main end"));
    co_return None;
}

// try: await asyncio.sleep(0.1)  except CancelledError: trace("caught once")
// try: await asyncio.sleep(0.01); trace("second sleep completes")
// except CancelledError: trace("cancelled again")
Co<ExcId> catchesOnce(Scheduler &s, Trace &trace)
{
    Task *self = s.currentTask();
    if (co_await SleepAwaiter(self, 100) != None)
        trace.add(QStringLiteral("caught once"));
    const ExcId r = co_await SleepAwaiter(self, 10);
    trace.add(r == None ? QStringLiteral("second sleep completes")
                        : QStringLiteral("cancelled again"));
    co_return None;
}

Co<ExcId> sleepsInOwnFrame(Scheduler &s, qint64 ms)
{
    Task *self = s.currentTask();
    self->enterFrame();
    const ExcId r = co_await SleepAwaiter(self, ms);
    co_return self->leaveFrame(r);
}

// try: raise ValueError('v')
// except ValueError:
//     try: await asyncio.sleep(1)   /  await inner()   (inner: await asyncio.sleep(1))
//     except CancelledError as c: c.__context__
Co<ExcId> cancelledWhileHandling(Scheduler &s, bool throughInnerFrame, ExcId *handled,
                                 ExcId *cancelled)
{
    Task *self = s.currentTask();
    *handled = raiseNew(s, ExceptionTypes::ValueError, QStringLiteral("v"));
    self->pushHandled(*handled);
    if (throughInnerFrame)
        *cancelled = co_await sleepsInOwnFrame(s, 1000);
    else
        *cancelled = co_await SleepAwaiter(self, 1000);
    self->popHandled();
    co_return None;
}

enum class Body { Returns, Raises, CancelledWhileSleeping, CatchesCancellation };

} // namespace

Q_DECLARE_METATYPE(Body)

class tst_Task : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstStepsRunInCreationOrder();
    void sleepZeroTakesOneTurn();
    void sleepersWakeByDueTime();
    void childLanesRecordTheirCreator();
    void cancelSleepingTask();
    void sleepAfterACancelledSleepWakesOnItsOwnTimer();
    void cancelBeforeFirstStep();
    void cancelCounting();
    void taskThatCatchesCancellationContinues();
    void taskCancellingItself_data();
    void taskCancellingItself();
    void awaitingCancelledTaskRaisesItsCancelledErrorOnce();
    void awaitingFailedTaskRaisesTheSameException();
    void liveTasksInCreationOrder();
    void eventsOfATask_data();
    void eventsOfATask();
    void cancellationIsRaisedInTheCancelledTask_data();
    void cancellationIsRaisedInTheCancelledTask();
    void cancelWhileAwaitingATaskThatIgnoresIt();
    void secondCancelBeforeTheWakeupIsAbsorbed();
    void cancellationWhileHandlingHasItAsContext_data();
    void cancellationWhileHandlingHasItAsContext();
};

void tst_Task::firstStepsRunInCreationOrder()
{
    // for name in "cab": asyncio.create_task(worker(name))  -- nothing runs until the loop turns
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> tasks;
    for (const char *name : { "c", "a", "b" })
        tasks.push_back(spawn(s, startAndYield(s, trace, QString::fromLatin1(name)), name));
    QVERIFY(trace.lines().isEmpty());
    QVERIFY(drain(s));
    QCOMPARE(
        trace.lines(),
        QStringList({ "0 c start", "0 a start", "0 b start", "0 c end", "0 a end", "0 b end" }));
    for (const Ref<Task> &t : tasks)
        QVERIFY(t->done() && !t->cancelled() && t->exception() == None);
}

void tst_Task::sleepZeroTakesOneTurn()
{
    // a: a1, sleep(0), a2, sleep(0), a3     b: b1, sleep(0), b2   ->  a1 b1 a2 b2 a3
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> a = spawn(s, yielder(s, trace, "a", 2), "a");
    Ref<Task> b = spawn(s, yielder(s, trace, "b", 1), "b");
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "0 a1", "0 b1", "0 a2", "0 b2", "0 a3" }));
    QCOMPARE(s.time(), 0);
}

void tst_Task::sleepersWakeByDueTime()
{
    // sleep 10, 5, 10, 5 in tasks a, b, c, d  ->  b d at 5, a c at 10
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> tasks;
    const std::pair<const char *, int> sleeps[]
        = { { "a", 10 }, { "b", 5 }, { "c", 10 }, { "d", 5 } };
    for (const auto &[name, ms] : sleeps)
        tasks.push_back(spawn(s, sleeper(s, trace, QString::fromLatin1(name), ms), name));
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "5 b end", "5 d end", "10 a end", "10 c end" }));
}

namespace {
Co<ExcId> creator(Scheduler &s, Trace &trace, std::vector<Ref<Task>> *children)
{
    Task *self = s.currentTask();
    children->push_back(spawn(s, startAndYield(s, trace, "child"), "child", self->lane()));
    trace.add(QStringLiteral("creator continues"));
    co_return co_await FutureAwaiter(self, children->back().get());
}
} // namespace

void tst_Task::childLanesRecordTheirCreator()
{
    // A task created by a running task starts only once its creator yields.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> children;
    Ref<Task> parent = spawn(s, creator(s, trace, &children), "parent");
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "0 creator continues", "0 child start", "0 child end" }));
    QCOMPARE(children.size(), size_t(1));
    const LaneInfo &lane = log.lane(children[0]->lane());
    QCOMPARE(lane.kind(), LaneKind::Task);
    QCOMPARE(lane.parent, parent->lane());
    QCOMPARE(lane.ordinal, 2);
    QCOMPARE(log.lane(parent->lane()).ordinal, 1);
    QCOMPARE(log.lane(parent->lane()).parent, None);
    QCOMPARE(log.laneName(children[0]->lane()), QStringLiteral("child"));
    QCOMPARE(laneEvents(log, children[0]->lane()).first(), QStringLiteral("0 task-created"));
    const auto created
        = std::find_if(log.events().begin(), log.events().end(), [&](const Event &e) {
              return e.kind() == EventKind::TaskCreated && LaneId(e.subject) == children[0]->lane();
          });
    QCOMPARE((*created).argId(), parent->lane());
}

void tst_Task::cancelSleepingTask()
{
    // t = create_task(worker(sleep 100)); await asyncio.sleep(0.01); t.cancel()
    // CPython: "10 t got CancelledError()"; t.cancelled() is True; t.cancelling() == 1; and the
    // clock stops at 10: the cancelled sleep's timer does not hold it.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, reportingSleeper(s, trace, "t", 100), "t");
    callLater(s, 10, [&] { QVERIFY(t->cancel()); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "0 t start", "10 t got CancelledError()" }));
    QVERIFY(t->cancelled());
    QCOMPARE(t->cancelling(), 1);
    QCOMPARE(s.time(), 10);
    QCOMPARE(laneEvents(log, t->lane()).last(),
             QStringLiteral("10 task-ended cancelled CancelledError()"));
}

// async def worker():
//     try: await asyncio.sleep(0.1)
//     except CancelledError: trace("cancelled")
//     await asyncio.sleep(0.1); trace("woke")
Co<ExcId> sleepsAgainAfterCancel(Scheduler &s, Trace &trace)
{
    Task *self = s.currentTask();
    if (co_await SleepAwaiter(self, 100) != None)
        trace.add(QStringLiteral("cancelled"));
    const ExcId r = co_await SleepAwaiter(self, 100);
    trace.add(r == None ? QStringLiteral("woke") : QStringLiteral("cancelled again"));
    co_return r;
}

void tst_Task::sleepAfterACancelledSleepWakesOnItsOwnTimer()
{
    // w = create_task(worker()); o = create_task(other sleeping 110 ms); cancel w at 10 ms.
    // The first sleep's timer (due at 100) was cancelled where it stands: w wakes at 110 from
    // its second timer, after o's, which was scheduled first for the same millisecond.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> w = spawn(s, sleepsAgainAfterCancel(s, trace), "w");
    Ref<Task> o = spawn(s, sleeper(s, trace, "o", 110), "o");
    callLater(s, 10, [&] { QVERIFY(w->cancel()); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "10 cancelled", "110 o end", "110 woke" }));
    QCOMPARE(s.timerCount(), size_t(0));
}

void tst_Task::cancelBeforeFirstStep()
{
    // t = create_task(worker()); t.cancel()  -- the body never runs; t ends cancelled.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, reportingSleeper(s, trace, "t", 100), "t");
    QVERIFY(t->cancel());
    QCOMPARE(t->cancelling(), 1);
    QVERIFY(!t->done()); // cancel() only requests
    QVERIFY(drain(s));
    QVERIFY(trace.lines().isEmpty());
    QVERIFY(t->cancelled());
    QCOMPARE(s.time(), 0);
    const QStringList events = laneEvents(log, t->lane());
    QCOMPARE(events.last(), QStringLiteral("0 task-ended cancelled CancelledError()"));
}

void tst_Task::cancelCounting()
{
    // await asyncio.sleep(0)   (t is now sleeping)
    // t.cancel(), t.cancel(), t.cancelling(), t.uncancel(), t.uncancel(), t.uncancel()
    //   -> True True 2 1 0 0
    // t.cancel(); await t; then t.cancel() -> False and t.cancelling() stays 1
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, reportingSleeper(s, trace, "t", 100), "t");
    callSoon(s, [&] {
        QVERIFY(t->cancel());
        QVERIFY(t->cancel());
        QCOMPARE(t->cancelling(), 2);
        QCOMPARE(t->uncancel(), 1);
        QCOMPARE(t->uncancel(), 0);
        QCOMPARE(t->uncancel(), 0);
        QVERIFY(t->cancel());
    });
    QVERIFY(drain(s));
    QVERIFY(t->cancelled());
    QVERIFY(!t->cancel());
    QCOMPARE(t->cancelling(), 1);
    QCOMPARE(trace.lines(), QStringList({ "0 t start", "0 t got CancelledError()" }));
}

void tst_Task::taskThatCatchesCancellationContinues()
{
    // try: await asyncio.sleep(0.1) except CancelledError: print("caught")
    // await asyncio.sleep(0.02); print("done")        -- cancelled at 10
    // CPython: caught at 10, done at 30; the task finishes normally, cancelling() stays 1.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, stubborn(s, trace), "stubborn");
    callLater(s, 10, [&] { t->cancel(); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "10 caught CancelledError()", "30 done" }));
    QVERIFY(t->done());
    QVERIFY(!t->cancelled());
    QCOMPARE(t->exception(), None);
    QCOMPARE(t->cancelling(), 1);
    QCOMPARE(laneEvents(log, t->lane()).last(), QStringLiteral("30 task-ended finished"));
}

void tst_Task::taskCancellingItself_data()
{
    QTest::addColumn<int>("awaitMs");
    QTest::addColumn<QStringList>("expected");
    // Task.__step: _must_cancel is set, so the coroutine's next await is cancelled at once, and
    // a coroutine that returns with it still set ends the task cancelled.
    QTest::newRow("cancels itself and returns: the task still ends cancelled")
        << -1 << QStringList { "0 cancelled itself" };
    QTest::newRow("cancels itself, then sleep(0): CancelledError at that await")
        << 0 << QStringList { "0 cancelled itself", "0 got it at the await" };
    QTest::newRow("cancels itself, then sleep(0.05): CancelledError at once, no waiting")
        << 50 << QStringList { "0 cancelled itself", "0 got it at the await" };
}

void tst_Task::taskCancellingItself()
{
    QFETCH(int, awaitMs);
    QFETCH(QStringList, expected);
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, cancelsItself(s, trace, awaitMs), "t");
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), expected);
    QVERIFY(t->cancelled());
    QCOMPARE(s.time(), 0);
}

void tst_Task::awaitingCancelledTaskRaisesItsCancelledErrorOnce()
{
    // child: try: await sleep(1) except CancelledError as e: saved = e; raise
    // main:  t = create_task(child()); await sleep(0); t.cancel()
    //        await t   -> raises `saved` itself (the task kept it for chaining)
    //        await t   -> a new CancelledError
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> child = spawn(s, reportingSleeper(s, trace, "child", 1000), "child");
    std::vector<ExcId> got;
    Ref<Task> main = spawn(s, awaitsTwice(s, trace, child, &got), "main");
    callSoon(s, [&] { child->cancel(); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(),
             QStringList({ "0 child start", "0 child got CancelledError()",
                           "0 await got CancelledError()", "0 await got CancelledError()" }));
    QCOMPARE(got.size(), size_t(2));
    ExcId childEnded = None;
    for (const Event &e : log.events()) {
        if (e.kind() == EventKind::TaskEnded && LaneId(e.subject) == child->lane())
            childEnded = e.argId();
    }
    QVERIFY(childEnded != None);
    QCOMPARE(got[0], childEnded);
    QVERIFY(got[1] != childEnded);
    QCOMPARE(log.exception(got[1]).type, int(ExceptionTypes::CancelledError));
    QVERIFY(main->done() && !main->cancelled());
}

namespace {
Co<ExcId> failsAfter(Scheduler &s, qint64 ms)
{
    const ExcId r = co_await SleepAwaiter(s.currentTask(), ms);
    if (r != None)
        co_return r;
    co_return raiseNew(s, ExceptionTypes::ValueError, QStringLiteral("x"));
}

Co<ExcId> awaitsOnce(Scheduler &s, Ref<Task> child, ExcId *got)
{
    *got = co_await FutureAwaiter(s.currentTask(), child.get());
    co_return None;
}
} // namespace

void tst_Task::awaitingFailedTaskRaisesTheSameException()
{
    // t = create_task(bad()); try: await t except ValueError as e:
    //   e is t.exception() -> True; e.__context__ -> None
    EventLog log;
    Scheduler s(log);
    Ref<Task> child = spawn(s, failsAfter(s, 5), "bad");
    ExcId got = None;
    Ref<Task> main = spawn(s, awaitsOnce(s, child, &got), "main");
    QVERIFY(drain(s));
    QVERIFY(got != None);
    QCOMPARE(got, child->exception());
    QCOMPARE(log.repr(got), QStringLiteral("ValueError('x')"));
    QCOMPARE(log.exception(got).context, None);
    QCOMPARE(s.time(), 5);
}

void tst_Task::liveTasksInCreationOrder()
{
    // asyncio.all_tasks() as docs/scenario-format.md fixes it: tasks not done, in creation
    // order.
    EventLog log;
    Scheduler s(log);
    Ref<Task> a = spawn(s, justSleeps(s, 30), "a");
    Ref<Task> b = spawn(s, justSleeps(s, 10), "b");
    Ref<Task> c = spawn(s, justSleeps(s, 20), "c");
    QCOMPARE(s.liveTasks(), (std::vector<Task *> { a.get(), b.get(), c.get() }));
    callLater(s, 15, [&] { QCOMPARE(s.liveTasks(), (std::vector<Task *> { a.get(), c.get() })); });
    QVERIFY(drain(s));
    QVERIFY(s.liveTasks().empty());
}

void tst_Task::eventsOfATask_data()
{
    QTest::addColumn<Body>("body");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("returns: task-ended finished, no exception")
        << Body::Returns
        << QStringList { "0 task-created", "0 task-started", "5 task-ended finished" };
    QTest::newRow("raises: the exception is raised, escapes, and ends the task failed")
        << Body::Raises
        << QStringList { "0 task-created", "0 task-started", "5 raise ValueError('x') raise",
                         "5 hop escaped ValueError('x')", "5 task-ended failed ValueError('x')" };
    QTest::newRow("cancelled while sleeping: a CancelledError made by the cancellation")
        << Body::CancelledWhileSleeping
        << QStringList { "0 task-created", "0 task-started", "3 raise CancelledError() cancel",
                         "3 hop escaped CancelledError()",
                         "3 task-ended cancelled CancelledError()" };
    QTest::newRow("catches the cancellation and returns: finished")
        << Body::CatchesCancellation
        << QStringList { "0 task-created", "0 task-started", "3 raise CancelledError() cancel",
                         "23 task-ended finished" };
}

void tst_Task::cancellationIsRaisedInTheCancelledTask_data()
{
    // The CancelledError a cancellation makes enters the task at its await (or at its first
    // step): its ExceptionRaised event names that task's lane, as the caption "worker is
    // cancelled: CancelledError() enters it at its await" reads it (never "the loop").
    QTest::addColumn<int>("cancelAtMs");
    QTest::addColumn<int>("sleepMs");
    QTest::newRow("cancelled while sleeping") << 3 << 100;
    QTest::newRow("cancelled at sleep(0)") << 0 << 0;
    QTest::newRow("cancelled before its first step") << -1 << 100;
}

void tst_Task::cancellationIsRaisedInTheCancelledTask()
{
    QFETCH(int, cancelAtMs);
    QFETCH(int, sleepMs);
    EventLog log;
    Scheduler s(log);
    Ref<Task> t = spawn(s, justSleeps(s, sleepMs), "t");
    if (cancelAtMs < 0)
        t->cancel();
    else if (cancelAtMs == 0)
        callSoon(s, [&] { t->cancel(); });
    else
        callLater(s, cancelAtMs, [&] { t->cancel(); });
    QVERIFY(drain(s));
    QVERIFY(t->cancelled());
    int raised = 0;
    for (const Event &e : log.events()) {
        if (e.kind() != EventKind::ExceptionRaised)
            continue;
        ++raised;
        QCOMPARE(RaiseOrigin(e.detail), RaiseOrigin::Cancel);
        QCOMPARE(log.repr(ExcId(e.subject)), QStringLiteral("CancelledError()"));
        QCOMPARE(e.argId(), t->lane());
    }
    QCOMPARE(raised, 1);
}

void tst_Task::eventsOfATask()
{
    QFETCH(Body, body);
    QFETCH(QStringList, expected);
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t;
    switch (body) {
    case Body::Returns:
        t = spawn(s, justSleeps(s, 5), "t");
        break;
    case Body::Raises:
        t = spawn(s, failsAfter(s, 5), "t");
        break;
    case Body::CancelledWhileSleeping:
        t = spawn(s, justSleeps(s, 100), "t");
        callLater(s, 3, [&] { t->cancel(); });
        break;
    case Body::CatchesCancellation:
        t = spawn(s, stubborn(s, trace), "t");
        callLater(s, 3, [&] { t->cancel(); });
        break;
    }
    QVERIFY(drain(s));
    QCOMPARE(laneEvents(log, t->lane()), expected);
}

void tst_Task::cancelWhileAwaitingATaskThatIgnoresIt()
{
    // main awaits child; main.cancel() at 5 cancels the child (Task.cancel passes it to
    // _fut_waiter), which swallows it. main is never thrown into: it resumes normally when
    // the child finishes, with cancelling() == 1.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> child = spawn(s, ignorer(s, trace), "child");
    Ref<Task> main = spawn(s, awaitsIgnorer(s, trace, child), "main");
    callLater(s, 5, [&] { QVERIFY(main->cancel()); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(),
             QStringList({ "5 child ignores", "15 child done", "15 main resumed normally",
                           "25 main end" }));
    QCOMPARE(main->cancelling(), 1);
    QVERIFY(!main->cancelled());
    QCOMPARE(child->cancelling(), 1);
}

void tst_Task::secondCancelBeforeTheWakeupIsAbsorbed()
{
    // t.cancel(); t.cancel() while t sleeps: the first cancels the sleep, the second sets
    // _must_cancel, which the wakeup's CancelledError satisfies. One CancelledError only.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    Ref<Task> t = spawn(s, catchesOnce(s, trace), "t");
    callSoon(s, [&] {
        QVERIFY(t->cancel());
        QVERIFY(t->cancel());
    });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), QStringList({ "0 caught once", "10 second sleep completes" }));
    QCOMPARE(t->cancelling(), 2);
    QVERIFY(!t->cancelled());
}

void tst_Task::cancellationWhileHandlingHasItAsContext_data()
{
    QTest::addColumn<bool>("throughInnerFrame");
    QTest::newRow("cancelled at an await in the except block") << false;
    QTest::newRow("cancelled inside a coroutine awaited from the except block") << true;
}

void tst_Task::cancellationWhileHandlingHasItAsContext()
{
    // CPython: c.__context__ is ValueError('v') in both cases.
    QFETCH(bool, throughInnerFrame);
    EventLog log;
    Scheduler s(log);
    ExcId handled = None;
    ExcId cancelled = None;
    Ref<Task> t = spawn(s, cancelledWhileHandling(s, throughInnerFrame, &handled, &cancelled), "t");
    callSoon(s, [&] { t->cancel(); });
    QVERIFY(drain(s));
    QVERIFY(cancelled != None);
    QCOMPARE(log.repr(cancelled), QStringLiteral("CancelledError()"));
    QCOMPARE(log.exception(cancelled).context, handled);
    QCOMPARE(log.exception(handled).context, None);
    QVERIFY(t->done() && !t->cancelled());
}

QTEST_GUILESS_MAIN(tst_Task)
#include "tst_task.moc"
