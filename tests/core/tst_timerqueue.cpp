// SPDX-License-Identifier: MIT
// TimerQueue must pop in exactly the order of BaseEventLoop's heap under the virtual clock's
// tie rule: by due time, then by the order the timers were scheduled.
#include "timerqueue.h"

#include <QtTest>

#include <map>
#include <random>

using namespace Lifeline;

class tst_TimerQueue : public QObject
{
    Q_OBJECT
private slots:
    void equalTimesPopInScheduleOrder();
    void earlierTimeScheduledLaterComesFirst();
    void matchesOrderedReference_data();
    void matchesOrderedReference();
    void drainReleasesEveryHandle();
};

void tst_TimerQueue::equalTimesPopInScheduleOrder()
{
    TimerQueue q;
    for (quint32 h = 0; h < 5; ++h)
        q.push(10, h);
    QCOMPARE(q.size(), size_t(5));
    for (quint32 h = 0; h < 5; ++h) {
        QCOMPARE(q.frontWhen(), 10);
        QCOMPARE(q.front(), h);
        q.pop();
    }
    QVERIFY(q.isEmpty());
}

void tst_TimerQueue::earlierTimeScheduledLaterComesFirst()
{
    TimerQueue q;
    q.push(100, 1);
    q.push(50, 2);
    q.push(100, 3);
    q.push(50, 4);
    const quint32 expected[] = { 2, 4, 1, 3 };
    for (quint32 h : expected) {
        QCOMPARE(q.front(), h);
        q.pop();
    }
    QVERIFY(q.isEmpty());
}

void tst_TimerQueue::matchesOrderedReference_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("distinctTimes");
    QTest::newRow("few times") << 1 << 4;
    QTest::newRow("many times") << 2 << 5000;
    QTest::newRow("mixed") << 3 << 60;
    // A sleeping loop's shape: nearly every timer has a time of its own, so the table of
    // times grows, and entries are removed from the middle of its probe runs.
    QTest::newRow("a time per timer") << 4 << 1000000;
}

void tst_TimerQueue::matchesOrderedReference()
{
    // Interleaves pushes and pops the way a run does (timers added while others are due).
    QFETCH(int, seed);
    QFETCH(int, distinctTimes);
    std::mt19937 rng(seed);
    TimerQueue q;
    std::map<std::pair<qint64, quint64>, quint32> reference;
    quint64 seq = 0;
    qint64 now = 0;
    for (int round = 0; round < 20000; ++round) {
        if (rng() % 3 != 0 || reference.empty()) {
            const qint64 when = now + qint64(rng() % quint32(distinctTimes));
            const quint32 handle = quint32(round);
            q.push(when, handle);
            reference.emplace(std::make_pair(when, seq++), handle);
        } else {
            const auto first = reference.begin();
            QCOMPARE(q.frontWhen(), first->first.first);
            QCOMPARE(q.front(), first->second);
            now = first->first.first;
            q.pop();
            reference.erase(first);
        }
        QCOMPARE(q.size(), reference.size());
    }
}

void tst_TimerQueue::drainReleasesEveryHandle()
{
    TimerQueue q;
    for (quint32 h = 0; h < 100; ++h)
        q.push(qint64(h % 7), h);
    q.pop();
    QSet<quint32> released;
    q.drain([&](quint32 h) { released.insert(h); });
    QCOMPARE(released.size(), 99);
    QVERIFY(q.isEmpty());
    q.push(3, 1000); // usable again
    QCOMPARE(q.front(), 1000u);
}

QTEST_APPLESS_MAIN(tst_TimerQueue)
#include "tst_timerqueue.moc"
