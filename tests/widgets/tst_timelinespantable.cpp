// SPDX-License-Identifier: MIT
// TimelineSpanTable's searches against the obvious linear answer: near and far (across the
// block index), repeated starts, and the ends of the table; and its level-of-detail answers
// after spans close in place, against a table built with the final spans.
#include "timelinespantable.h"

#include <QTest>

using namespace Lifeline;

class tst_TimelineSpanTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nextIndexMatchesLinearSearch_data();
    void nextIndexMatchesLinearSearch();
    void closingSpansKeepsSummariesRight_data();
    void closingSpansKeepsSummariesRight();
    void eachPhaseOpensItsOwnSpanKind();
};

namespace {

// `count` spans; every `repeat` consecutive spans share a start, starts `gap` ms apart.
TimelineSpanTable makeTable(int count, int repeat, int gap)
{
    TimelineSpanTable table(TimelineSpanTable::Summary::LatestEnd);
    for (int i = 0; i < count; ++i) {
        TimelineSpan s {};
        s.start = qint64(i / repeat) * gap;
        s.end = s.start + 5;
        s.event = quint32(i);
        table.append(s);
    }
    table.refreshSummary();
    return table;
}

qsizetype linearNext(const TimelineSpanTable &table, qsizetype from, double time)
{
    qsizetype i = from;
    while (i < table.count() && double(table.start(i)) < time)
        ++i;
    return i;
}

} // namespace

void tst_TimelineSpanTable::nextIndexMatchesLinearSearch_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("repeat");
    QTest::addColumn<int>("gap");
    QTest::newRow("empty") << 0 << 1 << 1;
    QTest::newRow("shorter than a block") << 40 << 1 << 3;
    QTest::newRow("a few blocks, distinct starts") << 1000 << 1 << 2;
    QTest::newRow("runs of equal starts across block edges") << 5000 << 70 << 1;
    QTest::newRow("many blocks, gaps between starts") << 20000 << 3 << 10;
}

void tst_TimelineSpanTable::nextIndexMatchesLinearSearch()
{
    QFETCH(int, count);
    QFETCH(int, repeat);
    QFETCH(int, gap);
    const TimelineSpanTable table = makeTable(count, repeat, gap);
    const double last = count ? double(table.start(count - 1)) : 0;
    // Froms on and around block edges; times before, inside, between and after the starts.
    for (qsizetype from : { 0, 1, 63, 64, 65, 127, 128, 500, count / 2, count - 1, count }) {
        if (from < 0 || from > count)
            continue;
        for (double time :
             { -1.0, 0.0, 0.5, double(gap), last / 3, last / 2 + 0.5, last - 1, last, last + 1 }) {
            const qsizetype from0 = std::min<qsizetype>(from, linearNext(table, 0, time));
            QCOMPARE(table.nextIndex(from0, time), linearNext(table, from0, time));
        }
    }
}

void tst_TimelineSpanTable::closingSpansKeepsSummariesRight_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("closesPerRound");
    QTest::newRow("a few closes between refreshes") << 3000 << 7;
    QTest::newRow("closes in bulk (one pass from the first)") << 3000 << 900;
}

void tst_TimelineSpanTable::closingSpansKeepsSummariesRight()
{
    QFETCH(int, count);
    QFETCH(int, closesPerRound);
    // Every span starts open (a summary of overlapping lifecycles); rounds close some of them,
    // spread over the table, and append more, refreshing after each round.
    TimelineSpanTable table(TimelineSpanTable::Summary::LatestEnd);
    std::vector<qint64> ends;
    quint32 seed = 12345;
    auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    auto append = [&](int i) {
        TimelineSpan s {};
        s.start = i / 3;
        s.end = TimelineSpan::OpenEnd;
        s.event = quint32(i);
        table.append(s);
        ends.push_back(TimelineSpan::OpenEnd);
    };
    for (int i = 0; i < count; ++i)
        append(i);
    table.refreshSummary();
    for (int round = 0; round < 5; ++round) {
        for (int k = 0; k < closesPerRound; ++k) {
            const qsizetype i = qsizetype(next() % quint32(table.count()));
            if (ends[size_t(i)] != TimelineSpan::OpenEnd)
                continue;
            ends[size_t(i)] = table.start(i) + qint64(next() % 500);
            table.close(i, ends[size_t(i)], SpanEnd::Released);
        }
        for (int i = 0; i < 100; ++i)
            append(int(table.count()));
        table.refreshSummary();
    }
    TimelineSpanTable fresh(TimelineSpanTable::Summary::LatestEnd);
    for (qsizetype i = 0; i < table.count(); ++i) {
        TimelineSpan s = table.at(i);
        s.end = ends[size_t(i)];
        fresh.append(s);
    }
    fresh.refreshSummary();
    for (int k = 0; k < 2000; ++k) {
        qsizetype a = qsizetype(next() % quint32(table.count()));
        qsizetype b = qsizetype(next() % quint32(table.count() + 1));
        if (a > b)
            std::swap(a, b);
        QCOMPARE(table.representative(a, b), fresh.representative(a, b));
    }
    QCOMPARE(table.representative(0, table.count()), fresh.representative(0, fresh.count()));
}

void tst_TimelineSpanTable::eachPhaseOpensItsOwnSpanKind()
{
    const std::pair<Phase, SpanKind> expected[] = {
        { Phase::Acquire, SpanKind::Acquire },
        { Phase::Ready, SpanKind::Ready },
        { Phase::Execute, SpanKind::Execute },
        { Phase::Release, SpanKind::Release },
    };
    QCOMPARE(int(std::size(expected)), PhaseCount);
    for (const auto &[phase, kind] : expected) {
        QCOMPARE(spanKindOf(phase), kind);
        QVERIFY(isInstancePhase(kind));
        QCOMPARE(phaseOf(kind), phase);
    }
    // A task's spans are never taken for an instance's phase (a tooltip's "cancelled while ...").
    for (int k = PhaseCount; k < SpanKindCount; ++k)
        QVERIFY(!isInstancePhase(SpanKind(k)));
}

QTEST_GUILESS_MAIN(tst_TimelineSpanTable)
#include "tst_timelinespantable.moc"
