// CodePosition: which step the code view marks as running at a point of a run, and where the
// other live tasks wait. Checked against the step events themselves, at every position.
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
    void marksTheRunningStepAndWhereOthersWait();
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

} // namespace

void tst_CodePosition::marksTheRunningStepAndWhereOthersWait()
{
    auto scenario = load(TwoTasks);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.setRecordSteps(true);
    run.runToEnd();
    const EventLog &log = run.log();

    // The expectation, worked out independently by replaying the log forwards: each lane's
    // latest step, and which lanes have ended.
    std::map<LaneId, int> latest;
    std::set<LaneId> ended;
    int lastStep = -1;
    LaneId lastLane = None;
    int checkedOthers = 0;
    for (size_t i = 0; i < log.count(); ++i) {
        const Event e = log.at(i);
        if (e.kind() == EventKind::StepBegan) {
            latest[LaneId(e.subject)] = int(e.arg);
            lastStep = int(e.arg);
            lastLane = LaneId(e.subject);
        } else if (e.kind() == EventKind::TaskEnded) {
            ended.insert(LaneId(e.subject));
        }
        const CodePosition at = CodePosition::at(log, qsizetype(i + 1));
        QCOMPARE(at.current, lastStep);
        std::set<int> expectedOthers;
        for (const auto &[lane, step] : latest) {
            if (lane != lastLane && !ended.count(lane) && step != lastStep)
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

void tst_CodePosition::beforeAnyStepNothingIsMarked()
{
    auto scenario = load(TwoTasks);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.setRecordSteps(true);
    run.runToEnd();
    const CodePosition none = CodePosition::at(run.log(), 0);
    QCOMPARE(none.current, -1);
    QVERIFY(none.others.empty());
    // A run recorded without step events marks nothing anywhere.
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
    ScenarioRun run(scenario);
    run.setRecordSteps(true);
    run.runToEnd();
    const EventLog &log = run.log();
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
