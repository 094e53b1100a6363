// SPDX-License-Identifier: MIT
// TimelineModel and TimelineSpanTable: spans paired from phase events (closed, open at the
// playhead, failed, never released), exception paths with their replaced link, incremental
// growth equal to a rebuild, and the level-of-detail answers checked against brute force.
#include "examples.h"
#include "runprobe.h"
#include "scenarioloader.h"
#include "scenariorun.h"
#include "timelinemodel.h"
#include "timelinetestlog.h"

#include <QtTest>
#include <random>

using namespace Lifeline;
using namespace Lifeline::TestLog;

class tst_TimelineModel : public QObject
{
    Q_OBJECT
private slots:
    void spans_data();
    void spans();
    void lanesAndGroups();
    void groupIsNamedByItsCall_data();
    void groupIsNamedByItsCall();
    void openSpansEndAtThePlayhead_data();
    void openSpansEndAtThePlayhead();
    void incrementalEqualsRebuild();
    void goingBackRebuilds();
    void exceptionPaths_data();
    void exceptionPaths();
    void prints();
    void indexSearch_data();
    void indexSearch();
    void representativeMatchesBruteForce_data();
    void representativeMatchesBruteForce();
    void benchmarkCountsTheModelsSpans_data();
    void benchmarkCountsTheModelsSpans();
    void aShortLaneCostsLittle();

private:
    static QString dump(const TimelineModel &model);
};

void tst_TimelineModel::spans_data()
{
    QTest::addColumn<int>("lane");
    QTest::addColumn<int>("index");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<SpanKind>("kind");
    QTest::addColumn<SpanEnd>("endState");
    QTest::newRow("task waits for no time")
        << int(Main) << 0 << 0LL << 0LL << SpanKind::TaskWaiting << SpanEnd::Next;
    // What main awaits: its instances' phases (a wait that ends where it began leaves no span).
    QTest::newRow("task awaits db's __aenter__")
        << int(Main) << 1 << 0LL << 100LL << SpanKind::TaskEntering << SpanEnd::Next;
    QTest::newRow("task awaits db.execute()")
        << int(Main) << 2 << 100LL << 150LL << SpanKind::TaskCalling << SpanEnd::Next;
    QTest::newRow("task awaits db's __aexit__")
        << int(Main) << 3 << 150LL << 250LL << SpanKind::TaskExiting << SpanEnd::Next;
    QTest::newRow("task awaits the gpu's failing __aenter__")
        << int(Main) << 4 << 250LL << 300LL << SpanKind::TaskEntering << SpanEnd::Next;
    QTest::newRow("task runs to its end")
        << int(Main) << 6 << 350LL << 500LL << SpanKind::TaskRunning << SpanEnd::TaskFinished;
    QTest::newRow("acquire") << int(Db1) << 0 << 0LL << 100LL << SpanKind::Acquire << SpanEnd::Next;
    QTest::newRow("zero-length ready")
        << int(Db1) << 1 << 100LL << 100LL << SpanKind::Ready << SpanEnd::Next;
    QTest::newRow("execute") << int(Db1) << 2 << 100LL << 150LL << SpanKind::Execute
                             << SpanEnd::Next;
    QTest::newRow("release ends released")
        << int(Db1) << 4 << 150LL << 250LL << SpanKind::Release << SpanEnd::Released;
    QTest::newRow("failed to acquire")
        << int(Gpu1) << 0 << 250LL << 300LL << SpanKind::Acquire << SpanEnd::FailedToAcquire;
    QTest::newRow("never released runs to the end")
        << int(Db2) << 1 << 350LL << 500LL << SpanKind::Ready << SpanEnd::NeverReleased;
}

void tst_TimelineModel::spans()
{
    QFETCH(int, lane);
    QFETCH(int, index);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(SpanKind, kind);
    QFETCH(SpanEnd, endState);
    auto log = make();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.start(lane, index), start);
    QCOMPARE(model.end(lane, index), end);
    QCOMPARE(model.kind(lane, index), kind);
    QCOMPARE(model.endState(lane, index), endState);
}

void tst_TimelineModel::lanesAndGroups()
{
    auto log = make();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.count(Main), 7); // waiting, then running split by what it awaits
    QCOMPARE(model.count(Db1), 5);
    QCOMPARE(model.count(Gpu1), 1);
    QCOMPARE(model.count(Db2), 2);
    QCOMPARE(model.laneName(Db2), log->laneName(Db2));
    QCOMPARE(model.laneName(Db1),
             QStringLiteral("AsyncDatabaseConnection('postgresql://localhost/mydb') #1"));
    QCOMPARE(model.laneKind(Main), LaneKind::Task);
    QCOMPARE(model.laneParent(Db1), LaneId(Main));
    QCOMPARE(model.groupCount(), 3);
    QCOMPARE(model.laneGroup(Main), TimelineModel::TaskGroup);
    auto lanesOf = [&model](int group) {
        std::vector<LaneId> lanes;
        for (size_t i = 0; i < model.groupLanes(group).size(); ++i)
            lanes.push_back(model.groupLanes(group)[i]);
        return lanes;
    };
    QCOMPARE(lanesOf(1), (std::vector<LaneId> { Db1, Db2 }));
    QCOMPARE(lanesOf(2), (std::vector<LaneId> { Gpu1 }));
    QCOMPARE(model.groupName(1), QStringLiteral("AsyncDatabaseConnection"));
    QCOMPARE(model.groupSpans(1).count(), 7);
    // The summary holds both instances' spans in start order.
    for (qsizetype i = 1; i < model.groupSpans(1).count(); ++i)
        QVERIFY(model.groupSpans(1).start(i - 1) <= model.groupSpans(1).start(i));
}

void tst_TimelineModel::groupIsNamedByItsCall_data()
{
    QTest::addColumn<QStringList>("labels"); // of the group's lanes, in order
    QTest::addColumn<QString>("name");
    QTest::newRow("a resource's instances")
        << QStringList { QStringLiteral("Db('x')"), QStringLiteral("Db('x')") }
        << QStringLiteral("Db");
    QTest::newRow("a call with no arguments")
        << QStringList { QStringLiteral("TaskGroup()") } << QStringLiteral("TaskGroup");
    QTest::newRow("timeouts of different seconds")
        << QStringList { QStringLiteral("timeout(0.15)"), QStringLiteral("timeout(1.0)") }
        << QStringLiteral("timeout");
}

void tst_TimelineModel::groupIsNamedByItsCall()
{
    QFETCH(QStringList, labels);
    QFETCH(QString, name);
    EventLog log;
    const LaneId main
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    log.append(0, EventKind::TaskCreated, quint32(main));
    for (int i = 0; i < labels.size(); ++i) {
        const LaneId lane
            = log.addLane(LaneKind::Instance, log.internLabel(labels[i]), main, 0, i + 1);
        log.append(0, EventKind::PhaseBegan, quint32(lane), 0, quint8(Phase::Acquire));
    }
    TimelineModel model;
    model.update(log, log.count());
    QCOMPARE(model.groupLanes(1).size(), size_t(labels.size()));
    QCOMPARE(model.groupName(1), name);
}

void tst_TimelineModel::openSpansEndAtThePlayhead_data()
{
    QTest::addColumn<int>("upTo");
    QTest::addColumn<int>("lane");
    QTest::addColumn<qint64>("playheadTime");
    QTest::addColumn<SpanKind>("openKind");
    QTest::newRow("executing") << 5 << int(Db1) << 100LL << SpanKind::Execute;
    QTest::newRow("releasing") << 8 << int(Db1) << 150LL << SpanKind::Release;
    QTest::newRow("acquiring the gpu") << 11 << int(Gpu1) << 250LL << SpanKind::Acquire;
    QTest::newRow("ready, before the run ends") << 18 << int(Db2) << 400LL << SpanKind::Ready;
}

void tst_TimelineModel::openSpansEndAtThePlayhead()
{
    QFETCH(int, upTo);
    QFETCH(int, lane);
    QFETCH(qint64, playheadTime);
    QFETCH(SpanKind, openKind);
    auto log = make();
    TimelineModel model;
    model.update(*log, size_t(upTo));
    QCOMPARE(model.playheadTime(), playheadTime);
    const qsizetype last = model.count(lane) - 1;
    QCOMPARE(model.kind(lane, last), openKind);
    QCOMPARE(model.endState(lane, last), SpanEnd::Open);
    QCOMPARE(model.end(lane, last), playheadTime);
    QVERIFY(model.spans(lane).at(last).isOpen());
}

QString tst_TimelineModel::dump(const TimelineModel &model)
{
    QString out;
    for (LaneId lane = 0; lane < model.laneCount(); ++lane) {
        if (!model.hasLane(lane))
            continue;
        out += QStringLiteral("%1:").arg(lane);
        for (qsizetype i = 0; i < model.count(lane); ++i)
            out += QStringLiteral(" %1-%2/%3/%4")
                       .arg(model.start(lane, i))
                       .arg(model.end(lane, i))
                       .arg(int(model.kind(lane, i)))
                       .arg(int(model.endState(lane, i)));
        out += u'\n';
    }
    for (int g = 0; g < model.groupCount(); ++g)
        for (qsizetype i = 0; i < model.groupSpans(g).count(); ++i)
            out += QStringLiteral("g%1 %2\n")
                       .arg(g)
                       .arg(model.groupSpans(g).representative(0, i + 1));
    for (int p = 0; p < model.pathCount(); ++p) {
        out += QStringLiteral("path %1 at %2 lane %3:")
                   .arg(model.path(p).exception)
                   .arg(model.path(p).time)
                   .arg(model.path(p).lane);
        for (const TimelineHop &h : model.path(p).hops)
            out += QStringLiteral(" %1@%2/%3->%4")
                       .arg(int(h.action))
                       .arg(h.time)
                       .arg(h.lane)
                       .arg(h.link);
        out += u'\n';
    }
    return out;
}

void tst_TimelineModel::incrementalEqualsRebuild()
{
    // A live run grows the model one batch at a time; the result must not depend on batching.
    auto log = make();
    for (size_t upTo = 0; upTo <= log->count(); ++upTo) {
        TimelineModel stepped;
        for (size_t i = 0; i <= upTo; ++i)
            stepped.update(*log, i);
        TimelineModel whole;
        whole.update(*log, upTo);
        QCOMPARE(dump(stepped), dump(whole));
    }
}

void tst_TimelineModel::goingBackRebuilds()
{
    auto log = make();
    TimelineModel model;
    model.update(*log, log->count());
    const quint64 revision = model.revision();
    model.update(*log, 6);
    QVERIFY(model.revision() != revision);
    TimelineModel fresh;
    fresh.update(*log, 6);
    QCOMPARE(dump(model), dump(fresh));
    QVERIFY(!model.hasLane(Db2)); // not touched yet at event 6
    QCOMPARE(model.pathCount(), 0);
}

void tst_TimelineModel::exceptionPaths_data()
{
    QTest::addColumn<bool>("hopBeforeRaise");
    QTest::newRow("new exception raised before the replaced hop") << false;
    QTest::newRow("replaced hop recorded before the new raise") << true;
}

void tst_TimelineModel::exceptionPaths()
{
    QFETCH(bool, hopBeforeRaise);
    auto log = make(hopBeforeRaise);
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.pathCount(), 2);
    const TimelinePath &boom = model.path(model.pathOf(Boom));
    QCOMPARE(boom.time, 150);
    QCOMPARE(boom.lane, LaneId(Main));
    QCOMPARE(boom.text, QStringLiteral("ValueError('boom')"));
    QCOMPARE(boom.hops.size(), size_t(2));
    QCOMPARE(boom.hops[0].action, HopAction::Propagated);
    QCOMPARE(boom.hops[0].lane, LaneId(Db1));
    QCOMPARE(boom.hops[0].time, 250);
    QCOMPARE(boom.hops[1].action, HopAction::Replaced);
    QCOMPARE(boom.hops[1].lane, LaneId(Gpu1));
    QCOMPARE(boom.hops[1].link, ExcId(Cleanup)); // the exception whose context it is
    const TimelinePath &cleanup = model.path(model.pathOf(Cleanup));
    QCOMPARE(cleanup.lane, LaneId(Gpu1));
    QCOMPARE(cleanup.hops.size(), size_t(1));
    QCOMPARE(cleanup.hops[0].action, HopAction::Caught);
    QCOMPARE(cleanup.hops[0].link, None);
    QCOMPARE(model.pathReach(1), 300);
    QCOMPARE(model.lastPathIndex(200), 0);
    QCOMPARE(model.lastPathIndex(100), -1);
}

void tst_TimelineModel::prints()
{
    auto log = make();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.prints(Main).size(), size_t(1));
    QCOMPARE(model.prints(Main).front().text, QStringLiteral("hello"));
    QCOMPARE(model.prints(Main).front().time, 400);
    QVERIFY(model.prints(Db1).empty());
}

void tst_TimelineModel::indexSearch_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    // Db1's span starts: 0, 100, 100, 150, 150.
    QTest::newRow("before everything") << -1.0 << 0 << -1;
    QTest::newRow("on the first start") << 0.0 << 0 << 0;
    QTest::newRow("between starts") << 50.0 << 1 << 0;
    QTest::newRow("on a shared start") << 100.0 << 1 << 2;
    QTest::newRow("after everything") << 1000.0 << 5 << 4;
}

void tst_TimelineModel::indexSearch()
{
    QFETCH(double, time);
    QFETCH(int, first);
    QFETCH(int, last);
    auto log = make();
    TimelineModel model;
    model.update(*log, log->count());
    QCOMPARE(model.firstIndex(Db1, time), first);
    QCOMPARE(model.lastIndex(Db1, time), last);
    QCOMPARE(model.spans(Db1).nextIndex(0, time), qsizetype(first));
}

void tst_TimelineModel::representativeMatchesBruteForce_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("latestEnd");
    QTest::newRow("small lane, scanned") << 10 << false;
    QTest::newRow("lane with three levels") << 700 << false;
    QTest::newRow("big summary") << 5000 << true;
    QTest::newRow("summary just past a level boundary") << 513 << true;
}

void tst_TimelineModel::representativeMatchesBruteForce()
{
    QFETCH(int, count);
    QFETCH(bool, latestEnd);
    std::mt19937 rng(42);
    TimelineSpanTable table(latestEnd ? TimelineSpanTable::Summary::LatestEnd
                                      : TimelineSpanTable::Summary::Widest);
    qint64 t = 0;
    for (int i = 0; i < count; ++i) {
        t += rng() % 5;
        TimelineSpan s {};
        s.start = t;
        s.end = TimelineSpan::OpenEnd;
        s.lane = i;
        table.append(s);
        if (rng() % 10) // a few stay open
            table.close(i, t + qint64(rng() % 100), SpanEnd::Next);
        if (i % 97 == 0)
            table.refreshSummary(); // refreshed mid-way, as a live run does
    }
    table.refreshSummary();
    auto key = [&](qsizetype i) {
        const TimelineSpan &s = table.at(i);
        if (s.isOpen())
            return std::numeric_limits<qint64>::max() - s.start;
        return latestEnd ? s.end : s.end - s.start;
    };
    for (int trial = 0; trial < 500; ++trial) {
        qsizetype a = qsizetype(rng() % quint32(count));
        qsizetype b = qsizetype(rng() % quint32(count + 1));
        if (a > b)
            std::swap(a, b);
        qsizetype best = -1;
        for (qsizetype i = a; i < b; ++i)
            if (best < 0 || key(i) > key(best))
                best = i;
        QCOMPARE(table.representative(a, b), best);
    }
}

void tst_TimelineModel::benchmarkCountsTheModelsSpans_data()
{
    QTest::addColumn<QString>("path");
    for (const ExampleInfo &e : Examples::all())
        QTest::newRow(qPrintable(e.name)) << e.resourcePath;
}

void tst_TimelineModel::benchmarkCountsTheModelsSpans()
{
    // The engine benchmark's bytes-per-span figure divides by RunProbe::countSpans, which
    // counts from the log alone: it must count exactly what the timeline stores.
    QFETCH(QString, path);
    auto scenario = ScenarioLoader::fromFile(path, nullptr);
    QVERIFY(scenario);
    ScenarioRun run(scenario);
    run.runToEnd();
    TimelineModel model;
    model.update(run.log(), run.log().count());
    // The spans of the log's own lifecycles: a task's are waiting and running, and each wait it
    // records (a sleep, a gather); the model also splits a task's running span by what it
    // awaits of its instances' phases, from their events, not counted here.
    qint64 spans = 0;
    for (LaneId lane = 0; lane < LaneId(model.laneCount()); ++lane) {
        if (model.laneKind(lane) != LaneKind::Task) {
            spans += model.count(lane);
            continue;
        }
        spans += std::min<qint64>(model.count(lane), 2);
        for (qsizetype i = 0; i < model.count(lane); ++i) {
            const SpanKind k = model.kind(lane, i);
            spans += k == SpanKind::TaskSleeping || k == SpanKind::TaskAwaitingTask
                || k == SpanKind::TaskGathering;
        }
    }
    QVERIFY(spans > 0);
    QCOMPARE(RunProbe::countSpans(run.log()), spans);
}

void tst_TimelineModel::aShortLaneCostsLittle()
{
    // A traced program's class lifecycles: a lane each with acquire, ready and release spans (a
    // 10M-event trace has 2.5M of them), here entered by no task so that only the instances'
    // lanes count. What each costs: its 48-byte record, its LaneInfo, its three 24-byte spans
    // and the same three in its group's summary (208 bytes), and the summary's pyramid and lane
    // list, ~228 in all. It was ~308 while a lane's table was 64 bytes empty, its record held an
    // empty print list, and its three spans took four slots.
    constexpr int Lanes = 20'000;
    EventLog log;
    const int label = log.internLabel(QStringLiteral("Connection()"));
    log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    log.append(0, EventKind::TaskCreated, 0);
    log.append(0, EventKind::TaskStarted, 0);
    for (int i = 0; i < Lanes; ++i) {
        const LaneId lane = log.addLane(LaneKind::Instance, label, None, 0, i + 1);
        for (Phase p : { Phase::Acquire, Phase::Ready, Phase::Release })
            log.append(i, EventKind::PhaseBegan, quint32(lane), 0, quint8(p));
        log.append(i, EventKind::InstanceEnded, quint32(lane), 0, quint8(LifecycleState::Released));
    }
    TimelineModel model;
    model.update(log, log.count());
    QCOMPARE(model.count(LaneId(Lanes)), 3);
    const double perLane = double(model.memoryUsage()) / Lanes;
    QVERIFY2(perLane <= 240, qPrintable(QStringLiteral("%1 bytes a lane").arg(perLane)));
}

QTEST_GUILESS_MAIN(tst_TimelineModel)
#include "tst_timelinemodel.moc"
