// SPDX-License-Identifier: MIT
#include "codeposition.h"

#include <algorithm>
#include <unordered_set>

namespace Lifeline {

CodePosition CodePosition::at(const EventLog &log, qsizetype position)
{
    CodePosition out;
    position = std::min(position, qsizetype(log.count()));
    std::unordered_set<LaneId> seen, ended;
    for (qsizetype i = position - 1; i >= std::max<qsizetype>(0, position - ScanLimit); --i) {
        const Event &e = log.at(size_t(i));
        LaneId lane = e.lane();
        if (e.kind() == EventKind::TaskEnded)
            ended.insert(lane);
        if (e.kind() == EventKind::PhaseBegan) {
            const Phase phase = e.phase();
            if (phase != Phase::Acquire && phase != Phase::Release)
                continue;
            lane = LaneId(log.lane(lane).parent); // the task in the `async with`
        } else if (e.kind() != EventKind::StepBegan) {
            continue;
        }
        if (!seen.insert(lane).second)
            continue;
        if (out.current < 0)
            out.current = int(e.step());
        else if (!ended.count(lane) && int(e.step()) != out.current)
            out.others.push_back(int(e.step()));
    }
    return out;
}

} // namespace Lifeline
