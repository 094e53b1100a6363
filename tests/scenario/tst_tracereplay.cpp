// SPDX-License-Identifier: MIT
// TraceReplay through ScenarioRun: a hand-built trace (tracebuilder.h) opens as a Scenario and
// replays into exactly the events, lanes, exceptions and prints it recorded, on a clock that
// moves through the scheduler; stepping to event N is deterministic; watched instances signal
// as in a scenario run; and the scenario layer's readers of a log take the result. A growing
// recording (a live trace) is followed: the run waits, still running, once it has appended all
// it holds, goes on when told the recording grew, and ends what a whole reading ends. Past 500
// lines because each case carries the trace it builds: one class's contract.
#include "codeposition.h"
#include "eventcaption.h"
#include "eventformatter.h"
#include "resource.h"
#include "resourcetracker.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "scenariosource.h"
#include "scheduler.h"
#include "tracebuilder.h"
#include "traceexporter.h"
#include "tracereader.h"
#include "tracerecording.h"
#include "tracescenario.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Lifeline;
using Lifeline::Test::TraceBuilder;

namespace {

std::shared_ptr<const Scenario> load(const QByteArray &bytes)
{
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<const Scenario> s
        = ScenarioLoader::fromData(bytes, QStringLiteral("t.lltrace"), &diagnostics);
    if (!diagnostics.empty())
        qWarning() << diagnostics.front().toString();
    return s;
}

} // namespace

class tst_TraceReplay : public QObject
{
    Q_OBJECT
private slots:
    void aTraceOpensAsAScenario();
    void aTraceLoadsWhateverItsName();
    void replaysTheRecordedEvents();
    void waitsAndOwnersPrintAsTheEngineRecordsThem();
    void exceptionsPrintAsPythonPrintedThem();
    void exceptionClasses_data();
    void exceptionClasses();
    void linksApplyWhereTheProgramMadeThem();
    void definitionsJoinWhenFirstNamed();
    void steppingIsDeterministic();
    void theClockJumpsThroughTheScheduler();
    void virtualClockTimesAreMilliseconds();
    void aRealClockPast39HoursKeepsMicroseconds();
    void watchedInstancesSignal();
    void aCutShortTraceReplaysItsRecords();
    void logReadersTakeAReplay();
    void aGrowingRecordingWaitsThenGoesOn_data();
    void aGrowingRecordingWaitsThenGoesOn();
    void steppingStopsAtWhatWasReceived();
    void classesDefinedLaterJoinTheLog();
};

void tst_TraceReplay::aTraceOpensAsAScenario()
{
    auto scenario = load(Test::sampleTrace().bytes());
    QVERIFY(scenario);
    QVERIFY(scenario->trace);
    QCOMPARE(scenario->title, QStringLiteral("prog.py"));
    QCOMPARE(scenario->description, QStringLiteral("the program ended with an exception"));
    QCOMPARE(scenario->resources.size(), size_t(1));
    QCOMPARE(scenario->resources[0].name, QStringLiteral("Conn"));
    QCOMPARE(scenario->resources[0].kind, ResourceDef::Kind::Class);
    QVERIFY(scenario->main.empty());
}

void tst_TraceReplay::aTraceLoadsWhateverItsName()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("looks-like.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(Test::sampleTrace().bytes());
    f.close();
    std::vector<Diagnostic> diagnostics;
    auto scenario = ScenarioSource::load(path, &diagnostics);
    QVERIFY(scenario && scenario->trace);
    QVERIFY(diagnostics.empty());

    // A newer version does not load, and says why without a JSON path.
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(TraceBuilder(7).bytes());
    f.close();
    QVERIFY(!ScenarioSource::load(path, &diagnostics));
    QCOMPARE(diagnostics.size(), size_t(1));
    QCOMPARE(diagnostics[0].toString(),
             path
                 + QStringLiteral(": written by a newer Lifeline: format version 7, this one "
                                  "reads 1 to 2"));
}

void tst_TraceReplay::replaysTheRecordedEvents()
{
    auto scenario = load(Test::sampleTrace().bytes());
    const TraceRecording &trace = *scenario->trace;
    ScenarioRun run(scenario);
    run.runToEnd();
    QVERIFY(run.isFinished());
    const EventLog &log = run.log();
    QCOMPARE(log.ticksPerMs(), qint64(1'000'000));
    QCOMPARE(log.count(), trace.events.size());
    for (size_t i = 0; i < log.count(); ++i) {
        const Event e = log.at(i);
        const TraceEvent &t = trace.events[i];
        QCOMPARE(e.kind(), t.kind);
        QCOMPARE(quint8(e.detail), t.detail);
        QCOMPARE(e.subject, t.subject);
        QCOMPARE(e.arg, t.arg);
        QCOMPARE(qint64(e.time), t.time);
    }
    QCOMPARE(log.laneCount(), size_t(3));
    QCOMPARE(log.laneName(0), QStringLiteral("Task-1"));
    QCOMPARE(log.laneName(2), QStringLiteral("Conn('db') #1"));
    QCOMPARE(log.lane(2).parent, 1);
    QCOMPARE(log.lane(2).group, 0);
    QCOMPARE(run.output(), QStringList({ QStringLiteral("starting"), QStringLiteral("hello") }));
    QCOMPARE(run.resources().state(2), LifecycleState::Released);
    QCOMPARE(run.outcome(), 1);
    QCOMPARE(run.outcomeText(), QStringLiteral("KeyError('k') <- ValueError('boom')"));
}

void tst_TraceReplay::waitsAndOwnersPrintAsTheEngineRecordsThem()
{
    // A sleep's and a gather's names are trace strings; the log gets them as labels.
    TraceBuilder t;
    t.meta(QStringLiteral("clock"), QStringLiteral("virtual"));
    const quint64 main = t.task(QStringLiteral("main()"), TraceBuilder::NoId, 1);
    const quint64 g = t.group(QStringLiteral("TaskGroup"));
    const quint64 group = t.instance(QStringLiteral("TaskGroup()"), qint64(main), qint64(g), 1);
    const quint64 w = t.task(QStringLiteral("w"), qint64(main), 2);
    const quint64 sleep = t.string(QStringLiteral("sleep(0.1)"));
    const quint64 gather = t.string(QStringLiteral("gather #1"));
    t.events({ { 0, 0, 0, main },
               { 0, 3, 0, group },
               { 0, 0, 0, w, qint64(main) },
               { 0, 11, 0, w, qint64(group) },
               { 0, 11, 1, w, qint64(gather) },
               { 0, 10, 2, main, qint64(gather) },
               { 0, 10, 0, w, qint64(sleep) },
               { 100'000'000, 10, 1, main, qint64(w) } });
    t.end(0, 0);
    ScenarioRun run(load(t.bytes()));
    run.runToEnd();
    QStringList lines;
    for (size_t i = 0; i < run.log().count(); ++i)
        lines << EventFormatter::describe(run.log(), i);
    QCOMPARE(lines,
             QStringList(
                 { QStringLiteral("main() created by -"), QStringLiteral("TaskGroup() #1 acquire"),
                   QStringLiteral("w created by main()"), QStringLiteral("w joins TaskGroup() #1"),
                   QStringLiteral("w joins gather #1"), QStringLiteral("main() awaits gather #1"),
                   QStringLiteral("w awaits sleep(0.1)"), QStringLiteral("main() awaits w") }));
    QCOMPARE(run.log().at(7).time, 100);
}

void tst_TraceReplay::exceptionsPrintAsPythonPrintedThem()
{
    TraceBuilder t;
    const quint64 value = t.type(QStringLiteral("ValueError"));
    const quint64 group = t.type(QStringLiteral("ExceptionGroup"));
    const quint64 a = t.exception(value, QStringLiteral("ValueError('a')"), QStringLiteral("a"));
    const quint64 g = t.exception(group,
                                  QStringLiteral("ExceptionGroup('unhandled errors in a "
                                                 "TaskGroup', [ValueError('a')])"),
                                  QStringLiteral("unhandled errors in a TaskGroup (1 "
                                                 "sub-exception)"),
                                  0, TraceBuilder::NoId, TraceBuilder::NoId, { a });
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(6, 5, 0, g, qint64(main));
    t.end(0, 1);
    auto scenario = load(t.bytes());
    ScenarioRun run(scenario);
    run.runToEnd();
    const EventLog &log = run.log();
    QCOMPARE(log.repr(ExcId(g)),
             QStringLiteral("ExceptionGroup('unhandled errors in a "
                            "TaskGroup', [ValueError('a')])"));
    QCOMPARE(log.str(ExcId(g)),
             QStringLiteral("unhandled errors in a TaskGroup (1 sub-exception)"));
    QCOMPARE(log.exception(ExcId(g)).members, std::vector<ExcId> { 0 });
    QVERIFY(log.types().isGroup(log.exception(ExcId(g)).type));
    QCOMPARE(log.repr(ExcId(a)), QStringLiteral("ValueError('a')"));
    QCOMPARE(log.str(ExcId(a)), QStringLiteral("a"));
}

void tst_TraceReplay::exceptionClasses_data()
{
    QTest::addColumn<QStringList>("classes"); // name, or name:base by index among these
    QTest::addColumn<QString>("isA"); // the last class is a subclass of this built-in
    QTest::addColumn<bool>("engineBuiltin"); // the last class is one of ExceptionTypes' own

    QTest::newRow("built-in the engine knows")
        << QStringList { QStringLiteral("KeyError") } << QStringLiteral("LookupError") << true;
    QTest::newRow("asyncio's CancelledError") << QStringList { QStringLiteral("CancelledError") }
                                              << QStringLiteral("BaseException") << true;
    QTest::newRow("built-in the engine lacks")
        << QStringList { QStringLiteral("FileNotFoundError") } << QStringLiteral("OSError")
        << false;
    QTest::newRow("built-in two levels down")
        << QStringList { QStringLiteral("UnicodeDecodeError") } << QStringLiteral("ValueError")
        << false;
    QTest::newRow("user class under a recorded base")
        << QStringList { QStringLiteral("ConnectionError"), QStringLiteral("DbError:0"),
                         QStringLiteral("Outer.Retry:1") }
        << QStringLiteral("OSError") << false;
    QTest::newRow("user class with no base recorded")
        << QStringList { QStringLiteral("MyError") } << QStringLiteral("Exception") << false;
}

void tst_TraceReplay::exceptionClasses()
{
    QFETCH(QStringList, classes);
    QFETCH(QString, isA);
    QFETCH(bool, engineBuiltin);
    TraceBuilder t;
    quint64 last = 0;
    for (const QString &c : classes) {
        const QStringList parts = c.split(u':');
        last = t.type(parts[0], parts.size() > 1 ? parts[1].toLongLong() : TraceBuilder::NoId);
    }
    t.end(0, 0);
    const TraceRecording trace = TraceReader::read(t.bytes());
    std::vector<int> ids;
    const ExceptionTypes types = TraceScenario::exceptionTypes(trace, &ids);
    QCOMPARE(ids.size(), size_t(classes.size()));
    const int type = ids[size_t(last)];
    QCOMPARE(types.name(type), classes.last().section(u':', 0, 0));
    QCOMPARE(types.isBuiltin(type), engineBuiltin);
    int builtin = -1;
    for (int i = 0; i < ExceptionTypes::BuiltinCount; ++i)
        builtin = types.name(i) == isA ? i : builtin;
    QVERIFY(builtin >= 0);
    QVERIFY(types.isSubclass(type, builtin));
}

void tst_TraceReplay::linksApplyWhereTheProgramMadeThem()
{
    // ValueError('boom') is defined before event 8; KeyError('k')'s context is set by a LINK
    // before event 13.
    auto scenario = load(Test::sampleTrace().bytes());
    ScenarioRun run(scenario);
    run.runUntilEvents(8);
    QCOMPARE(run.log().exceptionCount(), 0);
    run.runUntilEvents(13);
    QCOMPARE(run.log().exceptionCount(), 1);
    run.runUntilEvents(14);
    QCOMPARE(run.log().exceptionCount(), 2);
    QCOMPARE(run.log().exception(1).context, 0);
    QCOMPARE(run.log().chain(1), (std::vector<ExcId> { 1, 0 }));
}

void tst_TraceReplay::definitionsJoinWhenFirstNamed()
{
    // A tracer writes a block's lanes, exceptions and prints before the block: they appear in
    // the log as the events name them, in id order.
    TraceBuilder t;
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    const quint64 g = t.group(QStringLiteral("Conn"));
    const quint64 a = t.instance(QStringLiteral("Conn('a')"), qint64(main), qint64(g), 1);
    const quint64 b = t.instance(QStringLiteral("Conn('b')"), qint64(main), qint64(g), 2);
    const quint64 hi = t.print(QStringLiteral("hi"));
    const quint64 type = t.type(QStringLiteral("ValueError"));
    const quint64 x = t.exception(type, QStringLiteral("ValueError()"), QString());
    t.events({ { 0, 0, 0, main },
               { 0, 1, 0, main },
               { 1, 3, 0, b },
               { 2, 5, 0, main, qint64(hi) },
               { 3, 6, 0, x, qint64(a) } });
    t.end(0, 0);
    auto scenario = load(t.bytes());
    ScenarioRun run(scenario);
    run.runUntilEvents(2);
    QCOMPARE(run.log().laneCount(), size_t(1));
    QCOMPARE(run.log().printCount(), 0);
    run.runUntilEvents(3); // instance b: a comes first
    QCOMPARE(run.log().laneCount(), size_t(3));
    QCOMPARE(run.log().exceptionCount(), 0);
    run.runUntilEvents(4);
    QCOMPARE(run.log().printCount(), 1);
    QCOMPARE(run.log().exceptionCount(), 0);
    run.runToEnd();
    QCOMPARE(run.log().exceptionCount(), 1);
    QCOMPARE(run.log().count(), size_t(5));
}

void tst_TraceReplay::steppingIsDeterministic()
{
    const QByteArray bytes = Test::sampleTrace().bytes();
    auto scenario = load(bytes);
    ScenarioRun whole(scenario);
    whole.runToEnd();
    for (size_t n = 0; n <= whole.log().count(); ++n) {
        ScenarioRun run(scenario);
        QVERIFY(run.runUntilEvents(n));
        QCOMPARE(run.log().count(), n);
        // The lanes defined before event n, and no others.
        size_t lanes = 0;
        for (const TraceLane &l : scenario->trace->lanes)
            lanes += l.firstEvent < n;
        QCOMPARE(run.log().laneCount(), lanes);
        for (size_t i = 0; i < n; ++i) {
            QCOMPARE(run.log().at(i).kind(), whole.log().at(i).kind());
            QCOMPARE(qint64(run.log().at(i).time), qint64(whole.log().at(i).time));
        }
        if (n)
            QCOMPARE(run.scheduler().time(), qint64(run.log().at(n - 1).time));
        // Stepping on again from here ends where the whole run ended.
        run.runToEnd();
        QCOMPARE(run.log().count(), whole.log().count());
        QCOMPARE(run.outcome(), whole.outcome());
    }
}

void tst_TraceReplay::theClockJumpsThroughTheScheduler()
{
    auto scenario = load(Test::sampleTrace().bytes());
    ScenarioRun run(scenario);
    // Event 6 is 12.5 ms after event 5: real-time play sees the jump coming and paces it.
    run.runUntilEvents(6);
    qint64 when = 0;
    QCOMPARE(run.scheduler().next(&when), Scheduler::Next::AdvanceClock);
    QCOMPARE(when, scenario->trace->events[6].time);
    QCOMPARE(run.scheduler().time(), scenario->trace->events[5].time);
}

void tst_TraceReplay::virtualClockTimesAreMilliseconds()
{
    TraceBuilder t;
    t.meta(QStringLiteral("clock"), QStringLiteral("virtual"));
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(0, 0, 0, main);
    t.event(1, 0, 5'000'000, main);
    t.event(2, 0, 200'000'000, main);
    t.end(0, 0);
    auto scenario = load(t.bytes());
    ScenarioRun run(scenario);
    run.runToEnd();
    QCOMPARE(run.log().ticksPerMs(), qint64(1));
    QCOMPARE(qint64(run.log().at(1).time), qint64(5));
    QCOMPARE(qint64(run.log().at(2).time), qint64(205));
    QCOMPARE(run.scheduler().time(), qint64(205));
    QCOMPARE(run.outcome(), None);
    QCOMPARE(scenario->description, QStringLiteral("the program exited with status 0"));
}

void tst_TraceReplay::aRealClockPast39HoursKeepsMicroseconds()
{
    // An event log keeps 48 bits of ticks: 2^47 ns is 39 hours.
    TraceBuilder t;
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(0, 0, 1500, main);
    t.event(2, 0, quint64(1) << 48, main);
    t.end(0, 0);
    auto scenario = load(t.bytes());
    ScenarioRun run(scenario);
    run.runToEnd();
    QCOMPARE(run.log().ticksPerMs(), qint64(1000));
    QCOMPARE(qint64(run.log().at(0).time), qint64(1));
    QCOMPARE(qint64(run.log().at(1).time), ((qint64(1) << 48) + 1500) / 1000);
    QCOMPARE(EventFormatter::milliseconds(run.log(), run.log().at(0).time),
             QStringLiteral("0.001"));
}

void tst_TraceReplay::watchedInstancesSignal()
{
    auto scenario = load(Test::sampleTrace().bytes());
    ScenarioRun run(scenario);
    QSignalSpy created(&run.resources(), &ResourceTracker::instanceCreated);
    run.runUntilEvents(6); // the instance exists, and has begun acquiring
    QCOMPARE(created.count(), 1);
    Resource *db = run.resources().watch(2);
    QCOMPARE(db->state(), LifecycleState::Acquiring);
    QCOMPARE(db->name(), QStringLiteral("Conn('db') #1"));
    QSignalSpy ready(db, &Resource::ready);
    QSignalSpy releasing(db, &Resource::releasing);
    QSignalSpy released(db, &Resource::released);
    QSignalSpy changed(db, &Resource::stateChanged);
    run.runToEnd();
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toLongLong(), scenario->trace->events[6].time);
    QCOMPARE(releasing.count(), 1);
    QCOMPARE(released.count(), 1);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(db->state(), LifecycleState::Released);
}

void tst_TraceReplay::aCutShortTraceReplaysItsRecords()
{
    // Cut inside the release: the instance stays releasing, nothing is added for it.
    TraceBuilder whole = Test::sampleTrace();
    const TraceRecording full = TraceReader::read(whole.bytes());
    qsizetype cut = 0;
    int events = 0;
    for (qsizetype start : whole.recordStarts()) {
        if (whole.bytes()[start] == 0x01 && ++events == 11) {
            cut = start + 2; // inside event 10, InstanceEnded
            break;
        }
    }
    auto scenario = load(whole.bytes().first(cut));
    QVERIFY(scenario);
    QCOMPARE(scenario->trace->error.kind, TraceError::Kind::CutShort);
    QVERIFY(scenario->description.startsWith(QStringLiteral("trace cut short at byte ")));
    ScenarioRun run(scenario);
    run.runToEnd();
    QVERIFY(run.isFinished());
    QCOMPARE(run.log().count(), size_t(10));
    QCOMPARE(run.resources().state(2), LifecycleState::Releasing);
    QCOMPARE(run.outcome(), None);
}

void tst_TraceReplay::logReadersTakeAReplay()
{
    // Event 0 prints outside any task: its subject is none.
    auto scenario = load(Test::sampleTrace().bytes());
    ScenarioRun run(scenario);
    run.runToEnd();
    const EventLog &log = run.log();
    const EventCaption captions(&log, scenario.get());
    for (size_t i = 0; i < log.count(); ++i) {
        QVERIFY(!captions.caption(i).isEmpty());
        QVERIFY(!EventFormatter::describe(log, i).isEmpty());
        QVERIFY(!EventFormatter::toJson(log, i).isEmpty());
        CodePosition::at(log, qsizetype(i));
    }
    QCOMPARE(EventFormatter::describe(log, 0), QStringLiteral("- prints 'starting'"));
    QCOMPARE(EventFormatter::describe(log, 14), QStringLiteral("Task-1 failed: KeyError('k')"));
    const QByteArray json = TraceExporter::toJson(log, scenario->title);
    QVERIFY(json.contains("\"ts\": 12504.6\n"));
    QVERIFY(json.contains("\"ts\": 1\n")); // 1000 ns: whole microseconds stay whole
}

namespace {

// A TraceScenario over a recording that grows as `feed` appends bytes to it.
struct GrowingTrace
{
    std::shared_ptr<TraceRecording> recording = std::make_shared<TraceRecording>();
    TraceReader reader { recording.get() };
    std::shared_ptr<Scenario> scenario;

    GrowingTrace() { recording->growing = true; }
    void feed(QByteArrayView bytes)
    {
        reader.append(bytes);
        reader.readSome();
        if (!scenario)
            scenario = TraceScenario::fromRecording(recording);
        TraceScenario::addResources(*recording, scenario.get());
    }
    void finish()
    {
        reader.finish();
        recording->growing = false;
    }
};

} // namespace

void tst_TraceReplay::aGrowingRecordingWaitsThenGoesOn_data()
{
    QTest::addColumn<int>("cuts"); // the file arrives in this many pieces
    QTest::newRow("in two pieces") << 2;
    QTest::newRow("in five pieces") << 5;
    QTest::newRow("a byte at a time") << -1;
}

void tst_TraceReplay::aGrowingRecordingWaitsThenGoesOn()
{
    // The QTimer-driven loop is what is under test here: spies wait on it.
    QFETCH(int, cuts);
    const QByteArray bytes = Test::sampleTrace().bytes();
    const qsizetype piece = cuts > 0 ? bytes.size() / cuts + 1 : 1;
    GrowingTrace live;
    live.feed(QByteArrayView(bytes).first(piece));
    ScenarioRun run(live.scenario);
    QSignalSpy finished(&run, &ScenarioRun::finished);
    run.start(0);
    for (qsizetype at = piece; at < bytes.size(); at += piece) {
        // All it has is appended: it waits, running, for more.
        QTRY_VERIFY(run.isWaiting());
        QVERIFY(run.isRunning());
        QVERIFY(!run.isFinished());
        QCOMPARE(run.log().count(), live.recording->events.size());
        live.feed(QByteArrayView(bytes).sliced(at, std::min(piece, bytes.size() - at)));
        run.recordingGrew();
    }
    QTRY_VERIFY(run.isWaiting()); // the END is in, but the recording may still grow
    QCOMPARE(finished.count(), 0);
    live.finish();
    run.recordingGrew();
    QVERIFY(finished.wait(5000));
    QVERIFY(!run.isRunning());

    ScenarioRun whole(load(bytes));
    whole.runToEnd();
    QCOMPARE(run.log().count(), whole.log().count());
    for (size_t i = 0; i < whole.log().count(); ++i) {
        QCOMPARE(EventFormatter::describe(run.log(), i), EventFormatter::describe(whole.log(), i));
        QCOMPARE(qint64(run.log().at(i).time), qint64(whole.log().at(i).time));
    }
    QCOMPARE(run.outcomeText(), whole.outcomeText());
    QCOMPARE(run.output(), whole.output());
}

void tst_TraceReplay::steppingStopsAtWhatWasReceived()
{
    const TraceBuilder t = Test::sampleTrace();
    const QByteArray bytes = t.bytes();
    // Up to event 8's record (the ExceptionRaised), cut in the middle of it.
    qsizetype cut = 0;
    int events = 0;
    for (qsizetype start : t.recordStarts()) {
        if (bytes[start] == 0x01 && ++events == 9) {
            cut = start + 2;
            break;
        }
    }
    GrowingTrace live;
    live.feed(QByteArrayView(bytes).first(cut));
    ScenarioRun run(live.scenario);
    QVERIFY(!run.runUntilEvents(100));
    QCOMPARE(run.log().count(), size_t(8));
    QVERIFY(!run.isFinished());
    run.runToEnd(); // of what was received: no more, and not finished
    QCOMPARE(run.log().count(), size_t(8));
    QVERIFY(!run.isFinished());
    live.feed(QByteArrayView(bytes).sliced(cut));
    QVERIFY(run.runUntilEvents(15));
    QVERIFY(!run.isFinished());
    live.finish();
    QSignalSpy finished(&run, &ScenarioRun::finished);
    run.runToEnd();
    QVERIFY(run.isFinished());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(run.outcomeText(), QStringLiteral("KeyError('k') <- ValueError('boom')"));
}

void tst_TraceReplay::classesDefinedLaterJoinTheLog()
{
    // A program defines its exception classes as it runs: the replay learns each one when an
    // exception of it first joins the log.
    TraceBuilder t;
    const quint64 main = t.task(QStringLiteral("main"), TraceBuilder::NoId, 1);
    t.event(0, 0, 0, main);
    const qsizetype first = t.bytes().size();
    const quint64 appError = t.type(QStringLiteral("AppError"));
    const quint64 retry = t.type(QStringLiteral("RetryError"), qint64(appError));
    const quint64 eof = t.type(QStringLiteral("EOFError"));
    const quint64 x = t.exception(retry, QStringLiteral("RetryError()"), QString());
    const quint64 y = t.exception(eof, QStringLiteral("EOFError()"), QString());
    t.event(6, 0, 10, x, qint64(main));
    t.event(6, 0, 10, y, qint64(main));
    t.end(0, 0);

    GrowingTrace live;
    live.feed(QByteArrayView(t.bytes()).first(first));
    ScenarioRun run(live.scenario);
    QVERIFY(!run.runUntilEvents(3));
    live.feed(QByteArrayView(t.bytes()).sliced(first));
    live.finish();
    run.runToEnd();
    QVERIFY(run.isFinished());
    const EventLog &log = run.log();
    QCOMPARE(log.exceptionCount(), 2);
    const ExceptionTypes &types = log.types();
    const int retryType = log.exception(0).type;
    QCOMPARE(types.name(retryType), QStringLiteral("RetryError"));
    QCOMPARE(types.name(types.base(retryType)), QStringLiteral("AppError"));
    QVERIFY(types.isSubclass(log.exception(1).type, ExceptionTypes::Exception));
    QCOMPARE(types.name(log.exception(1).type), QStringLiteral("EOFError"));
}

QTEST_GUILESS_MAIN(tst_TraceReplay)
#include "tst_tracereplay.moc"
