// SPDX-License-Identifier: MIT
// GatheringFuture: asyncio.gather over tasks. The first exception (or cancelled child) wins
// unless return_exceptions; the other children run on; cancelling the task that awaits the
// gather (or the gather itself) cancels every child. Expectations are CPython 3.11.7's.
#include "childspec.h"

#include <QTest>

#ifndef Q_MOC_RUN // see coretesthelpers.h
#include "coretesthelpers.h"
#include "gatheringfuture.h"
#endif

using namespace Lifeline;
using namespace Lifeline::Test;

namespace {

enum class CancelWhat { Nothing, FirstChild, Main, Gather };

struct GatherRun
{
    std::vector<Ref<Task>> children;
    Ref<GatheringFuture> outer;
    ExcId got = None;
};

// async def main():
//     try: await asyncio.gather(*children, return_exceptions=...)
//     except BaseException as e: trace(f"main got {e!r}"); raise
//     else: trace("main got results")
//     await asyncio.sleep(0); trace("main end")    -- a stray pending cancellation would show
Co<ExcId> gatherer(Scheduler &s, Trace &trace, ChildSpecs specs, bool returnExceptions,
                   GatherRun *run)
{
    Task *self = s.currentTask();
    for (const ChildSpec &spec : specs)
        run->children.push_back(spawn(s, makeChild(s, trace, spec), spec.name, self->lane()));
    run->outer = GatheringFuture::gather(s, run->children, returnExceptions);
    const ExcId r = co_await FutureAwaiter(self, run->outer.get());
    run->got = r;
    trace.add(QStringLiteral("main got ")
              + (r == None ? QStringLiteral("results") : s.log().repr(r)));
    if (r != None)
        co_return r;
    const ExcId later = co_await SleepAwaiter(self, 0);
    trace.add(later == None ? QStringLiteral("main end") : s.log().repr(later));
    co_return later;
}

} // namespace

Q_DECLARE_METATYPE(CancelWhat)

class tst_Gather : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gather_data();
    void gather();
    void firstExceptionIsTheChildsOwn();
    void cancellingMainHandsItTheFirstChildsCancelledError();
    void cancelAfterDoneCancelsNothing();
};

void tst_Gather::gather_data()
{
    QTest::addColumn<ChildSpecs>("children");
    QTest::addColumn<bool>("returnExceptions");
    QTest::addColumn<CancelWhat>("cancel"); // at 10 ms
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("mainCancelling"); // main.cancelling() at the end

    const ChildSpecs threeMixed
        = { fails("a", 10, ExceptionTypes::ValueError, "a"),
            fails("b", 20, ExceptionTypes::TypeError, "b"), sleeps("c", 30) };
    const ChildSpecs twoLong = { sleeps("a", 100), sleeps("b", 100) };
    const ChildSpecs longAndShort = { sleeps("a", 100), sleeps("b", 20) };

    QTest::newRow("first exception wins at once; the other children run on")
        << threeMixed << false << CancelWhat::Nothing
        << QStringList { "10 a raises", "10 main got ValueError('a')", "20 b raises", "30 c end" }
        << 0;
    QTest::newRow("return_exceptions waits for every child and raises nothing")
        << threeMixed << true << CancelWhat::Nothing
        << QStringList { "10 a raises", "20 b raises", "30 c end", "30 main got results",
                         "30 main end" }
        << 0;
    QTest::newRow("a child cancelled alone: main gets CancelledError, no cancel request on main")
        << longAndShort << false << CancelWhat::FirstChild
        << QStringList { "10 a cancelled", "10 main got CancelledError()", "20 b end" } << 0;
    QTest::newRow("a child cancelled alone with return_exceptions: main gets results")
        << longAndShort << true << CancelWhat::FirstChild
        << QStringList { "10 a cancelled", "20 b end", "20 main got results", "20 main end" } << 0;
    QTest::newRow("cancelling the awaiting task cancels every child")
        << twoLong << false << CancelWhat::Main
        << QStringList { "10 a cancelled", "10 b cancelled", "10 main got CancelledError()" } << 1;
    QTest::newRow("cancelling the gather itself raises CancelledError even with "
                  "return_exceptions")
        << twoLong << true << CancelWhat::Gather
        << QStringList { "10 a cancelled", "10 b cancelled", "10 main got CancelledError()" } << 0;
}

void tst_Gather::gather()
{
    QFETCH(ChildSpecs, children);
    QFETCH(bool, returnExceptions);
    QFETCH(CancelWhat, cancel);
    QFETCH(QStringList, expected);
    QFETCH(int, mainCancelling);

    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GatherRun run;
    Ref<Task> main = spawn(s, gatherer(s, trace, children, returnExceptions, &run), "main");
    callLater(s, 10, [&] {
        switch (cancel) {
        case CancelWhat::Nothing:
            break;
        case CancelWhat::FirstChild:
            QVERIFY(run.children.front()->cancel());
            break;
        case CancelWhat::Main:
            QVERIFY(main->cancel());
            break;
        case CancelWhat::Gather:
            QVERIFY(run.outer->cancel());
            break;
        }
    });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), expected);
    QCOMPARE(main->cancelling(), mainCancelling);
    // gather never cancels the children that are still running when it finishes early.
    for (const Ref<Task> &child : run.children)
        QVERIFY(child->done());
}

void tst_Gather::firstExceptionIsTheChildsOwn()
{
    // try: await gather(a(), b()) except ValueError as e: e is a_task.exception() -> True
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GatherRun run;
    const ChildSpecs specs = { fails("a", 10, ExceptionTypes::ValueError, "a"), sleeps("b", 5) };
    Ref<Task> main = spawn(s, gatherer(s, trace, specs, false, &run), "main");
    QVERIFY(drain(s));
    QVERIFY(run.got != None);
    QCOMPARE(run.got, run.children[0]->exception());
    QCOMPARE(main->exception(), run.got);
}

void tst_Gather::cancellingMainHandsItTheFirstChildsCancelledError()
{
    // main.cancel() cancels the gather, which cancels a and b; a's done callback runs first
    // and sets a's own CancelledError (Future._make_cancelled_error) on the gather.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GatherRun run;
    const ChildSpecs specs = { sleeps("a", 100), sleeps("b", 100) };
    Ref<Task> main = spawn(s, gatherer(s, trace, specs, false, &run), "main");
    callLater(s, 10, [&] { main->cancel(); });
    QVERIFY(drain(s));
    ExcId aEnded = None;
    for (const Event &e : log.events()) {
        if (e.kind() == EventKind::TaskEnded && LaneId(e.subject) == run.children[0]->lane())
            aEnded = e.argId();
    }
    QVERIFY(aEnded != None);
    QCOMPARE(run.got, aEnded);
    QVERIFY(run.children[0]->cancelled());
    QVERIFY(run.children[1]->cancelled());
}

void tst_Gather::cancelAfterDoneCancelsNothing()
{
    // After gather raised a's error, gather.cancel() returns False and b keeps running.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GatherRun run;
    const ChildSpecs specs = { fails("a", 10, ExceptionTypes::ValueError, "a"), sleeps("b", 30) };
    Ref<Task> main = spawn(s, gatherer(s, trace, specs, false, &run), "main");
    callLater(s, 15, [&] { QVERIFY(!run.outer->cancel()); });
    QVERIFY(drain(s));
    QVERIFY(!run.children[1]->cancelled());
    QCOMPARE(trace.lines(),
             QStringList({ "10 a raises", "10 main got ValueError('a')", "30 b end" }));
}

QTEST_GUILESS_MAIN(tst_Gather)
#include "tst_gather.moc"
