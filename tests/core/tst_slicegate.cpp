// SPDX-License-Identifier: MIT
// SliceGate: every job that works in slices shares one budget per pass of the event loop, and a
// new pass (the event loop turning) gives it back.
#include "slicegate.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QtTest>

using namespace Lifeline;

class tst_SliceGate : public QObject
{
    Q_OBJECT
private slots:
    void aFreshPassGivesWhatIsAsked();
    void aSliceGetsWhatThePassHasLeft();
    void aSpentPassGivesNothing();
    void theNextPassOfTheEventLoopGivesAgain();
    void processEventsStartsAPass();
    void aPassNobodyEndedGoesStale();

private:
    // Holds the thread for `ns` without returning to the event loop, as a slice does.
    static void work(qint64 ns)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.nsecsElapsed() < ns) { }
    }
};

void tst_SliceGate::aFreshPassGivesWhatIsAsked()
{
    SliceGate &gate = SliceGate::current();
    QElapsedTimer sincePass;
    gate.newPass();
    sincePass.start();
    const qint64 small = gate.allowance(100'000);
    const qint64 all = gate.allowance();
    QVERIFY(all <= SliceGate::PassNs);
    // Unless this thread lost the CPU for most of a pass between the calls (a loaded machine).
    if (sincePass.nsecsElapsed() < SliceGate::PassNs / 2) {
        QCOMPARE(small, qint64(100'000));
        QVERIFY2(all >= SliceGate::PassNs / 2, qPrintable(QString::number(all)));
    }
}

void tst_SliceGate::aSliceGetsWhatThePassHasLeft()
{
    SliceGate &gate = SliceGate::current();
    QElapsedTimer sincePass;
    gate.newPass();
    sincePass.start();
    work(SliceGate::PassNs / 2);
    const qint64 left = gate.allowance(SliceGate::PassNs);
    QVERIFY2(left <= SliceGate::PassNs / 2, qPrintable(QString::number(left)));
    if (sincePass.nsecsElapsed() < SliceGate::PassNs - 2 * SliceGate::MinSliceNs)
        QVERIFY2(left > 0, "half a pass is left");
}

void tst_SliceGate::aSpentPassGivesNothing()
{
    SliceGate &gate = SliceGate::current();
    gate.newPass();
    work(SliceGate::PassNs + 100'000);
    QCOMPARE(gate.allowance(), qint64(0));
    QCOMPARE(gate.allowance(1'000'000), qint64(0)); // a small ask too: the next pass
}

void tst_SliceGate::theNextPassOfTheEventLoopGivesAgain()
{
    SliceGate &gate = SliceGate::current();
    qint64 inFirst = -1, inSecond = -1;
    QEventLoop loop;
    // The first timer spends its pass; the one it arms runs on a later pass.
    QTimer::singleShot(0, &loop, [&] {
        work(SliceGate::PassNs + 100'000);
        inFirst = gate.allowance();
        QTimer::singleShot(0, &loop, [&] {
            inSecond = gate.allowance();
            loop.quit();
        });
    });
    loop.exec();
    QCOMPARE(inFirst, qint64(0));
    QVERIFY2(inSecond > SliceGate::PassNs / 2, qPrintable(QString::number(inSecond)));
}

void tst_SliceGate::processEventsStartsAPass()
{
    SliceGate &gate = SliceGate::current();
    gate.newPass();
    work(SliceGate::PassNs + 100'000);
    QCOMPARE(gate.allowance(), qint64(0));
    QCoreApplication::processEvents(); // what QTest::qWaitFor does between its looks
    QVERIFY(gate.allowance() > SliceGate::PassNs / 2);
}

void tst_SliceGate::aPassNobodyEndedGoesStale()
{
    // Work outside any event loop (before exec(), in a test's body) must not starve the jobs.
    SliceGate &gate = SliceGate::current();
    gate.newPass();
    work(SliceGate::StalePassNs + 1'000'000);
    QVERIFY(gate.allowance() > SliceGate::PassNs / 2);
}

QTEST_GUILESS_MAIN(tst_SliceGate)
#include "tst_slicegate.moc"
