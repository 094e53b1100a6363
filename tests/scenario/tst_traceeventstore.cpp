// SPDX-License-Identifier: MIT
// TraceEventStore must give back exactly the events it was given, read forwards (as a replay
// and a live trace's replay read them) or by index, whatever their values, and keep a traced
// program's lifecycles in a few bytes each: the reason it exists.
#include "traceeventstore.h"

#include <QtTest>

#include <random>
#include <vector>

using namespace Lifeline;

Q_DECLARE_METATYPE(std::vector<TraceEvent>)

namespace {

TraceEvent traceEvent(qint64 time, EventKind kind, quint8 detail, quint32 subject, quint32 arg)
{
    TraceEvent e;
    e.time = time;
    e.kind = kind;
    e.detail = detail;
    e.subject = subject;
    e.arg = arg;
    return e;
}

// lifecycles.py under --virtual-clock: an instance lane each, acquire, ready, release and
// released in one millisecond, the next lifecycle a millisecond later.
std::vector<TraceEvent> lifecycles(int count)
{
    std::vector<TraceEvent> events;
    const quint32 none = quint32(None);
    for (int i = 0; i < count; ++i) {
        const quint32 lane = quint32(i + 1);
        const qint64 t = qint64(i) * 1'000'000;
        events.push_back(traceEvent(t, EventKind::PhaseBegan, quint8(Phase::Acquire), lane, none));
        events.push_back(traceEvent(t, EventKind::PhaseBegan, quint8(Phase::Ready), lane, none));
        events.push_back(traceEvent(t, EventKind::PhaseBegan, quint8(Phase::Release), lane, none));
        events.push_back(
            traceEvent(t, EventKind::InstanceEnded, quint8(LifecycleState::Released), lane, none));
    }
    return events;
}

std::vector<TraceEvent> randomEvents(int count, quint32 seed)
{
    std::mt19937_64 random(seed);
    std::vector<TraceEvent> events;
    qint64 time = 0;
    for (int i = 0; i < count; ++i) {
        time += qint64(random() % 5'000'000);
        const quint32 subject = random() % 4 == 0 ? quint32(None) : quint32(random() % 3'000'000);
        const quint32 arg = random() % 2 ? quint32(None) : quint32(random());
        events.push_back(traceEvent(time, EventKind(random() % (int(EventKind::TaskJoined) + 1)),
                                    quint8(random() % 16), subject, arg));
    }
    return events;
}

} // namespace

class tst_TraceEventStore : public QObject
{
    Q_OBJECT
private slots:
    void givesBackWhatItWasGiven_data();
    void givesBackWhatItWasGiven();
    void readerAtTheEndGoesOnAsItGrows();
    void findLastSearchesBackwards();
    void lifecyclesTakeAFewBytesAnEvent();
};

void tst_TraceEventStore::givesBackWhatItWasGiven_data()
{
    QTest::addColumn<std::vector<TraceEvent>>("events");
    QTest::newRow("empty") << std::vector<TraceEvent>();
    QTest::newRow("one event") << lifecycles(1);
    QTest::newRow("lifecycles across chunks") << lifecycles(40'000);
    QTest::newRow("random values") << randomEvents(5'000, 7);
    const quint32 none = quint32(None);
    QTest::newRow("extremes") << std::vector<TraceEvent> {
        traceEvent(0, EventKind::TaskCreated, 0, 0, none),
        traceEvent(std::numeric_limits<qint64>::max(), EventKind::TaskEnded, 2, none, 0),
        traceEvent(0, EventKind::Printed, 0, 0xFFFFFFFEu, 0xFFFFFFFEu),
        traceEvent(-5, EventKind::StepBegan, 15, 1, 1),
    };
    // A time going back, and a detail past a nibble: never in a trace file, kept all the same.
    QTest::newRow("time going back") << std::vector<TraceEvent> {
        traceEvent(50, EventKind::TaskStarted, 0, 3, none),
        traceEvent(20, EventKind::TaskStarted, 0, 4, none),
    };
    QTest::newRow("detail past a nibble") << std::vector<TraceEvent> {
        traceEvent(1, EventKind::ExceptionHop, 200, 3, 4),
        traceEvent(2, EventKind(15), 0, 3, 4),
        traceEvent(3, EventKind::ExceptionHop, 1, 3, 4),
    };
}

void tst_TraceEventStore::givesBackWhatItWasGiven()
{
    QFETCH(std::vector<TraceEvent>, events);
    TraceEventStore store;
    for (const TraceEvent &e : events)
        store.push_back(e);
    QCOMPARE(store.size(), events.size());
    QCOMPARE(store.empty(), events.empty());
    if (!events.empty())
        QVERIFY(store.back() == events.back());

    TraceEventStore::Cursor cursor;
    TraceEvent e;
    for (size_t i = 0; i < events.size(); ++i) {
        QCOMPARE(cursor.index(), i);
        QVERIFY(store.read(&cursor, &e));
        QVERIFY2(e == events[i], qPrintable(QStringLiteral("event %1 read forwards").arg(i)));
    }
    QVERIFY(!store.read(&cursor, &e));
    for (size_t i = events.size(); i-- > 0;)
        QVERIFY2(store[i] == events[i], qPrintable(QStringLiteral("event %1 by index").arg(i)));
}

void tst_TraceEventStore::readerAtTheEndGoesOnAsItGrows()
{
    // A live trace: the replay reads everything received, then more arrives, past chunk ends.
    const std::vector<TraceEvent> events = randomEvents(20'000, 11);
    TraceEventStore store;
    TraceEventStore::Cursor cursor;
    TraceEvent e;
    size_t given = 0;
    std::mt19937 random(3);
    while (given < events.size()) {
        const size_t burst = std::min(events.size() - given, size_t(random() % 300));
        for (size_t i = 0; i < burst; ++i)
            store.push_back(events[given++]);
        while (store.read(&cursor, &e))
            QVERIFY(e == events[cursor.index() - 1]);
        QCOMPARE(cursor.index(), given);
    }
}

void tst_TraceEventStore::findLastSearchesBackwards()
{
    const std::vector<TraceEvent> events = lifecycles(1000);
    TraceEventStore store;
    for (const TraceEvent &e : events)
        store.push_back(e);
    const auto lane = [](quint32 l) { return [l](const TraceEvent &e) { return e.subject == l; }; };
    // Lane 500's last event is its InstanceEnded, event 4 × 499 + 3.
    const std::optional<TraceEvent> found = store.findLast(lane(500));
    QVERIFY(found);
    QVERIFY(*found == events[4 * 499 + 3]);
    QVERIFY(store.findLast(lane(1))); // in the first checkpoint's events
    QVERIFY(!store.findLast(lane(5000)));
    QVERIFY(!TraceEventStore().findLast(lane(1)));
}

void tst_TraceEventStore::lifecyclesTakeAFewBytesAnEvent()
{
    // As a TraceEvent each was 24 bytes, kept beside the event log's copy.
    const std::vector<TraceEvent> events = lifecycles(100'000);
    TraceEventStore store;
    for (const TraceEvent &e : events)
        store.push_back(e);
    const double perEvent = double(store.memoryUsage()) / double(events.size());
    QVERIFY2(perEvent <= 6, qPrintable(QStringLiteral("%1 bytes an event").arg(perEvent)));
}

QTEST_GUILESS_MAIN(tst_TraceEventStore)
#include "tst_traceeventstore.moc"
