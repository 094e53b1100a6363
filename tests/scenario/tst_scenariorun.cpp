// SPDX-License-Identifier: MIT
// ScenarioRun: the QTimer-driven driver around the interpreter. Stepping must be deterministic
// (views go back in time by showing a prefix), instant and real-time play must record the same
// run, and the event loop must stay live while a big run plays. Past 500 lines because each case
// carries the scenario it runs; all of it is one class's contract.
#include "examples.h"
#include "resource.h"
#include "resourcetracker.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "scenariosource.h"
#include "scheduler.h"

#include "../core/eventloopchecker.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Lifeline;

namespace {

std::shared_ptr<const Scenario> load(const QString &name)
{
    std::vector<Diagnostic> diagnostics;
    auto s = ScenarioSource::load(name, &diagnostics);
    if (!s)
        qWarning("%s", qPrintable(diagnostics.empty() ? name : diagnostics.front().toString()));
    return s;
}

// A scenario written in the test; a problem is printed, and the caller's QVERIFY fails.
std::shared_ptr<const Scenario> fromJson(const QByteArray &json)
{
    std::vector<Diagnostic> diagnostics;
    auto s = ScenarioLoader::fromData(json, QStringLiteral("test.json"), &diagnostics);
    if (!s)
        qWarning("%s", qPrintable(diagnostics.front().toString()));
    return s;
}

std::shared_ptr<const Scenario> fromJson(const QJsonObject &doc)
{
    return fromJson(QJsonDocument(doc).toJson());
}

// A scenario written in the test, run to its end; null when it does not load.
std::unique_ptr<ScenarioRun> finishedRun(const QByteArray &json)
{
    auto scenario = fromJson(json);
    if (!scenario)
        return nullptr;
    auto run = std::make_unique<ScenarioRun>(scenario);
    run->runToEnd();
    return run;
}

QStringList describe(const EventLog &log)
{
    QStringList out;
    for (const Event &e : log.events())
        out << QStringLiteral("%1 %2 %3 %4 %5")
                   .arg(qint64(e.time))
                   .arg(EventLog::kindName(e.kind()))
                   .arg(e.subject)
                   .arg(qint32(e.arg))
                   .arg(qint64(e.detail));
    return out;
}

// One task sleeping `ms`, bracketed by prints.
QJsonObject sleeper(qint64 ms)
{
    return { { QStringLiteral("lifeline"), 1 },
             { QStringLiteral("resources"), QJsonArray() },
             { QStringLiteral("main"),
               QJsonArray {
                   QJsonObject { { QStringLiteral("print"), QStringLiteral("before") } },
                   QJsonObject { { QStringLiteral("sleep"), ms } },
                   QJsonObject { { QStringLiteral("print"), QStringLiteral("after") } } } } };
}

} // namespace

class tst_ScenarioRun : public QObject
{
    Q_OBJECT
private slots:
    void steppingEventByEventRecordsTheSameRun_data();
    void steppingEventByEventRecordsTheSameRun();
    void instantPlayRecordsTheSameRunAsRunToEnd();
    void yieldingToTheHostMidStepChangesNothing();
    void loneSleepsJumpTheClockAndChangeNothing();
    void realTimePlayWaitsForTheScaledClock();
    void pauseStopsAnAbsurdlyLongRun();
    void bigRunKeepsTheEventLoopLive();
    void watchedResourceSignalsEveryTransition();
    void printsFollowEachInstanceQueryAndException();
    void printsStayRightPastTheTextCache();
    void aTaskClosedInsideAGeneratorSkipsItsCleanup();
    void aNameBoundTwiceExitsTheInstanceEachWithEntered();
    void runStoppedHalfWayIsDestroyedCleanly_data();
    void runStoppedHalfWayIsDestroyedCleanly();
};

void tst_ScenarioRun::steppingEventByEventRecordsTheSameRun_data()
{
    QTest::addColumn<QString>("example");
    for (const ExampleInfo &e : Examples::all())
        QTest::newRow(qPrintable(e.name)) << e.name;
}

void tst_ScenarioRun::steppingEventByEventRecordsTheSameRun()
{
    QFETCH(QString, example);
    auto scenario = load(example);
    QVERIFY(scenario);
    ScenarioRun whole(scenario);
    whole.runToEnd();
    QVERIFY(whole.isFinished());

    const QStringList expected = describe(whole.log());
    ScenarioRun stepped(scenario);
    QSignalSpy appended(&stepped, &ScenarioRun::eventsAppended);
    for (size_t n = 1; n <= whole.log().count(); ++n) {
        QVERIFY(stepped.runUntilEvents(n));
        // One loop callback may record several events; whatever was recorded so far is exactly
        // the start of the whole run, which is what lets views step back by showing a prefix.
        QVERIFY(stepped.log().count() >= n);
        QCOMPARE(describe(stepped.log()), expected.mid(0, qsizetype(stepped.log().count())));
    }
    stepped.runToEnd();
    QCOMPARE(describe(stepped.log()), describe(whole.log()));
    QCOMPARE(stepped.outcomeText(), whole.outcomeText());
    QCOMPARE(stepped.output(), whole.output());
    QVERIFY(appended.count() > 0);
}

void tst_ScenarioRun::instantPlayRecordsTheSameRunAsRunToEnd()
{
    auto scenario = load(QStringLiteral("gather-vs-taskgroup"));
    QVERIFY(scenario);
    ScenarioRun reference(scenario);
    reference.runToEnd();

    ScenarioRun played(scenario);
    QSignalSpy finished(&played, &ScenarioRun::finished);
    QSignalSpy running(&played, &ScenarioRun::runningChanged);
    played.start(0.0);
    QVERIFY(played.isRunning());
    QVERIFY(finished.wait(10000));
    QVERIFY(!played.isRunning());
    QCOMPARE(running.count(), 2); // started, stopped
    QCOMPARE(describe(played.log()), describe(reference.log()));
}

void tst_ScenarioRun::loneSleepsJumpTheClockAndChangeNothing()
{
    // Sleeps of a task alone in the loop (every phase here), next to ones that may not jump: a
    // timeout expiring mid-sleep, a sleep while a spawned task waits for its first step, a
    // spawned task cancelled during main's sleep, two tasks sleeping side by side, a
    // generator's phases, and a timeout cancelling a generator's __aenter__ inside a `finally`
    // as its sleep ends (its timer then fires in the same pass, so the release phase sleeps in
    // place, and the CancelledError leaving the frames after that must not chain with the
    // KeyError the finally handles, as it would within the throw). runToEnd() jumps the clock where
    // it can; stepping never does. Both must record the same run.
    const QByteArray json = R"({"lifeline": 1,
        "resources": [
            {"id": "conn", "kind": "class", "name": "Conn", "arg": "db",
             "enter": {"print": "open {arg}", "ms": 10}, "execute": {"print": "q {query}", "ms": 5},
             "exit": {"print": "close {arg}", "ms": 10}},
            {"id": "lease", "kind": "generator", "name": "lease", "arg": "gpu",
             "enter": {"ms": 3}, "exit": {"print": "release", "ms": 4}}],
        "main": [
            {"with": "conn", "body": [{"execute": "conn", "query": "a"}, {"sleep": 7}]},
            {"with": "lease", "body": [{"sleep": 2}]},
            {"try": [{"timeout": 12, "body": [{"sleep": 5}, {"sleep": 20}]}],
             "except": [{"types": ["TimeoutError"], "body": [{"print": "timed out: {exc_type}"}]}]},
            {"spawn": {"name": "quick", "body": [{"print": "quick ran"}]}},
            {"sleep": 2},
            {"spawn": {"name": "bg", "cancel_after": 3, "body": [{"sleep": 50}]}},
            {"sleep": 10},
            {"gather": [{"name": "a", "body": [{"sleep": 4}]},
                        {"name": "b", "body": [{"sleep": 4}, {"sleep": 1}]}]},
            {"with": "conn", "body": [{"sleep": 1}]},
            {"print": "done"},
            {"timeout": 3, "body": [{"try": [{"raise": {"type": "KeyError"}}], "finally": [
                {"timeout": 300, "body": [{"with": "lease", "body": [{"print": "no"}]}]}]}]}]})";
    auto scenario = fromJson(json);
    QVERIFY(scenario);

    ScenarioRun whole(scenario);
    whole.runToEnd();
    QVERIFY(whole.isFinished());
    QVERIFY(whole.scheduler().clockJumps() > 5);

    ScenarioRun stepped(scenario);
    for (size_t n = 1; !stepped.isFinished(); ++n)
        stepped.runUntilEvents(n);
    QCOMPARE(stepped.scheduler().clockJumps(), 0);
    QCOMPARE(describe(stepped.log()), describe(whole.log()));
    QCOMPARE(stepped.output(), whole.output());
    QCOMPARE(stepped.outcomeText(), whole.outcomeText());
    QVERIFY(whole.output().contains(QStringLiteral("timed out: TimeoutError")));
    QCOMPARE(whole.outcomeText(), QStringLiteral("TimeoutError() <- CancelledError()"));
}

void tst_ScenarioRun::yieldingToTheHostMidStepChangesNothing()
{
    // A gather and a TaskGroup big enough to stop for the host (every 256 tasks) while being
    // created, with a failure, a cancellation and resources: giving the host a turn in the
    // middle of a step must not change one event.
    // A cancelled child would make the gather raise CancelledError (not caught by `except
    // Exception`), so only the TaskGroup's children get one.
    auto tasks = [](const QString &prefix, int n, bool cancelOne) {
        QJsonArray out;
        for (int i = 0; i < n; ++i) {
            QJsonArray body { QJsonObject {
                { QStringLiteral("with"), QStringLiteral("conn") },
                { QStringLiteral("body"),
                  QJsonArray { QJsonObject { { QStringLiteral("sleep"), i % 5 } } } } } };
            if (i == n / 2)
                body.append(QJsonObject {
                    { QStringLiteral("raise"),
                      QJsonObject { { QStringLiteral("type"), QStringLiteral("ValueError") } } } });
            QJsonObject task { { QStringLiteral("name"), prefix + QString::number(i) },
                               { QStringLiteral("body"), body } };
            if (cancelOne && i == 7)
                task[QStringLiteral("cancel_after")] = 1;
            out.append(task);
        }
        return out;
    };
    const QJsonObject conn {
        { QStringLiteral("id"), QStringLiteral("conn") },
        { QStringLiteral("kind"), QStringLiteral("class") },
        { QStringLiteral("name"), QStringLiteral("Conn") },
        { QStringLiteral("enter"), QJsonObject { { QStringLiteral("ms"), 1 } } },
        { QStringLiteral("exit"), QJsonObject { { QStringLiteral("ms"), 1 } } }
    };
    auto guarded = [](const QJsonObject &step) {
        return QJsonObject {
            { QStringLiteral("try"), QJsonArray { step } },
            { QStringLiteral("except"),
              QJsonArray { QJsonObject {
                  { QStringLiteral("types"), QJsonArray { QStringLiteral("Exception") } },
                  { QStringLiteral("body"),
                    QJsonArray { QJsonObject {
                        { QStringLiteral("print"), QStringLiteral("caught {exc_type}") } } } } } } }
        };
    };
    const QJsonObject doc {
        { QStringLiteral("lifeline"), 1 },
        { QStringLiteral("resources"), QJsonArray { conn } },
        { QStringLiteral("main"),
          QJsonArray {
              guarded({ { QStringLiteral("gather"), tasks(QStringLiteral("g"), 1000, false) } }),
              guarded(
                  { { QStringLiteral("task_group"), tasks(QStringLiteral("t"), 700, true) } }) } }
    };
    auto scenario = fromJson(doc);
    QVERIFY(scenario);

    ScenarioRun reference(scenario);
    reference.runToEnd();
    QCOMPARE(reference.scheduler().hostYields(), 0);
    QCOMPARE(reference.output(),
             QStringList(
                 { QStringLiteral("caught ValueError"), QStringLiteral("caught ExceptionGroup") }));

    ScenarioRun yielding(scenario);
    yielding.scheduler().setHostDeadline(QDeadlineTimer(0)); // spent at once: yield every time
    yielding.runToEnd();
    // The gather yields while it makes its tasks, while they join it and while it watches
    // them; the TaskGroup while it makes its tasks.
    QVERIFY2(yielding.scheduler().hostYields() >= 3 * (1000 / 256) + 700 / 256,
             qPrintable(QStringLiteral("%1 yields, %2 events")
                            .arg(yielding.scheduler().hostYields())
                            .arg(yielding.log().count())));
    QCOMPARE(describe(yielding.log()), describe(reference.log()));
    QCOMPARE(yielding.output(), reference.output());
    QCOMPARE(yielding.outcomeText(), reference.outcomeText());

    // Stepping (as the window does) stops inside the gather's creation loop, not after it.
    ScenarioRun stepped(scenario);
    QVERIFY(stepped.runUntilEvents(10));
    QVERIFY2(stepped.log().count() < 1000, qPrintable(QString::number(stepped.log().count())));
    while (stepped.runUntilEvents(stepped.log().count() + 97)) { }
    QCOMPARE(describe(stepped.log()), describe(reference.log()));

    // Torn down while the gather waits for the host to hand back the step.
    auto half = std::make_unique<ScenarioRun>(scenario);
    QVERIFY(half->runUntilEvents(300));
    QVERIFY(half->scheduler().hostYields() > 0);
    half.reset();

    // Freed a slice at a time, as the window frees a run it replaces: with no time to spare,
    // each call does one batch, so a run with 1,700 tasks in flight takes several.
    auto stopped = std::make_unique<ScenarioRun>(scenario);
    QVERIFY(stopped->runUntilEvents(6000));
    int calls = 1;
    while (!stopped->releaseSome(0))
        ++calls;
    QVERIFY2(calls > 5, qPrintable(QString::number(calls)));
    stopped.reset();
}

void tst_ScenarioRun::realTimePlayWaitsForTheScaledClock()
{
    // 400 virtual ms at 10x take about 40 real ms: never less than the scaled time.
    auto scenario = fromJson(sleeper(400));
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    QSignalSpy finished(&run, &ScenarioRun::finished);
    QElapsedTimer wall;
    wall.start();
    run.start(10.0);
    QVERIFY(finished.wait(10000));
    QVERIFY2(wall.elapsed() >= 35, qPrintable(QString::number(wall.elapsed())));
    QCOMPARE(run.output(), QStringList({ QStringLiteral("before"), QStringLiteral("after") }));
    QCOMPARE(run.log().endTime(), 400);
}

void tst_ScenarioRun::pauseStopsAnAbsurdlyLongRun()
{
    // A billion virtual milliseconds at 1x would take eleven days: pause must stop it.
    auto scenario = fromJson(sleeper(1'000'000'000));
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    QSignalSpy appended(&run, &ScenarioRun::eventsAppended);
    run.start(1.0);
    QVERIFY(appended.wait(5000)); // "before" is printed at once
    run.pause();
    QVERIFY(!run.isRunning());
    const size_t count = run.log().count();
    QTest::qWait(100); // the thing under test: nothing runs after a pause
    QCOMPARE(run.log().count(), count);
    QVERIFY(!run.isFinished());
    QCOMPARE(run.output(), QStringList({ QStringLiteral("before") }));
}

void tst_ScenarioRun::bigRunKeepsTheEventLoopLive()
{
    // 20,000 tasks of 40 steps (20 prints, 20 sleeps): about 460,000 events, played instantly
    // (long enough, at tens of milliseconds, for a blocked loop to show).
    QJsonArray tasks;
    for (int t = 0; t < 20000; ++t) {
        QJsonArray body;
        for (int s = 0; s < 40; ++s)
            body.append(
                s % 2 ? QJsonObject { { QStringLiteral("sleep"), s % 7 } }
                      : QJsonObject { { QStringLiteral("print"), QStringLiteral("t%1").arg(t) } });
        tasks.append(QJsonObject { { QStringLiteral("name"), QStringLiteral("t%1").arg(t) },
                                   { QStringLiteral("body"), body } });
    }
    auto scenario
        = fromJson({ { QStringLiteral("lifeline"), 1 },
                     { QStringLiteral("resources"), QJsonArray() },
                     { QStringLiteral("main"),
                       QJsonArray { QJsonObject { { QStringLiteral("gather"), tasks } } } } });
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    QSignalSpy finished(&run, &ScenarioRun::finished);
    Test::EventLoopChecker checker;
    checker.start();
    run.start(0.0);
    QVERIFY(finished.wait(60000));
    checker.stop();
    QVERIFY(run.log().count() > 400000);
    qInfo("%zu events; longest gap %lld ms", run.log().count(), checker.longestGapMs());
    // Slices are at most 5 ms; a loaded CI machine may stretch a gap, a blocked loop would not
    // tick at all.
    QVERIFY2(checker.longestGapMs() < 250, qPrintable(QString::number(checker.longestGapMs())));
    QVERIFY(checker.ticks() > 1);
}

void tst_ScenarioRun::watchedResourceSignalsEveryTransition()
{
    auto scenario = load(QStringLiteral("seed"));
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    // The first instance appears with its first event; watch it from then on.
    QVERIFY(run.runUntilEvents(1));
    LaneId instance = None;
    while (instance == None && !run.isFinished()) {
        run.runUntilEvents(run.log().count() + 1);
        for (size_t i = 0; i < run.log().laneCount(); ++i)
            if (run.log().lane(LaneId(i)).kind() == LaneKind::Instance)
                instance = LaneId(i);
    }
    QVERIFY(instance != None);
    Resource *db = run.resources().watch(instance);
    QSignalSpy states(db, &Resource::stateChanged);
    QSignalSpy released(db, &Resource::released);
    run.runToEnd();
    QStringList seen;
    for (const QList<QVariant> &args : states)
        seen << QLatin1String(EventLog::stateName(args.at(1).value<LifecycleState>()));
    QCOMPARE(
        seen,
        QStringList({ QStringLiteral("ready"), QStringLiteral("executing"), QStringLiteral("ready"),
                      QStringLiteral("releasing"), QStringLiteral("released") }));
    QCOMPARE(released.count(), 1);
    QCOMPARE(db->state(), LifecycleState::Released);
}

// The interpreter formats a phase's print once per (template, arg, query) and logs it by id:
// equal queries in different steps, different queries in one resource, two resources with one
// template, and a print naming the exception it handles must each still print their own line.
void tst_ScenarioRun::printsFollowEachInstanceQueryAndException()
{
    const QByteArray json = R"({"lifeline": 1,
      "resources": [
        {"id": "a", "kind": "class", "name": "Conn", "arg": "db-a",
         "enter": {"print": "open {arg}"}, "execute": {"print": "{arg} runs {query}", "ms": 1},
         "exit": {"print": "close {arg}"}},
        {"id": "b", "kind": "class", "name": "Conn2", "arg": "db-b",
         "enter": {"print": "open {arg}"}, "execute": {"print": "{arg} runs {query}"},
         "exit": {"print": "close {arg}"}}],
      "main": [
        {"with": "a", "body": [{"execute": "a", "query": "SELECT 1"},
                               {"execute": "a", "query": "SELECT 2"}]},
        {"with": "b", "body": [{"execute": "b", "query": "SELECT 1"}]},
        {"with": "a", "body": [{"execute": "a", "query": "SELECT 1"}]},
        {"try": [{"raise": {"type": "KeyError", "message": "k1"}}],
         "except": [{"types": ["KeyError"], "body": [{"print": "caught {exc_type}: {exc}"}]}]},
        {"try": [{"raise": {"type": "ValueError", "message": "v2"}}],
         "except": [{"types": ["ValueError"], "body": [{"print": "caught {exc_type}: {exc}"}]}]},
        {"print": "plain"}, {"print": "plain"}]})";
    auto scenario = fromJson(json);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    const QStringList expected {
        QStringLiteral("open db-a"),
        QStringLiteral("db-a runs SELECT 1"),
        QStringLiteral("db-a runs SELECT 2"),
        QStringLiteral("close db-a"),
        QStringLiteral("open db-b"),
        QStringLiteral("db-b runs SELECT 1"),
        QStringLiteral("close db-b"),
        QStringLiteral("open db-a"),
        QStringLiteral("db-a runs SELECT 1"),
        QStringLiteral("close db-a"),
        QStringLiteral("caught KeyError: 'k1'"),
        QStringLiteral("caught ValueError: v2"),
        QStringLiteral("plain"),
        QStringLiteral("plain"),
    };
    QCOMPARE(run.output(), expected);
    // Each line knows the step that printed it (the code view follows it).
    const EventLog &log = run.log();
    QCOMPARE(log.printCount(), int(expected.size()));
    QVERIFY(log.printStep(1) != log.printStep(2)); // the two executes of the first `with`
    QCOMPARE(log.printStep(0), log.printStep(3)); // enter and exit print for the `with` step
}

// More distinct (template, query) pairs than the interpreter remembers: past its cap a text is
// formatted and logged each time, and every line must still be its own.
void tst_ScenarioRun::printsStayRightPastTheTextCache()
{
    // 5,000 distinct queries, each twice. Each execute waits 1 ms: ten thousand steps that never
    // suspend would nest ten thousand resumptions on a sanitizer build's stack.
    constexpr int Queries = 10000;
    QByteArray main;
    for (int i = 0; i < Queries; ++i) {
        main += (i ? "," : "")
            + QByteArray(R"({"with": "db", "body": [{"execute": "db", "query": "q)")
            + QByteArray::number(i % (Queries / 2)) + R"("}]})";
    }
    const QByteArray json = R"({"lifeline": 1, "resources": [
      {"id": "db", "kind": "class", "name": "Conn", "arg": "db-1",
       "execute": {"print": "runs {query}", "ms": 1}}], "main": [)"
        + main + "]}";
    auto scenario = fromJson(json);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    const QStringList out = run.output();
    QCOMPARE(out.size(), qsizetype(Queries));
    for (int i = 0; i < Queries; ++i)
        QCOMPARE(out[i], QStringLiteral("runs q%1").arg(i % (Queries / 2)));
    // Within the cap a repeated line reuses its text.
    QVERIFY(run.log().print(0).constData() == run.log().print(Queries / 2).constData());
}

void tst_ScenarioRun::aNameBoundTwiceExitsTheInstanceEachWithEntered()
{
    // `async with A() as conn, B() as conn:` and an inner `async with B() as conn:` inside an
    // outer one on A: each __aexit__ closes the instance its own with entered, whatever `conn`
    // names by then, and `conn` still names the closed B afterwards ("Not connected"). The
    // innermost with of each runs its body in its own frame, which finds its instance through
    // the variable. CPython 3.11.7 prints exactly these lines.
    const QByteArray json = R"({"lifeline": 1,
        "resources": [
            {"id": "A", "kind": "class", "arg": "a", "enter": {"print": "enter {arg}", "ms": 5},
             "execute": {"print": "execute {query} on {arg}", "ms": 1},
             "exit": {"print": "exit {arg}", "ms": 5}},
            {"id": "B", "kind": "class", "arg": "b", "enter": {"print": "enter {arg}", "ms": 5},
             "execute": {"print": "execute {query} on {arg}", "ms": 1},
             "exit": {"print": "exit {arg}", "ms": 5}}],
        "main": [
            {"with": [{"resource": "A", "as": "conn"}, {"resource": "B", "as": "conn"}],
             "body": [{"execute": "conn", "query": "one"}]},
            {"try": [{"with": [{"resource": "A", "as": "conn"}], "body": [
                {"with": [{"resource": "B", "as": "conn"}],
                 "body": [{"execute": "conn", "query": "two"}]},
                {"execute": "conn", "query": "three"}]}],
             "except": [{"types": ["RuntimeError"],
                         "body": [{"print": "caught {exc_type}: {exc}"}]}]}]})";
    const auto run = finishedRun(json);
    QVERIFY(run);
    QVERIFY(run->isFinished());
    QCOMPARE(run->output(),
             QStringList({ "enter a", "enter b", "execute one on b", "exit b", "exit a", "enter a",
                           "enter b", "execute two on b", "exit b", "exit a",
                           "caught RuntimeError: Not connected" }));
    QCOMPARE(run->outcome(), None);
    for (size_t i = 0; i < run->log().laneCount(); ++i) {
        if (run->log().lane(LaneId(i)).kind() == LaneKind::Instance)
            QCOMPARE(run->resources().state(LaneId(i)), LifecycleState::Released);
    }
}

void tst_ScenarioRun::aTaskClosedInsideAGeneratorSkipsItsCleanup()
{
    // A task spawned while asyncio.run cancels the others is never cancelled: the loop closes
    // with it waiting in the generator's __aenter__ sleep, and the program's end closes its
    // coroutine. CPython closes the anext() awaitable without throwing into the generator
    // (shutdown_asyncgens could not close it either: it was running), so GeneratorExit leaves
    // from the `async with` through the task's own finally, and the generator's cleanup never
    // prints. CPython 3.11.7 prints exactly these lines.
    const QByteArray json = R"({"lifeline": 1,
        "resources": [{"id": "db", "kind": "generator", "arg": "a",
            "enter": {"print": "enter", "ms": 50}, "exit": {"print": "exit", "ms": 10}}],
        "main": [{"spawn": {"name": "a", "body": [
            {"try": [{"sleep": 1}], "finally": [{"spawn": {"name": "late", "body": [
                {"try": [{"with": "db", "body": [{"print": "body"}]}],
                 "finally": [{"print": "late's finally"}]}]}}]}]}}]})";
    const auto run = finishedRun(json);
    QVERIFY(run);
    QVERIFY(run->isFinished());
    QCOMPARE(run->output(),
             QStringList({ QStringLiteral("enter"), QStringLiteral("late's finally") }));
    QCOMPARE(run->outcome(), None);
}

void tst_ScenarioRun::runStoppedHalfWayIsDestroyedCleanly_data()
{
    QTest::addColumn<QString>("example");
    for (const ExampleInfo &e : Examples::all())
        QTest::newRow(qPrintable(e.name)) << e.name;
}

void tst_ScenarioRun::runStoppedHalfWayIsDestroyedCleanly()
{
    // The app throws a run away when the user opens another scenario mid-run: tasks, frames
    // and generators still queued must go without touching freed memory (checked for real
    // under the sanitizer build) and without disturbing a fresh run of the same scenario.
    QFETCH(QString, example);
    auto scenario = load(example);
    QVERIFY(scenario);
    size_t total = 0;
    {
        ScenarioRun whole(scenario);
        whole.runToEnd();
        total = whole.log().count();
    }
    for (size_t stop : { size_t(1), total / 3, total / 2, total - 1 }) {
        auto partial = std::make_unique<ScenarioRun>(scenario);
        partial->runUntilEvents(stop);
        QVERIFY(partial->log().count() >= stop);
        partial.reset();
    }
    ScenarioRun again(scenario);
    again.runToEnd();
    QCOMPARE(again.log().count(), total);
}

QTEST_GUILESS_MAIN(tst_ScenarioRun)
#include "tst_scenariorun.moc"
