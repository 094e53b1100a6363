// SPDX-License-Identifier: MIT
#pragma once
// Headless rendering of a whole run's timeline to a PNG (QImage) or SVG (QSvgGenerator) of a
// given width, fitted to the run, with a legend of what it draws (TimelineLegend, as the window's
// Legend dock): used by `lifeline render` and File > Export.
// Draws exactly what the widget draws (same geometry and painter). Needs a QGuiApplication for
// fonts; very large groups stay collapsed (their summary row shows them) to keep files sane.

#include "eventlog.h"

#include <QImage>
#include <QPalette>
#include <QString>

class QPainter;

namespace Lifeline {

class TimelineModel;
class TimelineRowLayout;

class TimelineRenderer
{
public:
    static constexpr int DefaultWidth = 1600;

    static QImage renderImage(const EventLog &log, int width = DefaultWidth,
                              const QPalette &palette = QPalette(), qreal devicePixelRatio = 1);
    static bool renderSvg(const EventLog &log, const QString &fileName, int width = DefaultWidth,
                          const QPalette &palette = QPalette());
    // Picks PNG or SVG by the suffix; false (and `error` set) when it cannot write.
    static bool renderFile(const EventLog &log, const QString &fileName, int width = DefaultWidth,
                           QString *error = nullptr);

private:
    static QSize layout(const EventLog &log, int width, TimelineModel &model,
                        TimelineRowLayout &rows);
    static void paint(QPainter &painter, QSize size, const TimelineModel &model,
                      const TimelineRowLayout &rows, const QPalette &palette, qreal dpr,
                      qint64 ticksPerMs);
};

} // namespace Lifeline
