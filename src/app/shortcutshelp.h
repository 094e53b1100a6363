// SPDX-License-Identifier: MIT
#pragma once
// Help > Keyboard and Mouse: what every key and gesture does, for a user who cannot guess that
// `.` goes to the next event. The window's own actions are listed from their QActions, so the
// list cannot drift from the shortcuts in effect; the views' keys are described here.

#include <QList>
#include <QString>

class QAction;
class QWidget;

namespace Lifeline {

class ShortcutsHelp
{
public:
    // An HTML page: the actions that have a shortcut, then the timeline, event log and code.
    static QString html(const QList<QAction *> &actions);
    static void show(QWidget *parent, const QList<QAction *> &actions);
};

} // namespace Lifeline
