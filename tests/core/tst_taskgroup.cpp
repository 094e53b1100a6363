// SPDX-License-Identifier: MIT
// TaskGroup: asyncio.TaskGroup as taskgroups.py (3.11.7) has it. A failing child cancels its
// siblings and the parent; __aexit__ waits for every child and raises an ExceptionGroup of
// the errors in the order they happened; a group with a BaseException member is a
// BaseExceptionGroup; a cancellation from outside propagates as CancelledError.
#include "childspec.h"

#include <QTest>

#ifndef Q_MOC_RUN // see coretesthelpers.h
#include "coretesthelpers.h"
#include "taskgroup.h"
#endif

using namespace Lifeline;
using namespace Lifeline::Test;

namespace {

struct GroupRun
{
    std::vector<Ref<Task>> children;
    ExcId got = None;
};

// async def main():
//     try:
//         async with asyncio.TaskGroup() as tg:
//             for child in children: tg.create_task(child)
//             [await asyncio.sleep(bodyMs)]          -- when bodyMs >= 0
//             [raise KeyError('body')]               -- when bodyRaises
//     except BaseException as e: trace(f"main got {e!r}"); raise
//     trace("main got None")
Co<ExcId> groupOwner(Scheduler &s, Trace &trace, ChildSpecs specs, qint64 bodyMs, bool bodyRaises,
                     GroupRun *run)
{
    Task *self = s.currentTask();
    Ref<TaskGroup> group(new TaskGroup(s, self));
    for (const ChildSpec &spec : specs)
        run->children.push_back(
            group->createTask(makeChild(s, trace, spec), s.log().internLabel(spec.name)));
    ExcId bodyExc = None;
    if (bodyMs >= 0) {
        bodyExc = co_await SleepAwaiter(self, bodyMs);
        if (bodyExc != None)
            trace.add(QStringLiteral("body cancelled"));
    }
    if (bodyExc == None && bodyRaises)
        bodyExc = raiseNew(s, ExceptionTypes::KeyError, QStringLiteral("body"));
    // `async with` calls __aexit__ while handling the body's exception.
    if (bodyExc != None)
        self->pushHandled(bodyExc);
    self->enterFrame();
    ExcId r = co_await group->exit(bodyExc);
    r = self->leaveFrame(r);
    if (bodyExc != None)
        self->popHandled();
    run->got = r;
    trace.add(QStringLiteral("main got ") + (r == None ? QStringLiteral("None") : s.log().repr(r)));
    co_return r;
}

} // namespace

class tst_TaskGroup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void taskGroup_data();
    void taskGroup();
    void groupOfOneFailure();
    void baseExceptionMemberMakesABaseExceptionGroup();
    void bodyCancelledByAFailureIsTheGroupsContext();
};

void tst_TaskGroup::taskGroup_data()
{
    QTest::addColumn<ChildSpecs>("children");
    QTest::addColumn<int>("bodyMs"); // -1: the body does not await
    QTest::addColumn<bool>("bodyRaises");
    QTest::addColumn<int>("cancelMainAt"); // -1: nobody cancels main
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("mainCancelling");

    QTest::newRow("a failing child cancels its siblings and the parent")
        << ChildSpecs { fails("a", 10, ExceptionTypes::ValueError, "a"), sleeps("b", 100),
                        sleeps("c", 100) }
        << -1 << false << -1
        << QStringList { "10 a raises", "10 b cancelled", "10 c cancelled",
                         "10 main got ExceptionGroup('unhandled errors in a TaskGroup', "
                         "[ValueError('a')])" }
        // 3.11.7: the parent was cancelled after __aexit__ began, which uncancels only on
        // entry, so the request stays counted.
        << 1;
    QTest::newRow("members are in failure order, not creation order")
        << ChildSpecs { failsOnCancel("y", 100, ExceptionTypes::ValueError, "y"),
                        fails("x", 10, ExceptionTypes::TypeError, "x") }
        << -1 << false << -1
        << QStringList { "10 x raises", "10 y raises on cancel",
                         "10 main got ExceptionGroup('unhandled errors in a TaskGroup', "
                         "[TypeError('x'), ValueError('y')])" }
        << 1;
    QTest::newRow("the body's sleep is cancelled by a failing child")
        << ChildSpecs { fails("a", 10, ExceptionTypes::ValueError, "a") } << 50 << false << -1
        << QStringList { "10 a raises", "10 body cancelled",
                         "10 main got ExceptionGroup('unhandled errors in a TaskGroup', "
                         "[ValueError('a')])" }
        << 0;
    QTest::newRow("the body raises: children are cancelled, the body's error is grouped")
        << ChildSpecs { sleeps("a", 100) } << 10 << true << -1
        << QStringList { "10 a cancelled",
                         "10 main got ExceptionGroup('unhandled errors in a TaskGroup', "
                         "[KeyError('body')])" }
        << 0;
    QTest::newRow("every child succeeds: __aexit__ waits for the last one")
        << ChildSpecs { sleeps("a", 10), sleeps("b", 30) } << -1 << false << -1
        << QStringList { "10 a end", "30 b end", "30 main got None" } << 0;
    QTest::newRow("the parent cancelled from outside: children cancelled, CancelledError")
        << ChildSpecs { sleeps("a", 100), sleeps("b", 100) } << -1 << false << 10
        << QStringList { "10 a cancelled", "10 b cancelled", "10 main got CancelledError()" } << 1;
}

void tst_TaskGroup::taskGroup()
{
    QFETCH(ChildSpecs, children);
    QFETCH(int, bodyMs);
    QFETCH(bool, bodyRaises);
    QFETCH(int, cancelMainAt);
    QFETCH(QStringList, expected);
    QFETCH(int, mainCancelling);

    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GroupRun run;
    Ref<Task> main = spawn(s, groupOwner(s, trace, children, bodyMs, bodyRaises, &run), "main");
    if (cancelMainAt >= 0)
        callLater(s, cancelMainAt, [&] { main->cancel(); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), expected);
    QCOMPARE(main->cancelling(), mainCancelling);
    for (const Ref<Task> &child : run.children)
        QVERIFY(child->done());
}

void tst_TaskGroup::groupOfOneFailure()
{
    // The group's str(), members, the hops that record the grouping, and the member itself.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GroupRun run;
    const ChildSpecs specs = { fails("a", 10, ExceptionTypes::ValueError, "a"), sleeps("b", 100) };
    Ref<Task> main = spawn(s, groupOwner(s, trace, specs, -1, false, &run), "main");
    QVERIFY(drain(s));
    QVERIFY(run.got != None);
    const ExceptionRecord &group = log.exception(run.got);
    QCOMPARE(group.type, int(ExceptionTypes::ExceptionGroup));
    QCOMPARE(
        log.repr(run.got),
        QStringLiteral("ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a')])"));
    QCOMPARE(log.str(run.got), QStringLiteral("unhandled errors in a TaskGroup (1 sub-exception)"));
    QCOMPARE(group.members, std::vector<ExcId> { run.children[0]->exception() });
    QVERIFY(group.suppressContext); // raise me from None
    QCOMPARE(group.cause, None);
    QCOMPARE(main->exception(), run.got);

    int grouped = 0;
    for (const Event &e : log.events()) {
        if (e.kind() == EventKind::ExceptionHop && HopAction(e.detail) == HopAction::Grouped) {
            ++grouped;
            QCOMPARE(ExcId(e.subject), run.children[0]->exception());
            QCOMPARE(e.argId(), main->lane());
        }
        if (e.kind() == EventKind::ExceptionRaised && ExcId(e.subject) == run.got) {
            QCOMPARE(RaiseOrigin(e.detail), RaiseOrigin::Group);
            QCOMPARE(e.argId(), main->lane());
        }
    }
    QCOMPARE(grouped, 1);
}

void tst_TaskGroup::baseExceptionMemberMakesABaseExceptionGroup()
{
    // class MyBase(BaseException): ...   a child raises MyBase('m')
    // CPython: BaseExceptionGroup('unhandled errors in a TaskGroup', [MyBase('m')])
    ExceptionTypes types;
    const int myBase = types.addCustom(QStringLiteral("MyBase"), ExceptionTypes::BaseException);
    EventLog log(types);
    Scheduler s(log);
    Trace trace(s);
    GroupRun run;
    const ChildSpecs specs = { fails("a", 10, myBase, "m") };
    Ref<Task> main = spawn(s, groupOwner(s, trace, specs, -1, false, &run), "main");
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(),
             QStringList({ "10 a raises",
                           "10 main got BaseExceptionGroup('unhandled errors in a "
                           "TaskGroup', [MyBase('m')])" }));
    QCOMPARE(log.exception(run.got).type, int(ExceptionTypes::BaseExceptionGroup));
    QVERIFY(!PyErrors::isInstance(log, run.got, ExceptionTypes::Exception));
}

void tst_TaskGroup::bodyCancelledByAFailureIsTheGroupsContext()
{
    // async with TaskGroup() as tg: tg.create_task(fails at 10); await sleep(0.05)
    // CPython: e.__context__ is the body's CancelledError, e.__suppress_context__ is True,
    // so a traceback shows the group alone.
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    GroupRun run;
    const ChildSpecs specs = { fails("a", 10, ExceptionTypes::ValueError, "a") };
    Ref<Task> main = spawn(s, groupOwner(s, trace, specs, 50, false, &run), "main");
    QVERIFY(drain(s));
    const ExceptionRecord &group = log.exception(run.got);
    QVERIFY(group.context != None);
    QCOMPARE(log.repr(group.context), QStringLiteral("CancelledError()"));
    QVERIFY(group.suppressContext);
    QCOMPARE(log.chain(run.got), std::vector<ExcId> { run.got });
}

QTEST_GUILESS_MAIN(tst_TaskGroup)
#include "tst_taskgroup.moc"
