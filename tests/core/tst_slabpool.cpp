// SPDX-License-Identifier: MIT
// SlabPool hands out distinct aligned blocks, and memory one size class gave back serves
// another: the in-flight benchmark's peak depends on it.
#include "slabpool.h"

#include <QtTest>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

using namespace Lifeline;

class tst_SlabPool : public QObject
{
    Q_OBJECT
private slots:
    void blocksAreAlignedAndDistinct_data();
    void blocksAreAlignedAndDistinct();
    void freedSlabsServeAnotherSize();
    void churnKeepsMemoryNearWhatIsInUse();
    void largeBlocksComeFromMalloc();
};

void tst_SlabPool::blocksAreAlignedAndDistinct_data()
{
    QTest::addColumn<std::vector<int>>("sizes");
    QTest::newRow("one size") << std::vector<int> { 144 };
    QTest::newRow("sizes that round to one class") << std::vector<int> { 129, 136, 144 };
    QTest::newRow("frame, task and future sizes") << std::vector<int> { 80, 144, 176, 192 };
    QTest::newRow("smallest and largest pooled") << std::vector<int> { 8, 1008 };
    QTest::newRow("odd multiples of 8 beside multiples of 16")
        << std::vector<int> { 104, 120, 112, 24 };
}

void tst_SlabPool::blocksAreAlignedAndDistinct()
{
    QFETCH(std::vector<int>, sizes);
    SlabPool pool;
    struct Block
    {
        unsigned char *p;
        int size;
        unsigned char fill;
    };
    std::vector<Block> blocks;
    // Enough of each size to span several slabs, with frees in between so blocks are reused.
    for (int i = 0; i < 3000; ++i) {
        const int size = sizes[size_t(i) % sizes.size()];
        auto *p = static_cast<unsigned char *>(pool.allocate(size_t(size)));
        // What any object of this size can need: 16 for a multiple of 16, else 8.
        const quintptr alignment = (size + 7) / 8 * 8 % 16 == 0 ? 16 : 8;
        QCOMPARE(reinterpret_cast<quintptr>(p) % alignment, quintptr(0));
        const auto fill = static_cast<unsigned char>(i);
        std::memset(p, fill, size_t(size));
        blocks.push_back({ p, size, fill });
        if (i % 3 == 2) {
            const Block gone = blocks[blocks.size() / 2];
            pool.deallocate(gone.p, size_t(gone.size));
            blocks.erase(blocks.begin() + qsizetype(blocks.size() / 2));
        }
    }
    for (const Block &b : blocks) {
        const bool intact
            = std::all_of(b.p, b.p + b.size, [&](unsigned char c) { return c == b.fill; });
        QVERIFY2(intact, "a block was overwritten through another");
    }
    for (const Block &b : blocks)
        pool.deallocate(b.p, size_t(b.size));
}

void tst_SlabPool::freedSlabsServeAnotherSize()
{
    // A run frees every __aenter__ frame, then makes every body frame, of another size.
    constexpr int N = 100000;
    SlabPool pool;
    std::vector<void *> enter(N), body(N);
    for (void *&p : enter)
        p = pool.allocate(144);
    const size_t afterEnter = pool.reservedBytes();
    QVERIFY(afterEnter >= size_t(N) * 144);
    for (void *p : enter)
        pool.deallocate(p, 144);
    QVERIFY(pool.emptySlabCount() * SlabPool::SlabBytes >= afterEnter - 2 * SlabPool::ChunkBytes);

    for (void *&p : body)
        p = pool.allocate(176);
    // Without reuse the pool would hold both sizes' blocks: about 32 MB here, not 18.
    const size_t bodyBytes = size_t(N) * 176;
    QVERIFY2(pool.reservedBytes() <= bodyBytes + bodyBytes / 20 + 2 * SlabPool::ChunkBytes,
             qPrintable(QStringLiteral("%1 bytes reserved for %2 in use")
                            .arg(pool.reservedBytes())
                            .arg(bodyBytes)));
    for (void *p : body)
        pool.deallocate(p, 176);
}

void tst_SlabPool::churnKeepsMemoryNearWhatIsInUse()
{
    // Tasks finishing in random order while new ones start: frees land in full slabs all
    // over the pool, and the pool must reuse them rather than grow.
    constexpr int Live = 50000;
    constexpr size_t Size = 192;
    SlabPool pool;
    std::vector<void *> live(Live);
    for (void *&p : live)
        p = pool.allocate(Size);
    std::mt19937 random(7);
    std::uniform_int_distribution<int> pick(0, Live - 1);
    for (int i = 0; i < 20 * Live; ++i) {
        void *&p = live[size_t(pick(random))];
        pool.deallocate(p, Size);
        p = pool.allocate(Size);
    }
    // A full slab is reused once an eighth of it is free, so at most that much sits idle.
    const size_t inUse = Live * Size;
    QVERIFY2(pool.reservedBytes() <= inUse + inUse / 7 + 2 * SlabPool::ChunkBytes,
             qPrintable(QStringLiteral("%1 bytes reserved for %2 in use")
                            .arg(pool.reservedBytes())
                            .arg(inUse)));
    // And once they are all freed, every slab is there for another size.
    for (void *p : live)
        pool.deallocate(p, Size);
    const size_t reserved = pool.reservedBytes();
    for (void *&p : live)
        p = pool.allocate(144);
    QCOMPARE(pool.reservedBytes(), reserved);
    for (void *p : live)
        pool.deallocate(p, 144);
}

void tst_SlabPool::largeBlocksComeFromMalloc()
{
    SlabPool pool;
    auto *p = static_cast<char *>(pool.allocate(SlabPool::LargestBlock + 1));
    QVERIFY(p);
    std::memset(p, 0x5a, SlabPool::LargestBlock + 1);
    QCOMPARE(pool.reservedBytes(), size_t(0));
    pool.deallocate(p, SlabPool::LargestBlock + 1);
}

QTEST_GUILESS_MAIN(tst_SlabPool)
#include "tst_slabpool.moc"
