// SPDX-License-Identifier: MIT
// What a task waits on and who owns it, as the engine records them (docs/events.md, "Waits and
// owners"): TaskAwaits of a sleep over 0 and of a gather's future, TaskJoined of a TaskGroup and
// of a gather, each at the CPython moment the tracer records it on the exported program
// (tests/tracer/test_differential_trace.py holds the two to the same log).

#include "eventcaption.h"
#include "eventformatter.h"
#include "interpreter.h"
#include "scenarioloader.h"
#include "traceexporter.h"

#include <QJsonArray>

#include <QJsonObject>
#include <QTest>

using namespace Lifeline;

class tst_Waits : public QObject
{
    Q_OBJECT

private slots:
    void ownersAndWaitsInTheOrderCPythonMakesThem();
    void eventsNameTheirTargetByLaneOrLabel();
    void sleepLabelIsTheExportedDelaysRepr_data();
    void sleepLabelIsTheExportedDelaysRepr();
    void aSleepOfZeroOnlyYields();
    void gathersCountInCallOrder();
    void jsonGivesTheWaitAndItsTarget();
    void captionsNameWhatTheTaskWaitsOn();
    void exportTraceMarksEachOnItsTasksRow();
};

namespace {

// A TaskGroup of two tasks (one sleeping, one entering a resource whose __aenter__ sleeps), a
// gather of two (one sleeping, one with sleep(0)), then a sleep of main's own.
const QByteArray Waits = R"({"lifeline":1,
 "resources":[{"id":"db","kind":"class","name":"Conn","enter":{"ms":10},"exit":{"ms":0}}],
 "main":[{"task_group":[{"name":"a","body":[{"sleep":100}]},
                        {"name":"b","body":[{"with":"db","body":[]}]}]},
         {"gather":[{"name":"c","body":[{"sleep":20}]},{"name":"d","body":[{"sleep":0}]}]},
         {"sleep":150}]})";

std::unique_ptr<Interpreter> run(const QByteArray &json)
{
    std::vector<Diagnostic> diagnostics;
    auto loaded = ScenarioLoader::fromData(json, QStringLiteral("waits.json"), &diagnostics);
    if (!loaded)
        qFatal("%s", qPrintable(diagnostics.front().toString()));
    auto in = std::make_unique<Interpreter>(loaded);
    in->runToEnd();
    return in;
}

QStringList lines(const EventLog &log)
{
    QStringList out;
    for (size_t i = 0; i < log.count(); ++i)
        out << EventFormatter::milliseconds(log, log.at(i).time) + u' '
                + EventFormatter::describe(log, i);
    return out;
}

// The first event of `kind` on the lane named `lane`, from `from` on.
size_t find(const EventLog &log, EventKind kind, const QString &lane, size_t from = 0)
{
    for (size_t i = from; i < log.count(); ++i) {
        const Event e = log.at(i);
        if (e.kind() == kind && log.laneName(e.lane()) == lane)
            return i;
    }
    return log.count();
}

} // namespace

void tst_Waits::ownersAndWaitsInTheOrderCPythonMakesThem()
{
    const auto in = run(Waits);
    QCOMPARE(lines(in->log()),
             QStringList({
                 "0 main() created by -",
                 "0 main() started",
                 "0 TaskGroup() #1 acquire",
                 "0 TaskGroup() #1 ready",
                 "0 a created by main()",
                 "0 a joins TaskGroup() #1", // right after its creation
                 "0 b created by main()",
                 "0 b joins TaskGroup() #1",
                 "0 TaskGroup() #1 release",
                 "0 a started",
                 "0 a awaits sleep(0.1)",
                 "0 b started",
                 "0 Conn() #1 acquire",
                 "0 b awaits sleep(0.01)", // the sleep in Conn's __aenter__, run by b
                 "10 Conn() #1 ready",
                 "10 Conn() #1 release",
                 "10 Conn() #1 released",
                 "10 b finished",
                 "100 a finished",
                 "100 TaskGroup() #1 released",
                 "100 c created by main()",
                 "100 d created by main()",
                 "100 c joins gather #1", // once gather() is called, after every creation
                 "100 d joins gather #1",
                 "100 main() awaits gather #1",
                 "100 c started",
                 "100 c awaits sleep(0.02)",
                 "100 d started", // d's sleep(0) and __aexit__'s sleep(0.0): nothing
                 "100 d finished",
                 "120 c finished",
                 "120 main() awaits sleep(0.15)",
                 "270 main() finished",
             }));
}

void tst_Waits::eventsNameTheirTargetByLaneOrLabel()
{
    const auto in = run(Waits);
    const EventLog &log = in->log();

    const Event joinedGroup = log.at(find(log, EventKind::TaskJoined, QStringLiteral("a")));
    QCOMPARE(joinedGroup.joinKind(), JoinKind::TaskGroup);
    QCOMPARE(log.laneName(joinedGroup.targetLane()), QStringLiteral("TaskGroup() #1"));
    QCOMPARE(log.lane(joinedGroup.targetLane()).kind(), LaneKind::Instance);

    const Event joinedGather = log.at(find(log, EventKind::TaskJoined, QStringLiteral("c")));
    QCOMPARE(joinedGather.joinKind(), JoinKind::Gather);
    QCOMPARE(log.label(joinedGather.targetLabel()), QStringLiteral("gather #1"));

    const size_t gatherWait = find(log, EventKind::TaskAwaits, QStringLiteral("main()"));
    const Event awaitsGather = log.at(gatherWait);
    QCOMPARE(awaitsGather.waitKind(), WaitKind::Gather);
    QCOMPARE(awaitsGather.targetLabel(), joinedGather.targetLabel()); // one label per gather

    const Event sleeps
        = log.at(find(log, EventKind::TaskAwaits, QStringLiteral("main()"), gatherWait + 1));
    QCOMPARE(sleeps.waitKind(), WaitKind::Sleep);
    QCOMPARE(log.label(sleeps.targetLabel()), QStringLiteral("sleep(0.15)"));
}

void tst_Waits::sleepLabelIsTheExportedDelaysRepr_data()
{
    QTest::addColumn<int>("ms");
    QTest::addColumn<QString>("label");
    QTest::newRow("a tenth") << 100 << "sleep(0.1)";
    QTest::newRow("a millisecond") << 1 << "sleep(0.001)";
    QTest::newRow("whole seconds, as a float") << 2000 << "sleep(2.0)";
    QTest::newRow("the longest the format allows") << 1000000000 << "sleep(1000000.0)";
}

void tst_Waits::sleepLabelIsTheExportedDelaysRepr()
{
    QFETCH(int, ms);
    QFETCH(QString, label);
    const auto in = run(
        QStringLiteral(R"({"lifeline":1,"resources":[],"main":[{"sleep":%1}]})").arg(ms).toUtf8());
    const EventLog &log = in->log();
    const size_t i = find(log, EventKind::TaskAwaits, QStringLiteral("main()"));
    QVERIFY(i < log.count());
    QCOMPARE(log.label(log.at(i).targetLabel()), label);
}

void tst_Waits::aSleepOfZeroOnlyYields()
{
    const auto in = run(R"({"lifeline":1,"resources":[],"main":[{"sleep":0},{"sleep":0}]})");
    const EventLog &log = in->log();
    for (size_t i = 0; i < log.count(); ++i)
        QVERIFY2(log.kindAt(i) != EventKind::TaskAwaits, qPrintable(lines(log).join(u'\n')));
}

void tst_Waits::gathersCountInCallOrder()
{
    // main's gather is #1; the one its task runs is called later, #2; main's second, #3.
    const auto in = run(R"({"lifeline":1,"resources":[],
      "main":[{"gather":[{"name":"outer","body":[{"gather":[{"name":"inner","body":[]}]}]}]},
              {"gather":[{"name":"last","body":[]}]}]})");
    QStringList joins;
    const EventLog &log = in->log();
    for (size_t i = 0; i < log.count(); ++i)
        if (log.kindAt(i) != EventKind::TaskCreated && log.kindAt(i) != EventKind::TaskStarted
            && log.kindAt(i) != EventKind::TaskEnded)
            joins << EventFormatter::describe(log, i);
    QCOMPARE(joins,
             QStringList({ "outer joins gather #1", "main() awaits gather #1",
                           "inner joins gather #2", "outer awaits gather #2",
                           "last joins gather #3", "main() awaits gather #3" }));
}

void tst_Waits::jsonGivesTheWaitAndItsTarget()
{
    const auto in = run(Waits);
    const EventLog &log = in->log();
    const QJsonObject joined
        = EventFormatter::toJson(log, find(log, EventKind::TaskJoined, QStringLiteral("a")));
    QCOMPARE(joined[u"kind"].toString(), QStringLiteral("task-joined"));
    QCOMPARE(joined[u"laneName"].toString(), QStringLiteral("a"));
    QCOMPARE(joined[u"join"].toString(), QStringLiteral("task-group"));
    QCOMPARE(joined[u"targetName"].toString(), QStringLiteral("TaskGroup() #1"));
    QVERIFY(joined.contains(u"target")); // a lane: its id too

    const QJsonObject sleeps
        = EventFormatter::toJson(log, find(log, EventKind::TaskAwaits, QStringLiteral("a")));
    QCOMPARE(sleeps[u"kind"].toString(), QStringLiteral("task-awaits"));
    QCOMPARE(sleeps[u"wait"].toString(), QStringLiteral("sleep"));
    QCOMPARE(sleeps[u"targetName"].toString(), QStringLiteral("sleep(0.1)"));
    QVERIFY(!sleeps.contains(u"target")); // a label is no lane
}

void tst_Waits::captionsNameWhatTheTaskWaitsOn()
{
    const auto in = run(Waits);
    const EventLog &log = in->log();
    EventCaption caption(&log, &in->scenario());
    QCOMPARE(caption.caption(find(log, EventKind::TaskAwaits, QStringLiteral("main()"))),
             QStringLiteral("main() awaits gather #1"));
    QCOMPARE(caption.caption(find(log, EventKind::TaskJoined, QStringLiteral("b"))),
             QStringLiteral("b joins TaskGroup() #1"));
}

void tst_Waits::exportTraceMarksEachOnItsTasksRow()
{
    const auto in = run(Waits);
    QStringList marks;
    for (const QJsonValue &v : TraceExporter::traceEvents(in->log(), {})) {
        const QJsonObject o = v.toObject();
        const QString cat = o[u"cat"].toString();
        if (cat == u"wait" || cat == u"owner") {
            QCOMPARE(o[u"ph"].toString(), QStringLiteral("i"));
            marks << o[u"name"].toString() + QStringLiteral(" / ")
                    + o[u"args"].toObject()[u"target"].toString();
        }
    }
    QCOMPARE(marks.size(), 9); // four joins, five awaits
    QCOMPARE(marks.first(), QStringLiteral("joins TaskGroup() #1 / TaskGroup() #1"));
    QCOMPARE(marks.last(), QStringLiteral("awaits sleep(0.15) / sleep(0.15)"));
}

QTEST_GUILESS_MAIN(tst_Waits)
#include "tst_waits.moc"
