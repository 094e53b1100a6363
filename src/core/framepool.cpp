#include "coro.h"

#include <cstdlib>
#include <new>

namespace Lifeline {

namespace {
// Buckets of 16 bytes up to 1 KiB; larger frames go to malloc. Thread-local because runs in the
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
    ~Pool()
    {
        for (FreeNode *&h : heads) {
            while (h) {
                FreeNode *n = h->next;
                std::free(h);
                h = n;
            }
        }
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
        if (FreeNode *n = t_pool.heads[b]) {
            t_pool.heads[b] = n->next;
            return n;
        }
        if (void *p = std::malloc(b * Granule))
            return p;
        throw std::bad_alloc();
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
