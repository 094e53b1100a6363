// SPDX-License-Identifier: MIT
// EventIndex: the inspector's events per lane and per exception. Reading a key's entries
// gives exactly the events added for it, in order, including ones added after a reader
// reached the end (a live run), and ignores keys below zero.

#include "eventindex.h"

#include <QTest>

#include <map>
#include <random>
#include <vector>

using namespace Lifeline;

class tst_EventIndex : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entriesPerKeyInOrder();
    void readerResumesAfterLaterAdds();
    void negativeAndUnknownKeys();
};

namespace {
std::vector<quint32> readAll(const EventIndex &index, qint32 key)
{
    std::vector<quint32> out;
    for (quint32 e = index.next(key, EventIndex::End); e != EventIndex::End; e = index.next(key, e))
        out.push_back(index.event(e));
    return out;
}
} // namespace

void tst_EventIndex::entriesPerKeyInOrder()
{
    EventIndex index;
    std::map<qint32, std::vector<quint32>> expected;
    std::mt19937 rng(5);
    for (quint32 event = 0; event < 50000; ++event) {
        // Some events concern two keys, as a phase does its instance and its task.
        const qint32 key = qint32(rng() % 3000);
        index.add(key, event);
        expected[key].push_back(event);
        if (event % 3 == 0) {
            const qint32 other = qint32(rng() % 3000);
            index.add(other, event);
            expected[other].push_back(event);
        }
    }
    for (const auto &[key, events] : expected)
        QCOMPARE(readAll(index, key), events);
    index.clear();
    QVERIFY(readAll(index, expected.begin()->first).empty());
}

void tst_EventIndex::readerResumesAfterLaterAdds()
{
    EventIndex index;
    index.add(7, 1);
    index.add(7, 4);
    quint32 last = EventIndex::End;
    std::vector<quint32> seen;
    for (quint32 e = index.next(7, last); e != EventIndex::End; e = index.next(7, e)) {
        seen.push_back(index.event(e));
        last = e;
    }
    index.add(2, 5);
    index.add(7, 9);
    for (quint32 e = index.next(7, last); e != EventIndex::End; e = index.next(7, e))
        seen.push_back(index.event(e));
    QCOMPARE(seen, (std::vector<quint32> { 1, 4, 9 }));
}

void tst_EventIndex::negativeAndUnknownKeys()
{
    EventIndex index;
    index.add(-1, 3);
    QCOMPARE(index.next(-1, EventIndex::End), EventIndex::End);
    QCOMPARE(index.next(100, EventIndex::End), EventIndex::End);
    index.add(0, 3);
    QCOMPARE(readAll(index, 0), (std::vector<quint32> { 3 }));
}

QTEST_GUILESS_MAIN(tst_EventIndex)
#include "tst_eventindex.moc"
