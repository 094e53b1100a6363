// SPDX-License-Identifier: MIT
// AsyncioRunner: asyncio.run(main()) stepped on the scheduler. Its outcome is what asyncio.run
// raises (None when main returns); when main ends, the tasks still running are cancelled in
// creation order and run to their end (runners.py's _cancel_all_tasks).
#include <QTest>

#ifndef Q_MOC_RUN // see coretesthelpers.h
#include "asynciorunner.h"
#include "coretesthelpers.h"
#endif

using namespace Lifeline;
using namespace Lifeline::Test;

namespace {

// async def worker(name, cleanupMs):
//     trace(f"{name} start")
//     try: await asyncio.sleep(0.1)
//     except CancelledError:
//         trace(f"{name} cancelled")
//         if cleanupMs: await asyncio.sleep(cleanupMs); trace(f"{name} cleanup done")
//         raise
Co<ExcId> worker(Scheduler &s, Trace &trace, QString name, qint64 cleanupMs)
{
    Task *self = s.currentTask();
    trace.add(name + QStringLiteral(" start"));
    const ExcId r = co_await SleepAwaiter(self, 100);
    if (r == None)
        co_return None;
    trace.add(name + QStringLiteral(" cancelled"));
    if (cleanupMs > 0) {
        self->pushHandled(r);
        const ExcId again = co_await SleepAwaiter(self, cleanupMs);
        self->popHandled();
        if (again != None)
            co_return again;
        trace.add(name + QStringLiteral(" cleanup done"));
    }
    co_return r;
}

enum class MainEnds { Returns, Raises, CancelsItself };
using Workers = QList<QPair<QString, int>>; // name, cleanup ms

// async def main():
//     for name, cleanup in workers: keep.append(asyncio.create_task(worker(name, cleanup)))
//     await asyncio.sleep(sleepMs); trace("main ends")
//     [raise ValueError('main')] / [current_task().cancel(); await asyncio.sleep(0)]
Co<ExcId> mainBody(Scheduler &s, Trace &trace, Workers workers, qint64 sleepMs, MainEnds ends,
                   std::vector<Ref<Task>> *keep)
{
    Task *self = s.currentTask();
    for (const auto &[name, cleanupMs] : workers)
        keep->push_back(spawn(s, worker(s, trace, name, cleanupMs), name, self->lane()));
    if (sleepMs > 0) {
        const ExcId r = co_await SleepAwaiter(self, sleepMs);
        if (r != None)
            co_return r;
    }
    trace.add(QStringLiteral("main ends"));
    switch (ends) {
    case MainEnds::Returns:
        break;
    case MainEnds::Raises:
        co_return raiseNew(s, ExceptionTypes::ValueError, QStringLiteral("main"));
    case MainEnds::CancelsItself:
        self->cancel();
        co_return co_await SleepAwaiter(self, 0);
    }
    co_return None;
}

bool runToEnd(AsyncioRunner &runner)
{
    for (int guard = 0; guard < 100000; ++guard) {
        if (!runner.step())
            return true;
    }
    return false;
}

} // namespace

Q_DECLARE_METATYPE(MainEnds)
Q_DECLARE_METATYPE(Workers)

class tst_AsyncioRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void run_data();
    void run();
    void outcomeIsTheExceptionMainRaised();
    void finishedRunnerStaysFinished();
};

void tst_AsyncioRunner::run_data()
{
    QTest::addColumn<Workers>("workers");
    QTest::addColumn<MainEnds>("ends");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("outcome"); // repr, or "ok"
    QTest::addColumn<int>("endTime");

    QTest::newRow("main returns: ok")
        << Workers {} << MainEnds::Returns << QStringList { "10 main ends" } << QStringLiteral("ok")
        << 10;
    QTest::newRow("main raises: the outcome is that exception")
        << Workers {} << MainEnds::Raises << QStringList { "10 main ends" }
        << QStringLiteral("ValueError('main')") << 10;
    QTest::newRow("main cancelled: the outcome is CancelledError")
        << Workers {} << MainEnds::CancelsItself << QStringList { "10 main ends" }
        << QStringLiteral("CancelledError()") << 10;
    QTest::newRow("tasks left running are cancelled in creation order and run to their end")
        << Workers { { "t1", 0 }, { "t2", 5 }, { "t3", 0 } } << MainEnds::Returns
        << QStringList { "0 t1 start",      "0 t2 start",        "0 t3 start",
                         "10 main ends",    "10 t1 cancelled",   "10 t2 cancelled",
                         "10 t3 cancelled", "15 t2 cleanup done" }
        << QStringLiteral("ok") << 15;
    QTest::newRow("main raises with a task running: it is cancelled, the outcome stays")
        << Workers { { "t1", 0 } } << MainEnds::Raises
        << QStringList { "0 t1 start", "10 main ends", "10 t1 cancelled" }
        << QStringLiteral("ValueError('main')") << 10;
}

void tst_AsyncioRunner::run()
{
    QFETCH(Workers, workers);
    QFETCH(MainEnds, ends);
    QFETCH(QStringList, expected);
    QFETCH(QString, outcome);
    QFETCH(int, endTime);

    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> keep;
    AsyncioRunner runner(s, mainBody(s, trace, workers, 10, ends, &keep),
                         log.internLabel(QStringLiteral("main()")));
    QVERIFY(runToEnd(runner));
    QVERIFY(runner.isFinished());
    QCOMPARE(trace.lines(), expected);
    QCOMPARE(runner.outcome() == None ? QStringLiteral("ok") : log.repr(runner.outcome()), outcome);
    QCOMPARE(s.time(), endTime);
    for (const Ref<Task> &t : keep)
        QVERIFY(t->cancelled());
    QVERIFY(s.liveTasks().empty());
    QVERIFY(runner.mainTask()->done());
}

void tst_AsyncioRunner::outcomeIsTheExceptionMainRaised()
{
    // try: asyncio.run(main()) except ValueError as e: e is the object main raised
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> keep;
    AsyncioRunner runner(s, mainBody(s, trace, {}, 0, MainEnds::Raises, &keep),
                         log.internLabel(QStringLiteral("main()")));
    QVERIFY(runToEnd(runner));
    QVERIFY(runner.outcome() != None);
    QCOMPARE(runner.outcome(), runner.mainTask()->exception());
    QCOMPARE(s.time(), 0);
}

void tst_AsyncioRunner::finishedRunnerStaysFinished()
{
    EventLog log;
    Scheduler s(log);
    Trace trace(s);
    std::vector<Ref<Task>> keep;
    AsyncioRunner runner(s, mainBody(s, trace, {}, 5, MainEnds::Returns, &keep),
                         log.internLabel(QStringLiteral("main()")));
    QVERIFY(!runner.isFinished());
    QVERIFY(runToEnd(runner));
    const size_t events = log.count();
    QVERIFY(!runner.step());
    QVERIFY(!runner.step());
    QVERIFY(runner.isFinished());
    QCOMPARE(log.count(), events);
    QCOMPARE(runner.outcome(), None);
}

QTEST_GUILESS_MAIN(tst_AsyncioRunner)
#include "tst_asynciorunner.moc"
