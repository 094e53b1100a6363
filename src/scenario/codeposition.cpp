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
        LaneId lane = LaneId(e.subject);
        if (e.kind() == EventKind::TaskEnded)
            ended.insert(lane);
        if (e.kind() == EventKind::PhaseBegan) {
            const Phase phase = Phase(e.detail);
            if (phase != Phase::Acquire && phase != Phase::Release)
                continue;
            lane = LaneId(log.lane(lane).parent); // the task in the `async with`
        } else if (e.kind() != EventKind::StepBegan) {
            continue;
        }
        if (!seen.insert(lane).second)
            continue;
        if (out.current < 0)
            out.current = int(e.arg);
        else if (!ended.count(lane) && int(e.arg) != out.current)
            out.others.push_back(int(e.arg));
    }
    return out;
}

} // namespace Lifeline
