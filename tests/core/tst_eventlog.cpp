// SPDX-License-Identifier: MIT
// EventLog stores events packed in chunks with times as runs, lanes in chunks, and borrows
// task names: whatever the packing, every event, lane and label must read back as written.
#include "eventlog.h"

#include <QtTest>

#include <random>

using namespace Lifeline;

class tst_EventLog : public QObject
{
    Q_OBJECT
private slots:
    void eventsReadBackAcrossChunks_data();
    void eventsReadBackAcrossChunks();
    void lanesReadBackAcrossChunks();
    void labelsInternedAndBorrowed();
    void movedLogKeepsItsLabels();
    void memoryFollowsEventsNotTimes();
    void eventSaysWhichLaneAndExceptionItIsAbout_data();
    void eventSaysWhichLaneAndExceptionItIsAbout();
    void eachPhaseMovesItsInstanceIntoItsState();
};

namespace {
struct Written
{
    qint64 time;
    EventKind kind;
    quint32 subject, arg;
    quint8 detail;
};
} // namespace

void tst_EventLog::eventsReadBackAcrossChunks_data()
{
    QTest::addColumn<int>("timeStep"); // the clock advances before 1 in timeStep events
    QTest::newRow("one time for everything") << 0;
    QTest::newRow("runs of equal times") << 50;
    QTest::newRow("a new time every event") << 1;
}

void tst_EventLog::eventsReadBackAcrossChunks()
{
    QFETCH(int, timeStep);
    std::mt19937 rng(7);
    EventLog log;
    std::vector<Written> written;
    qint64 now = 0;
    for (int i = 0; i < 70000; ++i) {
        if (timeStep && rng() % quint32(timeStep) == 0)
            now += 1 + qint64(rng() % 100000000); // big jumps too
        const Written w { now, EventKind(rng() % 9), quint32(rng()), quint32(rng()),
                          quint8(rng() % 9) };
        log.append(w.time, w.kind, w.subject, w.arg, w.detail);
        written.push_back(w);
    }
    log.append(now, EventKind::Printed, 1); // arg defaults to None
    QCOMPARE(log.count(), written.size() + 1);
    QCOMPARE(log.at(written.size()).argId(), None);
    QCOMPARE(log.endTime(), now);
    size_t i = 0;
    for (const Event &e : log.events()) {
        if (i == written.size())
            break;
        const Written &w = written[i];
        QCOMPARE(qint64(e.time), w.time);
        QCOMPARE(e.kind(), w.kind);
        QCOMPARE(log.kindAt(i), w.kind);
        QCOMPARE(e.subject, w.subject);
        QCOMPARE(e.arg, w.arg);
        QCOMPARE(quint8(e.detail), w.detail);
        ++i;
    }
    QCOMPARE(i, written.size());
    for (size_t j : { size_t(0), size_t(16383), size_t(16384), size_t(69999) })
        QCOMPARE(qint64(log.at(j).time), written[j].time);
}

void tst_EventLog::lanesReadBackAcrossChunks()
{
    EventLog log;
    const int main = log.internLabel(QStringLiteral("main()"));
    for (int i = 0; i < 10000; ++i) {
        const bool instance = i % 2;
        QCOMPARE(log.addLane(instance ? LaneKind::Instance : LaneKind::Task, main, i - 1,
                             instance ? i % 5 : None, i + 1),
                 LaneId(i));
    }
    QCOMPARE(log.laneCount(), size_t(10000));
    for (LaneId id : { 0, 4095, 4096, 9999 }) {
        const LaneInfo &l = log.lane(id);
        QCOMPARE(l.kind(), id % 2 ? LaneKind::Instance : LaneKind::Task);
        QCOMPARE(l.parent, id - 1);
        QCOMPARE(l.group, id % 2 ? id % 5 : None);
        QCOMPARE(qint64(l.ordinal), qint64(id + 1));
    }
    QCOMPARE(log.laneName(1), QStringLiteral("main() #2"));
    QCOMPARE(log.laneName(0), QStringLiteral("main()"));
}

void tst_EventLog::labelsInternedAndBorrowed()
{
    const QString taskName = QStringLiteral("worker-1");
    EventLog log;
    const int a = log.internLabel(QStringLiteral("Conn('db')"));
    const int b = log.addBorrowedLabel(&taskName);
    QCOMPARE(log.internLabel(QStringLiteral("Conn('db')")), a);
    QVERIFY(a != b);
    QCOMPARE(log.labelCount(), 2);
    QCOMPARE(log.label(a), QStringLiteral("Conn('db')"));
    QCOMPARE(&log.label(b), &taskName); // referred to, not copied
}

void tst_EventLog::movedLogKeepsItsLabels()
{
    EventLog log;
    for (int i = 0; i < 1000; ++i)
        log.internLabel(QStringLiteral("label %1").arg(i));
    log.addLane(LaneKind::Task, 999, None, None, 1);
    log.append(5, EventKind::TaskCreated, 0);
    EventLog moved(std::move(log));
    QCOMPARE(moved.label(999), QStringLiteral("label 999"));
    QCOMPARE(moved.laneName(0), QStringLiteral("label 999"));
    QCOMPARE(qint64(moved.at(0).time), 5);
}

void tst_EventLog::memoryFollowsEventsNotTimes()
{
    // A virtual clock writes many events per millisecond: they cost about 9 bytes each.
    EventLog log;
    for (int i = 0; i < 200000; ++i)
        log.append(i / 1000, EventKind::PhaseBegan, quint32(i), 0);
    const double perEvent = double(log.memoryUsage()) / 200000;
    QVERIFY2(perEvent < 10.5, qPrintable(QString::number(perEvent)));
}

void tst_EventLog::eventSaysWhichLaneAndExceptionItIsAbout_data()
{
    QTest::addColumn<EventKind>("kind");
    QTest::addColumn<quint32>("subject");
    QTest::addColumn<quint32>("arg");
    QTest::addColumn<qint32>("lane");
    QTest::addColumn<qint32>("exception");
    QTest::addColumn<qint32>("byLane");
    const quint32 none = quint32(None);
    QTest::newRow("task created by another") << EventKind::TaskCreated << 3u << 1u << 3 << 3 << 1;
    QTest::newRow("main task created by nobody")
        << EventKind::TaskCreated << 0u << none << 0 << 0 << None;
    QTest::newRow("task ends with an escaped exception")
        << EventKind::TaskEnded << 3u << 7u << 3 << 7 << 7;
    QTest::newRow("task ends normally") << EventKind::TaskEnded << 3u << none << 3 << None << None;
    QTest::newRow("exception raised in a lane")
        << EventKind::ExceptionRaised << 7u << 4u << 4 << 7 << 4;
    QTest::newRow("exception raised by the loop")
        << EventKind::ExceptionRaised << 7u << none << None << 7 << None;
    QTest::newRow("exception crosses a scope")
        << EventKind::ExceptionHop << 7u << 5u << 5 << 7 << 5;
    QTest::newRow("print outside any task")
        << EventKind::Printed << none << 2u << None << None << 2;
    QTest::newRow("cancel caused by a timeout")
        << EventKind::CancelRequested << 3u << 6u << 3 << 3 << 6;
}

void tst_EventLog::eventSaysWhichLaneAndExceptionItIsAbout()
{
    QFETCH(EventKind, kind);
    QFETCH(quint32, subject);
    QFETCH(quint32, arg);
    QFETCH(qint32, lane);
    QFETCH(qint32, exception);
    QFETCH(qint32, byLane);
    EventLog log;
    log.append(10, kind, subject, arg, 0);
    const Event e = log.at(0);
    QCOMPARE(e.lane(), lane);
    if (kind == EventKind::TaskEnded || e.isAboutException())
        QCOMPARE(e.exception(), exception);
    if (kind == EventKind::TaskCreated || kind == EventKind::CancelRequested)
        QCOMPARE(e.byLane(), byLane);
    if (kind == EventKind::Printed)
        QCOMPARE(e.printIndex(), int(arg));
}

void tst_EventLog::eachPhaseMovesItsInstanceIntoItsState()
{
    const std::pair<Phase, LifecycleState> expected[] = {
        { Phase::Acquire, LifecycleState::Acquiring },
        { Phase::Ready, LifecycleState::Ready },
        { Phase::Execute, LifecycleState::Executing },
        { Phase::Release, LifecycleState::Releasing },
    };
    QCOMPARE(int(std::size(expected)), PhaseCount);
    EventLog log;
    for (const auto &[phase, state] : expected) {
        log.append(1, EventKind::PhaseBegan, 2, 9, quint8(phase));
        const Event e = log.at(log.count() - 1);
        QCOMPARE(e.phase(), phase);
        QCOMPARE(e.step(), 9u);
        QCOMPARE(stateDuring(e.phase()), state);
    }
    log.append(2, EventKind::InstanceEnded, 2, quint32(None), quint8(LifecycleState::Cancelled));
    QCOMPARE(log.at(log.count() - 1).state(), LifecycleState::Cancelled);
}

QTEST_APPLESS_MAIN(tst_EventLog)
#include "tst_eventlog.moc"
