// SPDX-License-Identifier: MIT
// The events a run records, in the order of the CPython moments docs/events.md names: an
// `async with` of each kind (class, @asynccontextmanager generator, TaskGroup, timeout), the
// lane labels the exported program's calls give, a try statement's replacements and a task's
// first step. Each row is a small scenario and its whole log as `lifeline events` prints it;
// the tracer records the same log for the exported program
// (tests/tracer/test_differential_trace.py). Past 500 lines because the rows are one table:
// each a scenario and its whole log.

#include "eventformatter.h"
#include "interpreter.h"
#include "scenarioloader.h"

#include <QTest>

using namespace Lifeline;

class tst_EventOrder : public QObject
{
    Q_OBJECT

private slots:
    void recordsEachMomentInOrder_data();
    void recordsEachMomentInOrder();
};

void tst_EventOrder::recordsEachMomentInOrder_data()
{
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<QStringList>("events");

    // One event a line, as `lifeline events` prints them.
    // clang-format off
    // Generator instances: their phases are contextlib's calls, whatever the generator's own
    // code does meanwhile.
    QTest::newRow("generator: release, then contextlib finds it did not stop")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"s","kind":"generator",)"
                      R"("name":"session","yields":2,"exit":{"print":"bye","ms":5}}],)"
                      R"("main":[{"with":"s","body":[{"print":"body"}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(session() #1 acquire)",
               R"(session() #1 ready)",
               R"(main() prints 'body')",
               R"(session() #1 release)",
               R"(RuntimeError("generator didn't stop") runtime in main())",
               R"(GeneratorExit() runtime in main())",
               R"(main() prints 'bye')",
               R"(main() awaits sleep(0.005))",
               R"(session() #1 released)",
               R"(RuntimeError("generator didn't stop") escaped at main())",
               R"(main() failed: RuntimeError("generator didn't stop"))",
           };
    QTest::newRow("generator: setup fails: its finally runs, no release")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"g","kind":"generator","name":"gpu",)"
                      R"("enter":{"raise":{"type":"ValueError","message":"no gpu"}},)"
                      R"("exit":{"print":"bye"}}],"main":[{"try":[{"with":"g","body":[]}],)"
                      R"("except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(gpu() #1 acquire)",
               R"(ValueError('no gpu') raise in main())",
               R"(main() prints 'bye')",
               R"(gpu() #1 failed-to-acquire)",
               R"(ValueError('no gpu') caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("generator: never yields: failed to acquire after the RuntimeError")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"g","kind":"generator","name":"gpu",)"
                      R"("yields":0,"exit":{"print":"bye"}}],"main":[{"try":[{"with":"g",)"
                      R"("body":[]}],"except":[{"types":["RuntimeError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(gpu() #1 acquire)",
               R"(main() prints 'bye')",
               R"(RuntimeError("generator didn't yield") runtime in main())",
               R"(gpu() #1 failed-to-acquire)",
               R"(RuntimeError("generator didn't yield") caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("generator: cleanup after the yield skipped: release, never released")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"l","kind":"generator","name":"lock",)"
                      R"("cleanup":"after_yield","exit":{"print":"unlock"}}],)"
                      R"("main":[{"try":[{"with":"l",)"
                      R"("body":[{"raise":{"type":"ValueError"}}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(lock() #1 acquire)",
               R"(lock() #1 ready)",
               R"(ValueError() raise in main())",
               R"(lock() #1 release)",
               R"(lock() #1 never-released)",
               R"(ValueError() propagated at lock() #1)",
               R"(ValueError() caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("generator: no cleanup code means no finally: never released")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"l","kind":"generator",)"
                      R"("name":"lock"}],"main":[{"try":[{"with":"l",)"
                      R"("body":[{"raise":{"type":"ValueError"}}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(lock() #1 acquire)",
               R"(lock() #1 ready)",
               R"(ValueError() raise in main())",
               R"(lock() #1 release)",
               R"(lock() #1 never-released)",
               R"(ValueError() propagated at lock() #1)",
               R"(ValueError() caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("generator: an except that does not match runs no cleanup: never released")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"l","kind":"generator","name":"lock",)"
                      R"("cleanup":"after_yield","exit":{"print":"unlock",)"
                      R"("suppress":["KeyError"]}}],"main":[{"try":[{"with":"l",)"
                      R"("body":[{"raise":{"type":"ValueError"}}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(lock() #1 acquire)",
               R"(lock() #1 ready)",
               R"(ValueError() raise in main())",
               R"(lock() #1 release)",
               R"(lock() #1 never-released)",
               R"(ValueError() propagated at lock() #1)",
               R"(ValueError() caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("generator: its except catches, suppressed once __aexit__ returns")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"l","kind":"generator","name":"lock",)"
                      R"("exit":{"print":"unlock","suppress":["ValueError"]}}],)"
                      R"("main":[{"with":"l","body":[{"raise":{"type":"ValueError"}}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(lock() #1 acquire)",
               R"(lock() #1 ready)",
               R"(ValueError() raise in main())",
               R"(lock() #1 release)",
               R"(ValueError() caught at main())",
               R"(main() prints 'unlock')",
               R"(lock() #1 released)",
               R"(ValueError() suppressed at lock() #1)",
               R"(main() finished)",
           };
    QTest::newRow("generator: cleanup raises: released, then the body's exception replaced")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"l","kind":"generator","name":"lock",)"
                      R"("exit":{"raise":{"type":"KeyError","message":"k"}}}],)"
                      R"("main":[{"try":[{"with":"l",)"
                      R"("body":[{"raise":{"type":"ValueError"}}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(lock() #1 acquire)",
               R"(lock() #1 ready)",
               R"(ValueError() raise in main())",
               R"(lock() #1 release)",
               R"(KeyError('k') raise in main())",
               R"(lock() #1 released)",
               R"(ValueError() replaced at lock() #1)",
               R"(KeyError('k') caught at main())",
               R"(main() finished)",
           };
    // Class instances.
    QTest::newRow("class: execute on a closed instance raises in execute")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"db","kind":"class","name":"Db",)"
                      R"("execute":{}}],"main":[{"with":"db","body":[]},)"
                      R"({"try":[{"execute":"db","query":"q"}],)"
                      R"("except":[{"types":["RuntimeError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(Db() #1 acquire)",
               R"(Db() #1 ready)",
               R"(Db() #1 release)",
               R"(Db() #1 released)",
               R"(RuntimeError('Not connected') raise in main())",
               R"(RuntimeError('Not connected') caught at main())",
               R"(main() finished)",
           };
    // `cancelled` ends an acquisition; an __aexit__ that raises CancelledError still released
    // its instance.
    QTest::newRow("class: __aexit__ interrupted by a cancellation is released")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"db","kind":"class","name":"Db",)"
                      R"("exit":{"ms":100}}],"main":[{"try":[{"timeout":50,)"
                      R"("body":[{"with":"db","body":[]}]}],)"
                      R"("except":[{"types":["TimeoutError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.05) #1 acquire)",
               R"(timeout(0.05) #1 ready)",
               R"(Db() #1 acquire)",
               R"(Db() #1 ready)",
               R"(Db() #1 release)",
               R"(main() awaits sleep(0.1))",
               R"(main() cancel requested: deadline timeout(0.05) #1)",
               R"(CancelledError() cancel in main())",
               R"(Db() #1 released)",
               R"(timeout(0.05) #1 release)",
               R"(TimeoutError() timeout in main())",
               R"(timeout(0.05) #1 released)",
               R"(CancelledError() replaced at timeout(0.05) #1)",
               R"(TimeoutError() caught at main())",
               R"(main() finished)",
            };
    QTest::newRow("class: execute on a released instance still connected is a plain call")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"db","kind":"class","name":"Db",)"
                      R"("execute":{"ms":10},"exit":{"ms":100}}],"main":[{"try":[{"timeout":50,)"
                      R"("body":[{"with":"db","body":[]}]}],)"
                      R"("except":[{"types":["TimeoutError"],"body":[{"execute":"db",)"
                      R"("query":"q"}]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.05) #1 acquire)",
               R"(timeout(0.05) #1 ready)",
               R"(Db() #1 acquire)",
               R"(Db() #1 ready)",
               R"(Db() #1 release)",
               R"(main() awaits sleep(0.1))",
               R"(main() cancel requested: deadline timeout(0.05) #1)",
               R"(CancelledError() cancel in main())",
               R"(Db() #1 released)",
               R"(timeout(0.05) #1 release)",
               R"(TimeoutError() timeout in main())",
               R"(timeout(0.05) #1 released)",
               R"(CancelledError() replaced at timeout(0.05) #1)",
               R"(TimeoutError() caught at main())",
               R"(main() awaits sleep(0.01))",
               R"(main() finished)",
            };
    // asyncio's scopes: lanes like a resource's.
    QTest::newRow("timeout: a lane around its body")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"timeout":150,)"
                      R"("body":[{"print":"in"}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.15) #1 acquire)",
               R"(timeout(0.15) #1 ready)",
               R"(main() prints 'in')",
               R"(timeout(0.15) #1 release)",
               R"(timeout(0.15) #1 released)",
               R"(main() finished)",
           };
    QTest::newRow("timeout: expires: TimeoutError, released, CancelledError replaced at it")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"try":[{"timeout":150,)"
                      R"("body":[{"sleep":200}]}],"except":[{"types":["TimeoutError"],)"
                      R"("body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.15) #1 acquire)",
               R"(timeout(0.15) #1 ready)",
               R"(main() awaits sleep(0.2))",
               R"(main() cancel requested: deadline timeout(0.15) #1)",
               R"(CancelledError() cancel in main())",
               R"(timeout(0.15) #1 release)",
               R"(TimeoutError() timeout in main())",
               R"(timeout(0.15) #1 released)",
               R"(CancelledError() replaced at timeout(0.15) #1)",
               R"(TimeoutError() caught at main())",
               R"(main() finished)",
            };
    QTest::newRow("timeout: an exception passes through it")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"try":[{"timeout":1000,)"
                      R"("body":[{"raise":{"type":"ValueError"}}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(1.0) #1 acquire)",
               R"(timeout(1.0) #1 ready)",
               R"(ValueError() raise in main())",
               R"(timeout(1.0) #1 release)",
               R"(timeout(1.0) #1 released)",
               R"(ValueError() propagated at timeout(1.0) #1)",
               R"(ValueError() caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("TaskGroup: released once its tasks are done")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"task_group":[{"name":"w",)"
                      R"("body":[{"print":"w"}]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(TaskGroup() #1 acquire)",
               R"(TaskGroup() #1 ready)",
               R"(w created by main())",
               R"(w joins TaskGroup() #1)",
               R"(TaskGroup() #1 release)",
               R"(w started)",
               R"(w prints 'w')",
               R"(w finished)",
               R"(TaskGroup() #1 released)",
               R"(main() finished)",
           };
    QTest::newRow("TaskGroup: a failing task grouped at its lane")
        << QByteArray(R"({"lifeline":1,"resources":[],)"
                      R"("main":[{"try":[{"task_group":[{"name":"w",)"
                      R"("body":[{"raise":{"type":"ValueError","message":"w"}}]}]}],)"
                      R"("except":[{"types":["ExceptionGroup"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(TaskGroup() #1 acquire)",
               R"(TaskGroup() #1 ready)",
               R"(w created by main())",
               R"(w joins TaskGroup() #1)",
               R"(TaskGroup() #1 release)",
               R"(w started)",
               R"(ValueError('w') raise in w)",
               R"(ValueError('w') escaped at w)",
               R"(w failed: ValueError('w'))",
               R"(main() cancel requested: sibling w)",
               R"(CancelledError() cancel in main())",
               R"(ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('w')]))"
               R"( group in main())",
               R"(ValueError('w') grouped at TaskGroup() #1)",
               R"(TaskGroup() #1 released)",
               R"(ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('w')]))"
               R"( caught at main())",
               R"(main() finished)",
            };
    // As for a class.
    QTest::newRow("TaskGroup: __aexit__ cancelled while waiting is released")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"try":[{"timeout":10,)"
                      R"("body":[{"task_group":[{"name":"w","body":[{"sleep":100}]}]}]}],)"
                      R"("except":[{"types":["TimeoutError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.01) #1 acquire)",
               R"(timeout(0.01) #1 ready)",
               R"(TaskGroup() #1 acquire)",
               R"(TaskGroup() #1 ready)",
               R"(w created by main())",
               R"(w joins TaskGroup() #1)",
               R"(TaskGroup() #1 release)",
               R"(w started)",
               R"(w awaits sleep(0.1))",
               R"(main() cancel requested: deadline timeout(0.01) #1)",
               R"(CancelledError() cancel in main())",
               R"(w cancel requested: group-exit TaskGroup() #1)",
               R"(CancelledError() cancel in w)",
               R"(CancelledError() escaped at w)",
               R"(w cancelled: CancelledError())",
               R"(TaskGroup() #1 released)",
               R"(timeout(0.01) #1 release)",
               R"(TimeoutError() timeout in main())",
               R"(timeout(0.01) #1 released)",
               R"(CancelledError() replaced at timeout(0.01) #1)",
               R"(TimeoutError() caught at main())",
               R"(main() finished)",
            };
    // Lane labels: the exported program's calls.
    QTest::newRow("label: a resource with no arg is called with none")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"c","kind":"class","name":"Conn"}],)"
                      R"("main":[{"with":"c","body":[]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(Conn() #1 acquire)",
               R"(Conn() #1 ready)",
               R"(Conn() #1 release)",
               R"(Conn() #1 released)",
               R"(main() finished)",
           };
    QTest::newRow("label: renamed resource and main")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"db","kind":"class","arg":"x"},)"
                      R"({"id":"main","kind":"generator","name":"main"}],"main":[{"with":"db",)"
                      R"("body":[]}]})")
        << QStringList {
               R"(main_() created by -)",
               R"(main_() started)",
               R"(db_('x') #1 acquire)",
               R"(db_('x') #1 ready)",
               R"(db_('x') #1 release)",
               R"(db_('x') #1 released)",
               R"(main_() finished)",
           };
    QTest::newRow("label: timeouts count from 1, named by their seconds")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"timeout":150,"body":[]},)"
                      R"({"timeout":1000,"body":[]},{"timeout":0,"body":[]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.15) #1 acquire)",
               R"(timeout(0.15) #1 ready)",
               R"(timeout(0.15) #1 release)",
               R"(timeout(0.15) #1 released)",
               R"(timeout(1.0) #2 acquire)",
               R"(timeout(1.0) #2 ready)",
               R"(timeout(1.0) #2 release)",
               R"(timeout(1.0) #2 released)",
               R"(timeout(0.0) #3 acquire)",
               R"(timeout(0.0) #3 ready)",
               R"(timeout(0.0) #3 release)",
               R"(timeout(0.0) #3 released)",
               R"(main() finished)",
           };
    QTest::newRow("label: a class named TaskGroup counts with the TaskGroups")
        << QByteArray(R"({"lifeline":1,"resources":[{"id":"tg","kind":"class",)"
                      R"("name":"TaskGroup"}],"main":[{"with":"tg","body":[]},)"
                      R"({"task_group":[{"name":"w","body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(TaskGroup() #1 acquire)",
               R"(TaskGroup() #1 ready)",
               R"(TaskGroup() #1 release)",
               R"(TaskGroup() #1 released)",
               R"(TaskGroup() #2 acquire)",
               R"(TaskGroup() #2 ready)",
               R"(w created by main())",
               R"(w joins TaskGroup() #2)",
               R"(TaskGroup() #2 release)",
               R"(w started)",
               R"(w finished)",
               R"(TaskGroup() #2 released)",
               R"(main() finished)",
           };
    // Tasks.
    QTest::newRow("task: cancelled before it ran: started, then the CancelledError")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"spawn":{"name":"w",)"
                      R"("body":[{"gather":[{"name":"x","body":[{"print":"x"}]}]}]}}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(w created by main())",
               R"(main() finished)",
               R"(w started)",
               R"(x created by w)",
               R"(x joins gather #1)",
               R"(w awaits gather #1)",
               R"(w cancel requested: shutdown -)",
               R"(x cancel requested: awaiter w)",
               R"(x cancel requested: shutdown -)",
               R"(x started)",
               R"(CancelledError() cancel in x)",
               R"(CancelledError() escaped at x)",
               R"(x cancelled: CancelledError())",
               R"(CancelledError() propagated at w)",
               R"(CancelledError() escaped at w)",
               R"(w cancelled: CancelledError())",
            };
    QTest::newRow("task: cancelled at a gather already done: no propagated")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"spawn":{"name":"w",)"
                      R"("body":[{"gather":[{"name":"g","body":[]}]}]}},{"sleep":0}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(w created by main())",
               R"(w started)",
               R"(g created by w)",
               R"(g joins gather #1)",
               R"(w awaits gather #1)",
               R"(main() finished)",
               R"(g started)",
               R"(g finished)",
               R"(w cancel requested: shutdown -)",
               R"(CancelledError() cancel in w)",
               R"(CancelledError() escaped at w)",
               R"(w cancelled: CancelledError())",
            };
    QTest::newRow("task: a CancelledError a gather makes is raised in the task it enters")
        << QByteArray(R"({"lifeline":1,"resources":[],"main":[{"try":[{"timeout":50,)"
                      R"("body":[{"gather":[{"name":"a","body":[{"sleep":100}]},{"name":"b",)"
                      R"("body":[{"print":"b"}]}],"return_exceptions":true}]}],)"
                      R"("except":[{"types":["TimeoutError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(timeout(0.05) #1 acquire)",
               R"(timeout(0.05) #1 ready)",
               R"(a created by main())",
               R"(b created by main())",
               R"(a joins gather #1)",
               R"(b joins gather #1)",
               R"(main() awaits gather #1)",
               R"(a started)",
               R"(a awaits sleep(0.1))",
               R"(b started)",
               R"(b prints 'b')",
               R"(b finished)",
               R"(main() cancel requested: deadline timeout(0.05) #1)",
               R"(a cancel requested: awaiter main())",
               R"(CancelledError() cancel in a)",
               R"(CancelledError() escaped at a)",
               R"(a cancelled: CancelledError())",
               R"(CancelledError() cancel in main())",
               R"(timeout(0.05) #1 release)",
               R"(TimeoutError() timeout in main())",
               R"(timeout(0.05) #1 released)",
               R"(CancelledError() replaced at timeout(0.05) #1)",
               R"(TimeoutError() caught at main())",
               R"(main() finished)",
            };
    // try statements.
    QTest::newRow("try: another exception leaves an except body: the caught one replaced there")
        << QByteArray(R"({"lifeline":1,"resources":[],)"
                      R"("main":[{"try":[{"try":[{"raise":{"type":"ValueError"}}],)"
                      R"("except":[{"body":[{"raise":{"type":"KeyError","message":"k"}}]}]}],)"
                      R"("except":[{"types":["KeyError"],"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(ValueError() raise in main())",
               R"(ValueError() caught at main())",
               R"(KeyError('k') raise in main())",
               R"(ValueError() replaced at main())",
               R"(KeyError('k') caught at main())",
               R"(main() finished)",
           };
    QTest::newRow("try: a finally re-raising the exception it interrupted replaces nothing")
        << QByteArray(R"({"lifeline":1,"resources":[],)"
                      R"("main":[{"try":[{"try":[{"raise":{"type":"ValueError"}}],)"
                      R"("except":[{"body":[{"try":[{"raise":{"type":"KeyError"}}],)"
                      R"("finally":[{"reraise":true}]}]}]}],"except":[{"body":[]}]}]})")
        << QStringList {
               R"(main() created by -)",
               R"(main() started)",
               R"(ValueError() raise in main())",
               R"(ValueError() caught at main())",
               R"(KeyError() raise in main())",
               R"(KeyError() reraise in main())",
               R"(ValueError() replaced at main())",
               R"(KeyError() caught at main())",
               R"(main() finished)",
           };
    // clang-format on
}

void tst_EventOrder::recordsEachMomentInOrder()
{
    QFETCH(QByteArray, scenario);
    QFETCH(QStringList, events);
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<const Scenario> loaded
        = ScenarioLoader::fromData(scenario, QStringLiteral("row.json"), &diagnostics);
    QVERIFY2(loaded, diagnostics.empty() ? "" : qPrintable(diagnostics.front().toString()));
    Interpreter run(loaded);
    run.runToEnd();
    QStringList recorded;
    for (size_t i = 0; i < run.log().count(); ++i)
        recorded << EventFormatter::describe(run.log(), i);
    QCOMPARE(recorded, events);
}

QTEST_GUILESS_MAIN(tst_EventOrder)
#include "tst_eventorder.moc"
