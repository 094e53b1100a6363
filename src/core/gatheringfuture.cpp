// SPDX-License-Identifier: MIT
#include "gatheringfuture.h"

namespace Lifeline {

GatheringFuture::GatheringFuture(Scheduler &s, std::vector<Ref<Task>> children,
                                 bool returnExceptions)
    : Future(s)
    , m_children(std::move(children))
    , m_returnExceptions(returnExceptions)
{
}

Ref<GatheringFuture> GatheringFuture::gather(Scheduler &s, std::vector<Ref<Task>> children,
                                             bool returnExceptions)
{
    Ref<GatheringFuture> outer = unwatched(s, std::move(children), returnExceptions);
    for (size_t i = 0; i < outer->childCount(); ++i)
        outer->watchChild(i);
    return outer;
}

Ref<GatheringFuture> GatheringFuture::unwatched(Scheduler &s, std::vector<Ref<Task>> children,
                                                bool returnExceptions)
{
    return Ref<GatheringFuture>(new GatheringFuture(s, std::move(children), returnExceptions));
}

void GatheringFuture::watchChild(size_t index)
{
    m_children[index]->addDoneCallback(&GatheringFuture::childDone, this);
}

bool GatheringFuture::cancel()
{
    Task *current = m_scheduler.currentTask();
    return cancelChildren(CancelCause::Call, current ? current->lane() : None);
}

bool GatheringFuture::cancelFromAwaiter(LaneId awaiter)
{
    return cancelChildren(CancelCause::Awaiter, awaiter);
}

bool GatheringFuture::cancelChildren(CancelCause cause, LaneId by)
{
    if (done())
        return false;
    bool any = false;
    for (const Ref<Task> &child : m_children) {
        if (child->cancel(cause, by))
            any = true;
    }
    if (any)
        m_cancelRequested = true;
    return any;
}

void GatheringFuture::childDone(RefCounted *outerObj, RefCounted *childObj, qint32)
{
    auto *outer = static_cast<GatheringFuture *>(outerObj);
    auto *child = static_cast<Task *>(childObj);
    ++outer->m_finished;
    if (outer->done())
        return;
    if (!outer->m_returnExceptions) {
        if (child->cancelled()) {
            outer->setException(child->makeCancelledErrorUnraised(&outer->m_madeException));
            return;
        }
        if (child->exception() != None) {
            outer->setException(child->exception());
            return;
        }
    }
    if (outer->m_finished == outer->m_children.size()) {
        // tasks.py builds the results with `for fut in children:`, rebinding `fut`; the
        // CancelledError then comes from the last child in the list, not the one that finished.
        if (outer->m_cancelRequested)
            outer->setException(
                outer->m_children.back()->makeCancelledErrorUnraised(&outer->m_madeException));
        else
            outer->setResult();
    }
}

} // namespace Lifeline
