// SPDX-License-Identifier: MIT
#pragma once
// The one table of colours the app's own views use (code highlighting, current-line marks, event
// kinds), chosen from the palette so light and dark desktops both read well. Views ask for it on
// every palette change. The timeline's phase colours and patterns are TimelineTheme's; both use
// isDark(), and nothing else in src/widgets or src/app hard-codes a colour.

#include <QColor>

class QPalette;

namespace Lifeline {

struct Theme
{
    bool dark = false;
    // Python syntax
    QColor keyword, builtin, string, number, comment, decorator, definition;
    // Code view marks: the line running now, and lines where other tasks wait
    QColor currentLine, otherLine, gutterText, gutterBackground;
    // Event table and inspector accents
    QColor taskEvent, instanceEvent, exceptionEvent, printEvent, stepEvent, muted;
    QColor error, warning;

    static Theme forPalette(const QPalette &palette);
    static bool isDark(const QPalette &palette);
};

} // namespace Lifeline
