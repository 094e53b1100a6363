// SPDX-License-Identifier: MIT
// Scheduler: asyncio's loop on the virtual clock. The ready queue is FIFO; timers fire by due
// time, ties in the order they were set; a pass runs only what was ready when it began
// (BaseEventLoop._run_once); the clock jumps to the earliest live timer; stop() ends the run
// after the current pass.
#include "future.h"
#include "scheduler.h"

#include <QTest>
#include <algorithm>
#include <functional>
#include <numeric>

using namespace Lifeline;

namespace {

// A callback target that records "<number>@<ms>" and may then act (re-queue itself, cancel a
// timer, stop the loop).
class Recorder : public RefCounted
{
public:
    Recorder(const Scheduler &s, QStringList &out, std::function<void(int)> then = {})
        : m_scheduler(s)
        , m_out(out)
        , m_then(std::move(then))
    {
    }
    ~Recorder() override
    {
        if (m_destroyed)
            *m_destroyed = true;
    }
    void setDestroyedFlag(bool *flag) { m_destroyed = flag; }

    static void fire(RefCounted *self, RefCounted *, qint32 number)
    {
        auto *r = static_cast<Recorder *>(self);
        r->m_out << QStringLiteral("%1@%2").arg(number).arg(r->m_scheduler.time());
        if (r->m_then)
            r->m_then(number);
    }

private:
    const Scheduler &m_scheduler;
    QStringList &m_out;
    std::function<void(int)> m_then;
    bool *m_destroyed = nullptr;
};

// Runs the scheduler to the end, writing "|" where each pass begins.
QStringList runMarkingPasses(Scheduler &s, QStringList &out)
{
    for (int guard = 0; guard < 10000; ++guard) {
        const Scheduler::Next next = s.next();
        if (next == Scheduler::Next::StartPass || next == Scheduler::Next::AdvanceClock)
            out << QStringLiteral("|");
        if (!s.step())
            break;
    }
    return out;
}

bool drain(Scheduler &s)
{
    for (int guard = 0; guard < 10000; ++guard) {
        if (!s.step())
            return true;
    }
    return false;
}

} // namespace

class tst_Scheduler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readyQueueIsFifo();
    void readyQueueStaysFifoWhenItGrowsWrappedAround();
    void bareYieldTakesOneTurn();
    void timerOrder_data();
    void timerOrder();
    void timersSetAtDifferentTimes();
    void passRunsOnlyWhatWasReadyAtItsStart();
    void manyDueTimersMoveInPartsForTheHost();
    void clockJumpsToEarliestLiveTimer();
    void cancelledTimers_data();
    void cancelledTimers();
    void timerDueInThePastDoesNotMoveTheClockBack();
    void stopFinishesTheCurrentPass();
    void staleHandleCannotCancelAReusedSlot();
    void queuedTargetsAreKeptAlive();
    void closingDropsAQueuedFirstDoneCallback();
};

void tst_Scheduler::readyQueueIsFifo()
{
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r(new Recorder(s, fired));
    for (int i = 1; i <= 5; ++i)
        s.callSoon(&Recorder::fire, r.get(), nullptr, i);
    QCOMPARE(s.readyCount(), size_t(5));
    QVERIFY(drain(s));
    QCOMPARE(fired, QStringList({ "1@0", "2@0", "3@0", "4@0", "5@0" }));
    QCOMPARE(s.time(), 0);
}

void tst_Scheduler::readyQueueStaysFifoWhenItGrowsWrappedAround()
{
    // Each callback run queues two more until 300 have been queued: the ring buffer holding the
    // queue wraps around and doubles several times while its front is mid-way.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    int queued = 0;
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int) {
        for (int k = 0; k < 2 && queued < 300; ++k)
            s.callSoon(&Recorder::fire, r.get(), nullptr, ++queued);
    }));
    for (int i = 0; i < 40; ++i)
        s.callSoon(&Recorder::fire, r.get(), nullptr, ++queued);
    QVERIFY(drain(s));
    QStringList expected;
    for (int i = 1; i <= 300; ++i)
        expected << QStringLiteral("%1@0").arg(i);
    QCOMPARE(fired, expected);
}

void tst_Scheduler::bareYieldTakesOneTurn()
{
    // Two coroutines that `await asyncio.sleep(0)` between prints: each yield re-queues the
    // callback at the back, so they alternate one turn at a time.
    //   a: a1, sleep(0), a2, sleep(0), a3      b: b1, sleep(0), b2
    // CPython prints a1 b1 a2 b2 a3.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    QList<int> turnsLeft = { 0, 2, 1 }; // yields still to take, by id (1 = a, 2 = b)
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (turnsLeft[id]-- > 0)
            s.callSoon(&Recorder::fire, r.get(), nullptr, id);
    }));
    s.callSoon(&Recorder::fire, r.get(), nullptr, 1);
    s.callSoon(&Recorder::fire, r.get(), nullptr, 2);
    runMarkingPasses(s, fired);
    QCOMPARE(fired, QStringList({ "|", "1@0", "2@0", "|", "1@0", "2@0", "|", "1@0" }));
    r = Ref<Recorder>(); // breaks the lambda's reference to itself
}

void tst_Scheduler::timerOrder_data()
{
    // Every order of setting five timers, two pairs of them due at the same millisecond
    // (qtbase's tst_QTimer::timerOrder). A zero delay is a timer due now: it fires in the next
    // pass without moving the clock.
    QTest::addColumn<QList<int>>("delays");
    QList<int> delays = { 0, 5, 5, 10, 10 };
    do {
        QStringList parts;
        for (int d : delays)
            parts << QString::number(d);
        const QByteArray name = "set with delays " + parts.join(u',').toLatin1();
        QTest::newRow(name.constData()) << delays;
    } while (std::next_permutation(delays.begin(), delays.end()));
}

void tst_Scheduler::timerOrder()
{
    QFETCH(QList<int>, delays);
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r(new Recorder(s, fired));
    for (int i = 0; i < delays.size(); ++i)
        s.callLater(delays[i], &Recorder::fire, r.get(), nullptr, i);
    QCOMPARE(s.timerCount(), size_t(delays.size()));
    QVERIFY(drain(s));

    // By due time; timers due the same millisecond in the order they were set.
    QList<int> order(delays.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return delays[a] < delays[b]; });
    QStringList expected;
    for (int i : order)
        expected << QStringLiteral("%1@%2").arg(i).arg(delays[i]);
    QCOMPARE(fired, expected);
    QCOMPARE(s.time(), 10);
}

void tst_Scheduler::timersSetAtDifferentTimes()
{
    // At 0: timer 1 due at 20. At 10: timer 2 due in 10 (at 20), timer 3 due in 5 (at 15).
    // Due time decides first; at 20 timer 1 was set before timer 2.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (id == 0) {
            s.callLater(10, &Recorder::fire, r.get(), nullptr, 2);
            s.callLater(5, &Recorder::fire, r.get(), nullptr, 3);
        }
    }));
    s.callLater(20, &Recorder::fire, r.get(), nullptr, 1);
    s.callLater(10, &Recorder::fire, r.get(), nullptr, 0);
    QVERIFY(drain(s));
    QCOMPARE(fired, QStringList({ "0@10", "3@15", "1@20", "2@20" }));
    r = Ref<Recorder>();
}

void tst_Scheduler::passRunsOnlyWhatWasReadyAtItsStart()
{
    // loop.call_later(0, t0); loop.call_soon(a); loop.call_soon(b), where a does
    // loop.call_soon(c) and loop.call_later(0, d). CPython runs a b t0 | c d: the due timer t0
    // joins the back of the first pass's queue; c, queued during that pass, waits for the next
    // one and runs there before d, the timer appended when the next pass begins.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    enum { T0 = 0, A = 1, B = 2, C = 3, D = 4 };
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (id == A) {
            s.callSoon(&Recorder::fire, r.get(), nullptr, C);
            s.callLater(0, &Recorder::fire, r.get(), nullptr, D);
        }
    }));
    s.callLater(0, &Recorder::fire, r.get(), nullptr, T0);
    s.callSoon(&Recorder::fire, r.get(), nullptr, A);
    s.callSoon(&Recorder::fire, r.get(), nullptr, B);
    runMarkingPasses(s, fired);
    QCOMPARE(fired, QStringList({ "|", "1@0", "2@0", "0@0", "|", "3@0", "4@0" }));
    r = Ref<Recorder>();
}

void tst_Scheduler::manyDueTimersMoveInPartsForTheHost()
{
    // 20,000 sleeps due at the same millisecond: moving them to the ready queue is one step of
    // milliseconds, so with the host's slice spent it gives the host turns between parts. No
    // callback runs until all are moved: the callbacks and passes are those of one move.
    constexpr int Timers = 20000;
    auto run = [](bool slicedHost, int *yields) {
        EventLog log;
        Scheduler s(log);
        QStringList fired;
        Ref<Recorder> r;
        r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
            if (id == 0) // queued during the pass: runs in the next one
                s.callSoon(&Recorder::fire, r.get(), nullptr, Timers);
        }));
        for (int i = 0; i < Timers; ++i)
            s.callLater(10, &Recorder::fire, r.get(), nullptr, i);
        if (slicedHost)
            s.setHostDeadline(QDeadlineTimer(0)); // spent from the start
        for (int guard = 0; guard < 4 * Timers; ++guard) {
            const Scheduler::Next next = s.next();
            if (next == Scheduler::Next::StartPass || next == Scheduler::Next::AdvanceClock)
                fired << QStringLiteral("|");
            if (!s.step())
                break;
        }
        *yields = s.hostYields();
        r = Ref<Recorder>();
        return fired;
    };
    int whole = -1, parts = -1;
    const QStringList once = run(false, &whole);
    const QStringList sliced = run(true, &parts);
    QCOMPARE(whole, 0);
    QVERIFY2(parts >= Timers / 4096, qPrintable(QString::number(parts)));
    // The moves' turns are no passes of the program: the same callbacks, passes and times.
    QStringList expected = once;
    QCOMPARE(expected.size(), Timers + 3); // |, the timers, |, the callback queued by timer 0
    QCOMPARE(sliced.count(QStringLiteral("|")) - parts, 2);
    QStringList withoutTurns = sliced;
    for (int i = 0; i < parts; ++i)
        withoutTurns.removeOne(QStringLiteral("|"));
    QCOMPARE(withoutTurns, expected);
}

void tst_Scheduler::clockJumpsToEarliestLiveTimer()
{
    // Timers due at 30, 10 (cancelled) and 20: nothing is ready, so the clock jumps straight
    // to 20, never stopping at 10.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r(new Recorder(s, fired));
    s.callLater(30, &Recorder::fire, r.get(), nullptr, 30);
    const Scheduler::HandleRef h = s.callLater(10, &Recorder::fire, r.get(), nullptr, 10);
    s.callLater(20, &Recorder::fire, r.get(), nullptr, 20);
    s.cancel(h);

    qint64 when = -1;
    QCOMPARE(s.next(&when), Scheduler::Next::AdvanceClock);
    QCOMPARE(when, 20);
    QVERIFY(s.step()); // begins the pass: the jump
    QCOMPARE(s.time(), 20);
    QVERIFY(drain(s));
    QCOMPARE(fired, QStringList({ "20@20", "30@30" }));
    QCOMPARE(s.next(), Scheduler::Next::Idle);
}

void tst_Scheduler::cancelledTimers_data()
{
    QTest::addColumn<QList<int>>("delays"); // timer i set with delays[i], in order
    QTest::addColumn<QList<int>>("cancelNow"); // cancelled right after being set
    QTest::addColumn<QList<int>>("cancelledBy"); // [x, y]: timer x cancels timer y when it fires
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("endTime");

    QTest::newRow("only a cancelled timer: nothing fires and the clock stays at 0")
        << QList<int> { 50 } << QList<int> { 0 } << QList<int> {} << QStringList {} << 0;
    QTest::newRow("the last timer cancelled: the clock stops at the one before")
        << QList<int> { 5, 50 } << QList<int> { 1 } << QList<int> {} << QStringList { "0@5" } << 5;
    QTest::newRow("a timer due the same ms is cancelled by the one before it")
        << QList<int> { 5, 5, 5 } << QList<int> {} << QList<int> { 0, 1 }
        << QStringList { "0@5", "2@5" } << 5;
    QTest::newRow("a later timer is cancelled before the clock reaches it")
        << QList<int> { 5, 20, 30 } << QList<int> {} << QList<int> { 0, 2 }
        << QStringList { "0@5", "1@20" } << 20;
    QTest::newRow("an earlier timer cancelled: the next one still fires at its own time")
        << QList<int> { 5, 20 } << QList<int> { 0 } << QList<int> {} << QStringList { "1@20" }
        << 20;
}

void tst_Scheduler::cancelledTimers()
{
    QFETCH(QList<int>, delays);
    QFETCH(QList<int>, cancelNow);
    QFETCH(QList<int>, cancelledBy);
    QFETCH(QStringList, expected);
    QFETCH(int, endTime);

    EventLog log;
    Scheduler s(log);
    QStringList fired;
    std::vector<Scheduler::HandleRef> handles;
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (!cancelledBy.isEmpty() && id == cancelledBy[0])
            s.cancel(handles[size_t(cancelledBy[1])]);
    }));
    for (int i = 0; i < delays.size(); ++i)
        handles.push_back(s.callLater(delays[i], &Recorder::fire, r.get(), nullptr, i));
    for (int i : cancelNow)
        s.cancel(handles[size_t(i)]);
    QVERIFY(drain(s));
    QCOMPARE(fired, expected);
    QCOMPARE(s.time(), endTime);
    QCOMPARE(s.timerCount(), size_t(0));
    r = Ref<Recorder>();
}

void tst_Scheduler::timerDueInThePastDoesNotMoveTheClockBack()
{
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (id == 1)
            s.callAt(3, &Recorder::fire, r.get(), nullptr, 2);
    }));
    s.callLater(10, &Recorder::fire, r.get(), nullptr, 1);
    QVERIFY(drain(s));
    QCOMPARE(fired, QStringList({ "1@10", "2@10" }));
    QCOMPARE(s.time(), 10);
    r = Ref<Recorder>();
}

void tst_Scheduler::stopFinishesTheCurrentPass()
{
    // loop.stop() inside a callback: the rest of the pass still runs (b), then run_forever
    // returns; c, queued during the pass, and the timer due at 5 wait for the next run. The
    // clock does not move while stopping.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    enum { A = 1, B = 2, C = 3, Timer = 4 };
    Ref<Recorder> r;
    r = Ref<Recorder>(new Recorder(s, fired, [&](int id) {
        if (id == A) {
            s.stop();
            s.callSoon(&Recorder::fire, r.get(), nullptr, C);
        }
    }));
    s.callSoon(&Recorder::fire, r.get(), nullptr, A);
    s.callSoon(&Recorder::fire, r.get(), nullptr, B);
    s.callLater(5, &Recorder::fire, r.get(), nullptr, Timer);

    int steps = 0;
    while (s.step())
        ++steps;
    QCOMPARE(fired, QStringList({ "1@0", "2@0" }));
    QCOMPARE(steps, 3); // begin pass, a, b
    QVERIFY(!s.isStopping()); // the Stopped report cleared the request
    QCOMPARE(s.time(), 0);
    QCOMPARE(s.readyCount(), size_t(1));

    QVERIFY(drain(s)); // the next run_forever
    QCOMPARE(fired, QStringList({ "1@0", "2@0", "3@0", "4@5" }));
    r = Ref<Recorder>();
}

void tst_Scheduler::staleHandleCannotCancelAReusedSlot()
{
    // A handle kept after its callback ran (as Timeout keeps its handler) must not cancel
    // whatever later reuses the slot.
    EventLog log;
    Scheduler s(log);
    QStringList fired;
    Ref<Recorder> r(new Recorder(s, fired));
    const Scheduler::HandleRef first = s.callSoon(&Recorder::fire, r.get(), nullptr, 1);
    QVERIFY(drain(s));
    const Scheduler::HandleRef second = s.callSoon(&Recorder::fire, r.get(), nullptr, 2);
    QCOMPARE(second.index, first.index); // the slot was reused
    s.cancel(first);
    QVERIFY(drain(s));
    QCOMPARE(fired, QStringList({ "1@0", "2@0" }));
}

void tst_Scheduler::queuedTargetsAreKeptAlive()
{
    // A Handle keeps its callback's arguments alive: the scheduler holds the only reference
    // until the callback ran (or the scheduler goes away).
    EventLog log;
    QStringList fired;
    bool ranDestroyed = false;
    bool pendingDestroyed = false;
    {
        Scheduler s(log);
        auto *ran = new Recorder(s, fired);
        ran->setDestroyedFlag(&ranDestroyed);
        auto *pending = new Recorder(s, fired);
        pending->setDestroyedFlag(&pendingDestroyed);
        s.callSoon(&Recorder::fire, ran, nullptr, 1);
        s.callLater(10, &Recorder::fire, pending, nullptr, 2);
        QVERIFY(!ranDestroyed);
        QVERIFY(s.step()); // begin the pass
        QVERIFY(s.step()); // run 1
        QCOMPARE(fired, QStringList({ "1@0" }));
        QVERIFY(ranDestroyed);
        QVERIFY(!pendingDestroyed);
    }
    QVERIFY(pendingDestroyed);
    QCOMPARE(fired, QStringList({ "1@0" }));
}

QTEST_GUILESS_MAIN(tst_Scheduler)
void tst_Scheduler::closingDropsAQueuedFirstDoneCallback()
{
    // A gather holds its children and each child holds the gather through its done callback.
    // A child done while the run is torn down has that callback queued, in the future itself
    // (no handle): closing the loop drops it unrun, as it would a handle, so neither keeps the
    // other alive.
    EventLog log;
    QStringList fired;
    bool targetDestroyed = false;
    {
        Scheduler s(log);
        Ref<Future> child(new Future(s));
        auto *target = new Recorder(s, fired, [child](int) {}); // holds the child
        target->setDestroyedFlag(&targetDestroyed);
        child->addDoneCallback(&Recorder::fire, target);
        child->setResult(); // the callback is queued
        child = Ref<Future>();
        QVERIFY(!targetDestroyed);
        s.close();
        QVERIFY(targetDestroyed);
    }
    QVERIFY(fired.isEmpty());
}

#include "tst_scheduler.moc"
