// SPDX-License-Identifier: MIT
#include "framepool.h"

#include "slabpool.h"

#include <new>

namespace Lifeline {

#if defined(__SANITIZE_ADDRESS__)
void *FramePool::allocate(std::size_t size)
{
    return ::operator new(size);
}
void FramePool::deallocate(void *p, std::size_t)
{
    ::operator delete(p);
}
std::size_t FramePool::reservedBytes()
{
    return 0;
}
#else
namespace {
thread_local SlabPool t_pool;
} // namespace

void *FramePool::allocate(std::size_t size)
{
    return t_pool.allocate(size);
}
void FramePool::deallocate(void *p, std::size_t size)
{
    t_pool.deallocate(p, size);
}
std::size_t FramePool::reservedBytes()
{
    return t_pool.reservedBytes();
}
#endif

} // namespace Lifeline
