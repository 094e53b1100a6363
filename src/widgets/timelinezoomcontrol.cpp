// SPDX-License-Identifier: MIT
#include "timelinezoomcontrol.h"

namespace Lifeline {

TimelineZoomControl::TimelineZoomControl(QObject *parent)
    : QObject(parent)
{
}

void TimelineZoomControl::setTrace(TimeRange trace)
{
    if (trace.duration() <= 0)
        trace.end = trace.start + 1; // an empty run still has a ruler
    if (trace == m_trace)
        return;
    const bool followed = isFit();
    m_trace = trace;
    Q_EMIT traceChanged(m_trace);
    setRange(followed ? m_trace : m_range);
}

void TimelineZoomControl::setRange(TimeRange range)
{
    range = TimelineCoordinates::clamped(range, m_trace, m_minimumDuration);
    if (range == m_range)
        return;
    m_range = range;
    Q_EMIT rangeChanged(m_range);
}

void TimelineZoomControl::setSelection(int lane, qsizetype event)
{
    if (lane == m_selectedLane && event == m_selectedEvent)
        return;
    m_selectedLane = lane;
    m_selectedEvent = event;
    Q_EMIT selectionChanged(lane, event);
}

void TimelineZoomControl::setPlayhead(qsizetype event, qint64 time)
{
    if (event == m_playhead && time == m_playheadTime)
        return;
    m_playhead = event;
    m_playheadTime = time;
    Q_EMIT playheadChanged(event, time);
}

void TimelineZoomControl::zoomAround(double anchorTime, double factor)
{
    setRange(TimelineCoordinates::zoomed(m_range, anchorTime, factor, m_trace, m_minimumDuration));
}

void TimelineZoomControl::panBy(double deltaMs)
{
    setRange(TimelineCoordinates::panned(m_range, deltaMs, m_trace));
}

void TimelineZoomControl::fit()
{
    setRange(m_trace);
}

void TimelineZoomControl::reveal(double time, double widthPixels, double marginPixels)
{
    const TimelineCoordinates c(m_range, 0, widthPixels);
    setRange(c.revealed(time, marginPixels, m_trace, m_minimumDuration));
}

} // namespace Lifeline
