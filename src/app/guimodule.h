#pragma once
// Loads the `lifeline-gui` module (the window, the demo and rendering) from beside the
// executable, the first time a command needs it. See guicommands.h for why it is separate.

#include "guicommands.h"

#include <QString>

namespace Lifeline {

class GuiModule
{
public:
    // The module's commands, or null with *error saying which file failed to load and why.
    static const GuiCommands *load(QString *error);
    // Where the module is looked for: the executable's directory.
    static QString path();
};

} // namespace Lifeline
