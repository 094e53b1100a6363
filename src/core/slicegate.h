// SPDX-License-Identifier: MIT
#pragma once
// One budget for all the time-sliced work of a thread's event loop. Each job that does its work
// in slices (the engine recording ahead, the timeline's model catching up, the views indexing
// the log) asks the gate how long its next slice may take. The gate counts from the start of
// the event loop's current pass (QAbstractEventDispatcher::aboutToBlock and awake mark one), so
// a slice that begins after a paint or another job's slice in the same pass gets only what is
// left, and none once the pass has had its share: that job tries again on the next pass (its
// zero-interval timer stays armed), after whatever input and timers were waiting. Each job
// sizing its slice on its own let three of them and a paint run back to back: 20 ms between
// two turns of the loop with every slice on budget.

#include <QElapsedTimer>
#include <QtGlobal>

namespace Lifeline {

class SliceGate
{
public:
    // A pass's share of slices: with a paint after them, a pass stays well within a frame.
    static constexpr qint64 PassNs = 2'000'000;
    // Less than this left is not worth a slice: the job waits for the next pass.
    static constexpr qint64 MinSliceNs = 300'000;
    // A pass this old has not been seen to end: the dispatcher marked none (work done outside
    // an event loop, in a test or before exec()), so the gate starts a new one rather than
    // starve the jobs.
    static constexpr qint64 StalePassNs = 20'000'000;

    // The calling thread's gate, made on first use and tied to its event dispatcher then.
    static SliceGate &current();

    // How long a slice starting now may run, in nanoseconds: `wantNs` at most, less what this
    // pass has already spent; 0 when the pass has had its share.
    qint64 allowance(qint64 wantNs = PassNs);

    // A new pass begins now (the dispatcher's signals call this).
    void newPass();

private:
    SliceGate();
    void attach();

    QElapsedTimer m_clock;
    qint64 m_passStartNs = 0;
    bool m_attached = false;
};

} // namespace Lifeline
