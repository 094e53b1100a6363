// SPDX-License-Identifier: MIT
// ResourceTracker and Resource: every lifecycle transition is recorded as an event (PhaseBegan
// for the four phases, InstanceEnded for the terminal states) and, for watched instances only,
// mirrored by a Resource QObject that emits stateChanged and then the state's own signal.
// finish() marks every instance whose release never completed as NeverReleased.
#include "resource.h"
#include "resourcetracker.h"

#include <QSignalSpy>
#include <QTest>

using namespace Lifeline;
using S = LifecycleState;

Q_DECLARE_METATYPE(QList<Lifeline::LifecycleState>)

namespace {

// Connects to every signal of `r` and records them in emission order:
// "stateChanged created->acquiring @5", "acquiring @5".
void recordSignals(Resource *r, QStringList *out)
{
    QObject::connect(r, &Resource::stateChanged, r, [out](S from, S to, qint64 time) {
        *out << QStringLiteral("stateChanged %1->%2 @%3")
                    .arg(QLatin1String(EventLog::stateName(from)),
                         QLatin1String(EventLog::stateName(to)))
                    .arg(time);
    });
    const auto one = [r, out](void (Resource::*signal)(qint64), const char *name) {
        QObject::connect(r, signal, r, [out, name](qint64 time) {
            *out << QStringLiteral("%1 @%2").arg(QLatin1String(name)).arg(time);
        });
    };
    one(&Resource::acquiring, "acquiring");
    one(&Resource::ready, "ready");
    one(&Resource::executing, "executing");
    one(&Resource::releasing, "releasing");
    one(&Resource::released, "released");
    one(&Resource::failedToAcquire, "failedToAcquire");
    one(&Resource::cancelled, "cancelled");
    one(&Resource::neverReleased, "neverReleased");
}

// The log's events for one lane: "5 phase acquire step 7", "9 instance-ended released".
QStringList instanceEvents(const EventLog &log, LaneId lane)
{
    QStringList out;
    for (const Event &e : log.events()) {
        if (LaneId(e.subject) != lane)
            continue;
        if (e.kind() == EventKind::PhaseBegan)
            out << QStringLiteral("%1 phase %2 step %3")
                       .arg(qint64(e.time))
                       .arg(QLatin1String(EventLog::phaseName(Phase(e.detail))))
                       .arg(e.arg);
        else if (e.kind() == EventKind::InstanceEnded)
            out << QStringLiteral("%1 instance-ended %2")
                       .arg(qint64(e.time))
                       .arg(QLatin1String(EventLog::stateName(S(e.detail))));
    }
    return out;
}

} // namespace

class tst_ResourceTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void createInstance();
    void transitions_data();
    void transitions();
    void stateChangedArguments();
    void watchReturnsOneMirrorStartingInTheCurrentState();
    void sameStateTwiceEmitsOnce();
    void finishMarksUnfinishedInstancesNeverReleased();
    void unwatchedInstancesCreateNoQObject();
};

void tst_ResourceTracker::createInstance()
{
    EventLog log;
    ResourceTracker tracker(log);
    QSignalSpy created(&tracker, &ResourceTracker::instanceCreated);
    const LaneId task
        = log.addLane(LaneKind::Task, log.internLabel(QStringLiteral("main()")), None, None, 1);
    const int label = log.internLabel(QStringLiteral("Db('postgresql://localhost/mydb')"));
    const LaneId first = tracker.createInstance(0, label, task, 0, 1);
    const LaneId second = tracker.createInstance(3, label, task, 0, 2);
    QCOMPARE(created.count(), 2);
    QCOMPARE(created.at(0).at(0).value<LaneId>(), first);
    QCOMPARE(created.at(1).at(0).value<LaneId>(), second);
    const LaneInfo &lane = log.lane(second);
    QCOMPARE(lane.kind(), LaneKind::Instance);
    QCOMPARE(lane.parent, task);
    QCOMPARE(lane.group, 0);
    QCOMPARE(lane.ordinal, 2);
    QCOMPARE(log.laneName(second), QStringLiteral("Db('postgresql://localhost/mydb') #2"));
    QCOMPARE(tracker.state(first), S::Created);
    QCOMPARE(tracker.state(task), S::Created);
    QVERIFY(instanceEvents(log, first).isEmpty()); // creating is not a phase
}

void tst_ResourceTracker::transitions_data()
{
    QTest::addColumn<QList<S>>("path"); // entered one per ms, from 1 on, with step id = ms
    QTest::addColumn<QStringList>("signalsEmitted");
    QTest::addColumn<QStringList>("events");

    QTest::newRow("acquire, use and release")
        << QList<S> { S::Acquiring, S::Ready, S::Executing, S::Ready, S::Releasing, S::Released }
        << QStringList { "stateChanged created->acquiring @1",  "acquiring @1",
                         "stateChanged acquiring->ready @2",    "ready @2",
                         "stateChanged ready->executing @3",    "executing @3",
                         "stateChanged executing->ready @4",    "ready @4",
                         "stateChanged ready->releasing @5",    "releasing @5",
                         "stateChanged releasing->released @6", "released @6" }
        << QStringList { "1 phase acquire step 1", "2 phase ready step 2",
                         "3 phase execute step 3", "4 phase ready step 4",
                         "5 phase release step 5", "6 instance-ended released" };
    QTest::newRow("__aenter__ fails")
        << QList<S> { S::Acquiring, S::FailedToAcquire }
        << QStringList { "stateChanged created->acquiring @1", "acquiring @1",
                         "stateChanged acquiring->failed-to-acquire @2", "failedToAcquire @2" }
        << QStringList { "1 phase acquire step 1", "2 instance-ended failed-to-acquire" };
    QTest::newRow("cancelled while acquiring")
        << QList<S> { S::Acquiring, S::Cancelled }
        << QStringList { "stateChanged created->acquiring @1", "acquiring @1",
                         "stateChanged acquiring->cancelled @2", "cancelled @2" }
        << QStringList { "1 phase acquire step 1", "2 instance-ended cancelled" };
    QTest::newRow("never released while executing")
        << QList<S> { S::Acquiring, S::Ready, S::Executing, S::NeverReleased }
        << QStringList { "stateChanged created->acquiring @1",        "acquiring @1",
                         "stateChanged acquiring->ready @2",          "ready @2",
                         "stateChanged ready->executing @3",          "executing @3",
                         "stateChanged executing->never-released @4", "neverReleased @4" }
        << QStringList { "1 phase acquire step 1", "2 phase ready step 2", "3 phase execute step 3",
                         "4 instance-ended never-released" };
}

void tst_ResourceTracker::transitions()
{
    QFETCH(QList<S>, path);
    QFETCH(QStringList, signalsEmitted);
    QFETCH(QStringList, events);
    EventLog log;
    ResourceTracker tracker(log);
    const LaneId lane
        = tracker.createInstance(0, log.internLabel(QStringLiteral("Db()")), None, 0, 1);
    Resource *r = tracker.watch(lane);
    QStringList emitted;
    recordSignals(r, &emitted);
    qint64 ms = 0;
    for (S to : path) {
        ++ms;
        tracker.transition(lane, ms, to, quint32(ms));
        QCOMPARE(tracker.state(lane), to);
        QCOMPARE(r->state(), to);
    }
    QCOMPARE(emitted, signalsEmitted);
    QCOMPARE(instanceEvents(log, lane), events);
}

void tst_ResourceTracker::stateChangedArguments()
{
    EventLog log;
    ResourceTracker tracker(log);
    const LaneId lane
        = tracker.createInstance(0, log.internLabel(QStringLiteral("Db()")), None, 0, 1);
    Resource *r = tracker.watch(lane);
    QSignalSpy changed(r, &Resource::stateChanged);
    QSignalSpy released(r, &Resource::released);
    tracker.transition(lane, 10, S::Acquiring);
    tracker.transition(lane, 25, S::Ready);
    tracker.transition(lane, 40, S::Releasing);
    tracker.transition(lane, 55, S::Released);
    QCOMPARE(changed.count(), 4);
    QCOMPARE(changed.at(1).at(0).value<S>(), S::Acquiring);
    QCOMPARE(changed.at(1).at(1).value<S>(), S::Ready);
    QCOMPARE(changed.at(1).at(2).value<qint64>(), 25);
    QCOMPARE(changed.at(3).at(1).value<S>(), S::Released);
    QCOMPARE(released.count(), 1);
    QCOMPARE(released.at(0).at(0).value<qint64>(), 55);
    QCOMPARE(r->property("state").toInt(), int(S::Released));
}

void tst_ResourceTracker::watchReturnsOneMirrorStartingInTheCurrentState()
{
    EventLog log;
    ResourceTracker tracker(log);
    const LaneId lane
        = tracker.createInstance(0, log.internLabel(QStringLiteral("Db('x')")), None, 0, 3);
    tracker.transition(lane, 1, S::Acquiring);
    tracker.transition(lane, 2, S::Ready);
    Resource *r = tracker.watch(lane);
    QCOMPARE(tracker.watch(lane), r);
    QCOMPARE(r->parent(), &tracker);
    QCOMPARE(r->instance(), lane);
    QCOMPARE(r->state(), S::Ready);
    QCOMPARE(r->name(), QStringLiteral("Db('x') #3"));
}

void tst_ResourceTracker::sameStateTwiceEmitsOnce()
{
    // Setters compare, store, emit: a repeated state is not a change.
    EventLog log;
    ResourceTracker tracker(log);
    const LaneId lane
        = tracker.createInstance(0, log.internLabel(QStringLiteral("Db()")), None, 0, 1);
    Resource *r = tracker.watch(lane);
    QSignalSpy changed(r, &Resource::stateChanged);
    QSignalSpy ready(r, &Resource::ready);
    r->setState(S::Ready, 1);
    r->setState(S::Ready, 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(ready.count(), 1);
}

void tst_ResourceTracker::finishMarksUnfinishedInstancesNeverReleased()
{
    EventLog log;
    ResourceTracker tracker(log);
    const int label = log.internLabel(QStringLiteral("Db()"));
    struct Instance
    {
        QList<S> path;
        S expected;
    };
    const QList<Instance> instances = {
        { { S::Acquiring, S::Ready, S::Releasing, S::Released }, S::Released },
        { { S::Acquiring, S::FailedToAcquire }, S::FailedToAcquire },
        { { S::Acquiring, S::Cancelled }, S::Cancelled },
        { {}, S::NeverReleased }, // created only
        { { S::Acquiring }, S::NeverReleased },
        { { S::Acquiring, S::Ready }, S::NeverReleased },
        { { S::Acquiring, S::Ready, S::Executing }, S::NeverReleased },
        { { S::Acquiring, S::Ready, S::Releasing }, S::NeverReleased },
    };
    QList<LaneId> lanes;
    for (const Instance &i : instances) {
        const LaneId lane = tracker.createInstance(0, label, None, 0, int(lanes.size()) + 1);
        for (S to : i.path)
            tracker.transition(lane, 1, to);
        lanes << lane;
    }
    Resource *watched = tracker.watch(lanes[5]);
    QSignalSpy never(watched, &Resource::neverReleased);
    Resource *done = tracker.watch(lanes[0]);
    QSignalSpy doneChanged(done, &Resource::stateChanged);

    tracker.finish(99);
    for (int i = 0; i < instances.size(); ++i)
        QCOMPARE(tracker.state(lanes[i]), instances[i].expected);
    QCOMPARE(never.count(), 1);
    QCOMPARE(never.at(0).at(0).value<qint64>(), 99);
    QCOMPARE(doneChanged.count(), 0);
    QCOMPARE(instanceEvents(log, lanes[7]).last(),
             QStringLiteral("99 instance-ended never-released"));
    QCOMPARE(instanceEvents(log, lanes[0]).last(), QStringLiteral("1 instance-ended released"));

    // A second finish() finds nothing left to mark.
    const size_t events = log.count();
    tracker.finish(100);
    QCOMPARE(log.count(), events);
}

void tst_ResourceTracker::unwatchedInstancesCreateNoQObject()
{
    EventLog log;
    ResourceTracker tracker(log);
    const int label = log.internLabel(QStringLiteral("Db()"));
    QList<LaneId> lanes;
    for (int i = 0; i < 100; ++i) {
        const LaneId lane = tracker.createInstance(i, label, None, 0, i + 1);
        tracker.transition(lane, i, S::Acquiring);
        tracker.transition(lane, i + 1, S::Ready);
        lanes << lane;
    }
    tracker.finish(200);
    QVERIFY(tracker.findChildren<Resource *>().isEmpty());
    tracker.watch(lanes[42]);
    QCOMPARE(tracker.findChildren<Resource *>().size(), 1);
    QCOMPARE(tracker.state(lanes[42]), S::NeverReleased);
}

QTEST_GUILESS_MAIN(tst_ResourceTracker)
#include "tst_resourcetracker.moc"
