// SPDX-License-Identifier: MIT
#pragma once
// The words behind a hover: what a span, marker, badge or row under the cursor means, in the
// vocabulary of the Python program (phases, `__aexit__` outcomes, exception reprs). Reads the
// model and the frame that was hit; shows nothing itself.

#include "timelinemodel.h"
#include "timelinerendermodel.h"

namespace Lifeline {

class TimelineToolTip
{
public:
    // With the log, a task's wait also names what it awaits (`sleep(0.1)`, a task, a gather).
    static QString text(const TimelineModel &model, const TimelineRenderModel &frame,
                        const TimelineHit &hit, const EventLog *log = nullptr);
    // Times as milliseconds of a log with `ticksPerMs` ticks each (the frame's).
    static QString spanText(const TimelineModel &model, const TimelineSpan &span, qsizetype merged,
                            qint64 ticksPerMs = 1, const EventLog *log = nullptr);
    // A TaskGroup or gather: what it owns, from when to when.
    static QString ownerText(const TimelineModel &model, int owner, qint64 ticksPerMs = 1);
    static QString phaseName(SpanKind kind);
    // Why a task was cancelled, naming its cause.
    static QString cancelText(const TimelineModel &model, const TimelineCancel &c,
                              qint64 ticksPerMs = 1);
    // How a span ended; `during` is the span's own phase (a cancellation says what it cut short).
    static QString endText(SpanEnd end, SpanKind during = SpanKind::Acquire);
};

} // namespace Lifeline
