// SPDX-License-Identifier: MIT
#include "heapreservation.h"

#if defined(__GLIBC__) && defined(Q_OS_LINUX) && !defined(LIFELINE_SANITIZE)
#include <algorithm>
#include <cstdlib>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#define LIFELINE_HEAP_RESERVATION 1
#endif

namespace Lifeline {

void HeapReservation::reserveFor(qint64 inputBytes)
{
#ifdef LIFELINE_HEAP_RESERVATION
    // Peak RSS runs at 13-25x the JSON's size on the benchmark workloads; beyond the
    // reservation the heap simply grows on with ordinary pages.
    constexpr qint64 PerInputByte = 32;
    constexpr qint64 MinInput = 256 * 1024;
    constexpr qint64 MaxReserve = qint64(1) << 30; // and it must fit mallopt()'s int
    constexpr quintptr HugePage = 2 * 1024 * 1024;
    if (inputBytes < MinInput)
        return;
    const qint64 reserve = std::min(inputBytes * PerInputByte, MaxReserve);

    // Keep big blocks in the heap and never hand memory back: the process exits soon after.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 2147483647);
    // One allocation the current top cannot hold makes malloc extend the heap by the pad too.
    mallopt(M_TOP_PAD, int(reserve));
    void *probe = std::malloc(4 * HugePage);
    const quintptr begin = (quintptr(probe) + HugePage - 1) & ~(HugePage - 1);
    const quintptr end = quintptr(sbrk(0)) & ~(HugePage - 1);
    if (probe && end > begin)
        madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
    std::free(probe);
    mallopt(M_TOP_PAD, 128 * 1024); // glibc's default
#else
    Q_UNUSED(inputBytes);
#endif
}

} // namespace Lifeline
