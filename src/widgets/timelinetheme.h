// SPDX-License-Identifier: MIT
#pragma once
// The timeline's colours and brushes, picked from the palette so light and dark desktops (and a
// projector) both read well. Phases differ in colour AND pattern, so print-outs in grey and
// colour-blind readers can still tell acquire from release. Pure data: no painting here.

#include "timelinespantable.h"

#include <QBrush>
#include <QColor>
#include <array>

class QPalette;

namespace Lifeline {

struct TimelineTheme
{
    bool dark = false;
    // Per SpanKind: a solid fill and an optional pattern drawn over it.
    std::array<QColor, SpanKindCount> fill;
    std::array<QBrush, SpanKindCount> pattern; // Qt::NoBrush for solid phases
    // Exceptions: the raise marker, the path, and one colour per HopAction.
    QColor raise, path, link;
    std::array<QColor, 6> hop;
    QColor failed, cancelled, neverReleased, open;
    QColor print;
    QColor owner, ownerTint; // a TaskGroup's or gather's frame over its tasks: edge, fill
    QColor text, mutedText, grid, headerBackground, rowStripe, selection, playhead, labelBackground;
    QColor future; // laid over what the run does after the playhead: the base, translucent
    // The grid colour made opaque over the base, for the full-height grid lines: the raster
    // engine fills an opaque column directly, but blends a translucent one pixel by pixel
    // (about 0.15 ms per line of a 900-pixel-high view).
    QColor gridLine;

    static TimelineTheme forPalette(const QPalette &palette);
    // Short words for legends and badges.
    static const char *hopLetter(HopAction action);
};

} // namespace Lifeline
