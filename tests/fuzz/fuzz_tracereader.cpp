// SPDX-License-Identifier: MIT
// libFuzzer target: TraceReader on any bytes, whole and in chunks, then the replay that trusts
// what it read, as `lifeline events TRACE` does. FuzzCheck::trace says what is asked.

#include "fuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString problem = Lifeline::FuzzCheck::trace(
        QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "fuzz_tracereader: %s\n", qPrintable(problem));
        std::abort();
    }
    return 0;
}
