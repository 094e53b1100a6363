// SPDX-License-Identifier: MIT
// ProblemFinder: each kind of problem a reviewer would flag, found in the run of a small
// scenario written here, pointing at the event and the step or resource responsible; and the
// look-alikes that are fine (a TaskGroup, a timeout's TimeoutError, return_exceptions) left out.
#include "problemfinder.h"
#include "scenarioloader.h"
#include "scenariolocator.h"
#include "scenariorun.h"

#include <QTest>

using namespace Lifeline;

class tst_ProblemFinder : public QObject
{
    Q_OBJECT
private slots:
    void findsEachKind_data();
    void findsEachKind();
    void fineShapesAreNotFlagged_data();
    void fineShapesAreNotFlagged();
    void lintsPointAtTheFirstEntry();
    void readsTheLogAsItGrows();
    void locatesStepsAndResources();
};

namespace {

std::shared_ptr<const Scenario> load(const QByteArray &json)
{
    std::vector<Diagnostic> diagnostics;
    auto s = ScenarioLoader::fromData(json, QStringLiteral("test.json"), &diagnostics);
    if (!s)
        qWarning("%s", qPrintable(diagnostics.front().toString()));
    return s;
}

struct Found
{
    std::vector<Problem> problems;
    std::shared_ptr<const Scenario> scenario;
    std::unique_ptr<ScenarioRun> run;
};

Found findIn(const QByteArray &json)
{
    Found f;
    f.scenario = load(json);
    if (!f.scenario)
        return f;
    f.run = std::make_unique<ScenarioRun>(f.scenario);
    f.run->setRecordSteps(true);
    f.run->runToEnd();
    ProblemFinder finder(f.scenario);
    finder.update(f.run->log());
    f.problems = finder.problems();
    return f;
}

const QByteArray Conn = R"({"id": "conn", "kind": "class", "name": "Conn",
   "enter": {"ms": 5}, "exit": {"ms": 5}})";

QByteArray scenario(const QByteArray &resources, const QByteArray &main)
{
    return R"({"lifeline": 1, "resources": [)" + resources + R"(], "main": )" + main + "}";
}

} // namespace

void tst_ProblemFinder::findsEachKind_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("eventKind"); // what the click goes to
    QTest::addColumn<QString>("mentions");
    QTest::addColumn<QString>("path"); // where --lint puts it

    QTest::newRow("generator cleanup skipped at its yield")
        << scenario(R"({"id": "lock", "kind": "generator", "cleanup": "after_yield",
                        "exit": {"print": "released"}})",
                    R"([{"try": [{"with": "lock", "body": [{"raise": {"type": "ValueError"}}]}],
                         "except": [{"body": [{"print": "leaked"}]}]}])")
        << int(ProblemKind::NeverReleased) << int(EventKind::InstanceEnded) << "`lock"
        << "main[0].try[0]";
    QTest::newRow("exit raises while an exception propagates")
        << scenario(R"({"id": "db", "kind": "class", "name": "Db",
                        "exit": {"raise": {"type": "RuntimeError", "message": "cleanup failed"}}})",
                    R"([{"with": "db", "body": [{"raise": {"type": "ValueError",
                                                            "message": "boom"}}]}])")
        << int(ProblemKind::ReplacedInCleanup) << int(EventKind::ExceptionHop)
        << "RuntimeError('cleanup failed')"
        << "resources[0].exit";
    QTest::newRow("finally body raises while an exception propagates")
        << scenario("", R"([{"try": [{"raise": {"type": "ValueError"}}],
                             "finally": [{"raise": {"type": "KeyError"}}]}])")
        << int(ProblemKind::ReplacedInCleanup) << int(EventKind::ExceptionHop) << "KeyError()"
        << "main[0].finally[0]";
    QTest::newRow("exit swallows the timeout's cancellation")
        << scenario(R"({"id": "guard", "kind": "class", "name": "Guard",
                        "exit": {"suppress": true}})",
                    R"([{"timeout": 10, "body": [{"with": "guard", "body": [{"sleep": 50}]}]}])")
        << int(ProblemKind::CancellationSwallowed) << int(EventKind::ExceptionHop)
        << "CancelledError()"
        << "resources[0].exit.suppress";
    QTest::newRow("spawned task left to asyncio.run")
        << scenario("", R"([{"spawn": {"name": "heartbeat", "body": [{"sleep": 1000}]}},
                            {"sleep": 5}])")
        << int(ProblemKind::CancelledAtShutdown) << int(EventKind::ExceptionRaised) << "heartbeat"
        << "main[0]";
    QTest::newRow("gather fails and a sibling runs on") << scenario(Conn, R"([{"try": [{"gather": [
                 {"name": "slow", "body": [{"with": "conn", "body": [{"sleep": 100}]}]},
                 {"name": "fails", "body": [{"sleep": 10}, {"raise": {"type": "ValueError"}}]}]}],
               "except": [{"body": [{"print": "caught"}]}]},
             {"sleep": 200}])") << int(ProblemKind::GatherLeftSiblings)
                                                        << int(EventKind::ExceptionHop) << "`slow`"
                                                        << "main[0].try[0]";
}

void tst_ProblemFinder::findsEachKind()
{
    QFETCH(QByteArray, json);
    QFETCH(int, kind);
    QFETCH(int, eventKind);
    QFETCH(QString, mentions);
    QFETCH(QString, path);
    const Found f = findIn(json);
    QVERIFY(f.scenario);
    std::vector<Problem> run;
    for (const Problem &p : f.problems)
        if (!p.isLint())
            run.push_back(p);
    QCOMPARE(run.size(), size_t(1));
    const Problem &p = run.front();
    QCOMPARE(int(p.kind), kind);
    QVERIFY2(p.message.contains(mentions), qPrintable(p.message));
    QVERIFY(p.event >= 0 && size_t(p.event) < f.run->log().count());
    QCOMPARE(int(f.run->log().at(size_t(p.event)).kind()), eventKind);
    const auto located = ScenarioLocator::locate(json, QStringLiteral("t.json"), run);
    QCOMPARE(located.front().path, path);
    QVERIFY(located.front().line > 0);
}

void tst_ProblemFinder::fineShapesAreNotFlagged_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("resource released normally")
        << scenario(Conn, R"([{"with": "conn", "body": [{"print": "q"}]}])");
    QTest::newRow("timeout turns the cancellation into TimeoutError")
        << scenario(Conn, R"([{"try": [{"timeout": 10, "body": [
                                 {"with": "conn", "body": [{"sleep": 50}]}]}],
                               "except": [{"types": ["TimeoutError"], "body": []}]}])");
    QTest::newRow("TaskGroup cancels the sibling") << scenario(Conn, R"([{"try": [{"task_group": [
                 {"name": "slow", "body": [{"with": "conn", "body": [{"sleep": 100}]}]},
                 {"name": "fails", "body": [{"sleep": 10}, {"raise": {"type": "ValueError"}}]}]}],
               "except": [{"types": ["ExceptionGroup"], "body": []}]}])");
    QTest::newRow("gather with return_exceptions") << scenario(Conn, R"([{"gather": [
                 {"name": "slow", "body": [{"with": "conn", "body": [{"sleep": 100}]}]},
                 {"name": "fails", "body": [{"raise": {"type": "ValueError"}}]}],
               "return_exceptions": true}])");
    QTest::newRow("exit suppresses only ValueError")
        << scenario(R"({"id": "tx", "kind": "class", "exit": {"suppress": ["ValueError"]}})",
                    R"([{"with": "tx", "body": [{"raise": {"type": "ValueError"}}]}])");
}

void tst_ProblemFinder::fineShapesAreNotFlagged()
{
    QFETCH(QByteArray, json);
    const Found f = findIn(json);
    QVERIFY(f.scenario);
    for (const Problem &p : f.problems)
        qWarning("unexpected: %s", qPrintable(p.message));
    QVERIFY(f.problems.empty());
}

void tst_ProblemFinder::lintsPointAtTheFirstEntry()
{
    // Both lints hold whatever the run did: `unused` is never entered, so its lint has no event.
    const QByteArray json = scenario(
        R"({"id": "lock", "kind": "generator", "cleanup": "after_yield", "exit": {"print": "x"}},
           {"id": "guard", "kind": "class", "exit": {"suppress": ["BaseException"]}},
           {"id": "unused", "kind": "class", "exit": {"suppress": ["CancelledError"]}})",
        R"([{"print": "start"}, {"with": "lock", "body": []}, {"with": "guard", "body": []}])");
    const Found f = findIn(json);
    QVERIFY(f.scenario);
    QCOMPARE(f.problems.size(), size_t(3));
    QCOMPARE(f.problems[0].kind, ProblemKind::CleanupAfterYield);
    QCOMPARE(f.problems[1].kind, ProblemKind::SuppressesCancellation);
    QVERIFY(f.problems[1].message.contains(QLatin1String("BaseException")));
    QCOMPARE(f.problems[2].kind, ProblemKind::SuppressesCancellation);
    const EventLog &log = f.run->log();
    for (int i : { 0, 1 }) {
        const qint64 e = f.problems[size_t(i)].event;
        QVERIFY(e >= 0);
        QCOMPARE(log.at(size_t(e)).kind(), EventKind::PhaseBegan);
        QCOMPARE(log.lane(LaneId(log.at(size_t(e)).subject)).group, i);
    }
    QCOMPARE(f.problems[2].event, -1);
    const auto located = ScenarioLocator::locate(json, QStringLiteral("t.json"), f.problems);
    QCOMPARE(located[0].path, QStringLiteral("resources[0].cleanup"));
    QCOMPARE(located[1].path, QStringLiteral("resources[1].exit.suppress"));
    QCOMPARE(located[2].path, QStringLiteral("resources[2].exit.suppress"));
    QCOMPARE(located[0].line, 1);
    QCOMPARE(located[1].line, 2);
    QCOMPARE(located[2].line, 3);
}

void tst_ProblemFinder::readsTheLogAsItGrows()
{
    // Fed a growing log a few events at a time, the finder ends where one full read ends.
    const QByteArray json = scenario(Conn, R"([{"try": [{"gather": [
                 {"name": "slow", "body": [{"with": "conn", "body": [{"sleep": 100}]}]},
                 {"name": "fails", "body": [{"sleep": 10}, {"raise": {"type": "ValueError"}}]}]}],
               "except": [{"body": []}]},
             {"spawn": {"name": "late", "body": [{"sleep": 1000}]}}])");
    const Found whole = findIn(json);
    QVERIFY(whole.scenario);
    // The failed gather, and both tasks still running when main returns: `slow`, which the
    // gather left behind, and `late`.
    QCOMPARE(whole.problems.size(), size_t(3));
    ScenarioRun run(whole.scenario);
    run.setRecordSteps(true);
    ProblemFinder finder(whole.scenario);
    for (qint64 n = 1; !run.isFinished() || finder.scanned() < qsizetype(run.log().count());
         n += 3) {
        run.runUntilEvents(size_t(n));
        finder.update(run.log());
        if (n > 100000)
            QFAIL("the run did not end");
    }
    QCOMPARE(finder.problems().size(), whole.problems.size());
    for (size_t i = 0; i < whole.problems.size(); ++i) {
        QCOMPARE(finder.problems()[i].kind, whole.problems[i].kind);
        QCOMPARE(finder.problems()[i].event, whole.problems[i].event);
    }
}

void tst_ProblemFinder::locatesStepsAndResources()
{
    // Steps nested in every kind of body keep the loader's pre-order ids.
    const QByteArray json = scenario(Conn, R"([
      {"print": "a"},
      {"try": [{"print": "b"}], "except": [{"body": [{"print": "c"}]}], "finally": [{"print": "d"}]},
      {"task_group": [{"name": "t", "body": [{"with": "conn", "body": [{"print": "e"}]}]}]},
      {"spawn": {"name": "s", "body": [{"timeout": 5, "body": [{"print": "f"}]}]}}])");
    std::vector<Problem> asked;
    for (qint32 id = 0; id < 11; ++id) {
        Problem p;
        p.step = id;
        p.message = QStringLiteral("m");
        asked.push_back(p);
    }
    const auto located = ScenarioLocator::locate(json, QStringLiteral("t.json"), asked);
    const QStringList expected = {
        "main[0]",
        "main[1]",
        "main[1].try[0]",
        "main[1].except[0].body[0]",
        "main[1].finally[0]",
        "main[2]",
        "main[2].task_group[0].body[0]",
        "main[2].task_group[0].body[0].body[0]",
        "main[3]",
        "main[3].spawn.body[0]",
        "main[3].spawn.body[0].body[0]",
    };
    for (size_t i = 0; i < located.size(); ++i)
        QCOMPARE(located[i].path, expected[qsizetype(i)]);
    QCOMPARE(located[1].toString(), QStringLiteral("t.json:4:7: main[1]: m"));
}

QTEST_GUILESS_MAIN(tst_ProblemFinder)
#include "tst_problemfinder.moc"
