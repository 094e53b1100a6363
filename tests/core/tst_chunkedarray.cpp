// SPDX-License-Identifier: MIT
// ChunkedArray: the timeline's tables. Elements keep their addresses once the array is past
// its first chunk, indexing agrees with a std::vector fed the same values across chunk
// boundaries, and move-only elements with owned memory are moved and destroyed exactly once.

#include "chunkedarray.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace Lifeline;

namespace {

// Counts live instances, so a leak or a double destruction shows.
struct Tracked
{
    static inline int live = 0;
    std::unique_ptr<int> value;
    Tracked()
        : value(std::make_unique<int>(-1))
    {
        ++live;
    }
    explicit Tracked(int v)
        : value(std::make_unique<int>(v))
    {
        ++live;
    }
    Tracked(Tracked &&other) noexcept
        : value(std::move(other.value))
    {
        ++live;
    }
    ~Tracked() { --live; }
};

} // namespace

class tst_ChunkedArray : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesAVectorAcrossChunks_data();
    void matchesAVectorAcrossChunks();
    void elementsStayPutPastTheFirstChunk();
    void moveOnlyElementsAreOwnedOnce();
    void resizeAndReserve();
    void moveLeavesTheSourceEmpty();
};

void tst_ChunkedArray::matchesAVectorAcrossChunks_data()
{
    QTest::addColumn<int>("count");
    for (int n : { 0, 1, 3, 15, 16, 17, 31, 32, 33, 1000, 4097 })
        QTest::addRow("%d", n) << n;
}

void tst_ChunkedArray::matchesAVectorAcrossChunks()
{
    QFETCH(int, count);
    ChunkedArray<qint64, 4> array; // chunks of 16, so small counts cross many of them
    std::vector<qint64> expected;
    for (int i = 0; i < count; ++i) {
        const qint64 v = qint64(i) * 7919 % 1009;
        array.push_back(v);
        expected.push_back(v);
    }
    QCOMPARE(array.size(), expected.size());
    QCOMPARE(array.empty(), expected.empty());
    for (size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(array[i], expected[i]);
    if (count)
        QCOMPARE(array.back(), expected.back());
    QVERIFY(array.memoryUsage() >= expected.size() * sizeof(qint64));
}

void tst_ChunkedArray::elementsStayPutPastTheFirstChunk()
{
    ChunkedArray<int, 4> array;
    for (int i = 0; i < 16; ++i)
        array.push_back(i);
    std::vector<const int *> addresses;
    for (int i = 0; i < 16; ++i)
        addresses.push_back(&array[size_t(i)]);
    for (int i = 16; i < 500; ++i)
        array.push_back(i);
    for (int i = 0; i < 16; ++i) {
        QCOMPARE(&array[size_t(i)], addresses[size_t(i)]);
        QCOMPARE(array[size_t(i)], i);
    }
    const int *late = &array[300];
    for (int i = 500; i < 2000; ++i)
        array.push_back(i);
    QCOMPARE(&array[300], late);
}

void tst_ChunkedArray::moveOnlyElementsAreOwnedOnce()
{
    Tracked::live = 0;
    {
        ChunkedArray<Tracked, 3> array;
        for (int i = 0; i < 100; ++i)
            array.emplace_back(i);
        QCOMPARE(Tracked::live, 100);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(*array[size_t(i)].value, i);
        array.clear();
        QCOMPARE(Tracked::live, 0);
        QVERIFY(array.empty());
        array.emplace_back(5);
        QCOMPARE(*array[0].value, 5);
    }
    QCOMPARE(Tracked::live, 0);
}

void tst_ChunkedArray::resizeAndReserve()
{
    ChunkedArray<Tracked, 4> array;
    array.reserve(10);
    QCOMPARE(array.size(), size_t(0));
    array.resize(40);
    QCOMPARE(array.size(), size_t(40));
    QCOMPARE(*array[39].value, -1);
    array.resize(20); // never shrinks
    QCOMPARE(array.size(), size_t(40));
}

void tst_ChunkedArray::moveLeavesTheSourceEmpty()
{
    ChunkedArray<int, 4> a;
    for (int i = 0; i < 50; ++i)
        a.push_back(i);
    ChunkedArray<int, 4> b(std::move(a));
    QVERIFY(a.empty());
    QCOMPARE(b.size(), size_t(50));
    QCOMPARE(b[49], 49);
    a = std::move(b);
    QCOMPARE(a.size(), size_t(50));
    QCOMPARE(a[17], 17);
    QVERIFY(b.empty());
}

QTEST_GUILESS_MAIN(tst_ChunkedArray)
#include "tst_chunkedarray.moc"
