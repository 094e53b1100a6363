// SPDX-License-Identifier: MIT
#pragma once
// Where the engine's coroutine frames, tasks and futures get their memory: this thread's
// SlabPool. A million in-flight tasks allocate and free frames constantly, and malloc's
// per-block header would be a third of the budget. Thread-local because runs in the app may
// happen on worker threads, each engine confined to one.
// Under AddressSanitizer every block is its own allocation, so use-after-free stays visible.

#include <cstddef>

namespace Lifeline {

class FramePool
{
public:
    static void *allocate(std::size_t size);
    static void deallocate(void *p, std::size_t size);
    // This thread's pool's slab memory, in use or free (0 under AddressSanitizer).
    static std::size_t reservedBytes();
};

} // namespace Lifeline
