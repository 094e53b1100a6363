// SPDX-License-Identifier: MIT
// Timeout: asyncio.timeout(delay) as timeouts.py (3.11.7). On expiry the task is cancelled and
// __aexit__ turns that CancelledError into TimeoutError() raised from it; a zero delay is
// scheduled with call_soon; a timeout that does not expire changes nothing (its timer is
// cancelled and never holds the clock); another pending cancellation wins over the timeout.
#include <QTest>

#ifndef Q_MOC_RUN // see coretesthelpers.h
#include "coretesthelpers.h"
#include "timeout.h"
#endif

using namespace Lifeline;
using namespace Lifeline::Test;

namespace {

enum class Body {
    Sleeps, // await asyncio.sleep(bodyMs), reporting a cancellation and re-raising it
    NoAwait, // trace("body ran")
    Swallows // try: await asyncio.sleep(0.1) except CancelledError: trace("body swallowed")
};

struct TimeoutRun
{
    ExcId bodyExc = None;
    ExcId got = None;
};

// async def main():
//     [try: await asyncio.sleep(0) except CancelledError: trace("caught")]  -- cancelledFirst
//     try:
//         async with asyncio.timeout(delay): <body>
//     except BaseException as e: trace(f"main got {e!r}"); raise
//     trace("main got None"); await asyncio.sleep(0.005); trace("after")
Co<ExcId> withTimeout(Scheduler &s, Trace &trace, qint64 delayMs, Body body, qint64 bodyMs,
                      TimeoutRun *run, bool cancelledFirst = false)
{
    Task *self = s.currentTask();
    if (cancelledFirst) {
        if (co_await SleepAwaiter(self, 0) != None)
            trace.add(QStringLiteral("caught"));
    }
    Ref<Timeout> timeout(new Timeout(s, s.time() + delayMs));
    timeout->enter(self);
    ExcId bodyExc = None;
    switch (body) {
    case Body::Sleeps:
        bodyExc = co_await SleepAwaiter(self, bodyMs);
        trace.add(bodyExc == None ? QStringLiteral("body end") : QStringLiteral("body cancelled"));
        break;
    case Body::NoAwait:
        trace.add(QStringLiteral("body ran"));
        break;
    case Body::Swallows:
        if (co_await SleepAwaiter(self, 100) != None)
            trace.add(QStringLiteral("body swallowed"));
        break;
    }
    run->bodyExc = bodyExc;
    ExcId r = None;
    if (bodyExc == None) {
        r = timeout->exit(None);
    } else {
        // __aexit__ runs while the body's exception is being handled.
        self->pushHandled(bodyExc);
        r = timeout->exit(bodyExc);
        self->popHandled();
        if (r == None)
            r = bodyExc;
    }
    run->got = r;
    if (r != None) {
        trace.add(QStringLiteral("main got ") + s.log().repr(r));
        co_return r;
    }
    trace.add(QStringLiteral("main got None"));
    r = co_await SleepAwaiter(self, 5);
    trace.add(r == None ? QStringLiteral("after") : s.log().repr(r));
    co_return r;
}

// await asyncio.sleep(sleepFirst); async with asyncio.timeout(delay): pass
// reporting what entering scheduled.
Co<ExcId> entersTimeout(Scheduler &s, qint64 sleepFirstMs, qint64 delayMs, size_t *readyAdded,
                        size_t *timersAdded)
{
    Task *self = s.currentTask();
    if (sleepFirstMs > 0)
        co_await SleepAwaiter(self, sleepFirstMs);
    const size_t readyBefore = s.readyCount();
    const size_t timersBefore = s.timerCount();
    Ref<Timeout> timeout(new Timeout(s, s.time() + delayMs));
    timeout->enter(self);
    *readyAdded = s.readyCount() - readyBefore;
    *timersAdded = s.timerCount() - timersBefore;
    co_return timeout->exit(None);
}

} // namespace

Q_DECLARE_METATYPE(Body)

class tst_Timeout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timeout_data();
    void timeout();
    void timeoutErrorIsRaisedFromTheCancelledError();
    void zeroDelayIsScheduledWithCallSoon_data();
    void zeroDelayIsScheduledWithCallSoon();
};

void tst_Timeout::timeout_data()
{
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<Body>("body");
    QTest::addColumn<int>("bodyMs");
    // -1: nobody else cancels main; -2: main is cancelled at its first sleep(0), catches it
    // and goes on, so cancelling() is 1 when it enters the timeout.
    QTest::addColumn<int>("cancelMainAt");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("mainCancelling");

    QTest::newRow("expires: the body's CancelledError becomes TimeoutError()")
        << 10 << Body::Sleeps << 100 << -1
        << QStringList { "10 body cancelled", "10 main got TimeoutError()" } << 0;
    QTest::newRow("zero delay around sleep(0): the call_soon handler runs first and expires")
        << 0 << Body::Sleeps << 0 << -1
        << QStringList { "0 body cancelled", "0 main got TimeoutError()" } << 0;
    QTest::newRow("zero delay with no await inside: exits before its handler runs, no effect")
        << 0 << Body::NoAwait << 0 << -1
        << QStringList { "0 body ran", "0 main got None", "5 after" } << 0;
    QTest::newRow("does not expire: nothing changes, even when the deadline's ms comes")
        << 10 << Body::Sleeps << 5 << -1
        << QStringList { "5 body end", "5 main got None", "10 after" } << 0;
    QTest::newRow("the body swallows the cancellation: no TimeoutError, the count is undone")
        << 10 << Body::Swallows << 0 << -1
        << QStringList { "10 body swallowed", "10 main got None", "15 after" } << 0;
    QTest::newRow("another cancellation pending: CancelledError propagates, not TimeoutError")
        << 10 << Body::Sleeps << 100 << 10
        << QStringList { "10 body cancelled", "10 main got CancelledError()" } << 1;
    QTest::newRow("entered with a cancellation already counted: still TimeoutError")
        << 10 << Body::Sleeps << 100 << -2
        << QStringList { "0 caught", "10 body cancelled", "10 main got TimeoutError()" } << 1;
    QTest::newRow("deadline and the body's sleep due the same ms: the deadline was set first")
        << 10 << Body::Sleeps << 10 << -1
        << QStringList { "10 body cancelled", "10 main got TimeoutError()" } << 0;
}

void tst_Timeout::timeout()
{
    QFETCH(int, delayMs);
    QFETCH(Body, body);
    QFETCH(int, bodyMs);
    QFETCH(int, cancelMainAt);
    QFETCH(QStringList, expected);
    QFETCH(int, mainCancelling);

    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    TimeoutRun run;
    Ref<Task> main
        = spawn(s, withTimeout(s, trace, delayMs, body, bodyMs, &run, cancelMainAt == -2), "main");
    if (cancelMainAt == -2)
        callSoon(s, [&] { main->cancel(); });
    // Set before main's first step, so before the deadline's timer.
    if (cancelMainAt >= 0)
        callLater(s, cancelMainAt, [&] { main->cancel(); });
    QVERIFY(drain(s));
    QCOMPARE(trace.lines(), expected);
    QCOMPARE(main->cancelling(), mainCancelling);
    QCOMPARE(s.timerCount(), size_t(0));
}

void tst_Timeout::timeoutErrorIsRaisedFromTheCancelledError()
{
    // except TimeoutError as e: e.__cause__ -> CancelledError(); e.__context__ is e.__cause__;
    // e.__suppress_context__ -> True; str(e) -> ''
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    TimeoutRun run;
    Ref<Task> main = spawn(s, withTimeout(s, trace, 10, Body::Sleeps, 100, &run), "main");
    QVERIFY(drain(s));
    QVERIFY(run.got != None && run.bodyExc != None);
    const ExceptionRecord &e = log.exception(run.got);
    QCOMPARE(e.type, int(ExceptionTypes::TimeoutError));
    QCOMPARE(log.repr(run.got), QStringLiteral("TimeoutError()"));
    QCOMPARE(log.str(run.got), QString());
    QCOMPARE(e.cause, run.bodyExc);
    QCOMPARE(e.context, run.bodyExc);
    QVERIFY(e.suppressContext);
    QCOMPARE(log.repr(e.cause), QStringLiteral("CancelledError()"));
    QCOMPARE(log.chain(run.got), (std::vector<ExcId> { run.got, run.bodyExc }));
    QVERIFY(PyErrors::isInstance(log, run.got, ExceptionTypes::OSError));
    // The TimeoutError is raised by the timeout, in main.
    bool found = false;
    for (const Event &ev : log.events()) {
        if (ev.kind() == EventKind::ExceptionRaised && ExcId(ev.subject) == run.got) {
            found = true;
            QCOMPARE(RaiseOrigin(ev.detail), RaiseOrigin::Timeout);
            QCOMPARE(ev.argId(), main->lane());
        }
    }
    QVERIFY(found);
}

void tst_Timeout::zeroDelayIsScheduledWithCallSoon_data()
{
    QTest::addColumn<int>("sleepFirstMs"); // how far the clock has moved before entering
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<int>("readyAdded");
    QTest::addColumn<int>("timersAdded");
    QTest::newRow("zero delay at 0: call_soon") << 0 << 0 << 1 << 0;
    QTest::newRow("zero delay at 5: call_soon") << 5 << 0 << 1 << 0;
    QTest::newRow("a delay of 5: a timer") << 0 << 5 << 0 << 1;
}

void tst_Timeout::zeroDelayIsScheduledWithCallSoon()
{
    // timeouts.py reschedule(): a deadline already reached uses loop.call_soon, not call_at.
    // (Observable in the row "zero delay around sleep(0)" above: a timer due now would be
    // appended behind the task's next step and expire too late.)
    QFETCH(int, sleepFirstMs);
    QFETCH(int, delayMs);
    QFETCH(int, readyAdded);
    QFETCH(int, timersAdded);
    EventLog log;
    Scheduler s(log);
    size_t ready = 0;
    size_t timers = 0;
    Ref<Task> main = spawn(s, entersTimeout(s, sleepFirstMs, delayMs, &ready, &timers), "main");
    QVERIFY(drain(s));
    QCOMPARE(int(ready), readyAdded);
    QCOMPARE(int(timers), timersAdded);
    QVERIFY(main->done() && main->exception() == None && !main->cancelled());
}

QTEST_GUILESS_MAIN(tst_Timeout)
#include "tst_timeout.moc"
