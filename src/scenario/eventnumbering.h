// SPDX-License-Identifier: MIT
#pragma once
// How `lifeline events` numbers a log's events: from 0, counting every event but the `step`
// events a run records for the code view. The window's run records steps, `lifeline events`
// prints them only with --steps and a trace has none, so numbering by index in the window gave
// an event another number than the command line (and than a trace of the same program). The
// window's event log and caption number events through this class; step rows get no number.
// Keeps the count at every 256th event (4 bytes per 256 events) and counts the rest on demand.

#include "eventlog.h"

#include <vector>

namespace Lifeline {

class EventNumbering
{
public:
    static constexpr size_t Stride = 256;

    void clear();
    // Indexes what `log` has recorded since the last call (the log must be the same one, or
    // clear() called first).
    void update(const EventLog &log);
    size_t indexed() const { return m_indexed; }
    // The number `lifeline events` gives event `index` (< indexed()), or -1 for a step event.
    qint64 number(const EventLog &log, size_t index) const;
    // How many numbered events are among the first `count` (<= indexed()).
    qint64 countBefore(const EventLog &log, size_t count) const;

private:
    std::vector<quint32> m_before; // numbered events before event k * Stride
    size_t m_indexed = 0;
    quint32 m_numbered = 0;
    bool m_anySteps = false; // none (a trace, a headless run): numbers are indexes
};

} // namespace Lifeline
