// SPDX-License-Identifier: MIT
#pragma once
// All time<->pixel arithmetic of the timeline, and the zoom/pan range math, in one place.
// Header-only and dependency-free (no Qt) so it can be tested with plain numbers; times are
// virtual milliseconds as doubles (deep zoom shows fractions of a millisecond), x is in logical
// pixels. It never clamps silently: callers pass the trace they want the range kept inside.

#include <algorithm>
#include <cmath>

namespace Lifeline {

struct TimeRange
{
    double start = 0;
    double end = 0;

    double duration() const { return end - start; }
    bool operator==(const TimeRange &) const = default;
};

class TimelineCoordinates
{
public:
    TimelineCoordinates() = default;
    // Maps `range` onto the pixels [left, left + width).
    TimelineCoordinates(TimeRange range, double left, double width)
        : m_range(range)
        , m_left(left)
        , m_width(std::max(width, 1.0))
    {
    }

    TimeRange range() const { return m_range; }
    double left() const { return m_left; }
    double width() const { return m_width; }
    double right() const { return m_left + m_width; }

    double pixelsPerMs() const
    {
        return m_range.duration() > 0 ? m_width / m_range.duration() : 0.0;
    }
    double msPerPixel() const { return m_range.duration() / m_width; }

    double x(double time) const { return m_left + (time - m_range.start) * pixelsPerMs(); }
    double time(double x) const { return m_range.start + (x - m_left) * msPerPixel(); }

    // The device-pixel column holding `time` (columns are what the painter merges spans into),
    // and the first time of a column: column(columnStart(c)) == c up to rounding.
    long long column(double time, double devicePixelRatio) const
    {
        return (long long)std::floor((x(time) - m_left) * devicePixelRatio);
    }
    double columnStart(long long column, double devicePixelRatio) const
    {
        return time(m_left + double(column) / devicePixelRatio);
    }

    // Zooms by `factor` (>1 zooms in) keeping `anchor` at the same pixel, then fits the result
    // into `trace` without going below `minDuration` or above the trace's own duration.
    static TimeRange zoomed(TimeRange visible, double anchor, double factor, TimeRange trace,
                            double minDuration)
    {
        if (factor <= 0 || visible.duration() <= 0)
            return clamped(visible, trace, minDuration);
        const double duration = std::clamp(visible.duration() / factor, minDuration,
                                           std::max(trace.duration(), minDuration));
        const double share = (anchor - visible.start) / visible.duration();
        const double start = anchor - share * duration;
        return clamped({ start, start + duration }, trace, minDuration);
    }

    // Moves by `deltaMs` (positive: later), keeping the duration and staying inside `trace`.
    static TimeRange panned(TimeRange visible, double deltaMs, TimeRange trace)
    {
        return clamped({ visible.start + deltaMs, visible.end + deltaMs }, trace, 0.0);
    }

    // Keeps the duration (at least `minDuration`, at most the trace's) and slides the range
    // inside `trace`. A trace shorter than `minDuration` is centred.
    static TimeRange clamped(TimeRange visible, TimeRange trace, double minDuration)
    {
        double duration = std::max(visible.duration(), minDuration);
        if (trace.duration() <= duration) {
            if (trace.duration() >= minDuration)
                return trace;
            const double centre = (trace.start + trace.end) / 2;
            return { centre - minDuration / 2, centre + minDuration / 2 };
        }
        double start = std::clamp(visible.start, trace.start, trace.end - duration);
        return { start, start + duration };
    }

    // The range that shows `time` with the current zoom: unchanged when it is already inside
    // (with `margin` pixels to spare), otherwise centred on it.
    TimeRange revealed(double time, double margin, TimeRange trace, double minDuration) const
    {
        const double pad = margin * msPerPixel();
        if (time >= m_range.start + pad && time <= m_range.end - pad)
            return m_range;
        const double half = m_range.duration() / 2;
        return clamped({ time - half, time + half }, trace, minDuration);
    }

private:
    TimeRange m_range;
    double m_left = 0;
    double m_width = 1;
};

} // namespace Lifeline
