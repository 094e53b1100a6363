// SPDX-License-Identifier: MIT
#include "timelinetheme.h"

#include "theme.h"

#include <QPalette>

namespace Lifeline {

TimelineTheme TimelineTheme::forPalette(const QPalette &palette)
{
    TimelineTheme t;
    const QColor base = palette.color(QPalette::Base);
    t.dark = Theme::isDark(palette);
    const bool d = t.dark;
    // Okabe-Ito derived hues: distinguishable with the common colour-vision deficiencies.
    t.fill[int(SpanKind::Acquire)] = d ? QColor(0xE6, 0x9F, 0x00) : QColor(0xF2, 0xB3, 0x30);
    t.fill[int(SpanKind::Ready)] = d ? QColor(0x2E, 0x9E, 0x73) : QColor(0x5C, 0xC0, 0x93);
    t.fill[int(SpanKind::Execute)] = d ? QColor(0x3A, 0x8E, 0xD8) : QColor(0x00, 0x72, 0xB2);
    t.fill[int(SpanKind::Release)] = d ? QColor(0xC9, 0x79, 0xA7) : QColor(0xCC, 0x79, 0xA7);
    t.fill[int(SpanKind::TaskWaiting)] = d ? QColor(0x55, 0x5B, 0x66) : QColor(0xD5, 0xD9, 0xE0);
    t.fill[int(SpanKind::TaskRunning)] = d ? QColor(0x7A, 0x86, 0x99) : QColor(0x8C, 0x96, 0xA8);
    // A task's waits in the hue of the phase it awaits; joining a TaskGroup's tasks and waiting
    // for a lock in hues of their own.
    t.fill[int(SpanKind::TaskEntering)] = t.fill[int(SpanKind::Acquire)];
    t.fill[int(SpanKind::TaskCalling)] = t.fill[int(SpanKind::Execute)];
    t.fill[int(SpanKind::TaskExiting)] = t.fill[int(SpanKind::Release)];
    t.fill[int(SpanKind::TaskJoining)] = d ? QColor(0x4D, 0xB6, 0xAC) : QColor(0x00, 0x89, 0x7B);
    t.fill[int(SpanKind::TaskLocking)] = d ? QColor(0xE5, 0x73, 0x73) : QColor(0xD5, 0x5E, 0x00);
    // Blocked on something that is not a resource: a sleep in a pale hue (nothing happens), a
    // task or a gather in one slate hue told apart by pattern.
    t.fill[int(SpanKind::TaskSleeping)] = d ? QColor(0x6F, 0x60, 0x8A) : QColor(0xC9, 0xBE, 0xE6);
    t.fill[int(SpanKind::TaskAwaitingTask)]
        = d ? QColor(0x5E, 0x8F, 0xA8) : QColor(0x78, 0xA6, 0xC4);
    t.fill[int(SpanKind::TaskGathering)] = t.fill[int(SpanKind::TaskAwaitingTask)];
    const QColor ink = d ? QColor(0, 0, 0, 150) : QColor(0, 0, 0, 110);
    const QColor shine = d ? QColor(255, 255, 255, 90) : QColor(255, 255, 255, 150);
    t.pattern.fill(QBrush(Qt::NoBrush));
    t.pattern[int(SpanKind::Acquire)] = QBrush(ink, Qt::BDiagPattern); // "/// going in"
    t.pattern[int(SpanKind::Release)] = QBrush(ink, Qt::FDiagPattern); // "\\\ going out"
    t.pattern[int(SpanKind::TaskWaiting)] = QBrush(ink, Qt::Dense6Pattern); // dotted: not running
    t.pattern[int(SpanKind::Execute)] = QBrush(shine, Qt::HorPattern); // busy: ruled
    t.pattern[int(SpanKind::TaskEntering)] = t.pattern[int(SpanKind::Acquire)];
    t.pattern[int(SpanKind::TaskExiting)] = t.pattern[int(SpanKind::Release)];
    t.pattern[int(SpanKind::TaskJoining)] = QBrush(ink, Qt::Dense5Pattern);
    t.pattern[int(SpanKind::TaskLocking)] = QBrush(ink, Qt::CrossPattern);
    t.pattern[int(SpanKind::TaskSleeping)] = QBrush(ink, Qt::Dense7Pattern); // sparse dots: idle
    t.pattern[int(SpanKind::TaskAwaitingTask)] = QBrush(ink, Qt::VerPattern);
    t.pattern[int(SpanKind::TaskGathering)] = QBrush(ink, Qt::DiagCrossPattern);
    t.owner = d ? QColor(0x80, 0xCB, 0xC4, 200) : QColor(0x00, 0x69, 0x5C, 200);
    t.ownerTint = t.owner;
    t.ownerTint.setAlpha(d ? 40 : 26);
    t.raise = d ? QColor(0xFF, 0x6B, 0x6B) : QColor(0xD0, 0x1C, 0x1C);
    t.path = d ? QColor(0xFF, 0x8A, 0x80, 220) : QColor(0xC6, 0x28, 0x28, 200);
    t.link = d ? QColor(0xCE, 0x93, 0xD8) : QColor(0x7B, 0x1F, 0xA2);
    // Propagated, Suppressed, Replaced, Grouped, Caught, Escaped.
    t.hop = { d ? QColor(0xFF, 0xA7, 0x26) : QColor(0xE6, 0x51, 0x00),
              d ? QColor(0x66, 0xBB, 0x6A) : QColor(0x2E, 0x7D, 0x32),
              t.link,
              d ? QColor(0x4D, 0xD0, 0xE1) : QColor(0x00, 0x83, 0x8F),
              d ? QColor(0x66, 0xBB, 0x6A) : QColor(0x2E, 0x7D, 0x32),
              t.raise };
    t.failed = t.raise;
    t.cancelled = d ? QColor(0xFF, 0xB7, 0x4D) : QColor(0xEF, 0x6C, 0x00);
    t.neverReleased = t.raise;
    t.open = palette.color(QPalette::Text);
    t.print = d ? QColor(0xB0, 0xBE, 0xC5) : QColor(0x45, 0x5A, 0x64);
    t.text = palette.color(QPalette::Text);
    t.mutedText = palette.color(QPalette::PlaceholderText);
    QColor grid = t.text;
    grid.setAlpha(d ? 40 : 30);
    t.grid = grid;
    const qreal a = grid.alphaF();
    t.gridLine = QColor::fromRgbF(base.redF() + (grid.redF() - base.redF()) * a,
                                  base.greenF() + (grid.greenF() - base.greenF()) * a,
                                  base.blueF() + (grid.blueF() - base.blueF()) * a);
    t.headerBackground = palette.color(QPalette::AlternateBase);
    if (t.headerBackground == base)
        t.headerBackground = d ? base.lighter(130) : base.darker(106);
    QColor stripe = t.text;
    stripe.setAlpha(d ? 10 : 8);
    t.rowStripe = stripe;
    QColor selection = palette.color(QPalette::Highlight);
    selection.setAlpha(60);
    t.selection = selection;
    t.playhead = d ? QColor(0xFF, 0xD5, 0x4F) : QColor(0xD8, 0x1B, 0x60);
    t.labelBackground = palette.color(QPalette::Window);
    t.future = base;
    t.future.setAlphaF(0.62f);
    return t;
}

const char *TimelineTheme::hopLetter(HopAction action)
{
    static const char *letters[] = { "P", "S", "R", "G", "C", "E" };
    return letters[int(action)];
}

} // namespace Lifeline
