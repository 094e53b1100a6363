// SPDX-License-Identifier: MIT
#pragma once
// Crowded marks merge: a run of end marks, raise marks and exception badges on one row, each
// closer to the next than a badge's width (TimelineGeometry lines up the marks of one instant
// side by side, a badge apart, but marks of instants a pixel apart would be drawn over each
// other), becomes one counted mark, which holds them for its tooltip and click; so does a row
// of more than MaxSideBySide marks of one instant, which would reach far past that instant.
// Zoomed in, marks of different instants stand apart and are drawn one by one. Marks drawn at
// the very same spot (composed glyphs) do not count as overlapping. Works on a built frame
// only; never reads the model.

#include "timelinerendermodel.h"

namespace Lifeline {

class TimelineCrowding
{
public:
    // Centres closer than this overlap (a badge is 12 px wide; side by side they are 13 apart).
    static constexpr qreal Overlap = 12;
    // One instant's marks side by side, read as they are (an end mark, its raise, a hop or two).
    static constexpr size_t MaxSideBySide = 4;

    // Moves the frame's overlapping markers and badges into frame.clusters. Print marks stay:
    // they are thin, and the geometry already keeps one per few pixels.
    static void merge(TimelineRenderModel &frame);
};

} // namespace Lifeline
