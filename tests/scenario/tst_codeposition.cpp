// SPDX-License-Identifier: MIT
// CodePosition: which step the code view marks as running at a point of a run, and where the
// other live tasks wait. Checked against a forward replay of the log, at every position.
#include "codeposition.h"
#include "scenarioloader.h"
#include "scenariorun.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <set>

using namespace Lifeline;

class tst_CodePosition : public QObject
{
    Q_OBJECT
private slots:
    void marksTheRunningStepAndWhereOthersWait_data();
    void marksTheRunningStepAndWhereOthersWait();
    void releaseMarksTheAsyncWith();
    void beforeAnyStepNothingIsMarked();
    void scanStopsAtTheWindow();
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

// main gathers a task that sleeps long and one that prints, sleeps briefly and ends.
const QByteArray TwoTasks = R"({"lifeline": 1, "resources": [], "main": [
  {"gather": [
    {"name": "slow", "body": [{"print": "slow starts"}, {"sleep": 50}, {"print": "slow ends"}]},
    {"name": "quick", "body": [{"print": "quick starts"}, {"sleep": 5}]}]},
  {"print": "done"}]})";

// The same shape with resources: each task enters one, so acquire and release phases interleave
// with the other task's steps.
const QByteArray TwoTasksWithResources = R"({"lifeline": 1, "resources": [
  {"id": "db", "kind": "class", "name": "Conn", "arg": "db-1",
   "enter": {"ms": 10}, "execute": {"ms": 5}, "exit": {"print": "closing", "ms": 20}},
  {"id": "gpu", "kind": "generator", "name": "gpu", "arg": "gpu-0",
   "enter": {"ms": 3}, "exit": {"print": "releasing", "ms": 7}}],
  "main": [
  {"gather": [
    {"name": "slow", "body": [{"with": "db", "body": [{"execute": "db", "query": "q"},
                                                       {"print": "slow body"}]},
                              {"print": "slow ends"}]},
    {"name": "quick", "body": [{"with": "gpu", "body": [{"sleep": 5}]}, {"print": "quick ends"}]}]},
  {"print": "done"}]})";

// Where the log says each task is, applying the rule forwards.
struct Replay
{
    std::map<LaneId, int> latest;
    std::set<LaneId> ended;
    int lastStep = -1;
    LaneId lastLane = None;

    void add(const EventLog &log, const Event &e)
    {
        LaneId lane = LaneId(e.subject);
        if (e.kind() == EventKind::TaskEnded)
            ended.insert(lane);
        const bool phase = e.kind() == EventKind::PhaseBegan
            && (Phase(e.detail) == Phase::Acquire || Phase(e.detail) == Phase::Release);
        if (phase)
            lane = LaneId(log.lane(lane).parent);
        if (phase || e.kind() == EventKind::StepBegan) {
            latest[lane] = int(e.arg);
            lastStep = int(e.arg);
            lastLane = lane;
        }
    }
};

// A run of `scenario` to its end with step events, as the window records it.
std::unique_ptr<ScenarioRun> recordedRun(const std::shared_ptr<const Scenario> &scenario)
{
    auto run = std::make_unique<ScenarioRun>(scenario);
    run->setRecordSteps(true);
    run->runToEnd();
    return run;
}

} // namespace

void tst_CodePosition::marksTheRunningStepAndWhereOthersWait_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("plain steps") << TwoTasks;
    QTest::newRow("with resources") << TwoTasksWithResources;
}

void tst_CodePosition::marksTheRunningStepAndWhereOthersWait()
{
    QFETCH(QByteArray, json);
    auto scenario = load(json);
    QVERIFY(scenario);
    const auto run = recordedRun(scenario);
    const EventLog &log = run->log();

    // The expectation, worked out forwards: each task's latest step, and which have ended.
    Replay replay;
    int checkedOthers = 0;
    for (size_t i = 0; i < log.count(); ++i) {
        replay.add(log, log.at(i));
        const CodePosition at = CodePosition::at(log, qsizetype(i + 1));
        QCOMPARE(at.current, replay.lastStep);
        std::set<int> expectedOthers;
        for (const auto &[lane, step] : replay.latest) {
            if (lane != replay.lastLane && !replay.ended.count(lane) && step != replay.lastStep)
                expectedOthers.insert(step);
        }
        const std::set<int> others(at.others.begin(), at.others.end());
        QCOMPARE(others, expectedOthers);
        checkedOthers += int(others.size());
    }
    QVERIFY(checkedOthers > 0); // the run did have tasks waiting elsewhere
    // At the end only main is left, at its last print.
    const CodePosition end = CodePosition::at(log, qsizetype(log.count()));
    QVERIFY(end.others.empty());
    QCOMPARE(end.current, int(scenario->main.back().id));
}

void tst_CodePosition::releaseMarksTheAsyncWith()
{
    // While __aexit__ prints and sleeps, main stands at its `async with`, not at the body's
    // last print; once the block is left, at the step after it.
    const QByteArray json = R"({"lifeline": 1, "resources": [
      {"id": "db", "kind": "class", "name": "Conn", "arg": "db-1",
       "enter": {"ms": 10}, "exit": {"print": "closing", "ms": 20}}],
      "main": [{"with": "db", "body": [{"print": "in body"}]}, {"print": "after"}]})";
    auto scenario = load(json);
    QVERIFY(scenario);
    const auto run = recordedRun(scenario);
    const EventLog &log = run->log();
    const int withStep = int(scenario->main[0].id);
    const int bodyPrint = int(scenario->main[0].body[0].id);
    const int afterPrint = int(scenario->main[1].id);
    std::vector<QString> seen; // the mark after each print, by its text
    for (size_t i = 0; i < log.count(); ++i) {
        const Event e = log.at(i);
        if (e.kind() == EventKind::Printed)
            seen.push_back(QStringLiteral("%1@%2")
                               .arg(log.print(int(e.arg)))
                               .arg(CodePosition::at(log, qsizetype(i + 1)).current));
    }
    const std::vector<QString> expected {
        QStringLiteral("in body@%1").arg(bodyPrint),
        QStringLiteral("closing@%1").arg(withStep),
        QStringLiteral("after@%1").arg(afterPrint),
    };
    QCOMPARE(seen, expected);
}

void tst_CodePosition::beforeAnyStepNothingIsMarked()
{
    auto scenario = load(TwoTasks);
    QVERIFY(scenario);
    const auto run = recordedRun(scenario);
    const CodePosition none = CodePosition::at(run->log(), 0);
    QCOMPARE(none.current, -1);
    QVERIFY(none.others.empty());
    // A run recorded without step events, of a scenario without resources (whose acquire and
    // release phases would still place their task), marks nothing anywhere.
    ScenarioRun plain(scenario);
    plain.runToEnd();
    QCOMPARE(CodePosition::at(plain.log(), qsizetype(plain.log().count())).current, -1);
}

void tst_CodePosition::scanStopsAtTheWindow()
{
    // A task that prints then waits while another prints more than the window holds: its step
    // falls out of the scan, so the cost of a position stays bounded.
    QByteArray prints;
    for (int i = 0; i < CodePosition::ScanLimit; ++i)
        prints += R"({"print": "x"},)";
    prints.chop(1);
    const QByteArray json = R"({"lifeline": 1, "resources": [], "main": [{"gather": [
        {"name": "waiter", "body": [{"print": "w"}, {"sleep": 10}]},
        {"name": "talker", "body": [)"
        + prints + R"(]}]}]})";
    auto scenario = load(json);
    QVERIFY(scenario);
    const auto run = recordedRun(scenario);
    const EventLog &log = run->log();
    // Just after the talker's first print the waiter is marked; at its last, it is out of range.
    size_t firstTalker = 0, lastTalker = 0;
    int talkerSteps = 0;
    const int waiterSleep = int(scenario->main.front().tasks.front().body[1].id);
    for (size_t i = 0; i < log.count(); ++i) {
        const Event e = log.at(i);
        if (e.kind() == EventKind::StepBegan && int(e.arg) != waiterSleep
            && int(e.arg) > waiterSleep) {
            if (talkerSteps++ == 0)
                firstTalker = i;
            lastTalker = i;
        }
    }
    QCOMPARE(talkerSteps, int(CodePosition::ScanLimit));
    const CodePosition early = CodePosition::at(log, qsizetype(firstTalker + 1));
    QVERIFY(std::find(early.others.begin(), early.others.end(), waiterSleep) != early.others.end());
    const CodePosition late = CodePosition::at(log, qsizetype(lastTalker + 1));
    QVERIFY(std::find(late.others.begin(), late.others.end(), waiterSleep) == late.others.end());
}

QTEST_GUILESS_MAIN(tst_CodePosition)
#include "tst_codeposition.moc"
