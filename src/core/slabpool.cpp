// SPDX-License-Identifier: MIT
#include "slabpool.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace Lifeline {

SlabPool::~SlabPool()
{
    for (void *chunk : m_chunks)
        std::free(chunk);
}

SlabPool::Slab *SlabPool::slabOf(void *p)
{
    return reinterpret_cast<Slab *>(reinterpret_cast<std::uintptr_t>(p) & ~(SlabBytes - 1));
}

void SlabPool::unlink(Slab *&head, Slab *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    s->prev = s->next = nullptr;
}

void SlabPool::pushFront(Slab *&head, Slab *s)
{
    s->prev = nullptr;
    s->next = head;
    if (head)
        head->prev = s;
    head = s;
}

// The current slab of `c` is full (or there is none yet).
void *SlabPool::allocateSlow(SizeClass &c, std::size_t sizeClass)
{
    c.blockSize = unsigned(sizeClass * Granule);
    if (c.current)
        c.current->listed = false; // full: a free into it lists it again
    Slab *s = c.withRoom;
    if (s) {
        unlink(c.withRoom, s);
    } else {
        s = takeEmptySlab();
        s->free = nullptr;
        s->unused = reinterpret_cast<char *>(s) + HeaderBytes;
        s->end = s->unused + (SlabBytes - HeaderBytes) / c.blockSize * c.blockSize;
        s->live = 0;
        const unsigned capacity = unsigned((s->end - s->unused) / c.blockSize);
        s->listAt = capacity - std::max(1u, capacity / 8);
        s->sizeClass = static_cast<unsigned short>(sizeClass);
    }
    s->listed = true;
    c.current = s;
    return allocate(c.blockSize);
}

// A block went back to `s`, which now has room enough to be listed, or is empty.
void SlabPool::slabGainedRoom(Slab *s)
{
    SizeClass &c = m_classes[s->sizeClass];
    if (s == c.current)
        return; // stays where blocks come from, even when empty
    if (s->live == 0) {
        if (s->listed)
            unlink(c.withRoom, s);
        s->listed = true;
        pushFront(m_empty, s);
        return;
    }
    if (!s->listed) {
        s->listed = true;
        pushFront(c.withRoom, s);
    }
}

SlabPool::Slab *SlabPool::takeEmptySlab()
{
    if (Slab *s = m_empty) {
        unlink(m_empty, s);
        return s;
    }
    if (m_fresh == m_freshEnd) {
        void *chunk = std::aligned_alloc(SlabBytes, ChunkBytes);
        if (!chunk)
            throw std::bad_alloc();
        m_chunks.push_back(chunk);
        m_fresh = static_cast<char *>(chunk);
        m_freshEnd = m_fresh + ChunkBytes;
    }
    auto *s = reinterpret_cast<Slab *>(m_fresh);
    m_fresh += SlabBytes;
    s->prev = s->next = nullptr;
    return s;
}

std::size_t SlabPool::emptySlabCount() const
{
    std::size_t n = 0;
    for (const Slab *s = m_empty; s; s = s->next)
        ++n;
    return n;
}

void *SlabPool::allocateLarge(std::size_t size)
{
    if (void *p = std::malloc(size))
        return p;
    throw std::bad_alloc();
}

void SlabPool::deallocateLarge(void *p)
{
    std::free(p);
}

} // namespace Lifeline
