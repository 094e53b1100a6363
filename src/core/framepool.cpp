#include "coro.h"

#include <cstdlib>
#include <new>
#include <vector>

namespace Lifeline {

namespace {
// Buckets of 16 bytes up to 1 KiB, carved from slabs; larger frames go to malloc. Memory
// goes back to the system when the thread ends. Thread-local because runs in the
// app may happen on worker threads, each engine confined to one.
constexpr std::size_t Granule = 16;
constexpr std::size_t BucketCount = 64;

struct FreeNode
{
    FreeNode *next;
};

struct Pool
{
    FreeNode *heads[BucketCount] = {};
    std::vector<void *> slabs;
    ~Pool()
    {
        for (void *slab : slabs)
            std::free(slab);
    }
    // Carves a fresh 64 KiB slab into blocks of one size: one malloc per ~thousand frames.
    FreeNode *refill(std::size_t bucket)
    {
        constexpr std::size_t SlabBytes = 64 * 1024;
        const std::size_t block = bucket * Granule;
        char *slab = static_cast<char *>(std::malloc(SlabBytes));
        if (!slab)
            throw std::bad_alloc();
        slabs.push_back(slab);
        FreeNode *head = nullptr;
        for (std::size_t off = (SlabBytes / block - 1) * block;; off -= block) {
            auto *n = reinterpret_cast<FreeNode *>(slab + off);
            n->next = head;
            head = n;
            if (off == 0)
                break;
        }
        return head;
    }
};

thread_local Pool t_pool;

std::size_t bucketOf(std::size_t size) { return (size + Granule - 1) / Granule; }
} // namespace

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer every frame is its own allocation, so use-after-free stays visible.
void *FramePool::allocate(std::size_t size) { return ::operator new(size); }
void FramePool::deallocate(void *p, std::size_t) { ::operator delete(p); }
#else
void *FramePool::allocate(std::size_t size)
{
    const std::size_t b = bucketOf(size);
    if (b < BucketCount) {
        FreeNode *n = t_pool.heads[b];
        if (!n)
            n = t_pool.refill(b);
        t_pool.heads[b] = n->next;
        return n;
    }
    if (void *p = std::malloc(size))
        return p;
    throw std::bad_alloc();
}

void FramePool::deallocate(void *p, std::size_t size)
{
    const std::size_t b = bucketOf(size);
    if (b < BucketCount) {
        auto *n = static_cast<FreeNode *>(p);
        n->next = t_pool.heads[b];
        t_pool.heads[b] = n;
        return;
    }
    std::free(p);
}
#endif

} // namespace Lifeline
