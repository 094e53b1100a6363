// SPDX-License-Identifier: MIT
#pragma once
// Sets up the C heap of a one-shot command-line process for a scenario of a known size.
//
// Loading and running a big scenario touches hundreds of megabytes a few bytes at a time, and
// with 4 KiB pages the kernel takes a fault for each one: a third to a half of `lifeline run`'s
// time on the benchmark workloads. reserveFor() extends the heap once, by a multiple of the
// input's size, and asks for transparent huge pages there (one fault per 2 MiB); only touched
// pages count towards RSS, so the reservation costs address space, not memory. Large blocks
// (the JSON nodes, the file's bytes) are kept in that heap, so the run reuses the loader's
// already-mapped pages. Only for processes that exit after one run: the window does not call it.

#include <QtGlobal>

namespace Lifeline {

class HeapReservation
{
public:
    // Call before loading an input of `inputBytes`; does nothing where it cannot help
    // (not glibc, sanitizer builds, a tiny input).
    static void reserveFor(qint64 inputBytes);
};

} // namespace Lifeline
