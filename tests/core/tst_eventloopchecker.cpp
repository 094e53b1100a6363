// SPDX-License-Identifier: MIT
// EventLoopChecker, the helper GUI tests use to prove the event loop stayed live: it must tell a
// live loop from a blocked one. A real QTimer loop is the thing under test here, so this is the
// one core test that runs in wall time (QTRY_*, a deliberate block); thresholds are wide so a
// loaded machine cannot flip the verdict.
#include "eventloopchecker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTest>
#include <QThread>

#include <atomic>
#include <ctime>
#include <thread>
#include <vector>

using namespace Lifeline::Test;

namespace {

// Keeps the thread busy without returning to the event loop.
void blockFor(qint64 ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) { }
}

// Keeps the thread busy until it has had `ms` of CPU time, however busy the machine is.
void workFor(qint64 ms)
{
    auto cpuNs = [] {
        timespec t = {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
    };
    const qint64 until = cpuNs() + ms * 1'000'000;
    while (cpuNs() < until) { }
}

constexpr qint64 BlockMs = 400;

} // namespace

class tst_EventLoopChecker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void liveLoopTicks();
    void blockedLoopShowsAsOneLongGap();
    void blockUntilStopIsCounted();
    void startResets();
    void busyTimeIsTheLoopsOwnWork();
    void waitingForACpuIsCounted();
};

void tst_EventLoopChecker::liveLoopTicks()
{
    EventLoopChecker checker;
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 20, 10000);
    checker.stop();
    QVERIFY2(checker.longestGapMs() < BlockMs, qPrintable(QString::number(checker.longestGapMs())));
    QVERIFY(checker.stayedResponsive(20, BlockMs));
}

void tst_EventLoopChecker::blockedLoopShowsAsOneLongGap()
{
    EventLoopChecker checker;
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 3, 10000);
    const int before = checker.ticks();
    blockFor(BlockMs);
    QCOMPARE(checker.ticks(), before); // nothing ticks while the loop is blocked
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() > before, 10000);
    checker.stop();
    QVERIFY2(checker.longestGapMs() >= BlockMs,
             qPrintable(QString::number(checker.longestGapMs())));
    QVERIFY(!checker.stayedResponsive(1, BlockMs));
}

void tst_EventLoopChecker::blockUntilStopIsCounted()
{
    // A loop blocked from start to stop never ticks; the whole span is the gap.
    EventLoopChecker checker;
    checker.start();
    blockFor(BlockMs);
    checker.stop();
    QCOMPARE(checker.ticks(), 0);
    QVERIFY(checker.longestGapMs() >= BlockMs);
    QVERIFY(!checker.stayedResponsive(1, BlockMs * 10));
}

void tst_EventLoopChecker::startResets()
{
    EventLoopChecker checker;
    checker.start();
    blockFor(BlockMs);
    checker.stop();
    QVERIFY(checker.longestGapMs() >= BlockMs);
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 5, 10000);
    checker.stop();
    QVERIFY(checker.longestGapMs() < BlockMs);
}

void tst_EventLoopChecker::busyTimeIsTheLoopsOwnWork()
{
    // Working without returning to the loop counts; being off the CPU (asleep here, as when the
    // machine runs other processes) does not.
    EventLoopChecker checker;
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 3, 10000);
    QThread::msleep(BlockMs);
    QTRY_VERIFY_WITH_TIMEOUT(checker.ticks() >= 6, 10000);
    checker.stop();
    QVERIFY(checker.longestGapMs() >= BlockMs);
    QVERIFY2(checker.longestBusyMs() < BlockMs / 4,
             qPrintable(QString::number(checker.longestBusyMs())));
    checker.start();
    workFor(BlockMs);
    checker.stop();
    QVERIFY2(checker.longestBusyMs() >= BlockMs,
             qPrintable(QString::number(checker.longestBusyMs())));
    QVERIFY(checker.longestGapMs() >= BlockMs);
}

void tst_EventLoopChecker::waitingForACpuIsCounted()
{
    // More spinning threads than cores: the loop's thread, working through a long gap, is made
    // to wait for a CPU some of the time, and the checker says how long.
    std::atomic<bool> spin { true };
    std::vector<std::thread> spinners;
    for (int i = 0; i <= QThread::idealThreadCount(); ++i)
        spinners.emplace_back([&spin] {
            while (spin.load(std::memory_order_relaxed)) { }
        });
    EventLoopChecker checker;
    checker.start();
    workFor(BlockMs / 2);
    checker.stop();
    spin = false;
    for (std::thread &t : spinners)
        t.join();
    QVERIFY(checker.longestGapMs() >= BlockMs / 2);
#if defined(Q_OS_LINUX)
    // Known wherever the kernel keeps scheduler statistics (it does here and on the CI's machines).
    QFile schedstat(QStringLiteral("/proc/thread-self/schedstat"));
    QVERIFY(schedstat.open(QIODevice::ReadOnly));
    if (schedstat.readAll().split(' ').value(0).toLongLong() == 0) {
        QCOMPARE(checker.longestGapWaitMs(), qint64(-1));
        return;
    }
    QVERIFY2(checker.longestGapWaitMs() > 0,
             qPrintable(QString::number(checker.longestGapWaitMs())));
    QVERIFY(checker.longestGapWaitMs() < checker.longestGapMs());
#else
    QCOMPARE(checker.longestGapWaitMs(), qint64(-1)); // not known here
#endif
}

QTEST_GUILESS_MAIN(tst_EventLoopChecker)
#include "tst_eventloopchecker.moc"
