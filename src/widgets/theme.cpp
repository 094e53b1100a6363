// SPDX-License-Identifier: MIT
#include "theme.h"

#include <QPalette>

namespace Lifeline {

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

Theme Theme::forPalette(const QPalette &palette)
{
    Theme t;
    t.dark = isDark(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QColor highlight = palette.color(QPalette::Highlight);
    auto mix = [](const QColor &a, const QColor &b, double f) {
        return QColor::fromRgbF(a.redF() * (1 - f) + b.redF() * f,
                                a.greenF() * (1 - f) + b.greenF() * f,
                                a.blueF() * (1 - f) + b.blueF() * f);
    };
    if (t.dark) {
        // Tuned against a ~#1e1e1e base; every entry keeps 4.5:1 contrast on it.
        t.keyword = QColor(0xc6, 0x78, 0xdd);
        t.builtin = QColor(0x61, 0xaf, 0xef);
        t.string = QColor(0x98, 0xc3, 0x79);
        t.number = QColor(0xd1, 0x9a, 0x66);
        t.comment = QColor(0x7f, 0x84, 0x8e);
        t.decorator = QColor(0xe5, 0xc0, 0x7b);
        t.definition = QColor(0x56, 0xb6, 0xc2);
        t.taskEvent = QColor(0x61, 0xaf, 0xef);
        t.instanceEvent = QColor(0x98, 0xc3, 0x79);
        t.exceptionEvent = QColor(0xf0, 0x71, 0x78);
        t.printEvent = QColor(0xe5, 0xc0, 0x7b);
        t.error = QColor(0xf0, 0x71, 0x78);
        t.warning = QColor(0xe5, 0xc0, 0x7b);
    } else {
        t.keyword = QColor(0x8a, 0x2b, 0xb9);
        t.builtin = QColor(0x1a, 0x5f, 0xb4);
        t.string = QColor(0x2e, 0x7d, 0x32);
        t.number = QColor(0xb0, 0x5a, 0x00);
        t.comment = QColor(0x6a, 0x73, 0x7d);
        t.decorator = QColor(0x9a, 0x67, 0x00);
        t.definition = QColor(0x00, 0x6d, 0x77);
        t.taskEvent = QColor(0x1a, 0x5f, 0xb4);
        t.instanceEvent = QColor(0x2e, 0x7d, 0x32);
        t.exceptionEvent = QColor(0xc6, 0x28, 0x28);
        t.printEvent = QColor(0x8d, 0x5b, 0x00);
        t.error = QColor(0xc6, 0x28, 0x28);
        t.warning = QColor(0x9a, 0x67, 0x00);
    }
    t.stepEvent = mix(text, base, 0.35);
    t.muted = mix(text, base, 0.45);
    t.currentLine = mix(base, highlight, t.dark ? 0.45 : 0.30);
    t.otherLine = mix(base, highlight, t.dark ? 0.18 : 0.10);
    t.gutterText = mix(text, base, 0.5);
    t.gutterBackground = mix(base, text, 0.04);
    return t;
}

} // namespace Lifeline
