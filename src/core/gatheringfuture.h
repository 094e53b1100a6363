// SPDX-License-Identifier: MIT
#pragma once
// asyncio.gather over tasks: tasks.py's _GatheringFuture and its _done_callback, rule for rule
// (first exception or cancellation wins unless return_exceptions; cancelling the outer future
// cancels the children). Children are always tasks here: the format gathers TASKs only.

#include "task.h"

#include <vector>

namespace Lifeline {

class GatheringFuture : public Future
{
public:
    static Ref<GatheringFuture> gather(Scheduler &s, std::vector<Ref<Task>> children,
                                       bool returnExceptions);
    // gather() in parts, so a caller can give its host turns among a quarter of a million
    // children: the future first, then each child's done callback, all before anything runs.
    static Ref<GatheringFuture> unwatched(Scheduler &s, std::vector<Ref<Task>> children,
                                          bool returnExceptions);
    size_t childCount() const { return m_children.size(); }
    void watchChild(size_t index);
    bool cancel() override;
    bool cancelFromAwaiter(LaneId awaiter) override;
    // Its exception is a CancelledError it made itself, not yet raised anywhere: the task that
    // awaits it records the raise (Future::makeCancelledErrorUnraised()).
    bool madeItsException() const { return m_madeException; }

private:
    GatheringFuture(Scheduler &s, std::vector<Ref<Task>> children, bool returnExceptions);
    bool cancelChildren(CancelCause cause, LaneId by);
    static void childDone(RefCounted *outer, RefCounted *child, qint32);

    std::vector<Ref<Task>> m_children;
    size_t m_finished = 0;
    bool m_returnExceptions = false;
    bool m_cancelRequested = false;
    bool m_madeException = false;
};

} // namespace Lifeline
