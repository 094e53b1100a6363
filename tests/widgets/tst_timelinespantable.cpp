// TimelineSpanTable's searches against the obvious linear answer: near and far (across the
// block index), repeated starts, and the ends of the table.
#include "timelinespantable.h"

#include <QTest>

using namespace Lifeline;

class tst_TimelineSpanTable : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nextIndexMatchesLinearSearch_data();
    void nextIndexMatchesLinearSearch();
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
        for (double time : { -1.0, 0.0, 0.5, double(gap), last / 3, last / 2 + 0.5, last - 1,
                             last, last + 1 }) {
            const qsizetype from0 = std::min<qsizetype>(from, linearNext(table, 0, time));
            QCOMPARE(table.nextIndex(from0, time), linearNext(table, from0, time));
        }
    }
}

QTEST_GUILESS_MAIN(tst_TimelineSpanTable)
#include "tst_timelinespantable.moc"
