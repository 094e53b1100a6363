// SPDX-License-Identifier: MIT
#pragma once
// What the fuzz targets ask of every input, shared with the normal test suite
// (tst_fuzzregressions loads every seed and every input a fuzzer once failed on). Each check
// returns what went wrong, empty when the input was handled cleanly: loaded, or refused with a
// diagnostic. A crash or a sanitizer report is not caught here; it ends the process.

#include <QByteArrayView>
#include <QString>

namespace Lifeline {

class FuzzCheck
{
public:
    // ScenarioLoader on the bytes (a trace goes on to TraceScenario): a scenario, or at least
    // one diagnostic, and no diagnostic with a control character in its text. A scenario that
    // loads is exported as Python and run for its first 2000 events, each one described.
    static QString scenario(QByteArrayView bytes);
    // TraceReader on the bytes, whole and in chunks (lengths from a hash of the bytes), which
    // must give the same recording; then the trace opened as a Scenario and replayed to its end,
    // every event described as `lifeline events`, a caption and export-trace describe it.
    static QString trace(QByteArrayView bytes);
};

} // namespace Lifeline
