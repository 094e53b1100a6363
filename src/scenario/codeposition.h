// SPDX-License-Identifier: MIT
#pragma once
// Where the program stands at a point of a run recorded with step events: the step running now
// and the step each other live task waits in. The code view marks these lines. A resource's
// acquire and release phases count as their `async with` step for the task that entered it, so
// while __aexit__ runs the mark is on the `async with`, not on the body's last line.

#include "eventlog.h"

#include <vector>

namespace Lifeline {

struct CodePosition
{
    int current = -1; // step id of the latest StepBegan; -1 when there is none
    std::vector<int> others; // other tasks' latest steps, most recent first, without `current`

    // After the first `position` events of `log`. Scans back a bounded window (the latest
    // ScanLimit events), so a huge log never costs more than a frame.
    static CodePosition at(const EventLog &log, qsizetype position);
    static constexpr qsizetype ScanLimit = 20000;
};

} // namespace Lifeline
