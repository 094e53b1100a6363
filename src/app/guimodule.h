// SPDX-License-Identifier: MIT
#pragma once
// Loads the `lifeline-gui` module (the window, the demo and rendering) the first time a command
// needs it: from beside the executable in a build tree, else from the installed module directory
// (`../lib/lifeline` from `bin/`). See guicommands.h for why it is separate. It never looks on
// the library path: a stray module of another build must not be picked up.

#include "guicommands.h"

#include <QString>
#include <QStringList>

namespace Lifeline {

class GuiModule
{
public:
    // The module's commands, or null with *error saying which files failed to load and why.
    static const GuiCommands *load(QString *error);
    // Where the module is looked for, in order, for an executable in `executableDir`: beside it
    // (a build tree), then the installed module directory relative to it.
    static QStringList candidates(const QString &executableDir);
    // The first candidate that is a file, or empty when none is.
    static QString find(const QString &executableDir);
};

} // namespace Lifeline
