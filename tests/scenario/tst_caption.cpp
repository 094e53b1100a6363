// SPDX-License-Identifier: MIT
// EventCaption: one sentence per event, with and without the scenario at hand.
#include "eventcaption.h"
#include "eventformatter.h"
#include "interpreter.h"
#include "samplelog.h"
#include "scenarioloader.h"

#include <QTest>

using namespace Lifeline;

class tst_Caption : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void caption_data();
    void caption();
    void withoutScenario();
    void stepText_data();
    void stepText();
    void outOfRange();
    void bigGatherStaysOneLine();
    void scopeLanes_data();
    void scopeLanes();
    void withStepNamesTheExportedCall();
    void cancelledSaysWhatItCutShort_data();
    void cancelledSaysWhatItCutShort();
    void fromOnlyForACause_data();
    void fromOnlyForACause();

private:
    Scenario m_scenario;
    EventLog m_log;
};

void tst_Caption::initTestCase()
{
    m_scenario = Test::sampleScenario();
    Test::fillSampleLog(m_log);
    QCOMPARE(m_log.count(), size_t(Test::SampleEventCount));
}

void tst_Caption::caption_data()
{
    QTest::addColumn<int>("event");
    QTest::addColumn<QString>("expected");
    QTest::newRow("main is created by asyncio.run")
        << int(Test::MainCreated) << QStringLiteral("asyncio.run() creates the main task");
    QTest::newRow("acquiring names __aenter__")
        << int(Test::Acquire)
        << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1 starts "
                          "acquiring (__aenter__)");
    QTest::newRow("a with step shows its Python")
        << int(Test::WithStep)
        << QStringLiteral("main runs `async with AsyncDatabaseConnection("
                          "'postgresql://localhost/mydb') as db`");
    QTest::newRow("execute names its query")
        << int(Test::Execute)
        << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1 executes "
                          "'SELECT 1'");
    QTest::newRow("a print quotes the line")
        << int(Test::ConnectPrint)
        << QStringLiteral("main prints 'Connecting to postgresql://localhost/mydb'");
    QTest::newRow("raise says where")
        << int(Test::BoomRaised)
        << QStringLiteral("ValueError('boom') is raised in "
                          "AsyncDatabaseConnection('postgresql://localhost/mydb') #1");
    QTest::newRow("exit returning True suppresses")
        << int(Test::BoomSuppressed)
        << QStringLiteral("`__aexit__` of db returned True: ValueError('boom') is suppressed here");
    QTest::newRow("cancellation enters at the await")
        << int(Test::CancelRaised)
        << QStringLiteral("worker-1 is cancelled: CancelledError() enters it at its await");
    QTest::newRow("spawned task is created by main")
        << int(Test::WorkerCreated)
        << QStringLiteral("main creates task worker-1; it runs once main yields to the loop");
    QTest::newRow("sleep step in seconds")
        << int(Test::SleepStep) << QStringLiteral("worker-1 runs `await asyncio.sleep(0.2)`");
    QTest::newRow("cancelled task ends cancelled")
        << int(Test::WorkerEnded) << QStringLiteral("worker-1 ends cancelled");
    QTest::newRow("released") << int(Test::Released)
                              << QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/"
                                                "mydb') #1 is released");
}

void tst_Caption::caption()
{
    QFETCH(int, event);
    QFETCH(QString, expected);
    const EventCaption captions(&m_log, &m_scenario);
    QCOMPARE(captions.caption(size_t(event)), expected);
}

void tst_Caption::withoutScenario()
{
    // Without the scenario, every event still gets a sentence; names fall back to lanes.
    const EventCaption captions(&m_log);
    for (size_t i = 0; i < m_log.count(); ++i)
        QVERIFY2(!captions.caption(i).isEmpty(), qPrintable(QString::number(i)));
    QCOMPARE(captions.caption(Test::ExecuteStep), QStringLiteral("main runs `step 1`"));
}

void tst_Caption::stepText_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero is an int") << qint64(0) << QStringLiteral("await asyncio.sleep(0)");
    QTest::newRow("whole seconds keep .0")
        << qint64(2000) << QStringLiteral("await asyncio.sleep(2.0)");
    QTest::newRow("shortest repr") << qint64(150) << QStringLiteral("await asyncio.sleep(0.15)");
}

void tst_Caption::stepText()
{
    QFETCH(qint64, ms);
    QFETCH(QString, expected);
    Scenario s = Test::sampleScenario();
    s.main[1].tasks[0].body[0].duration = ms;
    const EventCaption captions(&m_log, &s);
    QCOMPARE(captions.stepText(3), expected);
}

void tst_Caption::outOfRange()
{
    const EventCaption captions(&m_log, &m_scenario);
    QVERIFY(captions.caption(m_log.count()).isEmpty());
    QCOMPARE(captions.stepText(99), QStringLiteral("step 99"));
}

void tst_Caption::bigGatherStaysOneLine()
{
    // The event table and the status line show step texts in one line: a gather of thousands
    // of tasks names the first few (eliding 2 MB of names took a quarter of a second a frame).
    QByteArray json = R"({"lifeline": 1, "resources": [], "main": [{"gather": [)";
    for (int i = 0; i < 5000; ++i)
        json += (i ? "," : "") + QByteArray(R"({"name": "t)") + QByteArray::number(i)
            + R"(", "body": [{"sleep": 1}]})";
    json += "]}]}";
    auto scenario = ScenarioLoader::fromData(json, QStringLiteral("big.json"), nullptr);
    QVERIFY(scenario);
    const EventCaption captions(&m_log, scenario.get());
    QCOMPARE(captions.stepText(0),
             QStringLiteral("await asyncio.gather(t0, t1, t2, t3, t4, t5, ... 4994 more)"));
}

namespace {

const QByteArray kTimeoutExpires = R"({"lifeline": 1, "resources": [], "main": [
    {"try": [{"timeout": 150, "body": [{"sleep": 200}]}],
     "except": [{"types": ["TimeoutError"], "body": []}]}]})";
const QByteArray kTimeoutPassedThrough = R"({"lifeline": 1, "resources": [], "main": [
    {"try": [{"timeout": 1000, "body": [{"raise": {"type": "ValueError"}}]}],
     "except": [{"body": []}]}]})";
const QByteArray kTaskGroupFails = R"({"lifeline": 1, "resources": [], "main": [
    {"try": [{"task_group": [{"name": "w", "body": [{"raise": {"type": "ValueError"}}]}]}],
     "except": [{"types": ["ExceptionGroup"], "body": []}]}]})";

} // namespace

void tst_Caption::scopeLanes_data()
{
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<QString>("event"); // as `lifeline events` prints it
    QTest::addColumn<QString>("expected");
    QTest::newRow("timeout entered with its call")
        << kTimeoutExpires << QStringLiteral("timeout(0.15) #1 acquire")
        << QStringLiteral("main() enters timeout(0.15) #1: `async with asyncio.timeout(0.15)`");
    QTest::newRow("timeout ready says its deadline")
        << kTimeoutExpires << QStringLiteral("timeout(0.15) #1 ready")
        << QStringLiteral("timeout(0.15) #1 is set: main() is cancelled if its body is still "
                          "running at 150 ms");
    QTest::newRow("timeout expired replaces the cancellation")
        << kTimeoutExpires << QStringLiteral("CancelledError() replaced at timeout(0.15) #1")
        << QStringLiteral("timeout(0.15) #1 expired: its __aexit__ raised TimeoutError() from "
                          "CancelledError()");
    QTest::newRow("timeout exited")
        << kTimeoutExpires << QStringLiteral("timeout(0.15) #1 released")
        << QStringLiteral("timeout(0.15) #1 is exited");
    QTest::newRow("an exception passes through a timeout")
        << kTimeoutPassedThrough << QStringLiteral("ValueError() propagated at timeout(1.0) #1")
        << QStringLiteral("ValueError() leaves the `async with` of timeout(1.0) #1 unchanged");
    QTest::newRow("TaskGroup entered")
        << kTaskGroupFails << QStringLiteral("TaskGroup() #1 acquire")
        << QStringLiteral("main() enters TaskGroup() #1: `async with asyncio.TaskGroup()`");
    QTest::newRow("TaskGroup body done")
        << kTaskGroupFails << QStringLiteral("TaskGroup() #1 release")
        << QStringLiteral("the body of TaskGroup() #1 is done: its __aexit__ waits for its tasks");
    QTest::newRow("TaskGroup groups a failure")
        << kTaskGroupFails << QStringLiteral("ValueError() grouped at TaskGroup() #1")
        << QStringLiteral("TaskGroup() #1 collects ValueError() into the ExceptionGroup it raises");
    QTest::newRow("TaskGroup exited")
        << kTaskGroupFails << QStringLiteral("TaskGroup() #1 released")
        << QStringLiteral("TaskGroup() #1 is exited: every task it holds has ended");
}

// A TaskGroup's or timeout's lane has a group past the scenario's resources: its captions
// speak of the scope, never of a resource.
void tst_Caption::scopeLanes()
{
    QFETCH(QByteArray, scenario);
    QFETCH(QString, event);
    QFETCH(QString, expected);
    std::shared_ptr<const Scenario> loaded
        = ScenarioLoader::fromData(scenario, QStringLiteral("scope.json"), nullptr);
    QVERIFY(loaded);
    Interpreter run(loaded);
    run.runToEnd();
    const EventCaption captions(&run.log(), loaded.get());
    for (size_t i = 0; i < run.log().count(); ++i) {
        if (EventFormatter::describe(run.log(), i) == event) {
            QCOMPARE(captions.caption(i), expected);
            return;
        }
    }
    QFAIL("no such event");
}

void tst_Caption::withStepNamesTheExportedCall()
{
    // `db` is renamed `db_` in the exported program (`as db` takes the name), and a resource
    // with no arg is called with none: the step reads as the lanes are labelled.
    auto scenario = ScenarioLoader::fromData(R"({"lifeline": 1, "resources": [
        {"id": "db", "kind": "class", "arg": "x"}, {"id": "conn", "kind": "class", "name": "Conn"}],
        "main": [{"with": ["db", "conn"], "body": []}]})",
                                             QStringLiteral("names.json"), nullptr);
    QVERIFY(scenario);
    const EventCaption captions(&m_log, scenario.get());
    QCOMPARE(captions.stepText(0), QStringLiteral("async with db_('x') as db, Conn() as conn"));
}

void tst_Caption::cancelledSaysWhatItCutShort_data()
{
    QTest::addColumn<int>("phases"); // how many of acquire, ready, release ran before
    QTest::addColumn<QString>("expected");
    QTest::newRow("cancelled in __aenter__")
        << 1 << QStringLiteral("Conn() #1 was cancelled while acquiring");
    QTest::newRow("cancelled in the body")
        << 2
        << QStringLiteral("Conn() #1 was cancelled while in use (inside its `async with` body)");
    QTest::newRow("cancelled in __aexit__")
        << 3
        << QStringLiteral("Conn() #1 was cancelled while releasing (its __aexit__ was cut short)");
}

// The engine ends an instance `cancelled` only when its `__aenter__` is cut short, but a trace
// may record it after any phase: the caption says what the cancellation interrupted.
void tst_Caption::cancelledSaysWhatItCutShort()
{
    QFETCH(int, phases);
    QFETCH(QString, expected);
    EventLog log;
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 0);
    const LaneId conn
        = log.addLane(LaneKind::Instance, log.internLabel(QStringLiteral("Conn()")), main, 0, 1);
    log.append(0, EventKind::TaskCreated, quint32(main));
    log.append(0, EventKind::TaskStarted, quint32(main));
    const Phase order[] = { Phase::Acquire, Phase::Ready, Phase::Release };
    for (int i = 0; i < phases; ++i)
        log.append(10 * i, EventKind::PhaseBegan, quint32(conn), 0, quint8(order[i]));
    log.append(100, EventKind::InstanceEnded, quint32(conn), 0, quint8(LifecycleState::Cancelled));
    const EventCaption captions(&log);
    QCOMPARE(captions.caption(log.count() - 1), expected);
}

namespace {

const QByteArray kRaiseWhileHandling = R"({"lifeline": 1, "resources": [], "main": [
    {"try": [{"try": [{"raise": {"type": "ValueError"}}],
              "except": [{"body": [{"raise": {"type": "RuntimeError"}}]}]}],
     "except": [{"body": []}]}]})";
const QByteArray kExitRaises = R"({"lifeline": 1, "resources": [
    {"id": "r", "kind": "class", "name": "Conn", "exit": {"raise": {"type": "RuntimeError"}}}],
    "main": [{"try": [{"with": "r", "body": [{"raise": {"type": "ValueError"}}]}],
              "except": [{"body": []}]}]})";

} // namespace

void tst_Caption::fromOnlyForACause_data()
{
    QTest::addColumn<QByteArray>("scenario");
    QTest::addColumn<QString>("event"); // as `lifeline events` prints it
    QTest::addColumn<bool>("asCause"); // make the new exception's link a __cause__
    QTest::addColumn<QString>("expected");
    QTest::newRow("raised in an except clause")
        << kRaiseWhileHandling << QStringLiteral("RuntimeError() raise in main()") << false
        << QStringLiteral("RuntimeError() is raised in main() while handling ValueError()");
    QTest::newRow("raised from") << kRaiseWhileHandling
                                 << QStringLiteral("RuntimeError() raise in main()") << true
                                 << QStringLiteral(
                                        "RuntimeError() is raised in main(), from ValueError()");
    QTest::newRow("an except clause replaces")
        << kRaiseWhileHandling << QStringLiteral("ValueError() replaced at main()") << false
        << QStringLiteral("main() raised RuntimeError() instead: ValueError() is kept as its "
                          "__context__");
    QTest::newRow("an __aexit__ replaces")
        << kExitRaises << QStringLiteral("ValueError() replaced at Conn() #1") << false
        << QStringLiteral("`__aexit__` of r raised RuntimeError() instead: ValueError() is kept "
                          "as its __context__");
    QTest::newRow("an __aexit__ raises from")
        << kExitRaises << QStringLiteral("ValueError() replaced at Conn() #1") << true
        << QStringLiteral("`__aexit__` of r raised RuntimeError() instead: ValueError() is kept "
                          "as its __cause__ (`raise ... from`)");
    QTest::newRow("a timeout raises from the cancellation (3.11.3 on)")
        << kTimeoutExpires << QStringLiteral("CancelledError() replaced at timeout(0.15) #1")
        << true
        << QStringLiteral("timeout(0.15) #1 expired: its __aexit__ raised TimeoutError() from "
                          "CancelledError()");
    QTest::newRow("a timeout raises while handling the cancellation (3.11.2)")
        << kTimeoutExpires << QStringLiteral("CancelledError() replaced at timeout(0.15) #1")
        << false
        << QStringLiteral("timeout(0.15) #1 expired: its __aexit__ raised TimeoutError() while "
                          "handling CancelledError()");
}

// "TimeoutError() is raised in main(), from CancelledError()" read as `raise ... from` where
// the link was __context__: "from" is said of a __cause__ only.
void tst_Caption::fromOnlyForACause()
{
    QFETCH(QByteArray, scenario);
    QFETCH(QString, event);
    QFETCH(bool, asCause);
    QFETCH(QString, expected);
    std::shared_ptr<const Scenario> loaded
        = ScenarioLoader::fromData(scenario, QStringLiteral("links.json"), nullptr);
    QVERIFY(loaded);
    Interpreter run(loaded);
    run.runToEnd();
    EventLog &log = run.log();
    // Every exception linked to an earlier one gets the link asked for (a trace of another
    // Python, or a program's own `raise ... from`).
    for (ExcId id = 0; id < log.exceptionCount(); ++id) {
        ExceptionRecord &r = log.exception(id);
        const ExcId linked = r.cause != None ? r.cause : r.context;
        if (linked == None)
            continue;
        r.context = linked;
        r.cause = asCause ? linked : None;
        r.suppressContext = asCause;
    }
    const EventCaption captions(&log, loaded.get());
    for (size_t i = 0; i < log.count(); ++i) {
        if (EventFormatter::describe(log, i) == event) {
            QCOMPARE(captions.caption(i), expected);
            return;
        }
    }
    QFAIL("no such event");
}

QTEST_GUILESS_MAIN(tst_Caption)
#include "tst_caption.moc"
