// SPDX-License-Identifier: MIT
// libFuzzer target: ScenarioLoader on any bytes, as `lifeline check FILE` reads them (a trace's
// bytes go on to TraceScenario). FuzzCheck::scenario says what is asked of every input.

#include "fuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString problem = Lifeline::FuzzCheck::scenario(
        QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "fuzz_scenarioloader: %s\n", qPrintable(problem));
        std::abort();
    }
    return 0;
}
