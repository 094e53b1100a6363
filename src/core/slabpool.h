// SPDX-License-Identifier: MIT
#pragma once
// Memory for objects made and freed by the million on one thread: coroutine frames, tasks and
// futures. Blocks of a size class come from 64 KiB slabs, each slab keeping its own free list,
// and a slab whose blocks are all freed goes back to a shared list for any size class to carve
// anew. That last part is the point: a run's phases free one frame shape en masse and then need
// another (every __aenter__'s frame is gone before any body's is made), and a pool whose size
// classes never share memory would hold both at once.
// Not thread-safe; one pool per thread (FramePool). Memory goes back to malloc only when the
// pool is destroyed.
// (Tried and not kept: a per-class cache of the last blocks freed, and slab headers kept
// apart from their slabs against cache-set aliasing; neither changed the benchmarks' times.)

#include <cstddef>
#include <vector>

namespace Lifeline {

class SlabPool
{
public:
    // Size classes: 8, 16, 24, ... bytes. A block is as aligned as anything of its size can
    // need: a type aligned to 16 has a size that is a multiple of 16, and such blocks are
    // 16-byte aligned (slabs and their headers are multiples of 64 bytes).
    static constexpr std::size_t Granule = 8;
    static constexpr std::size_t LargestBlock = 1008; // larger blocks come from malloc
    static constexpr std::size_t SlabBytes = 64 * 1024;
    static constexpr std::size_t ChunkBytes = 2 * 1024 * 1024; // slabs are taken 32 at a time

    SlabPool() = default;
    SlabPool(const SlabPool &) = delete;
    SlabPool &operator=(const SlabPool &) = delete;
    ~SlabPool();

    // Aligned to 16 bytes if `size` rounds to a multiple of 16, else to 8; `size` must be
    // passed again to deallocate().
    void *allocate(std::size_t size)
    {
        if (size > LargestBlock)
            return allocateLarge(size);
        SizeClass &c = m_classes[(size + Granule - 1) / Granule];
        if (Slab *s = c.current) {
            if (FreeBlock *b = s->free) {
                s->free = b->next;
                ++s->live;
                return b;
            }
            if (s->unused != s->end) {
                void *p = s->unused;
                s->unused += c.blockSize;
                ++s->live;
                return p;
            }
        }
        return allocateSlow(c, (size + Granule - 1) / Granule);
    }
    void deallocate(void *p, std::size_t size)
    {
        if (size > LargestBlock)
            return deallocateLarge(p);
        Slab *s = slabOf(p);
        auto *b = static_cast<FreeBlock *>(p);
        b->next = s->free;
        s->free = b;
        // Relisting a full slab on its first free would switch slabs at every allocation when
        // frees and allocations alternate: it waits until an eighth of it is free.
        if (--s->live == s->listAt || s->live == 0)
            slabGainedRoom(s);
    }

    // Slab memory held, in use or not (malloc'd large blocks excluded).
    std::size_t reservedBytes() const { return m_chunks.size() * ChunkBytes; }
    // Slabs with no block in use, ready for any size class.
    std::size_t emptySlabCount() const;

private:
    struct FreeBlock
    {
        FreeBlock *next;
    };
    // At the start of each slab; its blocks follow.
    struct Slab
    {
        FreeBlock *free; // blocks given back
        char *unused; // carving is lazy: a slab's pages are touched only as it fills
        char *end; // past the last whole block
        Slab *prev, *next; // in its class's list of slabs with room, or in the empty list
        unsigned live; // blocks in use
        unsigned listAt; // a full slab is listed again when this few are in use
        unsigned short sizeClass;
        bool listed; // on a list, or its class's current slab
    };
    static constexpr std::size_t HeaderBytes = 64;
    static_assert(sizeof(Slab) <= HeaderBytes);

    struct SizeClass
    {
        Slab *current = nullptr; // where blocks come from; always counted as listed
        Slab *withRoom = nullptr; // others with free blocks, most recently freed into first
        unsigned blockSize = 0;
    };

    static Slab *slabOf(void *p);
    void *allocateSlow(SizeClass &c, std::size_t sizeClass);
    void slabGainedRoom(Slab *s);
    Slab *takeEmptySlab();
    void *allocateLarge(std::size_t size);
    static void deallocateLarge(void *p);

    static void unlink(Slab *&head, Slab *s);
    static void pushFront(Slab *&head, Slab *s);

    SizeClass m_classes[LargestBlock / Granule + 1];
    Slab *m_empty = nullptr; // whole slabs with nothing in use, any class
    char *m_fresh = nullptr; // the next never-used slab of the newest chunk
    char *m_freshEnd = nullptr;
    std::vector<void *> m_chunks;
};

} // namespace Lifeline
